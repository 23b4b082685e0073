"""Space reads on as in NetNewsWire: down the paper's details, then to the next unread paper."""

from __future__ import annotations

from dataclasses import replace

from readinglist.ui.qt import Qt
from tests.gui.conftest import idle
from tests.gui.helpers import record


def test_space_scrolls_the_details_then_moves_to_the_next_unread(qtbot, make_window, library):
    long_abstract = " ".join(f"Sentence {n} of a very long abstract." for n in range(400))
    library.merge_records([record(1), record(2), replace(
        record(3, title="A paper with a long abstract"), abstract=long_abstract)])
    library.mark(["2611.00002"], "read", True)
    window = make_window()
    window.view.resize(1000, 500)
    window.view.show()
    qtbot.waitExposed(window.view)
    keys = [window.papers.model.row_at(p).key for p in range(3)]
    assert keys[0] == "2611.00003"  # newest first: the long one is current
    qtbot.waitUntil(lambda: window.detail.paper is not None
                    and window.detail.paper.key == keys[0], timeout=5000)
    idle(qtbot, window)
    bar = window.view.detail.scroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5000)

    qtbot.keyClick(window.view.table, Qt.Key.Key_Space)
    assert bar.value() > 0 and window.papers.current_row().key == keys[0]
    qtbot.keyClick(window.view.table, Qt.Key.Key_Space, Qt.KeyboardModifier.ShiftModifier)
    assert bar.value() == 0
    while bar.value() < bar.maximum():
        qtbot.keyClick(window.view.table, Qt.Key.Key_Space)
    qtbot.keyClick(window.view.table, Qt.Key.Key_Space)  # at the end: the next unread
    assert window.papers.current_row().key == "2611.00001"  # 2611.00002 is read: skipped


def test_space_in_the_note_editor_types_a_space(qtbot, make_window, library):
    library.merge_records([record(1), record(2)])
    window = make_window()
    qtbot.waitUntil(lambda: window.detail.paper is not None, timeout=5000)
    current = window.papers.current_row().key
    editor = window.view.detail.note_edit
    editor.setFocus()
    qtbot.keyClicks(editor, "a b")
    assert editor.toPlainText() == "a b"
    assert window.papers.current_row().key == current
