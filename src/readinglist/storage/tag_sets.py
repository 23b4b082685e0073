"""Tags as an add-wins OR-set: adds keyed by op id, removes naming the adds they observed."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from readinglist.core.ops import Op
from readinglist.core.text import normalise_tag  # noqa: F401 - the storage rule, re-exported
from readinglist.storage.connection import RawConnection as Connection
from readinglist.storage.fts import update_indexed
from readinglist.storage.sqltools import chunks, qmarks


def materialise_tags(conn: Connection, keys: Iterable[str]) -> None:
    """Recompute ``paper_tags`` and ``tags_text`` of papers from their live tag adds."""
    keys = list(dict.fromkeys(keys))
    for chunk in chunks(keys):
        marks = qmarks(len(chunk))
        ids = dict(conn.exec_driver_sql(
            f"SELECT key, id FROM papers WHERE key IN ({marks})", tuple(chunk)).all())
        if not ids:
            continue
        live: dict[str, list[str]] = defaultdict(list)
        for key, tag in conn.exec_driver_sql(
                f"SELECT DISTINCT paper_key, tag FROM tag_adds WHERE paper_key IN ({marks}) "
                f"AND NOT removed ORDER BY tag", tuple(chunk)):
            live[key].append(tag)
        names = sorted({tag for tags in live.values() for tag in tags})
        if names:
            conn.exec_driver_sql("INSERT OR IGNORE INTO tags (name) VALUES (?)",
                                 [(n,) for n in names])
        tag_ids = dict(conn.exec_driver_sql(
            f"SELECT name, id FROM tags WHERE name IN ({qmarks(len(names))})",
            tuple(names)).all()) if names else {}
        paper_ids = tuple(ids.values())
        id_marks = qmarks(len(paper_ids))
        old_text = dict(conn.exec_driver_sql(
            f"SELECT id, tags_text FROM papers WHERE id IN ({id_marks})", paper_ids).all())
        conn.exec_driver_sql(f"DELETE FROM paper_tags WHERE paper_id IN ({id_marks})", paper_ids)
        conn.exec_driver_sql("INSERT INTO paper_tags (paper_id, tag_id) VALUES (?, ?)",
                             [(ids[k], tag_ids[t]) for k in ids for t in live.get(k, ())])
        updates = []
        for key, paper_id in ids.items():
            text = " ".join(t.replace(" ", "_") for t in live.get(key, ()))
            if text != old_text.get(paper_id):
                updates.append((text, paper_id))
        update_indexed(conn, "UPDATE papers SET tags_text = ? WHERE id = ?", updates,
                       [paper_id for _, paper_id in updates])


def live_tag_adds(conn: Connection, key: str, tag: str) -> list[str]:
    """The add ids currently keeping ``tag`` on the paper (what a remove must observe)."""
    return [row[0] for row in conn.exec_driver_sql(
        "SELECT add_id FROM tag_adds WHERE paper_key = ? AND tag = ? AND NOT removed",
        (key, tag))]


def apply_tags(conn: Connection, ops: Sequence[Op]) -> None:
    """Apply tag adds and removes (add-wins OR-set), then recompute the affected papers."""
    adds = [op for op in ops if op.kind == "add"]
    removed_ids = [str(a) for op in ops if op.kind == "remove" for a in (op.value or [])]
    if removed_ids:
        conn.exec_driver_sql("INSERT OR IGNORE INTO tag_tombstones (add_id) VALUES (?)",
                             [(a,) for a in removed_ids])
        for chunk in chunks(removed_ids):
            conn.exec_driver_sql(
                f"UPDATE tag_adds SET removed = 1 WHERE add_id IN ({qmarks(len(chunk))})",
                tuple(chunk))
    if adds:
        tombstoned: set[str] = set()
        add_ids = [op.op_id for op in adds]
        for chunk in chunks(add_ids):
            tombstoned.update(row[0] for row in conn.exec_driver_sql(
                f"SELECT add_id FROM tag_tombstones WHERE add_id IN ({qmarks(len(chunk))})",
                tuple(chunk)))
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO tag_adds (add_id, paper_key, tag, removed) VALUES (?, ?, ?, ?)",
            [(op.op_id, op.entity_id, normalise_tag(op.field), op.op_id in tombstoned)
             for op in adds])
    materialise_tags(conn, [op.entity_id for op in ops])
