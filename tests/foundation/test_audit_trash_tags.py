"""Audit of the Trash and tag administration: renames and deletes reach the papers in the
Trash, names the search language cannot hold are refused, ``add`` brings a trashed paper back,
and papers in the Trash keep what is written to them by key (tags, notes)."""

from __future__ import annotations

import json

import pytest

from readinglist.cli.main import run
from readinglist.core.errors import InputError, TrashedPaperError
from readinglist.core.query import parse_query, rename_tag_in_query
from readinglist.services import tag_admin
from readinglist.services.library import Library
from tests.helpers.httpserver import Request, Response
from tests.sources.wire import ATOM_TYPE, api_entry, api_feed
from tests.sync.helpers import record


def tags_of(library: Library, key: str) -> list[str]:
    return sorted(library.get(key, in_trash=True).tags)


def test_a_rename_reaches_papers_in_the_trash_so_restoring_one_keeps_the_new_name(
        capsys: pytest.CaptureFixture[str], library: Library) -> None:
    library.merge_records([record(1), record(2)])
    library.tag(["2401.00001", "2401.00002"], add=["llm"])
    library.mark(["2401.00001"], "deleted", True)
    library.close()

    assert run(["tags", "rename", "llm", "large models"]) == 0
    assert capsys.readouterr().out == ("tag 'llm' renamed to 'large models' on 2 papers "
                                       "(1 of them in the Trash)\n")
    assert run(["mark", "2401.00001", "--restore"]) == 0
    assert run(["tags", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"tag": "large models", "count": 2}]


def test_a_rename_reports_the_papers_in_the_trash_and_merges_them_too(
        library: Library) -> None:
    library.merge_records([record(1), record(2)])
    library.tag(["2401.00001"], add=["ml", "machine learning"])
    library.tag(["2401.00002"], add=["ml"])
    library.mark(["2401.00001"], "deleted", True)

    done = tag_admin.rename_tag(library, "ml", "machine learning")

    assert (sorted(done.keys), done.in_trash, done.merged) == (
        ["2401.00001", "2401.00002"], 1, False)  # only a trashed paper had the other name
    assert tags_of(library, "2401.00001") == ["machine learning"]
    assert tags_of(library, "2401.00002") == ["machine learning"]


