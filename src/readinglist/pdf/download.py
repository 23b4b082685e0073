"""Streaming a PDF to the cache: ``.part`` file, content checks, size cap, atomic rename."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from readinglist import __version__
from readinglist.core.ids import pdf_url
from readinglist.pdf.errors import DownloadCancelled, DownloadError, PdfError

ARXIV_PDF_ENV = "READINGLIST_ARXIV_PDF_URL"
DEFAULT_ARXIV_PDF = "https://arxiv.org/pdf"
_PDF_TYPES = ("application/pdf", "application/x-pdf", "application/octet-stream",
              "binary/octet-stream", "application/force-download", "application/download")
_CHUNK = 64 * 1024
LIMIT_HINT = (" (the pdf_max_mb setting: Preferences → Appearance & library, or "
              "'readinglist config pdf_max_mb N')")

Progress = Callable[[int, int | None], None]  # bytes so far, total if known


@dataclass(frozen=True, slots=True)
class Downloaded:
    """A finished download: where it is and what the server said."""

    path: Path
    size: int
    url: str
    content_type: str


def arxiv_pdf_url(arxiv_id: str, version: int | None = None) -> str:
    """The PDF address of an arXiv paper (``READINGLIST_ARXIV_PDF_URL`` overrides the base)."""
    base = os.environ.get(ARXIV_PDF_ENV) or DEFAULT_ARXIV_PDF
    return pdf_url(arxiv_id, version, base=base)


def make_client(timeout: float | None = None) -> httpx.Client:
    """A streaming client for PDF downloads, with the shared sources' timeouts and User-Agent.

    (``sources.http.HttpClient`` buffers whole responses, so downloads stream with their own
    httpx client configured the same way.)
    """
    try:
        from readinglist.sources.http import HttpConfig

        config = HttpConfig.from_env()
        agent, read, connect = config.user_agent, config.read_timeout, config.connect_timeout
    except ImportError:  # pragma: no cover - sources absent
        agent, read, connect = f"readinglist/{__version__}", 30.0, 10.0
    read = timeout if timeout is not None else read
    return httpx.Client(timeout=httpx.Timeout(read, connect=min(connect, read)),
                        follow_redirects=True, headers={"User-Agent": agent})


def _host(url: str) -> str:
    return urlsplit(url).hostname or url


def _check_headers(response: httpx.Response, url: str, max_bytes: int) -> int | None:
    if response.status_code == 404:
        raise DownloadError(f"no PDF at {url} (HTTP 404)")
    if response.status_code == 429:
        raise DownloadError(f"{_host(url)} asks to slow down (HTTP 429); try again in a minute")
    if response.status_code >= 400:
        raise DownloadError(f"downloading {url} failed: HTTP {response.status_code}")
    content_type = response.headers.get("content-type", "").split(";")[0].strip().lower()
    if content_type and content_type not in _PDF_TYPES:
        what = "a web page" if "html" in content_type else f"{content_type!r}"
        raise DownloadError(f"{url} sent {what} instead of a PDF (the server may be showing a "
                            "check page); nothing was saved")
    length = response.headers.get("content-length")
    total = int(length) if length and length.isdigit() else None
    if total is not None and total > max_bytes:
        raise DownloadError(f"the PDF at {url} is {total / 1e6:.0f} MB, over the "
                            f"{max_bytes / 2**20:.0f} MB limit{LIMIT_HINT}")
    return total


def _stream(response: httpx.Response, url: str, part: Path, max_bytes: int,
            total: int | None, progress: Progress | None,
            cancel: threading.Event | None) -> int:
    size = 0
    with open(part, "wb") as handle:
        for chunk in response.iter_bytes(_CHUNK):
            if cancel is not None and cancel.is_set():
                raise DownloadCancelled("download cancelled; nothing was saved")
            if size == 0 and b"%PDF-" not in chunk[:1024]:
                raise DownloadError(f"{url} did not send a PDF (no %PDF header); nothing was saved")
            size += len(chunk)
            if size > max_bytes:
                raise DownloadError(f"the PDF at {url} is over the {max_bytes / 2**20:.0f} MB "
                                    f"limit{LIMIT_HINT}; nothing was saved")
            handle.write(chunk)
            if progress is not None:
                progress(size, total)
        handle.flush()
        os.fsync(handle.fileno())
    if size == 0:
        raise DownloadError(f"{url} sent an empty file; nothing was saved")
    if total is not None and size != total:
        raise DownloadError(f"the download of {url} stopped early ({size} of {total} bytes); "
                            "nothing was saved")
    return size


def download(url: str, dest: Path, part: Path, *, max_bytes: int,
             progress: Progress | None = None, cancel: threading.Event | None = None,
             client: httpx.Client | None = None,
             verify: Callable[[Path], object] | None = None) -> Downloaded:
    """Stream ``url`` into ``part``, check it, then rename it to ``dest``.

    Raises:
        DownloadError: offline, HTTP error, not a PDF, too large, interrupted, or rejected by
            ``verify`` (called on the finished ``part`` before the rename); ``part`` is
            removed and ``dest`` untouched in every failure, including KeyboardInterrupt.
    """
    own = client is None
    http = client or make_client()
    try:
        with http.stream("GET", url) as response:
            total = _check_headers(response, url, max_bytes)
            size = _stream(response, url, part, max_bytes, total, progress, cancel)
            content_type = response.headers.get("content-type", "")
        if verify is not None:
            try:
                verify(part)
            except PdfError as error:
                raise DownloadError(f"{url} sent a PDF that cannot be used: {error}; "
                                    "nothing was saved") from None
        os.replace(part, dest)
        return Downloaded(dest, size, str(response.url), content_type)
    except httpx.ConnectError:
        raise DownloadError(f"cannot reach {_host(url)}: you seem to be offline "
                            "(the PDF was not downloaded)") from None
    except httpx.TimeoutException:
        raise DownloadError(f"{_host(url)} did not answer in time; try again later") from None
    except httpx.TooManyRedirects:
        raise DownloadError(f"{url} redirects in a loop") from None
    except httpx.HTTPError as error:
        raise DownloadError(f"the download of {url} failed: {error or type(error).__name__}; "
                            "nothing was saved") from None
    except OSError as error:
        raise DownloadError(f"cannot write the PDF to {dest.parent}: "
                            f"{error.strerror or error}") from None
    finally:
        if part.exists():
            try:
                part.unlink()
            except OSError:
                pass
        if own:
            http.close()
