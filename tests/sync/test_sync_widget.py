"""The status-bar sync indicator and the note-conflicts view, offscreen with pytest-qt."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path
from typing import Any


from readinglist.services.library import Library
from readinglist.services.paths import library_paths
from readinglist.services.sync import SyncService
from readinglist.ui.sync_status import NoteConflictsDialog, SyncIndicator, create_sync_widget
from tests.sync.helpers import record

KEY = "2401.00001"


class Waiter:
    """Collects a signal's emissions; waits by polling (robust to a leaked QApplication.quit())."""

    def __init__(self, qtbot: Any, signal: Any) -> None:
        self.qtbot = qtbot
        self.seen: list[Any] = []
        signal.connect(self.seen.append)

    def next(self, timeout: int = 10_000) -> Any:
        count = len(self.seen)
        self.qtbot.waitUntil(lambda: len(self.seen) > count, timeout=timeout)
        return self.seen[-1]


def indicator(qtbot: Any, library: Library, **timers: int) -> SyncIndicator:
    widget = SyncIndicator(SyncService(library, library_paths()), **timers)
    qtbot.addWidget(widget)
    return widget


def test_unconfigured_widget_says_off(qtbot: Any, library: Library) -> None:
    widget = create_sync_widget(library, library_paths())
    qtbot.addWidget(widget)
    assert widget.state == "off" and "not set up" in widget.button.toolTip()
    widget.sync_now()
    assert widget.state == "off"
    widget.shutdown()


def test_a_setup_made_in_the_cli_is_picked_up(qtbot: Any, library: Library,
                                              tmp_path: Path) -> None:
    widget = indicator(qtbot, library, debounce_ms=10, period_ms=600_000)
    assert widget.state == "off"
    other = SyncService(library, library_paths())  # e.g. `readinglist sync setup` meanwhile
    other.setup_folder(tmp_path / "shared")
    rounds = Waiter(qtbot, widget.round_finished)
    widget.sync_now()
    rounds.next()
    assert widget.state == "idle"
    widget.shutdown()


def test_local_change_syncs_after_the_debounce_off_the_gui_thread(
        qtbot: Any, library: Library, tmp_path: Path) -> None:
    SyncService(library, library_paths()).setup_folder(tmp_path / "shared")
    widget = indicator(qtbot, library, debounce_ms=50, period_ms=600_000)
    rounds = Waiter(qtbot, widget.round_finished)
    rounds.next()  # the first round after start-up
    assert widget.state == "idle"
    seen: list[str] = []
    widget.state_changed.connect(seen.append)
    sync_threads: list[str] = []
    original = widget.service.sync_once

    def spy() -> Any:
        sync_threads.append(threading.current_thread().name)
        return original()

    widget.service.sync_once = spy  # type: ignore[method-assign]
    worker = threading.Thread(target=lambda: library.merge_records([record(1)]))
    worker.start()  # listeners are called on the writing thread
    worker.join()
    rounds.next()
    assert seen[:2] == ["syncing", "idle"]
    assert "sent 1" in widget.button.toolTip()
    assert sync_threads and all(name.startswith("rl-sync") for name in sync_threads)
    assert list((tmp_path / "shared" / "log" / library.device_id).glob("*.ops"))
    qtbot.wait(200)  # changes applied by sync itself do not schedule another round
    assert len(sync_threads) == 1
    widget.shutdown()


def test_moved_remote_shows_an_error_with_the_reason(qtbot: Any, library: Library,
                                                     tmp_path: Path) -> None:
    SyncService(library, library_paths()).setup_folder(tmp_path / "shared")
    widget = indicator(qtbot, library, debounce_ms=10, period_ms=600_000)
    rounds = Waiter(qtbot, widget.round_finished)
    rounds.next()
    shutil.rmtree(tmp_path / "shared")
    widget.sync_now()
    rounds.next()
    assert widget.state == "error"
    assert "Nothing was deleted" in widget.button.toolTip()
    assert widget.button.text() == "Sync error"
    widget.shutdown()


