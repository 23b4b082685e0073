"""This device's identity and the stamping of new operations (sequence numbers and clock)."""

from __future__ import annotations

import base64
import json
import os
import platform
from collections.abc import Sequence

from readinglist.core.hlc import HybridClock, Timestamp
from readinglist.core.ops import Op, OpDraft
from readinglist.storage.apply import materialise_note, utc_now_iso
from readinglist.storage.connection import RawConnection as Connection


def new_device_id() -> str:
    """A random 128-bit id, base32 without padding, lower case (26 characters)."""
    return base64.b32encode(os.urandom(16)).decode("ascii").rstrip("=").lower()


def ensure_device(conn: Connection) -> str:
    """Return this library's device id, creating the device row on first use."""
    device_id = conn.exec_driver_sql("SELECT device_id FROM device WHERE id = 1").scalar()
    if device_id:
        return str(device_id)
    device_id = new_device_id()
    conn.exec_driver_sql(
        "INSERT INTO device (id, device_id, name, seq, hlc, created) VALUES (1, ?, ?, 0, '', ?)",
        (device_id, platform.node() or "this computer", utc_now_iso()))
    return device_id


class Stamper:
    """Turns drafts into operations inside one write transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.device_id = ensure_device(conn)
        seq, hlc = conn.exec_driver_sql("SELECT seq, hlc FROM device WHERE id = 1").one()
        self.seq = int(seq)
        self.clock = HybridClock(Timestamp.decode(hlc) if hlc else None)

    def stamp(self, draft: OpDraft) -> Op:
        self.seq += 1
        return Op(self.device_id, self.seq, self.clock.now().encode(), draft.entity,
                  draft.entity_id, draft.kind, draft.field, draft.value, draft.deps)

    def stamp_all(self, drafts: Sequence[OpDraft]) -> list[Op]:
        return [self.stamp(d) for d in drafts]

    def provisional(self, draft: OpDraft) -> Op:
        """An op with a clock reading but no sequence number yet (seq 0)."""
        return Op(self.device_id, 0, self.clock.now().encode(), draft.entity, draft.entity_id,
                  draft.kind, draft.field, draft.value, draft.deps)

    def assign_seq(self, op: Op) -> Op:
        self.seq += 1
        return Op(op.device_id, self.seq, op.hlc, op.entity, op.entity_id, op.kind, op.field,
                  op.value, op.deps)

    def receive(self, hlc: str, source: str = "") -> None:
        self.clock.receive(Timestamp.decode(hlc), source)

    def save(self) -> None:
        self.conn.exec_driver_sql("UPDATE device SET seq = ?, hlc = ? WHERE id = 1",
                                  (self.seq, self.clock.last.encode()))


def reidentify(conn: Connection, old: str, new: str, keep_through: int) -> int:
    """Move this device's ops after ``keep_through`` to the new device id ``new``.

    Used when a copied home folder is detected: ops up to ``keep_through`` were published under
    ``old`` and stay there; later ones are re-sequenced 1..n under ``new`` and every reference
    to them (tag add ids, note versions and deps, register winners, positions) is rewritten.
    Returns how many ops moved.
    """
    rows = conn.exec_driver_sql(
        "SELECT seq, hlc, entity, entity_id, kind, field, value, deps FROM ops "
        "WHERE device_id = ? AND seq > ? ORDER BY seq", (old, keep_through)).all()
    mapping = {f"{old}:{row[0]}": f"{new}:{index}" for index, row in enumerate(rows, start=1)}
    moved_hlcs: set[str] = set()
    new_rows = []
    for index, (_seq, hlc, entity, entity_id, kind, field, value, deps) in enumerate(rows, 1):
        moved_hlcs.add(hlc)
        decoded = json.loads(value) if value is not None else None
        if entity == "tag" and kind == "remove" and isinstance(decoded, list):
            decoded = [mapping.get(str(a), a) for a in decoded]
        if entity == "position" and field == old:
            field = new
        dep_list = [mapping.get(d, d) for d in json.loads(deps)] if deps else []
        new_rows.append((new, index, hlc, entity, entity_id, kind, field,
                         json.dumps(decoded, ensure_ascii=False, separators=(",", ":")),
                         json.dumps(dep_list) if dep_list else None))
    conn.exec_driver_sql("DELETE FROM ops WHERE device_id = ? AND seq > ?", (old, keep_through))
    if new_rows:
        conn.exec_driver_sql(
            "INSERT INTO ops (device_id, seq, hlc, entity, entity_id, kind, field, value, deps) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", new_rows)
    for old_id, new_id in mapping.items():
        conn.exec_driver_sql("UPDATE tag_adds SET add_id = ? WHERE add_id = ?", (new_id, old_id))
        conn.exec_driver_sql("UPDATE tag_tombstones SET add_id = ? WHERE add_id = ?",
                             (new_id, old_id))
        conn.exec_driver_sql("UPDATE note_versions SET op_id = ?, device_id = ? WHERE op_id = ?",
                             (new_id, new, old_id))
    noted: set[str] = set()
    for op_id, key, deps in conn.exec_driver_sql(
            "SELECT op_id, paper_key, deps FROM note_versions").all():
        listed = json.loads(deps or "[]")
        rewritten = [mapping.get(d, d) for d in listed]
        if rewritten != listed:
            conn.exec_driver_sql("UPDATE note_versions SET deps = ? WHERE op_id = ?",
                                 (json.dumps(rewritten), op_id))
        if op_id in mapping.values():
            noted.add(key)
    for key in sorted(noted):
        materialise_note(conn, key)
    for hlc in moved_hlcs:
        conn.exec_driver_sql(
            "UPDATE field_clocks SET device_id = ? WHERE device_id = ? AND hlc = ?",
            (new, old, hlc))
    _reposition(conn, old, new)
    conn.exec_driver_sql("UPDATE device SET device_id = ?, seq = ? WHERE id = 1",
                         (new, len(new_rows)))
    return len(new_rows)


def _reposition(conn: Connection, old: str, new: str) -> None:
    """Recompute the reading positions of devices ``old`` and ``new`` from the op log."""
    conn.exec_driver_sql("DELETE FROM positions WHERE device_id IN (?, ?)", (old, new))
    rows = conn.exec_driver_sql(
        "SELECT entity_id, field, value, hlc FROM ops WHERE entity = 'position' "
        "AND field IN (?, ?) ORDER BY hlc", (old, new)).all()
    latest: dict[tuple[str, str], tuple[dict, str]] = {}
    for key, device, value, hlc in rows:
        latest[(key, device)] = (json.loads(value) or {}, hlc)
    if latest:
        conn.exec_driver_sql(
            "INSERT INTO positions (paper_key, device_id, page, offset, hlc) "
            "VALUES (?, ?, ?, ?, ?)",
            [(key, device, int(v.get("page", 0)), float(v.get("offset", 0.0)), hlc)
             for (key, device), (v, hlc) in latest.items()])
