"""Hugging Face Daily Papers through the fetch service, against a local server."""

from __future__ import annotations

from datetime import date

from readinglist.services.fetch import FetchService
from readinglist.services.library import Library
from tests.helpers.httpserver import Request, Response, TestServer
from tests.sources.wire import JSON_TYPE, fixture, hf_ids, hf_item, json_bytes

DAY = date(2026, 8, 11)


def serve_day(server: TestServer, items: list[dict], day: date = DAY) -> None:
    """Serve ``items`` for ``day`` the way the API pages them (limit, p from 0)."""
    def handler(request: Request) -> Response:
        if request.query.get("date") != [day.isoformat()]:
            return Response(200, b"[]", JSON_TYPE)
        limit = int(request.query["limit"][0])
        if limit > 100:
            return Response(400, json_bytes({"error": "✖ Too big: expected number to be <=100\n"
                                                      "  → at limit"}), JSON_TYPE)
        page = int(request.query.get("p", ["0"])[0])
        return Response(200, json_bytes(items[page * limit:(page + 1) * limit]), JSON_TYPE)

    server.route("/api/daily_papers", handler)


def test_paging_past_100_items(service: FetchService, server: TestServer,
                               library: Library) -> None:
    serve_day(server, [hf_item(i) for i in hf_ids(250)])
    [result] = service.fetch_hf_daily(DAY)
    assert result.ok and result.new == 250 and result.updated == 0
    assert result.label == "hf-daily 2026-08-11" and len(result.new_keys) == 250
    pages = [(r.query["p"], r.query["limit"], r.query["date"]) for r in server.requests]
    assert pages == [(["0"], ["100"], ["2026-08-11"]), (["1"], ["100"], ["2026-08-11"]),
                     (["2"], ["100"], ["2026-08-11"])]
    assert len(library.list(view="all")) == 250


def test_an_exact_multiple_of_the_page_size_ends_on_an_empty_page(
        service: FetchService, server: TestServer) -> None:
    serve_day(server, [hf_item(i) for i in hf_ids(200)])
    [result] = service.fetch_hf_daily(DAY)
    assert result.new == 200 and [r.query["p"] for r in server.requests] == [["0"], ["1"], ["2"]]


def test_an_empty_weekend_day_is_not_an_error(service: FetchService, server: TestServer) -> None:
    serve_day(server, [])
    [result] = service.fetch_hf_daily(date(2026, 8, 15))
    assert result.ok and result.new == 0 and result.updated == 0
    assert len(server.requests) == 1


def test_the_fixture_day(service: FetchService, server: TestServer, library: Library) -> None:
    server.route("/api/daily_papers", Response(200, fixture("hf_daily_2026-08-11.json"),
                                               JSON_TYPE))
    [result] = service.fetch_hf_daily(DAY)
    assert result.new == 3
    paper = library.get("2608.04417")
    assert paper.listed_on == DAY and paper.hf_upvotes == 212
    assert paper.sources.keys() == {"hf-daily"}
    assert library.get("2608.01999").withdrawn is True
    assert library.get("2608.03302").withdrawn is False


def test_upvotes_stay_current(service: FetchService, server: TestServer,
                              library: Library) -> None:
    serve_day(server, [hf_item("2608.00001", upvotes=3), hf_item("2608.00002", upvotes=8)])
    service.fetch_hf_daily(DAY)
    serve_day(server, [hf_item("2608.00001", upvotes=57), hf_item("2608.00002", upvotes=8)])
    [again] = service.fetch_hf_daily(DAY)
    assert again.new == 0 and again.updated == 1
    assert library.get("2608.00001").hf_upvotes == 57


def test_429_with_retry_after_then_success(service: FetchService, server: TestServer) -> None:
    server.route("/api/daily_papers", [Response(429, b'{"error":"slow down"}',
                                                {**JSON_TYPE, "Retry-After": "1"}),
                                       Response(200, json_bytes([hf_item("2608.00001")]),
                                                JSON_TYPE)])
    [result] = service.fetch_hf_daily(DAY)
    assert result.ok and result.new == 1


def test_503_then_success(service: FetchService, server: TestServer) -> None:
    server.route("/api/daily_papers", [Response(503, b"upstream busy"),
                                       Response(200, json_bytes([hf_item("2608.00001")]),
                                                JSON_TYPE)])
    [result] = service.fetch_hf_daily(DAY)
    assert result.ok and result.new == 1


def test_a_truncated_body_fails_and_changes_nothing(service: FetchService, server: TestServer,
                                                    library: Library) -> None:
    full = json_bytes([hf_item(i) for i in hf_ids(100)])
    rest = json_bytes([hf_item(i) for i in hf_ids(120)[100:]])

    def handler(request: Request) -> Response:
        if request.query["p"] == ["0"]:
            return Response(200, full, JSON_TYPE)
        return Response(200, rest[: len(rest) // 2], JSON_TYPE)  # cut off, consistent length

    server.route("/api/daily_papers", handler)
    [result] = service.fetch_hf_daily(DAY)
    assert not result.ok and "malformed JSON" in (result.error or "")
    assert library.list(view="all") == []  # page 0 was fine, but the day is one transaction


def test_a_dropped_connection_fails_after_retries(service: FetchService, server: TestServer,
                                                  library: Library) -> None:
    body = fixture("hf_daily_2026-08-11.json")
    server.route("/api/daily_papers", Response(200, body, JSON_TYPE, truncate_at=500))
    [result] = service.fetch_hf_daily(DAY)
    assert not result.ok and "broke off" in (result.error or "")
    assert library.list(view="all") == []


def test_an_error_object_is_an_error(service: FetchService, server: TestServer) -> None:
    server.route("/api/daily_papers", Response(
        400, json_bytes({"error": "✖ Invalid date: expected YYYY-MM-DD"}), JSON_TYPE))
    [result] = service.fetch_hf_daily(DAY)
    assert result.error == ("Hugging Face answered HTTP 400 Bad Request: "
                            "✖ Invalid date: expected YYYY-MM-DD")


def test_a_range_gives_one_result_per_day(service: FetchService, server: TestServer) -> None:
    serve_day(server, [hf_item("2608.00001")], date(2026, 8, 10))
    results = service.fetch_hf_daily(date(2026, 8, 9), date(2026, 8, 11))
    assert [r.label for r in results] == ["hf-daily 2026-08-09", "hf-daily 2026-08-10",
                                          "hf-daily 2026-08-11"]
    assert [r.new for r in results] == [0, 1, 0]
