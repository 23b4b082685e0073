"""Audit of adding papers from PDF files: identification traps (citations, arXiv DOIs, old-style
and browser-renamed file names), folders, duplicates, newer versions, arXiv failing or not
knowing a paper, non-UTF-8 file names and ``readinglist add`` output. Real PDFs, a real
library on disk and a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from readinglist.cli.main import run
from readinglist.pdf.identify import arxiv_in_name, identify_pdf
from readinglist.services.library import Library
from readinglist.services.pdf_add import AddedPdf, pdf_files, summary
from tests.gui.helpers import record
from tests.helpers.httpserver import Request, Response, TestServer
from tests.pdf.test_pdf_add import ATOM, arxiv, make_arxiv_pdf  # noqa: F401 - fixture
from tests.sources.wire import api_entry, api_feed


def _known_ids(server: TestServer, version: int = 3) -> None:
    """arXiv answers each id of ``id_list`` except those starting with 2412.9."""
    def answer(request: Request) -> Response:
        ids = request.query["id_list"][0].split(",")
        entries = [api_entry(i, version, f"Fetched {i}") for i in ids if not i.startswith("2412.9")]
        return Response(200, api_feed(entries, query=""), ATOM)

    server.route("/api/query", answer)


def _json_add(capsys: pytest.CaptureFixture[str], *items: object) -> tuple[int, dict]:
    code = run(["add", "--json", *map(str, items)])
    return code, json.loads(capsys.readouterr().out)


# -- identifying -------------------------------------------------------------------------------

def test_a_single_id_cited_in_the_text_is_not_taken_for_the_paper(tmp_path: Path) -> None:
    cites = identify_pdf(make_arxiv_pdf(tmp_path / "notes.pdf", stamp=None,
                                        body="We build on LLaVA (arXiv:2304.08485)."))
    assert not cites.known
    journal = identify_pdf(make_arxiv_pdf(
        tmp_path / "kdd.pdf", stamp=None,
        body="https://doi.org/10.1145/3580305.3599999\nWe extend arXiv:2304.08485 to graphs."))
    assert (journal.arxiv_id, journal.doi) == (None, "10.1145/3580305.3599999")


def test_a_single_id_in_a_page_header_names_the_paper(tmp_path: Path) -> None:
    pdf = make_arxiv_pdf(tmp_path / "preprint.pdf", stamp=None, body="No citations.")
    import pymupdf

    doc = pymupdf.open(pdf)
    doc[0].insert_text((72, 40), "Preprint, arXiv:2406.05821v1", fontsize=9)
    doc.saveIncr()
    doc.close()
    found = identify_pdf(pdf)
    assert (found.arxiv_id, found.version, found.found_by) == ("2406.05821", 1, "page 1")


def test_an_arxiv_doi_on_page_one_names_the_arxiv_paper(tmp_path: Path) -> None:
    found = identify_pdf(make_arxiv_pdf(tmp_path / "p.pdf", stamp=None,
                                        body="https://doi.org/10.48550/arXiv.2312.00001"))
    assert (found.arxiv_id, found.doi, found.found_by) == ("2312.00001", None, "DOI on page 1")


@pytest.mark.parametrize(("body", "doi"), [
    ("(DOI: 10.1016/S0140-6736(20)30183-5).", "10.1016/s0140-6736(20)30183-5"),
    ("[doi:10.1002/(SICI)1097-4636(199912)]", "10.1002/(sici)1097-4636(199912)"),
    ('see "https://doi.org/10.1145/3580305.3599999".', "10.1145/3580305.3599999"),
    ("Endoi 10.1234/not-a-doi-mention; DOI 10.1145/1.2,", "10.1145/1.2"),
])
def test_a_doi_loses_the_punctuation_around_it_but_keeps_its_brackets(
        tmp_path: Path, body: str, doi: str) -> None:
    assert identify_pdf(make_arxiv_pdf(tmp_path / "j.pdf", stamp=None, body=body)).doi == doi


@pytest.mark.parametrize(("name", "arxiv_id", "version"), [
    ("hep-th9901001v1", "hep-th/9901001", 1),
    ("math0611800", "math/0611800", None),
    ("2406.05821v2 (1)", "2406.05821", 2),
    ("arXiv-2406.05821", "2406.05821", None),
    ("arXiv_2406.05821v3", "2406.05821", 3),
    ("2406.05821v2_F-LMM grounding", "2406.05821", 2),
    ("2406.05821 copy", "2406.05821", None),
])
def test_arxiv_ids_in_download_names(name: str, arxiv_id: str, version: int | None) -> None:
    found = arxiv_in_name(name)
    assert found is not None and (found.arxiv_id, found.version) == (arxiv_id, version)


@pytest.mark.parametrize("name", ["paper1234567", "report2406.05821", "Wu et al. - 2024 - F-LMM",
                                  "24060.5821", "thesis", "2023.12345", "1234.5678",
                                  "1412.00001", "hep-th0801001", "invoice 2413.00001"])
def test_other_names_are_not_ids(name: str) -> None:
    assert arxiv_in_name(name) is None


def test_stamp_dates_of_every_month_and_authors_written_last_name_first(tmp_path: Path) -> None:
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    for number, month in enumerate(months, start=1):
        pdf = make_arxiv_pdf(tmp_path / f"{month}.pdf",
                             stamp=f"arXiv:2406.05821v2  [cs.CL]  2{number % 9} {month} 2024")
        assert identify_pdf(pdf).stamped_on == date(2024, number, 20 + number % 9)
    pdf = make_arxiv_pdf(tmp_path / "a.pdf", metadata={"author": "Wu, Size; Jin, Sheng"})
    assert identify_pdf(pdf).authors == ("Wu, Size", "Jin, Sheng")


# -- add_pdfs and readinglist add ----------------------------------------------------------------

def test_a_folder_adds_the_pdfs_inside_and_the_same_file_twice_is_added_once(
        tmp_path: Path, arxiv: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    _known_ids(arxiv)
    folder = tmp_path / "Papers"
    (folder / "sub").mkdir(parents=True)
    (folder / ".hidden").mkdir()
    make_arxiv_pdf(folder / "2401.00001.pdf", stamp=None)
    make_arxiv_pdf(folder / "sub" / "2401.00002v1.PDF", stamp=None)
    make_arxiv_pdf(folder / ".hidden" / "2401.00003.pdf", stamp=None)
    (folder / "notes.txt").write_text("not a pdf")
    twice = folder / "2401.00001.pdf"
    assert pdf_files([folder, twice, folder / "sub"]) == [twice, folder / "sub/2401.00002v1.PDF"]

    code, out = _json_add(capsys, folder, twice)
    assert code == 0
    assert [(p["key"], p["how"]) for p in out["pdfs"]] == [
        ("2401.00001", "fetched from arXiv"), ("2401.00002", "fetched from arXiv")]
    assert arxiv.requests[0].query["id_list"] == ["2401.00001,2401.00002"]


def test_an_empty_folder_is_reported_and_fails(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "empty").mkdir()
    assert run(["add", str(tmp_path / "empty")]) == 1
    assert capsys.readouterr().out == "empty: not added: a folder with no PDF files in it\n"


def test_an_arxiv_pdf_link_is_an_id_not_a_missing_file(
        arxiv: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    _known_ids(arxiv)
    code, out = _json_add(capsys, "https://arxiv.org/pdf/2406.05821v2.pdf")
    assert code == 0 and out["pdfs"] == []
    assert [(i["id"], i["added"], i["error"]) for i in out["ids"]] == [("2406.05821", True, None)]


def test_a_newer_version_of_a_paper_here_is_fetched_again_and_attached(
        tmp_path: Path, arxiv: TestServer, library: Library,
        capsys: pytest.CaptureFixture[str]) -> None:
    library.merge_records([record(7)])  # version 1
    library.close()
    _known_ids(arxiv, version=2)
    pdf = make_arxiv_pdf(tmp_path / "p.pdf", stamp="arXiv:2611.00007v2  [cs.LG]  3 Dec 2026")
    code, out = _json_add(capsys, pdf)
    assert code == 0 and out["pdfs"][0]["how"] == "attached"
    assert arxiv.requests[0].query["id_list"] == ["2611.00007"]
    assert run(["show", "2611.00007", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert (shown["version"], shown["title"]) == (2, "Fetched 2611.00007")


def test_the_same_version_again_asks_arxiv_nothing(
        tmp_path: Path, arxiv: TestServer, library: Library,
        capsys: pytest.CaptureFixture[str]) -> None:
    library.merge_records([record(7)])
    library.close()
    _known_ids(arxiv)
    pdf = make_arxiv_pdf(tmp_path / "p.pdf", stamp="arXiv:2611.00007v1  [cs.LG]  3 Dec 2026")
    assert _json_add(capsys, pdf, pdf)[1]["pdfs"][0]["how"] == "attached"
    assert arxiv.requests == []


def test_an_id_arxiv_does_not_know_is_added_from_the_pdf_with_a_note(
        tmp_path: Path, arxiv: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    _known_ids(arxiv)
    code, out = _json_add(capsys, make_arxiv_pdf(tmp_path / "2412.99999.pdf", stamp=None))
    assert code == 0
    assert out["pdfs"] == [{"file": str(tmp_path / "2412.99999.pdf"), "key": "2412.99999",
                            "how": "added from the PDF", "note": "arXiv has no paper 2412.99999",
                            "error": None}]


@pytest.mark.parametrize("response", [
    Response(503, b"busy", {"Content-Type": "text/plain", "Retry-After": "0"}),
    Response(200, b"", ATOM, delay=3.0),  # longer than READINGLIST_HTTP_TIMEOUT=2
])
def test_arxiv_failing_still_adds_the_paper_from_the_pdf(
        tmp_path: Path, arxiv: TestServer, capsys: pytest.CaptureFixture[str],
        response: Response) -> None:
    arxiv.route("/api/query", response)
    assert run(["add", str(make_arxiv_pdf(tmp_path / "p.pdf"))]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("p.pdf: 2406.05821 “Grounding Frozen Multimodal Models” — added "
                              "from the PDF (arXiv: ")
    assert out.err == ""


def test_a_file_name_that_is_not_utf8_is_added_and_shown(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    name = os.fsdecode(b"caf\xe9 2406.05821.pdf")
    source = make_arxiv_pdf(tmp_path / "source.pdf")
    shutil.copy(source, tmp_path / name)
    code, out = _json_add(capsys, tmp_path / name)
    assert code == 0
    [item] = out["pdfs"]
    assert item["file"] == str(tmp_path / "caf\ufffd 2406.05821.pdf")
    assert (item["key"], item["how"], item["error"]) == ("2406.05821", "added from the PDF", None)
    line = AddedPdf(tmp_path / name, error=f"the PDF file {name} is damaged").line()
    assert line == "caf\ufffd 2406.05821.pdf: not added: the PDF file caf\ufffd 2406.05821.pdf " \
                   "is damaged"


def test_an_unreadable_folder_entry_and_a_directory_named_pdf(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "odd.pdf").mkdir()  # a folder whose name ends in .pdf, holding nothing
    assert run(["add", str(tmp_path / "odd.pdf")]) == 1
    assert capsys.readouterr().out == "odd.pdf: not added: a folder with no PDF files in it\n"


def test_summary_lines() -> None:
    ok = AddedPdf(Path("a.pdf"), "2406.05821", "T", "attached")
    bad = AddedPdf(Path("b.pdf"), error="damaged")
    assert summary([ok, bad]) == "Added 1 PDF: 1 attached; 1 not added"
    assert summary([bad, bad]) == "No PDF added (2 failed)"
    assert summary([]) == "No PDF files found"


def test_an_unusable_pdf_folder_fails_the_file_not_the_command(
        tmp_path: Path, isolated_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (isolated_home / "cache").mkdir()
    (isolated_home / "cache" / "pdf").write_text("a file where the PDF folder belongs")
    code, out = _json_add(capsys, make_arxiv_pdf(tmp_path / "p.pdf"))
    assert code == 1
    [item] = out["pdfs"]
    assert item["key"] == "2406.05821"
    assert item["error"].startswith("2406.05821 is in the library, but the PDF was not "
                                    "attached: cannot create the PDF folder ")
    assert AddedPdf(Path("p.pdf"), "2406.05821", error="x").line() == "p.pdf: x"


def test_a_doi_broken_over_two_lines_is_read_whole(tmp_path: Path) -> None:
    pdf = make_arxiv_pdf(tmp_path / "acm.pdf", stamp=None,
                         body="https://doi.org/10.1145/\n3580305.3599999")
    assert identify_pdf(pdf).doi == "10.1145/3580305.3599999"
