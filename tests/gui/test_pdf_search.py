"""Searching the text of PDFs in the app: the list, the matching pages in the detail pane, the
empty state's offer, and PDFs indexed in the background (real generated PDFs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.services.fulltext import FullTextIndex
from readinglist.services.paths import library_paths
from readinglist.services.pdfs import PdfService
from tests.gui.conftest import idle
from tests.gui.helpers import record
from tests.pdf.pdfgen import make_paper


def shown_keys(window):
    model = window.papers.model
    return [model.row_at(p).key for p in range(model.rowCount())]


def search_for(qtbot, window, text: str) -> None:
    window.view.search.setText(text)
    window.search.apply()
    idle(qtbot, window)


@pytest.fixture
def with_pdf(library, isolated_home: Path, tmp_path: Path):
    """Two papers; the first has a PDF attached (with 'needle' on pages 2 and 4)."""
    library.merge_records([record(1), record(2)])
    service = PdfService(library, library_paths())
    service.attach_pdf("2611.00001", make_paper(tmp_path / "p.pdf", pages=5))
    return service


def test_a_pdf_search_lists_the_paper_and_its_pages(qtbot, make_window, library, with_pdf):
    FullTextIndex(library, with_pdf.cache).index_pending()
    window = make_window()
    window.sidebar.select_label("All")
    idle(qtbot, window)
    search_for(qtbot, window, "pdf:needle")
    assert shown_keys(window) == ["2611.00001"]
    detail = window.view.detail
    qtbot.waitUntil(lambda: detail.pdf_matches.isVisibleTo(window.view), timeout=5000)
    text = detail.pdf_matches.text()
    assert 'href="page:1"' in text and 'href="page:3"' in text
    assert "<b>needle</b>" in text
    opened = []
    window.triage.open_pdf = lambda page=None, find=None: opened.append((page, find))
    detail.pdf_matches.linkActivated.emit("page:3")
    assert opened == [(3, "needle")]  # that page, with the words marked in the viewer
    window.actions["open_pdf"].trigger()  # o: the first matching page
    assert opened[-1] == (1, "needle")
    search_for(qtbot, window, "")  # no pdf: terms: the section goes away
    qtbot.waitUntil(lambda: not detail.pdf_matches.isVisibleTo(window.view), timeout=5000)


def test_pdf_text_is_escaped_in_the_detail_pane(qtbot, make_window, library, with_pdf,
                                                tmp_path: Path):
    import pymupdf

    doc = pymupdf.open()
    doc.new_page().insert_text((72, 72), 'needle <img src="http://127.0.0.1:9/x.png"> & co',
                               fontsize=10)
    doc.save(tmp_path / "hostile.pdf")
    doc.close()
    with_pdf.attach_pdf("2611.00002", tmp_path / "hostile.pdf")
    FullTextIndex(library, with_pdf.cache).index_pending()
    window = make_window()
    window.sidebar.select_label("All")
    search_for(qtbot, window, "pdf:needle")
    assert "2611.00002" in shown_keys(window)
    window.papers.select_position(shown_keys(window).index("2611.00002"))
    detail = window.view.detail
    qtbot.waitUntil(lambda: "&lt;img" in detail.pdf_matches.text(), timeout=5000)
    assert "<img" not in detail.pdf_matches.text()


def test_no_matches_offers_the_pdfs_and_indexing_updates_the_list(qtbot, make_window, library,
                                                                   with_pdf):
    window = make_window()
    window.sidebar.select_label("All")
    idle(qtbot, window)
    search_for(qtbot, window, "needle")  # only in the PDF, not in titles or abstracts
    assert shown_keys(window) == []
    welcome = window.view.welcome
    labels = [b.text() for b in welcome.buttons if b.isVisibleTo(window.view)]
    assert labels == ["Search arXiv", "Search the text of your PDFs", "Clear search"]
    welcome.secondary.click()
    idle(qtbot, window)
    assert window.view.search.text() == "pdf:needle"
    assert shown_keys(window) == []  # not indexed yet
    assert "PDFs on this machine" in welcome.text.text()
    window._index_pdf_text()  # what the app does once it has been idle a few seconds
    qtbot.waitUntil(lambda: shown_keys(window) == ["2611.00001"], timeout=10_000)