def test_unreachable_server_shows_offline(qtbot: Any, library: Library,
                                          tmp_path: Path) -> None:
    from tests.sync.conftest import start_dav

    root = tmp_path / "dav"
    root.mkdir()
    server, thread, url = start_dav(root)
    service = SyncService(library, library_paths())
    service.setup_webdav(f"{url}/sync/", "alice", "secret")
    server.stop()
    thread.join(timeout=5)
    widget = SyncIndicator(service, debounce_ms=10, period_ms=600_000)
    qtbot.addWidget(widget)
    Waiter(qtbot, widget.round_finished).next(timeout=30_000)
    assert widget.state == "offline" and "cannot reach" in widget.button.toolTip()
    widget.shutdown()


def test_conflicts_view_lists_concurrent_notes_and_resolves_them(
        qtbot: Any, tmp_path: Path) -> None:
    from readinglist.sync.folder import FolderStorage
    from tests.sync.helpers import open_library, sync

    remote = FolderStorage(tmp_path / "shared")
    laptop, desktop = open_library(tmp_path / "laptop"), open_library(tmp_path / "desktop")
    laptop.merge_records([record(1)])
    laptop.set_note(KEY, "shared line\n")
    sync(laptop, remote)
    sync(desktop, remote)
    laptop.set_note(KEY, "laptop wording\n")
    desktop.set_note(KEY, "desktop wording\n")
    sync(laptop, remote)
    sync(desktop, remote)
    assert sorted(desktop.note_versions(KEY)) == ["desktop wording\n", "laptop wording\n"]
    dialog = NoteConflictsDialog(desktop)
    qtbot.addWidget(dialog)
    loads = Waiter(qtbot, dialog.loaded)
    assert [row[0] for row in loads.next()] == [KEY]
    assert dialog.versions.count() == 2
    assert "laptop wording" in dialog.merged.toPlainText()
    assert "desktop wording" in dialog.merged.toPlainText()
    dialog.merged.setPlainText("desktop wording\nlaptop wording\n")
    dialog.save_merged()
    assert loads.next() == []
    assert desktop.note_versions(KEY) == ["desktop wording\nlaptop wording\n"]
    sync(desktop, remote)
    sync(laptop, remote)
    assert laptop.note_versions(KEY) == ["desktop wording\nlaptop wording\n"]
    dialog.close()
    laptop.close()
    desktop.close()


def test_changes_after_the_window_closed_do_not_break_writes(qtbot: Any, library: Library,
                                                             tmp_path: Path) -> None:
    SyncService(library, library_paths()).setup_folder(tmp_path / "shared")
    widget = SyncIndicator(SyncService(library, library_paths()), debounce_ms=10_000,
                           period_ms=600_000)  # not handed to qtbot: deleted below
    widget.shutdown()
    widget.deleteLater()
    qtbot.wait(50)
    library.merge_records([record(2)])  # the listener must not raise into the writer
    assert len(library.list(view="all")) == 1


def test_at_start_the_indicator_shows_how_the_last_round_went(qtbot, tmp_path) -> None:
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.sync import state
    from readinglist.ui.sync_status import create_sync_widget

    home = tmp_path / "home"
    paths = library_paths(home)
    library = Library(paths.database)
    try:
        widget = create_sync_widget(library, paths)
        qtbot.addWidget(widget)
        assert widget.state == "off"
        widget.shutdown()
        from readinglist.services.sync import SyncService

        SyncService(library, paths).setup_folder(tmp_path / "shared")
        state.set_meta(library, {"last_error": "the sync folder is gone"})
        widget = create_sync_widget(library, paths)
        qtbot.addWidget(widget)
        assert widget.state == "error" and widget.reason == "the sync folder is gone"
        widget.shutdown()
    finally:
        library.close()
