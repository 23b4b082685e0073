"""One sync round: check the remote, push the outbox, pull other devices, acknowledge, compact.

Remote layout (SYNC.md §3.2)::

    format.json                          format, root id, optional E2EE key record
    devices/<device>.json                what each device has applied (its acknowledgement)
    log/<device>/<from>-<to>.<sha8>.ops  immutable batches, each written once by its device
    snap/<device>/<hlc>.<sha8>.snap      compacted history covering a version vector
    tmp/                                 staging for uploads; anything here may be garbage
"""

from __future__ import annotations

import json
import logging
import platform
import re
import sqlite3
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from readinglist.core.errors import StorageError
from readinglist.core.hlc import MAX_DRIFT_MS, HybridClock, Timestamp, wall_clock_ms
from readinglist.core.ops import Op
from readinglist.services.library import Library
from readinglist.storage.oplog import new_device_id, reidentify
from readinglist.sync import state, twins
from readinglist.sync.batch import (
    BatchError, LogName, NewerFormatError, SnapName, decode_log, decode_snapshot, encode_log,
    encode_snapshot, parse_log_name, parse_snap_name)
from readinglist.sync.blobs import fetch_blob, push_blobs
from readinglist.sync.crypto import DecryptError, Sealer, new_key_record, open_key_record
from readinglist.sync.storage_api import (
    RemoteError, RemoteMissingError, RemoteStorage, SyncError, ignored_name)

log = logging.getLogger(__name__)

FORMAT_NAME = "readinglist-sync"
FORMAT_VERSION = 1
MAX_BATCH = 5000
COMPACT_AFTER = 32
INACTIVE_DAYS = 90  # a device unseen this long no longer holds back compaction
SETUP_HINT = "Preferences → Sync, or `readinglist sync setup`"  # in messages for both
_DEVICE_ID = re.compile(r"^[a-z2-7]{26}$")
# the kinds of change this build applies, per entity (merge rules in readinglist.core.ops)
_KINDS = {"paper": ("upsert", "set"), "tag": ("add", "remove"), "note": ("edit",),
          "annotation": ("create", "set"), "position": ("set",), "setting": ("set",)}
# what applying raises on values this build cannot use (a buggy or newer writer)
_BAD_VALUE = (ValueError, TypeError, LookupError, AttributeError, OverflowError)
_BAD_ROW = (sqlite3.ProgrammingError, sqlite3.InterfaceError, sqlite3.DataError,
            sqlite3.IntegrityError)


@dataclass
class SyncReport:
    """What one round moved."""

    pushed: int = 0
    pushed_batches: int = 0
    pulled: dict[str, int] = field(default_factory=dict)
    rejected: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    new_device_id: str | None = None
    snapshot: str | None = None
    compacted_files: int = 0
    pdfs_sent: int = 0

    @property
    def pulled_total(self) -> int:
        return sum(self.pulled.values())

    def lines(self) -> list[str]:
        """A human summary, one fact per line."""
        out = [f"pushed {self.pushed} change(s) in {self.pushed_batches} batch(es)",
               f"pulled {self.pulled_total} change(s)"
               + (f" from {len(self.pulled)} device(s)" if self.pulled else "")]
        out += [f"  {device}: {count}" for device, count in sorted(self.pulled.items())]
        if self.pdfs_sent:
            out.append(f"sent {self.pdfs_sent} PDF(s)")
        if self.new_device_id:
            out.append(f"this library now syncs as device {self.new_device_id}")
        if self.snapshot:
            out.append(f"compacted {self.compacted_files} log file(s) into {self.snapshot}")
        out += [f"skipped a damaged or unreadable remote file (will retry): {r}"
                for r in self.rejected]
        out += [f"warning: {w}" for w in self.warnings]
        return out


@dataclass(frozen=True)
class DeviceInfo:
    """A device that syncs through the remote (from its acknowledgement document)."""

    device_id: str
    name: str
    last_seen: str
    active: bool
    this_device: bool


