"""The viewer with pytest-qt: loading, navigation, zoom, search, selection, annotations, undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication

from readinglist.pdf.annotations import read_annotations_from
from readinglist.services.pdfs import PdfService
from readinglist.ui.pdfviewer import open_paper
from readinglist.ui.pdfviewer.document_tab import DocumentTab
from readinglist.ui.pdfviewer.page_view import MARGIN
from readinglist.ui.pdfviewer.viewer_window import ViewerWindow
from tests.helpers.httpserver import Response
from tests.pdf.conftest import ARXIV_KEY, DOI_KEY, OLD_KEY
from tests.pdf.pdfgen import make_corrupt, make_encrypted, make_paper, make_truncated


@pytest.fixture
def viewer(qtbot, papers, paths, tmp_path):  # type: ignore[no-untyped-def]
    """A window on a generated 8-page paper, shown and loaded."""
    PdfService(papers, paths).attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=8))
    window = open_paper(papers, paths, ARXIV_KEY)
    qtbot.addWidget(window)
    window.resize(1100, 800)
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=3000)
    tab = window.current()
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.cached_pages() > 0, timeout=5000)
    yield window, tab
    window.close()


def _point(tab: DocumentTab, page: int, x: float, y: float) -> QPoint:
    return tab.view.to_view(page, x, y).toPoint()


def _select(qtbot, tab: DocumentTab, first: str, last: str, page: int = 0) -> None:
    words = tab.view.words(page)
    a = next(w for w in words if w.text == first)
    b = next(w for w in words if w.text == last)
    viewport = tab.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=_point(tab, page, a.x0 + 1,
                                                                       (a.y0 + a.y1) / 2))
    qtbot.mouseMove(viewport, pos=_point(tab, page, (a.x0 + b.x1) / 2, (a.y1 + b.y0) / 2))
    qtbot.mouseMove(viewport, pos=_point(tab, page, b.x1 - 1, (b.y0 + b.y1) / 2))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton,
                       pos=_point(tab, page, b.x1 - 1, (b.y0 + b.y1) / 2))


def test_opens_with_outline_status_and_first_page(viewer) -> None:
    window, tab = viewer
    assert tab.info.page_count == 8
    assert tab.outline.topLevelItemCount() == 8
    assert tab.outline.topLevelItem(1).child(0).text(0) == "Details"
    assert window.status.text().startswith("Page 1 of 8")
    assert window.windowTitle().startswith("Synthetic Attention")
    first = tab.view._cache[tab.view._render_key(0)]
    assert first.width() == round(612 * tab.view.scale * tab.view.devicePixelRatioF())


def test_keyboard_navigation(viewer, qtbot) -> None:
    window, tab = viewer
    view = tab.view
    view.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.position()[0] == 1
    qtbot.keyClick(view, Qt.Key.Key_PageDown)
    assert view.position()[0] == 2
    qtbot.keyClick(view, Qt.Key.Key_PageUp)
    assert view.position()[0] == 1
    qtbot.keyClick(view, Qt.Key.Key_End)
    assert view.current_page() == 7
    qtbot.waitUntil(lambda: window.status.text().startswith("Page 8 of 8"))
    qtbot.keyClick(view, Qt.Key.Key_Home)
    assert view.position() == (0, 0.0)
    tab.go_to_page(4)
    assert view.position()[0] == 4


def test_outline_and_internal_link_with_back(viewer, qtbot) -> None:
    _window, tab = viewer
    view = tab.view
    item = tab.outline.topLevelItem(3)  # Section 4
    tab.outline.itemClicked.emit(item, 0)
    assert view.position()[0] == 3
    tab.go_to_page(0)
    link_point = _point(tab, 0, 100, 697)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=link_point)
    assert view.position()[0] == 2
    qtbot.keyClick(view, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert view.position()[0] == 0
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert view.position()[0] == 2


def _hover(tab: DocumentTab, page: int, x: float, y: float) -> None:
    """A mouse move without buttons (QTest's mouseMove sends none on the offscreen platform)."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    viewport = tab.view.viewport()
    local = QPointF(_point(tab, page, x, y))
    event = QMouseEvent(QEvent.Type.MouseMove, local, QPointF(viewport.mapToGlobal(
        local.toPoint())), Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(viewport, event)


def test_resting_on_an_internal_link_previews_its_target(viewer, qtbot) -> None:
    _window, tab = viewer
    view = tab.view
    tab.go_to_page(0)
    preview = view.link_preview
    _hover(tab, 0, 100, 697)  # the link to page 3
    assert preview.link is not None and preview.link.page == 2
    qtbot.waitUntil(preview.popup.isVisible, timeout=3000)
    shown = preview.popup.image.pixmap()
    assert not shown.isNull() and shown.width() > 300 and 100 < shown.height() < 600
    assert "page 3" in preview.popup.caption.text()
    assert view.position()[0] == 0  # only shown, not followed
    _hover(tab, 0, 300, 400)  # off the link
    assert not preview.popup.isVisible() and preview.link is None
    _hover(tab, 0, 200, 697)  # an external link
    assert preview.link is None
    _hover(tab, 0, 100, 697)
    qtbot.waitUntil(preview.popup.isVisible, timeout=3000)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=_point(tab, 0, 100, 697))
    assert not preview.popup.isVisible() and view.position()[0] == 2  # a click still jumps


def test_find_in_opens_at_a_page_with_the_words_marked(viewer, qtbot, papers, paths) -> None:
    window, tab = viewer
    window.find_in(ARXIV_KEY, "needle", 3)
    qtbot.waitUntil(lambda: len(tab.hits) == 3, timeout=5000)  # once on p. 2, twice on p. 4
    assert tab.search_bar.isVisible() and tab.search_edit.text() == "needle"
    assert tab.hits[tab.hit_index].page == 3 and tab.view.current_page() == 3
    # a paper not open yet: its saved reading position is restored first, then the find wins
    PdfService(papers, paths).attach_pdf(OLD_KEY, make_paper(tab.path.parent / "o.pdf", pages=6))
    papers.set_position(OLD_KEY, 5, 0.0)
    window.find_in(OLD_KEY, "needle", 1)
    other = window.current()
    qtbot.waitUntil(lambda: other is not tab and len(other.hits) == 3, timeout=5000)
    assert other.view.current_page() == 1


def test_external_link_opens_the_browser(viewer, qtbot) -> None:
    _window, tab = viewer
    opened: list[str] = []
    tab.open_external = opened.append
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=_point(tab, 0, 200, 697))
    assert opened == ["https://example.org/project"]


