"""Audit of adding PDFs in the app: a dropped folder adds the PDFs inside, an empty one says so,
and the window stays responsive with progress while arXiv is slow (a real HTTP server on
127.0.0.1 that takes its time)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.gui.conftest import idle
from tests.gui.test_add_papers import _drop, arxiv_api, shown_keys  # noqa: F401 - fixture
from tests.helpers.httpserver import Request, Response
from tests.pdf.test_pdf_add import make_arxiv_pdf
from tests.sources.wire import ATOM_TYPE, api_entry, api_feed


@pytest.fixture
def slow_arxiv(http_server, monkeypatch):
    """arXiv answering after 1.5 s."""
    def answer(request: Request) -> Response:
        ids = request.query["id_list"][0].split(",")
        entries = [api_entry(i, 1, f"Slow paper {i}") for i in ids]
        return Response(200, api_feed(entries, query=""), ATOM_TYPE, delay=1.5)

    http_server.route("/api/query", answer)
    monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{http_server.url}/api/query")
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    return http_server


def test_a_dropped_folder_adds_the_pdfs_in_it(qtbot, make_window, library, arxiv_api,
                                             tmp_path: Path):
    window = make_window()
    idle(qtbot, window)
    folder = tmp_path / "To read"
    (folder / "week 2").mkdir(parents=True)
    make_arxiv_pdf(folder / "2401.00001.pdf", stamp=None)
    make_arxiv_pdf(folder / "week 2" / "download.pdf")  # stamped 2406.05821v2
    (folder / "week 2" / "notes.md").write_text("# notes")
    _drop(window, urls=[str(folder)])
    assert window.view.status_text.text() == "Adding the PDF files in 1 folder…"
    qtbot.waitUntil(lambda: window.view.status_text.text()
                    == "Added 2 PDFs: 2 fetched from arXiv", timeout=10_000)
    qtbot.waitUntil(lambda: shown_keys(window) == {"2401.00001", "2406.05821"}, timeout=10_000)
    assert arxiv_api.requests[0].query["id_list"] == ["2401.00001,2406.05821"]


def test_a_dropped_folder_without_pdfs_says_so(qtbot, make_window, library, tmp_path: Path):
    window = make_window()
    idle(qtbot, window)
    (tmp_path / "empty").mkdir()
    _drop(window, urls=[str(tmp_path / "empty")])
    qtbot.waitUntil(lambda: window.view.status_text.text() == "No PDF added (1 failed)",
                    timeout=10_000)
    assert window.view.banner.label.text() == "empty: not added: a folder with no PDF files in it"


def test_the_window_stays_responsive_and_shows_progress_while_arxiv_is_slow(
        qtbot, make_window, library, slow_arxiv, tmp_path: Path):
    window = make_window()
    idle(qtbot, window)
    pdf = make_arxiv_pdf(tmp_path / "download.pdf")
    started = time.monotonic()
    _drop(window, urls=[str(pdf)])
    assert time.monotonic() - started < 0.5  # the drop returns at once: the work is queued
    assert window.view.status_text.text() == "Adding 1 PDF file…"
    qtbot.waitUntil(lambda: window.view.status_text.text() == "Fetching 1 paper from arXiv…",
                    timeout=5_000)
    assert window.tasks.pending == 1 and window.view.progress.isVisible()
    qtbot.waitUntil(lambda: window.view.status_text.text()
                    == "Added 1 PDF: 1 fetched from arXiv", timeout=10_000)
    assert not window.view.progress.isVisible()
    assert library.get("2406.05821").title == "Slow paper 2406.05821"
