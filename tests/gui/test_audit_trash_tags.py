"""Audit of the Trash and tag administration in the app: papers in the Trash can be tagged and
opened (no command-line wording on screen), renames and deletes reach them with undo, Del on a
selection, the empty states, and papers named again come back from the Trash."""

from __future__ import annotations

from readinglist.core.errors import TrashedPaperError
from readinglist.ui.qt import Qt
from readinglist.ui.tasks import describe_error
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers


def keys_shown(window) -> list[str]:
    model = window.papers.model
    return [model.row_at(p).key for p in range(model.rowCount())]


def collect(window) -> list[str]:
    """Every message the window shows in its status bar or as a failure."""
    messages: list[str] = []
    window.triage.message.connect(messages.append)
    window.tasks.failed.connect(messages.append)
    return messages


def open_trash(qtbot, window) -> None:
    window.sidebar.select_label("Trash")
    qtbot.waitUntil(lambda: window.papers.state.entry.view == "trash", timeout=5000)
    idle(qtbot, window)


def undo(qtbot, window) -> None:
    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    idle(qtbot, window)


def test_the_app_words_a_paper_in_the_trash_its_own_way() -> None:
    error = TrashedPaperError("2611.00001v2", "2611.00001")
    assert "readinglist mark 2611.00001 --restore" in str(error)  # the command line's words
    assert describe_error(error) == ("“2611.00001v2” is in the Trash (select it there and "
                                     "press Del to restore it)")


def test_a_paper_in_the_trash_can_be_tagged_and_its_page_opened(qtbot, make_window, library):
    keys = add_papers(library, 3)
    library.mark([keys[0]], "deleted", True)
    window = make_window()
    messages = collect(window)
    open_trash(qtbot, window)
    assert keys_shown(window) == [keys[0]]

    window.triage.apply_tags([window.papers.current_row().id], ["check later"], [])
    idle(qtbot, window)
    assert library.get(keys[0], in_trash=True).tags == ("check later",)
    window.view.table.setFocus()
    qtbot.keyClick(window.view.table, Qt.Key.Key_B)
    idle(qtbot, window)
    assert window.opened == [f"https://arxiv.org/abs/{keys[0]}"]
    assert not any("readinglist" in m or "Could not" in m for m in messages), messages

    undo(qtbot, window)
    assert library.get(keys[0], in_trash=True).tags == ()


def test_a_rename_in_the_sidebar_reaches_the_trash_and_undo_reverts_it_there(
        qtbot, make_window, library):
    keys = add_papers(library, 3)
    library.tag(keys, add=["rl"])
    library.mark([keys[0]], "deleted", True)
    window = make_window()
    messages = collect(window)
    qtbot.waitUntil(lambda: [t.name for t in window.sidebar.data.tags] == ["rl"], timeout=5000)
    window.tag_admin.ask_name = lambda old: "Reinforcement learning"
    window.sidebar.on_rename_tag("rl")
    qtbot.waitUntil(lambda: library.get(keys[0], in_trash=True).tags
                    == ("reinforcement learning",), timeout=5000)
    idle(qtbot, window)
    assert ("Renamed tag “rl” to “reinforcement learning” on 3 papers "
            "(1 of them in the Trash)") in messages

    undo(qtbot, window)
    assert library.get(keys[0], in_trash=True).tags == ("rl",)
    assert [(t.name, t.count) for t in library.tag_counts()] == [("rl", 2)]


def test_deleting_a_tag_takes_it_off_the_trash_too_and_undo_puts_it_back(
        qtbot, make_window, library):
    keys = add_papers(library, 3)
    library.tag(keys, add=["someday"])
    library.mark([keys[2]], "deleted", True)
    window = make_window()
    messages = collect(window)
    asked = []
    window.tag_admin.confirm_delete = lambda name, count, named_by: asked.append(count) or True
    window.sidebar.on_delete_tag("someday")
    qtbot.waitUntil(lambda: library.get(keys[2], in_trash=True).tags == (), timeout=5000)
    idle(qtbot, window)
    assert asked == [2]  # as many as the sidebar counts
    assert "Took the tag “someday” off 3 papers (1 of them in the Trash) (Ctrl+Z undoes it)" \
        in messages

    undo(qtbot, window)
    assert library.get(keys[2], in_trash=True).tags == ("someday",)


