"""Notes as a multi-value register: versions with deps, merged line-wise or shown as a conflict."""

from __future__ import annotations

import json

from readinglist.core.notemerge import merge3
from readinglist.core.ops import Op
from readinglist.storage.connection import RawConnection as Connection
from readinglist.storage.sqltools import chunks, qmarks, to_json


def note_heads(conn: Connection, key: str) -> list[tuple[str, str, str, str, list[str]]]:
    """Current versions (op_id, text, hlc, device, deps) not superseded, in LWW order."""
    rows = conn.exec_driver_sql(
        "SELECT op_id, text, hlc, device_id, deps FROM note_versions "
        "WHERE paper_key = ? AND NOT superseded ORDER BY hlc, device_id", (key,)).all()
    return [(r[0], r[1], r[2], r[3], json.loads(r[4])) for r in rows]


def _ancestors(conn: Connection, key: str) -> dict[str, tuple[list[str], str, str]]:
    rows = conn.exec_driver_sql(
        "SELECT op_id, deps, text, hlc FROM note_versions WHERE paper_key = ?", (key,)).all()
    return {r[0]: (json.loads(r[1]), r[2], r[3]) for r in rows}


def _common_base(graph: dict[str, tuple[list[str], str, str]], a: str, b: str) -> str:
    def ancestry(start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            node = stack.pop()
            if node in seen or node not in graph:
                continue
            seen.add(node)
            stack.extend(graph[node][0])
        return seen

    common = ancestry(a) & ancestry(b)
    if not common:
        return ""
    best = max(common, key=lambda n: (graph[n][2], n))
    return graph[best][1]


def merged_note(conn: Connection, key: str) -> tuple[str, bool]:
    """The note text to show and whether versions conflict."""
    heads = note_heads(conn, key)
    if not heads:
        return "", False
    if len(heads) == 1:
        return heads[0][1], False
    graph = _ancestors(conn, key)
    text = heads[0][1]
    current_id = heads[0][0]
    for op_id, other, *_ in heads[1:]:
        base = _common_base(graph, current_id, op_id)
        merged = merge3(base, text, other)
        if merged is None:
            return heads[-1][1], True
        text = merged
        current_id = op_id
    return text, False


def materialise_note(conn: Connection, key: str) -> None:
    text, conflict = merged_note(conn, key)
    conn.exec_driver_sql("UPDATE papers SET note = ?, note_conflict = ? WHERE key = ?",
                         (text, conflict, key))


def apply_note(conn: Connection, op: Op) -> None:
    text = str((op.value or {}).get("text") or "")
    superseded = conn.exec_driver_sql(
        "SELECT 1 FROM note_versions WHERE paper_key = ? AND deps LIKE ? LIMIT 1",
        (op.entity_id, f'%"{op.op_id}"%')).first() is not None
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO note_versions (op_id, paper_key, text, deps, hlc, device_id, "
        "superseded) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (op.op_id, op.entity_id, text, to_json(list(op.deps)), op.hlc, op.device_id,
         superseded))
    for chunk in chunks(list(op.deps)):
        conn.exec_driver_sql(
            f"UPDATE note_versions SET superseded = 1 WHERE op_id IN ({qmarks(len(chunk))})",
            tuple(chunk))
    materialise_note(conn, op.entity_id)
