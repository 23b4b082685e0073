"""Convergence: three replicas, random edits of every kind, random (and faulty) sync rounds.

After quiescing, every replica holds identical state; no tag, note text or annotation is lost;
and the materialised state matches a reference model computed from the union of all ops.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from readinglist.core.errors import ReadinglistError
from readinglist.core.hlc import Timestamp, wall_clock_ms
from readinglist.core.models import Subscription
from readinglist.services.library import Library
from readinglist.storage.oplog import new_device_id
from readinglist.sync import state
from readinglist.sync.folder import FolderStorage
from readinglist.sync.storage_api import SyncError
from tests.sync.helpers import FaultyRemote, canonical, record, sync

KEYS = [f"2401.{i:05d}" for i in range(1, 5)]
TAGS = ["llm", "vision", "to read"]
LINES = ["alpha", "beta", "gamma", "delta", "epsilon"]
FLAGS = ["read", "starred", "archived", "deleted"]
FAULTS = [("list", "offline"), ("get", "offline"), ("get", "truncate"), ("put_new", "half"),
          ("put_new", "lost-answer"), ("put_new", "offline"), ("put", "offline")]
_TEMPLATE: dict[str, Path] = {}


def fresh_library(folder: Path) -> Library:
    """A new library with its own device id, copied from a migrated template (fast)."""
    if "db" not in _TEMPLATE:
        where = Path(tempfile.mkdtemp(prefix="rl-template-"))
        Library(where / "library.sqlite3").close()
        _TEMPLATE["db"] = where / "library.sqlite3"
    folder.mkdir(parents=True)
    target = folder / "library.sqlite3"
    shutil.copyfile(_TEMPLATE["db"], target)
    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE device SET device_id = ?", (new_device_id(),))
    return Library(target)


def union_ops(library: Library) -> list[tuple]:
    with library.store.transaction() as conn:
        return conn.exec_driver_sql(
            "SELECT device_id, seq, hlc, entity, entity_id, kind, field, value, deps FROM ops"
        ).all()


class SyncMachine(RuleBasedStateMachine):
    """Replicas sharing one folder remote behind a fault-injecting wrapper."""

    def __init__(self) -> None:
        super().__init__()
        self.dir = Path(tempfile.mkdtemp(prefix="rl-sync-sm-"))
        self.remote = FaultyRemote(FolderStorage(self.dir / "remote"))
        self.replicas = [fresh_library(self.dir / f"r{i}") for i in range(3)]
        self.annotations: list[str] = []
        self.notes_written: list[tuple[str, str]] = []

    def teardown(self) -> None:
        try:
            self.converge_and_check()
        finally:
            for lib in self.replicas:
                lib.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def lib(self, r: int) -> Library:
        return self.replicas[r % len(self.replicas)]

    def _round(self, index: int) -> None:
        sync(self.replicas[index], self.remote, compact_after=4, batch_size=7)

    # -- edits ---------------------------------------------------------------------------------

    @rule(r=st.integers(0, 3), keys=st.lists(st.sampled_from(KEYS), min_size=1, max_size=3),
          version=st.integers(1, 3), title=st.sampled_from(["A", "B", "C"]))
    def add_papers(self, r: int, keys: list[str], version: int, title: str) -> None:
        self.lib(r).merge_records(
            [record(KEYS.index(k) + 1, f"{title} {k}", version) for k in keys])

    @rule(r=st.integers(0, 3), key=st.sampled_from(KEYS), flag=st.sampled_from(FLAGS),
          value=st.booleans())
    def mark(self, r: int, key: str, flag: str, value: bool) -> None:
        try:
            self.lib(r).mark([key], flag, value)
        except ReadinglistError:
            pass  # paper not on this replica yet

    @rule(r=st.integers(0, 3), key=st.sampled_from(KEYS), tag=st.sampled_from(TAGS),
          add=st.booleans())
    def tag(self, r: int, key: str, tag: str, add: bool) -> None:
        try:
            self.lib(r).tag([key], add=[tag] if add else [], remove=[] if add else [tag])
        except ReadinglistError:
            pass

    @rule(r=st.integers(0, 3), key=st.sampled_from(KEYS),
          lines=st.lists(st.sampled_from(LINES), max_size=4), edit_current=st.booleans())
    def note(self, r: int, key: str, lines: list[str], edit_current: bool) -> None:
        lib = self.lib(r)
        base = lib.note_versions(key) if edit_current else []
        text = (base[-1] if base else "") + "".join(f"{line}\n" for line in lines)
        try:
            changes = lib.set_note(key, text)
        except ReadinglistError:
            return
        if changes.any:  # an unchanged note records nothing
            self.notes_written.append((key, text))

    @rule(r=st.integers(0, 3), key=st.sampled_from(KEYS), page=st.integers(0, 20))
    def annotate(self, r: int, key: str, page: int) -> None:
        new = self.lib(r).add_annotation(key, "highlight", page, [[0, 0, 1, 1]], "quoted")
        self.annotations.append(new)

    @precondition(lambda self: self.annotations)
    @rule(r=st.integers(0, 3), data=st.data(),
          change=st.sampled_from(["comment", "color", "delete", "restore"]))
    def edit_annotation(self, r: int, data: st.DataObject, change: str) -> None:
        lib = self.lib(r)
        visible = {a.id for k in KEYS for a in lib.annotations(k, include_deleted=True)}
        choices = [a for a in self.annotations if a in visible]
        if not choices:
            return
        target = choices[data.draw(st.integers(0, 50)) % len(choices)]  # ids are random
        if change == "comment":
            lib.update_annotation(target, comment=data.draw(st.sampled_from(LINES)))
        elif change == "color":
            lib.update_annotation(target, color=data.draw(st.sampled_from(["#f00", "#0f0"])))
        elif change == "delete":
            lib.delete_annotation(target)
        else:
            lib.restore_annotation(target)

    @rule(r=st.integers(0, 3), key=st.sampled_from(KEYS), page=st.integers(0, 300))
    def position(self, r: int, key: str, page: int) -> None:
        self.lib(r).set_position(key, page, 0.5)

    @rule(r=st.integers(0, 3), category=st.sampled_from(["cs.LG", "cs.CL"]), on=st.booleans())
    def subscription(self, r: int, category: str, on: bool) -> None:
        lib = self.lib(r)
        sub = Subscription("arxiv-rss", category)
        try:
            lib.subscribe_feed(sub) if on else lib.unsubscribe_feed(sub)
        except ReadinglistError:
            pass

    @rule(r=st.integers(0, 3), name=st.sampled_from(["unread", "tagged"]), keep=st.booleans())
    def saved_search(self, r: int, name: str, keep: bool) -> None:
        lib = self.lib(r)
        lib.save_search(name, "is:unread" if name == "unread" else "tag:llm") if keep else \
            lib.delete_search(name)

    @rule(r=st.integers(0, 3), hours=st.sampled_from([-1, 3, 30]))
    def skew_clock(self, r: int, hours: int) -> None:
        """The device's clock jumps (its HLC is pushed ahead, or the wall clock falls behind)."""
        ahead = Timestamp(wall_clock_ms() + hours * 3_600_000, 0).encode()
        with self.lib(r).store.transaction(write=True) as conn:
            conn.exec_driver_sql("UPDATE device SET hlc = max(hlc, ?)", (ahead,))

    @precondition(lambda self: len(self.replicas) < 4)
    @rule(r=st.integers(0, 3))
    def clone_replica(self, r: int) -> None:
        """Someone copies a home folder to another machine: two libraries, one device id."""
        folder = self.dir / f"clone{len(self.replicas)}"
        folder.mkdir()
        source = sqlite3.connect(self.lib(r).path)  # a consistent copy, WAL included
        target = sqlite3.connect(folder / "library.sqlite3")
        with target:
            source.backup(target)
        source.close()
        target.close()
        self.replicas.append(Library(folder / "library.sqlite3"))

    # -- sync ----------------------------------------------------------------------------------

    @rule(r=st.integers(0, 3))
    def sync_round(self, r: int) -> None:
        self._round(r % len(self.replicas))

    @rule(r=st.integers(0, 3), fault=st.sampled_from(FAULTS), skip=st.integers(0, 3))
    def faulty_round(self, r: int, fault: tuple[str, str], skip: int) -> None:
        r = r % len(self.replicas)
        method, action = fault
        counter = {"n": 0}

        def match(path: str) -> bool:
            counter["n"] += 1
            return counter["n"] > skip

        self.remote.arm(method, action, match)
        try:
            self._round(r)
        except SyncError:
            pass
        self.remote.faults.clear()

    # -- invariants ----------------------------------------------------------------------------

    @invariant()
    def vv_has_no_holes(self) -> None:
        for lib in self.replicas:
            vv = state.load_vv(lib)
            with lib.store.transaction() as conn:
                for device, top in vv.items():
                    have = conn.exec_driver_sql(
                        "SELECT count(*) FROM ops WHERE device_id = ? AND seq <= ?",
                        (device, top)).scalar()
                    # snapshots may omit superseded register writes, never more than that
                    assert have <= top
            pushed = int(state.get_meta(lib, "pushed_seq", 0))
            assert pushed <= state.local_seq(lib)

    def quiesce(self) -> None:
        self.remote.faults.clear()
        for _ in range(2):
            for index in range(len(self.replicas)):
                self._round(index)

    def converge_and_check(self) -> None:
        self.quiesce()
        dumps = [canonical(lib) for lib in self.replicas]
        for other in dumps[1:]:
            for part in dumps[0]:
                assert other[part] == dumps[0][part], part
        check_nothing_lost(self.replicas[0], self.annotations, self.notes_written)


