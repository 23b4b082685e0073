"""``like:ID`` — papers sharing a paper's most distinctive words, and those words."""

from __future__ import annotations

from collections import Counter

import pytest

from readinglist.core.errors import UnknownPaperError
from readinglist.core.query import parse_query
from readinglist.core.similar import fold, pick_terms, term_counts
from readinglist.services.library import Library
from tests.foundation.factories import record

FILLER = "We study a model of data and report results on a benchmark with experiments."


@pytest.fixture
def zoo(library: Library) -> Library:
    papers = [record("2611.00001", title="Okapi stripes and giraffe necks",
                     abstract="Okapi stripes differ from zebra stripes. " + FILLER),
              record("2611.00002", title="Why okapi have stripes",
                     abstract="Camouflage of okapi stripes in forests. " + FILLER),
              record("2611.00003", title="Giraffe necks revisited",
                     abstract="Giraffe necks grow long. " + FILLER),
              record("2611.00004", title="Protein folding", abstract="Folding. " + FILLER)]
    papers += [record(f"2611.{n:05d}", title=f"Unrelated study {n}", abstract=FILLER)
               for n in range(10, 40)]
    library.merge_records(papers)
    return library


def test_like_finds_papers_sharing_distinctive_words(zoo: Library) -> None:
    found = [p.key for p in zoo.list(view="all", query="like:2611.00001", sort="date")]
    assert set(found) == {"2611.00002", "2611.00003"}  # stripes/okapi, giraffe/necks
    assert "2611.00001" not in found
    assert set(zoo.similar_terms("2611.00001")[:2]) == {"okapi", "stripes"}
    common = set(term_counts("", FILLER))
    assert not common & set(zoo.similar_terms("2611.00001"))  # in every paper: says nothing


def test_most_alike_first_unless_another_order_is_asked_for(zoo: Library) -> None:
    zoo.merge_records([record("2611.00005", title="Okapi", abstract="Stripes. " + FILLER,
                              published=record("2611.00001").published)])
    ranked = [p.key for p in zoo.list(view="all", query="like:2611.00002")]
    assert ranked[0] == "2611.00001"  # shares okapi, stripes and forest-free words most
    assert set(ranked) == {"2611.00001", "2611.00005"}
    by_title = [p.key for p in zoo.list(view="all", query="like:2611.00002", sort="title",
                                        descending=False)]
    assert by_title == ["2611.00005", "2611.00001"]  # "Okapi" < "Okapi stripes…"


def test_like_combines_with_other_filters(zoo: Library) -> None:
    zoo.mark(["2611.00002"], "archived", True)
    assert [p.key for p in zoo.list(view="inbox", query="like:arXiv:2611.00001")] == \
        ["2611.00003"]
    assert [p.key for p in zoo.list(view="all", query="like:2611.00001 camouflage")] == \
        ["2611.00002"]


def test_like_of_an_unknown_paper_is_a_clear_error(zoo: Library) -> None:
    with pytest.raises(UnknownPaperError, match="no paper '2611.99999'"):
        zoo.list(view="all", query="like:2611.99999")
    assert parse_query("like:https://arxiv.org/abs/2611.00001v2").like == "2611.00001"


def test_term_picking() -> None:
    counts = term_counts("Müller okapi", "okapi okapi the rare")
    assert counts == Counter({"okapi": 5, "muller": 3, "rare": 1})
    documents = {"okapi": 3, "muller": 2, "rare": 900}
    assert pick_terms(counts, documents, total=1000) == ["okapi", "muller"]  # rare: too common
    assert pick_terms(Counter({"alone": 4}), {"alone": 1}, total=1000) == []  # only itself
    assert fold("Barthélemy") == "barthelemy"


def test_a_new_paper_is_found_at_once(zoo: Library) -> None:
    assert "2611.00050" not in {p.key for p in zoo.list(view="all", query="like:2611.00001")}
    zoo.merge_records([record("2611.00050", title="Okapi stripes again",
                              abstract="Okapi stripes. " + FILLER)])
    assert "2611.00050" in {p.key for p in zoo.list(view="all", query="like:2611.00001")}


def test_like_starred_ranks_what_resembles_the_starred_papers(zoo: Library) -> None:
    assert zoo.list(view="inbox", query="like:starred") == []  # nothing starred yet
    zoo.mark(["2611.00001"], "starred", True)
    ranked = [p.key for p in zoo.list(view="inbox", query="like:starred")]
    assert set(ranked[:2]) == {"2611.00002", "2611.00003"}
    assert "2611.00001" not in ranked  # already starred: nothing to suggest
    assert {"okapi", "stripes"} <= set(zoo.similar_terms(":starred"))
    assert parse_query("like:Starred").like == ":starred"
