"""Audit of ``readinglist searches``: names as people type them, queries that cannot run,
``--json`` everywhere, exit codes (real library on disk)."""

from __future__ import annotations

import json

import pytest

from readinglist.cli.main import run
from readinglist.services.library import Library
from tests.sync.helpers import record


def _listed(capsys: pytest.CaptureFixture[str]) -> list[dict]:
    capsys.readouterr()
    assert run(["searches", "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_name_saved_with_spaces_can_be_deleted_as_typed(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["searches", "save", "  Long   context ", "context"]) == 0
    assert capsys.readouterr().out == "saved search 'Long context': context\n"
    assert run(["searches", "delete", "  Long   context "]) == 0  # was: no saved search named
    assert capsys.readouterr().out == "deleted saved search 'Long context'\n"
    assert _listed(capsys) == []


def test_a_name_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["searches", "save", "two\nlines\t", "okapi"]) == 0
    assert [s["name"] for s in _listed(capsys)] == ["two lines"]


def test_names_differing_in_case_are_one_search(capsys: pytest.CaptureFixture[str],
                                                library: Library) -> None:
    library.merge_records([record(1, "Okapi stripes"), record(2, "Okapi herds")])
    library.close()
    assert run(["searches", "save", "Okapis", "okapi"]) == 0
    assert run(["searches", "save", "OKAPIS", "okapi herds"]) == 0
    assert "saved search 'OKAPIS': okapi herds (replaces 'Okapis')" in capsys.readouterr().out
    assert _listed(capsys) == [{"name": "OKAPIS", "query": "okapi herds", "count": 1}]
    assert run(["searches", "delete", "okapis"]) == 0
    assert "deleted saved search 'OKAPIS'" in capsys.readouterr().out
    assert _listed(capsys) == []


def test_unicode_names(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    library.merge_records([record(1, "Über Okapis")])
    library.close()
    assert run(["searches", "save", "Über 名前", "okapis"]) == 0
    assert _listed(capsys) == [{"name": "Über 名前", "query": "okapis", "count": 1}]
    assert run(["searches", "delete", "über 名前"]) == 0
    assert _listed(capsys) == []


def test_an_empty_query_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["searches", "save", "Everything", "   "]) == 1
    assert "a saved search needs a query" in capsys.readouterr().err
    assert run(["searches", "save", "   ", "okapi"]) == 1
    assert "a saved search needs a name" in capsys.readouterr().err
    assert _listed(capsys) == []


def test_a_query_starting_with_a_dash_goes_after_two_dashes(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["searches", "save", "Unread", "--", "-is:read"]) == 0
    assert _listed(capsys)[0]["query"] == "-is:read"
    assert run(["searches", "save", "only a name"]) == 1
    assert "put -- before one that starts with -" in capsys.readouterr().err


def test_one_search_that_cannot_run_does_not_hide_the_others(
        capsys: pytest.CaptureFixture[str], library: Library) -> None:
    library.merge_records([record(1, "Okapi stripes")])
    library.save_search("Okapis", "okapi")
    library.set_synced_setting("search:Recent", "since:yesterday")  # from another machine
    library.close()
    assert run(["searches"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "     1  Okapis: okapi"
    assert lines[1].startswith("     ?  Recent: since:yesterday  (cannot run: since: needs a date")
    listed = _listed(capsys)
    assert listed[0] == {"name": "Okapis", "query": "okapi", "count": 1}
    assert listed[1]["count"] is None and "since: needs a date" in listed[1]["error"]
    assert run(["searches", "delete", "recent"]) == 0  # and it can be deleted
    assert [s["name"] for s in _listed(capsys)] == ["Okapis"]


def test_save_and_delete_answer_in_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["searches", "save", "Okapis", "okapi", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"saved": "Okapis", "query": "okapi",
                                                   "replaced": None}
    assert run(["searches", "save", "okapis", "okapi herds", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["replaced"] == "Okapis"
    assert run(["searches", "delete", "OKAPIS", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {"deleted": "okapis"}
    assert run(["searches", "delete", "OKAPIS", "--json"]) == 1
    assert "no saved search named 'OKAPIS'" in capsys.readouterr().err