def test_del_on_a_selection_trashes_them_all_and_undo_says_so(qtbot, make_window, library):
    keys = add_papers(library, 4)
    window = make_window()
    messages = collect(window)
    window.view.table.setFocus()
    window.view.table.selectAll()
    qtbot.keyClick(window.view.table, Qt.Key.Key_Delete)
    idle(qtbot, window)
    assert keys_shown(window) == []
    assert sorted(p.key for p in library.list(view="trash")) == sorted(keys)
    qtbot.waitUntil(lambda: window.sidebar.data.trash == 4, timeout=5000)
    qtbot.waitUntil(lambda: window.view.welcome.title.text() == "Everything is in the Trash",
                    timeout=5000)
    assert window.view.welcome.primary.text() == "Show the Trash"

    undo(qtbot, window)
    assert "Undid move to the Trash" in messages
    qtbot.waitUntil(lambda: sorted(keys_shown(window)) == sorted(keys), timeout=5000)
    qtbot.waitUntil(lambda: window.sidebar.data.trash == 0, timeout=5000)


def test_the_welcome_button_of_an_all_trashed_library_shows_the_trash(
        qtbot, make_window, library):
    keys = add_papers(library, 1)
    library.mark(keys, "deleted", True)
    window = make_window()
    qtbot.waitUntil(lambda: window.view.welcome.title.text() == "Everything is in the Trash",
                    timeout=5000)
    assert "The one paper of your library is in the Trash" in window.view.welcome.text.text()
    window.view.welcome.primary.click()
    qtbot.waitUntil(lambda: window.papers.state.entry.view == "trash", timeout=5000)
    idle(qtbot, window)
    assert keys_shown(window) == keys


def test_adding_a_trashed_paper_by_id_brings_it_back(qtbot, make_window, library):
    keys = add_papers(library, 2)
    library.mark([keys[1]], "deleted", True)
    window = make_window()
    messages: list[str] = []
    window.adder().message.connect(messages.append)
    window.adder().ask_text = lambda: f"https://arxiv.org/abs/{keys[1]}v1"
    window.actions["add_papers"].trigger()
    qtbot.waitUntil(lambda: keys_shown(window) == [keys[1]], timeout=10_000)
    assert window.papers.state.entry.label == "All"
    assert not library.get(keys[1]).deleted
    assert "Restored 1 paper from the Trash" in messages


def test_an_existing_tag_typed_in_another_unicode_form_in_the_detail_pane_stays(
        qtbot, make_window, library):
    keys = add_papers(library, 1)
    library.tag(keys, add=["caf\u00e9"])
    window = make_window()
    qtbot.waitUntil(lambda: window.detail.paper is not None
                    and window.detail.paper.tags == ("caf\u00e9",), timeout=5000)
    window.view.detail.tags.setText("Cafe\u0301, new")  # e + combining accent
    window.view.detail.tags.editingFinished.emit()
    idle(qtbot, window)
    qtbot.waitUntil(lambda: library.get(keys[0]).tags == ("caf\u00e9", "new"), timeout=5000)


def test_importing_a_file_naming_a_trashed_paper_says_it_stays_in_the_trash(
        qtbot, make_window, library, tmp_path):
    keys = add_papers(library, 2)
    library.mark([keys[0]], "deleted", True)
    lines = tmp_path / "mine.jsonl"
    lines.write_text(f'{{"arxiv_id": "{keys[0]}", "title": "Again"}}\n', encoding="utf-8")
    window = make_window()
    window.adder().import_file(str(lines))
    qtbot.waitUntil(lambda: "Imported" in window.view.status_text.text(), timeout=10_000)
    assert window.view.status_text.text() == ("Imported mine.jsonl: 0 new, 1 updated; "
                                              "1 in the Trash, left there")


def test_fetching_a_searched_id_that_is_in_the_trash_brings_it_back(qtbot, make_window,
                                                                      library):
    keys = add_papers(library, 2)
    library.mark([keys[0]], "deleted", True)
    window = make_window()
    window.sidebar.select_label("All")
    window.view.search.setText(f"arXiv:{keys[0]}")
    window.search.apply()
    idle(qtbot, window)
    assert window.view.welcome.title.text() == "In the Trash"
    assert window.view.welcome.primary.text() == "Restore"
    window.view.welcome.primary.click()
    qtbot.waitUntil(lambda: keys_shown(window) == [keys[0]], timeout=10_000)
    assert not library.get(keys[0]).deleted
