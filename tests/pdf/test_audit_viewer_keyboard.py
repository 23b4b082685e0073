"""The PDF viewer from the keyboard: no ambiguous keys, documented keys bound, letters typed
into the find field, named symbol buttons, annotations reached with Enter."""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMenu, QToolButton

from tests.helpers.shortcuts import ambiguous, doc_table, table_rows
from tests.pdf.conftest import ARXIV_KEY
from tests.pdf.test_viewer import viewer  # noqa: F401 - fixture

# the viewer table of docs/keyboard.md: the action each key runs (None: the find field's Enter)
DOCUMENTED = {
    "PgDown": "next_page", "PgUp": "previous_page", "Home": "first_page", "End": "last_page",
    "Ctrl+G": "go_to", "Alt+Left": "back", "Alt+Right": "forward", "Ctrl+F": "find",
    "/": "find", "Enter": None, "N": "next_hit", "Shift+N": "previous_hit", "F3": "next_hit",
    "Shift+F3": "previous_hit", "Esc": "escape", "Ctrl++": "zoom_in", "Ctrl+-": "zoom_out",
    "Ctrl+0": "fit_width", "Ctrl+9": "fit_page", "Ctrl+D": "dark", "F9": "sidebar",
    "H": "highlight_yellow", "Alt+2": "highlight_green", "Alt+3": "highlight_blue",
    "Alt+4": "highlight_pink", "Alt+5": "highlight_purple", "Alt+6": "highlight_orange",
    "U": "underline", "C": "comment", "Ctrl+Shift+N": "note", "Del": "delete",
    "Backspace": "delete", "Ctrl+Z": "undo", "Ctrl+Shift+Z": "redo", "Ctrl+C": "copy",
    "Ctrl+O": "quick_open", "Ctrl+P": "quick_open", "Ctrl+Shift+A": "attach",
    "Ctrl+Shift+S": "save_pdf", "Ctrl+Shift+E": "export_md", "Ctrl+W": "close_tab",
    "F1": "shortcuts",
}


def _select(qtbot, tab, first: str, last: str, page: int = 0) -> None:
    words = tab.view.words(page)
    a = next(w for w in words if w.text == first)
    b = next(w for w in words if w.text == last)

    def at(x: float, y: float) -> QPoint:
        return tab.view.to_view(page, x, y).toPoint()

    viewport = tab.view.viewport()
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=at(a.x0 + 1, (a.y0 + a.y1) / 2))
    qtbot.mouseMove(viewport, pos=at((a.x0 + b.x1) / 2, (a.y1 + b.y0) / 2))
    qtbot.mouseMove(viewport, pos=at(b.x1 - 1, (b.y0 + b.y1) / 2))
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=at(b.x1 - 1, (b.y0 + b.y1) / 2))


def test_no_key_is_claimed_twice_in_the_viewer(viewer, papers, paths) -> None:
    window, _tab = viewer
    window.open_key("hep-th/9901001")  # a second tab adds no clash
    assert window.tabs.count() == 2
    assert ambiguous(window) == {}


def test_every_documented_viewer_key_runs_its_action(viewer) -> None:
    window, _tab = viewer
    rows = doc_table("## The PDF viewer", "| Key | Action |")
    assert {key for keys, _text in rows for key in keys} == set(DOCUMENTED)
    for key, name in DOCUMENTED.items():
        if name is not None:
            bound = {k.toString() for k in window.actions_by_name[name].shortcuts()}
            assert key in bound, (key, name)


def test_f1_shows_every_bound_key_once_under_its_action(viewer, qtbot) -> None:
    window, _tab = viewer
    dialog = window.show_shortcuts()
    qtbot.addWidget(dialog)
    rows = table_rows(dialog.findChildren(QLabel)[0].text())
    by_key = {k.toString(): name for name, action in window.actions_by_name.items()
              for k in action.shortcuts()}
    for keys, text in rows:
        assert len({by_key[key] for key in keys}) == 1, (keys, text)
    shown = [key for keys, _text in rows for key in keys]
    assert len(shown) == len(set(shown))
    assert set(shown) == set(by_key) - {"F1"}
    assert {k for k, name in DOCUMENTED.items() if name} - {"F1"} <= set(shown)


def test_letters_and_delete_type_into_the_find_field(viewer, qtbot, papers) -> None:
    window, tab = viewer
    _select(qtbot, tab, "Study", "Papers")  # h, u or c would annotate it
    window.actions_by_name["find"].trigger()
    edit = tab.search_edit
    qtbot.waitUntil(edit.hasFocus, timeout=3000)
    qtbot.keyClicks(edit, "hucn/")
    qtbot.keyClick(edit, Qt.Key.Key_N, Qt.KeyboardModifier.ShiftModifier)
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    qtbot.keyClick(edit, Qt.Key.Key_Delete)
    qtbot.keyClick(edit, Qt.Key.Key_End)
    qtbot.keyClick(edit, Qt.Key.Key_Backspace)
    assert edit.text().lower() == "ucn/"
    assert papers.annotations(ARXIV_KEY) == [] and tab.view.current_page() == 0
    assert tab.selection is not None


def test_esc_in_the_find_field_closes_it_and_returns_to_the_page(viewer, qtbot) -> None:
    window, tab = viewer
    qtbot.keyClick(tab.view, Qt.Key.Key_Slash)
    qtbot.waitUntil(tab.search_edit.hasFocus, timeout=3000)
    qtbot.keyClicks(tab.search_edit, "Synthetic")
    qtbot.keyClick(tab.search_edit, Qt.Key.Key_Escape)
    assert not tab.search_bar.isVisible()
    assert QApplication.focusWidget() is tab.view


def test_symbol_buttons_and_the_page_view_have_names(viewer) -> None:
    _window, tab = viewer
    buttons = tab.search_bar.findChildren(QToolButton)
    assert {b.text(): b.accessibleName() for b in buttons} == {
        "▲": "Previous match", "▼": "Next match", "✕": "Close find"}
    assert all(b.toolTip() for b in buttons)
    assert tab.search_edit.accessibleName() == "Find in document"
    assert tab.view.accessibleName() == "Pages of the PDF"


def test_enter_on_an_annotation_in_the_sidebar_goes_to_it(viewer, qtbot) -> None:
    window, tab = viewer
    _select(qtbot, tab, "Study", "Papers")
    qtbot.keyClick(tab.view, Qt.Key.Key_H)
    assert tab.annotation_list.count() == 1
    tab.go_to_page(6)
    assert tab.view.current_page() == 6
    tab.sidebar.show()
    tab.sidebar.setCurrentWidget(tab.annotation_list)
    tab.annotation_list.setFocus()
    tab.annotation_list.setCurrentRow(0)
    qtbot.keyClick(tab.annotation_list, Qt.Key.Key_Return)
    assert tab.view.current_page() == 0


def test_viewer_menus_have_distinct_mnemonics(viewer) -> None:
    window, _tab = viewer
    bar = window.menuBar()
    for actions in [bar.actions()] + [m.actions() for m in bar.findChildren(QMenu)]:
        letters = [m.group(1).lower() for a in actions
                   if (m := re.search(r"&([^&])", a.text())) is not None]
        assert len(letters) == len(set(letters)), [a.text() for a in actions]
    assert all("&" in a.text() for a in bar.actions())
