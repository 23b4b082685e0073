"""Audit of ``pdf:`` searches: a replaced PDF no longer answers, Chinese and Japanese text,
``fulltext --json`` (real generated PDFs, real SQLite)."""

from __future__ import annotations

import json
from pathlib import Path

import pymupdf

from readinglist.cli.main import run
from readinglist.storage.pdf_text import MARK_END, MARK_START
from tests.pdf.conftest import ARXIV_KEY, OLD_KEY
from tests.pdf.test_fulltext import index  # noqa: F401 - fixture


def _pdf(path: Path, pages: list[list[str]], font: str | None = None) -> Path:
    """A PDF whose pages hold these lines (``font``: a PyMuPDF built-in, e.g. ``china-s``)."""
    doc = pymupdf.open()
    fonts = {"fontname": font} if font else {}
    for lines in pages:
        page = doc.new_page(width=612, height=792)
        for number, line in enumerate(lines):
            page.insert_text((72, 72 + 14 * number), line, fontsize=10, **fonts)
    doc.save(path)
    doc.close()
    return path


def _keys(library, query: str, view: str = "all") -> list[str]:  # type: ignore[no-untyped-def]
    return [p.key for p in library.list(view=view, query=query)]


def _register(service, path: Path, version: int,  # type: ignore[no-untyped-def]
              created: str) -> None:
    """A downloaded PDF of one arXiv version, as ``ensure_pdf`` records it."""
    from readinglist.pdf.hashing import sha256_file

    service.cache.ensure()
    dest = service.cache.path(f"{ARXIV_KEY}v{version}.pdf")
    dest.write_bytes(path.read_bytes())
    with service.library.store.transaction(write=True) as conn:
        conn.exec_driver_sql(
            "INSERT INTO pdf_files (sha256, paper_key, version, path, size, origin, url, "
            "created) VALUES (?, ?, ?, ?, ?, 'download', NULL, ?)",
            (sha256_file(dest), ARXIV_KEY, version, dest.name, dest.stat().st_size, created))


def test_a_replaced_pdf_no_longer_answers_for_its_paper(service, index, papers,
                                                        tmp_path: Path) -> None:
    service.attach_pdf(ARXIV_KEY, _pdf(tmp_path / "a.pdf", [["the okapi lives here"]]))
    index.index_pending()
    assert _keys(papers, "pdf:okapi") == [ARXIV_KEY]
    service.attach_pdf(ARXIV_KEY, _pdf(tmp_path / "b.pdf", [["intro"], ["a giraffe lives"]]))
    index.index_pending()
    assert service.pdf_for(ARXIV_KEY).path.read_bytes() == (tmp_path / "b.pdf").read_bytes()
    assert _keys(papers, "pdf:okapi") == []  # only in the PDF the viewer no longer opens
    assert index.matches(ARXIV_KEY, "pdf:okapi") == []
    assert [m.page for m in index.matches(ARXIV_KEY, "pdf:lives")] == [1]  # the new PDF's page
    papers.mark([ARXIV_KEY], "deleted", True)
    assert _keys(papers, "pdf:giraffe") == []  # the Trash is out of every search
    assert _keys(papers, "pdf:giraffe", "trash") == [ARXIV_KEY]


def test_the_current_versions_pdf_answers_not_an_older_one_fetched_later(
        service, index, papers, tmp_path: Path) -> None:
    from readinglist.storage.pdf_text import papers_page_matches

    _register(service, _pdf(tmp_path / "v2.pdf", [["current text"], ["kernel trick"]]), 2,
              "2026-11-20T00:00:00+00:00")  # the paper is at v2 (see conftest)
    _register(service, _pdf(tmp_path / "v1.pdf", [["kernel of the old version"]]), 1,
              "2026-11-25T00:00:00+00:00")
    assert index.index_pending().indexed == 2
    assert service.pdf_for(ARXIV_KEY).version == 2
    assert [m.page for m in index.matches(ARXIV_KEY, "pdf:kernel")] == [1]
    with papers.store.transaction() as conn:
        found = papers_page_matches(conn, [ARXIV_KEY], '"kernel"')
    assert [m.page for m in found[ARXIV_KEY]] == [1]
    assert _keys(papers, 'pdf:"old version"') == []
    assert _keys(papers, 'pdf:"kernel trick"') == [ARXIV_KEY]