def test_zoom_keys_wheel_and_fits(viewer, qtbot) -> None:
    window, tab = viewer
    view = tab.view
    fit_width = (view.viewport().width() - 2 * MARGIN) / 612
    assert view.scale == pytest.approx(fit_width)
    qtbot.keyClick(view, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert view.scale == pytest.approx(fit_width * 1.2)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(view, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert view.scale == pytest.approx(fit_width / 1.2)
    qtbot.keyClick(view, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert view.scale == pytest.approx(fit_width)
    window.actions_by_name["fit_page"].trigger()
    assert view.scale == pytest.approx(min(fit_width, (view.viewport().height() - 24) / 792))
    before = view.scale
    from PySide6.QtCore import QPoint as P
    from PySide6.QtGui import QWheelEvent
    event = QWheelEvent(QPointF(200, 200), QPointF(view.mapToGlobal(P(200, 200))), P(0, 0),
                        P(0, 120), Qt.MouseButton.NoButton, Qt.KeyboardModifier.ControlModifier,
                        Qt.ScrollPhase.NoScrollPhase, False)
    QGuiApplication.sendEvent(view.viewport(), event)
    assert view.scale == pytest.approx(before * 1.2)
    # the new zoom level is rendered in the background
    qtbot.waitUntil(lambda: view._render_key(view.current_page()) in view._cache, timeout=5000)
    assert window.status.text().endswith(f"{round(view.scale * 72 / 96 * 100)}%")


def test_search_highlights_every_hit_and_steps(viewer, qtbot) -> None:
    window, tab = viewer
    window.actions_by_name["find"].trigger()
    assert tab.search_bar.isVisible()
    qtbot.keyClicks(tab.search_edit, "needle")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(tab.hits) == 3, timeout=5000)
    assert [h.page for h in tab.view.search_hits] == [1, 3, 3]
    assert tab.hit_index == 0 and tab.view.position()[0] == 1
    assert tab.search_label.text() == "1 of 3"
    qtbot.keyClick(tab.view, Qt.Key.Key_N)
    assert tab.hit_index == 1 and tab.view.current_page() == 3
    qtbot.keyClick(tab.view, Qt.Key.Key_F3)
    assert tab.hit_index == 2
    qtbot.keyClick(tab.view, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    assert tab.hit_index == 1
    qtbot.keyClick(tab.view, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert tab.hit_index == 0 and tab.search_label.text() == "1 of 3"
    tab.search("no such words")
    qtbot.waitUntil(lambda: tab.search_label.text() == "No matches", timeout=5000)
    assert tab.view.search_hits == []


def test_select_text_and_copy(viewer, qtbot) -> None:
    window, tab = viewer
    _select(qtbot, tab, "Study", "Introduction")
    assert tab.selection is not None
    assert tab.selection.text == "Study of Synthetic Papers\nIntroduction"
    assert len(tab.selection.quads) == 2
    QGuiApplication.clipboard().clear()
    qtbot.keyClick(tab.view, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert QGuiApplication.clipboard().text() == "Study of Synthetic Papers\nIntroduction"
    qtbot.keyClick(tab.view, Qt.Key.Key_Escape)
    assert tab.selection is None


def test_highlight_comment_delete_with_undo(viewer, qtbot, papers) -> None:
    window, tab = viewer
    _select(qtbot, tab, "Study", "Papers")
    qtbot.keyClick(tab.view, Qt.Key.Key_H)
    live = papers.annotations(ARXIV_KEY)
    assert [(a.kind, a.page, a.text, a.color) for a in live] == [
        ("highlight", 0, "Study of Synthetic Papers", "#ffd400")]
    ann_id = live[0].id
    assert live[0].pdf_hash == tab.sha256
    assert tab.annotation_list.count() == 1
    assert "Study of Synthetic Papers" in tab.annotation_list.item(0).text()

    tab.edit_comment(ann_id, "the title")
    assert papers.annotations(ARXIV_KEY)[0].comment == "the title"
    tab.edit_fields(ann_id, "Change colour", color="#5fb236")
    assert papers.annotations(ARXIV_KEY)[0].color == "#5fb236"
    undo, redo = window.actions_by_name["undo"], window.actions_by_name["redo"]
    undo.trigger()
    assert papers.annotations(ARXIV_KEY)[0].color == "#ffd400"
    undo.trigger()
    assert papers.annotations(ARXIV_KEY)[0].comment == ""
    redo.trigger()
    assert papers.annotations(ARXIV_KEY)[0].comment == "the title"

    tab.view.selected_annotation = ann_id
    qtbot.keyClick(tab.view, Qt.Key.Key_Delete)
    assert papers.annotations(ARXIV_KEY) == [] and tab.annotation_list.count() == 0
    qtbot.keyClick(tab.view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    restored = papers.annotations(ARXIV_KEY)
    assert [a.id for a in restored] == [ann_id] and restored[0].comment == "the title"
    undo.trigger()
    undo.trigger()
    undo.trigger()  # back to before the highlight existed
    assert papers.annotations(ARXIV_KEY) == []
    redo.trigger()
    assert [a.id for a in papers.annotations(ARXIV_KEY)] == [ann_id]


def test_underline_and_other_colours(viewer, qtbot, papers) -> None:
    window, tab = viewer
    _select(qtbot, tab, "Introduction", "Introduction")
    qtbot.keyClick(tab.view, Qt.Key.Key_U)
    _select(qtbot, tab, "Study", "Study")
    window.actions_by_name["highlight_blue"].trigger()
    found = {a.kind: a for a in papers.annotations(ARXIV_KEY)}
    assert found["underline"].text == "Introduction" and found["underline"].color == "#e53935"
    assert found["highlight"].text == "Study" and found["highlight"].color == "#2ea8e5"


def test_sticky_note_by_click_and_sidebar_jump(viewer, qtbot, papers) -> None:
    window, tab = viewer
    tab.go_to_page(2)
    tab.ask_text = lambda title, label, initial: "remember this"
    window.actions_by_name["note"].trigger()
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=_point(tab, 2, 300, 200))
    notes = papers.annotations(ARXIV_KEY)
    assert [(n.kind, n.page, n.comment) for n in notes] == [("note", 2, "remember this")]
    x0, y0 = notes[0].quads[0][:2]
    assert (x0, y0) == pytest.approx((290, 190), abs=1.5)
    tab.go_to_page(6)
    tab.annotation_list.itemClicked.emit(tab.annotation_list.item(0))
    assert tab.view.current_page() == 2 and tab.view.selected_annotation == notes[0].id
    # clicking the note on the page selects it too
    tab.view.selected_annotation = None
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton,
                     pos=_point(tab, 2, x0 + 5, y0 + 5))
    assert tab.view.selected_annotation == notes[0].id
    window.actions_by_name["undo"].trigger()
    assert papers.annotations(ARXIV_KEY) == []


def test_context_menu_offers_highlight_and_annotation_actions(viewer, qtbot, papers) -> None:
    _window, tab = viewer
    _select(qtbot, tab, "Study", "Papers")
    menu = tab.build_menu(0, 100, 100)
    texts = [a.text() for a in menu.actions()]
    assert texts[:2] == ["Copy", "Highlight"] and "Underline" in texts
    highlight_menu = menu.actions()[1].menu()
    next(a for a in highlight_menu.actions() if a.text() == "Green").trigger()
    ann = papers.annotations(ARXIV_KEY)[0]
    assert ann.color == "#5fb236"
    menu = tab.build_menu(0, 100, 100, ann.id)
    actions = {a.text(): a for a in menu.actions()}
    actions["Change to underline"].trigger()
    assert papers.annotations(ARXIV_KEY)[0].kind == "underline"
    actions["Delete"].trigger()
    assert papers.annotations(ARXIV_KEY) == []


def test_dark_mode_inverts_pages(viewer, qtbot) -> None:
    window, tab = viewer
    view = tab.view
    light = view._cache[view._render_key(0)].pixelColor(2, 2)
    qtbot.keyClick(view, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert view.dark and window.actions_by_name["dark"].isChecked()
    qtbot.waitUntil(lambda: view._render_key(0) in view._cache, timeout=5000)
    dark = view._cache[view._render_key(0)].pixelColor(2, 2)
    assert light.lightness() > 240 and dark.lightness() < 50
    image = view.grab().toImage()
    assert image.pixelColor(image.width() // 2, 5).lightness() < 60


def test_reading_position_is_saved_and_restored(viewer, qtbot, papers, paths) -> None:
    window, tab = viewer
    tab.view.set_position(5, 0.25)
    window.close_tab()
    saved = papers.position(ARXIV_KEY)
    assert (saved.page, saved.offset) == (5, pytest.approx(0.25, abs=0.01))
    window = open_paper(papers, paths, ARXIV_KEY)
    tab = window.current()
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.position()[0] == 5, timeout=5000)
    assert tab.view.position()[1] == pytest.approx(0.25, abs=0.01)
    window.close()


def test_several_papers_in_tabs_and_ctrl_w(viewer, qtbot, papers, paths, tmp_path) -> None:
    window, tab = viewer
    PdfService(papers, paths).attach_pdf(OLD_KEY, make_paper(tmp_path / "o.pdf", pages=3))
    assert open_paper(papers, paths, OLD_KEY) is window
    assert window.tabs.count() == 2
    assert open_paper(papers, paths, ARXIV_KEY) is window and window.tabs.count() == 2
    assert window.current() is tab
    qtbot.keyClick(tab.view, Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier)
    assert window.tabs.count() == 1 and window.current().key == OLD_KEY


@pytest.mark.parametrize("breaker, message", [
    (make_corrupt, "damaged"),
    (make_encrypted, "password-protected"),
    ("truncate", "truncated"),
])
def test_broken_cached_pdf_shows_a_message(qtbot, papers, paths, tmp_path, breaker,
                                           message) -> None:
    good = make_paper(tmp_path / "g.pdf", pages=3)
    cached = PdfService(papers, paths).attach_pdf(ARXIV_KEY, good)
    if breaker == "truncate":
        make_truncated(cached, good)
    else:
        breaker(cached)
    window = open_paper(papers, paths, ARXIV_KEY)
    qtbot.addWidget(window)
    tab = window.current()
    qtbot.waitUntil(lambda: bool(tab.error), timeout=5000)
    assert message in tab.error and tab.view is None
    assert message in tab.error_label.text()
    window.close()


def test_paper_without_pdf_link_explains_and_accepts_a_dropped_pdf(qtbot, papers, paths,
                                                                   tmp_path) -> None:
    from readinglist.core.models import PaperRecord

    papers.merge_records([PaperRecord(key="doi:10.9999/none", title="No PDF", doi="10.9999/none")])
    window = open_paper(papers, paths, "doi:10.9999/none")
    qtbot.addWidget(window)
    tab = window.current()
    qtbot.waitUntil(lambda: bool(tab.error), timeout=5000)
    assert "attach a local PDF" in tab.error
    dropped = make_paper(tmp_path / "dropped.pdf", pages=2)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(dropped))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime,
                       Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    qtbot.waitUntil(lambda: tab.view is not None, timeout=5000)
    assert tab.info.page_count == 2 and tab.error == ""
    window.close()


def test_download_runs_in_background_with_progress(qtbot, papers, paths, http_server,
                                                   monkeypatch, tmp_path) -> None:
    data = make_paper(tmp_path / "served.pdf", pages=30).read_bytes()
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", f"{http_server.url}/pdf")
    http_server.route(f"/pdf/{ARXIV_KEY}v2",
                      Response(200, data, {"Content-Type": "application/pdf"}, delay=0.3))
    window = open_paper(papers, paths, ARXIV_KEY)
    qtbot.addWidget(window)
    tab = window.current()
    assert tab.view is None  # the GUI thread did not wait for the network
    values: list[int] = []
    tab._progress.valueChanged.connect(values.append)
    qtbot.waitUntil(lambda: tab.view is not None, timeout=10000)
    assert values and values[-1] == 1000
    assert tab.path.read_bytes() == data and len(http_server.requests) == 1
    window.close()


def test_offline_download_error_in_viewer(qtbot, papers, paths, monkeypatch) -> None:
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", "http://127.0.0.1:9/pdf")
    window = open_paper(papers, paths, ARXIV_KEY)
    qtbot.addWidget(window)
    tab = window.current()
    qtbot.waitUntil(lambda: bool(tab.error), timeout=10000)
    assert "offline" in tab.error
    window.close()


def test_embedded_annotations_imported_on_first_open(qtbot, papers, paths, tmp_path) -> None:
    PdfService(papers, paths).attach_pdf(ARXIV_KEY, make_paper(tmp_path / "a.pdf", pages=3,
                                                                annotations=True))
    window = open_paper(papers, paths, ARXIV_KEY)
    qtbot.addWidget(window)
    tab = window.current()
    qtbot.waitUntil(lambda: tab.view is not None, timeout=5000)
    qtbot.waitUntil(lambda: tab.annotation_list.count() == 3, timeout=5000)
    assert {a.kind for a in tab.view.annotations} == {"highlight", "note", "underline"}
    window.close()


def test_save_pdf_with_annotations_and_markdown(viewer, qtbot, papers, tmp_path) -> None:
    window, tab = viewer
    _select(qtbot, tab, "Study", "Papers")
    tab.annotate_selection("highlight", "#a28ae5", comment="title words")
    out = tmp_path / "annotated.pdf"
    window.save_pdf(out)
    qtbot.waitUntil(out.exists, timeout=5000)
    inside = read_annotations_from(out)
    assert [(a.kind, a.text, a.comment, a.color) for a in inside] == [
        ("highlight", "Study of Synthetic Papers", "title words", "#a28ae5")]
    md = tmp_path / "notes.md"
    window.export_markdown(md)
    text = md.read_text(encoding="utf-8")
    assert "> Study of Synthetic Papers" in text and "title words" in text


def test_changes_from_elsewhere_refresh_the_view(viewer, qtbot, papers) -> None:
    _window, tab = viewer
    papers.add_annotation(ARXIV_KEY, "highlight", 1, [(72, 90, 200, 90, 72, 104, 200, 104)],
                          "synced in")
    qtbot.waitUntil(lambda: tab.annotation_list.count() == 1, timeout=3000)
    assert tab.view.annotations[0].text == "synced in"


def test_window_type(viewer) -> None:
    window, _tab = viewer
    assert isinstance(window, ViewerWindow) and DOI_KEY


def test_escape_clears_selection_then_closes_search(viewer, qtbot) -> None:
    window, tab = viewer
    window.actions_by_name["find"].trigger()
    _select(qtbot, tab, "Study", "Papers")
    tab.view.setFocus()
    qtbot.keyClick(tab.view, Qt.Key.Key_Escape)
    assert tab.selection is None and tab.search_bar.isVisible()
    qtbot.keyClick(tab.view, Qt.Key.Key_Escape)
    assert not tab.search_bar.isVisible()


def test_open_command_shows_the_viewer(qtbot, papers, paths, tmp_path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from readinglist.cli.main import run

    PdfService(papers, paths).attach_pdf(OLD_KEY, make_paper(tmp_path / "o.pdf", pages=4))
    seen: dict[str, object] = {}
    polls = []

    def check_and_quit() -> None:
        window = next(w for w in QApplication.topLevelWidgets()
                      if isinstance(w, ViewerWindow) and w.isVisible())
        tab = window.current()
        polls.append(1)
        # the jump to --page runs just after the first page is shown: wait for it (5 s at most)
        if (tab.view is None or tab.view.position()[0] != 2) and len(polls) < 100:
            QTimer.singleShot(50, check_and_quit)
            return
        seen.update(key=tab.key, page=tab.view.position()[0])
        window.close()
        QApplication.instance().quit()

    app = QApplication.instance()
    quit_on_close = app.quitOnLastWindowClosed()
    # closing the last window would post a Quit event that ends the next test's event loop
    app.setQuitOnLastWindowClosed(False)
    try:
        QTimer.singleShot(50, check_and_quit)
        assert run(["open", OLD_KEY, "--page", "3"]) == 0
    finally:
        app.setQuitOnLastWindowClosed(quit_on_close)
    assert seen == {"key": OLD_KEY, "page": 2}


def _reference_pdf(path) -> object:  # type: ignore[no-untyped-def]
    """A page citing an arXiv paper by link and two by id in the text."""
    import pymupdf

    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), "Project page and preprint.", fontsize=11)
    page.insert_text((72, 140), "[1] Synthetic Attention, arXiv:2406.05821.", fontsize=11)
    page.insert_text((72, 160), "[2] Something Else, arXiv:2502.00002v2.", fontsize=11)
    page.insert_link({"kind": pymupdf.LINK_URI, "from": pymupdf.Rect(72, 88, 200, 104),
                      "uri": "https://arxiv.org/abs/2501.00001v1"})
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def reference_viewer(qtbot, papers, paths, tmp_path, http_server, monkeypatch):  # type: ignore[no-untyped-def]
    from tests.helpers.httpserver import Request
    from tests.sources.wire import ATOM_TYPE, api_entry, api_feed

    def answer(request: Request) -> Response:
        ids = request.query["id_list"][0].split(",")
        return Response(200, api_feed([api_entry(i, 1, f"Cited paper {i}") for i in ids],
                                      query=""), ATOM_TYPE)

    http_server.route("/api/query", answer)
    monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{http_server.url}/api/query")
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", "http://127.0.0.1:9/pdf")
    PdfService(papers, paths).attach_pdf(OLD_KEY, _reference_pdf(tmp_path / "refs.pdf"))
    window = open_paper(papers, paths, OLD_KEY)
    qtbot.addWidget(window)
    window.resize(1000, 800)
    tab = window.current()
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.cached_pages() > 0, timeout=5000)
    yield window, tab
    window.close()


def test_an_arxiv_link_offers_to_add_the_paper(reference_viewer, qtbot, papers) -> None:
    _window, tab = reference_viewer
    opened_in_browser: list[str] = []
    tab.open_external = opened_in_browser.append
    opened_here: list[str] = []
    tab._open_in_viewer = opened_here.append
    messages: list[str] = []
    tab.statusChanged.connect(messages.append)
    qtbot.mouseClick(tab.view.viewport(), Qt.MouseButton.LeftButton, pos=_point(tab, 0, 100, 97))
    menu = tab.link_menu
    assert menu is not None and opened_in_browser == []  # a menu, not the browser at once
    actions = {a.text(): a for a in menu.actions()}
    assert list(actions) == ["Add arXiv:2501.00001 to the library",
                             "Add arXiv:2501.00001 and open it here",
                             "Open its abstract page in the browser",
                             "Open the link in the browser"]
    menu.close()
    actions["Open its abstract page in the browser"].trigger()
    assert opened_in_browser == ["https://arxiv.org/abs/2501.00001v1"]
    actions["Add arXiv:2501.00001 and open it here"].trigger()
    qtbot.waitUntil(lambda: opened_here == ["2501.00001"], timeout=10_000)
    assert papers.get("2501.00001").title == "Cited paper 2501.00001"
    assert "Added arXiv:2501.00001 to the library" in messages


def test_ids_in_a_selected_reference_list_are_offered(reference_viewer, qtbot) -> None:
    _window, tab = reference_viewer
    _select(qtbot, tab, "[1]", "arXiv:2502.00002v2.")
    assert tab.selection is not None and "2502.00002" in tab.selection.text
    menu = tab.build_menu(0, 100, 150)
    entries = {a.text(): a for a in menu.actions()}
    assert "arXiv:2406.05821" in entries and "arXiv:2502.00002" in entries
    known = [a.text() for a in entries["arXiv:2406.05821"].menu().actions()]
    assert known == ["Open “Synthetic Attention” here", "Open its abstract page in the browser"]
    unknown = [a.text() for a in entries["arXiv:2502.00002"].menu().actions()]
    assert unknown[0] == "Add arXiv:2502.00002 to the library"


def test_quick_open_finds_a_paper_and_opens_it_in_a_tab(viewer, qtbot, papers,
                                                        monkeypatch) -> None:
    from readinglist.ui.pdfviewer.quick_open import QuickOpenDialog

    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", "http://127.0.0.1:9/pdf")  # no network
    window, _tab = viewer
    papers.set_position(ARXIV_KEY, 3, 0.0)  # being read
    dialog = QuickOpenDialog(papers, window)
    qtbot.addWidget(dialog)
    assert dialog.hint.text() == "Papers you are reading"
    assert [dialog.matches.item(r).data(Qt.ItemDataRole.UserRole)
            for r in range(dialog.matches.count())] == [ARXIV_KEY]
    dialog.field.setText("old style")
    qtbot.waitUntil(lambda: dialog.matches.count() == 1 and dialog.matches.item(0).data(
        Qt.ItemDataRole.UserRole) == OLD_KEY, timeout=3000)
    assert dialog.matches.item(0).text().startswith("Old Style Strings")
    dialog.field.setText("zzzz")
    dialog.accept()  # Enter right after typing: nothing matches, the dialog stays
    assert dialog.hint.text() == "No paper matches" and dialog.chosen is None
    dialog.field.setText("journal paper")
    dialog.accept()
    assert dialog.chosen == DOI_KEY
    window.make_quick_open = lambda: type("Picked", (), {"exec": lambda self: 1,
                                                         "chosen": OLD_KEY})()
    window.quick_open()
    assert window.current().key == OLD_KEY and window.tabs.count() == 2


def test_f1_lists_the_viewer_keys(viewer, qtbot) -> None:
    window, _tab = viewer
    window.actions_by_name["shortcuts"].trigger()
    dialog = window.shortcuts_dialog
    qtbot.addWidget(dialog)
    text = dialog.findChildren(type(window.status))[0].text()
    for keys, words in (("Ctrl+O", "Open another paper"), ("Ctrl+G", "Go to page"),
                        ("H", "Highlight the selection in yellow"), ("Ctrl+D", "Dark reading"),
                        ("Alt+Left", "Back")):
        assert f"<b>{keys}" in text and words in text
