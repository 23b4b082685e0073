"""Opening a paper last read further on another machine offers to continue there."""

from __future__ import annotations

import platform
from pathlib import Path

from readinglist.core.models import PaperRecord
from readinglist.services.pdfs import PdfService
from readinglist.sync.engine import SyncEngine
from readinglist.sync.folder import FolderStorage
from readinglist.sync.state import device_names
from readinglist.ui.pdfviewer import open_paper
from tests.pdf.conftest import ARXIV_KEY
from tests.pdf.pdfgen import make_paper
from tests.sync.helpers import open_library


def _laptop_read_further(papers, tmp_path: Path, page: int) -> str:  # type: ignore[no-untyped-def]
    """A second library reads the paper to ``page`` after this one; both sync via a folder."""
    remote = FolderStorage(tmp_path / "remote")
    (tmp_path / "remote").mkdir(exist_ok=True)
    laptop = open_library(tmp_path / "laptop")
    try:
        laptop.merge_records([PaperRecord(key=ARXIV_KEY, title="Synthetic Attention",
                                          arxiv_id=ARXIV_KEY, version=2)])
        SyncEngine(papers, remote).run()
        SyncEngine(laptop, remote).run()
        laptop.set_position(ARXIV_KEY, page, 0.25)
        SyncEngine(laptop, remote).run()
        SyncEngine(papers, remote).run()
        return laptop.device_id
    finally:
        laptop.close()


def _open(qtbot, papers, paths):  # type: ignore[no-untyped-def]
    window = open_paper(papers, paths, ARXIV_KEY)
    qtbot.addWidget(window)
    window.resize(1000, 760)
    tab = window.current()
    qtbot.waitUntil(lambda: tab.view is not None and tab.view.cached_pages() > 0, timeout=5000)
    return window, tab


def test_offer_names_the_machine_and_goes_there(qtbot, papers, paths, tmp_path) -> None:
    PdfService(papers, paths).attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=8))
    papers.set_position(ARXIV_KEY, 1, 0.0)
    laptop = _laptop_read_further(papers, tmp_path, 5)
    assert device_names(papers)[laptop] == platform.node()

    window, tab = _open(qtbot, papers, paths)
    bar = tab.continue_bar
    qtbot.waitUntil(bar.isVisible, timeout=3000)
    assert tab.view.position()[0] == 1  # this machine's page first
    assert bar.label.text().startswith(f"You were on page 6 on {platform.node()} (")
    assert bar.action.text() == "Go to page 6"
    bar.action.click()
    assert tab.view.position()[0] == 5 and not bar.isVisible()
    tab.back()  # Back returns to where this machine was
    assert tab.view.position()[0] == 1
    window.close()


def test_reading_on_to_that_page_or_stay_dismisses(qtbot, papers, paths, tmp_path) -> None:
    PdfService(papers, paths).attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=8))
    papers.set_position(ARXIV_KEY, 2, 0.0)
    _laptop_read_further(papers, tmp_path, 3)
    window, tab = _open(qtbot, papers, paths)
    qtbot.waitUntil(tab.continue_bar.isVisible, timeout=3000)
    tab.go_to_page(3)
    qtbot.waitUntil(lambda: not tab.continue_bar.isVisible(), timeout=3000)
    window.close_tab()

    papers.set_position(ARXIV_KEY, 2, 0.0)  # this machine is now the more recent one
    window, tab = _open(qtbot, papers, paths)
    qtbot.wait(100)
    assert not tab.continue_bar.isVisible() and tab.view.position()[0] == 2
    window.close()


def test_no_offer_on_a_single_machine(qtbot, papers, paths, tmp_path) -> None:
    PdfService(papers, paths).attach_pdf(ARXIV_KEY, make_paper(tmp_path / "p.pdf", pages=8))
    papers.set_position(ARXIV_KEY, 4, 0.0)
    window, tab = _open(qtbot, papers, paths)
    qtbot.waitUntil(lambda: tab.view.position()[0] == 4, timeout=3000)
    qtbot.wait(50)
    assert tab.continue_bar.offered is None and not tab.continue_bar.isVisible()
    window.close()
