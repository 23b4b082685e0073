"""The library service: merging, triage, tags, notes, FTS and the op log, on real SQLite."""

from __future__ import annotations

import json
import sqlite3
from datetime import date

import pytest

from readinglist.core.changes import Changes
from readinglist.core.errors import UnknownPaperError
from readinglist.services.library import Library
from tests.foundation.factories import record


def _ops(library: Library) -> list[tuple]:
    with sqlite3.connect(library.db.path) as conn:
        return conn.execute("SELECT device_id, seq, entity, entity_id, kind, field, value "
                            "FROM ops ORDER BY seq").fetchall()


def _log(library: Library) -> list:
    """Every operation in a library's log, as ``Op`` values (what sync would carry)."""
    from readinglist.core.ops import Op

    with library.store.transaction() as conn:
        rows = conn.exec_driver_sql(
            "SELECT device_id, seq, hlc, entity, entity_id, kind, field, value, deps FROM ops"
        ).all()
    return [Op(r[0], r[1], r[2], r[3], r[4], r[5], r[6], json.loads(r[7]),
               tuple(json.loads(r[8]) if r[8] else ())) for r in rows]


def test_sqlite_runs_in_wal_with_foreign_keys(library: Library) -> None:
    with library.db.read() as session:
        conn = session.connection()
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_merge_counts_new_updated_unchanged(library: Library) -> None:
    counts = library.merge_records([record("2406.00001"), record("2406.00002")])
    assert (counts.new, counts.updated, counts.unchanged) == (2, 0, 0)
    counts = library.merge_records([record("2406.00001"),
                                    record("2406.00002", version=2, title="Better title")])
    assert (counts.new, counts.updated, counts.unchanged) == (0, 1, 1)
    assert library.get("2406.00002").title == "Better title"


def test_newest_version_wins_and_categories_unite(library: Library) -> None:
    library.merge_records([record(version=2, title="v2 title", categories=("cs.CL",))])
    library.merge_records([record(version=1, title="v1 title", categories=("cs.LG",),
                                  doi="10.1/abc")])
    paper = library.get("2406.05821")
    assert paper.title == "v2 title" and paper.version == 2
    assert set(paper.categories) == {"cs.CL", "cs.LG"}
    assert paper.doi == "10.1/abc"  # the older record fills what the newer one lacks


def test_sources_are_kept_and_upvotes_stay_current(library: Library) -> None:
    library.merge_records([record(source="hf-daily", hf_upvotes=3, version=None)])
    library.merge_records([record(source="arxiv-rss", version=2)])
    library.merge_records([record(source="hf-daily", hf_upvotes=40, version=None)])
    paper = library.get("2406.05821")
    assert set(paper.sources) == {"hf-daily", "arxiv-rss"}
    assert paper.hf_upvotes == 40 and paper.version == 2


def test_refetch_never_touches_triage(library: Library) -> None:
    library.merge_records([record()])
    library.mark(["2406.05821"], "read", True)
    library.mark(["2406.05821"], "starred", True)
    library.tag(["2406.05821"], add=["keep"])
    library.set_note("2406.05821", "my note")
    library.merge_records([record(version=3, title="New")])
    paper = library.get("2406.05821")
    assert (paper.read, paper.starred, paper.tags, paper.note) == (True, True, ("keep",), "my note")
    assert paper.title == "New"


def test_every_mutation_is_an_operation(library: Library) -> None:
    library.merge_records([record()])
    library.mark(["2406.05821"], "archived", True)
    library.tag(["2406.05821"], add=["a"])
    library.tag(["2406.05821"], remove=["a"])
    library.set_note("2406.05821", "n")
    kinds = [(entity, kind) for _, _, entity, _, kind, _, _ in _ops(library)]
    assert kinds == [("paper", "upsert"), ("paper", "set"), ("tag", "add"), ("tag", "remove"),
                     ("note", "edit")]
    seqs = [seq for _, seq, *_ in _ops(library)]
    assert seqs == list(range(1, len(seqs) + 1))
    assert {device for device, *_ in _ops(library)} == {library.device_id}


