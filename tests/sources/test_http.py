"""The shared HTTP client against a real local server: retries, waits, limits, checks."""

from __future__ import annotations

import socket
import time

import httpx
import pytest

from readinglist import __version__
from readinglist.core.errors import SourceError
from readinglist.sources.http import (
    HttpClient,
    HttpConfig,
    Validators,
    expect_json,
    expect_xml,
    rate_limit,
)
from tests.helpers.httpserver import Response, TestServer
from tests.sources.wire import HTML_TYPE, JSON_TYPE, RSS_TYPE, fixture

QUICK = HttpConfig(read_timeout=2, connect_timeout=2, retries=3, backoff=0.01)


@pytest.fixture
def client() -> HttpClient:
    with HttpClient(QUICK) as http:
        yield http


def test_user_agent_names_the_app_version_and_a_contact(http_server: TestServer,
                                                        client: HttpClient) -> None:
    http_server.route("/x", Response(200, b"{}", JSON_TYPE))
    client.get(f"{http_server.url}/x")
    agent = http_server.requests[0].headers["user-agent"]
    assert agent.startswith(f"readinglist/{__version__} (+") and agent.endswith(")")


def test_env_configures_the_client(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READINGLIST_HTTP_TIMEOUT", "0.5")
    monkeypatch.setenv("READINGLIST_HTTP_RETRIES", "1")
    monkeypatch.setenv("READINGLIST_CONTACT", "mailto:me@example.org")
    config = HttpConfig.from_env()
    assert config.read_timeout == 0.5 and config.connect_timeout == 0.5 and config.retries == 1
    assert config.user_agent.endswith("(+mailto:me@example.org)")


def test_429_with_retry_after_then_success(http_server: TestServer, client: HttpClient) -> None:
    http_server.route("/x", [Response(429, b"slow down", {"Retry-After": "1"}),
                             Response(200, b"[]", JSON_TYPE)])
    started = time.monotonic()
    response = client.get(f"{http_server.url}/x")
    assert response.status == 200 and response.attempts == 2
    gap = http_server.requests[1].time - http_server.requests[0].time
    assert gap >= 0.95 and time.monotonic() - started < 5


def test_503_then_success(http_server: TestServer, client: HttpClient) -> None:
    http_server.route("/x", [Response(503, b"busy"), Response(502, b"bad gateway"),
                             Response(200, b"[]", JSON_TYPE)])
    response = client.get(f"{http_server.url}/x")
    assert response.status == 200 and len(http_server.requests) == 3


def test_backoff_grows_exponentially(http_server: TestServer) -> None:
    http_server.route("/x", [Response(503), Response(503), Response(503),
                             Response(200, b"[]", JSON_TYPE)])
    with HttpClient(HttpConfig(retries=3, backoff=0.1)) as http:
        http.get(f"{http_server.url}/x")
    times = [r.time for r in http_server.requests]
    gaps = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert gaps[0] >= 0.09 and gaps[1] >= 0.19 and gaps[2] >= 0.39


def test_retries_give_up_with_a_clear_message(http_server: TestServer,
                                              client: HttpClient) -> None:
    http_server.route("/x", Response(503, b"down", {"Content-Type": "text/plain"}))
    with pytest.raises(SourceError, match=r"HTTP 503 .*gave up after 4 attempts"):
        client.get(f"{http_server.url}/x")
    assert len(http_server.requests) == 4


def test_hugging_face_ratelimit_header_sets_the_wait(http_server: TestServer,
                                                     client: HttpClient) -> None:
    limited = {"RateLimit": '"api";r=0;t=1', "RateLimit-Policy": '"fixed window";"api";q=500;w=300'}
    http_server.route("/x", [Response(429, b'{"error":"rate limited"}', {**JSON_TYPE, **limited}),
                             Response(200, b"[]", JSON_TYPE)])
    client.get(f"{http_server.url}/x")
    assert http_server.requests[1].time - http_server.requests[0].time >= 0.95


def test_an_exhausted_ratelimit_delays_the_next_request(http_server: TestServer,
                                                        client: HttpClient) -> None:
    http_server.route("/x", [Response(200, b"[]", {**JSON_TYPE, "RateLimit": '"api";r=0;t=1'}),
                             Response(200, b"[]", JSON_TYPE)])
    client.get(f"{http_server.url}/x")
    client.get(f"{http_server.url}/x")
    assert http_server.requests[1].time - http_server.requests[0].time >= 0.95
    assert rate_limit(httpx.Headers({"RateLimit": '"api";r=42;t=17'})) == (42, 17.0)


def test_a_too_long_retry_after_fails_at_once(http_server: TestServer) -> None:
    http_server.route("/x", Response(429, b"", {"Retry-After": "3600"}))
    with HttpClient(HttpConfig(max_wait=60, backoff=0.01)) as http:
        with pytest.raises(SourceError, match="asks to wait 3600 s"):
            http.get(f"{http_server.url}/x")
    assert len(http_server.requests) == 1


def test_a_stalling_server_times_out(http_server: TestServer) -> None:
    http_server.route("/x", Response(200, b"[]", JSON_TYPE, delay=3))
    started = time.monotonic()
    with HttpClient(HttpConfig(read_timeout=0.3, connect_timeout=0.3, retries=1,
                               backoff=0.01)) as http:
        with pytest.raises(SourceError, match="did not answer in time .*gave up after 2"):
            http.get(f"{http_server.url}/x")
    assert time.monotonic() - started < 2


def test_refused_connections_fail_at_once() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with HttpClient(QUICK) as http, pytest.raises(SourceError, match="cannot connect"):
        http.get(f"http://127.0.0.1:{port}/x")


def test_the_response_size_is_capped(http_server: TestServer) -> None:
    http_server.route("/x", Response(200, b"x" * 5000, JSON_TYPE))
    with HttpClient(HttpConfig(max_bytes=1000)) as http:
        with pytest.raises(SourceError, match="more than the 1000 bytes allowed"):
            http.get(f"{http_server.url}/x")


def test_conditional_get_sends_validators(http_server: TestServer, client: HttpClient) -> None:
    http_server.route("/feed", Response(304, b""))
    response = client.get(f"{http_server.url}/feed",
                          validators=Validators('"v1"', "Wed, 12 Aug 2026 04:00:41 GMT"))
    assert response.not_modified
    headers = http_server.requests[0].headers
    assert headers["if-none-match"] == '"v1"'
    assert headers["if-modified-since"] == "Wed, 12 Aug 2026 04:00:41 GMT"


def test_an_html_page_is_not_json_or_a_feed(http_server: TestServer, client: HttpClient) -> None:
    http_server.route("/x", Response(200, fixture("maintenance.html"), HTML_TYPE))
    response = client.get(f"{http_server.url}/x")
    with pytest.raises(SourceError, match='HTML page titled "arXiv is down for maintenance"'):
        expect_xml(response)
    with pytest.raises(SourceError, match="HTML page"):
        expect_json(response)


def test_a_feed_mislabelled_as_html_is_still_read(http_server: TestServer,
                                                  client: HttpClient) -> None:
    http_server.route("/x", Response(200, fixture("blog_rss2.xml"), HTML_TYPE))
    root = expect_xml(client.get(f"{http_server.url}/x"), strict=False)
    assert root.tag == "rss"


def test_strict_xml_wants_an_xml_type(http_server: TestServer, client: HttpClient) -> None:
    http_server.route("/x", Response(200, fixture("blog_rss2.xml"), {"Content-Type": "image/png"}))
    with pytest.raises(SourceError, match="image/png instead of an XML feed"):
        expect_xml(client.get(f"{http_server.url}/x"))
    http_server.route("/y", Response(200, fixture("blog_rss2.xml"), RSS_TYPE))
    assert expect_xml(client.get(f"{http_server.url}/y")).tag == "rss"


def test_truncated_json(http_server: TestServer, client: HttpClient) -> None:
    body = fixture("hf_daily_2026-08-11.json")
    # cut off, with a Content-Length that matches what was sent
    http_server.route("/cut", Response(200, body[:700], JSON_TYPE))
    with pytest.raises(SourceError, match="malformed JSON .*cut off"):
        expect_json(client.get(f"{http_server.url}/cut"))
    # cut off mid-body: the connection closes before Content-Length bytes arrived
    http_server.route("/drop", Response(200, body, JSON_TYPE, truncate_at=700))
    with pytest.raises(SourceError, match="broke off .*gave up after 4"):
        client.get(f"{http_server.url}/drop")
