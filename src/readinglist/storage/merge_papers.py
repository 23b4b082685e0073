"""Merging ``paper/upsert`` operations into ``papers``: per-field ranks, united categories and
sources, bulk inserts with one-pass FTS indexing."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from typing import Any, NamedTuple

from readinglist.core.models import Revision
from readinglist.core.ops import Op
from readinglist.storage.connection import RawConnection as Connection
from readinglist.storage.fts import (
    INDEX_ID_RANGE, INDEXED_COLUMNS, PAUSE_FTS, RESUME_FTS, update_indexed)
from readinglist.storage.note_versions import materialise_note
from readinglist.storage.registers import write_flag
from readinglist.storage.sqltools import (
    chunks, hlc_to_iso, json_encoder, qmarks, to_json, utc_now_iso)
from readinglist.storage.tag_sets import materialise_tags

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


def rank_of(op: Op) -> str:
    """Metadata rank: higher arXiv version first, then the LWW order."""
    version = (op.value or {}).get("version") or 0
    return f"{int(version):05d}|{op.hlc}|{op.device_id}"


# ---------------------------------------------------------------------------------------------
# paper metadata (paper/upsert)


class _PaperState:
    """A paper row being merged in memory."""

    __slots__ = ("row", "original", "lag", "sources", "is_new", "changed", "sources_changed")

    def __init__(self, row: dict[str, Any], sources: dict[str, str], is_new: bool,
                 lag: dict[str, str] | None = None) -> None:
        self.row = row
        if lag is None:
            lag = json.loads(row["meta_lag"]) if row.get("meta_lag") else {}
        self.lag: dict[str, str] = lag
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
        united = _united_categories(categories, value.get("categories"),
                                    self.row["primary_category"])
        if united != categories:
            self.row["categories"] = to_json(united)
            changed = True
        top = max((r for n, r in ranks.items() if r and n not in LWW_META_FIELDS),
                  default=self.row["meta_rank"] or "")
        self.row["meta_rank"] = top
        self.lag = {n: r for n, r in ranks.items()
                    if r and (r != top or n in LWW_META_FIELDS)}
        self.row["meta_lag"] = _lag_json(self.lag) if self.lag else None
        for source, seen in _sightings(op).items():
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


_BLANK_ROW: dict[str, Any] = {column: None for column in _PAPER_COLUMNS}
_BLANK_ROW.update(title="", authors="[]", authors_text="", abstract="", categories="[]",
                  withdrawn=False, meta_rank="", read=False, starred=False, archived=False,
                  deleted=False, tags_text="", sources_text="", note="", note_conflict=False)
# the stored form of the per-field rank map (kept byte-identical: merges compare it)
_lag_json = json_encoder(compact=False, sort_keys=True)


def _blank_row(key: str, paper_id: int, added_at: str) -> dict[str, Any]:
    row = _BLANK_ROW.copy()
    row["id"], row["key"], row["added_at"] = paper_id, key, added_at
    return row


def _fresh_state(op: Op, paper_id: int,
                 initial: dict[str, Any] | None = None) -> _PaperState:
    """The state of a paper first seen in ``op``: the same as merging ``op`` into a blank row,
    without the per-field rank comparisons (every incoming value wins on a blank row).

    ``initial`` sets further columns of the new row (triage imported with it)."""
    value: dict[str, Any] = op.value or {}
    row = _blank_row(op.entity_id, paper_id, value.get("seen_at") or hlc_to_iso(op.hlc))
    rank = rank_of(op)
    lag: dict[str, str] = {}
    top = ""
    for name in META_FIELDS:
        incoming = value.get(name)
        if incoming is None or incoming == "" or incoming == []:
            continue
        if name in LWW_META_FIELDS:
            lag[name] = f"00000|{op.hlc}|{op.device_id}"
            row[name] = bool(incoming) if name == "withdrawn" else incoming
        elif name == "authors":
            authors = [str(a) for a in incoming]
            row["authors"] = to_json(authors)
            row["authors_text"] = ", ".join(authors)
            top = rank
        else:
            row[name] = incoming
            top = rank
    if value.get("categories"):
        row["categories"] = to_json(_united_categories([], value["categories"],
                                                       row["primary_category"]))
    row["meta_rank"] = top
    row["meta_lag"] = _lag_json(lag) if lag else None
    sources = _sightings(op)
    if sources:
        row["sources_text"] = " ".join(sorted(sources))
    if initial:
        row.update(initial)
    return _PaperState(row, sources, is_new=True, lag=lag)


def _united_categories(current: list[str], incoming: Any, primary: str | None) -> list[str]:
    """Both category lists united and sorted, the primary category first."""
    united = sorted(set(current) | set(incoming or ()))
    if primary in united:
        united.remove(primary)
        united.insert(0, primary)
    return united


def _sightings(op: Op) -> dict[str, str]:
    """{source: first seen} in an upsert; an unknown time is the op's own clock time."""
    value: dict[str, Any] = op.value or {}
    seen_in: dict[str, str] = dict(value.get("sources") or {})
    if value.get("source"):
        seen_in[value["source"]] = value.get("seen_at") or ""
    stamped = ""
    for source, seen in seen_in.items():
        if not seen:
            stamped = stamped or hlc_to_iso(op.hlc)
            seen_in[source] = stamped
    return seen_in


