"""Merging rules across sources, end to end through the fetch service."""

from __future__ import annotations

from datetime import date

from readinglist.services.fetch import FetchService
from readinglist.services.library import Library
from tests.helpers.httpserver import Response, TestServer
from tests.sources.wire import (
    ATOM_TYPE,
    JSON_TYPE,
    RSS_TYPE,
    api_entry,
    api_feed,
    hf_item,
    json_bytes,
    rss_item,
    rss_listing,
)

DAY = date(2026, 8, 11)
KEY = "2608.04417"


def _hf(server: TestServer, service: FetchService, **item: object) -> None:
    server.route("/api/daily_papers", Response(200, json_bytes([hf_item(KEY, **item)]),
                                               JSON_TYPE))
    [result] = service.fetch_hf_daily(DAY)
    assert result.ok, result.error


def _api(server: TestServer, service: FetchService, version: int, **entry: object) -> None:
    server.route("/api/query", Response(200, api_feed([api_entry(KEY, version, **entry)]),
                                        ATOM_TYPE))
    [result] = service.fetch_arxiv_query(KEY)
    assert result.ok, result.error


def _rss(server: TestServer, service: FetchService, version: int, announce: str,
         **item: object) -> None:
    server.route("/rss/cs.LG", Response(200, rss_listing([rss_item(KEY, version, announce,
                                                                   **item)]), RSS_TYPE))
    [result] = service.fetch_arxiv_rss(["cs.LG"])
    assert result.ok, result.error


def test_the_newest_version_wins_whatever_the_order(service: FetchService, server: TestServer,
                                                    library: Library) -> None:
    _rss(server, service, 3, "new", title="Title v3", categories=("cs.LG",))
    _api(server, service, 2, title="Title v2", categories=("cs.CL", "stat.ML"))
    _hf(server, service, title="Title on HF")
    paper = library.get(KEY)
    assert paper.version == 3 and paper.title == "Title v3"
    assert paper.categories == ("cs.LG", "cs.CL", "stat.ML")  # united, v3 primary first
    assert set(paper.sources) == {"arxiv-rss", "arxiv-query", "hf-daily"}


def test_hugging_face_upvotes_stay_current_under_versioned_metadata(
        service: FetchService, server: TestServer, library: Library) -> None:
    _hf(server, service, upvotes=3)
    _api(server, service, 2, title="Title v2")
    _hf(server, service, upvotes=50, title="Title on HF")
    paper = library.get(KEY)
    assert paper.hf_upvotes == 50 and paper.title == "Title v2"
    assert paper.listed_on == DAY


def test_triage_is_untouched_by_refetching(service: FetchService, server: TestServer,
                                           library: Library) -> None:
    _hf(server, service, upvotes=3)
    library.mark([KEY], "read", True)
    library.mark([KEY], "starred", True)
    library.mark([KEY], "archived", True)
    library.tag([KEY], add=["to-read", "llm"])
    library.set_note(KEY, "Check the ablations.")
    _hf(server, service, upvotes=99, title="Renamed on HF")
    _api(server, service, 2, title="Title v2")
    _rss(server, service, 3, "replace", title="Title v3")
    paper = library.get(KEY)
    assert (paper.read, paper.starred, paper.archived) == (True, True, True)
    assert paper.tags == ("llm", "to-read") and paper.note == "Check the ablations."
    assert paper.title == "Title v3" and paper.hf_upvotes == 99


def test_refetching_the_same_data_changes_nothing(service: FetchService, server: TestServer,
                                                  library: Library) -> None:
    _api(server, service, 2)
    [again] = service.fetch_arxiv_query(KEY)
    assert (again.new, again.updated) == (0, 0)


def test_text_is_normalised_and_kept_as_data(service: FetchService, server: TestServer,
                                             library: Library) -> None:
    _rss(server, service, 1, "new", title="A  title\n   over &amp; lines",
         creators="Marie   Curie, Pierre\n Curie",
         abstract="Uses <img src=x onerror=alert(1)> and $\\alpha$.")
    paper = library.get(KEY)
    assert paper.title == "A title over & lines"
    assert paper.authors == ("Marie Curie", "Pierre Curie")
    assert paper.abstract == "Uses <img src=x onerror=alert(1)> and $\\alpha$."


def test_hugging_face_withdrawal_reaches_a_paper_first_seen_on_hugging_face(
        service: FetchService, server: TestServer, library: Library) -> None:
    _hf(server, service)
    _hf(server, service, withdrawn=True)
    assert library.get(KEY).withdrawn is True


def test_hugging_face_withdrawal_reaches_a_paper_first_seen_on_arxiv(
        service: FetchService, server: TestServer, library: Library) -> None:
    _api(server, service, 2)
    _hf(server, service, withdrawn=True)
    assert library.get(KEY).withdrawn is True
