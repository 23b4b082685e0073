"""Full-text search in PDFs: reading real generated PDFs, the index, pdf: searches, the CLI."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pymupdf
import pytest

from readinglist.cli.main import run
from readinglist.pdf.errors import PdfError
from readinglist.pdf.fulltext import MAX_PAGE_CHARS, extract_text, page_text
from readinglist.services.fulltext import FullTextIndex
from readinglist.storage.pdf_text import MARK_END, MARK_START
from tests.pdf.conftest import ARXIV_KEY, DOI_KEY, OLD_KEY
from tests.pdf.pdfgen import make_corrupt, make_paper


def _text_pdf(path: Path, pages: list[list[str]]) -> Path:
    """A PDF whose pages hold these lines of text."""
    doc = pymupdf.open()
    for lines in pages:
        page = doc.new_page(width=612, height=792)
        for number, line in enumerate(lines):
            page.insert_text((72, 72 + 14 * number), line, fontsize=10)
    doc.save(path)
    doc.close()
    return path


def _scan_pdf(path: Path) -> Path:
    """A page with only a picture on it (a scan without a text layer)."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    pixmap = pymupdf.Pixmap(pymupdf.csRGB, pymupdf.IRect(0, 0, 60, 40), 0)
    pixmap.clear_with(200)
    page.insert_image(pymupdf.Rect(72, 72, 372, 272), pixmap=pixmap)
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def index(service) -> FullTextIndex:  # type: ignore[no-untyped-def]
    return FullTextIndex(service.library, service.cache)


def test_extract_text_reads_every_page_and_joins_hyphenated_lines(tmp_path: Path) -> None:
    path = _text_pdf(tmp_path / "t.pdf", [
        ["Scaling laws for trans-", "former language models"],
        [],
        ["Results   with   the   final   model"],
    ])
    text = extract_text(path)
    assert len(text.pages) == 3 and text.has_text and not text.truncated
    assert "transformer language models" in text.pages[0]
    assert text.pages[1] == ""
    assert text.pages[2] == "Results with the final model"  # spaces collapsed


def test_page_text_folds_ligatures_and_keeps_real_hyphens() -> None:
    assert page_text("the ﬁnal ﬂow  of\n\tthe\u00a0day") == "the final flow of the day"
    assert page_text("a self-\nSupervised and a trans-\n  former") == (
        "a self- Supervised and a transformer")
    assert page_text("x" * (MAX_PAGE_CHARS + 10)) == "x" * MAX_PAGE_CHARS


def test_extract_text_of_a_damaged_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="damaged"):
        extract_text(make_corrupt(tmp_path / "bad.pdf"))


def test_an_attached_pdf_is_found_by_its_text_with_pages_and_snippets(
        service, index, papers, tmp_path: Path) -> None:
    service.attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=5))
    service.attach_pdf(OLD_KEY, _text_pdf(tmp_path / "o.pdf", [["nothing to see"]]))
    assert index.index_pending().indexed == 2
    assert [p.key for p in papers.list(view="all", query="pdf:needle")] == [ARXIV_KEY]
    assert [p.key for p in papers.list(view="all", query='pdf:"another needle"')] == [ARXIV_KEY]
    assert papers.list(view="all", query='pdf:"needle another"') == []  # a phrase, in order
    assert papers.list(view="all", query="pdf:neither") == []
    assert [p.key for p in papers.list(view="all", query="pdf:nee")] == [ARXIV_KEY]  # prefix
    # pdf: terms combine with the rest of the search language
    assert papers.list(view="all", query="pdf:needle is:starred") == []
    assert [p.key for p in papers.list(view="all", query="pdf:needle synthetic")] == [ARXIV_KEY]
    assert [p.key for p in papers.list(view="all", query="pdf:nothing")] == [OLD_KEY]
    matches = index.matches(ARXIV_KEY, "pdf:needle")
    assert [m.page for m in matches] == [1, 3]  # 0-based: pages 2 and 4
    assert f"{MARK_START}needle{MARK_END}" in matches[0].snippet
    assert "[needle]" in matches[1].plain()
    assert index.matches(ARXIV_KEY, "needle") == []  # no pdf: terms, no page matches


def test_pending_pdfs_are_read_once_and_failures_are_remembered(
        service, index, papers, tmp_path: Path) -> None:
    service.attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=2))
    service.attach_pdf(OLD_KEY, _scan_pdf(tmp_path / "scan.pdf"))
    broken = service.cache.path("broken.pdf")
    make_corrupt(broken)
    with papers.store.transaction(write=True) as conn:  # a registered file damaged since
        conn.exec_driver_sql(
            "INSERT INTO pdf_files (sha256, paper_key, version, path, size, origin, url, "
            "created) VALUES ('f' || hex(randomblob(31)), ?, NULL, 'broken.pdf', 1, "
            "'attached', NULL, '2026-11-27T00:00:00+00:00')", (DOI_KEY,))
        conn.exec_driver_sql(
            "INSERT INTO pdf_files (sha256, paper_key, version, path, size, origin, url, "
            "created) VALUES ('e' || hex(randomblob(31)), ?, NULL, 'gone.pdf', 1, "
            "'attached', NULL, '2026-11-27T00:00:00+00:00')", (DOI_KEY,))
    report = index.index_pending()
    assert (report.indexed, report.without_text, report.missing) == (1, 1, 1)
    assert len(report.failed) == 1 and report.failed[0].startswith(f"{DOI_KEY}: ")
    assert "damaged" in report.failed[0]
    stats = index.stats()
    assert (stats.pdfs, stats.without_text, stats.unreadable, stats.pending) == (2, 1, 1, 1)
    again = index.index_pending()  # only the missing file is still pending: nothing re-read
    assert (again.indexed, again.failed, again.missing) == (0, (), 1)
    rebuilt = index.rebuild()
    assert (rebuilt.indexed, rebuilt.without_text, len(rebuilt.failed)) == (1, 1, 1)
    assert [p.key for p in papers.list(view="all", query="pdf:needle")] == [ARXIV_KEY]


