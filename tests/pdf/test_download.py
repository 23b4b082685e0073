"""Downloading PDFs against a real local HTTP server: checks, caps, failures leave nothing."""

from __future__ import annotations

import socket
import threading
from pathlib import Path

import pytest

from readinglist.pdf.download import make_client
from readinglist.pdf.errors import DownloadCancelled, DownloadError
from readinglist.services.pdfs import PdfService
from tests.helpers.httpserver import Response
from tests.pdf.conftest import ARXIV_KEY, DOI_KEY, OLD_KEY
from tests.pdf.pdfgen import make_paper

PDF_HEADERS = {"Content-Type": "application/pdf"}


@pytest.fixture
def arxiv(http_server, monkeypatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", f"{http_server.url}/pdf")
    return http_server


@pytest.fixture
def pdf_bytes(tmp_path: Path) -> bytes:
    return make_paper(tmp_path / "served.pdf", pages=4).read_bytes()


def _cache_files(service: PdfService) -> list[str]:
    root = service.cache.root
    return sorted(p.name for p in root.iterdir()) if root.exists() else []


def test_download_streams_into_cache_and_registers(service, arxiv, pdf_bytes) -> None:
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, pdf_bytes, PDF_HEADERS))
    seen: list[tuple[int, int | None]] = []
    path = service.ensure_pdf(ARXIV_KEY, progress=lambda done, total: seen.append((done, total)))
    assert path.read_bytes() == pdf_bytes
    assert path.parent == service.cache.root.resolve()
    assert path.name == f"{ARXIV_KEY}.v2.pdf"
    assert seen[-1] == (len(pdf_bytes), len(pdf_bytes))
    info = service.pdf_for(ARXIV_KEY)
    assert info is not None and info.origin == "download" and info.version == 2
    assert info.url == f"{arxiv.url}/pdf/{ARXIV_KEY}v2" and info.size == len(pdf_bytes)
    assert _cache_files(service) == [path.name]


def test_cached_pdf_opens_without_a_request(service, arxiv, pdf_bytes) -> None:
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, pdf_bytes, PDF_HEADERS))
    first = service.ensure_pdf(ARXIV_KEY)
    count = len(arxiv.requests)
    assert service.ensure_pdf(ARXIV_KEY) == first
    assert len(arxiv.requests) == count == 1


def test_old_style_id_downloads_into_a_safe_name(service, arxiv, pdf_bytes) -> None:
    arxiv.route(f"/pdf/{OLD_KEY}v1", Response(200, pdf_bytes, PDF_HEADERS))
    path = service.ensure_pdf(OLD_KEY)
    assert path.parent == service.cache.root.resolve()
    assert "/" not in path.name and path.name.startswith("hep-th_9901001")


def test_html_interstitial_is_rejected_and_nothing_cached(service, arxiv) -> None:
    page = b"<!DOCTYPE html><html><body>Checking your browser...</body></html>"
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, page, {"Content-Type": "text/html"}))
    with pytest.raises(DownloadError, match="web page instead of a PDF"):
        service.ensure_pdf(ARXIV_KEY)
    assert _cache_files(service) == []
    assert service.pdf_for(ARXIV_KEY) is None


def test_html_labelled_as_pdf_is_rejected_by_header(service, arxiv) -> None:
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, b"<html>captcha</html>", PDF_HEADERS))
    with pytest.raises(DownloadError, match="no %PDF header"):
        service.ensure_pdf(ARXIV_KEY)
    assert _cache_files(service) == []


def test_oversize_is_rejected(service, arxiv, tmp_path) -> None:
    big = make_paper(tmp_path / "big.pdf", pages=2).read_bytes() + b"%" + b"x" * (1024 * 1024)
    service.settings.pdf_max_mb = 1
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, big, PDF_HEADERS))
    with pytest.raises(DownloadError, match="over the 1 MB limit"):
        service.ensure_pdf(ARXIV_KEY)
    assert _cache_files(service) == []


