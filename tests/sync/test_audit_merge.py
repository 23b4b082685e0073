"""Audit regressions: snapshots keep every flag an import set; a later edit undeletes a highlight."""

from __future__ import annotations

import json
import time
from pathlib import Path

from readinglist.services.library import Library
from readinglist.sync.folder import FolderStorage
from readinglist.sync.webdav import WebDavStorage
from tests.sync.helpers import canonical, open_library, record, sync

KEY = "2401.00001"


def import_line(lib: Library, folder: Path, **triage: bool) -> None:
    path = folder / f"import-{lib.device_id}.jsonl"
    path.write_text(json.dumps({"arxiv_id": KEY, "title": "Shared paper", **triage}) + "\n")
    lib.import_jsonl(path)


def test_snapshot_keeps_flags_set_by_imports_on_two_devices(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path,
        tmp_path: Path) -> None:
    a, b, _ = replicas
    # the same paper imported on two machines before they synced: one file marks it read,
    # the other starred (each import sets its flags in one multi-flag op)
    import_line(a, tmp_path, read=True)
    import_line(b, tmp_path, starred=True)
    sync(a, folder_remote)
    sync(b, folder_remote)
    sync(a, folder_remote)
    for n in range(4):  # enough rounds for A to compact its log into a snapshot
        a.mark([KEY], "archived", n % 2 == 0)
        sync(a, folder_remote, compact_after=2)
        sync(b, folder_remote, compact_after=2)
    assert list((remote_dir / "snap" / a.device_id).glob("*.snap"))
    first_batches = sorted(p.name for p in (remote_dir / "log" / a.device_id).glob("1-*.ops"))
    assert first_batches == []  # the import's batch is gone: only the snapshot has it

    newcomer = open_library(tmp_path / "newcomer")
    try:
        sync(newcomer, folder_remote)
        paper = newcomer.get(KEY)
        assert (paper.read, paper.starred) == (True, True)
        assert canonical(newcomer) == canonical(a) == canonical(b)
    finally:
        newcomer.close()


def test_comment_edited_after_a_delete_on_another_device_undeletes_the_highlight(
        dav: tuple[str, Path], replicas: list[Library]) -> None:
    url, _ = dav
    a, b, _ = replicas

    def remote() -> WebDavStorage:
        return WebDavStorage(url, "alice", "secret", backoff=0.01)

    a.merge_records([record(1)])
    highlight = a.add_annotation(KEY, "highlight", 3, [[0, 0, 1, 1]], "quoted")
    sync(a, remote())
    sync(b, remote())
    a.delete_annotation(highlight)  # offline on A
    time.sleep(0.01)
    b.update_annotation(highlight, comment="key result, keep")  # later, offline on B
    for lib in (a, b, a):
        sync(lib, remote())
    for lib in (a, b):
        [shown] = lib.annotations(KEY, include_deleted=True)
        assert (shown.comment, shown.deleted) == ("key result, keep", False)
    assert canonical(a) == canonical(b)

    a.delete_annotation(highlight)  # a delete later than every edit wins again
    for lib in (a, b):
        sync(lib, remote())
    assert [x.deleted for x in b.annotations(KEY, include_deleted=True)] == [True]
    assert canonical(a) == canonical(b)
