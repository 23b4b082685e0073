"""Fixtures for the source tests: fast pacing and retries, endpoints pointing at a local server."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.services.config import Settings
from readinglist.services.fetch import FetchService
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths
from readinglist.sources.ratelimit import arxiv_pacer
from tests.helpers.httpserver import TestServer


@pytest.fixture(autouse=True)
def quick_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Short timeouts and backoff; arXiv pacing off unless a test turns it on."""
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    monkeypatch.setenv("READINGLIST_HTTP_TIMEOUT", "2")
    monkeypatch.setenv("READINGLIST_HTTP_BACKOFF", "0.01")
    monkeypatch.setenv("READINGLIST_HTTP_RETRIES", "3")
    pacer = arxiv_pacer()
    pacer.set_delay(None)
    pacer.reset()
    yield
    pacer.set_delay(None)
    pacer.reset()


@pytest.fixture
def http_server() -> Iterator[TestServer]:
    """The shared local server, stopped in the background (its loop polls every 0.5 s)."""
    server = TestServer().start()
    yield server
    threading.Thread(target=server.stop, daemon=True).start()


@pytest.fixture
def server(http_server: TestServer, monkeypatch: pytest.MonkeyPatch) -> TestServer:
    """The local server, with every source's endpoint pointing at it."""
    monkeypatch.setenv("READINGLIST_HF_URL", http_server.url)
    monkeypatch.setenv("READINGLIST_ARXIV_API_URL", f"{http_server.url}/api/query")
    monkeypatch.setenv("READINGLIST_ARXIV_RSS_URL", f"{http_server.url}/rss")
    monkeypatch.setenv("READINGLIST_ARXIV_PDF_URL", f"{http_server.url}/pdf")
    return http_server


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def service(library: Library, server: TestServer, settings: Settings,
            isolated_home: Path) -> Iterator[FetchService]:
    svc = FetchService(library, settings, LibraryPaths(isolated_home))
    yield svc
    svc.close()
