"""Attaching PDFs, importing their annotations once, export to PDF and Markdown, round trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.pdf.annotations import read_annotations_from
from readinglist.pdf.errors import PdfError
from readinglist.pdf.hashing import sha256_file
from readinglist.services.library import Library
from readinglist.services.paths import library_paths
from readinglist.services.pdfs import PdfService
from tests.pdf.conftest import ARXIV_KEY, OLD_KEY
from tests.pdf.pdfgen import make_corrupt, make_encrypted


def test_attach_copies_into_cache_and_wins(service, paper_pdf: Path) -> None:
    path = service.attach_pdf(OLD_KEY, paper_pdf)
    assert path.read_bytes() == paper_pdf.read_bytes()
    assert path.parent == service.cache.root.resolve() and path.name.startswith("hep-th_9901001")
    info = service.pdf_for(OLD_KEY)
    assert info is not None and info.origin == "attached" and info.path == path
    assert info.sha256 == sha256_file(paper_pdf)
    assert service.cached(OLD_KEY) == path


@pytest.mark.parametrize("maker", [make_corrupt, make_encrypted])
def test_attaching_a_broken_pdf_is_refused_and_caches_nothing(service, tmp_path, maker) -> None:
    broken = maker(tmp_path / "broken.pdf")
    with pytest.raises(PdfError):
        service.attach_pdf(ARXIV_KEY, broken)
    assert not service.cache.root.exists() or list(service.cache.root.iterdir()) == []
    assert service.pdf_for(ARXIV_KEY) is None


def test_annotations_inside_a_pdf_are_imported_once_with_exact_text(service,
                                                                      annotated_pdf) -> None:
    path = service.attach_pdf(ARXIV_KEY, annotated_pdf)
    assert service.import_annotations_once(ARXIV_KEY, path) == 3
    assert service.import_annotations_once(ARXIV_KEY, path) == 0
    found = {(a.kind, a.page): a for a in service.library.annotations(ARXIV_KEY)}
    assert set(found) == {("highlight", 0), ("note", 1), ("underline", 1)}
    highlight = found[("highlight", 0)]
    assert (highlight.text, highlight.comment, highlight.color) == (
        "Introduction", "key section", "#66cc33")
    assert highlight.pdf_hash == sha256_file(path)
    assert found[("note", 1)].comment == "check this claim"
    assert found[("underline", 1)].text == "needle" and found[("underline", 1)].color == "#e51a1a"


def test_export_pdf_then_reimport_round_trips(service, paper_pdf, tmp_path, isolated_home) -> None:
    lib = service.library
    source = service.attach_pdf(ARXIV_KEY, paper_pdf)
    quad = (72.0, 88.0, 145.0, 88.0, 72.0, 104.0, 145.0, 104.0)
    hid = lib.add_annotation(ARXIV_KEY, "highlight", 0, [quad], "Introduction", "why it matters",
                             "#4fc3f7")
    lib.add_annotation(ARXIV_KEY, "underline", 3, [(72.0, 500.0, 200.0, 500.0, 72.0, 512.0,
                                                     200.0, 512.0)], "some words", "", "#e53935")
    lib.add_annotation(ARXIV_KEY, "note", 2, [(300.0, 300.0, 320.0, 300.0, 300.0, 320.0, 320.0,
                                               320.0)], "", "a sticky note\nwith two lines",
                       "#ffd400")
    gone = lib.add_annotation(ARXIV_KEY, "highlight", 1, [quad], "deleted one", "", "#ffd400")
    lib.delete_annotation(gone)
    out = service.export_pdf(ARXIV_KEY, tmp_path / "with-annotations.pdf")
    assert source.read_bytes() == paper_pdf.read_bytes()  # the cached copy is untouched
    inside = sorted(read_annotations_from(out), key=lambda a: a.page)
    assert [(a.kind, a.page, a.comment, a.color) for a in inside] == [
        ("highlight", 0, "why it matters", "#4fc3f7"), ("note", 2,
                                                        "a sticky note\nwith two lines", "#ffd400"),
        ("underline", 3, "", "#e53935")]
    assert inside[0].name == hid and inside[0].text == "Introduction"
    assert inside[0].quads[0] == pytest.approx(quad, abs=0.5)

    # a second machine without sync: a fresh library imports the exported PDF
    other_home = tmp_path / "other"
    other_paths = library_paths(other_home)
    other = Library(other_paths.database)
    try:
        from readinglist.core.models import PaperRecord

        other.merge_records([PaperRecord(key=ARXIV_KEY, title="Synthetic Attention",
                                         arxiv_id=ARXIV_KEY, version=2)])
        other_service = PdfService(other, other_paths)
        attached = other_service.attach_pdf(ARXIV_KEY, out)
        assert other_service.import_annotations_once(ARXIV_KEY, attached) == 3
        mine = {(a.id, a.kind, a.page, a.text, a.comment, a.color)
                for a in lib.annotations(ARXIV_KEY)}
        theirs = {(a.id, a.kind, a.page, a.text, a.comment, a.color)
                  for a in other.annotations(ARXIV_KEY)}
        # same ids, kinds, pages, comments, colours; the underline's text is the real words
        assert {t[:3] + t[4:] for t in mine} == {t[:3] + t[4:] for t in theirs}
    finally:
        other.close()

    # re-exporting an exported PDF does not duplicate annotations
    again = service.export_pdf(ARXIV_KEY, tmp_path / "again.pdf")
    assert len(read_annotations_from(again)) == 3


def test_reimporting_our_own_export_adds_nothing(service, paper_pdf, tmp_path) -> None:
    service.attach_pdf(ARXIV_KEY, paper_pdf)
    service.library.add_annotation(ARXIV_KEY, "highlight", 0, [(72, 88, 145, 88, 72, 104, 145,
                                                                104)], "Introduction")
    out = service.export_pdf(ARXIV_KEY, tmp_path / "out.pdf")
    attached = service.attach_pdf(ARXIV_KEY, out)
    assert service.import_annotations_once(ARXIV_KEY, attached) == 0
    assert len(service.library.annotations(ARXIV_KEY)) == 1


def test_export_refuses_to_overwrite_the_cache(service, paper_pdf) -> None:
    from readinglist.core.errors import InputError

    source = service.attach_pdf(ARXIV_KEY, paper_pdf)
    with pytest.raises(InputError, match="different file"):
        service.export_pdf(ARXIV_KEY, source)


def test_markdown_export_lists_highlights_comments_and_notes(service) -> None:
    lib = service.library
    lib.set_note(ARXIV_KEY, "Worth a second read.")
    lib.add_annotation(ARXIV_KEY, "highlight", 2, [(72, 300, 200, 300, 72, 312, 200, 312)],
                       "residual   network\nbenchmark", "compare with ours", "#a5d6a7")
    lib.add_annotation(ARXIV_KEY, "note", 0, [(10, 10, 30, 10, 10, 30, 30, 30)], "",
                       "read the appendix")
    lib.add_annotation(ARXIV_KEY, "underline", 2, [(72, 100, 200, 100, 72, 112, 200, 112)],
                       "token sequence")
    text = service.export_markdown(ARXIV_KEY)
    assert text.startswith("# Synthetic Attention\n")
    assert "Worth a second read." in text
    page1, page3 = text.index("### Page 1"), text.index("### Page 3")
    assert page1 < text.index("**Note:** read the appendix") < page3
    assert text.index("> token sequence _(underlined)_") < text.index(
        "> residual network benchmark")  # in reading order on the page
    assert "  - compare with ours" in text
