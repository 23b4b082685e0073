"""Read-only access to a library file, for the desktop app's first painted rows.

``Library`` imports the whole write side (op log, merging, hybrid clock) and opens the file for
writing; the app does not need any of that to show its first page. ``LibraryReader`` offers the
list reads (``make_filter``, ``ids``, ``rows``) with the same results, and only for a file whose
schema is already current — anything else (a new file, an upgrade) goes through ``Library``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.errors import StorageError
from readinglist.core.rows import PaperRow
from readinglist.storage import queries
from readinglist.storage.connection import SqliteStore
from readinglist.storage.migrate import HEAD_REVISION, current_revision

if TYPE_CHECKING:
    from readinglist.core.versions import EarlierVersion


class LibraryReader:
    """The list reads of ``Library`` on a file with a current schema; never writes."""

    def __init__(self, store: SqliteStore) -> None:
        self.store = store
        self.path = store.path

    @classmethod
    def open(cls, db_path: Path) -> LibraryReader | None:
        """A reader, or None if the file is missing, unreadable or needs an upgrade."""
        path = Path(db_path)
        if not path.is_file():
            return None
        store = SqliteStore(path)
        try:
            # the revision first, over a plain connection: our pragmas (WAL) would change
            # another program's database before it is refused
            if current_revision(store) == HEAD_REVISION:
                store.check_readable()
                return cls(store)
        except StorageError:
            pass  # opening it as a Library reports the problem
        store.close()
        return None

    def make_filter(self, view: str = "inbox", tag: str | None = None, query: str | None = None,
                    listed_on: date | None = None, source: str | None = None) -> queries.Filter:
        """The ``queries.Filter`` for a view, narrowed by tag, search, listing day or source.

        Raises:
            InputError: a malformed search.
        """
        spec = None
        if query:
            from readinglist.core.query import parse_query

            spec = parse_query(query)
        return queries.Filter(view=view, tag=tag, spec=spec, listed_on=listed_on, source=source)

    def ids(self, flt: queries.Filter, sort: str = "date", descending: bool = True,
            limit: int | None = None) -> list[int]:
        """Ordered ids of the papers ``flt`` selects (at most ``limit``)."""
        with self.store.transaction() as conn:
            return queries.paper_ids(conn, flt, sort, descending, limit)

    def similar_terms(self, key: str) -> list[str]:
        """The distinctive words a ``like:`` search for paper ``key`` looks for (the why).

        Raises:
            UnknownPaperError: no such paper.
        """
        from readinglist.storage.similar import distinctive_terms

        with self.store.transaction() as conn:
            return distinctive_terms(conn, key)

    def earlier_versions(self, key: str) -> list[EarlierVersion]:
        """The text of the paper's earlier arXiv versions this library saw replaced, newest
        first (none for papers revised before this library kept them)."""
        from readinglist.core.versions import EarlierVersion

        with self.store.transaction() as conn:
            rows = conn.exec_driver_sql(
                "SELECT version, replaced_by, replaced_at, title, authors_text, abstract, "
                "comment, journal_ref FROM earlier_versions WHERE paper_key = ? "
                "ORDER BY version DESC", (key,)).all()
        return [EarlierVersion(int(r[0]), int(r[1]), *map(str, r[2:])) for r in rows]

    def rows(self, ids: Sequence[int]) -> dict[int, PaperRow]:
        """The list rows of these papers, by id."""
        with self.store.transaction() as conn:
            return queries.rows_by_ids(conn, ids)

    def close(self) -> None:
        self.store.close()
