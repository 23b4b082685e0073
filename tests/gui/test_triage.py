"""Keyboard triage on the real window: moving, read/star/archive/tag, bulk, undo and redo."""

from __future__ import annotations

from readinglist.ui.qt import QApplication, Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    qtbot.keyClick(window.view.table, key, modifier)


def current_key(window):
    row = window.papers.current_row()
    return row.key if row else None


def flags(library, key):
    paper = library.get(key)
    return paper.read, paper.starred, paper.archived


def test_start_focuses_the_list_with_the_first_inbox_paper_selected(qtbot, make_window,
                                                                       library):
    add_papers(library, 30)
    window = make_window()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.view.table, timeout=5000)
    assert window.papers.state.entry.label == "Inbox"
    assert window.papers.current_position() == 0
    first = window.papers.model.row_at(0)
    qtbot.waitUntil(lambda: window.view.detail.title.text() == first.title, timeout=5000)
    assert "∞" in window.view.detail.abstract.text()  # TeX shown readably, as plain text


def test_j_k_move_and_m_s_toggle_with_undo_redo(qtbot, make_window, library):
    add_papers(library, 10)
    window = make_window()
    ordered = [window.papers.model.row_at(p).key for p in range(3)]
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_J)
    assert current_key(window) == ordered[2]
    press(qtbot, window, Qt.Key.Key_K)
    assert current_key(window) == ordered[1]
    press(qtbot, window, Qt.Key.Key_Down)
    assert current_key(window) == ordered[2]
    press(qtbot, window, Qt.Key.Key_Up)

    press(qtbot, window, Qt.Key.Key_M)
    assert window.papers.current_row().read  # optimistic, before the write lands
    press(qtbot, window, Qt.Key.Key_S)
    idle(qtbot, window)
    assert flags(library, ordered[1]) == (True, True, False)

    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, window)
    assert flags(library, ordered[1]) == (True, False, False)
    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, window)
    assert flags(library, ordered[1]) == (False, False, False)
    assert not window.papers.current_row().read
    qtbot.keyClick(window.view.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    idle(qtbot, window)
    assert flags(library, ordered[1]) == (True, False, False)


def test_e_archives_and_advances_and_undo_brings_the_paper_back(qtbot, make_window, library):
    add_papers(library, 6)
    window = make_window()
    keys = [window.papers.model.row_at(p).key for p in range(6)]
    press(qtbot, window, Qt.Key.Key_J)
    press(qtbot, window, Qt.Key.Key_E)
    assert current_key(window) == keys[2]  # advanced to the next paper
    assert window.papers.model.rowCount() == 5
    idle(qtbot, window)
    assert library.get(keys[1]).archived
    assert library.count(library.make_filter("inbox")) == 5

    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.papers.model.rowCount() == 6, timeout=5000)
    idle(qtbot, window)
    assert not library.get(keys[1]).archived
    assert current_key(window) == keys[1]  # the restored paper is selected again


def test_multi_selection_star_and_archive(qtbot, make_window, library):
    add_papers(library, 8)
    window = make_window()
    keys = [window.papers.model.row_at(p).key for p in range(8)]
    press(qtbot, window, Qt.Key.Key_J)
    qtbot.keyClick(window.view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    assert len(window.papers.selected_ids()) == 3
    press(qtbot, window, Qt.Key.Key_S)
    idle(qtbot, window)
    assert [library.get(k).starred for k in keys[:5]] == [False, True, True, True, False]
    press(qtbot, window, Qt.Key.Key_E)
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 5
    assert current_key(window) == keys[4]
    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.papers.model.rowCount() == 8, timeout=5000)

    def selected_keys() -> list[str]:
        return sorted(window.papers.model.row_at(p).key
                      for p in window.papers.selected_positions())

    # the undo's own reload re-selects the three papers; a reload for the change itself may
    # land first, so wait for the selection rather than for the row count alone
    qtbot.waitUntil(lambda: selected_keys() == sorted(keys[1:4]), timeout=5000)
    idle(qtbot, window)
    assert selected_keys() == sorted(keys[1:4])