def check_nothing_lost(lib: Library, annotations: list[str],
                       notes: list[tuple[str, str]]) -> None:
    """Tags, notes, annotations and flags against a model computed from the op log."""
    ops = union_ops(lib)
    removed = set()
    for op in ops:
        if op[3] == "tag" and op[5] == "remove":
            removed.update(json.loads(op[7]) or [])
    with lib.store.transaction() as conn:
        existing = {r[0] for r in conn.exec_driver_sql("SELECT key FROM papers").all()}
        tags = {(r[0], r[1]) for r in conn.exec_driver_sql(
            "SELECT p.key, t.name FROM paper_tags pt JOIN papers p ON p.id = pt.paper_id "
            "JOIN tags t ON t.id = pt.tag_id").all()}
        flags = {r[0]: dict(zip(FLAGS, r[1:])) for r in conn.exec_driver_sql(
            "SELECT key, read, starred, archived, deleted FROM papers").all()}
        ann_ids = {r[0] for r in conn.exec_driver_sql("SELECT id FROM annotations").all()}
    expected_tags = {(op[4], op[6]) for op in ops if op[3] == "tag" and op[5] == "add"
                     and f"{op[0]}:{op[1]}" not in removed and op[4] in existing}
    assert tags == expected_tags
    winners: dict[tuple[str, str], tuple[tuple[str, str], bool]] = {}
    for op in ops:
        if op[3] == "paper" and op[5] == "set":
            slot = (op[4], op[6])
            if slot not in winners or (op[2], op[0]) > winners[slot][0]:
                winners[slot] = ((op[2], op[0]), bool(json.loads(op[7])))
    for (key, flag), (_, value) in winners.items():
        if key in existing:
            assert bool(flags[key][flag]) == value, (key, flag)
    assert set(annotations) <= ann_ids
    for key in {k for k, _ in notes}:
        with lib.store.transaction() as conn:
            versions = conn.exec_driver_sql(
                "SELECT op_id, text, deps, superseded FROM note_versions WHERE paper_key = ?",
                (key,)).all()
            shown = conn.exec_driver_sql("SELECT note, note_conflict FROM papers WHERE key = ?",
                                         (key,)).first()
        # every text ever written is kept as a version (none is dropped from the store)
        assert {text for k, text in notes if k == key} <= {v[1] for v in versions}
        # a version is hidden only when a causally later edit lists it as its base
        cited = {dep for v in versions for dep in json.loads(v[2] or "[]")}
        heads = [v for v in versions if not v[3]]
        assert all((v[0] in cited) == bool(v[3]) for v in versions)
        assert sorted(v[1] for v in heads) == sorted(lib.note_versions(key))
        if shown is not None and len(heads) == 1:
            assert shown[0] == heads[0][1] and not shown[1]
        if shown is not None and shown[1]:
            assert len(heads) >= 2  # a conflict shows, and keeps, every concurrent version


TestSyncConvergence = SyncMachine.TestCase
TestSyncConvergence.pytestmark = [pytest.mark.slow]
TestSyncConvergence.settings = settings(
    max_examples=int(os.environ.get("SYNC_EXAMPLES", "50")), stateful_step_count=40, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


class WebDavSyncMachine(SyncMachine):
    """The same machine against a real wsgidav server (a reduced run: HTTP is slower)."""

    def __init__(self) -> None:
        super().__init__()
        from readinglist.sync.webdav import WebDavStorage
        from tests.sync.conftest import start_dav

        (self.dir / "dav").mkdir()
        self.server, self.thread, url = start_dav(self.dir / "dav")
        self.remote = FaultyRemote(WebDavStorage(f"{url}/sync/", "alice", "secret",
                                                 backoff=0.001))

    def teardown(self) -> None:
        try:
            super().teardown()
        finally:
            self.remote.close()
            self.server.stop()
            self.thread.join(timeout=5)


TestWebDavConvergence = WebDavSyncMachine.TestCase
TestWebDavConvergence.pytestmark = [pytest.mark.slow]
TestWebDavConvergence.settings = settings(
    max_examples=int(os.environ.get("SYNC_DAV_EXAMPLES", "8")), stateful_step_count=25,
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
