"""Read queries returning core DTOs: papers, list rows, counts, tags, annotations."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from readinglist.core.errors import InputError
from readinglist.core.rows import PaperRow
from readinglist.storage.connection import RawConnection as Connection

if TYPE_CHECKING:
    from readinglist.core.models import Annotation, Paper, ReadingPosition, TagCount
    from readinglist.core.query import QuerySpec

VIEWS = ("inbox", "unread", "starred", "archived", "all", "daily", "trash")
SORTS = {
    "date": ("p.published", "p.id"),
    "title": ("p.title COLLATE NOCASE", "p.id"),
    "authors": ("p.authors_text COLLATE NOCASE", "p.id"),
    "upvotes": ("coalesce(p.hf_upvotes, -1)", "p.id"),
    "sources": ("p.sources_text", "p.id"),
    "tags": ("p.tags_text", "p.id"),
    "added": ("p.added_at", "p.id"),
}
_COLUMNS = ("id", "key", "title", "arxiv_id", "version", "doi", "url", "pdf_url", "authors",
            "abstract", "categories", "primary_category", "published", "updated", "journal_ref",
            "comment", "hf_upvotes", "withdrawn", "read", "starred", "archived", "archived_at",
            "tags_text", "note", "note_conflict", "listed_on", "added_at", "deleted")


@dataclass(frozen=True, slots=True)
class Filter:
    """Which papers a list shows."""

    view: str = "inbox"
    tag: str | None = None
    spec: QuerySpec | None = None
    listed_on: date | None = None
    source: str | None = None
    added_since: datetime | None = None  # papers first seen at or after this moment


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _exclude(conditions: list[str], params: list[Any], name: str, value: str) -> None:
    """The condition leaving out papers with this tag, author, category or source."""
    if name == "tag":
        from readinglist.core.text import normalise_tag

        conditions.append("p.id NOT IN (SELECT pt.paper_id FROM paper_tags pt JOIN tags t "
                          "ON t.id = pt.tag_id WHERE t.name = ?)")
        params.append(normalise_tag(value))
    elif name == "source":
        conditions.append("p.id NOT IN (SELECT paper_id FROM paper_sources WHERE source = ?)")
        params.append(value)
    elif name == "cat":
        conditions.append("p.categories NOT LIKE ?")
        params.append(f'%"{value}"%')
    else:
        from readinglist.core.query import author_expression

        expression = author_expression(value)
        if expression:
            conditions.append("p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts "
                              "MATCH ?)")
            params.append(expression)


def where_clause(flt: Filter, conn: Connection) -> tuple[str, list[Any]]:
    """SQL conditions (on alias ``p``) and parameters for a filter (a ``like:`` search looks
    up the similar papers through ``conn``)."""
    if flt.view not in VIEWS:
        raise InputError(f"unknown view {flt.view!r} (use one of {', '.join(VIEWS)})")
    # equality tests (not "NOT x") so SQLite can use ix_papers_inbox for date order
    conditions = ["p.deleted = 1" if flt.view == "trash" else "p.deleted = 0"]
    params: list[Any] = []
    if flt.view == "inbox":
        conditions.insert(0, "p.archived = 0")
    elif flt.view == "unread":
        conditions.insert(0, "p.archived = 0")
        conditions.append("p.read = 0")
    elif flt.view == "starred":
        conditions.append("p.starred = 1")
    elif flt.view == "archived":
        conditions.insert(0, "p.archived = 1")
    if flt.added_since is not None:
        conditions.append("p.added_at >= ?")
        params.append(flt.added_since.astimezone(UTC).isoformat(timespec="seconds"))
    if flt.view == "daily" or flt.listed_on is not None:
        conditions.append("p.listed_on = ?")
        params.append(flt.listed_on.isoformat() if flt.listed_on else None)
    tags = ([flt.tag] if flt.tag else []) + list(flt.spec.tags if flt.spec else ())
    for tag in tags:
        conditions.append("p.id IN (SELECT pt.paper_id FROM paper_tags pt JOIN tags t "
                          "ON t.id = pt.tag_id WHERE t.name = ?)")
        from readinglist.core.text import normalise_tag  # off the start-up path

        params.append(normalise_tag(tag))
    sources = ([flt.source] if flt.source else []) + list(flt.spec.sources if flt.spec else ())
    for source in sources:
        conditions.append("p.id IN (SELECT paper_id FROM paper_sources WHERE source = ?)")
        params.append(source)
    spec = flt.spec
    if spec is not None:
        for flag in spec.flags:
            conditions.append({
                "unread": "NOT p.read", "read": "p.read", "starred": "p.starred",
                "unstarred": "NOT p.starred", "archived": "p.archived",
                "inbox": "NOT p.archived", "withdrawn": "p.withdrawn", "noted": "p.note != ''",
                "reading": f"p.id IN ({STARTED_READING})",
            }[flag])
        if spec.like is not None:
            from readinglist.storage.similar import similar_ids

            similar = similar_ids(conn, spec.like)
            conditions.append(f"p.id IN ({','.join('?' * len(similar)) or 'NULL'})")
            params.extend(similar)
        if spec.ids:
            dois = [key[4:] for key in spec.ids if key.startswith("doi:")]
            named = f"p.key IN ({','.join('?' * len(spec.ids))})"
            if dois:
                named = f"({named} OR p.doi IN ({','.join('?' * len(dois))}))"
            conditions.append(named)
            params.extend([*spec.ids, *dois])
        for category in spec.categories:
            conditions.append("p.categories LIKE ?")
            params.append(f'%"{category}"%')
        for name, value in spec.excluded_fields:
            _exclude(conditions, params, name, value)
        if spec.since:
            conditions.append("p.published >= ?")
            params.append(spec.since.isoformat())
        if spec.before:
            conditions.append("p.published < ?")
            params.append(spec.before.isoformat())
        from readinglist.core.query import (  # only for searches
            fts_exclusion_expression, fts_match_expression, pdf_match_expression)

        match = fts_match_expression(spec)
        if match:
            conditions.append("p.id IN (SELECT rowid FROM papers_fts WHERE papers_fts MATCH ?)")
            params.append(match)
        excluded = fts_exclusion_expression(spec)
        if excluded:
            conditions.append("p.id NOT IN (SELECT rowid FROM papers_fts WHERE papers_fts "
                              "MATCH ?)")
            params.append(excluded)
        in_pdf = pdf_match_expression(spec)
        if in_pdf:
            from readinglist.storage.pdf_text import PAPERS_MATCHING

            conditions.append(PAPERS_MATCHING)
            params.append(in_pdf)
    return " AND ".join(conditions), params


def _order(sort: str, descending: bool) -> str:
    if sort not in SORTS:
        raise InputError(f"unknown sort {sort!r} (use one of {', '.join(SORTS)})")
    direction = "DESC" if descending else "ASC"
    return ", ".join(f"{expr} {direction}" for expr in SORTS[sort])


def paper_ids(conn: Connection, flt: Filter, sort: str = "date", descending: bool = True,
              limit: int | None = None, offset: int = 0) -> list[int]:
    """Ordered ids of the papers a filter selects. A ``like:`` search in the default order
    (newest first) lists the most similar papers first instead."""
    if flt.spec is not None and flt.spec.like is not None and (sort, descending) == ("date", True):
        from readinglist.storage.similar import similar_ids

        similar = similar_ids(conn, flt.spec.like)  # remembered: where_clause asks again
        where, params = where_clause(flt, conn)
        found = {row[0] for row in conn.exec_driver_sql(
            f"SELECT p.id FROM papers p WHERE {where}", tuple(params))}
        ranked = [paper_id for paper_id in similar if paper_id in found]
        return ranked[offset:offset + limit if limit is not None else None]
    where, params = where_clause(flt, conn)
    hint = "NOT INDEXED " if _few_text_matches(conn, flt) else ""
    order = _order(sort, descending)
    if flt.spec is not None and "reading" in flt.spec.flags and (sort, descending) == (
            "date", True):  # the paper read last first: where you left off
        order = ("(SELECT max(hlc) FROM positions WHERE paper_key = p.key) DESC, "
                 f"{order}")
    sql = f"SELECT p.id FROM papers p {hint}WHERE {where} ORDER BY {order}"
    if limit is not None:
        # SQLite takes 64-bit limits; anything larger means "all of them"
        sql += f" LIMIT {min(int(limit), 2**63 - 1)} OFFSET {min(int(offset), 2**63 - 1)}"
    return [row[0] for row in conn.exec_driver_sql(sql, tuple(params))]


FEW_MATCHES = 2000
# papers opened in the viewer and read past the first part of the first page (on any machine),
# not marked read; driven from the few positions, not the 100k papers
STARTED_READING = ("SELECT q.id FROM positions s JOIN papers q ON q.key = s.paper_key "
                   "WHERE (s.page > 0 OR s.offset > 0.3) AND NOT q.read")


def _few_text_matches(conn: Connection, flt: Filter) -> bool:
    """True when a text search matches few papers: then fetching those rows and sorting them
    beats walking the date index (SQLite cannot estimate FTS result sizes itself)."""
    if not flt.spec:
        return False
    if flt.spec.like is not None or flt.spec.pdf_terms or "reading" in flt.spec.flags:
        return True  # at most SIMILAR_LIMIT papers; at most the papers with a PDF (or opened)
    from readinglist.core.query import fts_match_expression

    match = fts_match_expression(flt.spec)
    if not match:
        return False
    found = conn.exec_driver_sql(
        "SELECT count(*) FROM (SELECT 1 FROM papers_fts WHERE papers_fts MATCH ? LIMIT ?)",
        (match, FEW_MATCHES)).scalar()
    return int(found or 0) < FEW_MATCHES


def count(conn: Connection, flt: Filter) -> int:
    where, params = where_clause(flt, conn)
    return int(conn.exec_driver_sql(f"SELECT count(*) FROM papers p WHERE {where}",
                                    tuple(params)).scalar() or 0)


def _sources_for(conn: Connection, ids: Sequence[int]) -> dict[int, dict[str, str]]:
    found: dict[int, dict[str, str]] = {i: {} for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for paper_id, source, seen in conn.exec_driver_sql(
                f"SELECT paper_id, source, first_seen FROM paper_sources WHERE paper_id IN "
                f"({','.join('?' * len(chunk))})", tuple(chunk)):
            found[paper_id][source] = seen
    return found


def _tags_for(conn: Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for paper_id, name in conn.exec_driver_sql(
                f"SELECT pt.paper_id, t.name FROM paper_tags pt JOIN tags t ON t.id = pt.tag_id "
                f"WHERE pt.paper_id IN ({','.join('?' * len(chunk))}) ORDER BY t.name",
                tuple(chunk)):
            found[paper_id].append(name)
    return found


def papers_by_ids(conn: Connection, ids: Sequence[int]) -> list[Paper]:
    """Full paper DTOs in the order of ``ids``."""
    if not ids:
        return []
    rows: dict[int, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for values in conn.exec_driver_sql(
                f"SELECT {', '.join(_COLUMNS)} FROM papers WHERE id IN "
                f"({','.join('?' * len(chunk))})", tuple(chunk)):
            row = dict(zip(_COLUMNS, values))
            rows[row["id"]] = row
    sources = _sources_for(conn, list(rows))
    tags = _tags_for(conn, list(rows))
    return [_to_paper(rows[i], sources[i], tags[i]) for i in ids if i in rows]


def _to_paper(row: dict[str, Any], sources: dict[str, str], tags: list[str]) -> Paper:
    from readinglist.core.ids import abs_url, pdf_url  # not on the list rows' path
    from readinglist.core.models import Paper

    return Paper(
        id=row["id"], key=row["key"], title=row["title"], arxiv_id=row["arxiv_id"],
        version=row["version"], doi=row["doi"],
        url=row["url"] or (abs_url(row["arxiv_id"]) if row["arxiv_id"] else None),
        pdf_url=row["pdf_url"] or (pdf_url(row["arxiv_id"], row["version"])
                                   if row["arxiv_id"] else None),
        authors=tuple(json.loads(row["authors"])), abstract=row["abstract"],
        categories=tuple(json.loads(row["categories"])),
        primary_category=row["primary_category"], published=_day(row["published"]),
        updated=_day(row["updated"]), journal_ref=row["journal_ref"], comment=row["comment"],
        hf_upvotes=row["hf_upvotes"], withdrawn=bool(row["withdrawn"]), sources=sources,
        read=bool(row["read"]), starred=bool(row["starred"]), archived=bool(row["archived"]),
        archived_at=_when(row["archived_at"]), tags=tuple(tags), note=row["note"],
        note_conflict=bool(row["note_conflict"]), listed_on=_day(row["listed_on"]),
        added_at=_when(row["added_at"]), deleted=bool(row["deleted"]),
    )


def paper_id_for_key(conn: Connection, key: str, in_trash: bool = False) -> int | None:
    """The row id of the paper ``key`` (not in the Trash unless ``in_trash``)."""
    live = "" if in_trash else " AND NOT deleted"
    return conn.exec_driver_sql(f"SELECT id FROM papers WHERE key = ?{live}", (key,)).scalar()


def trashed_key(conn: Connection, key: str, doi: str | None) -> str | None:
    """The key of the paper in the Trash with this key (or DOI), if there is one."""
    found = conn.exec_driver_sql("SELECT key FROM papers WHERE key = ? AND deleted",
                                 (key,)).scalar()
    if found is None and doi:
        found = conn.exec_driver_sql("SELECT key FROM papers WHERE doi = ? AND deleted",
                                     (doi.lower(),)).scalar()
    return found


def paper_id_for_doi(conn: Connection, doi: str) -> int | None:
    return conn.exec_driver_sql("SELECT id FROM papers WHERE doi = ? AND NOT deleted",
                                (doi.lower(),)).scalar()


_ROW_COLUMNS = ("id", "key", "title", "authors_text", "published", "sources_text", "hf_upvotes",
                "tags_text", "read", "starred", "archived")


def rows_by_ids(conn: Connection, ids: Sequence[int]) -> dict[int, PaperRow]:
    """Light list rows for the ids (any order)."""
    found: dict[int, PaperRow] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for v in conn.exec_driver_sql(
                f"SELECT {', '.join(_ROW_COLUMNS)} FROM papers WHERE id IN "
                f"({','.join('?' * len(chunk))})", tuple(chunk)):
            found[v[0]] = PaperRow(v[0], v[1], v[2], v[3], _day(v[4]), v[5], v[6],
                                   v[7].replace("_", " ") if v[7] else "", bool(v[8]),
                                   bool(v[9]), bool(v[10]))
    return found


def tag_counts(conn: Connection) -> list[TagCount]:
    from readinglist.core.models import TagCount

    return [TagCount(name, n) for name, n in conn.exec_driver_sql(
        "SELECT t.name, count(p.id) FROM tags t JOIN paper_tags pt ON pt.tag_id = t.id "
        "JOIN papers p ON p.id = pt.paper_id AND NOT p.deleted GROUP BY t.id ORDER BY t.name")]


def source_counts(conn: Connection) -> dict[str, int]:
    return dict(conn.exec_driver_sql(
        "SELECT s.source, count(*) FROM paper_sources s JOIN papers p ON p.id = s.paper_id "
        "AND NOT p.deleted AND NOT p.archived GROUP BY s.source").all())


def listed_days(conn: Connection) -> list[date]:
    return [date.fromisoformat(d) for (d,) in conn.exec_driver_sql(
        "SELECT DISTINCT listed_on FROM papers WHERE listed_on IS NOT NULL ORDER BY listed_on")]


def worked_on_ids(conn: Connection) -> list[int]:
    """Ids of the papers you did something with (starred, tagged, noted or annotated), by key."""
    return [row[0] for row in conn.exec_driver_sql(
        "SELECT id FROM papers WHERE NOT deleted AND (starred OR note != '' OR tags_text != '' "
        "OR key IN (SELECT paper_key FROM annotations WHERE NOT deleted)) ORDER BY key")]


def annotations_for(conn: Connection, key: str, include_deleted: bool = False) -> list[Annotation]:
    from readinglist.core.models import Annotation

    sql = ("SELECT id, paper_key, kind, page, quads, text, comment, color, pdf_hash, created, "
           "modified, deleted FROM annotations WHERE paper_key = ?")
    if not include_deleted:
        sql += " AND NOT deleted"
    sql += " ORDER BY page, created, id"
    return [Annotation(r[0], r[1], r[2], r[3], tuple(tuple(q) for q in json.loads(r[4])), r[5],
                       r[6], r[7], r[8], r[9], r[10], bool(r[11]))
            for r in conn.exec_driver_sql(sql, (key,))]


def positions_for(conn: Connection, key: str) -> list[ReadingPosition]:
    from readinglist.core.models import ReadingPosition

    return [ReadingPosition(key, r[0], r[1], r[2], r[3]) for r in conn.exec_driver_sql(
        "SELECT device_id, page, offset, hlc FROM positions WHERE paper_key = ? ORDER BY hlc DESC",
        (key,))]


def keys_matching(conn: Connection, flt: Filter, keys: Sequence[str] | None = None) -> list[str]:
    """Keys of the papers a filter selects, among ``keys`` if given (checked 500 at a time)."""
    where, params = where_clause(flt, conn)
    if keys is None:
        return [row[0] for row in conn.exec_driver_sql(
            f"SELECT p.key FROM papers p WHERE {where}", tuple(params))]
    found: list[str] = []
    for start in range(0, len(keys), 500):
        chunk = list(keys[start:start + 500])
        found.extend(row[0] for row in conn.exec_driver_sql(
            f"SELECT p.key FROM papers p WHERE {where} AND p.key IN "
            f"({','.join('?' * len(chunk))})", (*params, *chunk)))
    return found


def synced_settings(conn: Connection, prefix: str) -> dict[str, Any]:
    return {k[len(prefix):]: json.loads(v) for k, v in conn.exec_driver_sql(
        "SELECT key, value FROM synced_settings WHERE key LIKE ? ORDER BY key", (prefix + "%",))}


def keys_tagged(conn: Connection, name: str, in_trash: bool = False) -> list[str]:
    """Keys of the papers (not in the Trash unless ``in_trash``) that carry the tag ``name``,
    oldest first."""
    live = "" if in_trash else " AND NOT p.deleted"
    return [row[0] for row in conn.exec_driver_sql(
        "SELECT p.key FROM tags t JOIN paper_tags pt ON pt.tag_id = t.id "
        f"JOIN papers p ON p.id = pt.paper_id{live} WHERE t.name = ? ORDER BY p.id", (name,))]
