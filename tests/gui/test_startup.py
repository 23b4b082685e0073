"""Start-up in two steps: the first rows from a read-only reader, the rest right after them."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from readinglist.services.reader import LibraryReader
from readinglist.ui.qt import QApplication, Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers


@pytest.fixture
def deferred_window(qtbot: Any, library: Any, settings: Any, isolated_home: Path):
    """A window built as the desktop app builds it: reader first, Library after first paint."""
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.ui.controllers.main_window import MainWindow

    windows: list[Any] = []
    opened: list[Any] = []

    def open_library() -> Any:
        opened.append(Library(library.path))
        return opened[-1]

    def make() -> Any:
        reader = LibraryReader.open(library.path)
        assert reader is not None
        window = MainWindow(reader, library_paths(), settings, open_library=open_library)
        window.opened_libraries = opened
        qtbot.addWidget(window.view)
        windows.append(window)
        window.start(fetch=False)
        return window

    yield make
    for window in windows:
        window.shutdown()
    for lib in opened:
        lib.close()


def wait_ready(qtbot: Any, window: Any) -> None:
    qtbot.waitUntil(lambda: window.ready, timeout=10_000)
    idle(qtbot, window)


def test_first_rows_come_before_the_library_and_the_rest_follows(qtbot, deferred_window,
                                                                  library):
    add_papers(library, 30)
    window = deferred_window()
    # the first page is in, straight from the read-only reader; nothing else is built yet
    assert not window.ready
    assert isinstance(window.library, LibraryReader)
    assert window.opened_libraries == []
    assert window.papers.model.rowCount() == 30
    assert window.papers.current_position() == 0
    assert window.view.count_label.text() == "30 papers"
    assert not window.view.built
    wait_ready(qtbot, window)
    # now the real Library serves everything, and the window is complete
    assert window.library is window.opened_libraries[0]
    assert window.papers.library is window.library
    assert window.view.built
    first = window.papers.model.row_at(0)
    qtbot.waitUntil(lambda: window.view.detail.title.text() == first.title, timeout=5000)
    qtbot.waitUntil(lambda: window.sidebar.data.total == 30, timeout=5000)
    assert window.sidebar.current_entry().label == "Inbox"
    assert window.view.sidebar.model().rowCount() > 0
    assert window.actions["undo"].isEnabled() is False


@pytest.fixture
def held_back(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Holds the "after the first paint" step so a test can act while the window is shown
    (and active) but not complete; run it with ``held_back[0]()``."""
    import readinglist.ui.controllers.main_window as main_window

    held: list[Any] = []
    monkeypatch.setattr(main_window, "after_next_paint",
                        lambda _widget, callback: held.append(callback))
    return held


def test_keys_pressed_before_the_window_is_complete_are_run_in_order(qtbot, deferred_window,
                                                                     library, held_back):
    add_papers(library, 10)
    window = deferred_window()
    window.view.activateWindow()  # keys reach the window's shortcuts when it is active
    qtbot.waitUntil(window.view.isActiveWindow, timeout=5000)
    assert not window.ready and len(held_back) == 1
    table = window.view.table
    second = window.papers.model.row_at(1).key
    qtbot.keyClick(table, Qt.Key.Key_J)  # next
    qtbot.keyClick(table, Qt.Key.Key_M)  # toggle read
    qtbot.keyClick(table, Qt.Key.Key_S)  # toggle star
    assert not window.ready  # queued, not lost
    assert window.papers.current_position() == 0
    held_back[0]()  # the first rows are painted: the rest of the window is built
    wait_ready(qtbot, window)
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=5000)
    assert window.papers.current_row().key == second
    paper = window.library.get(second)
    assert paper.read and paper.starred
    assert window.actions["undo"].isEnabled()  # the queued triage went through the undo stack
    # and keys keep working normally afterwards
    qtbot.keyClick(table, Qt.Key.Key_K)
    assert window.papers.current_position() == 0


