"""Fault cases against a real folder remote (SYNC.md §5.3), each a plain regression test."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from readinglist.core.hlc import MAX_DRIFT_MS, Timestamp, wall_clock_ms
from readinglist.services.library import Library
from readinglist.sync import state
from readinglist.sync.crypto import WrongPassphraseError
from readinglist.sync.engine import SyncEngine
from readinglist.sync.folder import FolderStorage
from readinglist.sync.storage_api import OfflineError, RemoteMissingError, SyncError
from tests.sync.helpers import FaultyRemote, canonical, open_library, record, sync

KEY = "2401.00001"


def seeded(lib: Library, n: int = 2) -> None:
    lib.merge_records([record(i) for i in range(1, n + 1)])
    lib.tag([KEY], add=["llm"])
    lib.set_note(KEY, "first line\n")


def remote_files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


def log_files(root: Path, device: str) -> list[Path]:
    return sorted((root / "log" / device).glob("*.ops"))


def test_interrupted_upload_leaves_only_tmp_garbage_then_resumes(
        replicas: list[Library], remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    remote = FaultyRemote(FolderStorage(remote_dir))
    remote.arm("put_new", "half", lambda p: p.startswith("log/"))
    with pytest.raises(OfflineError, match="mid-upload"):
        sync(a, remote)
    assert list((remote_dir / "tmp").iterdir())  # the torn upload sits in tmp/ only
    assert not log_files(remote_dir, a.device_id)
    assert state.get_meta(a, "pushed_seq", 0) == 0
    report = sync(a, remote)
    assert report.pushed == state.local_seq(a)
    assert not list((remote_dir / "tmp").iterdir())  # our leftovers were swept
    sync(b, remote)
    assert canonical(a) == canonical(b)


def test_truncated_file_under_final_name_is_rejected_until_complete(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote)
    [batch] = log_files(remote_dir, a.device_id)
    full = batch.read_bytes()
    batch.write_bytes(full[: len(full) // 2])  # a sync tool caught the file mid-transfer
    report = sync(b, folder_remote)
    assert report.pulled_total == 0 and report.rejected
    assert "truncated or corrupt" in report.rejected[0]
    assert b.list(view="all") == []
    assert state.load_vv(b).get(a.device_id, 0) == 0
    flipped = bytearray(full)
    flipped[len(flipped) // 2] ^= 0x40
    batch.write_bytes(bytes(flipped))
    assert sync(b, folder_remote).rejected
    batch.write_bytes(full)  # the transfer completed
    assert sync(b, folder_remote).pulled_total == state.local_seq(a)
    assert canonical(a) == canonical(b)


def test_published_upload_with_lost_reply_is_not_duplicated(
        replicas: list[Library], remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    remote = FaultyRemote(FolderStorage(remote_dir))
    remote.arm("put_new", "lost-answer", lambda p: p.startswith("log/"))
    with pytest.raises(OfflineError):
        sync(a, remote)
    assert len(log_files(remote_dir, a.device_id)) == 1
    a.mark([KEY], "starred", True)
    report = sync(a, remote)
    assert report.pushed == 1  # only the new op; the published batch was adopted
    names = [p.name for p in log_files(remote_dir, a.device_id)]
    assert len(names) == 2 and names[0].startswith("1-") and names[1].startswith(
        f"{state.local_seq(a)}-")
    sync(b, remote)
    assert canonical(a) == canonical(b)


def test_duplicate_delivery_changes_nothing(replicas: list[Library],
                                            folder_remote: FolderStorage) -> None:
    a, b, _ = replicas
    seeded(a)
    a.add_annotation(KEY, "highlight", 1, [[0, 0, 1, 1]], "text", comment="c")
    sync(a, folder_remote)
    sync(b, folder_remote)
    before = canonical(b)
    with b.store.transaction(write=True) as conn:  # forget what was received: all again
        conn.exec_driver_sql("DELETE FROM vv")
    assert sync(b, folder_remote).pulled_total == state.local_seq(a)  # delivered again
    assert canonical(b) == before
    with b.store.transaction() as conn:
        count = conn.exec_driver_sql("SELECT count(*) FROM ops").scalar()
    assert count == state.local_seq(a)


def test_conflict_copies_and_foreign_files_are_ignored(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote)
    [batch] = log_files(remote_dir, a.device_id)
    shutil.copy(batch, batch.with_name(batch.stem + ".sync-conflict-20240101-120000-XYZ.ops"))
    (batch.parent / ".syncthing.1-9.abcdef12.ops.tmp").write_bytes(b"partial")
    (batch.parent / "notes.txt").write_text("hello")
    report = sync(b, folder_remote)
    assert report.pulled_total == state.local_seq(a) and not report.rejected
    assert canonical(a) == canonical(b)


def test_gap_is_never_skipped(replicas: list[Library], folder_remote: FolderStorage,
                              remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote)
    a.mark([KEY], "read", True)
    sync(a, folder_remote)
    first, second = log_files(remote_dir, a.device_id)
    hidden = first.with_name("hidden")
    first.rename(hidden)  # the first batch has not arrived yet
    assert sync(b, folder_remote).pulled_total == 0
    assert state.load_vv(b).get(a.device_id, 0) == 0
    hidden.rename(first)
    assert sync(b, folder_remote).pulled_total == state.local_seq(a)
    assert canonical(a) == canonical(b)
    assert second.exists()


def test_clock_hours_ahead_converges_and_warns(replicas: list[Library],
                                               folder_remote: FolderStorage) -> None:
    a, b, _ = replicas
    a.merge_records([record(1)])
    sync(a, folder_remote)
    sync(b, folder_remote)
    future = Timestamp(wall_clock_ms() + 5 * 3_600_000, 0).encode()
    with a.store.transaction(write=True) as conn:
        conn.exec_driver_sql("UPDATE device SET hlc = ?", (future,))
    a.mark([KEY], "starred", True)
    sync(a, folder_remote)
    report = sync(b, folder_remote)
    assert any("clock is" in w and "ahead" in w for w in report.warnings)
    with b.store.transaction() as conn:
        hlc = conn.exec_driver_sql("SELECT hlc FROM device").scalar()
    assert Timestamp.decode(hlc).physical_ms <= wall_clock_ms() + MAX_DRIFT_MS  # not dragged
    b.mark([KEY], "read", True)
    sync(b, folder_remote)
    sync(a, folder_remote)
    assert canonical(a) == canonical(b)
    assert a.list(view="all")[0].starred and a.list(view="all")[0].read


def test_renamed_remote_deletes_nothing_and_says_so(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a = replicas[0]
    seeded(a)
    sync(a, folder_remote)
    before = canonical(a)
    remote_dir.rename(remote_dir.with_name("remote-renamed"))
    with pytest.raises(RemoteMissingError, match="is gone .*Nothing was deleted"):
        sync(a, folder_remote)
    assert canonical(a) == before
    assert not remote_dir.exists()  # and nothing was recreated there


def test_emptied_remote_deletes_nothing_and_says_so(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a = replicas[0]
    seeded(a)
    sync(a, folder_remote)
    before = canonical(a)
    for child in remote_dir.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    with pytest.raises(RemoteMissingError, match="looks empty or moved"):
        sync(a, folder_remote)
    assert canonical(a) == before
    assert list(remote_dir.iterdir()) == []  # nothing written over the empty place


def test_repointed_remote_is_refused(replicas: list[Library], tmp_path: Path,
                                     folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote)
    other = FolderStorage(tmp_path / "other")
    b.merge_records([record(9)])
    sync(b, other)
    shutil.rmtree(remote_dir)
    shutil.copytree(tmp_path / "other", remote_dir)  # someone swapped the folder's content
    before = canonical(a)
    with pytest.raises(RemoteMissingError, match="different sync data"):
        sync(a, folder_remote)
    assert canonical(a) == before


def test_copied_home_gets_a_new_device_id_and_loses_nothing(
        replicas: list[Library], folder_remote: FolderStorage, tmp_path: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote)
    a.store.close()
    clone_dir = tmp_path / "clone"
    shutil.copytree(Path(a.path).parent, clone_dir)
    clone = open_library(clone_dir)
    assert clone.device_id == a.device_id
    a.tag([KEY], add=["from-a"])
    a.set_position(KEY, 10)
    clone.tag([KEY], add=["from-clone"], remove=["llm"])
    clone.set_note(KEY, "first line\nclone line\n")
    clone.set_position(KEY, 20)
    sync(a, folder_remote)
    report = sync(clone, folder_remote)
    assert report.new_device_id and clone.device_id == report.new_device_id != a.device_id
    assert any("copy of this library" in w for w in report.warnings)
    for _ in range(2):
        for lib in (a, b, clone):
            sync(lib, folder_remote)
    assert canonical(a) == canonical(b) == canonical(clone)
    tags = {t for p in b.list(view="all") for t in p.tags}
    assert {"from-a", "from-clone"} <= tags and "llm" not in tags
    assert any("clone line" in p.note for p in b.list(view="all"))
    pages = {p.page for p in b.positions(KEY)}
    assert pages == {10, 20}
    clone.close()


def test_restored_backup_does_not_reuse_published_sequence_numbers(
        replicas: list[Library], folder_remote: FolderStorage, tmp_path: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote)
    a.store.close()
    backup = tmp_path / "backup"
    shutil.copytree(Path(a.path).parent, backup)
    a = open_library(Path(a.path).parent)
    a.tag([KEY], add=["after-backup"])
    sync(a, folder_remote)
    a.close()
    restored = open_library(backup)  # the disk died; the backup comes back
    restored.mark([KEY], "starred", True)
    report = sync(restored, folder_remote)
    assert report.new_device_id
    sync(b, folder_remote)
    sync(restored, folder_remote)
    assert canonical(restored) == canonical(b)
    assert any("after-backup" in p.tags and p.starred for p in b.list(view="all"))
    restored.close()


def test_wrong_passphrase_is_reported_and_nothing_is_written(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote, passphrase="correct horse", encrypt=True)
    files = remote_files(remote_dir)
    assert not any(b"Paper 1" in data or b"llm" in data for data in files.values()
                   if not data.startswith(b"{"))
    for wrong in ("wrong", "correct horse "):
        with pytest.raises(WrongPassphraseError, match="wrong passphrase"):
            sync(b, folder_remote, passphrase=wrong, encrypt=True)
    with pytest.raises(SyncError, match="encrypted"):
        sync(b, folder_remote)
    assert remote_files(remote_dir) == files
    assert b.list(view="all") == []
    sync(b, folder_remote, passphrase="correct horse", encrypt=True)
    assert canonical(a) == canonical(b)


def test_swapped_encrypted_files_fail_authentication(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote, passphrase="pw", encrypt=True)
    a.mark([KEY], "read", True)
    sync(a, folder_remote, passphrase="pw", encrypt=True)
    first, second = log_files(remote_dir, a.device_id)
    content = first.read_bytes()
    first.write_bytes(second.read_bytes())
    report = sync(b, folder_remote, passphrase="pw", encrypt=True)
    assert report.pulled_total == 0 and "failed authentication" in report.rejected[0]
    first.write_bytes(content)
    sync(b, folder_remote, passphrase="pw", encrypt=True)
    assert canonical(a) == canonical(b)


def test_compaction_lets_a_late_device_bootstrap_from_the_snapshot(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, c = replicas
    sync(b, folder_remote)  # b is known (acknowledges); c is not yet
    for i in range(1, 7):
        a.merge_records([record(i)])
        a.tag([f"2401.{i:05d}"], add=["t"])
        sync(a, folder_remote, compact_after=3)
        sync(b, folder_remote, compact_after=3)
    sync(a, folder_remote, compact_after=3)
    snaps = list((remote_dir / "snap" / a.device_id).glob("*.snap"))
    assert len(snaps) == 1
    assert len(log_files(remote_dir, a.device_id)) < 6  # old batches were removed
    report = sync(c, folder_remote, compact_after=3)
    assert report.pulled_total > 0
    assert canonical(a) == canonical(b) == canonical(c)


def test_compaction_waits_for_every_known_device(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, _ = replicas
    sync(b, folder_remote)  # b acknowledged nothing of a's yet, and stays away
    for i in range(1, 6):
        a.merge_records([record(i)])
        sync(a, folder_remote, compact_after=2)
    assert len(log_files(remote_dir, a.device_id)) == 5
    assert not (remote_dir / "snap").exists()
    sync(b, folder_remote)
    sync(a, folder_remote, compact_after=2)
    a.mark(["2401.00001"], "read", True)
    sync(a, folder_remote, compact_after=2)
    assert len(log_files(remote_dir, a.device_id)) < 6
    sync(b, folder_remote)
    assert canonical(a) == canonical(b)


def test_offline_round_loses_nothing_and_next_round_catches_up(
        replicas: list[Library], remote_dir: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    remote = FaultyRemote(FolderStorage(remote_dir))
    remote.arm("list", "offline")
    with pytest.raises(OfflineError):
        sync(a, remote)
    remote.arm("get", "offline", lambda p: p.startswith("log/"))
    sync(a, remote)
    with pytest.raises(OfflineError):
        sync(b, remote)
    sync(b, remote)
    assert canonical(a) == canonical(b)


def test_a_device_gone_for_months_stops_holding_back_compaction_and_can_return(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    import json

    a, b, _ = replicas
    sync(b, folder_remote)  # b acknowledges nothing of a's, then disappears
    ack = remote_dir / "devices" / f"{b.device_id}.json"
    doc = json.loads(ack.read_text())
    doc["last_seen"] = "2020-01-01T00:00:00+00:00"
    ack.write_text(json.dumps(doc))
    for i in range(1, 6):
        a.merge_records([record(i)])
        sync(a, folder_remote, compact_after=2)
    assert len(log_files(remote_dir, a.device_id)) < 5  # compacted without b
    b.save_search("offline work", "tag:llm")  # made while away
    report = sync(b, folder_remote)  # b returns: catches up from the snapshot
    assert report.pulled_total == 5 and report.pushed == 1
    sync(a, folder_remote)
    assert canonical(a) == canonical(b)
    assert [s.name for s in a.saved_searches()] == ["offline work"]


def test_changes_made_before_the_copy_are_not_duplicated(
        replicas: list[Library], folder_remote: FolderStorage, tmp_path: Path) -> None:
    a, b, _ = replicas
    seeded(a)
    sync(a, folder_remote)
    a.tag([KEY], add=["before-copy"])  # not yet synced when the home folder is copied
    a.store.close()
    shutil.copytree(Path(a.path).parent, tmp_path / "clone")
    clone = open_library(tmp_path / "clone")
    a.tag([KEY], add=["from-a"])
    clone.tag([KEY], add=["from-clone"])
    sync(a, folder_remote)  # publishes the shared change and its own under the old id
    report = sync(clone, folder_remote)
    assert report.new_device_id and "1 unsent change(s) moved" in report.warnings[0]
    for _ in range(2):
        for lib in (a, b, clone):
            sync(lib, folder_remote)
    assert canonical(a) == canonical(b) == canonical(clone)
    with b.store.transaction() as conn:
        adds = conn.exec_driver_sql("SELECT tag FROM tag_adds ORDER BY tag").all()
    assert [t for (t,) in adds] == ["before-copy", "from-a", "from-clone", "llm"]
    clone.close()


def test_forgetting_a_retired_device_lets_compaction_go_ahead(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, c = replicas
    sync(b, folder_remote)  # b acknowledged nothing of a's, then was retired
    for i in range(1, 6):
        a.merge_records([record(i)])
        sync(a, folder_remote, compact_after=2)
    assert len(log_files(remote_dir, a.device_id)) == 5  # waiting for b
    engine = SyncEngine(a, folder_remote)
    assert {d.device_id: d.this_device for d in engine.devices()} == {
        a.device_id: True, b.device_id: False}
    with pytest.raises(SyncError):
        engine.forget_device(a.device_id)
    assert engine.forget_device(b.device_id)
    assert not engine.forget_device(b.device_id)  # already gone
    a.mark(["2401.00001"], "read", True)
    sync(a, folder_remote, compact_after=2)
    assert len(log_files(remote_dir, a.device_id)) < 5
    assert list((remote_dir / "snap" / a.device_id).glob("*.snap"))
    sync(b, folder_remote)  # the retired machine comes back after all: it catches up
    sync(c, folder_remote)
    assert canonical(a) == canonical(b) == canonical(c)
    assert b.device_id in {d.device_id for d in SyncEngine(a, folder_remote).devices()}
