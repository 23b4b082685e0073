"""Local sync state in the library database: cursors in ``meta``, the version vector in ``vv``."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from readinglist.core.ops import Op
from readinglist.services.library import Library

PREFIX = "sync."
_OP_COLUMNS = "device_id, seq, hlc, entity, entity_id, kind, field, value, deps"


def row_to_op(row: Sequence[Any]) -> Op:
    device, seq, hlc, entity, entity_id, kind, field, value, deps = row
    return Op(str(device), int(seq), str(hlc), str(entity), str(entity_id), str(kind),
              str(field or ""), json.loads(value) if value is not None else None,
              tuple(json.loads(deps)) if deps else ())


def get_meta(library: Library, key: str, default: Any = None) -> Any:
    with library.store.transaction() as conn:
        value = conn.exec_driver_sql(
            "SELECT value FROM meta WHERE key = ?", (PREFIX + key,)).scalar()
    return json.loads(value) if value is not None else default


def device_names(library: Library) -> dict[str, str]:
    """The names other devices gave in their acknowledgements, by device id (as last read)."""
    names = get_meta(library, "device_names", {})
    return {str(k): str(v) for k, v in names.items()} if isinstance(names, dict) else {}


def all_meta(library: Library) -> dict[str, Any]:
    with library.store.transaction() as conn:
        rows = conn.exec_driver_sql(
            "SELECT key, value FROM meta WHERE key LIKE ?", (PREFIX + "%",)).all()
    return {k[len(PREFIX):]: json.loads(v) for k, v in rows}


def set_meta(library: Library, items: Mapping[str, Any]) -> None:
    """Store sync facts; a None value removes the key."""
    with library.store.transaction(write=True) as conn:
        for key, value in items.items():
            if value is None:
                conn.exec_driver_sql("DELETE FROM meta WHERE key = ?", (PREFIX + key,))
            else:
                conn.exec_driver_sql(
                    "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE "
                    "SET value = excluded.value", (PREFIX + key, json.dumps(value)))


def load_vv(library: Library) -> dict[str, int]:
    with library.store.transaction() as conn:
        return {str(d): int(s) for d, s in conn.exec_driver_sql(
            "SELECT device_id, seq FROM vv")}


def save_vv(library: Library, vv: Mapping[str, int]) -> None:
    with library.store.transaction(write=True) as conn:
        conn.exec_driver_sql(
            "INSERT INTO vv (device_id, seq) VALUES (?, ?) ON CONFLICT(device_id) DO UPDATE "
            "SET seq = max(seq, excluded.seq)", list(vv.items()))


def reset(library: Library) -> None:
    """Forget everything about the previous remote (a new location starts from scratch)."""
    with library.store.transaction(write=True) as conn:
        conn.exec_driver_sql("DELETE FROM meta WHERE key LIKE ?", (PREFIX + "%",))
        conn.exec_driver_sql("DELETE FROM vv")


def local_seq(library: Library) -> int:
    with library.store.transaction() as conn:
        return int(conn.exec_driver_sql(
            "SELECT seq FROM device WHERE id = 1").scalar() or 0)


def own_ops(library: Library, device_id: str, first: int, last: int) -> list[Op]:
    """This device's ops with ``first <= seq <= last``, in order."""
    with library.store.transaction() as conn:
        rows = conn.exec_driver_sql(
            f"SELECT {_OP_COLUMNS} FROM ops WHERE device_id = ? AND seq BETWEEN ? AND ? "
            "ORDER BY seq", (device_id, first, last)).all()
    return [row_to_op(r) for r in rows]


def count_after(library: Library, device_id: str, seq: int) -> int:
    with library.store.transaction() as conn:
        return int(conn.exec_driver_sql(
            "SELECT count(*) FROM ops WHERE device_id = ? AND seq > ?", (device_id, seq)).scalar())


def covered_ops(library: Library, vv: Mapping[str, int], chunk: int = 20_000) -> Iterator[Op]:
    """Every logged op covered by ``vv`` (for snapshots), in a stable order."""
    with library.store.transaction() as conn:
        for device, top in sorted(vv.items()):
            last = 0
            while True:
                rows = conn.exec_driver_sql(
                    f"SELECT {_OP_COLUMNS} FROM ops WHERE device_id = ? AND seq > ? AND seq <= ? "
                    "ORDER BY seq LIMIT ?", (device, last, top, chunk)).all()
                if not rows:
                    break
                for row in rows:
                    yield row_to_op(row)
                last = int(rows[-1][1])
