"""Earlier arXiv versions: kept when a newer version arrives, diffed word by word, shown by the
CLI (text and JSON)."""

from __future__ import annotations

import json

from readinglist.cli.main import run
from readinglist.core.versions import ADDED, REMOVED, SAME, EarlierVersion, changes, word_diff
from readinglist.services.library import Library
from tests.foundation.factories import record


def _earlier(**fields: object) -> EarlierVersion:
    values: dict[str, object] = {
        "version": 1, "replaced_by": 2, "replaced_at": "2026-11-20T08:00:00+00:00",
        "title": "Scaling laws", "authors": "Ada Lovelace, Alan Turing",
        "abstract": "We study scaling laws for language models.", "comment": "",
        "journal_ref": ""}
    values.update(fields)
    return EarlierVersion(**values)  # type: ignore[arg-type]


def test_word_diff_marks_added_and_removed_words() -> None:
    runs = word_diff("We study scaling laws for language models.",
                     "We study  precise scaling laws for vision models.")
    assert runs == [(SAME, "We study"), (ADDED, "precise"), (SAME, "scaling laws for"),
                    (REMOVED, "language"), (ADDED, "vision"), (SAME, "models.")]
    assert word_diff("same text", "same   text") == [(SAME, "same text")]
    assert word_diff("Ada Lovelace, Alan Turing", "Ada Lovelace, Alan Turing, Grace Hopper",
                     ", ") == [(SAME, "Ada Lovelace, Alan Turing"), (ADDED, "Grace Hopper")]


def test_changes_name_each_field_that_moved() -> None:
    earlier = _earlier()
    assert changes(earlier, "Scaling laws", "Ada Lovelace, Alan Turing",
                   "We study scaling laws for language models.", "", "") == []
    assert changes(earlier, "Scaling laws revisited", "Ada Lovelace, Grace Hopper",
                   "We study scaling laws for vision models too.", "ICLR 2026 camera-ready",
                   "Proc. ICLR 2026") == [
        "new title", "authors +1 −1", "abstract +3 −2 words",  # "models." became "models too."
        "comment: “ICLR 2026 camera-ready”", "published: Proc. ICLR 2026"]
    assert changes(earlier, "Scaling laws", "Alan Turing, Ada Lovelace",
                   earlier.abstract, "", "") == ["authors reordered"]


def test_a_new_version_keeps_the_earlier_text(library: Library) -> None:
    library.merge_records([record(abstract="We study things.", comment="10 pages")])
    assert library.earlier_versions("2406.05821") == []
    library.merge_records([record(version=2, title="Paper 2406.05821, revised",
                                  abstract="We study more things.", comment="12 pages")])
    (earlier,) = library.earlier_versions("2406.05821")
    assert (earlier.version, earlier.replaced_by, earlier.title, earlier.abstract,
            earlier.comment) == (1, 2, "Paper 2406.05821", "We study things.", "10 pages")
    library.merge_records([record(version=2, abstract="We study more things.")])  # a refetch
    library.merge_records([record(version=1, abstract="Old text again")])  # an old listing
    assert [e.version for e in library.earlier_versions("2406.05821")] == [1]
    library.merge_records([record(version=3, abstract="We study all things.")])
    assert [(e.version, e.replaced_by) for e in library.earlier_versions("2406.05821")] == [
        (2, 3), (1, 2)]
    assert library.earlier_versions("2406.05821")[0].abstract == "We study more things."


def test_show_prints_what_the_new_version_changed(library: Library, capsys) -> None:
    library.merge_records([record(abstract="We study things.")])
    library.merge_records([record(version=2, abstract="We study many more things.",
                                  comment="Accepted at ICLR")])
    library.close()
    assert run(["show", "2406.05821"]) == 0
    out = capsys.readouterr().out
    revised = next(line for line in out.splitlines() if line.startswith("revised:"))
    assert "v1 → v2 on " in revised
    assert revised.endswith("abstract +2 −0 words; comment: “Accepted at ICLR”")
    assert run(["show", "2406.05821", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["version"] == 2
    assert [(e["version"], e["replaced_by"], e["abstract"]) for e in shown["earlier_versions"]
            ] == [(1, 2, "We study things.")]