def _now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _active(doc: dict[str, Any], now_ms: int) -> bool:
    """Whether a device acknowledged within ``INACTIVE_DAYS`` (if it returns later, it catches
    up from the snapshot like a new device)."""
    try:
        seen = datetime.fromisoformat(str(doc.get("last_seen")))
    except ValueError:
        return True
    age_days = (now_ms / 1000 - seen.timestamp()) / 86_400
    return age_days <= INACTIVE_DAYS


def _check_kinds(what: str, ops: Sequence[Op]) -> None:
    """Raise ``BatchError`` for a kind of change this build does not know."""
    for op in ops:
        if op.kind not in _KINDS.get(op.entity, ()):
            raise BatchError(f"{what} holds a kind of change this readinglist does not know "
                             f"({op.entity} {op.kind}, change #{op.seq} of device "
                             f"{op.device_id})")


def _bad_value(error: Exception) -> bool:
    """Whether applying failed on the changes' values rather than on the database itself."""
    if isinstance(error, StorageError):
        return isinstance(error.__cause__, _BAD_ROW)
    return isinstance(error, _BAD_VALUE)


def _note_newer(report: SyncReport, what: str, error: NewerFormatError) -> None:
    warning = (f"{what} was written by a newer readinglist (format {error.version}); update "
               "readinglist on this machine to read it")
    if warning not in report.warnings:
        report.warnings.append(warning)


def register_of(op: Op) -> tuple[str, ...] | None:
    """The last-writer-wins register an op writes, if its effect is fully decided by LWW."""
    if op.kind != "set":
        return None
    if op.entity == "paper" and not op.field:
        return None  # several flags in one op (an import): a later op may set other flags
    if op.entity == "paper":
        return ("paper", op.entity_id, op.field)
    if op.entity == "annotation":
        return ("annotation", op.entity_id, op.field)
    if op.entity == "position":
        return ("position", op.entity_id, op.field or op.device_id)
    if op.entity == "setting":
        return ("setting", op.entity_id)
    return None


def prune_superseded(ops: Sequence[Op]) -> list[Op]:
    """Drop register writes that a later write to the same register overrides."""
    best: dict[tuple[str, ...], Op] = {}
    for op in ops:
        reg = register_of(op)
        if reg is not None and (reg not in best or op.order_key > best[reg].order_key):
            best[reg] = op
    return [op for op in ops if (reg := register_of(op)) is None or best[reg] is op]


