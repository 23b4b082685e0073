"""Keyboard-only and screen-reader use of the main window: shortcuts, text fields, panes,
dialogs, accessible names and menu mnemonics."""

from __future__ import annotations

import re

import pytest

from readinglist.ui.qt import QAbstractButton, QApplication, QLabel, QMenu, Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers
from tests.helpers.shortcuts import DOCS, ambiguous, doc_table, normalised, table_rows

NO = Qt.KeyboardModifier.NoModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

# every key of the docs' main table (and Help → Keyboard shortcuts): the command it runs;
# None: the list's own arrow keys
DOCUMENTED = {
    "J": "next", "Down": None, "K": "previous", "Up": None, "N": "next_unread",
    "Space": "read_on", "Shift+Space": "read_back", "M": "toggle_read", "S": "toggle_star",
    "E": "archive", "Del": "trash", "T": "tag", "O": "open_pdf", "B": "open_browser",
    "Y": "copy_bibtex", "Shift+Y": "copy_links", "L": "find_similar", "/": "search",
    "Esc": "clear_search", "Shift+M": "mark_all_read", "R": "fetch", "Ctrl+Z": "undo",
    "Ctrl+Shift+Z": "redo", "[": "previous_day", "]": "next_day", "Alt+Left": "back",
    "Alt+Right": "forward", "F6": "next_pane", "Shift+F6": "previous_pane",
    "Ctrl+N": "add_papers", "Ctrl+Shift+N": "add_pdfs", "Ctrl+Shift+F": "search_arxiv",
    "Ctrl+Shift+E": "export_papers", "Ctrl+Shift+H": "hide_read", "Ctrl+,": "preferences",
    "Ctrl+1": "go_inbox", "Ctrl+2": "go_for_you", "Ctrl+3": "go_reading", "Ctrl+4": "go_daily",
    "Ctrl+5": "go_starred", "Ctrl+6": "go_archive", "Ctrl+7": "go_all", "Ctrl+8": "go_trash",
}


def focused(window):
    """The main window's focus widget (kept while a dialog or another window is active)."""
    return window.view.focusWidget()


def flags(library, key):
    paper = library.get(key)
    return paper.read, paper.starred, paper.archived, paper.deleted, paper.tags


def with_sync_indicator(qtbot, window):
    qtbot.waitUntil(lambda: window.sync_widget is not None, timeout=10_000)
    return window


def test_no_key_is_claimed_twice_in_the_main_window(qtbot, make_window, library):
    add_papers(library, 3)
    window = with_sync_indicator(qtbot, make_window())
    window.open_preferences().reject()  # built on first use: must add no clash either
    window.adder(), window.exporter()
    assert ambiguous(window.view) == {}


def test_pressed_keys_never_hit_an_ambiguous_overload(qtbot, make_window, library, qtlog):
    add_papers(library, 5)
    window = with_sync_indicator(qtbot, make_window())
    qtbot.keyClick(window.view.table, Qt.Key.Key_J)
    assert window.papers.current_position() == 1
    for key, modifier in ((Qt.Key.Key_F6, NO), (Qt.Key.Key_F6, SHIFT), (Qt.Key.Key_M, NO),
                          (Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)):
        qtbot.keyClick(QApplication.focusWidget() or window.view, key, modifier)
        idle(qtbot, window)
    assert not [r for r in qtlog.records if "Ambiguous" in r.message]
    assert window.view.focusWidget() is window.view.table  # F6 there and Shift+F6 back
    assert not window.papers.current_row().read  # m, then Ctrl+Z undid it


def test_every_documented_key_is_bound_to_its_command(qtbot, make_window, library):
    window = make_window()
    rows = doc_table("# The desktop app", "| Key | What it does |")
    assert {key for keys, _text in rows for key in keys} == set(DOCUMENTED)
    for keys, text in rows:
        commands = {DOCUMENTED[key] for key in keys} - {None}
        for key in keys:
            command = DOCUMENTED[key]
            if command is not None:
                bound = {k.toString() for k in window.actions[command].shortcuts()}
                assert key in bound, (key, command, text)
        assert commands, text
    assert "(`F1` or `?`)" in DOCS.read_text(encoding="utf-8")
    assert {k.toString() for k in window.actions["shortcuts"].shortcuts()} == {"F1", "?"}


