"""Fixtures for the PDF tests: a library with papers and generated PDFs."""

from __future__ import annotations

from pathlib import Path

import pytest

from readinglist.core.models import PaperRecord
from readinglist.services.paths import library_paths
from readinglist.services.pdfs import PdfService
from tests.pdf.pdfgen import make_paper

ARXIV_KEY = "2406.05821"
OLD_KEY = "hep-th/9901001"
DOI_KEY = "doi:10.1234/abc.def"


@pytest.fixture(autouse=True)
def no_arxiv_pacing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Downloads from the local test server need not wait arXiv's 3 s (one test checks it)."""
    from readinglist.sources.ratelimit import arxiv_pacer

    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    arxiv_pacer().reset()


@pytest.fixture
def papers(library):  # type: ignore[no-untyped-def]
    """The library with an arXiv paper (v2), an old-style arXiv paper and a DOI-only paper."""
    library.merge_records([
        PaperRecord(key=ARXIV_KEY, title="Synthetic Attention", arxiv_id=ARXIV_KEY, version=2),
        PaperRecord(key=OLD_KEY, title="Old Style Strings", arxiv_id=OLD_KEY, version=1),
        PaperRecord(key=DOI_KEY, title="A Journal Paper", doi="10.1234/abc.def",
                    pdf_url="http://127.0.0.1:9/never.pdf"),
    ])
    return library


@pytest.fixture
def paths(isolated_home: Path):  # type: ignore[no-untyped-def]
    return library_paths(isolated_home)


@pytest.fixture
def service(papers, paths) -> PdfService:  # type: ignore[no-untyped-def]
    return PdfService(papers, paths)


@pytest.fixture
def paper_pdf(tmp_path: Path) -> Path:
    return make_paper(tmp_path / "paper.pdf", pages=5)


@pytest.fixture
def annotated_pdf(tmp_path: Path) -> Path:
    return make_paper(tmp_path / "annotated.pdf", pages=5, annotations=True)
