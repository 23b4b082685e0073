"""``readinglist searches``: the sidebar's saved searches from a terminal."""

from __future__ import annotations

import json

import pytest

from readinglist.cli.main import run
from readinglist.services.library import Library
from tests.sync.helpers import record


def test_save_list_with_counts_and_delete(capsys: pytest.CaptureFixture[str],
                                          library: Library) -> None:
    library.merge_records([record(1, "Okapi stripes"), record(2, "Okapi herds"),
                           record(3, "Zebras")])
    library.close()
    assert run(["searches"]) == 0
    assert "no saved searches" in capsys.readouterr().out
    assert run(["searches", "save", "Okapis", "okapi"]) == 0
    assert run(["searches", "save", "Zebra", "zebras"]) == 0
    capsys.readouterr()
    assert run(["searches", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [
        {"name": "Okapis", "query": "okapi", "count": 2},
        {"name": "Zebra", "query": "zebras", "count": 1}]
    assert run(["searches", "save", "Okapis", "okapi herds"]) == 0  # replaced
    assert run(["searches", "delete", "Zebra"]) == 0
    capsys.readouterr()
    assert run(["searches"]) == 0
    assert capsys.readouterr().out == "     1  Okapis: okapi herds\n"


def test_bad_searches_are_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["searches", "save", "Recent", "since:yesterday"]) == 1
    assert "since: needs a date" in capsys.readouterr().err
    assert run(["searches", "delete", "Nothing"]) == 1
    assert "no saved search named 'Nothing'" in capsys.readouterr().err
    assert run(["searches", "save", "only a name"]) == 1
    assert "usage: readinglist searches save NAME QUERY" in capsys.readouterr().err
    assert run(["searches"]) == 0
    assert "no saved searches" in capsys.readouterr().out