def test_no_op_changes_record_nothing(library: Library) -> None:
    library.merge_records([record()])
    before = len(_ops(library))
    library.mark(["2406.05821"], "read", False)
    library.tag(["2406.05821"], remove=["absent"])
    library.set_note("2406.05821", "")
    library.merge_records([record()])
    assert len(_ops(library)) == before


def test_archive_records_when(library: Library) -> None:
    library.merge_records([record()])
    library.mark(["2406.05821"], "archived", True)
    paper = library.get("2406.05821")
    assert paper.archived and paper.archived_at is not None
    library.mark(["2406.05821"], "archived", False)
    assert library.get("2406.05821").archived_at is None


def test_inbox_is_unarchived_newest_first(library: Library) -> None:
    library.merge_records([record("2406.00001", published=date(2026, 1, 1)),
                           record("2406.00002", published=date(2026, 3, 1)),
                           record("2406.00003", published=date(2026, 2, 1))])
    library.mark(["2406.00003"], "archived", True)
    assert [p.key for p in library.list()] == ["2406.00002", "2406.00001"]
    assert [p.key for p in library.list(view="archived")] == ["2406.00003"]
    assert len(library.list(view="all")) == 3
    assert [p.key for p in library.list(view="all", limit=1)] == ["2406.00002"]


def test_tags_are_case_insensitive_and_filterable(library: Library) -> None:
    library.merge_records([record("2406.00001"), record("2406.00002")])
    library.tag(["2406.00001", "2406.00002"], add=["Deep  Learning"])
    library.tag(["2406.00002"], add=["deep learning", "rl"])
    assert [(t.name, t.count) for t in library.tag_counts()] == [("deep learning", 2), ("rl", 1)]
    assert [p.key for p in library.list(view="all", tag="rl")] == ["2406.00002"]
    library.tag(["2406.00002"], remove=["DEEP LEARNING"])
    assert library.get("2406.00002").tags == ("rl",)


def test_fts_follows_every_change(library: Library) -> None:
    library.merge_records([record(title="Frozen multimodal grounding",
                                  authors=("Björn Engdahl",), abstract="Attention maps.")])
    assert library.list(query="multimodal")
    assert library.list(query="engdahl")  # authors
    assert library.list(query="bjorn")  # diacritics folded
    assert library.list(query="author:engdahl")
    assert not library.list(query="zebra")
    library.set_note("2406.05821", "zebra crossing")
    assert library.list(query="zebra")
    library.tag(["2406.05821"], add=["giraffe"])
    assert library.list(query="giraffe")
    library.tag(["2406.05821"], remove=["giraffe"])
    assert not library.list(query="giraffe")
    library.merge_records([record(version=2, title="Renamed paper about okapis")])
    assert library.list(query="okapis") and not library.list(query="frozen")


def test_search_filters(library: Library) -> None:
    library.merge_records([record("2406.00001", source="hf-daily", published=date(2026, 11, 2)),
                           record("2406.00002", published=date(2026, 10, 1))])
    library.mark(["2406.00002"], "starred", True)
    assert [p.key for p in library.list(view="all", query="is:starred")] == ["2406.00002"]
    assert [p.key for p in library.list(view="all", query="source:hf-daily")] == ["2406.00001"]
    assert [p.key for p in library.list(view="all", query="since:2026-11-01")] == ["2406.00001"]
    assert len(library.list(view="all", query='"we study"')) == 2


def test_search_by_pasted_ids_and_dois(library: Library) -> None:
    library.merge_records([record("2406.00001", doi="10.1000/abc"), record("2406.00002"),
                           record("2406.00003", title="Okapis in the wild")])
    library.mark(["2406.00002"], "archived", True)

    def found(query: str, view: str = "all") -> list[str]:
        return sorted(p.key for p in library.list(view=view, query=query))

    assert found("https://arxiv.org/abs/2406.00002v4") == ["2406.00002"]
    assert found("https://arxiv.org/abs/2406.00002v4", view="inbox") == []
    assert found("2406.00001 arXiv:2406.00003") == ["2406.00001", "2406.00003"]
    assert found("https://doi.org/10.1000/ABC") == ["2406.00001"]
    assert found("2406.00001 2406.00003 okapis") == ["2406.00003"]  # words narrow further
    assert found("2501.99999") == []


