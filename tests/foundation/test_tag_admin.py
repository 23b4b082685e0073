"""Renaming, merging and deleting a tag: the service, the query rewrite and ``readinglist tags``."""

from __future__ import annotations

import json

import pytest

from readinglist.cli.main import run
from readinglist.core.errors import InputError
from readinglist.core.query import parse_query, rename_tag_in_query
from readinglist.services import tag_admin
from readinglist.services.library import Library
from readinglist.services.rules import RuleBook
from tests.sync.helpers import record


def tags_of(library: Library) -> dict[str, list[str]]:
    return {p.key: sorted(p.tags) for p in library.list(view="all") if p.tags}


@pytest.mark.parametrize(("query", "expected"), [
    ("tag:llm diffusion", 'tag:"large models" diffusion'),
    ('TAG:"LLM" is:unread', 'TAG:"large models" is:unread'),
    ("tag:llms tag:llm", 'tag:llms tag:"large models"'),
    ("author:llm llm", "author:llm llm"),
    ("-tag:llm", '-tag:"large models"'),  # a tag left out is that tag too
])
def test_tag_rename_in_queries_touches_only_that_tag(query: str, expected: str) -> None:
    assert rename_tag_in_query(query, "llm", "large models") == expected
    spec = parse_query(expected)
    assert "large models" in spec.tags or ("tag", "large models") in spec.excluded_fields \
        or expected == query


def test_rename_moves_the_tag_and_its_searches_and_rules(library: Library) -> None:
    library.merge_records([record(1), record(2), record(3)])
    library.tag(["2401.00001", "2401.00002"], add=["llm"])
    library.tag(["2401.00003"], add=["vision"])
    library.save_search("LLM unread", "tag:llm is:unread")
    library.save_search("Vision", "tag:vision")
    RuleBook(library).save("LLM news", "language model", ["star"], ["llm"])

    done = tag_admin.rename_tag(library, "LLM", "Large  Models")

    assert (done.old, done.new, done.merged) == ("llm", "large models", False)
    assert sorted(done.keys) == ["2401.00001", "2401.00002"]
    assert tags_of(library) == {"2401.00001": ["large models"], "2401.00002": ["large models"],
                                "2401.00003": ["vision"]}
    searches = {s.name: s.query for s in library.saved_searches()}
    assert searches == {"LLM unread": 'tag:"large models" is:unread', "Vision": "tag:vision"}
    assert RuleBook(library).get("LLM news").tags == ("large models",)
    assert (done.references.searches, done.references.rules) == (("LLM unread",), ("LLM news",))
    assert [t.name for t in library.tag_counts()] == ["large models", "vision"]


def test_rename_onto_an_existing_tag_merges_them(library: Library) -> None:
    library.merge_records([record(1), record(2)])
    library.tag(["2401.00001", "2401.00002"], add=["ml"])
    library.tag(["2401.00002"], add=["machine learning"])
    RuleBook(library).save("both", "x", (), ["ml", "machine learning"])

    done = tag_admin.rename_tag(library, "ml", "machine learning")

    assert done.merged
    assert tags_of(library) == {"2401.00001": ["machine learning"],
                                "2401.00002": ["machine learning"]}
    assert RuleBook(library).get("both").tags == ("machine learning",)


def test_delete_takes_the_tag_off_every_paper_and_names_what_still_uses_it(
        library: Library) -> None:
    library.merge_records([record(1), record(2)])
    library.tag(["2401.00001", "2401.00002"], add=["later", "keep"])
    RuleBook(library).save("later", "diffusion", (), ["later"])

    refs = tag_admin.references(library, "later")
    keys = tag_admin.delete_tag(library, "later")

    assert sorted(keys) == ["2401.00001", "2401.00002"]
    assert tags_of(library) == {"2401.00001": ["keep"], "2401.00002": ["keep"]}
    assert refs.adding_rules == ("later",)
    assert RuleBook(library).get("later").tags == ("later",)  # rules are the user's to change


def test_rename_and_delete_are_recorded_as_tag_ops_for_sync(library: Library) -> None:
    library.merge_records([record(1)])
    library.tag(["2401.00001"], add=["old"])
    tag_admin.rename_tag(library, "old", "new")
    with library.store.transaction() as conn:
        kinds = [(kind, field) for kind, field in conn.exec_driver_sql(
            "SELECT kind, field FROM ops WHERE entity = 'tag' ORDER BY seq")]
    assert kinds == [("add", "old"), ("add", "new"), ("remove", "old")]


def test_bad_tag_names_are_refused_and_change_nothing(library: Library) -> None:
    library.merge_records([record(1)])
    library.tag(["2401.00001"], add=["kept"])
    with pytest.raises(InputError, match="no tag 'missing'"):
        tag_admin.rename_tag(library, "missing", "x")
    with pytest.raises(InputError, match="needs a name"):
        tag_admin.rename_tag(library, "kept", "   ")
    with pytest.raises(InputError, match="at most 100"):
        tag_admin.rename_tag(library, "kept", "x" * 101)
    with pytest.raises(InputError, match="no tag"):
        tag_admin.delete_tag(library, "")
    assert tags_of(library) == {"2401.00001": ["kept"]}


def test_cli_tags_rename_merge_delete(capsys: pytest.CaptureFixture[str],
                                      library: Library) -> None:
    library.merge_records([record(1), record(2)])
    library.tag(["2401.00001"], add=["nlp"])
    library.tag(["2401.00002"], add=["language"])
    library.save_search("NLP", "tag:nlp")
    library.close()

    assert run(["tags", "rename", "nlp", "Language", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result == {"old": "nlp", "new": "language", "papers": 1, "in_trash": 0,
                      "merged": True, "saved_searches": ["NLP"], "rules": []}
    assert run(["tags", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"tag": "language", "count": 2}]

    assert run(["tags", "delete", "language"]) == 0
    out = capsys.readouterr().out
    assert "tag 'language' removed from 2 papers" in out and "saved search “NLP”" in out
    assert run(["tags"]) == 0
    assert capsys.readouterr().out == ""

    assert run(["tags", "delete", "language"]) == 1
    assert "no tag 'language'" in capsys.readouterr().err
    assert run(["tags", "rename", "only-one"]) == 1
    assert "usage: readinglist tags rename OLD NEW" in capsys.readouterr().err


def test_a_tag_typed_with_a_combining_accent_is_the_same_tag(library: Library) -> None:
    library.merge_records([record(1), record(2)])
    library.tag(["2401.00001"], add=["caf\u00e9"])  # é as one character
    library.tag(["2401.00002"], add=["Cafe\u0301"])  # e + combining acute, capitalised
    assert [(t.name, t.count) for t in library.tag_counts()] == [("caf\u00e9", 2)]
    assert len(library.list(view="all", tag="cafe\u0301")) == 2
    assert len(library.list(view="all", query="tag:CAF\u00c9")) == 2
