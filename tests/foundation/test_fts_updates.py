"""Bulk updates keep the full-text index exact without a trigger per row (storage.fts)."""

from __future__ import annotations

import sqlite3

from readinglist.services.library import Library
from tests.foundation.factories import record


def _integrity(library: Library) -> None:
    with sqlite3.connect(library.store.path) as conn:  # raises if the index disagrees
        conn.execute("INSERT INTO papers_fts(papers_fts, rank) VALUES ('integrity-check', 1)")


def test_new_versions_and_tags_reindex_the_changed_papers(library: Library) -> None:
    library.merge_records([record(f"2406.{n:05d}", title=f"Okapi study {n}",
                                  abstract="About the forest giraffe.") for n in range(300)])
    # a refetch brings new versions of every other paper, in feed order (not id order)
    library.merge_records([record(f"2406.{n:05d}", version=2, title=f"Zebra study {n}",
                                  abstract="About striped horses.")
                           for n in reversed(range(0, 300, 2))])
    assert len(library.list(view="all", query="zebra", limit=None)) == 150
    assert len(library.list(view="all", query="okapi", limit=None)) == 150
    assert len(library.list(view="all", query="giraffe", limit=None)) == 150
    library.tag([f"2406.{n:05d}" for n in range(0, 300, 3)], add=["savanna trip"])
    assert len(library.list(view="all", query="savanna_trip", limit=None)) == 100
    assert len(library.list(view="all", query="tag:\"savanna trip\" zebra", limit=None)) == 50
    library.tag([f"2406.{n:05d}" for n in range(0, 300, 3)], remove=["savanna trip"])
    assert library.list(view="all", query="savanna_trip", limit=None) == []
    _integrity(library)
    with library.store.transaction() as conn:  # the pause never outlives the update
        assert conn.exec_driver_sql("SELECT count(*) FROM fts_pause").scalar() == 0