def test_search_with_only_excluded_words(library: Library) -> None:
    library.merge_records([record("2406.00001", title="A survey of okapis"),
                           record("2406.00002", title="Giraffes"),
                           record("2406.00003", title="Zebras")])
    assert sorted(p.key for p in library.list(view="all", query="-okapis")) == \
        ["2406.00002", "2406.00003"]
    assert [p.key for p in library.list(view="all", query="-okapis -zebras")] == ["2406.00002"]


def test_negated_filters_leave_papers_out(library: Library) -> None:
    library.merge_records([
        record("2406.00001", title="Okapi survey", authors=("Mei Chen",),
               categories=("cs.CV",), source="hf-daily"),
        record("2406.00002", title="Okapi study", authors=("Jonas Berg",),
               categories=("cs.CL", "cs.LG")),
        record("2406.00003", title="Okapi notes", authors=("Ana Chen-Li",),
               categories=("cs.CL",))])
    library.tag(["2406.00002"], add=["Long Context"])

    def found(query: str) -> list[str]:
        return sorted(p.key for p in library.list(view="all", query=query))

    assert found('okapi -tag:"long context"') == ["2406.00001", "2406.00003"]
    assert found("-author:chen") == ["2406.00002"]  # an author's name matches as a prefix
    assert found("-cat:cs.CL") == ["2406.00001"]
    assert found("-source:hf-daily") == ["2406.00002", "2406.00003"]
    assert found('okapi -cat:cs.CV -tag:"long context" -author:berg') == ["2406.00003"]
    assert found("-tag:nosuchtag") == ["2406.00001", "2406.00002", "2406.00003"]


def test_resolve_by_any_spelling_and_doi(library: Library) -> None:
    library.merge_records([record(doi="10.1000/xyz")])
    assert library.resolve("https://arxiv.org/abs/2406.05821v9") == "2406.05821"
    assert library.resolve("https://doi.org/10.1000/XYZ") == "2406.05821"
    with pytest.raises(UnknownPaperError, match="no paper"):
        library.resolve("2501.00001")


def test_listeners_hear_changes(library: Library) -> None:
    heard: list[Changes] = []
    library.subscribe(heard.append)
    library.merge_records([record()])
    library.mark(["2406.05821"], "read", True)
    assert heard and all(c.papers for c in heard)
    assert "2406.05821" in heard[-1].paper_keys


def test_remote_ops_apply_once(library: Library, tmp_path) -> None:
    other = Library(tmp_path / "other.sqlite3")
    other.merge_records([record()])
    other.tag(["2406.05821"], add=["shared"])
    other.mark(["2406.05821"], "starred", True)
    ops = _log(other)
    library.apply_remote(ops)
    library.apply_remote(ops + ops)
    paper = library.get("2406.05821")
    assert paper.tags == ("shared",) and paper.starred
    assert len(_ops(library)) == len(ops)
    other.close()


def test_concurrent_note_edits_merge_or_conflict(library: Library, tmp_path) -> None:
    library.merge_records([record()])
    library.set_note("2406.05821", "line one\nline two\nline three\n")
    other = Library(tmp_path / "other.sqlite3")

    def sync(src: Library, dst: Library) -> None:
        dst.apply_remote(_log(src))

    sync(library, other)
    library.set_note("2406.05821", "LINE ONE\nline two\nline three\n")
    other.set_note("2406.05821", "line one\nline two\nLINE THREE\n")
    sync(library, other)
    sync(other, library)
    for lib in (library, other):
        paper = lib.get("2406.05821")
        assert paper.note == "LINE ONE\nline two\nLINE THREE\n" and not paper.note_conflict
    library.set_note("2406.05821", "mine\n")
    other.set_note("2406.05821", "theirs\n")
    sync(library, other)
    sync(other, library)
    for lib in (library, other):
        paper = lib.get("2406.05821")
        assert paper.note_conflict
        assert sorted(lib.note_versions("2406.05821")) == ["mine\n", "theirs\n"]
    library.set_note("2406.05821", "mine and theirs\n")
    assert not library.get("2406.05821").note_conflict
    other.close()


