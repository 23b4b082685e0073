"""Audit follow-ups: unusable batches are skipped, not fatal; newer formats say so; a library
copied to two machines that both pushed stops sync loudly instead of diverging."""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from readinglist.core.ops import Op
from readinglist.services.library import Library
from readinglist.storage.oplog import new_device_id
from readinglist.sync import batch as batch_codec
from readinglist.sync import state
from readinglist.sync.batch import encode_log
from readinglist.sync.folder import FolderStorage
from readinglist.sync.storage_api import RemoteError, SyncError
from readinglist.sync.webdav import WebDavStorage
from tests.sync.helpers import canonical, open_library, record, sync

KEY = "2401.00001"
HLC = "001700000000000.00000"


def publish(root: Path, device: str, name: str, data: bytes) -> Path:
    """Put a batch file where a device's log lives, as a sync tool would deliver it."""
    folder = root / "log" / device
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(data)
    return path


def bad_batch(root: Path, bad: dict[str, Any]) -> tuple[str, Path]:
    """An intact (hash-correct) batch from a buggy writer: a good change, then a bad one."""
    device = new_device_id()
    good = Op(device, 1, HLC, "paper", KEY, "set", "starred", True)
    fields = {"hlc": HLC, "entity": "paper", "entity_id": KEY, "kind": "set",
              "field": "read", "value": True, **bad}
    name, data = encode_log(device, [good, Op(device, 2, **fields)])
    return device, publish(root, device, name.name, data)


def ops_of(library: Library, device: str) -> int:
    with library.store.transaction() as conn:
        return int(conn.exec_driver_sql(
            "SELECT count(*) FROM ops WHERE device_id = ?", (device,)).scalar())


BAD_VALUES = {
    "malformed clock": {"hlc": "yesterday"},
    "wrong-typed field": {"entity_id": 2401},
    "unknown entity": {"entity": "collection", "kind": "create", "value": {"name": "x"}},
    "unknown kind": {"kind": "toggle"},
    "value of the wrong shape": {"entity": "note", "kind": "edit", "field": "",
                                 "value": ["not", "a", "dict"]},
    "value the database refuses": {"kind": "upsert", "entity_id": "2401.00009", "field": "",
                                   "value": {"arxiv_id": "2401.00009", "title": {"x": 1}}},
}


@pytest.mark.parametrize("bad", BAD_VALUES.values(), ids=BAD_VALUES.keys())
def test_a_bad_value_in_an_intact_batch_is_skipped_and_other_devices_still_sync(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path,
        bad: dict[str, Any]) -> None:
    a, b, _ = replicas
    a.merge_records([record(1)])
    sync(a, folder_remote)
    device, path = bad_batch(remote_dir, bad)

    report = sync(b, folder_remote, batch_size=1)  # a batch larger than this reader's chunks
    assert b.get(KEY) is not None  # the healthy device's batch applied
    assert len(report.rejected) == 1 and device in report.rejected[0]
    assert path.name in report.rejected[0]
    assert ops_of(b, device) == 0 and not b.get(KEY).starred  # not half-applied
    assert state.load_vv(b).get(device, 0) == 0
    assert path.exists()  # never deleted: a fixed or updated reader may use it

    a.mark([KEY], "read", True)  # the next round is not wedged by the bad batch
    sync(a, folder_remote)
    again = sync(b, folder_remote)
    assert again.pulled == {a.device_id: 1} and len(again.rejected) == 1
    assert b.get(KEY).read and ops_of(b, device) == 0
    assert canonical(a) == canonical(b)