def test_a_stopped_run_writes_nothing_half_done(service, index, papers, tmp_path: Path) -> None:
    service.attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=3))
    report = index.index_pending(cancelled=lambda: True)
    assert report.cancelled and report.indexed == 0
    assert index.stats().pending == 1
    assert papers.list(view="all", query="pdf:needle") == []


def test_indexing_notifies_listeners(service, index, papers, tmp_path: Path) -> None:
    seen = []
    papers.subscribe(seen.append)
    path = service.attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=2))
    assert index.index_paper(ARXIV_KEY, path) is True
    assert seen[-1].pdf_text and seen[-1].paper_keys == {ARXIV_KEY}
    assert index.index_paper(ARXIV_KEY, path) is True  # already indexed: not read again
    assert len([c for c in seen if c.pdf_text]) == 1


def test_cli_fulltext_and_list_with_pdf_matches(papers, service, tmp_path: Path,
                                                capsys) -> None:
    papers.close()
    assert run(["pdf", ARXIV_KEY, "--attach", str(make_paper(tmp_path / "p.pdf", pages=5))]) == 0
    capsys.readouterr()
    # `pdf` indexed the attached file at once
    assert run(["list", "--view", "all", "--search", "pdf:needle", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [p["arxiv_id"] for p in listed] == [ARXIV_KEY]
    assert [m["page"] for m in listed[0]["pdf_matches"]] == [2, 4]
    assert "[needle]" in listed[0]["pdf_matches"][0]["text"]
    assert run(["list", "--view", "all", "--search", "pdf:needle"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert ARXIV_KEY in lines[0] and lines[1].startswith("    p. 2: ")
    assert run(["list", "--view", "all", "--json"]) == 0  # no pdf: search, no extra field
    assert "pdf_matches" not in json.loads(capsys.readouterr().out)[0]
    # a PDF registered without indexing (an older version of the app) is picked up by fulltext
    with sqlite3.connect(papers.store.path) as conn:
        conn.execute("DELETE FROM pdf_text_state")
        conn.execute("DELETE FROM pdf_pages")
    assert run(["fulltext"]) == 0
    out = capsys.readouterr().out
    assert "indexed 1 PDF" in out and "searchable: 1 PDFs, 5 pages" in out
    assert run(["fulltext", "--json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    assert (figures["pdfs"], figures["pages"], figures["pending"], figures["indexed_now"]) == (
        1, 5, 0, 0)
    assert run(["fulltext", "--rebuild"]) == 0
    assert "indexed 1 PDF" in capsys.readouterr().out


def test_cli_fulltext_names_an_unreadable_pdf_and_exits_1_once(papers, service,
                                                               capsys) -> None:
    service.cache.ensure()
    make_corrupt(service.cache.path("broken.pdf"))
    with papers.store.transaction(write=True) as conn:
        conn.exec_driver_sql(
            "INSERT INTO pdf_files (sha256, paper_key, version, path, size, origin, url, "
            "created) VALUES (?, ?, NULL, 'broken.pdf', 1, 'attached', NULL, "
            "'2026-11-27T00:00:00+00:00')", ("a" * 64, DOI_KEY))
    papers.close()
    assert run(["fulltext"]) == 1
    captured = capsys.readouterr()
    assert f"could not read {DOI_KEY}: " in captured.out and "Traceback" not in captured.err
    assert run(["fulltext"]) == 0  # remembered: not read again
    assert "searchable: 0 PDFs" in capsys.readouterr().out


def test_matches_for_many_papers_keep_each_papers_own_pages(service, index, papers,
                                                            tmp_path: Path) -> None:
    from readinglist.storage.pdf_text import papers_page_matches

    service.attach_pdf(ARXIV_KEY, make_paper(tmp_path / "a.pdf", pages=5))
    service.attach_pdf(OLD_KEY, _text_pdf(tmp_path / "b.pdf", [["no"], ["no"], ["one needle"]]))
    service.attach_pdf(DOI_KEY, _text_pdf(tmp_path / "c.pdf", [["nothing here"]]))
    index.index_pending()
    with papers.store.transaction() as conn:
        found = papers_page_matches(conn, [ARXIV_KEY, OLD_KEY, DOI_KEY], '"needle"')
    assert {key: [m.page for m in pages] for key, pages in found.items()} == {
        ARXIV_KEY: [1, 3], OLD_KEY: [2]}
    assert [m.page for m in index.matches(OLD_KEY, "pdf:needle")] == [2]
    assert index.matches(DOI_KEY, "pdf:needle") == []
