"""Any RSS/Atom feed through the fetch service: journals, blogs; ids and DOIs recognised."""

from __future__ import annotations

import pytest

from readinglist.core.errors import InputError
from readinglist.services.fetch import FetchService
from readinglist.services.library import Library
from tests.helpers.httpserver import Response, TestServer
from tests.sources.wire import ATOM_TYPE, HTML_TYPE, RSS_TYPE, fixture


def _serve(server: TestServer, path: str, name: str, headers: dict[str, str]) -> str:
    body = fixture(name).replace(b"http://127.0.0.1:9", server.url.encode())
    server.route(path, Response(200, body, headers))
    server.route("/tracker.gif", Response(200, b"GIF89a", {"Content-Type": "image/gif"}))
    server.route("/beacon.png", Response(200, b"PNG", {"Content-Type": "image/png"}))
    return f"{server.url}{path}"


def test_a_journal_feed(service: FetchService, server: TestServer, library: Library) -> None:
    url = _serve(server, "/journal.rss", "journal_rdf.xml", {"Content-Type": "application/rdf+xml"})
    [result] = service.fetch_rss(url)
    assert result.ok and result.new == 2 and result.label == f"rss {url}"
    article = library.get("10.5555/JER.2026.0412")
    assert article.title == "Protein folding with sparse attention"
    assert "<" not in article.abstract and article.sources.keys() == {"rss"}
    assert [r.path for r in server.requests] == ["/journal.rss"]  # no image was fetched


def test_arxiv_links_in_a_blog_merge_with_the_arxiv_record(
        service: FetchService, server: TestServer, library: Library) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    service.fetch_arxiv_rss(["cs.CL"])
    url = _serve(server, "/blog/atom.xml", "blog_atom.xml", ATOM_TYPE)
    [result] = service.fetch_rss(url)
    assert result.new == 1 and result.updated == 1
    paper = library.get("2608.05001")
    assert set(paper.sources) == {"arxiv-rss", "rss"}
    assert paper.title == "Tokenizer-Free Language Models Revisited"  # a blog names, never renames
    assert all(r.path not in ("/beacon.png", "/x") for r in server.requests)


def test_doi_links_key_papers_and_items_without_ids_are_skipped(
        service: FetchService, server: TestServer, library: Library) -> None:
    url = _serve(server, "/news.xml", "blog_rss2.xml", {"Content-Type": "text/xml"})
    [result] = service.fetch_rss(url)
    assert result.new == 2 and result.note == "1 unreadable item skipped"
    assert library.get("https://doi.org/10.5555/grnd.77").authors == ("Omar Haddad",)


def test_an_html_page_is_not_a_feed(service: FetchService, server: TestServer) -> None:
    server.route("/feed", Response(200, b"<!doctype html><html><title>Blog</title></html>",
                                   HTML_TYPE))
    [result] = service.fetch_rss(f"{server.url}/feed")
    assert not result.ok and "HTML page" in (result.error or "")


def test_a_404_names_the_host_and_status(service: FetchService, server: TestServer) -> None:
    [result] = service.fetch_rss(f"{server.url}/missing")
    host = server.url.removeprefix("http://")
    assert result.error == f"{host} answered HTTP 404 Not Found: not found"


def test_feed_addresses_are_checked(service: FetchService) -> None:
    for bad in ("file:///etc/passwd", "feed.example.org/rss", "javascript:alert(1)"):
        with pytest.raises(InputError):
            service.fetch_rss(bad)


def test_a_journal_item_merges_with_the_arxiv_paper_holding_its_doi(
        service: FetchService, server: TestServer, library: Library) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    service.settings.rss_include_replacements = True
    service.fetch_arxiv_rss(["cs.CL"])  # 2608.04417v3 with DOI 10.5555/smre.2026.17
    feed = fixture("journal_rdf.xml").replace(b"10.5555/JER.2026.0412", b"10.5555/SMRE.2026.17")
    server.route("/journal.rss", Response(200, feed, RSS_TYPE))
    [result] = service.fetch_rss(f"{server.url}/journal.rss")
    assert result.new == 0 and result.updated == 1
    paper = library.get("2608.04417")
    assert set(paper.sources) == {"arxiv-rss", "rss"}
    assert paper.title == "Sparse Mixtures of Recurrent Experts for Long-Context Reasoning"
    assert paper.version == 3 and paper.authors[0] == "Léa Barthélemy"
    assert len(library.list(view="all")) == 5