def test_shift_m_marks_the_whole_view_read_and_one_undo_restores_it(qtbot, make_window,
                                                                     library):
    keys = add_papers(library, 450)  # more than two pages: not just the loaded rows
    library.mark(keys[:5], "read", True)
    window = make_window()
    press(qtbot, window, Qt.Key.Key_M, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: library.count(library.make_filter("unread")) == 0, timeout=10_000)
    idle(qtbot, window)
    assert all(window.papers.model.row_at(p).read for p in range(20))
    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: library.count(library.make_filter("unread")) == 445, timeout=10_000)
    assert all(library.get(k).read for k in keys[:5])  # those were read before: still read
    qtbot.keyClick(window.view.table, Qt.Key.Key_Z,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: library.count(library.make_filter("unread")) == 0, timeout=10_000)


def test_n_goes_to_the_next_unread_and_wraps(qtbot, make_window, library):
    add_papers(library, 6)
    window = make_window()
    keys = [window.papers.model.row_at(p).key for p in range(6)]
    library.mark([keys[0], keys[1], keys[2], keys[4]], "read", True)
    window.papers.reload()
    idle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_N)
    assert current_key(window) == keys[3]
    press(qtbot, window, Qt.Key.Key_N)
    assert current_key(window) == keys[5]
    library.mark([keys[3]], "read", True)
    window.papers.reload()
    idle(qtbot, window)
    press(qtbot, window, Qt.Key.Key_N)  # wraps past the end back to... only keys[5] is unread
    assert current_key(window) == keys[5]
    library.mark([keys[5]], "read", True)
    window.papers.reload()
    idle(qtbot, window)
    with qtbot.waitSignal(window.triage.message) as blocker:
        press(qtbot, window, Qt.Key.Key_N)
    assert "No unread" in blocker.args[0]


def test_t_opens_a_tag_popup_that_creates_tags_and_undo_removes_them(qtbot, make_window,
                                                                       library):
    keys = add_papers(library, 3)
    library.tag([keys[0]], add=["existing"])
    window = make_window()
    idle(qtbot, window)
    current = current_key(window)
    press(qtbot, window, Qt.Key.Key_T)
    popup = window.triage.tag_popup
    assert popup is not None and popup.isVisible()
    assert "existing" in popup.edit._names.stringList()
    qtbot.keyClicks(popup.edit, "Brand New, existing")
    qtbot.keyClick(popup.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: "brand new" in library.get(current).tags, timeout=5000)
    assert set(library.get(current).tags) == {"brand new", "existing"}
    idle(qtbot, window)
    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not library.get(current).tags, timeout=5000)


def test_o_and_b_open_links(qtbot, make_window, library):
    add_papers(library, 2)
    window = make_window()
    key = current_key(window)
    press(qtbot, window, Qt.Key.Key_B)
    qtbot.waitUntil(lambda: len(window.opened) == 1, timeout=5000)
    assert window.opened[0] == f"https://arxiv.org/abs/{key}"


def test_mark_read_after_a_dwell(qtbot, make_window, library, settings):
    settings.mark_read = "dwell"
    settings.mark_read_dwell_ms = 50
    add_papers(library, 3)
    window = make_window()
    key = current_key(window)
    qtbot.waitUntil(lambda: library.get(key).read, timeout=5000)
    press(qtbot, window, Qt.Key.Key_J)
    settings.mark_read = "never"
    press(qtbot, window, Qt.Key.Key_J)
    idle(qtbot, window)
    assert not library.get(current_key(window)).read


def test_o_opens_the_built_in_viewer_on_the_papers_pdf(qtbot, make_window, library,
                                                      http_server):
    import pymupdf

    from readinglist.core.models import PaperRecord
    from tests.helpers.httpserver import Response

    document = pymupdf.open()
    document.new_page().insert_text((72, 72), "Hello from a test PDF")
    http_server.route("/paper.pdf", Response(200, document.tobytes(),
                                             {"Content-Type": "application/pdf"}))
    library.merge_records([PaperRecord(key="url:test-paper", title="A paper with a PDF",
                                       url=f"{http_server.url}/abs",
                                       pdf_url=f"{http_server.url}/paper.pdf", source="rss")])
    window = make_window()
    press(qtbot, window, Qt.Key.Key_O)
    qtbot.waitUntil(lambda: bool(window.triage.viewers), timeout=5000)
    viewer = window.triage.viewers[0]
    assert viewer.isVisible()
    assert window.opened == []  # no fallback to the system viewer
    viewer.close()


