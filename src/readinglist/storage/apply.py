"""Applying operations to the materialised tables, deterministically and idempotently.

The same function serves local changes (from the service layer) and remote ones (from sync):
whatever order a set of operations arrives in, the resulting state is the same
(merge rules in ``readinglist.core.ops``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from readinglist.core.changes import Changes
from readinglist.core.ops import Op
from readinglist.storage.connection import RawConnection as Connection
from readinglist.storage.merge_papers import MergeResult, finish_fts, merge_upserts
from readinglist.storage.note_versions import apply_note, materialise_note, merged_note, note_heads
from readinglist.storage.registers import (
    apply_annotation,
    apply_flags,
    apply_position,
    apply_setting,
    lww_set,
)
from readinglist.storage.sqltools import hlc_to_iso, to_json, utc_now_iso
from readinglist.storage.tag_sets import apply_tags, live_tag_adds, normalise_tag

__all__ = [
    "MergeResult", "apply_ops", "finish_fts", "hlc_to_iso", "live_tag_adds", "lww_set",
    "materialise_note", "merge_upserts", "merged_note", "normalise_tag", "note_heads",
    "record_ops", "to_json", "unseen", "utc_now_iso",
]


def record_ops(conn: Connection, ops: Sequence[Op]) -> None:
    """Append operations to the log (duplicates are ignored)."""
    if ops:
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO ops (device_id, seq, hlc, entity, entity_id, kind, field, "
            "value, deps) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [(op.device_id, op.seq, op.hlc, op.entity, op.entity_id, op.kind, op.field,
              to_json(op.value), to_json(list(op.deps)) if op.deps else None) for op in ops])


def unseen(conn: Connection, ops: Sequence[Op]) -> list[Op]:
    """The operations not yet in the log (for idempotent application of remote batches)."""
    by_device: dict[str, list[Op]] = defaultdict(list)
    for op in ops:
        by_device[op.device_id].append(op)
    fresh: list[Op] = []
    for device, group in by_device.items():
        low, high = min(o.seq for o in group), max(o.seq for o in group)
        known = {row[0] for row in conn.exec_driver_sql(
            "SELECT seq FROM ops WHERE device_id = ? AND seq BETWEEN ? AND ?", (device, low, high))}
        seen_here: set[int] = set()
        for op in group:
            if op.seq not in known and op.seq not in seen_here:
                seen_here.add(op.seq)
                fresh.append(op)
    return fresh


def apply_ops(conn: Connection, ops: Sequence[Op]) -> Changes:
    """Apply operations (already recorded or about to be) to the materialised state."""
    upserts = [op for op in ops if op.entity == "paper" and op.kind == "upsert"]
    paper_keys: set[str] = set()
    changes = Changes()
    if upserts:
        _, created, updated, _, _ = merge_upserts(conn, upserts, recorded=True)
        paper_keys.update(created)
        paper_keys.update(updated)
        changes = changes | Changes(papers=bool(created or updated))
    flag_ops = [op for op in ops if op.entity == "paper" and op.kind == "set"]
    if flag_ops:
        won = apply_flags(conn, flag_ops)
        paper_keys.update(won)
        changes = changes | Changes(papers=bool(won))
    tag_ops = [op for op in ops if op.entity == "tag"]
    if tag_ops:
        apply_tags(conn, tag_ops)
        paper_keys.update(op.entity_id for op in tag_ops)
        changes = changes | Changes(papers=True, tags=True)
    for op in ops:
        if op.entity in ("paper", "tag"):
            continue
        elif op.entity == "note":
            apply_note(conn, op)
            paper_keys.add(op.entity_id)
            changes = changes | Changes(papers=True, notes=True)
        elif op.entity == "annotation":
            apply_annotation(conn, op)
            changes = changes | Changes(annotations=True)
        elif op.entity == "position":
            apply_position(conn, op)
            changes = changes | Changes(positions=True)
        elif op.entity == "setting":
            apply_setting(conn, op)
            changes = changes | Changes(
                subscriptions=op.entity_id.startswith("subscription:"),
                saved_searches=op.entity_id.startswith("search:"))
    return changes | Changes(paper_keys=frozenset(paper_keys))
