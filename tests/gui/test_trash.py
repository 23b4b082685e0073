"""Del moves papers to the Trash and advances; the Trash lists them and Del restores one."""

from __future__ import annotations

from readinglist.ui.qt import Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers, record


def keys_shown(window) -> list[str]:
    model = window.papers.model
    return [model.row_at(p).key for p in range(model.rowCount())]


def press(qtbot, widget, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    qtbot.keyClick(widget, key, modifier)


def test_del_trashes_and_advances_the_trash_restores_and_undo_works(qtbot, make_window,
                                                                   library):
    add_papers(library, 5)
    window = make_window()
    messages = []
    window.triage.message.connect(messages.append)
    keys = keys_shown(window)
    press(qtbot, window.view.table, Qt.Key.Key_J)
    press(qtbot, window.view.table, Qt.Key.Key_Delete)
    assert keys_shown(window) == [keys[0], *keys[2:]]
    assert window.papers.current_row().key == keys[2]  # advanced
    idle(qtbot, window)
    assert library.count(library.make_filter("all")) == 4
    assert [p.key for p in library.list(view="trash")] == [keys[1]]
    assert "Moved 1 paper to the Trash (Ctrl+Z undoes it)" in messages
    qtbot.waitUntil(lambda: window.sidebar.data.trash == 1, timeout=5000)

    window.sidebar.select_label("Trash")
    qtbot.waitUntil(lambda: window.papers.state.entry.view == "trash", timeout=5000)
    idle(qtbot, window)
    assert keys_shown(window) == [keys[1]]
    qtbot.waitUntil(lambda: window.detail.paper is not None
                    and window.detail.paper.key == keys[1], timeout=5000)
    qtbot.waitUntil(lambda: "In the Trash" in window.view.detail.state.text(), timeout=5000)

    window.view.table.setFocus()
    press(qtbot, window.view.table, Qt.Key.Key_Delete)  # in the Trash: restore
    idle(qtbot, window)
    assert keys_shown(window) == []
    assert library.count(library.make_filter("all")) == 5
    qtbot.waitUntil(lambda: window.view.list_stack.currentWidget() is window.view.welcome,
                    timeout=5000)
    assert "The Trash is empty" in window.view.welcome.title.text()

    press(qtbot, window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, window)
    assert [p.key for p in library.list(view="trash")] == [keys[1]]
    qtbot.waitUntil(lambda: keys_shown(window) == [keys[1]], timeout=5000)


def test_a_refetch_does_not_bring_a_trashed_paper_back(qtbot, make_window, library):
    keys = add_papers(library, 3)
    library.mark([keys[0]], "deleted", True)
    library.merge_records([record(0, title="The same paper, fetched again")])
    assert library.get(keys[0], in_trash=True).deleted
    assert keys[0] not in {p.key for p in library.list(view="all")}


def test_del_in_the_sidebar_deletes_the_selected_tag_not_the_paper(qtbot, make_window, library):
    keys = add_papers(library, 3)
    library.tag(keys[:2], add=["later"])
    window = make_window()
    group = window.sidebar.model.group("Tags")
    qtbot.waitUntil(lambda: group.rowCount() == 1, timeout=5000)
    window.view.sidebar.setCurrentIndex(group.child(0, 0).index())
    qtbot.waitUntil(lambda: window.papers.state.entry.tag == "later", timeout=5000)
    idle(qtbot, window)
    asked = []
    window.tag_admin.confirm_delete = lambda name, count, named_by: asked.append(name) or True
    window.view.sidebar.setFocus()
    press(qtbot, window.view.sidebar, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: library.tag_counts() == [], timeout=5000)
    assert asked == ["later"]
    assert library.count(library.make_filter("all")) == 3