def test_chinese_and_japanese_words_are_found_inside_a_sentence(service, index, papers,
                                                                 tmp_path: Path) -> None:
    service.attach_pdf(ARXIV_KEY, _pdf(tmp_path / "zh.pdf", [
        ["Introduction"], ["我们提出了一种新的注意力机制。", "基于GPT的模型"]], font="china-s"))
    service.attach_pdf(OLD_KEY, _pdf(tmp_path / "ja.pdf", [["トランスフォーマーの注意機構"]],
                                     font="japan"))
    index.index_pending()
    assert _keys(papers, "pdf:注意力") == [ARXIV_KEY]  # a word in the middle of a run
    assert _keys(papers, 'pdf:"注意力机制"') == [ARXIV_KEY]
    assert _keys(papers, "pdf:注意機構") == [OLD_KEY]
    assert set(_keys(papers, "pdf:注意")) == {ARXIV_KEY, OLD_KEY}
    assert _keys(papers, "pdf:机构") == []
    assert _keys(papers, "pdf:模型") == [ARXIV_KEY]  # after a Latin word in the same run
    assert _keys(papers, 'pdf:"GPT的模型"') == [ARXIV_KEY]
    (match,) = index.matches(ARXIV_KEY, "pdf:注意力")
    assert match.page == 1
    assert f"{MARK_START}注意力{MARK_END}机制" in match.snippet  # read as written
    assert match.plain() == "我们提出了一种新的[注意力]机制。基于GPT的模型"


def test_cli_fulltext_json_counts_scans_and_missing_files(papers, service, index,
                                                          tmp_path: Path, capsys) -> None:
    service.attach_pdf(ARXIV_KEY, _pdf(tmp_path / "t.pdf", [["some text"]]))
    scan = pymupdf.open()
    page = scan.new_page()
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 40, 40), 0)
    pixmap.clear_with(180)
    page.insert_image(pymupdf.Rect(72, 72, 272, 272), pixmap=pixmap)
    scan.save(tmp_path / "scan.pdf")
    scan.close()
    service.attach_pdf(OLD_KEY, tmp_path / "scan.pdf")
    gone = service.attach_pdf(OLD_KEY, _pdf(tmp_path / "g.pdf", [["vanishes"]]))
    gone.unlink()
    papers.close()
    assert run(["fulltext", "--json"]) == 0
    captured = capsys.readouterr()
    figures = json.loads(captured.out)
    assert (figures["indexed_now"], figures["without_text_now"], figures["missing_now"],
            figures["failed_now"]) == (1, 1, 1, [])
    assert (figures["pdfs"], figures["without_text"], figures["pending"]) == (2, 1, 1)
    assert "Traceback" not in captured.err


def test_a_pdf_too_long_to_index_whole_is_named(papers, service, tmp_path: Path,
                                               capsys) -> None:
    from readinglist.pdf.fulltext import MAX_PAGES

    doc = pymupdf.open()
    for number in range(MAX_PAGES + 3):
        doc.new_page().insert_text((72, 72), f"page marker{number}", fontsize=10)
    doc.save(tmp_path / "book.pdf")
    doc.close()
    service.attach_pdf(ARXIV_KEY, tmp_path / "book.pdf")
    papers.close()
    assert run(["fulltext"]) == 0
    out = capsys.readouterr().out
    assert "indexed 1 PDF" in out
    assert f"{ARXIV_KEY}: only its first {MAX_PAGES} pages are searchable" in out
    assert run(["fulltext", "--rebuild", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert figures["cut_short_now"] == [
        f"{ARXIV_KEY}: only its first {MAX_PAGES} pages are searchable"]
    assert figures["pages"] == MAX_PAGES


def test_pdfs_indexed_before_cjk_tokens_are_read_again_once(service, index, papers,
                                                            tmp_path: Path) -> None:
    service.attach_pdf(ARXIV_KEY, _pdf(tmp_path / "zh.pdf", [["我们提出了一种新的注意力机制。"]],
                                       font="china-s"))
    service.attach_pdf(OLD_KEY, _pdf(tmp_path / "en.pdf", [["plain attention"]]))
    index.index_pending()
    with papers.store.transaction(write=True) as conn:  # as the previous format stored it
        rows = conn.exec_driver_sql("SELECT sha256, page, text FROM pdf_pages").all()
        conn.exec_driver_sql("DELETE FROM pdf_pages")  # the triggers keep the FTS index in step
        conn.exec_driver_sql("INSERT INTO pdf_pages (sha256, page, text) VALUES (?, ?, ?)",
                             [(sha, page, text.replace(" ", "") if "注" in text else text)
                              for sha, page, text in rows])
        conn.exec_driver_sql("DELETE FROM meta WHERE key = 'pdf_text.format'")
    assert _keys(papers, "pdf:注意力") == []
    report = index.index_pending()
    assert report.indexed == 1  # only the PDF with Chinese text was read again
    assert _keys(papers, "pdf:注意力") == [ARXIV_KEY]
    assert _keys(papers, "pdf:attention") == [OLD_KEY]
    assert index.index_pending().indexed == 0  # once
