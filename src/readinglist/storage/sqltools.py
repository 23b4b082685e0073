"""Small helpers shared by the storage modules: chunked IN lists, compact JSON, clock times."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
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


def json_encoder(compact: bool = True, sort_keys: bool = False) -> Callable[[Any], str]:
    """A reusable JSON encoder function (UTF-8 text, not ASCII escapes).

    ``json.dumps`` with options builds an encoder per call and ``JSONEncoder.encode`` builds
    its C encoder per call too, which costs more than encoding a short list; this builds the C
    encoder once (same output as ``json.dumps``) and falls back to the Python one without it.
    """
    separators = (",", ":") if compact else (", ", ": ")
    encoder = json.JSONEncoder(ensure_ascii=False, separators=separators, sort_keys=sort_keys)
    make = getattr(json.encoder, "c_make_encoder", None)
    if make is None:
        return encoder.encode
    try:
        chunks = make({}, encoder.default, json.encoder.encode_basestring, None, separators[1],
                      separators[0], sort_keys, False, True)
    except TypeError:  # another signature
        return encoder.encode
    join = "".join
    basestring = json.encoder.encode_basestring

    def encode(value: Any) -> str:
        if isinstance(value, str):
            return basestring(value)
        return join(chunks(value, 0))

    return encode


to_json = json_encoder()
to_json.__doc__ = "Compact JSON with one shared C encoder."


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
