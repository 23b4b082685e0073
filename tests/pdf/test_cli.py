"""The pdf, annotations and export commands through the real command-line entry point."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli.main import run
from readinglist.pdf.annotations import read_annotations_from
from tests.helpers.httpserver import Response
from tests.pdf.conftest import ARXIV_KEY, OLD_KEY
from tests.pdf.pdfgen import make_paper


@pytest.fixture
def cli_papers(papers):  # type: ignore[no-untyped-def]
    papers.close()  # the CLI opens the library itself
    return papers


def test_pdf_downloads_and_prints_the_path(cli_papers, http_server, monkeypatch, tmp_path,
                                           capsys) -> None:
    data = make_paper(tmp_path / "s.pdf", pages=3, annotations=True).read_bytes()
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", f"{http_server.url}/pdf")
    http_server.route(f"/pdf/{ARXIV_KEY}v2", Response(200, data, {"Content-Type":
                                                                  "application/pdf"}))
    assert run(["pdf", f"arXiv:{ARXIV_KEY}"]) == 0
    printed = capsys.readouterr().out.strip()
    assert Path(printed).read_bytes() == data
    assert run(["pdf", ARXIV_KEY]) == 0  # cached: no second request
    assert capsys.readouterr().out.strip() == printed
    assert len(http_server.requests) == 1
    # the annotations inside were imported on first use
    assert run(["annotations", ARXIV_KEY, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {(a["kind"], a["page"], a["text"], a["comment"], a["color"]) for a in listed} == {
        ("highlight", 0, "Introduction", "key section", "#66cc33"),
        ("note", 1, "", "check this claim", "#ffff00"),
        ("underline", 1, "needle", "", "#e51a1a")}
    assert all(a["page_number"] == a["page"] + 1 for a in listed)  # as the listing prints it


def test_pdf_failure_is_one_line_without_traceback(cli_papers, http_server, monkeypatch,
                                                   capsys) -> None:
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", f"{http_server.url}/pdf")
    http_server.route(f"/pdf/{ARXIV_KEY}v2", Response(200, b"<html>check</html>",
                                                      {"Content-Type": "text/html"}))
    assert run(["pdf", ARXIV_KEY]) == 1
    err = capsys.readouterr().err
    assert err.startswith("readinglist: error:") and "instead of a PDF" in err
    assert "Traceback" not in err and err.count("\n") == 1


def test_attach_annotations_and_exports(cli_papers, tmp_path, capsys) -> None:
    source = make_paper(tmp_path / "local.pdf", pages=3, annotations=True)
    assert run(["pdf", OLD_KEY, "--attach", str(source)]) == 0
    capsys.readouterr()
    assert run(["annotations", OLD_KEY]) == 0
    plain = capsys.readouterr().out
    assert "p.1    highlight #66cc33  Introduction  — key section" in plain
    assert run(["export", OLD_KEY, "--format", "markdown"]) == 0
    markdown = capsys.readouterr().out
    assert markdown.startswith("# Old Style Strings") and "> Introduction" in markdown
    assert "**Note:** check this claim" in markdown
    out = tmp_path / "exported.pdf"
    assert run(["export", OLD_KEY, "--format", "pdf", "--output", str(out)]) == 0
    assert {a.kind for a in read_annotations_from(out)} == {"highlight", "note", "underline"}
    md = tmp_path / "notes.md"
    assert run(["export", OLD_KEY, "--output", str(md)]) == 0
    assert md.read_text(encoding="utf-8") == markdown


def test_unknown_paper_and_missing_output(cli_papers, capsys) -> None:
    assert run(["annotations", "2501.00001"]) == 1
    assert "no paper" in capsys.readouterr().err
    assert run(["export", ARXIV_KEY, "--format", "pdf"]) == 1
    assert "--output" in capsys.readouterr().err


def test_annotations_empty(cli_papers, capsys) -> None:
    assert run(["annotations", ARXIV_KEY]) == 0
    assert capsys.readouterr().out.strip() == f"no annotations on {ARXIV_KEY}"
    assert run(["annotations", ARXIV_KEY, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