def test_the_in_app_table_lists_what_the_code_binds_and_the_docs_say(qtbot, make_window,
                                                                    library):
    window = make_window()
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = table_rows(dialog.findChildren(QLabel)[0].text())
    shown = {key for keys, _text in rows for key in keys}
    assert shown == set(DOCUMENTED) | {"F1"}  # "?" is said in F1's row
    by_key = {k.toString(): name for name, action in window.actions.items()
              for k in action.shortcuts()}
    for keys, text in rows:  # each row's keys run the one command the row names
        commands = {by_key.get(key) for key in keys if DOCUMENTED.get(key, "") is not None}
        assert len(commands) == 1 and None not in commands, (keys, text)
    quit_keys = {k.toString() for a in window.view.menuBar().actions()[0].menu().actions()
                 if a.text() == "Quit" for k in a.shortcuts()}
    assert set(by_key) - {"?"} - quit_keys <= shown  # nothing bound is missing from it


@pytest.mark.parametrize("field", ["search", "tags", "note"])
def test_triage_keys_type_into_text_fields(qtbot, make_window, library, field):
    keys = add_papers(library, 4)
    window = make_window()
    idle(qtbot, window)
    current = window.papers.current_row().key
    before = {key: flags(library, key) for key in keys}
    widget = {"search": window.view.search, "tags": window.view.detail.tags,
              "note": window.view.detail.note_edit}[field]
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus, timeout=3000)
    qtbot.keyClicks(widget, "jkmsetobyl/r[]n")
    qtbot.keyClick(widget, Qt.Key.Key_Space)
    qtbot.keyClick(widget, Qt.Key.Key_M, SHIFT)
    qtbot.keyClick(widget, Qt.Key.Key_Y, SHIFT)
    text = widget.text() if hasattr(widget, "text") else widget.toPlainText()
    assert "jkmsetobyl/r[]n my" in text.lower()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)  # at the end: deletes nothing, trashes nothing
    qtbot.keyClick(widget, Qt.Key.Key_Backspace)
    assert widget.hasFocus() and window.triage.tag_popup is None
    assert window.opened == []  # neither o nor b opened anything
    idle(qtbot, window)
    if field == "note":
        window.detail.save_note()
        idle(qtbot, window)
    assert window.papers.current_row().key == current
    after = {key: flags(library, key) for key in keys}
    assert after == before  # no paper read, starred, archived, trashed or tagged


def test_the_tag_popup_takes_letters_and_esc_cancels_back_to_the_list(qtbot, make_window,
                                                                     library):
    keys = add_papers(library, 3)
    window = make_window()
    idle(qtbot, window)
    current = window.papers.current_row().key
    qtbot.keyClick(window.view.table, Qt.Key.Key_T)
    popup = window.triage.tag_popup
    qtbot.waitUntil(lambda: QApplication.focusWidget() is popup.edit, timeout=3000)
    qtbot.keyClicks(popup.edit, "mesj")
    assert popup.edit.text() == "mesj"
    qtbot.keyClick(popup.edit, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.triage.tag_popup is None, timeout=3000)
    assert focused(window) is window.view.table
    idle(qtbot, window)
    assert flags(library, current) == (False, False, False, False, ())
    assert window.papers.current_row().key == current and keys


