"""The note-conflicts window follows sync rounds while it is open, keeping a merge in progress."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readinglist.services.paths import library_paths
from readinglist.services.sync import SyncService
from readinglist.sync.folder import FolderStorage
from readinglist.ui.sync_status import SyncIndicator
from tests.sync.helpers import open_library, record, sync
from tests.sync.test_sync_widget import Waiter

FIRST, SECOND = "2401.00001", "2401.00002"


def _conflict(laptop, desktop, remote, key: str) -> None:  # type: ignore[no-untyped-def]
    laptop.set_note(key, "shared line\n")
    sync(laptop, remote)
    sync(desktop, remote)
    laptop.set_note(key, f"laptop wording of {key}\n")
    desktop.set_note(key, f"desktop wording of {key}\n")
    sync(laptop, remote)
    sync(desktop, remote)


def test_window_refreshes_after_rounds_and_keeps_the_edit(qtbot: Any, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    remote = FolderStorage(shared)
    laptop, desktop = open_library(tmp_path / "laptop"), open_library(tmp_path / "desktop")
    laptop.merge_records([record(1), record(2)])
    _conflict(laptop, desktop, remote, FIRST)
    service = SyncService(desktop, library_paths(tmp_path / "desktop"))
    service.setup_folder(shared)
    widget = SyncIndicator(service, debounce_ms=600_000, period_ms=600_000)
    qtbot.addWidget(widget)
    dialog = widget.show_conflicts()
    loads = Waiter(qtbot, dialog.loaded)
    assert [row[0] for row in loads.next()] == [FIRST]
    assert widget.show_conflicts() is dialog  # one window at a time
    dialog.merged.clear()
    qtbot.keyClicks(dialog.merged, "my merge")

    _conflict(laptop, desktop, remote, SECOND)  # another conflict arrives in a round
    widget.sync_now()
    assert [row[0] for row in loads.next()] == [FIRST, SECOND]
    assert dialog.current_key() == FIRST
    assert dialog.merged.toPlainText() == "my merge"  # not replaced under the user's hands

    laptop.set_note(FIRST, "settled on the laptop\n")  # resolved on the other machine
    sync(laptop, remote)
    widget.sync_now()
    assert [row[0] for row in loads.next()] == [SECOND]
    assert dialog.current_key() == SECOND and "wording of 2401.00002" in dialog.merged.toPlainText()
    dialog.close()
    widget.sync_now()  # a round after closing does not touch the closed window
    qtbot.waitUntil(lambda: widget.state == "idle", timeout=10_000)
    assert widget.show_conflicts() is not dialog
    widget.shutdown()
    laptop.close()
    desktop.close()
