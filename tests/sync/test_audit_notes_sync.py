"""Audit: notes edited on several replicas — merges, conflicts, the conflicts view — over real
folder and WebDAV remotes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from readinglist.services.library import Library
from readinglist.sync.folder import FolderStorage
from readinglist.ui.sync_status import NoteConflictsDialog
from tests.sync.helpers import record, sync
from tests.sync.test_sync_widget import Waiter

KEY = "2401.00001"


def _start(replicas: list[Library], remote: FolderStorage, note: str) -> None:
    replicas[0].merge_records([record(1)])
    replicas[0].set_note(KEY, note)
    for lib in replicas:
        sync(lib, remote)


def _sync_all(replicas: list[Library], remote: FolderStorage) -> None:
    for _ in range(2):
        for lib in replicas:
            sync(lib, remote)


def test_three_replicas_conflict_and_resolve_in_the_conflicts_view(
        qtbot: Any, replicas: list[Library], folder_remote: FolderStorage) -> None:
    _start(replicas, folder_remote, "shared line\n")
    for name, lib in zip(("laptop", "desktop", "tablet"), replicas):
        lib.set_note(KEY, f"{name} wording\n")
    _sync_all(replicas, folder_remote)
    for lib in replicas:
        assert lib.get(KEY).note_conflict
        assert sorted(lib.note_versions(KEY)) == [
            "desktop wording\n", "laptop wording\n", "tablet wording\n"]
    dialog = NoteConflictsDialog(replicas[2])
    qtbot.addWidget(dialog)
    loads = Waiter(qtbot, dialog.loaded)
    assert [row[0] for row in loads.next()] == [KEY]
    assert dialog.versions.count() == 3
    for name in ("laptop", "desktop", "tablet"):
        assert f"{name} wording" in dialog.merged.toPlainText()
    dialog.merged.setPlainText("all three agree\n")
    dialog.save_merged()
    assert loads.next() == []
    dialog.close()
    _sync_all(replicas, folder_remote)
    for lib in replicas:
        assert lib.note_versions(KEY) == ["all three agree\n"]
        assert not lib.get(KEY).note_conflict
        assert lib.get(KEY).note == "all three agree\n"


def test_a_note_emptied_on_one_replica_and_edited_on_another_is_a_conflict(
        replicas: list[Library], folder_remote: FolderStorage) -> None:
    laptop, desktop, _ = replicas
    _start(replicas, folder_remote, "first\nsecond\n")
    laptop.set_note(KEY, "")
    desktop.set_note(KEY, "first\nsecond\nthird, added on the desktop\n")
    _sync_all(replicas, folder_remote)
    for lib in replicas:
        assert lib.get(KEY).note_conflict
        assert sorted(lib.note_versions(KEY)) == [
            "", "first\nsecond\nthird, added on the desktop\n"]


def test_concurrent_edits_of_a_long_note_merge_in_bounded_time(
        replicas: list[Library], folder_remote: FolderStorage) -> None:
    # a long Markdown note: paragraphs separated by blank lines (the blank lines repeat)
    lines = ["\n" if i % 2 else f"paragraph {i} of the reading notes\n" for i in range(4990)]
    laptop, desktop, _ = replicas
    _start(replicas, folder_remote, "".join(lines))
    mine, theirs = list(lines), list(lines)
    for i in range(0, 2400, 8):
        mine[i] = f"laptop rewrote {i}\n"
    for i in range(2600, 4990, 8):
        theirs[i] = f"desktop rewrote {i}\n"
    laptop.set_note(KEY, "".join(mine))
    desktop.set_note(KEY, "".join(theirs))
    sync(laptop, folder_remote)
    started = time.monotonic()
    sync(desktop, folder_remote)  # applies the laptop's edit: a three-way merge
    elapsed = time.monotonic() - started
    merged = desktop.get(KEY)
    assert not merged.note_conflict
    assert "laptop rewrote 8\n" in merged.note and "desktop rewrote 4984\n" in merged.note
    assert elapsed < 2.5, f"merging took {elapsed:.1f} s"


def test_conflict_resolved_in_the_view_syncs_over_webdav(
        qtbot: Any, tmp_path: Path, dav: tuple[str, Path]) -> None:
    from readinglist.sync.webdav import WebDavStorage
    from tests.sync.helpers import open_library

    url, _root = dav
    laptop, desktop = open_library(tmp_path / "laptop"), open_library(tmp_path / "desktop")
    remotes = [WebDavStorage(url, "alice", "secret") for _ in range(2)]
    try:
        laptop.merge_records([record(1)])
        laptop.set_note(KEY, "intro\n")
        sync(laptop, remotes[0])
        sync(desktop, remotes[1])
        laptop.set_note(KEY, "intro, as the laptop says\n")
        desktop.set_note(KEY, "")
        sync(laptop, remotes[0])
        sync(desktop, remotes[1])
        sync(laptop, remotes[0])
        assert laptop.get(KEY).note_conflict and desktop.get(KEY).note_conflict
        dialog = NoteConflictsDialog(laptop)
        qtbot.addWidget(dialog)
        loads = Waiter(qtbot, dialog.loaded)
        loads.next()
        versions = dialog.versions
        texts = {versions.widget(i).findChild(type(dialog.merged)).toPlainText()
                 for i in range(versions.count())}
        assert texts == {"", "intro, as the laptop says\n"}
        empty = next(i for i in range(versions.count())
                     if not versions.widget(i).findChild(type(dialog.merged)).toPlainText())
        from readinglist.ui.qt import QPushButton

        versions.widget(empty).findChild(QPushButton).click()  # "Keep version N": the deletion
        assert dialog.merged.toPlainText() == ""
        dialog.save_merged()
        assert loads.next() == []
        dialog.close()
        sync(laptop, remotes[0])
        sync(desktop, remotes[1])
        for lib in (laptop, desktop):
            assert lib.note_versions(KEY) == [""]
            assert not lib.get(KEY).note_conflict and lib.get(KEY).note == ""
    finally:
        for remote in remotes:
            remote.close()
        laptop.close()
        desktop.close()