def test_a_bad_value_in_a_snapshot_is_skipped_without_applying_any_of_it(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, _ = replicas
    a.merge_records([record(1)])
    for n in range(4):  # A compacts its log into a snapshot
        a.mark([KEY], "starred", n % 2 == 0)
        sync(a, folder_remote, compact_after=2)
    [snap] = list((remote_dir / "snap" / a.device_id).glob("*.snap"))
    header, body = gzip.decompress(snap.read_bytes()).split(b"\n", 1)
    bad = Op(new_device_id(), 1, HLC, "note", KEY, "edit", "", ["not", "a", "dict"])
    body += (bad.dumps() + "\n").encode()
    doc = json.loads(header)
    doc.update(sha256=hashlib.sha256(body).hexdigest(), count=doc["count"] + 1,
               vv={**doc["vv"], bad.device_id: 1})
    snap.unlink()
    name = f"{doc['hlc']}.{doc['sha256'][:8]}.snap"
    (snap.parent / name).write_bytes(gzip.compress(json.dumps(doc).encode() + b"\n" + body))

    report = sync(b, folder_remote)  # no batch covers A's first changes: only the snapshot
    assert any(name in line for line in report.rejected)
    assert b.list(view="all") == [] and ops_of(b, a.device_id) == 0


def newer_batch(device: str) -> tuple[str, bytes]:
    """A batch as a future readinglist (sync format 2) might write it."""
    body = (Op(device, 1, HLC, "paper", KEY, "set", "starred", True).dumps() + "\n").encode()
    digest = hashlib.sha256(body).hexdigest()
    header = {"format": 2, "kind": "ops", "device": device, "from": 1, "to": 1, "count": 1,
              "sha256": digest}
    return f"1-1.{digest[:8]}.ops", gzip.compress(json.dumps(header).encode() + b"\n" + body)


def test_a_newer_format_batch_asks_for_an_update_and_is_read_after_it(
        dav: tuple[str, Path], replicas: list[Library],
        monkeypatch: pytest.MonkeyPatch) -> None:
    url, root = dav
    a, b, _ = replicas

    def remote() -> WebDavStorage:
        return WebDavStorage(url, "alice", "secret", backoff=0.01)

    a.merge_records([record(1)])
    sync(a, remote())
    device = new_device_id()
    name, data = newer_batch(device)
    assert remote().put_new(f"log/{device}/{name}", data)

    report = sync(b, remote())
    assert report.warnings == [
        f"a batch from device {device} was written by a newer readinglist (format 2); "
        "update readinglist on this machine to read it"]
    assert not report.rejected and not any("damaged" in line for line in report.lines())
    assert b.get(KEY) is not None and not b.get(KEY).starred
    assert state.load_vv(b).get(device, 0) == 0
    assert (root / "sync" / "log" / device / name).exists()

    monkeypatch.setattr(batch_codec, "FORMAT_VERSION", 2)  # this machine is updated
    later = sync(b, remote())
    assert later.pulled == {device: 1} and b.get(KEY).starred


def test_a_newer_format_json_asks_for_an_update(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a = replicas[0]
    a.merge_records([record(1)])
    (remote_dir / "format.json").write_text(json.dumps(
        {"format": "readinglist-sync", "version": 2, "root_id": "f" * 32}))
    with pytest.raises(RemoteError, match=r"newer readinglist \(format 2\); update "
                                          "readinglist on this machine"):
        sync(a, folder_remote)
    assert state.get_meta(a, "pushed_seq", 0) == 0


def merge_folders(source: Path, target: Path) -> None:
    """What Syncthing or Dropbox does when two offline copies meet: every file ends up in both
    (files both sides changed keep one version here; their conflict copies are ignored)."""
    for path in sorted(source.rglob("*")):
        twin = target / path.relative_to(source)
        if path.is_file() and not twin.exists():
            twin.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, twin)


def test_a_library_copied_to_two_machines_that_both_pushed_stops_sync_loudly(
        replicas: list[Library], remote_dir: Path, tmp_path: Path) -> None:
    a, b, c = replicas
    here = FolderStorage(remote_dir)
    a.merge_records([record(1), record(2)])
    sync(a, here)
    sync(b, here)
    a.store.close()
    shutil.copytree(Path(a.path).parent, tmp_path / "copy")  # same device id
    copy = open_library(tmp_path / "copy")
    offline = tmp_path / "offline-remote"
    shutil.copytree(remote_dir, offline)  # the other machine's copy of the synced folder

    def batches() -> set[str]:
        return {p.name for p in (remote_dir / "log" / a.device_id).glob("*.ops")}

    shared = batches()
    a.mark([KEY], "read", True)
    sync(a, here)
    [a_batch] = batches() - shared
    sync(b, here)  # B follows A's next change
    copy.mark([KEY], "starred", True)
    sync(copy, FolderStorage(offline))  # the copy's own, different change of that number
    merge_folders(offline, remote_dir)
    [copy_batch] = batches() - shared - {a_batch}
    assert a_batch.split(".")[0] == copy_batch.split(".")[0]  # one seq range, two batches
    twins = [a_batch, copy_batch]

    for reader in (b, c):  # one followed a batch already, the other neither
        before = canonical(reader)
        with pytest.raises(SyncError, match="two different versions") as caught:
            sync(reader, here)
        assert all(name in str(caught.value) for name in twins)
        assert "copied to another machine" in str(caught.value)
        assert canonical(reader) == before
    for owner, own, other in ((a, a_batch, copy_batch), (copy, copy_batch, a_batch)):
        with pytest.raises(SyncError, match="a copy of this library") as caught:
            sync(owner, here)  # each copy tells which batch is its own
        assert f"{own} is this copy's, {other} the other copy's" in str(caught.value)
    assert copy.device_id == a.device_id and batches() == shared | set(twins)  # nothing sent
    copy.close()


def test_overlapping_batches_with_the_same_changes_are_not_a_collision(
        replicas: list[Library], folder_remote: FolderStorage, remote_dir: Path) -> None:
    a, b, _ = replicas
    a.merge_records([record(1)])
    sync(a, folder_remote)
    a.mark([KEY], "read", True)
    sync(a, folder_remote)
    top = state.local_seq(a)
    name, data = encode_log(a.device_id, state.own_ops(a, a.device_id, 1, top))
    publish(remote_dir, a.device_id, name.name, data)  # a rewrite of both batches into one
    assert len(list((remote_dir / "log" / a.device_id).glob("*.ops"))) == 3
    assert sync(b, folder_remote).pulled_total == top
    sync(a, folder_remote)
    assert canonical(a) == canonical(b)
