"""arXiv category listings through the fetch service, against a local server."""

from __future__ import annotations

import time
from datetime import date

import pytest

from readinglist.core.errors import InputError, StorageError
from readinglist.core.models import MergeCounts
from readinglist.services.fetch import FetchService
from readinglist.services.library import Library
from tests.helpers.httpserver import Request, Response, TestServer
from tests.sources.wire import (
    BILLION_LAUGHS,
    HTML_TYPE,
    JSON_TYPE,
    RSS_TYPE,
    fixture,
    hf_item,
    json_bytes,
    rss_item,
    rss_listing,
)


def test_new_and_cross_enter_replacements_of_unknown_papers_do_not(
        service: FetchService, server: TestServer, library: Library) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    [result] = service.fetch_arxiv_rss(["cs.CL"])
    assert result.ok and result.label == "arxiv-rss cs.CL"
    assert result.new == 2 and set(result.new_keys) == {"2608.05001", "2608.05077"}
    assert result.note == "3 replacements of papers not in the library left out"
    assert {p.key for p in library.list(view="all")} == {"2608.05001", "2608.05077"}


def test_replacements_raise_versions_of_papers_first_seen_on_hugging_face(
        service: FetchService, server: TestServer, library: Library) -> None:
    server.route("/api/daily_papers", Response(200, fixture("hf_daily_2026-08-11.json"),
                                               JSON_TYPE))
    service.fetch_hf_daily(date(2026, 8, 11))
    library.mark(["2608.04417"], "starred", True)
    before = library.get("2608.04417")
    assert before.version is None and before.hf_upvotes == 212
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    [result] = service.fetch_arxiv_rss(["cs.CL"])
    assert result.new == 2 and result.updated == 1
    after = library.get("2608.04417")
    assert after.version == 3
    assert after.abstract.startswith("We introduce a sparse mixture of recurrent experts (v3")
    assert after.doi == "10.5555/smre.2026.17"
    assert after.journal_ref == "Trans. Assoc. Comput. Ling. 14 (2026) 1--22"
    assert after.pdf_url == "https://arxiv.org/pdf/2608.04417v3"
    assert set(after.sources) == {"hf-daily", "arxiv-rss"}
    assert after.hf_upvotes == 212 and after.listed_on == before.listed_on
    assert after.categories == ("cs.CL", "cs.LG")
    assert after.starred and not after.read  # triage untouched
    assert "2608.04417" not in result.new_keys


def test_a_new_version_of_a_starred_paper_is_reported(service: FetchService, server: TestServer,
                                                      library: Library) -> None:
    from readinglist.core.models import Revision
    from tests.foundation.factories import record

    library.merge_records([record("2608.04417", version=1, title="Sparse experts (v1)")])
    library.mark(["2608.04417"], "starred", True)
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    [result] = service.fetch_arxiv_rss(["cs.CL"])
    assert result.revised == (Revision(
        "2608.04417", "Sparse Mixtures of Recurrent Experts for Long-Context Reasoning", 3, 1,
        True),)
    [again] = service.fetch_arxiv_rss(["cs.CL"])  # nothing new the second time
    assert again.revised == ()


def test_replacements_can_be_asked_for(service: FetchService, server: TestServer,
                                       library: Library) -> None:
    service.settings.rss_include_replacements = True
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    [result] = service.fetch_arxiv_rss(["cs.CL"])
    assert result.new == 5 and result.note == ""
    assert library.get("cmp-lg/9701002").version == 4  # old-style id


def test_a_paper_cross_listed_in_two_categories(service: FetchService, server: TestServer,
                                                library: Library) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    server.route("/rss/cs.LG", Response(200, fixture("arxiv_rss_cs.LG.xml"), RSS_TYPE))
    service.fetch_arxiv_rss(["cs.CL"])
    [second] = service.fetch_arxiv_rss(["cs.LG"])
    assert second.new == 1 and second.updated == 0 and second.new_keys == ("2608.05123",)
    paper = library.get("2608.05077")
    assert paper.categories == ("cs.CL", "cs.LG", "eess.AS")
    assert list(library.list(view="all", query="Frozen Encoders")) == [paper]


def test_several_categories_are_one_request(service: FetchService, server: TestServer,
                                            library: Library) -> None:
    cl = fixture("arxiv_rss_cs.CL.xml").split(b"</skipDays>")[1].split(b"</channel>")[0]
    lg = fixture("arxiv_rss_cs.LG.xml").split(b"</skipDays>")[1].split(b"</channel>")[0]
    both = rss_listing([cl.decode(), lg.decode()], "cs.CL+cs.LG")
    server.route("/rss/cs.CL+cs.LG", Response(200, both, RSS_TYPE))
    [result] = service.fetch_arxiv_rss(["cs.CL", "cs.LG", "cs.CL"])
    assert result.label == "arxiv-rss cs.CL+cs.LG"
    assert result.new == 3 and len(server.requests) == 1
    assert library.get("2608.05123").primary_category == "cs.LG"


