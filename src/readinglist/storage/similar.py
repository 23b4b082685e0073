"""Papers like a given one: its distinctive words looked up in the FTS5 index, best matches by
BM25 rank (see ``core.similar``)."""

from __future__ import annotations

import threading
from collections import OrderedDict

from readinglist.core.errors import UnknownPaperError
from readinglist.core.similar import match_expression, pick_terms, term_counts
from readinglist.storage.connection import RawConnection as Connection

SIMILAR_LIMIT = 50
_CANDIDATES = 60  # words looked up per paper (the most frequent in it)


_CACHE: OrderedDict[tuple[str, str, int], list[str]] = OrderedDict()
_CACHE_SIZE = 16
_CACHE_LOCK = threading.Lock()


def distinctive_terms(conn: Connection, key: str) -> list[str]:
    """The words that characterise paper ``key`` within this library (remembered until the
    library changes: a list's two queries and its explanation ask for the same words).

    Raises:
        UnknownPaperError: no such paper.
    """
    path = conn.exec_driver_sql("PRAGMA database_list").first()[2]
    version = int(conn.exec_driver_sql("SELECT coalesce(max(rowid), 0) FROM ops").scalar() or 0)
    cache_key = (path, key, version)
    with _CACHE_LOCK:
        if cache_key in _CACHE:
            _CACHE.move_to_end(cache_key)
            return list(_CACHE[cache_key])
    terms = _distinctive_terms(conn, key)
    with _CACHE_LOCK:
        _CACHE[cache_key] = terms
        while len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)
    return list(terms)


def _distinctive_terms(conn: Connection, key: str) -> list[str]:
    row = conn.exec_driver_sql("SELECT title, abstract FROM papers WHERE key = ? AND NOT deleted",
                               (key,)).first()
    if row is None:
        raise UnknownPaperError(f"no paper {key!r} in the library")
    counts = term_counts(row[0] or "", row[1] or "")
    candidates = [word for word, _ in counts.most_common(_CANDIDATES)]
    total = int(conn.exec_driver_sql("SELECT count(*) FROM papers WHERE NOT deleted").scalar()
                or 0)
    documents = {}
    for word in candidates:
        documents[word] = int(conn.exec_driver_sql(
            "SELECT count(*) FROM papers_fts WHERE papers_fts MATCH ?", (f'"{word}"',)).scalar()
            or 0)
    return pick_terms(counts, documents, max(total, 1))


def similar_ids(conn: Connection, key: str, limit: int = SIMILAR_LIMIT) -> list[int]:
    """Ids of the ``limit`` papers that best match ``key``'s distinctive words (not itself)."""
    terms = distinctive_terms(conn, key)
    if not terms:
        return []
    own = conn.exec_driver_sql("SELECT id FROM papers WHERE key = ?", (key,)).scalar()
    return [row[0] for row in conn.exec_driver_sql(
        "SELECT rowid FROM papers_fts WHERE papers_fts MATCH ? AND rowid != ? "
        "ORDER BY rank LIMIT ?", (match_expression(terms), own, int(limit)))]
