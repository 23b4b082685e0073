"""The arXiv API source through the fetch service, against a local server."""

from __future__ import annotations

import pytest

from readinglist.core.errors import InputError
from readinglist.services.fetch import FetchService
from readinglist.services.library import Library
from tests.helpers.httpserver import Request, Response, TestServer
from tests.sources.wire import ATOM_TYPE, api_entry, api_feed, fixture


def serve_pages(server: TestServer, pages: dict[int, list[str]], total: int) -> None:
    def handler(request: Request) -> Response:
        start = int(request.query["start"][0])
        size = int(request.query["max_results"][0])
        return Response(200, api_feed(pages.get(start, []), total=total, start=start,
                                      per_page=size), ATOM_TYPE)

    server.route("/api/query", handler)


def test_paging_with_an_entry_repeated_across_pages(service: FetchService, server: TestServer,
                                                    library: Library) -> None:
    a, b, c, d, e = (api_entry(f"2608.0000{n}") for n in range(1, 6))
    serve_pages(server, {0: [a, b], 2: [b, c], 4: [d, e]}, total=6)
    service.arxiv_query.page_size = 2
    [result] = service.fetch_arxiv_query("cat:cs.CL", 10)
    assert result.ok and result.new == 5
    assert [r.query["start"] for r in server.requests] == [["0"], ["2"], ["4"], ["6"]][:len(
        server.requests)]
    for request in server.requests:
        assert request.query["sortBy"] == ["submittedDate"]
        assert request.query["sortOrder"] == ["descending"]
        assert request.query["search_query"] == ["cat:cs.CL"]
        assert int(request.query["max_results"][0]) <= 2000
    assert len(library.list(view="all")) == 5


def test_a_later_version_on_a_later_page_wins(service: FetchService, server: TestServer,
                                              library: Library) -> None:
    serve_pages(server, {0: [api_entry("2608.00001", 1, "Old title"), api_entry("2608.00002")],
                         2: [api_entry("2608.00001", 2, "New title")]}, total=3)
    service.arxiv_query.page_size = 2
    service.fetch_arxiv_query("all:x", 3)
    paper = library.get("2608.00001")
    assert paper.version == 2 and paper.title == "New title"


def test_an_empty_page_before_the_end_is_retried(service: FetchService,
                                                 server: TestServer) -> None:
    entries = [api_entry(f"2608.0000{n}") for n in range(1, 5)]
    answers = iter([entries[:2], [], entries[2:]])

    def handler(request: Request) -> Response:
        start = int(request.query["start"][0])
        return Response(200, api_feed(next(answers), total=4, start=start), ATOM_TYPE)

    server.route("/api/query", handler)
    service.arxiv_query.page_size = 2
    [result] = service.fetch_arxiv_query("all:x", 4)
    assert result.new == 4
    assert [r.query["start"] for r in server.requests] == [["0"], ["2"], ["2"]]


def test_max_results_limits_the_papers(service: FetchService, server: TestServer) -> None:
    serve_pages(server, {0: [api_entry(f"2608.0000{n}") for n in range(1, 4)]}, total=400)
    [result] = service.fetch_arxiv_query("all:x", 3)
    assert result.new == 3 and len(server.requests) == 1
    assert server.requests[0].query["max_results"] == ["3"]


def test_the_error_feed_becomes_a_clear_message(service: FetchService, server: TestServer,
                                                library: Library) -> None:
    server.route("/api/query", Response(400, fixture("arxiv_api_error.xml"), ATOM_TYPE))
    [result] = service.fetch_arxiv_query("abc")
    assert result.error == "arXiv API refused the query: incorrect id format for abc"
    assert library.list(view="all") == []


def test_an_id_list(service: FetchService, server: TestServer, library: Library) -> None:
    server.route("/api/query", Response(200, fixture("arxiv_api_search.xml"), ATOM_TYPE))
    [result] = service.fetch_arxiv_query("2608.04417, hep-th/9901001 2607.11111")
    assert result.new == 3
    query = server.requests[0].query
    assert query["id_list"] == ["2608.04417,hep-th/9901001,2607.11111"]
    assert query["max_results"] == ["3"] and "search_query" not in query
    old = library.get("hep-th/9901001")  # old-style ids
    assert old.key == "hep-th/9901001" and old.version == 2 and old.sources.keys() == {
        "arxiv-query"}
    assert library.get("arXiv:hep-th/9901001v1").key == "hep-th/9901001"


def test_unknown_id_is_no_papers(service: FetchService, server: TestServer) -> None:
    server.route("/api/query", Response(200, api_feed([], total=0), ATOM_TYPE))
    [result] = service.fetch_arxiv_query("0000.0000")
    assert result.ok and result.new == 0


def test_abstract_markup_stays_inert_text(service: FetchService, server: TestServer,
                                          library: Library) -> None:
    body = fixture("arxiv_api_search.xml").replace(b"http://127.0.0.1:9", server.url.encode())
    server.route("/api/query", Response(200, body, ATOM_TYPE))
    server.route("/pixel.png", Response(200, b"GIF89a", {"Content-Type": "image/gif"}))
    service.fetch_arxiv_query("all:harmful")
    paper = library.get("2607.11111")
    assert f'<img src="{server.url}/pixel.png">' in paper.abstract
    assert "<script>alert(1)</script>" in paper.abstract
    assert [r.path for r in server.requests] == ["/api/query"]


def test_bad_input_is_refused_before_any_request(service: FetchService,
                                                 server: TestServer) -> None:
    with pytest.raises(InputError):
        service.fetch_arxiv_query("  ")
    with pytest.raises(InputError):
        service.fetch_arxiv_query("all:x", 0)
    with pytest.raises(InputError):
        service.fetch_arxiv_query("all:x", 30001)
    assert server.requests == []
