"""arXiv pacing: >= 3 s between requests by default, one connection at a time, shared."""

from __future__ import annotations

import threading
import time

import pytest

from readinglist.services.fetch import FetchService
from readinglist.sources.ratelimit import (
    ARXIV_DELAY_ENV,
    DEFAULT_ARXIV_DELAY,
    Cancelled,
    Pacer,
    arxiv_pacer,
)
from tests.helpers.httpserver import Request, Response, TestServer
from tests.sources.wire import ATOM_TYPE, RSS_TYPE, api_entry, api_feed, rss_item, rss_listing


def test_the_default_spacing_is_three_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ARXIV_DELAY_ENV, raising=False)
    assert DEFAULT_ARXIV_DELAY == 3.0
    assert arxiv_pacer().delay == 3.0
    assert FetchService.__module__  # the service uses this same process-wide pacer:
    from readinglist.sources.arxiv_api import ArxivQuery
    from readinglist.sources.arxiv_rss import ArxivRss

    assert ArxivQuery().pacer is arxiv_pacer() and ArxivRss().pacer is arxiv_pacer()


def test_the_spacing_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    pacer = Pacer("test", 3.0, "TEST_DELAY")
    monkeypatch.setenv("TEST_DELAY", "0.25")
    assert pacer.delay == 0.25
    monkeypatch.setenv("TEST_DELAY", "soon")
    assert pacer.delay == 3.0
    pacer.set_delay(0)
    assert pacer.delay == 0


def test_api_and_rss_requests_share_the_spacing(service: FetchService, server: TestServer,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    delay = 0.3
    monkeypatch.setenv(ARXIV_DELAY_ENV, str(delay))
    entries = [api_entry(f"2608.{n:05d}") for n in range(1, 7)]

    def api(request: Request) -> Response:
        start = int(request.query["start"][0])
        size = int(request.query["max_results"][0])
        return Response(200, api_feed(entries[start:start + size], total=6, start=start,
                                      per_page=size), ATOM_TYPE)

    server.route("/api/query", api)
    server.route("/rss/cs.CL", Response(200, rss_listing([rss_item("2608.09999")]), RSS_TYPE))
    service.arxiv_query.page_size = 2
    assert service.fetch_arxiv_query("all:test", 6)[0].new == 6
    assert service.fetch_arxiv_rss(["cs.CL"])[0].new == 1
    times = [r.time for r in server.requests]
    assert len(times) == 4
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert min(gaps) >= delay - 0.01, gaps


def test_one_connection_at_a_time() -> None:
    pacer = Pacer("test", 0.0)
    inside = 0
    most = 0
    lock = threading.Lock()

    def request() -> None:
        nonlocal inside, most
        with pacer.slot():
            with lock:
                inside += 1
                most = max(most, inside)
            time.sleep(0.05)
            with lock:
                inside -= 1

    threads = [threading.Thread(target=request) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert most == 1


def test_spacing_holds_across_threads() -> None:
    pacer = Pacer("test", 0.1)
    starts: list[float] = []

    def request() -> None:
        with pacer.slot():
            starts.append(time.monotonic())

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    starts.sort()
    assert all(b - a >= 0.095 for a, b in zip(starts, starts[1:], strict=False))


def test_waiting_for_a_slot_can_be_cancelled() -> None:
    pacer = Pacer("test", 30.0)
    with pacer.slot():
        pass
    cancel = threading.Event()
    threading.Timer(0.1, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        with pacer.slot(cancel):
            pass
    assert time.monotonic() - started < 2
