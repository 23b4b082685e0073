"""Adding papers from PDF files: identifying them (arXiv's stamp, the file name, a DOI) and
``readinglist add`` against a local arXiv API, online and offline."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pymupdf
import pytest

from readinglist.cli.main import run
from readinglist.pdf.errors import PdfError
from readinglist.pdf.identify import identify_pdf
from readinglist.services.library import Library
from readinglist.services.paths import library_paths
from readinglist.services.pdfs import PdfService
from tests.helpers.httpserver import Response, TestServer
from tests.pdf.pdfgen import make_corrupt
from tests.sources.wire import api_entry, api_feed

ATOM = {"Content-Type": "application/atom+xml; charset=UTF-8"}


def make_arxiv_pdf(path: Path, stamp: str | None = "arXiv:2406.05821v2  [cs.CL]  9 Jun 2024",
                   title: str = "Grounding Frozen Multimodal Models", body: str = "",
                   metadata: dict[str, str] | None = None) -> Path:
    """A first page as arXiv prints it: the title large, the stamp rotated in the left
    margin, body text (which may cite other arXiv papers)."""
    doc = pymupdf.open()
    page = doc.new_page(width=612, height=792)
    page.insert_text((72, 100), title, fontsize=17)
    page.insert_text((72, 130), "Size Wu   Sheng Jin", fontsize=11)
    y = 170
    for line in (body or "We build on prior work [3] and study okapi grounding.").split("\n"):
        page.insert_text((72, y), line, fontsize=10)
        y += 14
    if stamp:
        page.insert_text((30, 560), stamp, fontsize=20, rotate=90)
    if metadata:
        doc.set_metadata(metadata)
    doc.save(path)
    doc.close()
    return path


@pytest.fixture
def arxiv(monkeypatch: pytest.MonkeyPatch) -> Iterator[TestServer]:
    server = TestServer().start()
    monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{server.url}/api/query")
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    monkeypatch.setenv("READINGLIST_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("READINGLIST_HTTP_BACKOFF", "0.01")
    yield server
    threading.Thread(target=server.stop, daemon=True).start()


@pytest.fixture(autouse=True)
def no_arxiv_pacing(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    from readinglist.sources.ratelimit import arxiv_pacer

    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    monkeypatch.setenv("READINGLIST_HTTP_RETRIES", "0")
    arxiv_pacer().set_delay(None)
    arxiv_pacer().reset()
    yield
    arxiv_pacer().reset()


# -- identifying -------------------------------------------------------------------------------

def test_the_arxiv_stamp_wins_over_ids_cited_on_the_page(tmp_path: Path) -> None:
    pdf = make_arxiv_pdf(tmp_path / "download.pdf",
                         body="Unlike LLaVA (arXiv:2304.08485) we keep the model frozen.")
    found = identify_pdf(pdf)
    assert (found.arxiv_id, found.version, found.category, found.stamped_on, found.found_by) \
        == ("2406.05821", 2, "cs.CL", date(2024, 6, 9), "arXiv stamp")
    assert found.title == "Grounding Frozen Multimodal Models"


def test_old_style_stamp_and_pdf_metadata(tmp_path: Path) -> None:
    pdf = make_arxiv_pdf(tmp_path / "x.pdf", stamp="arXiv:hep-th/9901001v1  4 Jan 1999",
                         metadata={"title": "Strings on the Lattice",
                                   "author": "E. Witten; A. Strominger"})
    found = identify_pdf(pdf)
    assert (found.arxiv_id, found.version, found.stamped_on) == ("hep-th/9901001", 1,
                                                                 date(1999, 1, 4))
    assert found.title == "Strings on the Lattice"
    assert found.authors == ("E. Witten", "A. Strominger")


def test_an_arxiv_file_name_or_a_doi_when_there_is_no_stamp(tmp_path: Path) -> None:
    named = identify_pdf(make_arxiv_pdf(tmp_path / "2406.05821v3.pdf", stamp=None,
                                        body="Compare arXiv:2304.08485 and 2401.00001."))
    assert (named.arxiv_id, named.version, named.found_by) == ("2406.05821", 3, "file name")
    doi = identify_pdf(make_arxiv_pdf(tmp_path / "kdd.pdf", stamp=None,
                                      body="KDD '23\nhttps://doi.org/10.1145/3580305.3599999."))
    assert (doi.arxiv_id, doi.doi, doi.found_by) == (None, "10.1145/3580305.3599999",
                                                     "DOI on page 1")
    nothing = identify_pdf(make_arxiv_pdf(tmp_path / "notes.pdf", stamp=None,
                                          body="See 2304.08485 and 2401.00001."))
    assert not nothing.known
    with pytest.raises(PdfError, match="damaged"):
        identify_pdf(make_corrupt(tmp_path / "broken.pdf"))


# -- readinglist add ---------------------------------------------------------------------------

def test_add_fetches_the_paper_from_arxiv_and_attaches_the_pdf(
        tmp_path: Path, arxiv: TestServer, capsys: pytest.CaptureFixture[str],
        isolated_home: Path) -> None:
    arxiv.route("/api/query", Response(200, api_feed([api_entry(
        "2406.05821", 2, "F-LMM: Grounding Frozen Large Multimodal Models",
        authors=("Size Wu", "Sheng Jin"))]), ATOM))
    pdf = make_arxiv_pdf(tmp_path / "Downloads paper.pdf")

    assert run(["add", str(pdf)]) == 0
    out = capsys.readouterr().out
    assert "Downloads paper.pdf: 2406.05821 “F-LMM: Grounding Frozen Large Multimodal " \
           "Models” — fetched from arXiv" in out
    assert arxiv.requests[0].query["id_list"] == ["2406.05821"]
    library = Library(isolated_home / "library.sqlite3")
    try:
        assert library.get("2406.05821").version == 2
        stored = PdfService(library, library_paths(isolated_home)).pdf_for("2406.05821")
        assert stored is not None and stored.origin == "attached"
        assert stored.path.read_bytes() == pdf.read_bytes()
        assert [p.key for p in library.list(view="all", query="pdf:okapi")] == ["2406.05821"]
    finally:
        library.close()


def test_offline_the_paper_is_made_from_the_pdf_and_a_later_fetch_completes_it(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], isolated_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    pdf = make_arxiv_pdf(tmp_path / "p.pdf")  # the API points at a closed port (conftest)
    assert run(["add", str(pdf), "--json"]) == 0
    [item] = json.loads(capsys.readouterr().out)["pdfs"]
    assert item["key"] == "2406.05821" and item["how"] == "added from the PDF"
    assert item["note"].startswith("arXiv: ") and item["error"] is None
    library = Library(isolated_home / "library.sqlite3")
    try:
        paper = library.get("2406.05821")
        assert (paper.title, paper.version, paper.categories, paper.published) == (
            "Grounding Frozen Multimodal Models", 2, ("cs.CL",), date(2024, 6, 9))
    finally:
        library.close()

    server = TestServer().start()
    try:
        monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{server.url}/api/query")
        server.route("/api/query", Response(200, api_feed([api_entry(
            "2406.05821", 2, "F-LMM: Grounding Frozen Large Multimodal Models")]), ATOM))
        assert run(["fetch", "arxiv-query", "2406.05821"]) == 0
        assert "0 new, 1 updated" in capsys.readouterr().out
    finally:
        threading.Thread(target=server.stop, daemon=True).start()
    assert run(["show", "2406.05821", "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["title"] == "F-LMM: Grounding Frozen Large Multimodal Models"


def test_a_pdf_of_a_paper_already_here_is_attached_even_from_the_trash(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], library: Library,
        isolated_home: Path) -> None:
    from tests.gui.helpers import record

    library.merge_records([record(7)])
    library.mark(["2611.00007"], "deleted", True)
    library.close()
    pdf = make_arxiv_pdf(tmp_path / "2611.00007v1.pdf", stamp=None)
    assert run(["add", str(pdf)]) == 0
    assert "2611.00007v1.pdf: 2611.00007 “Paper 7 on" in capsys.readouterr().out
    assert run(["list", "--view", "all", "--json"]) == 0
    assert [p["arxiv_id"] for p in json.loads(capsys.readouterr().out)] == ["2611.00007"]


def test_each_file_fails_on_its_own_and_the_exit_status_says_so(
        tmp_path: Path, arxiv: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    arxiv.route("/api/query", Response(200, api_feed([api_entry("2406.05821", 2)]), ATOM))
    good = make_arxiv_pdf(tmp_path / "good.pdf")
    broken = make_corrupt(tmp_path / "broken.pdf")
    unknown = make_arxiv_pdf(tmp_path / "notes.pdf", stamp=None, body="No ids here.")
    assert run(["add", str(broken), str(good), str(unknown), str(tmp_path / "gone.pdf")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("broken.pdf: not added: the PDF file broken.pdf is damaged")
    assert out[1].startswith("good.pdf: 2406.05821 “Paper 2406.05821” — fetched from arXiv")
    assert out[2].startswith("notes.pdf: not added: no arXiv id or DOI found")
    assert out[3].startswith("gone.pdf: not added:")
    assert run(["add", "not-an-id"]) == 1
    assert "neither a PDF file nor a paper id" in capsys.readouterr().err
