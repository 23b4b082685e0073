"""Viewer regressions found in an audit: real PDFs, the real viewer, a real library."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor

from readinglist.services.pdfs import PdfService
from readinglist.ui.pdfviewer import open_paper
from readinglist.ui.pdfviewer.document_tab import DocumentTab
from tests.pdf.conftest import ARXIV_KEY
from tests.pdf.pdfgen import make_paper


def _open(qtbot, papers, paths, pdf: Path, key: str = ARXIV_KEY):  # type: ignore[no-untyped-def]
    """The viewer on ``pdf`` attached to ``key``, shown, with its first page rendered."""
    PdfService(papers, paths).attach_pdf(key, pdf)
    window = open_paper(papers, paths, key)
    qtbot.addWidget(window)
    window.resize(1100, 800)
    qtbot.waitExposed(window)
    tab = window.current()
    qtbot.waitUntil(lambda: tab.view is not None and tab.view._render_key(
        tab.view.current_page()) in tab.view._cache, timeout=5000)
    return window, tab


def _point(tab: DocumentTab, page: int, x: float, y: float) -> QPoint:
    return tab.view.to_view(page, x, y).toPoint()


def _drag(qtbot, tab: DocumentTab, page: int,  # type: ignore[no-untyped-def]
          start: tuple[float, float], end: QPoint) -> None:
    """Press at ``start`` (PDF coordinates on ``page``), drag to ``end`` and release there."""
    viewport = tab.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_point(tab, page, *start))
    qtbot.mouseMove(viewport, pos=end)
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=end)


def _word(tab: DocumentTab, page: int, text: str):  # type: ignore[no-untyped-def]
    return next(w for w in tab.view.words(page) if w.text == text)


def _pixels(tab: DocumentTab, page: int,
            box: tuple[float, float, float, float]) -> list[QColor]:
    """The colours on screen inside a box given in PDF coordinates."""
    view = tab.view
    shot = view.viewport().grab().toImage()
    a, b = view.to_view(page, box[0], box[1]), view.to_view(page, box[2], box[3])
    left, right = sorted((int(a.x()), int(b.x())))
    top, bottom = sorted((int(a.y()), int(b.y())))
    return [shot.pixelColor(x, y) for x in range(left + 1, right) for y in range(top + 1, bottom)]


def _yellow_pixels(tab: DocumentTab, page: int, box: tuple[float, float, float, float]) -> int:
    """How many pixels of a box show yellow paper (a highlight)."""
    return sum(1 for c in _pixels(tab, page, box) if c.red() > 200 and c.blue() < 140)


def _ink_pixels(tab: DocumentTab, page: int, box: tuple[float, float, float, float]) -> int:
    """How many pixels of a box show dark ink (text)."""
    return sum(1 for c in _pixels(tab, page, box) if c.lightness() < 100)


def _rotated_pdf(path: Path, rotation: int) -> Path:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for i in range(12):
        page.insert_text((72, 100 + 20 * i), f"Row{i} alpha beta gamma delta", fontsize=12)
    page.set_rotation(rotation)
    doc.save(path)
    doc.close()
    return path


@pytest.mark.parametrize("rotation", [90, 180, 270])
def test_rotated_page_is_shown_turned_with_highlights_and_selection_on_the_words(
        qtbot, papers, paths, tmp_path, rotation) -> None:
    window, tab = _open(qtbot, papers, paths, _rotated_pdf(tmp_path / "r.pdf", rotation))
    view = tab.view
    window.actions_by_name["fit_page"].trigger()  # all of the page on screen
    qtbot.waitUntil(lambda: view._render_key(0) in view._cache)
    image = view._cache[view._render_key(0)]
    rect = view.page_rect(0)
    # the page is drawn with the proportions it is rendered with (not squeezed)
    assert image.width() / image.height() == pytest.approx(rect.width() / rect.height(),
                                                           rel=0.01)
    # the words are on screen where the viewer thinks they are
    first = _word(tab, 0, "Row3")
    assert _ink_pixels(tab, 0, (first.x0, first.y0, first.x1, first.y1)) > 10
    # dragging over a row selects its words
    row3 = [w for w in view.words(0) if w.line == first.line and w.block == first.block]
    last = row3[-1]
    _drag(qtbot, tab, 0, ((first.x0 + first.x1) / 2, (first.y0 + first.y1) / 2),
          _point(tab, 0, (last.x0 + last.x1) / 2, (last.y0 + last.y1) / 2))
    assert tab.selection is not None and tab.selection.text == "Row3 alpha beta gamma delta"
    qtbot.keyClick(view, Qt.Key.Key_H)
    qtbot.waitUntil(lambda: view._render_key(0) in view._cache)
    assert _yellow_pixels(tab, 0, (first.x0, first.y0, first.x1, first.y1)) > 20
    other = _word(tab, 0, "Row9")
    assert _yellow_pixels(tab, 0, (other.x0, other.y0, other.x1, other.y1)) == 0
    centre = _point(tab, 0, (first.x0 + first.x1) / 2, (first.y0 + first.y1) / 2)
    # a click on the highlight selects it
    tab.view.selected_annotation = None
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=centre)
    assert view.selected_annotation == papers.annotations(ARXIV_KEY)[0].id


def test_dragging_onto_the_next_page_selects_to_the_end_of_the_page(qtbot, papers, paths,
                                                                    tmp_path) -> None:
    window, tab = _open(qtbot, papers, paths, make_paper(tmp_path / "p.pdf", pages=3))
    view = tab.view
    window.actions_by_name["fit_page"].trigger()  # page 1 and the top of page 2 on screen
    words = view.words(0)
    start = words[40]  # on the fourth line of the body
    below = view.to_view(1, 100, 30).toPoint()  # the top of the next page
    assert view.to_page(below)[0] == 1
    _drag(qtbot, tab, 0, ((start.x0 + start.x1) / 2, (start.y0 + start.y1) / 2), below)
    assert tab.selection is not None and tab.selection.page == 0
    assert tab.selection.text.startswith(start.text)
    assert tab.selection.text.endswith("See section three. Project page.")
    # and onto the previous page: from the start of the page
    view.go_to_page(1)
    view.verticalScrollBar().setValue(view.verticalScrollBar().value() - 60)
    start = view.words(1)[20]
    above = view.to_view(0, 100, 780).toPoint()
    assert above.y() > 0 and view.to_page(above)[0] == 0
    _drag(qtbot, tab, 1, ((start.x0 + start.x1) / 2, (start.y0 + start.y1) / 2), above)
    assert tab.selection.page == 1 and tab.selection.text.startswith("Section 2")


def test_a_huge_page_zoomed_in_is_rendered_within_a_memory_bound(qtbot, papers, paths,
                                                                 tmp_path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=14400)  # a long poster / web page printout
    page.insert_text((72, 72), "the top of a very long page", fontsize=12)
    doc.save(tmp_path / "long.pdf")
    doc.close()
    window, tab = _open(qtbot, papers, paths, tmp_path / "long.pdf")
    view = tab.view
    for _ in range(12):  # to 800 %: MuPDF refuses a 4896 x 115200 pixel image
        window.actions_by_name["zoom_in"].trigger()
    assert view.scale == 8.0
    qtbot.waitUntil(lambda: view._render_key(0) in view._cache, timeout=10_000)
    image = view._cache[view._render_key(0)]
    assert image.sizeInBytes() <= 100 * 2**20  # not the 1.7 GB that 8x would take
    assert view.cache_bytes() <= 300 * 2**20
    view.horizontalScrollBar().setValue(0)
    view.verticalScrollBar().setValue(0)
    shot = view.viewport().grab().toImage()  # its text is drawn, not the "Page 1" placeholder
    assert any(shot.pixelColor(x, y).lightness() < 100
               for x in range(0, shot.width(), 2) for y in range(0, shot.height(), 2))


def _chars_rect(page: pymupdf.Page, text: str) -> pymupdf.Rect:
    """The box of ``text`` (within one line) to the character, as other readers highlight."""
    chars = [c for b in page.get_text("rawdict")["blocks"] for ln in b.get("lines", ())
             for s in ln["spans"] for c in s["chars"]]
    joined = "".join(c["c"] for c in chars)
    start = joined.index(text)
    return (pymupdf.Rect(chars[start]["bbox"])
            | pymupdf.Rect(chars[start + len(text) - 1]["bbox"]))


def test_other_programs_highlights_are_imported_with_their_exact_text(qtbot, papers, paths,
                                                                      tmp_path) -> None:
    pdf = make_paper(tmp_path / "theirs.pdf", pages=5)
    doc = pymupdf.open(pdf)
    page = doc[3]  # "A needle and another needle on this page."
    for quad in page.search_for("needle", quads=True):  # the same word highlighted twice
        page.add_highlight_annot(quad).update()
    page = doc[0]
    part = page.add_highlight_annot(_chars_rect(page, "dy of Synth"))  # inside two words
    part.set_colors(stroke=(0.2, 0.6, 0.9))
    part.update()
    doc.save(tmp_path / "annotated.pdf")
    doc.close()
    _window, tab = _open(qtbot, papers, paths, tmp_path / "annotated.pdf")
    qtbot.waitUntil(lambda: tab.annotation_list.count() == 3, timeout=5000)
    found = sorted((a.page, a.text, round(a.quads[0][0])) for a in papers.annotations(ARXIV_KEY))
    assert [(p, t) for p, t, _x in found] == [(0, "dy of Synth"), (3, "needle"),
                                             (3, "needle")]
    assert found[1][2] != found[2][2]  # two places, not one
    # another copy of the file (other bytes, the same highlights) adds nothing twice
    doc = pymupdf.open(tmp_path / "annotated.pdf")
    doc.set_metadata({"title": "a copy"})
    doc.save(tmp_path / "copy.pdf")
    doc.close()
    assert PdfService(papers, paths).import_annotations_once(ARXIV_KEY,
                                                             tmp_path / "copy.pdf") == 0
    assert len(papers.annotations(ARXIV_KEY)) == 3


def test_find_joins_hyphenated_words_and_counts_a_match_over_two_lines_once(
        qtbot, papers, paths, tmp_path) -> None:
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    for i, line in enumerate(["We propose a new atten-", "tion mechanism for key value",
                              "cache compression. Attention is all."]):
        page.insert_text((72, 100 + 14 * i), line, fontsize=10)
    doc.save(tmp_path / "h.pdf")
    doc.close()
    window, tab = _open(qtbot, papers, paths, tmp_path / "h.pdf")
    tab.search("attention")
    qtbot.waitUntil(lambda: tab.search_label.text() not in ("", "Searching…"), timeout=5000)
    assert tab.search_label.text() == "1 of 2"  # "atten-/tion" and "Attention"
    first = tab.hits[0]
    assert len(first.quads) == 2  # both halves of the broken word are marked
    words = tab.view.words(0)
    assert [w.text for w in words if any(
        abs((w.y0 + w.y1) / 2 - (q[1] + q[7]) / 2) < 3 and q[0] - 1 <= w.x0 <= q[2] + 1
        for q in first.quads)] == ["atten-", "tion"]
    tab.search("key value cache")
    qtbot.waitUntil(lambda: tab.search_label.text() not in ("", "Searching…"), timeout=5000)
    assert tab.search_label.text() == "1 of 1"
    assert len(tab.hits[0].quads) == 2
    window.actions_by_name["next_hit"].trigger()  # wraps to the same, only, match
    assert tab.hit_index == 0


def test_cancel_answers_at_once_while_the_server_has_not_answered(qtbot, papers, paths,
                                                                  http_server, monkeypatch,
                                                                  tmp_path) -> None:
    """Cancel stops the download and says so at once, even before the server answers; the
    stalled answer, when it comes, is dropped and nothing is cached."""
    import time

    from PySide6.QtWidgets import QPushButton

    from tests.helpers.httpserver import Response

    data = make_paper(tmp_path / "served.pdf", pages=3).read_bytes()
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", f"{http_server.url}/pdf")
    http_server.route(f"/pdf/{ARXIV_KEY}v2",  # stalls before any byte of the answer
                      Response(200, data, {"Content-Type": "application/pdf"}, delay=4.0))
    window = open_paper(papers, paths, ARXIV_KEY)
    qtbot.addWidget(window)
    tab = window.current()
    qtbot.waitUntil(lambda: len(http_server.requests) == 1, timeout=5000)
    cancel = next(b for b in tab.findChildren(QPushButton) if b.text() == "Cancel")
    started = time.monotonic()
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert tab.error == "The download was cancelled." and tab.view is None
    assert time.monotonic() - started < 1.0
    qtbot.wait(4500)  # the stalled answer arrives: it is dropped, the tab stays cancelled
    assert tab.view is None and tab.error == "The download was cancelled."
    assert PdfService(papers, paths).cached(ARXIV_KEY) is None
    window.close()
