"""Merge bugs the convergence state machine found in ``storage/apply.py``, as plain tests."""

from __future__ import annotations

import itertools
import time

from readinglist.services.library import Library
from readinglist.sync.folder import FolderStorage
from tests.sync.helpers import canonical, open_library, record, sync


def title(lib: Library) -> str:
    return lib.list(view="all")[0].title


def test_same_paper_added_everywhere_converges_in_every_sync_order(tmp_path) -> None:
    for number, order in enumerate(itertools.permutations(range(3))):
        base = tmp_path / str(number)
        remote = FolderStorage(base / "remote")
        libs = [open_library(base / f"r{i}") for i in range(3)]
        for lib, name in zip(libs, ("A", "B", "C")):  # later adds win the title
            lib.merge_records([record(3, name)])
            time.sleep(0.005)
        for _ in range(2):
            for index in order:
                sync(libs[index], remote)
        assert canonical(libs[0]) == canonical(libs[1]) == canonical(libs[2])
        assert title(libs[0]) == "C"
        for lib in libs:
            lib.close()


def test_an_unchanged_refetch_leaves_no_trace(tmp_path) -> None:
    remote = FolderStorage(tmp_path / "remote")
    a, b = open_library(tmp_path / "a"), open_library(tmp_path / "b")
    a.merge_records([record(1, "Old")])
    time.sleep(0.005)  # clearly later (same-millisecond ties go by device id)
    b.merge_records([record(1, "New")])  # later: wins
    a.merge_records([record(1, "Old")])  # a re-fetch: nothing visible changes, so no op ...
    for lib in (a, b, a):
        sync(lib, remote)
    assert title(a) == title(b) == "New"  # ... and it must not out-rank b's edit locally
    assert canonical(a) == canonical(b)
    a.close()
    b.close()


def test_first_sighting_wins_added_at_in_any_order(tmp_path) -> None:
    remote = FolderStorage(tmp_path / "remote")
    a, b = open_library(tmp_path / "a"), open_library(tmp_path / "b")
    b.merge_records([record(1)])
    a.merge_records([record(1)])
    for lib in (a, b, a):
        sync(lib, remote)
    assert a.list(view="all")[0].added_at == b.list(view="all")[0].added_at
    assert canonical(a) == canonical(b)
    a.close()
    b.close()
