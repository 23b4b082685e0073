"""Last-writer-wins registers: paper flags, annotation fields, reading positions, settings."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any

from readinglist.core.ops import PAPER_FLAGS, Op
from readinglist.storage.connection import RawConnection as Connection
from readinglist.storage.sqltools import chunks, hlc_to_iso, qmarks, to_json

_FLAGS = frozenset(PAPER_FLAGS)  # each flag is the papers column of the same name


def lww_set(conn: Connection, op: Op, entity: str, entity_id: str, name: str, value: Any) -> bool:
    """Record ``value`` for a register if ``op`` is later than the stored winner."""
    current = conn.exec_driver_sql(
        "SELECT hlc, device_id FROM field_clocks WHERE entity = ? AND entity_id = ? AND field = ?",
        (entity, entity_id, name)).first()
    if current is not None and (current[0], current[1]) >= op.order_key:
        return False
    conn.exec_driver_sql(
        "INSERT INTO field_clocks (entity, entity_id, field, hlc, device_id, value) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(entity, entity_id, field) DO UPDATE SET "
        "hlc = excluded.hlc, device_id = excluded.device_id, value = excluded.value",
        (entity, entity_id, name, op.hlc, op.device_id, to_json(value)))
    return True


def apply_flags(conn: Connection, ops: Sequence[Op], preset: Collection[str] = ()) -> set[str]:
    """Apply many ``paper/set`` ops at once (same result as one by one); returns changed keys.

    ``preset``: papers just inserted with these ops' values already in their row (an import);
    unless an earlier clock exists for one, only the clocks are written for it.
    """
    keys = list(dict.fromkeys(op.entity_id for op in ops))
    winners: dict[tuple[str, str], tuple[str, str, Any]] = {}
    clocked: set[str] = set()
    for chunk in chunks(keys):
        for key, name, hlc, device in conn.exec_driver_sql(
                f"SELECT entity_id, field, hlc, device_id FROM field_clocks WHERE entity = 'paper' "
                f"AND entity_id IN ({qmarks(len(chunk))})", tuple(chunk)):
            winners[(key, name)] = (hlc, device, _UNCHANGED)
            clocked.add(key)
    for op in ops:
        for name, value in _flag_items(op):
            current = winners.get((op.entity_id, name))
            if current is None or (current[0], current[1]) < op.order_key:
                winners[(op.entity_id, name)] = (op.hlc, op.device_id, value)
    dirty = [(k, v) for k, v in winners.items() if v[2] is not _UNCHANGED]
    if not dirty:
        return set()
    conn.exec_driver_sql(
        "INSERT INTO field_clocks (entity, entity_id, field, hlc, device_id, value) "
        "VALUES ('paper', ?, ?, ?, ?, ?) ON CONFLICT(entity, entity_id, field) DO UPDATE SET "
        "hlc = excluded.hlc, device_id = excluded.device_id, value = excluded.value",
        [(key, name, hlc, device, to_json(value)) for (key, name), (hlc, device, value)
         in dirty])
    by_flag: dict[str, list[tuple[Any, ...]]] = defaultdict(list)
    for (key, name), (hlc, _device, value) in dirty:
        if key in preset and key not in clocked:
            continue
        if name == "archived":
            by_flag[name].append((bool(value), hlc_to_iso(hlc) if value else None, key))
        elif name in _FLAGS:
            by_flag[name].append((bool(value), key))
    for name, rows in by_flag.items():
        if name == "archived":
            conn.exec_driver_sql(
                "UPDATE papers SET archived = ?, archived_at = ? WHERE key = ?", rows)
        else:
            conn.exec_driver_sql(f"UPDATE papers SET {name} = ? WHERE key = ?", rows)
    return {key for (key, _name), _ in dirty}


_UNCHANGED = object()


def _flag_items(op: Op) -> list[tuple[str, Any]]:
    """A ``paper/set`` op sets one flag (``field``) or several (``field`` empty, dict value)."""
    if op.field:
        return [(op.field, op.value)]
    return sorted((op.value or {}).items())


def write_flag(conn: Connection, key: str, name: str, value: Any, hlc: str) -> None:
    if name not in _FLAGS:
        return
    if name == "archived":
        when = hlc_to_iso(hlc) if value else None
        conn.exec_driver_sql("UPDATE papers SET archived = ?, archived_at = ? WHERE key = ?",
                             (bool(value), when, key))
    else:
        conn.exec_driver_sql(f"UPDATE papers SET {name} = ? WHERE key = ?", (bool(value), key))


# annotations, positions, settings

_ANNOTATION_COLUMNS = ("paper_key", "pdf_hash", "kind", "page", "quads", "text", "comment",
                       "color", "created", "modified", "deleted")


def _annotation_value(name: str, value: Any) -> Any:
    if name == "quads":
        return to_json(value or [])
    if name == "deleted":
        return bool(value)
    return value


def apply_annotation(conn: Connection, op: Op) -> None:
    values: dict[str, Any] = dict(op.value or {}) if op.kind == "create" else {op.field: op.value}
    values["modified"] = hlc_to_iso(op.hlc)
    if op.kind == "create":
        row = {name: None for name in _ANNOTATION_COLUMNS}
        row.update(quads="[]", text="", comment="", color="#ffd400", deleted=False, page=0,
                   kind="highlight", created=hlc_to_iso(op.hlc), modified=hlc_to_iso(op.hlc))
        row.update({k: _annotation_value(k, v) for k, v in values.items() if k in row})
        row["paper_key"] = row["paper_key"] or ""
        conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO annotations (id, {', '.join(_ANNOTATION_COLUMNS)}) "
            f"VALUES (?, {qmarks(len(_ANNOTATION_COLUMNS))})",
            (op.entity_id,) + tuple(row[c] for c in _ANNOTATION_COLUMNS))
    for name, value in values.items():
        if name in ("paper_key", "created", "modified", "pdf_hash") and op.kind == "create":
            continue
        if name not in _ANNOTATION_COLUMNS or name == "modified":
            continue
        lww_set(conn, op, "annotation", op.entity_id, name, value)
    # the row shows, per field, the winning value of its register
    winners = conn.exec_driver_sql(
        "SELECT field, value, hlc, device_id FROM field_clocks "
        "WHERE entity = 'annotation' AND entity_id = ?", (op.entity_id,)).all()
    for name, value, _hlc, _device in winners:
        if name in _ANNOTATION_COLUMNS:
            conn.exec_driver_sql(
                f"UPDATE annotations SET {name} = ? WHERE id = ?",
                (_annotation_value(name, json.loads(value) if value else None), op.entity_id))
    if _edited_after_delete(winners):
        conn.exec_driver_sql("UPDATE annotations SET deleted = 0 WHERE id = ?", (op.entity_id,))
    latest = max((w[2] for w in winners), default=op.hlc)
    conn.exec_driver_sql("UPDATE annotations SET modified = ? WHERE id = ?",
                         (hlc_to_iso(latest), op.entity_id))


def _edited_after_delete(winners: Sequence[Sequence[Any]]) -> bool:
    """Whether a field edit is later than the winning delete (SYNC.md §3.4: it undeletes).

    ``winners`` are the annotation's ``(field, value, hlc, device_id)`` register winners.
    """
    deleted = [(w[2], w[3]) for w in winners if w[0] == "deleted" and w[1] and json.loads(w[1])]
    return bool(deleted) and any(
        (w[2], w[3]) > deleted[0] for w in winners
        if w[0] != "deleted" and w[0] in _ANNOTATION_COLUMNS)


def apply_position(conn: Connection, op: Op) -> None:
    value = op.value or {}
    device = op.field or op.device_id
    current = conn.exec_driver_sql(
        "SELECT hlc FROM positions WHERE paper_key = ? AND device_id = ?",
        (op.entity_id, device)).scalar()
    if current is not None and current >= op.hlc:
        return
    conn.exec_driver_sql(
        "INSERT INTO positions (paper_key, device_id, page, offset, hlc) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT(paper_key, device_id) DO UPDATE SET page = excluded.page, "
        "offset = excluded.offset, hlc = excluded.hlc",
        (op.entity_id, device, int(value.get("page", 0)), float(value.get("offset", 0.0)),
         op.hlc))


def apply_setting(conn: Connection, op: Op) -> None:
    if not lww_set(conn, op, "setting", op.entity_id, "", op.value):
        return
    if op.value is None:
        conn.exec_driver_sql("DELETE FROM synced_settings WHERE key = ?", (op.entity_id,))
    else:
        conn.exec_driver_sql(
            "INSERT INTO synced_settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (op.entity_id, to_json(op.value)))
