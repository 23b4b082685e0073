"""is:reading — papers opened in the viewer and not finished, the one read last first."""

from __future__ import annotations

from readinglist.services.library import Library
from tests.foundation.factories import record


def test_reading_lists_started_unread_papers_last_read_first(library: Library) -> None:
    library.merge_records([record(f"2406.0000{n}") for n in range(1, 6)])
    library.set_position("2406.00001", 4, 0.2)  # deep into it
    library.set_position("2406.00002", 0, 0.1)  # only glanced at the first page
    library.set_position("2406.00003", 2, 0.0)
    library.set_position("2406.00004", 7, 0.5)
    library.mark(["2406.00004"], "read", True)  # finished
    library.set_position("2406.00001", 5, 0.0)  # read again just now
    keys = [p.key for p in library.list(view="all", query="is:reading")]
    assert keys == ["2406.00001", "2406.00003"]
    # with another sort order the list is sorted as asked
    by_title = library.list(view="all", query="is:reading", sort="title", descending=False)
    assert [p.key for p in by_title] == ["2406.00001", "2406.00003"]
    assert library.count(library.make_filter("all", query="is:reading")) == 2
