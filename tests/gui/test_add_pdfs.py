"""PDF files dropped on the window (or chosen with File → Add PDF files…) become papers with
their PDF attached; arXiv is a real HTTP server on 127.0.0.1 in the API's format."""

from __future__ import annotations

from pathlib import Path

from tests.gui.conftest import idle
from tests.gui.helpers import record
from tests.gui.test_add_papers import _drop, arxiv_api, shown_keys  # noqa: F401 - fixture
from tests.pdf.test_pdf_add import make_arxiv_pdf


def test_dropped_pdfs_are_recognised_fetched_attached_and_shown(qtbot, make_window, library,
                                                                 arxiv_api, tmp_path: Path):
    library.merge_records([record(3)])
    window = make_window()
    idle(qtbot, window)
    new = make_arxiv_pdf(tmp_path / "download.pdf")  # stamped 2406.05821v2
    known = make_arxiv_pdf(tmp_path / "2611.00003.pdf", stamp=None)
    unknown = make_arxiv_pdf(tmp_path / "scan.pdf", stamp=None, body="No identifier.")
    _drop(window, urls=[str(new), str(known), str(unknown)])

    qtbot.waitUntil(lambda: window.view.status_text.text() == "Added 2 PDFs: 1 fetched from "
                    "arXiv, 1 attached; 1 not added", timeout=10_000)
    assert "scan.pdf: not added: no arXiv id or DOI" in window.view.banner.label.text()
    assert arxiv_api.requests[0].query["id_list"] == ["2406.05821"]
    qtbot.waitUntil(lambda: shown_keys(window) == {"2406.05821", "2611.00003"}, timeout=10_000)
    assert library.get("2406.05821").title == "Fetched paper 2406.05821"
    from readinglist.services.paths import library_paths
    from readinglist.services.pdfs import PdfService

    service = PdfService(library, library_paths())
    for key in ("2406.05821", "2611.00003"):
        stored = service.pdf_for(key)
        assert stored is not None and stored.origin == "attached"


def test_add_pdf_files_from_the_file_menu_offline(qtbot, make_window, library, tmp_path: Path):
    window = make_window()
    idle(qtbot, window)
    window.adder().ask_pdfs = lambda: [str(make_arxiv_pdf(tmp_path / "train.pdf"))]
    window.actions["add_pdfs"].trigger()
    qtbot.waitUntil(lambda: window.view.status_text.text() == "Added 1 PDF: 1 added from the "
                    "PDF", timeout=10_000)
    assert "arXiv:" in window.view.banner.label.text()  # why arXiv's metadata is missing
    assert library.get("2406.05821").title == "Grounding Frozen Multimodal Models"