def test_interrupted_download_leaves_no_file(service, arxiv, pdf_bytes) -> None:
    arxiv.route(f"/pdf/{ARXIV_KEY}v2",
                Response(200, pdf_bytes, PDF_HEADERS, truncate_at=len(pdf_bytes) // 2))
    with pytest.raises(DownloadError, match="nothing was saved|stopped early"):
        service.ensure_pdf(ARXIV_KEY)
    assert _cache_files(service) == []


def test_complete_but_damaged_pdf_is_not_cached(service, arxiv, pdf_bytes) -> None:
    half = pdf_bytes[: len(pdf_bytes) // 2]
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, half, PDF_HEADERS))
    with pytest.raises(DownloadError, match="truncated"):
        service.ensure_pdf(ARXIV_KEY)
    assert _cache_files(service) == []


def test_keyboard_interrupt_mid_download_leaves_no_file(service, arxiv, tmp_path) -> None:
    data = make_paper(tmp_path / "long.pdf", pages=40).read_bytes()
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, data, PDF_HEADERS))

    def interrupt(done: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        service.ensure_pdf(ARXIV_KEY, progress=interrupt)
    assert _cache_files(service) == []


def test_cancel_leaves_no_file(service, arxiv, pdf_bytes) -> None:
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, pdf_bytes, PDF_HEADERS))
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(DownloadCancelled):
        service.ensure_pdf(ARXIV_KEY, cancel=cancel)
    assert _cache_files(service) == []


def test_http_errors_have_clear_messages(service, arxiv) -> None:
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(404, b"nope", {"Content-Type": "text/plain"}))
    with pytest.raises(DownloadError, match="HTTP 404"):
        service.ensure_pdf(ARXIV_KEY)
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(503, b"busy", {"Content-Type": "text/plain"}))
    with pytest.raises(DownloadError, match="HTTP 503"):
        service.ensure_pdf(ARXIV_KEY)
    assert _cache_files(service) == []


def test_offline_gives_a_clear_message(service, monkeypatch) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", f"http://127.0.0.1:{port}/pdf")
    with pytest.raises(DownloadError, match="offline"):
        service.ensure_pdf(ARXIV_KEY)
    assert _cache_files(service) == []


def test_timeout_gives_a_clear_message(papers, paths, arxiv, pdf_bytes) -> None:
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, pdf_bytes, PDF_HEADERS, delay=1.5))
    with make_client(timeout=0.3) as client:
        service = PdfService(papers, paths, client=client)
        with pytest.raises(DownloadError, match="did not answer in time"):
            service.ensure_pdf(ARXIV_KEY)
    assert _cache_files(service) == []


def test_doi_paper_uses_its_pdf_link(papers, paths, http_server, pdf_bytes) -> None:
    from readinglist.core.models import PaperRecord

    papers.merge_records([PaperRecord(key=DOI_KEY, title="A Journal Paper",
                                      doi="10.1234/abc.def",
                                      pdf_url=f"{http_server.url}/files/paper.pdf")])
    http_server.route("/files/paper.pdf", Response(200, pdf_bytes, PDF_HEADERS))
    path = PdfService(papers, paths).ensure_pdf(DOI_KEY)
    assert path.read_bytes() == pdf_bytes and ":" not in path.name


def test_paper_without_any_link_asks_to_attach(papers, paths) -> None:
    from readinglist.core.models import PaperRecord

    papers.merge_records([PaperRecord(key="url:https://example.org/x", title="Web only",
                                      url="https://example.org/x")])
    with pytest.raises(DownloadError, match="attach a local PDF"):
        PdfService(papers, paths).ensure_pdf("url:https://example.org/x")


def test_new_version_is_downloaded_again(service, arxiv, pdf_bytes, tmp_path) -> None:
    from readinglist.core.models import PaperRecord

    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, pdf_bytes, PDF_HEADERS))
    v2 = service.ensure_pdf(ARXIV_KEY)
    newer = make_paper(tmp_path / "v3.pdf", pages=6).read_bytes()
    arxiv.route(f"/pdf/{ARXIV_KEY}v3", Response(200, newer, PDF_HEADERS))
    service.library.merge_records([PaperRecord(key=ARXIV_KEY, title="Synthetic Attention",
                                               arxiv_id=ARXIV_KEY, version=3)])
    v3 = service.ensure_pdf(ARXIV_KEY)
    assert v3 != v2 and v3.read_bytes() == newer and v2.exists()


def test_arxiv_pdfs_share_the_arxiv_pacer(service, arxiv, pdf_bytes, monkeypatch) -> None:
    from readinglist.core.models import PaperRecord
    from readinglist.sources.ratelimit import arxiv_pacer

    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0.6")
    arxiv_pacer().reset()
    service.library.merge_records([PaperRecord(key="2406.00002", title="Second",
                                               arxiv_id="2406.00002", version=1)])
    arxiv.route(f"/pdf/{ARXIV_KEY}v2", Response(200, pdf_bytes, PDF_HEADERS))
    arxiv.route("/pdf/2406.00002v1", Response(200, pdf_bytes, PDF_HEADERS))
    service.ensure_pdf(ARXIV_KEY)
    service.ensure_pdf("2406.00002")
    first, second = arxiv.requests
    assert second.time - first.time >= 0.55
    assert first.headers["user-agent"].startswith("readinglist/")
