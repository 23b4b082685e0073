"""Opening, validating, rendering and reading text of real generated PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.pdf import text
from readinglist.pdf.document import PDF_LOCK, open_document, validate
from readinglist.pdf.errors import PdfError
from readinglist.pdf.hashing import sha256_bytes, sha256_file
from readinglist.pdf.render import Renderer
from tests.pdf.pdfgen import make_corrupt, make_encrypted, make_truncated, make_zero_pages


def test_validate_reports_pages_outline_and_sizes(paper_pdf: Path) -> None:
    info = validate(paper_pdf)
    assert info.page_count == 5
    assert info.page_sizes[0] == (612.0, 792.0)
    titles = [(item.level, item.title, item.page) for item in info.outline]
    assert titles[:3] == [(1, "Introduction", 0), (1, "Section 2", 1), (2, "Details", 1)]


@pytest.mark.parametrize("maker, message", [
    (lambda p, src: make_corrupt(p), "damaged"),
    (lambda p, src: make_truncated(p, src), "truncated"),
    (lambda p, src: make_encrypted(p), "password-protected"),
    (lambda p, src: make_zero_pages(p), "no pages"),
    (lambda p, src: p.write_bytes(b"<html><body>Just a moment...</body></html>") and p,
     "not a PDF"),
    (lambda p, src: p.write_bytes(b"") and p, "empty"),
])
def test_broken_pdfs_raise_one_clear_error(tmp_path: Path, paper_pdf: Path, maker,
                                           message: str) -> None:
    broken = tmp_path / "broken.pdf"
    maker(broken, paper_pdf)
    with pytest.raises(PdfError) as caught:
        validate(broken)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(PdfError, match="missing"):
        validate(tmp_path / "nope.pdf")


def test_render_gives_rgb_pixels_and_dark_mode_darkens_paper(paper_pdf: Path) -> None:
    renderer = Renderer(paper_pdf)
    try:
        light = renderer.render(0, 1.0)
        dark = renderer.render(0, 1.0, dark=True)
    finally:
        renderer.close()
    assert (light.width, light.height) == (612, 792)
    assert len(light.samples) == light.stride * light.height
    assert light.samples[:3] == b"\xff\xff\xff"  # white paper in the corner
    assert max(dark.samples[:3]) < 60  # dark paper
    assert light.samples != dark.samples


def test_render_of_missing_page_raises(paper_pdf: Path) -> None:
    renderer = Renderer(paper_pdf)
    with pytest.raises(PdfError, match="page 9"):
        renderer.render(8, 1.0)
    renderer.close()


def test_search_finds_every_hit_with_quads(paper_pdf: Path) -> None:
    doc = open_document(paper_pdf)
    hits = list(text.search(doc, "needle"))
    assert [h.page for h in hits] == [1, 3, 3]
    x0, y0, x1, y1 = text.quad_rect(hits[0].quads[0])
    assert x1 > x0 and y1 > y0
    words = text.page_words(doc, 1)
    assert text.text_under_quads(words, hits[0].quads) == "needle"
    with PDF_LOCK:
        doc.close()


def test_selection_between_two_points_returns_text_and_line_quads(paper_pdf: Path) -> None:
    doc = open_document(paper_pdf)
    words = text.page_words(doc, 0)
    title = [w for w in words if w.text == "Study"][0]
    intro = [w for w in words if w.text == "Introduction"][0]
    chosen = text.select_words(words, (title.x0 + 1, title.y0 + 2), (intro.x1 - 1, intro.y1 - 2))
    assert text.words_text(chosen) == "Study of Synthetic Papers\nIntroduction"
    assert len(text.line_quads(chosen)) == 2
    with PDF_LOCK:
        doc.close()


def test_links_internal_and_external(paper_pdf: Path) -> None:
    doc = open_document(paper_pdf)
    links = text.page_links(doc, 0)
    assert {(link.page, link.uri) for link in links} == {(2, None),
                                                          (None, "https://example.org/project")}
    with PDF_LOCK:
        doc.close()


def test_hashes_match(tmp_path: Path) -> None:
    path = tmp_path / "x.bin"
    path.write_bytes(b"abc" * 1000)
    assert sha256_file(path) == sha256_bytes(b"abc" * 1000)
