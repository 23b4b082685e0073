"""The fetch service: subscriptions, Hugging Face backfill, failure isolation, threads, cancel."""

from __future__ import annotations

import threading
import time
from datetime import date
from pathlib import Path

import pytest

from readinglist.core.models import Subscription
from readinglist.services.config import Settings
from readinglist.services.fetch import HF_LAST_DAY, FetchService, SourceResult
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths
from tests.helpers.httpserver import Request, Response, TestServer
from tests.sources.wire import JSON_TYPE, RSS_TYPE, fixture, hf_item, json_bytes

TODAY = date(2026, 8, 12)


def serve_hf(server: TestServer, failing: set[str] = frozenset()) -> None:  # type: ignore[assignment]
    """One paper per day (id from the day), 503 for days in ``failing``."""
    def handler(request: Request) -> Response:
        day = request.query["date"][0]
        if day in failing:
            return Response(503, b"busy")
        listed = date.fromisoformat(day)
        return Response(200, json_bytes([hf_item(f"2608.{listed.day:05d}", listed=listed)]),
                        JSON_TYPE)

    server.route("/api/daily_papers", handler)


def hf_days(server: TestServer) -> list[str]:
    return [r.query["date"][0] for r in server.requests if r.path == "/api/daily_papers"]


def test_every_subscription(service: FetchService, server: TestServer,
                            library: Library) -> None:
    service.today = lambda: TODAY
    for subscription in (Subscription("hf-daily"), Subscription("arxiv-rss", "cs.CL"),
                         Subscription("arxiv-rss", "cs.LG"),
                         Subscription("rss", f"{server.url}/blog.xml")):
        library.subscribe_feed(subscription)
    serve_hf(server)
    server.route("/rss/cs.CL+cs.LG", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    server.route("/blog.xml", Response(200, fixture("blog_rss2.xml"), RSS_TYPE))
    results = service.fetch_subscriptions()
    assert all(r.ok for r in results), [r.error for r in results]
    assert [r.label for r in results] == [f"hf-daily 2026-08-{d:02d}" for d in range(6, 13)] + [
        "arxiv-rss cs.CL+cs.LG", f"rss {server.url}/blog.xml"]
    assert hf_days(server) == [f"2026-08-{d:02d}" for d in range(6, 13)]  # first run: 7 days
    assert sum(r.new for r in results) == 7 + 2 + 2
    assert {"hf-daily", "arxiv-rss", "rss"} == set(library.source_counts())


def test_hugging_face_backfills_only_missed_days(service: FetchService, server: TestServer,
                                                 library: Library) -> None:
    library.subscribe_feed(Subscription("hf-daily"))
    serve_hf(server)
    service.today = lambda: date(2026, 8, 10)
    service.fetch_subscriptions()
    server.requests.clear()
    service.today = lambda: TODAY
    results = service.fetch_subscriptions()
    assert hf_days(server) == ["2026-08-10", "2026-08-11", "2026-08-12"]  # last day refetched
    assert [r.new for r in results] == [0, 1, 1]
    server.requests.clear()
    service.today = lambda: date(2026, 9, 30)  # a long holiday: at most 7 days
    service.fetch_subscriptions()
    assert hf_days(server) == [f"2026-09-{d:02d}" for d in range(24, 31)]


def test_a_failed_day_is_fetched_again_next_time(service: FetchService, server: TestServer,
                                                 library: Library) -> None:
    library.subscribe_feed(Subscription("hf-daily"))
    service.settings.hf_backfill_days = 4
    service.today = lambda: TODAY
    serve_hf(server, failing={"2026-08-10"})
    results = service.fetch_subscriptions()
    assert [r.ok for r in results] == [True, False, True, True]
    assert "HTTP 503" in (results[1].error or "")
    with library.store.transaction() as conn:
        stored = conn.exec_driver_sql(
            "SELECT value FROM meta WHERE key = ?", (HF_LAST_DAY,)).scalar()
    assert stored == "2026-08-09"
    server.requests.clear()
    serve_hf(server)
    service.fetch_subscriptions()
    assert hf_days(server) == ["2026-08-09", "2026-08-10", "2026-08-11", "2026-08-12"]


def test_one_failing_source_does_not_stop_the_others(service: FetchService, server: TestServer,
                                                     library: Library) -> None:
    service.today = lambda: TODAY
    service.settings.hf_backfill_days = 1
    library.subscribe_feed(Subscription("rss", f"{server.url}/down.xml"))
    library.subscribe_feed(Subscription("arxiv-rss", "cs.CL"))
    library.subscribe_feed(Subscription("hf-daily"))
    library.subscribe_feed(Subscription("rss", f"{server.url}/blog.xml"))
    serve_hf(server)
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml")[:900], RSS_TYPE))
    server.route("/down.xml", Response(503, b"down"))
    server.route("/blog.xml", Response(200, fixture("blog_rss2.xml"), RSS_TYPE))
    results = {r.label: r for r in service.fetch_subscriptions()}
    assert results["hf-daily 2026-08-12"].new == 1
    assert "malformed XML" in (results["arxiv-rss cs.CL"].error or "")
    assert "HTTP 503" in (results[f"rss {server.url}/down.xml"].error or "")
    assert results[f"rss {server.url}/blog.xml"].new == 2
    assert library.source_counts() == {"hf-daily": 1, "rss": 2}


def test_unknown_kinds_of_subscription_are_reported(service: FetchService,
                                                    library: Library) -> None:
    library.subscribe_feed(Subscription("bioarxiv", "neuro"))
    [result] = service.fetch_subscriptions()
    assert result == SourceResult("bioarxiv:neuro", "bioarxiv",
                                  error="unknown kind of feed 'bioarxiv'")


def test_runs_on_a_worker_thread_and_reports_progress(service: FetchService, server: TestServer,
                                                      library: Library) -> None:
    serve_hf(server)
    messages: list[str] = []
    results: list[SourceResult] = []
    worker = threading.Thread(target=lambda: results.extend(
        service.fetch_hf_daily(date(2026, 8, 1), date(2026, 8, 3), progress=messages.append)))
    worker.start()
    worker.join(10)
    assert [r.new for r in results] == [1, 1, 1]
    assert messages[:2] == ["hf-daily 2026-08-01: fetching",
                            "hf-daily 2026-08-01: 1 new, 0 updated"]
    assert len(library.list(view="all")) == 3


def test_cancel_stops_between_sources(service: FetchService, server: TestServer,
                                      library: Library) -> None:
    serve_hf(server)
    cancel = threading.Event()

    def progress(message: str) -> None:
        if message.endswith("updated"):
            cancel.set()

    results = service.fetch_hf_daily(date(2026, 8, 1), date(2026, 8, 5), progress=progress,
                                     cancel=cancel)
    assert len(results) == 1 and len(server.requests) == 1


def test_cancel_interrupts_a_wait(service: FetchService, server: TestServer,
                                  library: Library) -> None:
    server.route("/api/daily_papers", Response(429, b"", {"Retry-After": "30"}))
    cancel = threading.Event()
    threading.Timer(0.2, cancel.set).start()
    [result] = service.fetch_hf_daily(TODAY, cancel=cancel)
    assert result.error == "cancelled"
    assert library.list(view="all") == []


def test_summaries() -> None:
    assert SourceResult("hf-daily 2026-08-12", "hf-daily", 3, 1).summary() == (
        "hf-daily 2026-08-12: 3 new, 1 updated")
    assert SourceResult("rss x", "rss", note="unchanged since the last fetch").summary() == (
        "rss x: 0 new, 0 updated (unchanged since the last fetch)")
    assert SourceResult("rss x", "rss", error="boom").summary() == "rss x: failed: boom"


def test_a_stalling_server_fails_its_source_quickly(
        server: TestServer, library: Library, monkeypatch: pytest.MonkeyPatch,
        isolated_home: Path) -> None:

    monkeypatch.setenv("READINGLIST_HTTP_TIMEOUT", "0.3")
    monkeypatch.setenv("READINGLIST_HTTP_RETRIES", "1")
    server.route("/stall.xml", Response(200, fixture("blog_rss2.xml"), RSS_TYPE, delay=5))
    server.route("/ok.xml", Response(200, fixture("blog_rss2.xml"), RSS_TYPE))
    library.subscribe_feed(Subscription("rss", f"{server.url}/stall.xml"))
    library.subscribe_feed(Subscription("rss", f"{server.url}/ok.xml"))
    service = FetchService(library, Settings(), LibraryPaths(isolated_home))
    started = time.monotonic()
    try:
        results = {r.label: r for r in service.fetch_subscriptions()}
    finally:
        service.close()
    assert time.monotonic() - started < 3
    stalled, ok = results[f"rss {server.url}/stall.xml"], results[f"rss {server.url}/ok.xml"]
    assert "did not answer in time (reading timed out)" in (stalled.error or "")
    assert ok.ok and ok.new == 2