def test_annotations_positions_and_settings(library: Library) -> None:
    library.merge_records([record()])
    ann = library.add_annotation("2406.05821", "highlight", 2, [(0, 0, 10, 0, 0, 10, 10, 10)],
                                 text="quoted", color="#ff0000")
    library.update_annotation(ann, comment="why")
    [stored] = library.annotations("2406.05821")
    assert (stored.page, stored.text, stored.comment, stored.color) == (2, "quoted", "why",
                                                                       "#ff0000")
    library.delete_annotation(ann)
    assert library.annotations("2406.05821") == []
    library.restore_annotation(ann)
    assert len(library.annotations("2406.05821")) == 1
    library.set_position("2406.05821", 7, 0.25)
    position = library.position("2406.05821")
    assert position is not None and (position.page, position.offset) == (7, 0.25)
    library.save_search("unread llm", "tag:llm is:unread")
    assert [(s.name, s.query) for s in library.saved_searches()] == [("unread llm",
                                                                      "tag:llm is:unread")]
    library.delete_search("unread llm")
    assert library.saved_searches() == []


def test_bulk_import_keeps_the_fts_index_exact(library: Library, tmp_path) -> None:
    lines = [json.dumps({"arxiv_id": f"2406.{i:05d}", "title": f"Paper number {i}",
                         "authors": ["Ada Lovelace"], "published": "2026-01-01",
                         "tags": ["bulk-tag"] if i % 3 == 0 else [],
                         "note": "okapi sighting" if i % 5 == 0 else ""}) for i in range(200)]
    path = tmp_path / "many.jsonl"
    path.write_text("\n".join(lines), encoding="utf-8")
    library.merge_records([record("2406.99999", title="Existing paper about llamas")])
    assert library.import_jsonl(path).new == 200
    assert len(library.list(view="all", query="okapi")) == 40
    assert len(library.list(view="all", query="bulk tag")) == 67
    assert len(library.list(view="all", query="llamas")) == 1
    library.set_note("2406.00001", "zebra")
    assert [p.key for p in library.list(view="all", query="zebra")] == ["2406.00001"]
    with sqlite3.connect(library.path) as conn:
        conn.execute("INSERT INTO papers_fts(papers_fts) VALUES ('integrity-check')")
        assert conn.execute("SELECT count(*) FROM fts_pause").fetchone() == (0,)


def test_search_results_do_not_depend_on_the_query_plan(library: Library, monkeypatch) -> None:
    from readinglist.storage import queries

    library.merge_records([record(f"2406.{i:05d}", title=f"Okapi study {i}",
                                  published=date(2026, 1, 1 + i % 28)) for i in range(60)])
    library.mark(["2406.00003"], "archived", True)
    expected = [p.key for p in library.list(query="okapi", limit=25)]
    monkeypatch.setattr(queries, "FEW_MATCHES", 1)  # force the date-index plan
    assert [p.key for p in library.list(query="okapi", limit=25)] == expected
    assert len(expected) == 25 and "2406.00003" not in expected


def test_import_triage_beats_flags_that_arrived_before_the_paper(library: Library,
                                                                   tmp_path) -> None:
    """Flags synced for a paper not here yet are older than an import's own triage."""
    other = Library(tmp_path / "other.sqlite3")
    other.merge_records([record()])
    other.mark(["2406.05821"], "read", True)
    other.mark(["2406.05821"], "read", False)  # latest clock says unread
    other.mark(["2406.05821"], "starred", True)
    flags_only = [op for op in _log(other) if op.kind == "set"]
    library.apply_remote(flags_only)  # the paper itself has not arrived
    lines = tmp_path / "papers.jsonl"
    lines.write_text(json.dumps({"arxiv_id": "2406.05821", "title": "T", "read": True,
                                 "archived": True}) + "\n" + json.dumps(
        {"arxiv_id": "2401.00001", "title": "Fresh", "read": True}) + "\n", encoding="utf-8")
    library.import_jsonl(lines)
    paper = library.get("2406.05821")
    assert (paper.read, paper.starred, paper.archived) == (True, True, True)
    fresh = library.get("2401.00001")
    assert (fresh.read, fresh.starred, fresh.archived) == (True, False, False)
    assert [p.key for p in library.list(view="inbox", query="Fresh")] == ["2401.00001"]
    other.close()
