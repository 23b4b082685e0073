"""The fast path for papers first seen in an upsert equals the general per-field merge."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from readinglist.core.ops import Op
from readinglist.storage.merge_papers import _blank_row, _fresh_state, _PaperState

texts = st.one_of(st.none(), st.just(""), st.text(min_size=1, max_size=12))
days = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()))
categories = st.sampled_from(["cs.CL", "cs.LG", "cs.CV", "stat.ML", "hep-th"])

values = st.fixed_dictionaries(
    {
        "arxiv_id": st.one_of(st.none(), st.just("2406.05821")),
        "version": st.one_of(st.none(), st.integers(min_value=1, max_value=9)),
        "doi": texts, "url": texts, "pdf_url": texts, "title": texts,
        "authors": st.lists(st.text(min_size=1, max_size=8), max_size=4),
        "abstract": texts,
        "categories": st.lists(categories, max_size=4),
        "primary_category": st.one_of(st.none(), categories),
        "published": days, "updated": days, "listed_on": days,
        "journal_ref": texts, "comment": texts,
        "hf_upvotes": st.one_of(st.none(), st.integers(min_value=0, max_value=500)),
        "withdrawn": st.one_of(st.none(), st.booleans()),
        "sources": st.dictionaries(st.sampled_from(["hf-daily", "arxiv-rss", "import"]),
                                   st.sampled_from(["", "2026-01-02T03:04:05+00:00"]),
                                   max_size=3),
    },
    optional={
        "source": st.sampled_from(["rss:example", "arxiv-query"]),
        "seen_at": st.sampled_from(["2025-12-31T00:00:00+00:00", ""]),
    },
)


@given(values)
def test_fresh_state_equals_merging_into_a_blank_row(value: dict[str, Any]) -> None:
    op = Op("devicea", 1, "001767225600000.00003", "paper", "2406.05821", "upsert", "", value)
    general = _PaperState(_blank_row(op.entity_id, 7, value.get("seen_at")
                                     or "2026-01-01T00:00:00+00:00"), {}, is_new=True)
    general.merge(op)
    fast = _fresh_state(op, 7)
    assert fast.row == general.row
    assert fast.lag == general.lag
    assert fast.sources == general.sources


def test_initial_columns_are_written_with_the_new_row() -> None:
    op = Op("devicea", 1, "001767225600000.00003", "paper", "2406.05821", "upsert", "",
            {"title": "A paper", "sources": {"import": ""}})
    state = _fresh_state(op, 1, {"read": True, "archived": True,
                                 "archived_at": "2026-01-01T00:00:00+00:00"})
    assert (state.row["read"], state.row["archived"], state.row["starred"]) == (True, True, False)
    assert state.row["title"] == "A paper"
    assert state.sources == {"import": "2026-01-01T00:00:00+00:00"}