def test_esc_in_the_note_goes_back_to_the_list_and_keeps_the_search(qtbot, make_window,
                                                                   library):
    add_papers(library, 12)
    window = make_window()
    window.view.search.setText("diffusion")
    window.search.apply()
    idle(qtbot, window)
    shown = window.papers.model.rowCount()
    assert 0 < shown < 12
    key = window.papers.current_row().key
    qtbot.waitUntil(lambda: window.detail.paper is not None and window.detail.paper.key == key,
                    timeout=5000)
    note = window.view.detail.note_edit
    note.setFocus()
    qtbot.keyClicks(note, "worth reading")
    qtbot.keyClick(note, Qt.Key.Key_Escape)
    assert focused(window) is window.view.table
    assert window.view.search.text() == "diffusion"
    idle(qtbot, window)
    assert window.papers.model.rowCount() == shown
    window.detail.save_note()
    qtbot.waitUntil(lambda: library.get(key).note == "worth reading", timeout=5000)


def test_esc_in_the_tag_field_drops_the_edit_and_keeps_the_search(qtbot, make_window,
                                                                 library):
    keys = add_papers(library, 12)
    library.tag(keys, add=["kept"])
    window = make_window()
    window.view.search.setText("diffusion")
    window.search.apply()
    idle(qtbot, window)
    key = window.papers.current_row().key
    tags = window.view.detail.tags
    qtbot.waitUntil(lambda: tags.text() == "kept", timeout=5000)
    tags.setFocus()
    tags.end(False)
    qtbot.keyClicks(tags, ", unwanted")
    qtbot.keyClick(tags, Qt.Key.Key_Escape)
    assert focused(window) is window.view.table
    assert tags.text() == "kept" and window.view.search.text() == "diffusion"
    idle(qtbot, window)
    assert library.get(key).tags == ("kept",)


def test_esc_in_the_search_box_still_clears_it(qtbot, make_window, library):
    add_papers(library, 12)
    window = make_window()
    window.search.focus()
    qtbot.keyClicks(window.view.search, "diffusion")
    window.search.apply()
    idle(qtbot, window)
    qtbot.keyClick(window.view.search, Qt.Key.Key_Escape)
    idle(qtbot, window)
    assert window.view.search.text() == "" and focused(window) is window.view.table
    assert window.papers.model.rowCount() == 12


def test_f6_cycles_sidebar_list_details_and_sync_status(qtbot, make_window, library):
    add_papers(library, 3)
    window = with_sync_indicator(qtbot, make_window())
    view = window.view
    qtbot.waitUntil(lambda: view.detail.stack.currentWidget() is view.detail.scroll,
                    timeout=5000)
    view.table.setFocus()
    order = [view.detail.scroll, window.sync_widget.button, view.sidebar, view.table]
    for expected in order:
        qtbot.keyClick(QApplication.focusWidget() or view, Qt.Key.Key_F6)
        assert focused(window) is expected
    for expected in [view.sidebar, window.sync_widget.button, view.detail.scroll, view.table]:
        qtbot.keyClick(QApplication.focusWidget() or view, Qt.Key.Key_F6, SHIFT)
        assert focused(window) is expected
    view.detail.note_edit.setFocus()  # from inside a pane: the next pane
    qtbot.keyClick(view.detail.note_edit, Qt.Key.Key_F6)
    assert focused(window) is window.sync_widget.button


def test_sidebar_entries_are_reached_with_f6_and_the_arrows(qtbot, make_window, library):
    add_papers(library, 3)
    window = make_window()
    idle(qtbot, window)
    qtbot.keyClick(window.view.table, Qt.Key.Key_F6, SHIFT)
    assert focused(window) is window.view.sidebar
    assert window.papers.state.entry.label == "Inbox"
    qtbot.keyClick(window.view.sidebar, Qt.Key.Key_Down)
    idle(qtbot, window)
    assert window.papers.state.entry.label == "For you"
    qtbot.keyClick(window.view.sidebar, Qt.Key.Key_J)  # triage keys still act on the list
    assert window.view.sidebar.hasFocus()


