"""This device's identity and the stamping of new operations (sequence numbers and clock)."""

from __future__ import annotations

import base64
import os
import platform
from collections.abc import Sequence

from sqlalchemy import Connection

from readinglist.core.hlc import HybridClock, Timestamp
from readinglist.core.ops import Op, OpDraft
from readinglist.storage.apply import utc_now_iso


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