def test_menu_commands_and_search_text_from_before_completion_are_applied(qtbot,
                                                                           deferred_window,
                                                                           library, held_back):
    add_papers(library, 12)
    window = deferred_window()
    window.view.search.setText("Paper 3 ")  # typed into the field before the controllers exist
    view_menu = next(a.menu() for a in window.view.menuBar().actions()
                     if a.text() == "&View")
    starred = next(a for a in view_menu.actions() if a.text() == "Starred")
    starred.trigger()
    assert not window.ready
    held_back[0]()
    wait_ready(qtbot, window)
    qtbot.waitUntil(lambda: window.papers.state.entry.label == "Starred", timeout=5000)
    assert window.papers.state.search == "Paper 3"
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 0  # nothing starred yet


def test_closing_before_the_window_is_complete_never_opens_the_library(qtbot,
                                                                        deferred_window,
                                                                        library):
    add_papers(library, 5)
    window = deferred_window()
    reader = window.library
    window.view.close()
    qtbot.wait(50)  # the first paint's callbacks would have run by now
    assert not window.ready
    assert window.opened_libraries == []
    assert reader.store._connections == []  # the reader's connections are closed


def test_create_window_opens_through_the_reader_when_the_file_is_current(qtbot, library,
                                                                        isolated_home):
    from readinglist.services.config import Settings
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.ui.application import create_window

    add_papers(library, 4)
    Settings(fetch_on_start=False, fetch_interval_minutes=0).save(library_paths().config)
    app = QApplication.instance()
    window = create_window(app, first_run=True, fetch=False)
    qtbot.addWidget(window.view)
    try:
        assert isinstance(window.library, LibraryReader)
        assert window.papers.model.rowCount() == 4
        wait_ready(qtbot, window)
        assert isinstance(window.library, Library)
        assert not app.windowIcon().isNull()  # the icon came with the rest
    finally:
        window.shutdown()
        window.library.close()


def test_create_window_on_the_first_start_opens_the_library_at_once(qtbot, isolated_home):
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.ui.application import create_window

    window = create_window(QApplication.instance(), first_run=True, fetch=False)
    qtbot.addWidget(window.view)
    try:
        assert window.ready  # nothing to read yet: the file is created and set up first
        assert isinstance(window.library, Library)
        assert library_paths().config.exists()
        assert [s.kind for s in window.library.subscriptions()] == ["hf-daily"]
    finally:
        window.shutdown()
        window.library.close()


def test_reader_reads_what_the_library_reads_and_only_current_files(library, tmp_path):
    add_papers(library, 25)
    reader = LibraryReader.open(library.path)
    assert reader is not None
    try:
        for flt in (library.make_filter("inbox"), library.make_filter("all", query="diffusion"),
                    reader.make_filter("all", query="diffusion")):
            ids = library.ids(flt, "title", False)
            assert reader.ids(flt, "title", False) == ids
            assert reader.ids(flt, limit=5) == library.ids(flt, limit=5)
            assert reader.rows(ids) == library.rows(ids)
    finally:
        reader.close()
    assert LibraryReader.open(tmp_path / "missing.sqlite3") is None
    (tmp_path / "junk.sqlite3").write_bytes(b"not a database at all" * 100)
    assert LibraryReader.open(tmp_path / "junk.sqlite3") is None
    older = tmp_path / "older.sqlite3"
    copy = sqlite3.connect(older)
    sqlite3.connect(library.path).backup(copy)
    copy.execute("UPDATE alembic_version SET version_num = '0001'")
    copy.commit()
    copy.close()
    assert LibraryReader.open(older) is None  # an upgrade goes through Library


def test_objects_from_start_up_are_frozen_out_of_the_collectors_way(qtbot):
    import gc

    from readinglist.ui.application import freeze_startup_objects_later

    assert gc.get_freeze_count() == 0
    freeze_startup_objects_later(0)
    try:
        qtbot.waitUntil(lambda: gc.get_freeze_count() > 0, timeout=2000)
    finally:
        gc.unfreeze()  # the rest of the test session collects as usual


def test_the_main_widgets_have_accessible_names(qtbot, make_window, library):
    window = make_window()
    view = window.view
    names = {view.sidebar.accessibleName(), view.search.accessibleName(),
             view.table.accessibleName(), view.detail.accessibleName(),
             view.detail.tags.accessibleName(), view.detail.note_edit.accessibleName()}
    assert "" not in names and len(names) == 6  # screen readers say what each one is