def test_enter_in_preferences_fields_adds_what_was_typed_and_keeps_the_dialog(
        qtbot, make_window, library):
    window = make_window()
    dialog = window.open_preferences()
    qtbot.waitExposed(dialog)
    dialog.feed_url.setFocus()
    qtbot.keyClicks(dialog.feed_url, "https://example.org/feed.xml")
    qtbot.keyClick(dialog.feed_url, Qt.Key.Key_Return)
    assert dialog.isVisible()
    assert dialog._list_values(dialog.feeds) == ["https://example.org/feed.xml"]
    qtbot.keyClicks(dialog.category_filter, "cs.CL")
    qtbot.keyClick(dialog.category_filter, Qt.Key.Key_Return)
    assert dialog.isVisible() and "cs.CL" in dialog._list_values(dialog.categories)
    rules = dialog.rules_tab
    dialog.show_tab("Rules")
    qtbot.keyClicks(rules.name, "Vision")
    qtbot.keyClicks(rules.query, "cat:cs.CV")
    rules.star.setChecked(True)
    qtbot.keyClick(rules.query, Qt.Key.Key_Enter)
    assert dialog.isVisible() and [r.name for r in rules.rules()] == ["Vision"]
    sync = dialog.sync_tab
    dialog.show_tab("Sync")
    sync.use_webdav.setChecked(True)
    qtbot.keyClicks(sync.url, "https://cloud.example.org/dav")
    qtbot.keyClick(sync.url, Qt.Key.Key_Return)  # runs "Set up and sync": the user is missing
    assert dialog.isVisible() and "user name" in sync.result.text()
    qtbot.keyClick(sync.url, Qt.Key.Key_Escape)  # Esc cancels
    assert not dialog.isVisible()


def test_preferences_open_with_the_focus_inside_and_leave_the_list_focused(qtbot, make_window,
                                                                          library):
    add_papers(library, 2)
    window = make_window()
    window.view.table.setFocus()
    dialog = window.open_preferences("Sync")
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None, timeout=3000)
    assert dialog.isAncestorOf(dialog.focusWidget())
    assert dialog.tabs.currentWidget() is dialog.sync_tab
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert focused(window) is window.view.table


def test_symbol_buttons_and_status_widgets_have_names(qtbot, make_window, library):
    add_papers(library, 2)
    window = with_sync_indicator(qtbot, make_window())
    view = window.view
    buttons = [b for b in view.findChildren(QAbstractButton)
               if b.window() is view and b.isVisibleTo(view)]
    buttons += [view.previous_day, view.next_day, view.banner.close_button]  # Daily, errors
    for button in buttons:
        text = button.text().replace("&", "")
        if not re.search(r"\w{2}", text):  # ◀ ▶ ✕ or no text: icon only
            assert button.accessibleName() and button.toolTip(), (text, button.objectName())
    assert window.sync_widget.button.accessibleName().startswith("Sync status: ")
    assert window.sync_widget.button.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert view.detail.scroll.accessibleName() == "Paper details"
    for label in (view.detail.revision, view.detail.pdf_matches):  # "Show changes", "p. 3"
        assert label.textInteractionFlags() & Qt.TextInteractionFlag.LinksAccessibleByKeyboard
        assert label.focusPolicy() & Qt.FocusPolicy.TabFocus
    doi = view.detail.doi_button  # no key of its own: Tab reaches it
    assert doi.focusPolicy() & Qt.FocusPolicy.TabFocus
    assert not doi.focusPolicy() & Qt.FocusPolicy.ClickFocus  # a click keeps j/k in the list


def test_sync_commands_are_in_the_file_menu(qtbot, make_window, library):
    window = with_sync_indicator(qtbot, make_window())
    file_menu = window.view.menuBar().actions()[0].menu()
    sync = [a.menu() for a in file_menu.actions() if a.menu() is not None]
    assert [m.title() for m in sync] == ["S&ync"]
    assert [a.text() for a in sync[0].actions()][:2] == ["Sync &now", "Note &conflicts…"]


def test_menus_have_distinct_mnemonics(qtbot, make_window, library):
    window = with_sync_indicator(qtbot, make_window())
    bar = window.view.menuBar()

    def mnemonics(actions):
        letters = [m.group(1).lower() for a in actions
                   if (m := re.search(r"&([^&])", a.text())) is not None]
        assert len(letters) == len(set(letters)), [a.text() for a in actions]
        return letters

    assert len(mnemonics(bar.actions())) == len(bar.actions())  # every menu has one
    for menu in bar.findChildren(QMenu) + window.sync_widget.findChildren(QMenu):
        mnemonics(menu.actions())


