"""Audit of ``like:`` / For you and of kept arXiv versions: ids in other forms, the Trash, the
profile following stars, withdrawn versions and versions out of order (real SQLite on disk)."""

from __future__ import annotations

import json

import pytest

from readinglist.cli.main import run
from readinglist.core.errors import UnknownPaperError
from readinglist.core.versions import paper_changes
from readinglist.services.library import Library
from readinglist.storage.similar import SIMILAR_LIMIT
from tests.foundation.factories import record

FILLER = "We study a model of data and report results on a benchmark with experiments."


@pytest.fixture
def zoo(library: Library) -> Library:
    """Okapi and giraffe papers among unrelated ones; the first has a journal DOI."""
    library.merge_records([
        record("2611.00001", title="Okapi stripes and giraffe necks", doi="10.1145/777.888",
               abstract="Okapi stripes differ from zebra stripes. " + FILLER),
        record("2611.00002", title="Why okapi have stripes",
               abstract="Camouflage of okapi stripes in forests. " + FILLER),
        record("2611.00003", title="Giraffe necks revisited",
               abstract="Giraffe necks grow long. " + FILLER),
        *[record(f"2611.{n:05d}", title=f"Unrelated study {n}", abstract=FILLER)
          for n in range(10, 40)]])
    return library


def _keys(library: Library, query: str, view: str = "all") -> list[str]:
    return [p.key for p in library.list(view=view, query=query)]


def test_like_a_doi_names_the_arxiv_paper_carrying_it(zoo: Library) -> None:
    expected = _keys(zoo, "like:2611.00001")
    assert set(expected) == {"2611.00002", "2611.00003"}
    assert _keys(zoo, "like:10.1145/777.888") == expected
    assert _keys(zoo, "like:doi:10.1145/777.888") == expected
    assert _keys(zoo, "like:https://doi.org/10.1145/777.888") == expected
    with pytest.raises(UnknownPaperError, match="no paper 'doi:10.1145/999'"):
        zoo.list(view="all", query="like:10.1145/999")


def test_like_a_paper_in_the_trash_still_lists_what_resembles_it(zoo: Library) -> None:
    before = _keys(zoo, "like:2611.00001")
    zoo.mark(["2611.00001"], "deleted", True)  # `l` on it, then Del: the list stays valid
    assert _keys(zoo, "like:2611.00001") == before
    assert zoo.similar_terms("2611.00001")


def test_papers_in_the_trash_do_not_take_the_best_places(library: Library) -> None:
    alike = [record(f"2611.{n:05d}", title=f"Okapi stripes {n}",
                    abstract="Okapi stripes again. " + FILLER) for n in range(1, 60)]
    others = [record(f"2612.{n:05d}", title=f"Unrelated study {n}", abstract=FILLER)
              for n in range(1, 700)]
    library.merge_records([*alike, *others])
    best = _keys(library, "like:2611.00001")
    assert len(best) == SIMILAR_LIMIT
    library.mark(best[:5], "deleted", True)
    found = _keys(library, "like:2611.00001")
    assert len(found) == SIMILAR_LIMIT  # the next best move up: still the 50 best
    assert not set(found) & set(best[:5])
    assert found[:SIMILAR_LIMIT - 5] == best[5:]


def test_for_you_follows_stars_and_the_trash_at_once(zoo: Library) -> None:
    zoo.mark(["2611.00001"], "starred", True)
    assert set(_keys(zoo, "like:starred", "inbox")) == {"2611.00002", "2611.00003"}
    zoo.mark(["2611.00002"], "deleted", True)
    assert _keys(zoo, "like:starred", "inbox") == ["2611.00003"]
    zoo.mark(["2611.00001"], "starred", False)
    assert _keys(zoo, "like:starred", "inbox") == []
    assert zoo.similar_terms(":starred") == []


def test_a_withdrawn_version_says_so_first(library: Library, capsys) -> None:
    library.merge_records([record(abstract="We study things.", comment="10 pages")])
    library.merge_records([record(version=2, abstract="This paper has been withdrawn.",
                                  comment="This paper has been withdrawn by the authors",
                                  withdrawn=True)])
    paper = library.get("2406.05821")
    (earlier,) = library.earlier_versions(paper.key)
    found = paper_changes(earlier, paper)
    assert found[0] == "withdrawn"
    assert "comment: “This paper has been withdrawn by the authors”" in found
    library.close()
    assert run(["show", "2406.05821"]) == 0
    revised = next(line for line in capsys.readouterr().out.splitlines()
                   if line.startswith("revised:"))
    assert "v1 → v2 on " in revised and ": withdrawn; abstract +" in revised


def test_versions_out_of_order_and_twice_keep_one_earlier_text(library: Library,
                                                               capsys) -> None:
    library.merge_records([record(abstract="We study things.")])
    library.merge_records([record(version=3, abstract="We study all things.")])
    library.merge_records([record(version=2, abstract="We study more things.")])  # late
    library.merge_records([record(version=3, abstract="We study all things.")])  # again
    paper = library.get("2406.05821")
    assert (paper.version, paper.abstract) == (3, "We study all things.")
    assert [(e.version, e.replaced_by) for e in library.earlier_versions(paper.key)] == [(1, 3)]
    library.close()
    assert run(["show", "2406.05821", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert [(e["version"], e["replaced_by"], e["abstract"])
            for e in shown["earlier_versions"]] == [(1, 3, "We study things.")]
