"""Two different batches under one device id: a library copied to another machine (a copied
home folder, a restored backup) that synced from both copies before either saw the other's.

Readers follow one batch per sequence number, so they would silently miss the other copy's
changes; sync stops instead, naming both files (SYNC.md §3.3). Overlapping batches with the same
changes (a device rewriting its own batches, fault case 5) and damaged copies are not twins.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from readinglist.core.ops import Op
from readinglist.sync.batch import LogName


def overlapping(names: Sequence[LogName]) -> Iterator[tuple[LogName, LogName]]:
    """Pairs of batches (sorted by first sequence number) whose ranges overlap."""
    for index, first in enumerate(names):
        for other in names[index + 1:]:
            if other.first > first.last:
                break
            yield first, other


def differ(a: dict[int, Op] | None, b: dict[int, Op] | None) -> bool:
    """Whether two overlapping batches (their ops by sequence number) disagree on a change;
    a damaged copy (None) never does: it is rejected when pulled."""
    if a is None or b is None:
        return False
    return any(a[seq] != b[seq] for seq in a.keys() & b.keys())


def twins_message(device: str, folder: str, first: LogName, other: LogName,
                  mine: LogName | None) -> str:
    """What happened and what to do; ``mine`` is the batch this copy wrote, if it is one."""
    if mine is None:
        return (f"sync stopped: device {device} wrote two different versions of the same "
                f"changes ({first.name} and {other.name} in {folder}). Its library was "
                "probably copied to another machine (a copied home folder or a restored "
                "backup) and both copies synced under the same device id. Nothing was "
                "changed locally; sync resumes once one of the two files is removed "
                "(run `readinglist sync` on the machines with those copies to see which "
                "is whose)")
    theirs = other if mine is first else first
    return (f"sync stopped: a copy of this library (copied to another machine, or restored "
            f"from a backup) also synced as device {device}, so {folder} holds two "
            f"different versions of the same changes: {mine.name} is this copy's, "
            f"{theirs.name} the other copy's. Nothing was deleted or changed locally. Keep "
            "one copy: on the other machine, move the library folder aside (changes made "
            "only there must be redone), delete that copy's file from the sync location, "
            "then start readinglist there with a new library and sync it")
