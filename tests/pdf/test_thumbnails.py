"""The viewer's Pages tab: page thumbnails, rendered lazily, that follow and steer the reader."""

from __future__ import annotations

from readinglist.services.pdfs import PdfService
from readinglist.ui.pdfviewer import open_paper
from tests.pdf.conftest import ARXIV_KEY
from tests.pdf.pdfgen import make_paper


def _window(qtbot, papers, paths, tmp_path, pages: int = 40):  # type: ignore[no-untyped-def]
    PdfService(papers, paths).attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=pages))
    window = open_paper(papers, paths, ARXIV_KEY)
    qtbot.addWidget(window)
    window.resize(1100, 700)
    qtbot.waitExposed(window)
    tab = window.current()
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.cached_pages() > 0, timeout=5000)
    return window, tab


def test_thumbnails_render_only_when_shown_and_only_near_the_view(qtbot, papers, paths,
                                                                 tmp_path) -> None:
    window, tab = _window(qtbot, papers, paths, tmp_path)
    thumbs = tab.thumbnails
    assert thumbs.count() == 40 and thumbs.item(7).text() == "8"
    qtbot.wait(100)
    assert thumbs.rendered == {}  # the Contents tab is in front: nothing rendered
    tab.sidebar.setCurrentWidget(thumbs)
    qtbot.waitUntil(lambda: 0 in thumbs.rendered and 1 in thumbs.rendered, timeout=5000)
    qtbot.wait(200)
    assert 39 not in thumbs.rendered  # far below the list's viewport
    image = thumbs.item(0).icon().pixmap(thumbs.iconSize()).toImage()
    assert any(image.pixelColor(x, y).lightness() < 200  # the page text is drawn
               for x in range(0, image.width(), 3) for y in range(0, image.height(), 3))
    thumbs.scrollToItem(thumbs.item(39))
    qtbot.waitUntil(lambda: 39 in thumbs.rendered, timeout=5000)
    window.close()


def test_clicking_a_thumbnail_goes_there_and_reading_moves_the_mark(qtbot, papers, paths,
                                                                   tmp_path) -> None:
    window, tab = _window(qtbot, papers, paths, tmp_path, pages=12)
    thumbs = tab.thumbnails
    tab.sidebar.setCurrentWidget(thumbs)
    assert thumbs.currentRow() == 0
    thumbs.itemClicked.emit(thumbs.item(6))  # a click on page 7
    qtbot.waitUntil(lambda: tab.view.current_page() == 6, timeout=3000)
    tab.back()  # Back returns from the jump
    qtbot.waitUntil(lambda: tab.view.current_page() == 0, timeout=3000)
    tab.go_to_page(9)
    qtbot.waitUntil(lambda: thumbs.currentRow() == 9, timeout=3000)
    window.close()


def test_dark_reading_mode_redraws_the_thumbnails(qtbot, papers, paths, tmp_path) -> None:
    window, tab = _window(qtbot, papers, paths, tmp_path, pages=4)
    thumbs = tab.thumbnails
    tab.sidebar.setCurrentWidget(thumbs)
    qtbot.waitUntil(lambda: thumbs.rendered.get(0) is False, timeout=5000)
    tab.set_dark(True)
    qtbot.waitUntil(lambda: thumbs.rendered.get(0) is True, timeout=5000)
    image = thumbs.item(0).icon().pixmap(thumbs.iconSize()).toImage()
    assert image.pixelColor(2, 2).lightness() < 80  # dark paper
    window.close()
