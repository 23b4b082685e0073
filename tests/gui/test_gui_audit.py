"""Regressions found by auditing the main window (keyboard, sidebar, list, detail pane, themes)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from readinglist.ui.qt import QApplication, Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers


def sidebar_current(window: Any) -> Any:
    """The entry the sidebar highlights (None for a group header or nothing)."""
    from readinglist.ui.models.sidebar import ENTRY_ROLE

    index = window.view.sidebar.currentIndex()
    selected = window.view.sidebar.selectionModel().selectedIndexes()
    return index.data(ENTRY_ROLE) if index.isValid() and selected else None


def select_entry(qtbot: Any, window: Any, kind: str, label: str) -> None:
    def find() -> Any:
        from readinglist.ui.models.sidebar import ENTRY_ROLE

        model = window.sidebar.model
        for title in ("Tags", "Saved searches"):
            header = model.group(title)
            for row in range(header.rowCount()):
                entry = header.child(row, 0).data(ENTRY_ROLE)
                if entry.kind == kind and entry.label == label:
                    return entry
        return None

    qtbot.waitUntil(lambda: find() is not None, timeout=5000)
    assert window.sidebar.select_entry(find().ident)
    idle(qtbot, window)


def test_the_tag_shown_stays_highlighted_in_the_sidebar_when_a_new_tag_appears(
        qtbot, make_window, library):
    keys = add_papers(library, 6)
    library.tag(keys[:3], add=["alpha"])
    window = make_window()
    select_entry(qtbot, window, "tag", "alpha")
    assert sidebar_current(window).tag == "alpha"

    window.triage.apply_tags(window.papers.selected_ids(), ["zeta"], [])  # a new tag: the
    qtbot.waitUntil(lambda: {t.name for t in window.sidebar.data.tags} == {"alpha", "zeta"},
                    timeout=5000)                                        # Tags group rebuilds
    idle(qtbot, window)
    assert window.papers.state.entry.tag == "alpha"
    entry = sidebar_current(window)
    assert entry is not None and entry.tag == "alpha"


def test_a_saved_search_shown_follows_a_renamed_tag_instead_of_leaving_for_the_inbox(
        qtbot, make_window, library):
    keys = add_papers(library, 6)
    library.tag(keys[:2], add=["llm"])
    library.save_search("My LLM papers", "tag:llm")
    window = make_window()
    select_entry(qtbot, window, "search", "My LLM papers")
    assert window.papers.model.rowCount() == 2

    window.tag_admin.ask_name = lambda old: "language models"
    window.tag_admin.rename("llm")
    qtbot.waitUntil(lambda: window.papers.state.entry.query == 'tag:"language models"',
                    timeout=5000)
    idle(qtbot, window)
    assert window.papers.state.entry.label == "My LLM papers"
    assert window.papers.model.rowCount() == 2
    assert sidebar_current(window).label == "My LLM papers"


def test_the_count_and_the_empty_state_follow_the_last_papers_leaving_the_list(
        qtbot, make_window, library):
    add_papers(library, 3)
    window = make_window()
    assert window.view.count_label.text() == "3 papers"
    qtbot.keyClick(window.view.table, Qt.Key.Key_Delete)
    assert window.view.count_label.text() == "2 papers"
    qtbot.keyClick(window.view.table, Qt.Key.Key_E)
    qtbot.keyClick(window.view.table, Qt.Key.Key_E)
    assert window.papers.model.rowCount() == 0
    assert window.view.count_label.text() == "0 papers"
    assert window.view.list_stack.currentWidget() is window.view.welcome
    assert window.view.welcome.title.text() == "Inbox zero"
    idle(qtbot, window)

    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.papers.model.rowCount() == 1, timeout=5000)
    assert window.view.count_label.text() == "1 paper"
    assert window.view.list_stack.currentWidget() is window.view.table


@pytest.fixture
def restore_theme() -> Iterator[None]:
    """Other tests run in the same application: put its style, palette and sheet back."""
    app = QApplication.instance()
    style, palette, sheet = app.style().name(), app.palette(), app.styleSheet()
    yield
    app.setStyleSheet(sheet)
    app.setPalette(palette)
    app.setStyle(style)


def test_archived_rows_take_the_dim_colour_of_a_theme_chosen_while_running(
        qtbot, make_window, library, restore_theme):
    from readinglist.ui.style.theme import DARK, LIGHT, apply_theme

    app = QApplication.instance()
    keys = add_papers(library, 3)
    library.mark(keys, "archived", True)
    apply_theme(app, "light")
    window = make_window()
    window.sidebar.select_label("Archive")
    idle(qtbot, window)
    index = window.papers.model.index(0, 0)
    foreground = Qt.ItemDataRole.ForegroundRole
    assert window.papers.model.data(index, foreground).name() == LIGHT["dim"]

    apply_theme(app, "dark")  # Preferences → Theme, or the desktop turning dark
    assert window.papers.model.data(index, foreground).name() == DARK["dim"]


def test_the_detail_tag_field_completes_the_tag_after_a_comma(qtbot, make_window, library):
    keys = add_papers(library, 4)
    library.tag(keys[:1], add=["alpha"])
    library.tag(keys[1:2], add=["beta"])
    window = make_window()
    qtbot.waitUntil(lambda: window.detail.paper is not None, timeout=5000)
    qtbot.waitUntil(lambda: len(window.sidebar.data.tags) == 2, timeout=5000)
    field = window.view.detail.tags
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, "alpha, be")
    completer = field.completer_
    assert completer.completionPrefix() == "be"
    assert completer.currentCompletion() == "beta"


def test_a_daily_day_that_could_not_be_fetched_says_so_and_offers_a_retry(
        qtbot, make_window, library):
    add_papers(library, 2, listed=date(2026, 11, 23), source="hf-daily")
    window = make_window()
    window.sidebar.today = lambda: date(2026, 11, 24)
    idle(qtbot, window)
    window.sidebar.select_label("Daily")
    idle(qtbot, window)
    window.sidebar.next_day()  # not in the library; every source is a closed port
    qtbot.waitUntil(lambda: not window.sidebar.fetching_days, timeout=10_000)
    idle(qtbot, window)
    welcome = window.view.welcome
    assert window.view.list_stack.currentWidget() is welcome
    assert welcome.title.text() == "Could not fetch this day"
    assert "Tuesday 24 November 2026" in welcome.text.text()
    assert welcome.primary.text() == "Retry"

    welcome.primary.click()
    assert welcome.title.text() == "Fetching…"
    qtbot.waitUntil(lambda: not window.sidebar.fetching_days, timeout=10_000)
    idle(qtbot, window)
    assert welcome.title.text() == "Could not fetch this day"



def test_e_and_del_act_on_a_selection_reaching_past_the_loaded_rows(qtbot, make_window,
                                                                     library):
    keys = add_papers(library, 450)  # rows are loaded 200 at a time, as they are painted
    window = make_window()
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 450
    window.view.table.selectAll()
    qtbot.keyClick(window.view.table, Qt.Key.Key_E)
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 0
    assert all(library.get(key).archived for key in keys)
    assert window.view.statusBar().currentMessage() == "Archive: 450 papers"

    qtbot.keyClick(window.view.table, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.papers.model.rowCount() == 450, timeout=10_000)
    idle(qtbot, window)
    assert not any(library.get(key).archived for key in keys)

    window.view.table.selectAll()
    qtbot.keyClick(window.view.table, Qt.Key.Key_Delete)
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 0
    assert library.count(library.make_filter("trash")) == 450
    assert window.view.statusBar().currentMessage() == \
        "Moved 450 papers to the Trash (Ctrl+Z undoes it)"
