"""Renaming, merging and deleting a tag from the sidebar (F2, the context menu), with undo."""

from __future__ import annotations

from readinglist.ui.qt import Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers


def sidebar_tags(window) -> dict[str, int]:
    return {t.name: t.count for t in window.sidebar.data.tags}


def select_tag(qtbot, window, name: str) -> None:
    group = window.sidebar.model.group("Tags")
    for row in range(group.rowCount()):
        if group.child(row, 0).text() == name:
            window.view.sidebar.setCurrentIndex(group.child(row, 0).index())
    qtbot.waitUntil(lambda: window.papers.state.entry.tag == name, timeout=5000)
    idle(qtbot, window)


def undo(qtbot, window) -> None:
    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, window)


def test_f2_renames_the_selected_tag_keeps_it_selected_and_undo_restores_it(
        qtbot, make_window, library):
    keys = add_papers(library, 6)
    library.tag(keys[:3], add=["to read"])
    library.save_search("Queue", 'tag:"to read" is:unread')
    window = make_window()
    messages = []
    window.triage.message.connect(messages.append)
    asked = []
    window.tag_admin.ask_name = lambda old: asked.append(old) or "Queue"
    select_tag(qtbot, window, "to read")
    window.view.sidebar.setFocus()
    qtbot.keyClick(window.view.sidebar, Qt.Key.Key_F2)

    assert asked == ["to read"]
    qtbot.waitUntil(lambda: sidebar_tags(window) == {"queue": 3}, timeout=5000)
    qtbot.waitUntil(lambda: window.papers.state.entry.tag == "queue", timeout=5000)
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 3
    assert "Renamed tag “to read” to “queue” on 3 papers" in messages
    assert [s.query for s in library.saved_searches()] == ["tag:queue is:unread"]

    undo(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_tags(window) == {"to read": 3}, timeout=5000)
    assert [s.query for s in library.saved_searches()] == ['tag:"to read" is:unread']
    assert sorted(p.key for p in library.list(view="all", tag="to read")) == sorted(keys[:3])


def test_renaming_onto_another_tag_merges_and_undo_separates_them_again(
        qtbot, make_window, library):
    keys = add_papers(library, 4)
    library.tag(keys[:2], add=["ml"])
    library.tag(keys[1:3], add=["machine learning"])
    window = make_window()
    qtbot.waitUntil(lambda: sidebar_tags(window) == {"machine learning": 2, "ml": 2},
                    timeout=5000)
    window.tag_admin.ask_name = lambda old: "Machine Learning"
    window.sidebar.on_rename_tag("ml")
    qtbot.waitUntil(lambda: sidebar_tags(window) == {"machine learning": 3}, timeout=5000)

    undo(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_tags(window) == {"machine learning": 2, "ml": 2},
                    timeout=5000)
    assert sorted(p.key for p in library.list(view="all", tag="machine learning")) == \
        sorted(keys[1:3])


def test_delete_asks_first_then_takes_the_tag_off_and_undo_puts_it_back(
        qtbot, make_window, library):
    keys = add_papers(library, 5)
    library.tag(keys[:4], add=["someday"])
    window = make_window()
    select_tag(qtbot, window, "someday")
    questions = []
    window.tag_admin.confirm_delete = lambda name, count, named_by: (
        questions.append((name, count)) or False)
    window.sidebar.on_delete_tag("someday")
    idle(qtbot, window)
    assert questions == [("someday", 4)] and sidebar_tags(window) == {"someday": 4}

    window.tag_admin.confirm_delete = lambda name, count, named_by: True
    window.sidebar.on_delete_tag("someday")
    qtbot.waitUntil(lambda: sidebar_tags(window) == {}, timeout=5000)
    qtbot.waitUntil(lambda: window.papers.state.entry.label == "Inbox", timeout=5000)

    undo(qtbot, window)
    qtbot.waitUntil(lambda: sidebar_tags(window) == {"someday": 4}, timeout=5000)


def test_an_empty_new_name_is_refused_with_a_message(qtbot, make_window, library):
    keys = add_papers(library, 2)
    library.tag(keys, add=["keep"])
    window = make_window()
    messages = []
    window.triage.message.connect(messages.append)
    window.tag_admin.ask_name = lambda old: "   "
    window.sidebar.on_rename_tag("keep")
    idle(qtbot, window)
    assert messages == ["a tag needs a name"]
    assert [t.name for t in library.tag_counts()] == ["keep"]