def test_an_html_page_in_place_of_rss_is_an_error(service: FetchService, server: TestServer,
                                                  library: Library) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("maintenance.html"), HTML_TYPE))
    [result] = service.fetch_arxiv_rss(["cs.CL"])
    assert not result.ok
    assert 'HTML page titled "arXiv is down for maintenance"' in (result.error or "")
    assert library.list(view="all") == []


def test_an_empty_listing_is_nothing_new(service: FetchService, server: TestServer) -> None:
    server.route("/rss/physics", Response(200, fixture("arxiv_rss_empty.xml"), RSS_TYPE))
    [result] = service.fetch_arxiv_rss(["physics"])
    assert result.ok and result.new == 0 and "weekend or holiday" in result.note


def test_billion_laughs_fails_cleanly(service: FetchService, server: TestServer,
                                      library: Library) -> None:
    server.route("/rss/cs.CL", Response(200, BILLION_LAUGHS, RSS_TYPE))
    started = time.monotonic()
    [result] = service.fetch_arxiv_rss(["cs.CL"])
    assert "unsafe XML" in (result.error or "") and time.monotonic() - started < 2
    assert library.list(view="all") == []


def test_unchanged_listings_cost_nothing(service: FetchService, server: TestServer,
                                         library: Library) -> None:
    body = fixture("arxiv_rss_cs.CL.xml")
    validators = {"ETag": '"listing-0812"', "Last-Modified": "Wed, 12 Aug 2026 04:00:41 GMT"}

    def handler(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"listing-0812"':
            return Response(304, b"", validators)
        return Response(200, body, {**RSS_TYPE, **validators})

    server.route("/rss/cs.CL", handler)
    [first] = service.fetch_arxiv_rss(["cs.CL"])
    [second] = service.fetch_arxiv_rss(["cs.CL"])
    assert first.new == 2
    assert second.ok and second.new == 0 and second.updated == 0
    assert second.note == "unchanged since the last fetch"
    assert "if-none-match" not in server.requests[0].headers
    assert server.requests[1].headers["if-none-match"] == '"listing-0812"'
    assert server.requests[1].headers["if-modified-since"] == "Wed, 12 Aug 2026 04:00:41 GMT"


def test_validators_are_kept_only_when_the_merge_succeeded(
        service: FetchService, server: TestServer, library: Library,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"),
                                        {**RSS_TYPE, "ETag": '"v1"'}))
    def broken(records: object) -> MergeCounts:
        raise StorageError("the disk is full")

    monkeypatch.setattr(library, "merge_records", broken)
    [failed] = service.fetch_arxiv_rss(["cs.CL"])
    assert failed.error == "the disk is full"
    monkeypatch.undo()
    [retried] = service.fetch_arxiv_rss(["cs.CL"])
    assert "if-none-match" not in server.requests[1].headers
    assert retried.new == 2


def test_versions_come_from_the_description(service: FetchService, server: TestServer,
                                            library: Library) -> None:
    item = rss_item("2608.07777", 2, "new").replace(
        '<guid isPermaLink="false">oai:arXiv.org:2608.07777v2</guid>', "")
    server.route("/rss/cs.CL", Response(200, rss_listing([item]), RSS_TYPE))
    service.fetch_arxiv_rss(["cs.CL"])
    assert library.get("2608.07777").version == 2


def test_category_names_are_checked(service: FetchService, server: TestServer) -> None:
    for bad in (["cs.CL/../x"], [""], ["cs CL"], []):
        with pytest.raises(InputError):
            service.fetch_arxiv_rss(bad)
    assert server.requests == []


def test_hf_items_and_listings_keep_one_record(service: FetchService, server: TestServer,
                                               library: Library) -> None:
    server.route("/api/daily_papers", Response(200, json_bytes([hf_item("2608.05001",
                                                                        upvotes=9)]), JSON_TYPE))
    service.fetch_hf_daily(date(2026, 8, 11))
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    [result] = service.fetch_arxiv_rss(["cs.CL"])
    assert result.new == 1 and result.updated == 1
    paper = library.get("2608.05001")
    assert paper.title == "Tokenizer-Free Language Models Revisited"  # v1 beats unversioned
    assert paper.hf_upvotes == 9 and set(paper.sources) == {"hf-daily", "arxiv-rss"}