def test_normalised_keys_read_as_qt_writes_them(qapp):
    assert [normalised(k) for k in ("j", "Alt+←", "Ctrl +", "Ctrl -", "Shift+N", "/")] == [
        "J", "Alt+Left", "Ctrl++", "Ctrl+-", "Shift+N", "/"]


def _revise(library) -> str:
    """A paper with a v2 whose abstract changed; its key."""
    from readinglist.core.models import PaperRecord
    from tests.gui.helpers import record

    first = record(1)
    library.merge_records([first])
    fields = {name: getattr(first, name) for name in first.__dataclass_fields__}
    fields.update(version=2, abstract=first.abstract + " Now with scaling results.")
    library.merge_records([PaperRecord(**fields)])
    return first.key


def test_show_changes_opens_from_the_keyboard_and_esc_returns_to_the_list(qtbot, make_window,
                                                                           library):
    key = _revise(library)
    window = make_window()
    idle(qtbot, window)
    revision = window.view.detail.revision
    qtbot.waitUntil(lambda: window.detail.paper is not None and window.detail.paper.key == key
                    and revision.isVisibleTo(window.view), timeout=5000)
    revision.setFocus(Qt.FocusReason.TabFocusReason)  # Tab from the buttons above it
    qtbot.keyClick(revision, Qt.Key.Key_Tab)  # Tab again: its link
    assert revision.hasFocus()
    with qtbot.waitSignal(revision.linkActivated, timeout=3000) as link:
        qtbot.keyClick(revision, Qt.Key.Key_Return)
    assert link.args == ["changes"]
    dialog = next(d for d in QApplication.topLevelWidgets()
                  if d.isVisible() and d.windowTitle().startswith("What changed"))
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None, timeout=3000)
    assert dialog.focusWidget() is dialog.browser  # arrows and PgDn scroll the comparison
    qtbot.keyClick(dialog.browser, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert focused(window) is revision  # where it was
    window.view.activateWindow()  # as the window manager does when the dialog goes
    qtbot.waitUntil(window.view.isActiveWindow, timeout=3000)
    qtbot.keyClick(revision, Qt.Key.Key_Escape)  # and Esc from the details: the list
    assert focused(window) is window.view.table


def test_note_conflicts_open_from_the_file_menu_with_the_focus_in_the_list(qtbot, make_window,
                                                                           library):
    keys = add_papers(library, 2)
    window = with_sync_indicator(qtbot, make_window())
    file_menu = window.view.menuBar().actions()[0].menu()
    sync = next(a.menu() for a in file_menu.actions() if a.menu() is not None)
    next(a for a in sync.actions() if a.text() == "Note &conflicts…").trigger()
    dialog = window.sync_widget._conflicts_dialog
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: dialog.focusWidget() is not None, timeout=3000)
    assert dialog.focusWidget() is dialog.papers and keys
    qtbot.keyClick(dialog.papers, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_every_preferences_field_has_a_name_a_screen_reader_can_say(qtbot, make_window,
                                                                    library):
    from PySide6.QtWidgets import QAbstractSpinBox, QComboBox, QLineEdit, QListWidget

    window = make_window()
    dialog = window.open_preferences()
    qtbot.waitExposed(dialog)
    buddies = {id(label.buddy()) for label in dialog.findChildren(QLabel) if label.buddy()}
    kinds = (QLineEdit, QListWidget, QComboBox, QAbstractSpinBox)
    fields = [w for kind in kinds for w in dialog.findChildren(kind)
              if not isinstance(w.parent(), QAbstractSpinBox)]  # a spin box's own line edit
    assert len(fields) > 10
    nameless = [w.placeholderText() if isinstance(w, QLineEdit) else type(w).__name__
                for w in fields if not (w.accessibleName() or id(w) in buddies)]
    assert nameless == []
    dialog.reject()