def test_deleting_a_tag_takes_it_off_papers_in_the_trash_too(
        capsys: pytest.CaptureFixture[str], library: Library) -> None:
    library.merge_records([record(1), record(2), record(3)])
    library.tag(["2401.00001", "2401.00002", "2401.00003"], add=["later"])
    library.mark(["2401.00003"], "deleted", True)
    library.close()

    assert run(["tags", "delete", "later", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["papers"], result["in_trash"]) == (3, 1)
    assert run(["mark", "2401.00003", "--restore"]) == 0
    assert run(["tags"]) == 0
    assert capsys.readouterr().out == ""


def test_a_new_tag_name_with_a_quote_or_comma_is_refused_and_searches_stay_whole(
        capsys: pytest.CaptureFixture[str], library: Library) -> None:
    library.merge_records([record(1)])
    library.tag(["2401.00001"], add=["llm"])
    library.save_search("LLM", "tag:llm")
    with pytest.raises(InputError, match="cannot contain"):
        tag_admin.rename_tag(library, "llm", 'say "hi" there')
    library.close()

    assert run(["tags", "rename", "llm", '"quoted"']) == 1
    assert 'a tag name cannot contain "' in capsys.readouterr().err
    assert run(["tags", "rename", "llm", "a, b"]) == 1  # the app would read two tags
    assert "cannot contain a comma" in capsys.readouterr().err
    assert run(["searches", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"name": "LLM", "query": "tag:llm",
                                                    "count": 1}]


def test_a_rename_to_the_same_name_in_capitals_says_nothing_changed(
        capsys: pytest.CaptureFixture[str], library: Library) -> None:
    library.merge_records([record(1)])
    library.tag(["2401.00001"], add=["llm"])
    library.close()

    assert run(["tags", "rename", "llm", " LLM "]) == 0
    assert capsys.readouterr().out == ("tag 'llm' already has that name "
                                       "(tags are kept in lower case)\n")
    assert run(["tags", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == [{"tag": "llm", "count": 1}]


def test_a_search_naming_the_tag_in_another_unicode_form_follows_a_rename(
        library: Library) -> None:
    decomposed = "tag:Cafe\u0301 is:unread"  # e + combining accent: the search finds café
    assert rename_tag_in_query(decomposed, "caf\u00e9", "coffee") == "tag:coffee is:unread"
    library.merge_records([record(1)])
    library.tag(["2401.00001"], add=["caf\u00e9"])
    library.save_search("Coffee", decomposed)

    done = tag_admin.rename_tag(library, "CAFE\u0301", "coffee")

    assert done.references.searches == ("Coffee",)
    query = library.saved_searches()[0].query
    assert query == "tag:coffee is:unread" and parse_query(query).tags == ("coffee",)


def test_papers_in_the_trash_keep_tags_and_notes_written_by_key(
        capsys: pytest.CaptureFixture[str], library: Library) -> None:
    """The app and an undo write by key (a paper trashed meanwhile, on another machine); what a
    user names on the command line still has to be restored first."""
    library.merge_records([record(1)])
    library.mark(["2401.00001"], "deleted", True)
    library.tag(["2401.00001"], add=["kept"])
    library.set_note("2401.00001", "typed while it was trashed")
    paper = library.get("2401.00001", in_trash=True)
    assert (paper.tags, paper.note) == (("kept",), "typed while it was trashed")
    with pytest.raises(TrashedPaperError) as raised:
        library.resolve("arXiv:2401.00001v1")
    assert (raised.value.name, raised.value.key) == ("arXiv:2401.00001v1", "2401.00001")
    library.close()

    assert run(["note", "2401.00001", "--set", "x"]) == 1
    assert "(`readinglist mark 2401.00001 --restore` brings it back)" in capsys.readouterr().err


def test_restore_named_brings_back_only_papers_in_the_trash(library: Library) -> None:
    library.merge_records([record(1), record(2)])
    library.mark(["2401.00001"], "deleted", True)
    restored = library.restore_named(["https://arxiv.org/abs/2401.00001v1", "2401.00002",
                                      "2401.09999", "not an id"])
    assert restored == ["2401.00001"]
    assert library.list(view="trash") == []


def test_add_brings_a_trashed_paper_back_from_the_trash(
        capsys: pytest.CaptureFixture[str], library: Library, http_server,
        monkeypatch: pytest.MonkeyPatch) -> None:
    def answer(request: Request) -> Response:
        ids = request.query["id_list"][0].split(",")
        return Response(200, api_feed([api_entry(i, 2, f"Fetched {i}") for i in ids],
                                      query=""), ATOM_TYPE)

    http_server.route("/api/query", answer)
    monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{http_server.url}/api/query")
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    library.merge_records([record(1)])
    library.mark(["2401.00001"], "deleted", True)
    library.close()

    assert run(["add", "2401.00001", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)["ids"]
    assert result == [{"id": "2401.00001", "added": True, "error": None, "restored": True}]
    assert run(["list", "--view", "all", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(p["key"], p["title"], p["deleted"]) for p in listed] == [
        ("2401.00001", "Fetched 2401.00001", False)]
    assert run(["add", "2401.00001"]) == 0
    assert capsys.readouterr().out == "2401.00001: in the library\n"


def test_an_import_naming_papers_in_the_trash_says_they_stay_there(
        capsys: pytest.CaptureFixture[str], library: Library, tmp_path) -> None:
    library.merge_records([record(1), record(2)])
    library.mark(["2401.00001"], "deleted", True)
    library.close()
    lines = tmp_path / "papers.jsonl"
    lines.write_text("".join(json.dumps({"arxiv_id": f"2401.0000{i}", "title": f"Paper {i}"})
                             + "\n" for i in (1, 2, 3)), encoding="utf-8")
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{one, title={Paper 1}, eprint={2401.00001}, "
                   "archivePrefix={arXiv}}\n", encoding="utf-8")

    assert run(["import", str(lines)]) == 0
    assert capsys.readouterr().out == (f"imported {lines}: 1 new, 2 updated, 0 unchanged; "
                                       "1 of them in the Trash, left there\n")
    assert run(["import", str(bib)]) == 0
    assert capsys.readouterr().out.endswith("; 1 of them in the Trash, left there\n")
    assert run(["list", "--view", "trash", "--json"]) == 0
    assert [p["key"] for p in json.loads(capsys.readouterr().out)] == ["2401.00001"]


def test_the_pdf_of_a_paper_in_the_trash_can_still_be_read(library: Library, isolated_home,
                                                           tmp_path) -> None:
    """The app's viewer opens what the Trash lists (the command line names it: restore first)."""
    from readinglist.services.paths import library_paths
    from readinglist.services.pdfs import PdfService
    from tests.pdf.pdfgen import make_paper

    service = PdfService(library, library_paths(isolated_home))
    library.merge_records([record(1)])
    stored = service.attach_pdf("2401.00001", make_paper(tmp_path / "paper.pdf", pages=2))
    library.mark(["2401.00001"], "deleted", True)

    assert service.paper("2401.00001").deleted
    assert service.ensure_pdf("2401.00001") == stored
