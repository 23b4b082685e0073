"""Applying operations to the materialised tables, deterministically and idempotently.

The same function serves local changes (from the service layer) and remote ones (from sync):
whatever order a set of operations arrives in, the resulting state is the same
(merge rules in ``readinglist.core.ops``).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any, NamedTuple

from readinglist.storage.connection import RawConnection as Connection

from readinglist.core.changes import Changes
from readinglist.core.hlc import Timestamp
from readinglist.core.notemerge import merge3
from readinglist.core.ops import Op
from readinglist.storage.fts import INDEX_ID_RANGE, PAUSE_FTS, RESUME_FTS

CHUNK = 500
BULK_FTS_THRESHOLD = 64
META_FIELDS = ("arxiv_id", "version", "doi", "url", "pdf_url", "title", "authors", "abstract",
               "primary_category", "published", "updated", "journal_ref", "comment",
               "hf_upvotes", "withdrawn", "listed_on")
# Last-writer-wins whatever the arXiv version: the latest sighting of upvotes and withdrawal.
LWW_META_FIELDS = frozenset({"hf_upvotes", "withdrawn"})
_PAPER_COLUMNS = ("id", "key", "arxiv_id", "version", "doi", "url", "pdf_url", "title", "authors",
                  "authors_text", "abstract", "categories", "primary_category", "published",
                  "updated", "journal_ref", "comment", "hf_upvotes", "withdrawn", "listed_on",
                  "added_at", "meta_rank", "meta_lag", "read", "starred", "archived",
                  "archived_at", "deleted", "tags_text", "sources_text", "note", "note_conflict")
_FLAG_COLUMNS = {"read": "read", "starred": "starred", "archived": "archived", "deleted": "deleted"}


def _chunks(items: Sequence[Any], size: int = CHUNK) -> Iterable[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def _marks(count: int) -> str:
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


def rank_of(op: Op) -> str:
    """Metadata rank: higher arXiv version first, then the LWW order."""
    version = (op.value or {}).get("version") or 0
    return f"{int(version):05d}|{op.hlc}|{op.device_id}"


# ---------------------------------------------------------------------------------------------
# paper metadata (paper/upsert)


class _PaperState:
    """A paper row being merged in memory."""

    __slots__ = ("row", "original", "lag", "sources", "is_new", "changed", "sources_changed")

    def __init__(self, row: dict[str, Any], sources: dict[str, str], is_new: bool) -> None:
        self.row = row
        self.lag: dict[str, str] = json.loads(row["meta_lag"]) if row.get("meta_lag") else {}
        self.sources = sources
        self.is_new = is_new
        self.changed = is_new
        self.original = None if is_new else dict(row)
        self.sources_changed = is_new

    def save(self) -> tuple[Any, ...]:
        return (dict(self.row), dict(self.lag), dict(self.sources), self.changed,
                self.sources_changed)

    def restore(self, saved: tuple[Any, ...]) -> None:
        row, lag, sources, self.changed, self.sources_changed = saved
        self.row.clear()
        self.row.update(row)
        self.lag, self.sources = lag, sources

    def field_rank(self, name: str) -> str:
        if name in LWW_META_FIELDS:  # always kept explicitly in the lag map once set
            return self.lag.get(name, "")
        if self._value(name) is None:
            return ""
        return self.lag.get(name, self.row["meta_rank"])

    def _value(self, name: str) -> Any:
        if name == "authors":
            return json.loads(self.row["authors"]) or None
        if name == "title":
            return self.row["title"] or None
        if name == "abstract":
            return self.row["abstract"] or None
        return self.row[name]

    def merge(self, op: Op) -> bool:
        """Merge one upsert; returns True if anything visible changed."""
        value: dict[str, Any] = op.value or {}
        rank = rank_of(op)
        ranked_before = (self.row["meta_rank"], self.row["meta_lag"])
        if self.row["meta_rank"] or self.lag:
            ranks = {name: self.field_rank(name) for name in META_FIELDS}
        else:  # a blank row: every incoming value wins
            ranks = dict.fromkeys(META_FIELDS, "")
        changed = False
        plain_rank = f"{0:05d}|{op.hlc}|{op.device_id}"
        for name in META_FIELDS:
            incoming = value.get(name)
            if incoming is None or incoming == "" or incoming == []:
                continue
            field_rank = plain_rank if name in LWW_META_FIELDS else rank
            if field_rank > ranks[name]:
                ranks[name] = field_rank
                changed |= self._set(name, incoming)
        categories = json.loads(self.row["categories"])
        united = sorted(set(categories) | set(value.get("categories") or ()))
        primary = self.row["primary_category"]
        if primary in united:
            united.remove(primary)
            united.insert(0, primary)
        if united != categories:
            self.row["categories"] = to_json(united)
            changed = True
        top = max((r for n, r in ranks.items() if r and n not in LWW_META_FIELDS),
                  default=self.row["meta_rank"] or "")
        self.row["meta_rank"] = top
        self.lag = {n: r for n, r in ranks.items()
                    if r and (r != top or n in LWW_META_FIELDS)}
        self.row["meta_lag"] = json.dumps(self.lag, sort_keys=True) if self.lag else None
        seen_in: dict[str, str] = dict(value.get("sources") or {})
        if value.get("source"):
            seen_in[value["source"]] = value.get("seen_at") or ""
        for source, seen in seen_in.items():
            seen = seen or hlc_to_iso(op.hlc)
            if source not in self.sources or seen < self.sources[source]:
                changed |= source not in self.sources
                self.sources[source] = seen
                self.sources_changed = True
                self.row["sources_text"] = " ".join(sorted(self.sources))
        added = value.get("seen_at") or hlc_to_iso(op.hlc)
        if added < self.row["added_at"]:  # earliest sighting, whatever order upserts arrive in
            self.row["added_at"] = added
            changed = True
        # a higher rank with equal values changes nothing visible but must still be stored
        self.changed |= changed or ranked_before != (self.row["meta_rank"], self.row["meta_lag"])
        return changed

    def _set(self, name: str, incoming: Any) -> bool:
        if name == "authors":
            authors = [str(a) for a in incoming]
            encoded = to_json(authors)
            if encoded == self.row["authors"]:
                return False
            self.row["authors"] = encoded
            self.row["authors_text"] = ", ".join(authors)
            return True
        if name == "withdrawn":
            incoming = bool(incoming)
        if self.row[name] == incoming:
            return False
        self.row[name] = incoming
        return True


def _blank_row(key: str, paper_id: int, added_at: str) -> dict[str, Any]:
    row: dict[str, Any] = {column: None for column in _PAPER_COLUMNS}
    row.update(id=paper_id, key=key, title="", authors="[]", authors_text="", abstract="",
               categories="[]", withdrawn=False, added_at=added_at, meta_rank="", read=False,
               starred=False, archived=False, deleted=False, tags_text="", sources_text="",
               note="", note_conflict=False)
    return row


def _load_papers(conn: Connection, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    columns = ", ".join(_PAPER_COLUMNS)
    for chunk in _chunks(keys):
        result = conn.exec_driver_sql(
            f"SELECT {columns} FROM papers WHERE key IN ({_marks(len(chunk))})", tuple(chunk))
        for values in result:
            row = dict(zip(_PAPER_COLUMNS, values))
            found[row["key"]] = row
    return found


def _load_sources(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for chunk in _chunks(ids):
        result = conn.exec_driver_sql(
            f"SELECT paper_id, source, first_seen FROM paper_sources "
            f"WHERE paper_id IN ({_marks(len(chunk))})", tuple(chunk))
        for paper_id, source, first_seen in result:
            found[paper_id][source] = first_seen
    return found


class MergeResult(NamedTuple):
    """What ``merge_upserts`` did; ``pending_fts`` is set when the caller deferred indexing."""

    flags: list[bool]
    created: list[str]
    updated: list[str]
    pending_fts: tuple[int, int] | None


def merge_upserts(conn: Connection, ops: Sequence[Op], defer_fts: bool = False,
                  recorded: bool = False) -> MergeResult:
    """Merge paper upserts into ``papers``.

    With ``defer_fts`` a bulk insert leaves the FTS trigger paused so that the caller can write
    more to the new rows cheaply; it must then call ``finish_fts(conn, result.pending_fts)``.
    Unless ``recorded`` (every op is in the log, as for remote ops), an op that changes nothing
    visible leaves no trace either (no higher rank): the caller drops it, so other replicas
    never see it and must not be out-ranked by it.
    """
    keys = list(dict.fromkeys(op.entity_id for op in ops))
    existing = _load_papers(conn, keys)
    sources = _load_sources(conn, [row["id"] for row in existing.values()])
    next_id = (conn.exec_driver_sql("SELECT coalesce(max(id), 0) FROM papers").scalar() or 0) + 1
    states: dict[str, _PaperState] = {}
    for key, row in existing.items():
        states[key] = _PaperState(row, dict(sources.get(row["id"], {})), is_new=False)
    flags: list[bool] = []
    for op in ops:
        state = states.get(op.entity_id)
        if state is None:
            added = (op.value or {}).get("seen_at") or hlc_to_iso(op.hlc)
            state = _PaperState(_blank_row(op.entity_id, next_id, added), {}, is_new=True)
            next_id += 1
            states[op.entity_id] = state
            state.merge(op)
            flags.append(True)
        elif recorded:
            flags.append(state.merge(op))
        else:
            before = state.save()
            changed = state.merge(op)
            if not changed:
                state.restore(before)
            flags.append(changed)
    created = [s for s in states.values() if s.is_new]
    updated = [s for s in states.values() if not s.is_new and s.changed]
    if updated:  # existing rows first, while the FTS triggers are live
        # only the columns that changed: setting title/abstract/... re-indexes the row in FTS
        by_columns: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
        for state in updated:
            original = state.original or {}
            columns = tuple(c for c in _PAPER_COLUMNS[2:] if state.row[c] != original.get(c))
            if columns:
                by_columns[columns].append(tuple(state.row[c] for c in columns)
                                           + (state.row["id"],))
        for columns, rows in by_columns.items():
            assignments = ", ".join(f"{c} = ?" for c in columns)
            conn.exec_driver_sql(f"UPDATE papers SET {assignments} WHERE id = ?", rows)
    bulk = len(created) >= BULK_FTS_THRESHOLD
    if bulk:
        conn.exec_driver_sql(PAUSE_FTS)
    if created:
        columns = ", ".join(_PAPER_COLUMNS)
        conn.exec_driver_sql(
            f"INSERT INTO papers ({columns}) VALUES ({_marks(len(_PAPER_COLUMNS))})",
            [tuple(s.row[c] for c in _PAPER_COLUMNS) for s in created])
    source_rows = [(s.row["id"], name, seen) for s in states.values() if s.sources_changed
                   for name, seen in s.sources.items()]
    if source_rows:
        conn.exec_driver_sql(
            "INSERT INTO paper_sources (paper_id, source, first_seen) VALUES (?, ?, ?) "
            "ON CONFLICT(paper_id, source) DO UPDATE SET first_seen = "
            "min(first_seen, excluded.first_seen)", source_rows)
    created_keys = [s.row["key"] for s in created]
    if created_keys:
        _materialise_new_papers(conn, created_keys)
    pending = (created[0].row["id"], created[-1].row["id"]) if bulk else None
    if pending and not defer_fts:
        finish_fts(conn, pending)
        pending = None
    return MergeResult(flags, created_keys, [s.row["key"] for s in updated], pending)


def finish_fts(conn: Connection, id_range: tuple[int, int] | None) -> None:
    """End a paused bulk insert: index the new rows (ids are contiguous, we assigned them).

    While paused, only the new, not yet indexed rows may be written.
    """
    if id_range is not None:
        conn.exec_driver_sql(RESUME_FTS)
        conn.exec_driver_sql(INDEX_ID_RANGE, id_range)


def _materialise_new_papers(conn: Connection, keys: Sequence[str]) -> None:
    """Bring flags, tags and notes that arrived before their paper onto the new rows."""
    for chunk in _chunks(keys):
        marks = _marks(len(chunk))
        clocks = conn.exec_driver_sql(
            f"SELECT entity_id, field, value, hlc FROM field_clocks WHERE entity = 'paper' "
            f"AND entity_id IN ({marks})", tuple(chunk)).all()
        for key, name, value, hlc in clocks:
            _write_flag(conn, key, name, json.loads(value) if value else None, hlc)
        tagged = conn.exec_driver_sql(
            f"SELECT DISTINCT paper_key FROM tag_adds WHERE paper_key IN ({marks})",
            tuple(chunk)).all()
        if tagged:
            _materialise_tags(conn, [row[0] for row in tagged])
        noted = conn.exec_driver_sql(
            f"SELECT DISTINCT paper_key FROM note_versions WHERE paper_key IN ({marks})",
            tuple(chunk)).all()
        for (key,) in noted:
            _materialise_note(conn, key)


# ---------------------------------------------------------------------------------------------
# last-writer-wins registers


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


def _apply_flags(conn: Connection, ops: Sequence[Op]) -> set[str]:
    """Apply many ``paper/set`` ops at once (same result as one by one); returns changed keys."""
    keys = list(dict.fromkeys(op.entity_id for op in ops))
    winners: dict[tuple[str, str], tuple[str, str, Any]] = {}
    for chunk in _chunks(keys):
        for key, name, hlc, device in conn.exec_driver_sql(
                f"SELECT entity_id, field, hlc, device_id FROM field_clocks WHERE entity = 'paper' "
                f"AND entity_id IN ({_marks(len(chunk))})", tuple(chunk)):
            winners[(key, name)] = (hlc, device, _UNCHANGED)
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
        if name == "archived":
            by_flag[name].append((bool(value), hlc_to_iso(hlc) if value else None, key))
        elif name in _FLAG_COLUMNS:
            by_flag[name].append((bool(value), key))
    for name, rows in by_flag.items():
        if name == "archived":
            conn.exec_driver_sql(
                "UPDATE papers SET archived = ?, archived_at = ? WHERE key = ?", rows)
        else:
            conn.exec_driver_sql(f"UPDATE papers SET {_FLAG_COLUMNS[name]} = ? WHERE key = ?", rows)
    return {key for (key, _name), _ in dirty}


_UNCHANGED = object()


def _flag_items(op: Op) -> list[tuple[str, Any]]:
    """A ``paper/set`` op sets one flag (``field``) or several (``field`` empty, dict value)."""
    if op.field:
        return [(op.field, op.value)]
    return sorted((op.value or {}).items())


def _write_flag(conn: Connection, key: str, name: str, value: Any, hlc: str) -> None:
    column = _FLAG_COLUMNS.get(name)
    if column is None:
        return
    if name == "archived":
        when = hlc_to_iso(hlc) if value else None
        conn.exec_driver_sql("UPDATE papers SET archived = ?, archived_at = ? WHERE key = ?",
                             (bool(value), when, key))
    else:
        conn.exec_driver_sql(f"UPDATE papers SET {column} = ? WHERE key = ?", (bool(value), key))


# ---------------------------------------------------------------------------------------------
# tags (add-wins OR-set)


def normalise_tag(name: str) -> str:
    """Tags are lower-case with single inner spaces."""
    return " ".join(name.strip().lower().split())


def _materialise_tags(conn: Connection, keys: Iterable[str]) -> None:
    """Recompute ``paper_tags`` and ``tags_text`` of papers from their live tag adds."""
    keys = list(dict.fromkeys(keys))
    for chunk in _chunks(keys):
        marks = _marks(len(chunk))
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
            f"SELECT name, id FROM tags WHERE name IN ({_marks(len(names))})",
            tuple(names)).all()) if names else {}
        paper_ids = tuple(ids.values())
        id_marks = _marks(len(paper_ids))
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
        if updates:
            conn.exec_driver_sql("UPDATE papers SET tags_text = ? WHERE id = ?", updates)


def live_tag_adds(conn: Connection, key: str, tag: str) -> list[str]:
    """The add ids currently keeping ``tag`` on the paper (what a remove must observe)."""
    return [row[0] for row in conn.exec_driver_sql(
        "SELECT add_id FROM tag_adds WHERE paper_key = ? AND tag = ? AND NOT removed",
        (key, tag))]


def _apply_tags(conn: Connection, ops: Sequence[Op]) -> None:
    """Apply tag adds and removes (add-wins OR-set), then recompute the affected papers."""
    adds = [op for op in ops if op.kind == "add"]
    removed_ids = [str(a) for op in ops if op.kind == "remove" for a in (op.value or [])]
    if removed_ids:
        conn.exec_driver_sql("INSERT OR IGNORE INTO tag_tombstones (add_id) VALUES (?)",
                             [(a,) for a in removed_ids])
        for chunk in _chunks(removed_ids):
            conn.exec_driver_sql(
                f"UPDATE tag_adds SET removed = 1 WHERE add_id IN ({_marks(len(chunk))})",
                tuple(chunk))
    if adds:
        tombstoned: set[str] = set()
        add_ids = [op.op_id for op in adds]
        for chunk in _chunks(add_ids):
            tombstoned.update(row[0] for row in conn.exec_driver_sql(
                f"SELECT add_id FROM tag_tombstones WHERE add_id IN ({_marks(len(chunk))})",
                tuple(chunk)))
        conn.exec_driver_sql(
            "INSERT OR IGNORE INTO tag_adds (add_id, paper_key, tag, removed) VALUES (?, ?, ?, ?)",
            [(op.op_id, op.entity_id, normalise_tag(op.field), op.op_id in tombstoned)
             for op in adds])
    _materialise_tags(conn, [op.entity_id for op in ops])


# ---------------------------------------------------------------------------------------------
# notes (multi-value register with three-way merge)


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


def _materialise_note(conn: Connection, key: str) -> None:
    text, conflict = merged_note(conn, key)
    conn.exec_driver_sql("UPDATE papers SET note = ?, note_conflict = ? WHERE key = ?",
                         (text, conflict, key))


def _apply_note(conn: Connection, op: Op) -> None:
    text = str((op.value or {}).get("text") or "")
    superseded = conn.exec_driver_sql(
        "SELECT 1 FROM note_versions WHERE paper_key = ? AND deps LIKE ? LIMIT 1",
        (op.entity_id, f'%"{op.op_id}"%')).first() is not None
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO note_versions (op_id, paper_key, text, deps, hlc, device_id, "
        "superseded) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (op.op_id, op.entity_id, text, to_json(list(op.deps)), op.hlc, op.device_id,
         superseded))
    for chunk in _chunks(list(op.deps)):
        conn.exec_driver_sql(
            f"UPDATE note_versions SET superseded = 1 WHERE op_id IN ({_marks(len(chunk))})",
            tuple(chunk))
    _materialise_note(conn, op.entity_id)


# ---------------------------------------------------------------------------------------------
# annotations, positions, settings

_ANNOTATION_COLUMNS = ("paper_key", "pdf_hash", "kind", "page", "quads", "text", "comment",
                       "color", "created", "modified", "deleted")


def _annotation_value(name: str, value: Any) -> Any:
    if name == "quads":
        return to_json(value or [])
    if name == "deleted":
        return bool(value)
    return value


def _apply_annotation(conn: Connection, op: Op) -> None:
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
            f"VALUES (?, {_marks(len(_ANNOTATION_COLUMNS))})",
            (op.entity_id,) + tuple(row[c] for c in _ANNOTATION_COLUMNS))
    for name, value in values.items():
        if name in ("paper_key", "created", "modified", "pdf_hash") and op.kind == "create":
            continue
        if name not in _ANNOTATION_COLUMNS or name == "modified":
            continue
        lww_set(conn, op, "annotation", op.entity_id, name, value)
    # the row shows, per field, the winning value of its register
    winners = conn.exec_driver_sql(
        "SELECT field, value, hlc FROM field_clocks WHERE entity = 'annotation' AND entity_id = ?",
        (op.entity_id,)).all()
    for name, value, hlc in winners:
        if name in _ANNOTATION_COLUMNS:
            conn.exec_driver_sql(
                f"UPDATE annotations SET {name} = ? WHERE id = ?",
                (_annotation_value(name, json.loads(value) if value else None), op.entity_id))
    latest = max((w[2] for w in winners), default=op.hlc)
    conn.exec_driver_sql("UPDATE annotations SET modified = ? WHERE id = ?",
                         (hlc_to_iso(latest), op.entity_id))


def _apply_position(conn: Connection, op: Op) -> None:
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


def _apply_setting(conn: Connection, op: Op) -> None:
    if not lww_set(conn, op, "setting", op.entity_id, "", op.value):
        return
    if op.value is None:
        conn.exec_driver_sql("DELETE FROM synced_settings WHERE key = ?", (op.entity_id,))
    else:
        conn.exec_driver_sql(
            "INSERT INTO synced_settings (key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (op.entity_id, to_json(op.value)))


# ---------------------------------------------------------------------------------------------
# entry points


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
        _, created, updated, _ = merge_upserts(conn, upserts, recorded=True)
        paper_keys.update(created)
        paper_keys.update(updated)
        changes = changes | Changes(papers=bool(created or updated))
    flag_ops = [op for op in ops if op.entity == "paper" and op.kind == "set"]
    if flag_ops:
        won = _apply_flags(conn, flag_ops)
        paper_keys.update(won)
        changes = changes | Changes(papers=bool(won))
    tag_ops = [op for op in ops if op.entity == "tag"]
    if tag_ops:
        _apply_tags(conn, tag_ops)
        paper_keys.update(op.entity_id for op in tag_ops)
        changes = changes | Changes(papers=True, tags=True)
    for op in ops:
        if op.entity in ("paper", "tag"):
            continue
        elif op.entity == "note":
            _apply_note(conn, op)
            paper_keys.add(op.entity_id)
            changes = changes | Changes(papers=True, notes=True)
        elif op.entity == "annotation":
            _apply_annotation(conn, op)
            changes = changes | Changes(annotations=True)
        elif op.entity == "position":
            _apply_position(conn, op)
            changes = changes | Changes(positions=True)
        elif op.entity == "setting":
            _apply_setting(conn, op)
            changes = changes | Changes(
                subscriptions=op.entity_id.startswith("subscription:"),
                saved_searches=op.entity_id.startswith("search:"))
    return changes | Changes(paper_keys=frozenset(paper_keys))