class SyncEngine:
    """Runs sync rounds for one library against one remote. Safe to call from a worker thread."""

    def __init__(self, library: Library, remote: RemoteStorage, *,
                 passphrase: str | None = None, encrypt: bool = False,
                 batch_size: int = MAX_BATCH, compact_after: int = COMPACT_AFTER,
                 now_ms: Callable[[], int] = wall_clock_ms,
                 pdf_root: Path | None = None) -> None:
        self.library = library
        self.remote = remote
        self.passphrase = passphrase
        self.encrypt = encrypt
        self.batch_size = batch_size
        self.compact_after = compact_after
        self.now_ms = now_ms
        self.pdf_root = pdf_root  # set: PDFs are synced too (uploaded before the ops)
        self.sealer: Sealer = Sealer()

    # -- the round -----------------------------------------------------------------------------

    def run(self) -> SyncReport:
        """One round. Raises ``SyncError`` subclasses with a user-facing message."""
        report = SyncReport()
        meta = state.all_meta(self.library)
        self._open_format(meta)
        me = self.library.device_id
        self.remote.tmp_prefix = f"{me}-"
        devices = [e.name for e in self.remote.list("log")
                   if e.is_dir and _DEVICE_ID.match(e.name)]
        pushed = int(meta.get("pushed_seq", 0))
        own = self._log_names(me) if me in devices else []
        self._check_twins(me, own)
        if pushed > 0 and not own and not self._own_snapshot_present(me):
            raise RemoteMissingError(
                f"the sync location {self.remote.description} no longer holds this device's "
                "changes (emptied or restored from an old backup?). Nothing was deleted or "
                "changed locally; check the location, or set sync up again to start over "
                f"there ({SETUP_HINT}).")
        me, pushed = self._reconcile_own(me, own, pushed, report)
        if self.pdf_root is not None:
            report.pdfs_sent = push_blobs(self.library, self.remote, self.sealer, self.pdf_root)
        pushed = self._push(me, pushed, report)
        vv = state.load_vv(self.library)
        gaps = [d for d in devices if d != me and self._pull_device(d, vv, report)]
        if gaps or report.new_device_id:
            me, pushed = self._pull_snapshots(me, pushed, vv, report)
            for device in gaps:
                self._pull_device(device, vv, report)
            for device in self._device_dirs():
                if device != me and device not in devices:
                    self._pull_device(device, vv, report)
        self._acknowledge(me, pushed, vv, report)
        self._learn_device_names(report)
        if report.pushed_batches and len(own) + report.pushed_batches >= self.compact_after:
            self._compact(me, pushed, vv, report)
        state.set_meta(self.library, {"last_sync": _now_iso(), "last_error": None,
                                      "last_report": report.lines()})
        return report

    # -- format.json and the safety valve ------------------------------------------------------

    def fetch_pdf(self, sha256: str, dest: Path) -> Path | None:
        """Download a synced PDF by content hash (after the usual remote checks)."""
        self._open_format(state.all_meta(self.library))
        return fetch_blob(self.remote, self.sealer, sha256, dest)

    def open_root(self) -> str:
        """Check the remote as a new location (credentials, passphrase); returns its root id."""
        return self._open_format({}, remember=False)

    def _open_format(self, meta: dict[str, Any], remember: bool = True) -> str:
        where = self.remote.description
        synced_root = meta.get("root_id")
        data = self.remote.get("format.json")
        if data is None:
            if synced_root and not self.remote.root_exists():
                raise RemoteMissingError(
                    f"the sync location {where} is gone (renamed, moved or not mounted?). "
                    "Nothing was deleted or changed locally; reconnect it, or run `readinglist "
                    "sync setup` to choose a new location.")
            if synced_root:
                raise RemoteMissingError(
                    f"the sync location {where} looks empty or moved: this library synced there "
                    "before but its sync data is missing. Nothing was deleted or changed "
                    "locally; reconnect the right location, or set sync up again to start "
                    f"over there ({SETUP_HINT}).")
            data = self._create_format()
        try:
            doc = json.loads(data)
        except ValueError:
            raise RemoteError(f"{where}/format.json is not readinglist sync data") from None
        if not isinstance(doc, dict) or doc.get("format") != FORMAT_NAME:
            raise RemoteError(f"{where} holds something other than readinglist sync data")
        version = doc.get("version")
        if type(version) is int and version > FORMAT_VERSION:
            raise RemoteError(f"the sync data at {where} was written by a newer readinglist "
                              f"(format {version}); update readinglist on this machine to "
                              "sync with it. Nothing was changed")
        if version != FORMAT_VERSION:
            raise RemoteError(f"{where}/format.json is not readinglist sync data")
        root_id = str(doc.get("root_id", ""))
        if synced_root and root_id != synced_root:
            raise RemoteMissingError(
                f"the sync location {where} now holds different sync data (replaced or "
                "repointed). Nothing was deleted or changed locally; set sync up again to "
                f"confirm this location and start over there ({SETUP_HINT}).")
        record = doc.get("e2ee")
        if record:
            if not self.passphrase:
                raise SyncError(f"the sync data at {where} is encrypted; set sync up again "
                                f"with its passphrase ({SETUP_HINT} --encrypt)")
            self.sealer = open_key_record(record, self.passphrase)
        else:
            if self.encrypt:
                raise SyncError(f"the sync data at {where} is not encrypted but this library "
                                "was set up for encryption; choose a new location to start an "
                                "encrypted one")
            self.sealer = Sealer()
        if remember and synced_root != root_id:
            state.set_meta(self.library, {"root_id": root_id, "location": where})
        return root_id

    def _create_format(self) -> bytes:
        doc: dict[str, Any] = {"format": FORMAT_NAME, "version": FORMAT_VERSION,
                               "root_id": uuid.uuid4().hex, "created": _now_iso()}
        if self.encrypt:
            doc["e2ee"], _ = new_key_record(self.passphrase or "")
        data = json.dumps(doc, indent=2, sort_keys=True).encode("utf-8")
        if not self.remote.root_exists():
            self.remote.mkdirs("")
        if self.remote.put_new("format.json", data):
            return data
        existing = self.remote.get("format.json")  # another device created it just now
        if existing is None:
            raise RemoteError(f"cannot create {self.remote.description}/format.json")
        return existing

    def _own_snapshot_present(self, me: str) -> bool:
        return any(parse_snap_name(e.name) for e in self.remote.list(f"snap/{me}"))

    # -- own log: crash recovery and copied-home detection -------------------------------------

    def _log_names(self, device: str) -> list[LogName]:
        names = [parse_log_name(e.name) for e in self.remote.list(f"log/{device}")
                 if not e.is_dir and not ignored_name(e.name)]
        return sorted((n for n in names if n), key=lambda n: (n.first, n.last, n.sha8))

    def _device_dirs(self) -> list[str]:
        return [e.name for e in self.remote.list("log") if e.is_dir and _DEVICE_ID.match(e.name)]

    def _reconcile_own(self, me: str, own: list[LogName], pushed: int,
                       report: SyncReport) -> tuple[str, int]:
        """Adopt batches an interrupted round published; detect another writer of our id."""
        foreign: list[LogName] = []
        for name in own:
            if name.last <= pushed:
                continue
            if self._matches_local(me, name):
                if name.first <= pushed + 1:
                    pushed = name.last
                continue
            foreign.append(name)
        if foreign:
            return self._reidentify(me, self._shared_prefix(me, pushed, foreign), report), 0
        if pushed != int(state.get_meta(self.library, "pushed_seq", 0)):
            state.set_meta(self.library, {"pushed_seq": pushed})
        return me, pushed

    def _matches_local(self, me: str, name: LogName) -> bool:
        """Whether our own batch ``name`` holds exactly this library's ops of its range."""
        local = state.own_ops(self.library, me, name.first, name.last)
        return (len(local) == name.last - name.first + 1
                and encode_log(me, local)[0].sha8 == name.sha8)

    def _shared_prefix(self, me: str, pushed: int, foreign: list[LogName]) -> int:
        """How far the other writer's batches repeat our own ops (made before the copy)."""
        keep = pushed
        for name in foreign:
            if name.first > keep + 1:
                break
            path = f"log/{me}/{name.name}"
            try:
                theirs = decode_log(me, name, self.sealer.open(path, self.remote.get(path) or b""))
            except (BatchError, DecryptError):
                break
            mine = {op.seq: op for op in state.own_ops(self.library, me, keep + 1, name.last)}
            for op in theirs.ops:
                if op.seq <= keep:
                    continue
                if mine.get(op.seq) != op:
                    return keep
                keep = op.seq
        return keep

    def _reidentify(self, old: str, pushed: int, report: SyncReport) -> str:
        """Another library writes under our device id (a copied home): become a new device."""
        new = new_device_id()
        with self.library.store.transaction(write=True) as conn:
            moved = reidentify(conn, old, new, pushed)
            conn.exec_driver_sql(
                "INSERT INTO vv (device_id, seq) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE "
                "SET seq = max(seq, excluded.seq)", (old, pushed))
        self.library.device_id = new
        self.remote.tmp_prefix = f"{new}-"
        state.set_meta(self.library, {"pushed_seq": 0, "acked": None, "snapshot": None,
                                      "previous_device_id": old})
        report.new_device_id = new
        report.warnings.append(
            f"another copy of this library (a copied home folder or restored backup) also "
            f"syncs as device {old}; this one now syncs as {new} ({moved} unsent change(s) "
            "moved, nothing lost)")
        return new

    # -- push ----------------------------------------------------------------------------------

    def _push(self, me: str, pushed: int, report: SyncReport) -> int:
        top = state.local_seq(self.library)
        if top <= pushed:
            return pushed
        prefix = f"{me}-"
        for entry in self.remote.list("tmp"):  # leftovers of our own interrupted uploads
            if entry.name.startswith(prefix):
                self.remote.delete(f"tmp/{entry.name}")
        while pushed < top:
            ops = state.own_ops(self.library, me, pushed + 1, min(top, pushed + self.batch_size))
            if not ops or ops[0].seq != pushed + 1:
                raise SyncError("the local change log has a hole; run `readinglist sync` again "
                                "after restarting the app")
            name, data = encode_log(me, ops)
            path = f"log/{me}/{name.name}"
            if not self.remote.put_new(path, self.sealer.seal(path, data)):
                self._check_existing(me, path, name)
            pushed = name.last
            state.set_meta(self.library, {"pushed_seq": pushed})
            report.pushed += len(ops)
            report.pushed_batches += 1
        return pushed

    def _check_existing(self, me: str, path: str, name: LogName) -> None:
        """A batch already at ``path``: an earlier attempt, unless it is damaged."""
        data = self.remote.get(path)
        try:
            decode_log(me, name, self.sealer.open(path, data or b""))
        except NewerFormatError as error:
            raise RemoteError(f"{error}; update readinglist on this machine to sync") from None
        except (BatchError, DecryptError):
            self.remote.delete(path)  # a torn copy of our own batch: replace it
            name_data = encode_log(me, state.own_ops(self.library, me, name.first, name.last))
            if not self.remote.put_new(path, self.sealer.seal(path, name_data[1])):
                raise RemoteError(f"cannot replace the damaged file {path}") from None

    # -- pull ----------------------------------------------------------------------------------

    def _pull_device(self, device: str, vv: dict[str, int], report: SyncReport) -> bool:
        """Apply the device's batches after ``vv[device]`` in order; True if stopped at a gap."""
        names = self._log_names(device)
        self._check_twins(device, names)
        nxt = vv.get(device, 0) + 1
        while True:
            candidates = [n for n in names if n.first <= nxt <= n.last]
            if not candidates:
                return any(n.first > nxt for n in names)
            for name in sorted(candidates, key=lambda n: (-n.last, n.sha8)):
                if self._pull_batch(device, name, nxt, report):
                    vv[device] = name.last
                    state.save_vv(self.library, {device: name.last})
                    nxt = name.last + 1
                    break
            else:
                return False  # only damaged copies: retry next round, never skip past them

    def _pull_batch(self, device: str, name: LogName, nxt: int, report: SyncReport) -> bool:
        """Fetch, verify and apply one batch from ``nxt`` on; False (reported) if unusable."""
        path = f"log/{device}/{name.name}"
        data = self.remote.get(path)
        if data is None:
            return False
        try:
            batch = decode_log(device, name, self.sealer.open(path, data))
            self._apply(device, path, [op for op in batch.ops if op.seq >= nxt], report)
        except NewerFormatError as error:
            _note_newer(report, f"a batch from device {device}", error)
            return False
        except (BatchError, DecryptError) as error:
            report.rejected.append(str(error))
            return False
        return True

    def _apply(self, source: str, what: str, ops: Sequence[Op], report: SyncReport) -> None:
        """Apply one batch's ops in one transaction (all or nothing)."""
        if not ops:
            return
        self._apply_checked(what, ops)
        limit = self.now_ms() + MAX_DRIFT_MS
        ahead = max(Timestamp.decode(op.hlc).physical_ms for op in ops)
        if ahead > limit:
            hours = (ahead - limit + MAX_DRIFT_MS) / 3_600_000
            warning = (f"device {source}'s clock is {hours:.1f} h ahead; its changes win over "
                       "newer ones until its clock is fixed")
            if warning not in report.warnings:
                report.warnings.append(warning)
        report.pulled[source] = report.pulled.get(source, 0) + len(ops)

    def _apply_checked(self, what: str, ops: Sequence[Op]) -> None:
        """Apply ops in one transaction; ``BatchError`` (nothing applied) if this build cannot."""
        _check_kinds(what, ops)
        try:
            self.library.apply_remote(ops)
        except (*_BAD_VALUE, StorageError) as error:
            if not _bad_value(error):
                raise
            log.warning("cannot apply %s", what, exc_info=True)
            raise BatchError(f"{what} holds a change this readinglist cannot apply (a newer "
                             "or faulty readinglist wrote it)") from None

    # -- one device id, two writers ------------------------------------------------------------

    def _check_twins(self, device: str, names: Sequence[LogName]) -> None:
        """Stop if two different batches of one device cover the same changes (``twins``)."""
        for first, other in twins.overlapping(names):
            if twins.differ(self._batch_ops(device, first), self._batch_ops(device, other)):
                mine = [n for n in (first, other) if device == self.library.device_id
                        and self._matches_local(device, n)]
                raise SyncError(twins.twins_message(
                    device, f"{self.remote.description}/log/{device}/", first, other,
                    mine[0] if len(mine) == 1 else None))

    def _batch_ops(self, device: str, name: LogName) -> dict[int, Op] | None:
        """A batch's ops by sequence number, or None if it cannot be read."""
        path = f"log/{device}/{name.name}"
        try:
            batch = decode_log(device, name, self.sealer.open(path, self.remote.get(path) or b""))
        except (BatchError, DecryptError):
            return None
        return {op.seq: op for op in batch.ops}

    def _pull_snapshots(self, me: str, pushed: int, vv: dict[str, int],
                        report: SyncReport) -> tuple[str, int]:
        """Catch up from snapshots when log files we need were compacted away."""
        found: list[tuple[str, str, SnapName]] = []
        for entry in self.remote.list("snap"):
            if entry.is_dir and _DEVICE_ID.match(entry.name):
                for child in self.remote.list(f"snap/{entry.name}"):
                    name = parse_snap_name(child.name)
                    if name and not ignored_name(child.name):
                        found.append((name.hlc, entry.name, name))
        for _hlc, device, name in sorted(found, reverse=True):
            path = f"snap/{device}/{name.name}"
            data = self.remote.get(path)
            if data is None:
                continue
            try:
                batch = decode_snapshot(device, name, self.sealer.open(path, data))
                _check_kinds(path, batch.ops)
            except NewerFormatError as error:
                _note_newer(report, f"a snapshot from device {device}", error)
                continue
            except (BatchError, DecryptError) as error:
                report.rejected.append(str(error))
                continue
            if batch.vv.get(me, 0) > pushed:  # our id published more than we know: restored
                me, pushed = self._reidentify(me, pushed, report), 0
            newer = {d: s for d, s in batch.vv.items() if d != me and s > vv.get(d, 0)}
            if not newer:
                continue
            ops = [op for op in batch.ops if op.device_id in newer and op.seq > vv.get(
                op.device_id, 0)]
            try:
                for start in range(0, len(ops), self.batch_size):
                    self._apply_checked(path, ops[start:start + self.batch_size])
            except BatchError as error:
                report.rejected.append(str(error))
                continue
            for op in ops:
                report.pulled[op.device_id] = report.pulled.get(op.device_id, 0) + 1
            vv.update(newer)
            state.save_vv(self.library, newer)
        return me, pushed

    # -- acknowledge and compact ---------------------------------------------------------------

    def _acknowledge(self, me: str, pushed: int, vv: dict[str, int], report: SyncReport) -> None:
        acked = dict(sorted({**vv, me: pushed}.items()))
        if state.get_meta(self.library, "acked") == acked:
            return
        with self.library.store.transaction() as conn:
            hlc = conn.exec_driver_sql(
                "SELECT hlc FROM device WHERE id = 1").scalar() or ""
        doc = {"format": FORMAT_VERSION, "device": me, "name": platform.node(),
               "last_seen": _now_iso(), "last_seen_hlc": hlc, "vv": acked}
        path = f"devices/{me}.json"
        self.remote.put(path, self.sealer.seal(path, json.dumps(doc, indent=1).encode()))
        state.set_meta(self.library, {"acked": acked})

    def device_acks(self) -> dict[str, dict[str, Any]]:
        """Every device's acknowledgement document, by device id (unreadable ones skipped)."""
        docs: dict[str, dict[str, Any]] = {}
        for entry in self.remote.list("devices"):
            device = entry.name.removesuffix(".json")
            if entry.is_dir or not entry.name.endswith(".json") or not _DEVICE_ID.match(device):
                continue
            path = f"devices/{entry.name}"
            data = self.remote.get(path)
            try:
                doc = json.loads(self.sealer.open(path, data or b""))
                docs[device] = doc if isinstance(doc, dict) else {}
            except (ValueError, DecryptError):
                continue
        self._remember_names(docs)
        return docs

    def _learn_device_names(self, report: SyncReport) -> None:
        """Read the acknowledgements when changes came from a device whose name this library
        does not know yet (the viewer says "page 12 on <name>")."""
        known = state.get_meta(self.library, "device_names", {})
        if any(device not in known for device in report.pulled):
            self.device_acks()

    def _remember_names(self, docs: dict[str, dict[str, Any]]) -> None:
        known = state.get_meta(self.library, "device_names", {})
        names = {**known, **{device: str(doc.get("name") or "")[:100]
                             for device, doc in docs.items()}}
        if names != known:
            state.set_meta(self.library, {"device_names": names})

    def devices(self) -> list[DeviceInfo]:
        """Every device that syncs through this remote, as its acknowledgement says."""
        self._open_format(state.all_meta(self.library))
        now = self.now_ms()
        me = self.library.device_id
        found = []
        for device, doc in sorted(self.device_acks().items()):
            found.append(DeviceInfo(device, str(doc.get("name") or ""),
                                    str(doc.get("last_seen") or ""), _active(doc, now),
                                    device == me))
        return found

    def forget_device(self, device: str) -> bool:
        """Stop waiting for a device that no longer syncs (sold, reinstalled, retired).

        Its acknowledgement is removed, so compaction no longer waits until it has been away
        for ``INACTIVE_DAYS``. Its changes stay; if it syncs again it acknowledges anew and
        catches up from the snapshots like a new device. Returns False if it was not known.
        Raises ``SyncError`` for this device itself.
        """
        if device == self.library.device_id:
            raise SyncError("that is this device; forget it from another one")
        if not _DEVICE_ID.match(device):
            raise SyncError(f"not a device id: {device!r}")
        self._open_format(state.all_meta(self.library))
        path = f"devices/{device}.json"
        if self.remote.get(path) is None:
            return False
        self.remote.delete(path)
        return True

    def _compact(self, me: str, pushed: int, vv: dict[str, int], report: SyncReport) -> None:
        """Fold our acknowledged log files into a snapshot, then delete them."""
        own = [n for n in self._log_names(me) if n.last <= pushed]
        acks = [int((doc.get("vv") or {}).get(me, 0))
                for device, doc in self.device_acks().items()
                if device != me and _active(doc, self.now_ms())]
        safe = min([pushed, *acks])
        # the newest file always stays: it tells readers where this device's log ends, so one
        # that is behind sees a gap and catches up from the snapshot
        newest = max((n.last for n in own), default=0)
        doomed = [n for n in own if n.last <= safe and n.last < newest]
        if len(doomed) < 2:
            return
        snap_vv = {**vv, me: pushed}
        ops = prune_superseded(list(state.covered_ops(self.library, snap_vv)))
        with self.library.store.transaction() as conn:
            last = conn.exec_driver_sql(
                "SELECT hlc FROM device WHERE id = 1").scalar()
        clock = HybridClock(Timestamp.decode(last) if last else None, now_ms=self.now_ms)
        name, data = encode_snapshot(me, clock.now().encode(), snap_vv, ops)
        path = f"snap/{me}/{name.name}"
        self.remote.put_new(path, self.sealer.seal(path, data))
        for entry in self.remote.list(f"snap/{me}"):
            if entry.name != name.name and parse_snap_name(entry.name):
                self.remote.delete(f"snap/{me}/{entry.name}")
        for old in doomed:
            self.remote.delete(f"log/{me}/{old.name}")
        state.set_meta(self.library, {"snapshot": path})
        report.snapshot = path
        report.compacted_files = len(doomed)