def _load_papers(conn: Connection, keys: Sequence[str]) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    columns = ", ".join(_PAPER_COLUMNS)
    for chunk in chunks(keys):
        result = conn.exec_driver_sql(
            f"SELECT {columns} FROM papers WHERE key IN ({qmarks(len(chunk))})", tuple(chunk))
        for values in result:
            row = dict(zip(_PAPER_COLUMNS, values))
            found[row["key"]] = row
    return found


def _load_sources(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = defaultdict(dict)
    for chunk in chunks(ids):
        result = conn.exec_driver_sql(
            f"SELECT paper_id, source, first_seen FROM paper_sources "
            f"WHERE paper_id IN ({qmarks(len(chunk))})", tuple(chunk))
        for paper_id, source, first_seen in result:
            found[paper_id][source] = first_seen
    return found


class MergeResult(NamedTuple):
    """What ``merge_upserts`` did; ``pending_fts`` is set when the caller deferred indexing."""

    flags: list[bool]
    created: list[str]
    updated: list[str]
    pending_fts: tuple[int, int] | None
    revised: list[Revision]  # existing papers whose arXiv version rose


def merge_upserts(conn: Connection, ops: Sequence[Op], defer_fts: bool = False,
                  recorded: bool = False,
                  initial: dict[str, dict[str, Any]] | None = None) -> MergeResult:
    """Merge paper upserts into ``papers``.

    With ``defer_fts`` a bulk insert leaves the FTS trigger paused so that the caller can write
    more to the new rows cheaply; it must then call ``finish_fts(conn, result.pending_fts)``.
    Unless ``recorded`` (every op is in the log, as for remote ops), an op that changes nothing
    visible leaves no trace either (no higher rank): the caller drops it, so other replicas
    never see it and must not be out-ranked by it. ``initial`` gives further column values
    for papers this call creates (an import's triage, written with the row instead of after it).
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
            state = _fresh_state(op, next_id, initial.get(op.entity_id) if initial else None)
            next_id += 1
            states[op.entity_id] = state
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
            sql = f"UPDATE papers SET {', '.join(f'{c} = ?' for c in columns)} WHERE id = ?"
            if set(columns) & set(INDEXED_COLUMNS):
                update_indexed(conn, sql, rows, [row[-1] for row in rows])
            else:
                conn.exec_driver_sql(sql, rows)
    bulk = len(created) >= BULK_FTS_THRESHOLD
    if bulk:
        conn.exec_driver_sql(PAUSE_FTS)
    if created:
        columns = ", ".join(_PAPER_COLUMNS)
        conn.exec_driver_sql(
            f"INSERT INTO papers ({columns}) VALUES ({qmarks(len(_PAPER_COLUMNS))})",
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
    revised = [state for state in updated if _version_rose(state)]
    if revised:
        _keep_earlier_versions(conn, revised)
    return MergeResult(flags, created_keys, [s.row["key"] for s in updated], pending,
                       [Revision(s.row["key"], s.row["title"], int(s.row["version"]),
                                 int((s.original or {})["version"]), bool(s.row["starred"]))
                        for s in revised])


def _version_rose(state: _PaperState) -> bool:
    """Whether an updated paper's arXiv version rose above a version it already had."""
    before = (state.original or {}).get("version")
    after = state.row["version"]
    return before is not None and after is not None and after > before


def _keep_earlier_versions(conn: Connection, revised: Sequence[_PaperState]) -> None:
    """Keep the text each revised paper had before its newer version replaced it."""
    now = utc_now_iso()
    rows = []
    for state in revised:
        old = state.original or {}  # set: a revised paper was in the library already
        rows.append((state.row["key"], int(old["version"]), int(state.row["version"]), now,
                     *(old[name] or "" for name in ("title", "authors_text", "abstract",
                                                     "comment", "journal_ref"))))
    conn.exec_driver_sql(
        "INSERT OR IGNORE INTO earlier_versions (paper_key, version, replaced_by, replaced_at, "
        "title, authors_text, abstract, comment, journal_ref) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows)


def finish_fts(conn: Connection, id_range: tuple[int, int] | None) -> None:
    """End a paused bulk insert: index the new rows (ids are contiguous, we assigned them).

    While paused, only the new, not yet indexed rows may be written.
    """
    if id_range is not None:
        conn.exec_driver_sql(RESUME_FTS)
        conn.exec_driver_sql(INDEX_ID_RANGE, id_range)


def _materialise_new_papers(conn: Connection, keys: Sequence[str]) -> None:
    """Bring flags, tags and notes that arrived before their paper onto the new rows."""
    for chunk in chunks(keys):
        marks = qmarks(len(chunk))
        clocks = conn.exec_driver_sql(
            f"SELECT entity_id, field, value, hlc FROM field_clocks WHERE entity = 'paper' "
            f"AND entity_id IN ({marks})", tuple(chunk)).all()
        for key, name, value, hlc in clocks:
            write_flag(conn, key, name, json.loads(value) if value else None, hlc)
        tagged = conn.exec_driver_sql(
            f"SELECT DISTINCT paper_key FROM tag_adds WHERE paper_key IN ({marks})",
            tuple(chunk)).all()
        if tagged:
            materialise_tags(conn, [row[0] for row in tagged])
        noted = conn.exec_driver_sql(
            f"SELECT DISTINCT paper_key FROM note_versions WHERE paper_key IN ({marks})",
            tuple(chunk)).all()
        for (key,) in noted:
            materialise_note(conn, key)
