"""Papers like a given one: its distinctive words looked up in the FTS5 index, best matches by
BM25 rank (see ``core.similar``)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from readinglist.core.errors import UnknownPaperError
from readinglist.core.similar import (
    PROFILE_TERMS, STARRED, TITLE_WEIGHT, match_expression, pick_terms, profile_counts,
    term_counts)
from readinglist.storage.connection import RawConnection as Connection
from readinglist.storage.sqltools import chunks, qmarks

SIMILAR_LIMIT = 50
FOR_YOU_LIMIT = 200
# BM25 with a title match worth as much as in ``core.similar.term_counts`` (columns: title,
# abstract, authors, tags, note)
_RANK = f"bm25(papers_fts, {TITLE_WEIGHT}.0, 1.0, 1.0, 1.0, 1.0)"
_CANDIDATES = 60  # words looked up per paper (the most frequent in it)
_PROFILE_PAPERS = 300  # the most recently starred papers make the profile


_CACHE: OrderedDict[tuple[str, str, str, int], list[Any]] = OrderedDict()
_CACHE_SIZE = 32
_CACHE_LOCK = threading.Lock()


def _remembered(conn: Connection, kind: str, key: str,
                compute: Callable[[], list[Any]]) -> list[Any]:
    """``compute()``, kept until the library changes (a new op) — a list's first page, its
    full id list, its count and the status-bar explanation all ask for the same thing."""
    path = conn.exec_driver_sql("PRAGMA database_list").first()[2]
    version = int(conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM ops").scalar() or 0)
    cache_key = (path, kind, key, version)
    with _CACHE_LOCK:
        if cache_key in _CACHE:
            _CACHE.move_to_end(cache_key)
            return list(_CACHE[cache_key])
    value = compute()
    with _CACHE_LOCK:
        _CACHE[cache_key] = value
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return list(value)


def distinctive_terms(conn: Connection, key: str) -> list[str]:
    """The words that characterise paper ``key`` within this library.

    Raises:
        UnknownPaperError: no such paper.
    """
    return _remembered(conn, "terms", key, lambda: _distinctive_terms(conn, key))


def _distinctive_terms(conn: Connection, key: str) -> list[str]:
    if key == STARRED:
        return _starred_terms(conn)
    return _paper_terms(conn, key)


def _starred_terms(conn: Connection) -> list[str]:
    """The words your starred papers share that the rest of the library uses less."""
    rows = conn.exec_driver_sql(
        "SELECT title, abstract FROM papers WHERE starred AND NOT deleted "
        "ORDER BY added_at DESC LIMIT ?", (_PROFILE_PAPERS,)).all()
    counts = profile_counts([(r[0] or "", r[1] or "") for r in rows])
    candidates = [word for word, _ in counts.most_common(2 * _CANDIDATES)]
    return pick_terms(counts, _document_counts(conn, candidates), _library_size(conn),
                      PROFILE_TERMS)


def _library_size(conn: Connection) -> int:
    return max(1, int(conn.exec_driver_sql("SELECT count(*) FROM papers WHERE NOT deleted")
                      .scalar() or 0))


def _document_counts(conn: Connection, words: list[str]) -> dict[str, int]:
    """How many papers contain each word (through the FTS index)."""
    return {word: int(conn.exec_driver_sql(
        "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?", (f'"{word}"',)).scalar()
        or 0) for word in words}


def _source_paper(conn: Connection, key: str) -> tuple[int, str, str]:
    """(id, title, abstract) of the paper ``like:`` names: by key, else (``doi:`` keys) the
    paper carrying that DOI — an arXiv paper's journal DOI names it too. A paper in the Trash
    still describes itself (``l`` there, or a list of papers like one trashed since).

    Raises:
        UnknownPaperError: no such paper.
    """
    row = conn.exec_driver_sql(
        "SELECT id, title, abstract FROM papers WHERE key = ?", (key,)).first()
    if row is None and key.startswith("doi:"):
        row = conn.exec_driver_sql(
            "SELECT id, title, abstract FROM papers WHERE doi = ? ORDER BY deleted, id",
            (key[4:].lower(),)).first()
    if row is None:
        raise UnknownPaperError(f"no paper {key!r} in the library")
    return int(row[0]), row[1] or "", row[2] or ""


def _paper_terms(conn: Connection, key: str) -> list[str]:
    _, title, abstract = _source_paper(conn, key)
    counts = term_counts(title, abstract)
    candidates = [word for word, _ in counts.most_common(_CANDIDATES)]
    return pick_terms(counts, _document_counts(conn, candidates), _library_size(conn))


def similar_ids(conn: Connection, key: str) -> list[int]:
    """Ids of the papers that best match ``key``'s distinctive words, best first: the
    ``SIMILAR_LIMIT`` nearest to a paper (not itself), or for ``STARRED`` the
    ``FOR_YOU_LIMIT`` nearest to your starred papers (not those, nor archived ones: suggestions
    are for what you have not dealt with yet)."""
    return _remembered(conn, "ids", key, lambda: _similar_ids(conn, key))


def _similar_ids(conn: Connection, key: str) -> list[int]:
    terms = distinctive_terms(conn, key)
    if not terms:
        return []
    if key == STARRED:
        return [row[0] for row in conn.exec_driver_sql(
            "SELECT f.rowid FROM papers_fts f JOIN papers p ON p.id = f.rowid "
            "WHERE papers_fts MATCH ? AND NOT p.starred AND NOT p.archived AND NOT p.deleted "
            f"ORDER BY {_RANK} LIMIT ?", (match_expression(terms), FOR_YOU_LIMIT))]
    own = _source_paper(conn, key)[0]
    # papers in the Trash are out of every list: they must not take the best places (asking
    # for that many more is cheaper than joining every match with ``papers``)
    trashed = int(conn.exec_driver_sql("SELECT count(*) FROM papers WHERE deleted = 1")
                  .scalar() or 0)
    found = [row[0] for row in conn.exec_driver_sql(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND rowid != ? "
        f"ORDER BY {_RANK} LIMIT ?", (match_expression(terms), own, SIMILAR_LIMIT + trashed))]
    return _without_trashed(conn, found)[:SIMILAR_LIMIT] if trashed else found


def _without_trashed(conn: Connection, ids: list[int]) -> list[int]:
    """``ids`` in their order, less the papers in the Trash."""
    gone: set[int] = set()
    for chunk in chunks(ids):
        gone.update(row[0] for row in conn.exec_driver_sql(
            f"SELECT id FROM papers WHERE deleted = 1 AND id IN ({qmarks(len(chunk))})",
            tuple(chunk)))
    return [paper_id for paper_id in ids if paper_id not in gone]
