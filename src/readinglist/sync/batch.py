"""Self-verifying batch codec: a gzip'd JSON header line plus one op per line, hash-checked.

A log batch is named ``log/<device>/<from>-<to>.<sha8>.ops``; a snapshot
``snap/<device>/<hlc>.<sha8>.snap``. Truncated, bit-flipped or mislabelled files are rejected
with ``BatchError`` and never applied.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from readinglist.core.ops import Op

FORMAT_VERSION = 1
_LOG_NAME = re.compile(r"^(\d+)-(\d+)\.([0-9a-f]{8})\.ops$")
_SNAP_NAME = re.compile(r"^(\d{15}\.\d{5})\.([0-9a-f]{8})\.snap$")
_HLC = re.compile(r"^[0-9]{15}\.[0-9]{5}$")
_TEXT_KEYS = ("d", "h", "e", "i", "k")


class BatchError(ValueError):
    """A batch file that is corrupt, truncated or not what its name says."""


class NewerFormatError(BatchError):
    """A file written by a newer sync format than this build reads (kept for a later update)."""

    def __init__(self, what: str, version: int) -> None:
        super().__init__(f"{what} was written by a newer readinglist (format {version})")
        self.version = version


@dataclass(frozen=True, slots=True)
class LogName:
    """The parts of a log batch's file name."""

    first: int
    last: int
    sha8: str

    @property
    def name(self) -> str:
        return f"{self.first}-{self.last}.{self.sha8}.ops"


@dataclass(frozen=True, slots=True)
class SnapName:
    """The parts of a snapshot's file name."""

    hlc: str
    sha8: str

    @property
    def name(self) -> str:
        return f"{self.hlc}.{self.sha8}.snap"


@dataclass(slots=True)
class Batch:
    """A decoded, verified batch or snapshot."""

    header: dict[str, Any]
    ops: list[Op] = field(default_factory=list)

    @property
    def vv(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in (self.header.get("vv") or {}).items()}


def parse_log_name(name: str) -> LogName | None:
    match = _LOG_NAME.match(name)
    if not match:
        return None
    first, last = int(match.group(1)), int(match.group(2))
    return LogName(first, last, match.group(3)) if 0 < first <= last else None


def parse_snap_name(name: str) -> SnapName | None:
    match = _SNAP_NAME.match(name)
    return SnapName(match.group(1), match.group(2)) if match else None


def _body(ops: Sequence[Op]) -> bytes:
    return "".join(op.dumps() + "\n" for op in ops).encode("utf-8")


def _pack(header: dict[str, Any], body: bytes) -> bytes:
    head = json.dumps(header, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return gzip.compress(head + b"\n" + body, compresslevel=6, mtime=0)


def encode_log(device_id: str, ops: Sequence[Op]) -> tuple[LogName, bytes]:
    """Pack a contiguous run of one device's ops; returns its name and bytes."""
    if not ops:
        raise ValueError("an empty batch")
    seqs = [op.seq for op in ops]
    if any(op.device_id != device_id for op in ops) or seqs != list(range(seqs[0],
                                                                          seqs[-1] + 1)):
        raise ValueError("a log batch holds one device's contiguous ops")
    body = _body(ops)
    digest = hashlib.sha256(body).hexdigest()
    header = {"format": FORMAT_VERSION, "kind": "ops", "device": device_id, "from": seqs[0],
              "to": seqs[-1], "count": len(ops), "sha256": digest}
    return LogName(seqs[0], seqs[-1], digest[:8]), _pack(header, body)


def encode_snapshot(device_id: str, hlc: str, vv: dict[str, int],
                    ops: Sequence[Op]) -> tuple[SnapName, bytes]:
    """Pack the ops covering ``vv`` (from every device) as one snapshot."""
    body = _body(ops)
    digest = hashlib.sha256(body).hexdigest()
    header = {"format": FORMAT_VERSION, "kind": "snap", "device": device_id, "hlc": hlc,
              "vv": dict(sorted(vv.items())), "count": len(ops), "sha256": digest}
    return SnapName(hlc, digest[:8]), _pack(header, body)


def _unpack(data: bytes, what: str) -> tuple[dict[str, Any], bytes]:
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as error:
        raise BatchError(f"{what} is truncated or corrupt ({error})") from None
    head, sep, body = raw.partition(b"\n")
    if not sep:
        raise BatchError(f"{what} has no header")
    try:
        header = json.loads(head)
    except ValueError:
        raise BatchError(f"{what} has a malformed header") from None
    version = header.get("format") if isinstance(header, dict) else None
    if type(version) is int and version > FORMAT_VERSION:
        raise NewerFormatError(what, version)
    if version != FORMAT_VERSION:
        raise BatchError(f"{what} has an unknown format")
    if hashlib.sha256(body).hexdigest() != header.get("sha256"):
        raise BatchError(f"{what} does not match its checksum")
    return header, body


def _well_formed(raw: Any) -> bool:
    """Whether an op's JSON has the field types this build writes and a valid clock."""
    if not isinstance(raw, dict) or any(type(raw.get(k)) is not str for k in _TEXT_KEYS):
        return False
    seq, deps = raw.get("s"), raw.get("p") or []
    return (type(seq) is int and 0 < seq < 2**63 and isinstance(raw.get("f") or "", str)
            and isinstance(deps, list) and all(type(d) is str for d in deps)
            and _HLC.match(raw["h"]) is not None)


def _op(raw: Any) -> Op:
    if not _well_formed(raw):
        raise ValueError("a malformed operation")
    return Op.from_json(raw)


def _ops(body: bytes, what: str) -> list[Op]:
    try:
        # split on b"\n" only: str.splitlines() would also split on U+2028, U+0085, … in text
        return [_op(json.loads(line.decode("utf-8"))) for line in body.split(b"\n") if line]
    except (ValueError, KeyError, TypeError):
        raise BatchError(f"{what} holds a malformed operation") from None


def decode_log(device_id: str, name: LogName, data: bytes) -> Batch:
    """Verify and decode a log batch against the name it was found under."""
    what = f"log/{device_id}/{name.name}"
    header, body = _unpack(data, what)
    if (header.get("kind") != "ops" or header.get("device") != device_id
            or header.get("from") != name.first or header.get("to") != name.last
            or not str(header.get("sha256", "")).startswith(name.sha8)):
        raise BatchError(f"{what} is not the batch its name says")
    ops = _ops(body, what)
    if [op.seq for op in ops] != list(range(name.first, name.last + 1)) or any(
            op.device_id != device_id for op in ops):
        raise BatchError(f"{what} does not hold the operations its header says")
    return Batch(header, ops)


def decode_snapshot(device_id: str, name: SnapName, data: bytes) -> Batch:
    """Verify and decode a snapshot against the name it was found under."""
    what = f"snap/{device_id}/{name.name}"
    header, body = _unpack(data, what)
    if (header.get("kind") != "snap" or header.get("device") != device_id
            or header.get("hlc") != name.hlc
            or not str(header.get("sha256", "")).startswith(name.sha8)
            or not isinstance(header.get("vv"), dict)):
        raise BatchError(f"{what} is not the snapshot its name says")
    ops = _ops(body, what)
    if len(ops) != header.get("count"):
        raise BatchError(f"{what} does not hold the operations its header says")
    return Batch(header, ops)
