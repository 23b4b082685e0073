"""The Trash: ``mark --delete`` / ``--restore``, ``list --view trash``, and what a trashed
paper still answers to."""

from __future__ import annotations

import json

import pytest

from readinglist.cli.main import run
from readinglist.core.errors import UnknownPaperError
from readinglist.services.library import Library
from tests.sync.helpers import record


def listed(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    assert run(["list", "--json", *args]) == 0
    return [p["arxiv_id"] for p in json.loads(capsys.readouterr().out)]


def test_delete_hides_a_paper_everywhere_and_restore_brings_it_back(
        capsys: pytest.CaptureFixture[str], library: Library) -> None:
    library.merge_records([record(1), record(2)])
    library.tag(["2401.00001"], add=["keep"])
    library.close()

    assert run(["mark", "2401.00001", "--delete"]) == 0
    assert listed(capsys, "--view", "all") == ["2401.00002"]
    assert listed(capsys, "--tag", "keep") == []
    assert listed(capsys, "--view", "trash") == ["2401.00001"]
    assert run(["tags"]) == 0 and capsys.readouterr().out == ""

    assert run(["show", "2401.00001", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["deleted"] is True and shown["tags"] == ["keep"]
    assert run(["tag", "2401.00001", "--add", "x"]) == 1
    assert "is in the Trash (`readinglist mark 2401.00001 --restore`" in capsys.readouterr().err

    assert run(["mark", "arXiv:2401.00001v1", "--restore"]) == 0
    assert listed(capsys, "--tag", "keep") == ["2401.00001"]
    assert listed(capsys, "--view", "trash") == []


def test_a_trashed_paper_stays_trashed_when_it_is_fetched_again(library: Library) -> None:
    library.merge_records([record(1)])
    library.mark(["2401.00001"], "deleted", True)
    library.merge_records([record(1, title="Revised", version=2)])
    paper = library.get("2401.00001", in_trash=True)
    assert paper.deleted and paper.title == "Revised" and paper.version == 2
    with pytest.raises(UnknownPaperError, match="in the Trash"):
        library.get("2401.00001")
    assert library.count(library.make_filter("all")) == 0


def test_restore_of_an_unknown_paper_is_an_error(capsys: pytest.CaptureFixture[str],
                                                 library: Library) -> None:
    library.close()
    assert run(["mark", "2401.09999", "--restore"]) == 1
    assert "no paper '2401.09999'" in capsys.readouterr().err
