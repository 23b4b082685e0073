"""Small helpers shared by the storage modules: chunked IN lists, compact JSON, clock times."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from readinglist.core.hlc import Timestamp

CHUNK = 500


def chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    """Slices small enough for an ``IN (?, ?, …)`` list."""
    for start in range(0, len(items), size):
        yield items[start:start + size]


def qmarks(count: int) -> str:
    """``?,?,…`` placeholders for ``count`` parameters."""
    return ",".join("?" * count)


_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def to_json(value: Any) -> str:
    """Compact JSON (one shared encoder: ``json.dumps`` with options builds one per call)."""
    return _COMPACT(value)


def hlc_to_iso(hlc: str) -> str:
    """The wall-clock time of an HLC stamp as ISO-8601 UTC (to the second)."""
    if len(hlc) == 21:  # "<15 digits of ms>.<5 digits>": the seconds are the first 12 digits
        return _seconds_to_iso(hlc[:12])
    return _seconds_to_iso(str(Timestamp.decode(hlc).physical_ms // 1000))


@lru_cache(maxsize=4096)
def _seconds_to_iso(seconds: str) -> str:
    return datetime.fromtimestamp(int(seconds), tz=UTC).isoformat(timespec="seconds")


def utc_now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