def test_y_copies_bibtex_of_the_selected_papers(qtbot, make_window, library):
    add_papers(library, 5)
    window = make_window()
    qtbot.waitUntil(lambda: window.papers.current_row() is not None, timeout=5000)
    first = window.papers.current_row()
    QApplication.clipboard().clear()
    press(qtbot, window, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: "@misc{" in QApplication.clipboard().text(), timeout=5000)
    text = QApplication.clipboard().text()
    assert text.count("@misc{") == 1 and first.title in text
    qtbot.keyClick(window.view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(window.view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, window, Qt.Key.Key_Y)
    qtbot.waitUntil(lambda: QApplication.clipboard().text().count("@misc{") == 3,
                    timeout=5000)
    assert "eprint = {" in QApplication.clipboard().text()


def test_hide_read_papers_keeps_a_paper_read_just_now_until_the_list_changes(
        qtbot, make_window, library):
    keys = add_papers(library, 5)
    library.mark(keys[:2], "read", True)
    window = make_window()

    def shown() -> set[str]:
        model = window.papers.model
        return {model.row_at(p).key for p in range(model.rowCount())}

    window.actions["hide_read"].trigger()
    idle(qtbot, window)
    assert shown() == set(keys[2:])
    current = current_key(window)
    press(qtbot, window, Qt.Key.Key_M)  # read now: it stays while you are on it
    idle(qtbot, window)
    assert library.get(current).read and current in shown()
    window.sidebar.select_label("All")  # the list changes: read papers leave
    idle(qtbot, window)
    assert current not in shown() and len(shown()) == 2

    second = make_window()  # remembered for the next start
    assert second.actions["hide_read"].isChecked()
    assert len({second.papers.model.row_at(p).key
                for p in range(second.papers.model.rowCount())}) == 2


def test_all_read_with_read_papers_hidden_offers_to_show_them(qtbot, make_window, library):
    keys = add_papers(library, 3)
    library.mark(keys, "read", True)
    window = make_window()
    window.actions["hide_read"].setChecked(True)
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 0
    assert window.view.welcome.title.text() == "All read"
    window.view.welcome.primary.click()
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 3
    assert not window.actions["hide_read"].isChecked()


def test_mark_above_and_below_as_read_each_one_undo_step(qtbot, make_window, library):
    add_papers(library, 6)
    window = make_window()
    keys = [window.papers.model.row_at(p).key for p in range(6)]
    window.papers.select_position(2)
    window.actions["mark_above_read"].trigger()
    idle(qtbot, window)
    assert [library.get(k).read for k in keys] == [True, True, False, False, False, False]
    assert window.papers.model.row_at(0).read  # the rows on screen follow
    window.triage.undo()
    idle(qtbot, window)
    assert not any(library.get(k).read for k in keys)
    window.actions["mark_below_read"].trigger()
    idle(qtbot, window)
    assert [library.get(k).read for k in keys] == [False, False, False, True, True, True]
    assert current_key(window) == keys[2]


def test_shift_y_copies_the_links_of_the_selected_papers(qtbot, make_window, library):
    add_papers(library, 3)
    window = make_window()
    qtbot.waitUntil(lambda: window.papers.current_row() is not None, timeout=5000)
    first = window.papers.current_row().key
    QApplication.clipboard().clear()
    press(qtbot, window, Qt.Key.Key_Y, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: QApplication.clipboard().text() != "", timeout=5000)
    assert QApplication.clipboard().text() == f"https://arxiv.org/abs/{first}"
    qtbot.keyClick(window.view.table, Qt.Key.Key_Down, Qt.KeyboardModifier.ShiftModifier)
    press(qtbot, window, Qt.Key.Key_Y, Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: QApplication.clipboard().text().count("\n") == 1, timeout=5000)
