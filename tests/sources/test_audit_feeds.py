"""Followed feeds as real servers send them: wrong encodings, stray bytes and entities, relative
links, odd dates, Hugging Face paper links; and withdrawals in the arXiv API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readinglist.services.config import Settings
from readinglist.services.fetch import FetchService
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths
from tests.helpers.httpserver import Request, Response, TestServer
from tests.sources.wire import (
    ATOM_TYPE,
    JSON_TYPE,
    RSS_TYPE,
    api_entry,
    api_feed,
    fixture,
    hf_item,
    json_bytes,
)

_CHANNEL = ('<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>'
            "<title>Revista de Física</title><link>https://revista.example.org/</link>"
            "<description>Últimos artículos</description>{items}</channel></rss>")


def _item(doi: str, title: str, extra: str = "") -> str:
    return (f"<item><title>{title}</title><link>https://doi.org/{doi}</link>"
            f"<pubDate>Tue, 11 Aug 2026 09:00:00 +0200</pubDate>{extra}</item>")


def _feed(declaration: str, *items: str) -> str:
    return declaration + _CHANNEL.format(items="".join(items))


def test_latin1_bytes_in_a_feed_declared_utf8(service: FetchService, server: TestServer,
                                              library: Library) -> None:
    body = _feed('<?xml version="1.0" encoding="UTF-8"?>',
                 _item("10.5555/rf.1", "Efectos de El Niño en Zürich")).encode("latin-1")
    server.route("/latin1.rss", Response(200, body, {"Content-Type": "application/rss+xml"}))
    [result] = service.fetch_rss(f"{server.url}/latin1.rss")
    assert result.ok and result.new == 1
    assert library.get("doi:10.5555/rf.1").title == "Efectos de El Niño en Zürich"


def test_one_stray_windows_1252_byte_in_a_utf8_feed(service: FetchService, server: TestServer,
                                                   library: Library) -> None:
    good = _item("10.5555/rf.2", "Señales débiles").encode("utf-8")
    stray = _item("10.5555/rf.3", "Smart \x93quotes\x94").encode("latin-1")
    head, tail = _feed('<?xml version="1.0" encoding="utf-8"?>', "@").encode().split(b"@")
    server.route("/mixed.rss", Response(200, head + good + stray + tail,
                                        {"Content-Type": "application/rss+xml; charset=utf-8"}))
    [result] = service.fetch_rss(f"{server.url}/mixed.rss")
    assert result.ok and result.new == 2
    assert library.get("doi:10.5555/rf.2").title == "Señales débiles"
    assert library.get("doi:10.5555/rf.3").title == "Smart \u201cquotes\u201d"


def test_a_charset_given_only_in_the_http_header(service: FetchService, server: TestServer,
                                                 library: Library) -> None:
    body = _feed("", _item("10.5555/rf.4", "Análisis crítico")).encode("iso-8859-1")
    server.route("/header.rss",
                 Response(200, body, {"Content-Type": "text/xml; charset=ISO-8859-1"}))
    [result] = service.fetch_rss(f"{server.url}/header.rss")
    assert result.ok and result.new == 1
    assert library.get("doi:10.5555/rf.4").title == "Análisis crítico"


def test_whitespace_before_the_declaration_and_html_entities(
        service: FetchService, server: TestServer, library: Library) -> None:
    # a WordPress plugin printing a blank line first; an old journal using HTML entities
    body = "\n\n" + _feed('<?xml version="1.0" encoding="UTF-8"?>',
                          _item("10.5555/rf.5", "Caf&eacute;&nbsp;culture &amp; science"))
    server.route("/wp.rss", Response(200, body.encode(), {"Content-Type": "application/rss+xml"}))
    [result] = service.fetch_rss(f"{server.url}/wp.rss")
    assert result.ok and result.new == 1
    assert library.get("doi:10.5555/rf.5").title == "Café culture & science"


def test_a_truncated_feed_is_still_an_error(service: FetchService, server: TestServer) -> None:
    body = _feed('<?xml version="1.0" encoding="UTF-8"?>', _item("10.5555/rf.6", "Cut")).encode()
    server.route("/cut.rss", Response(200, body[:-40], {"Content-Type": "application/rss+xml"}))
    [result] = service.fetch_rss(f"{server.url}/cut.rss")
    assert not result.ok and "malformed XML" in (result.error or "")


def test_feeds_with_a_bom_or_a_stylesheet_labelled_html(service: FetchService, server: TestServer,
                                                       library: Library) -> None:
    html = {"Content-Type": "text/html; charset=UTF-8"}
    bom = b"\xef\xbb\xbf" + _feed('<?xml version="1.0" encoding="UTF-8"?>',
                                  _item("10.5555/rf.7", "With a BOM")).encode()
    styled = _feed('<?xml version="1.0" encoding="UTF-8"?>\n'
                   '<?xml-stylesheet type="text/xsl" href="/feed.xsl"?>\n',
                   _item("10.5555/rf.8", "With a stylesheet")).encode()
    server.route("/bom", Response(200, bom, html))
    server.route("/styled", Response(200, styled, html))
    assert [r.new for r in service.fetch_rss(f"{server.url}/bom")] == [1]
    assert [r.new for r in service.fetch_rss(f"{server.url}/styled")] == [1]
    assert library.get("doi:10.5555/rf.7").title == "With a BOM"
    assert library.get("doi:10.5555/rf.8").title == "With a stylesheet"


def test_relative_links_resolve_against_xml_base_and_the_feed_address(
        service: FetchService, server: TestServer, library: Library) -> None:
    atom = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://notes.example.net/">
  <title>Lab notes</title><id>https://notes.example.net/</id><updated>2026-08-13T10:00:00Z</updated>
  <link href="/index.xml" rel="self"/>
  <entry><title>Reading group: state space models</title><link href="/posts/ssm/"/>
    <id>/posts/ssm/</id><updated>2026-08-13T10:00:00Z</updated></entry>
  <entry xml:base="https://notes.example.net/archive/"><title>Older</title>
    <link rel="alternate" href="2025/older/"/><id>tag:notes.example.net,2025:older</id>
    <updated>2025-01-02T10:00:00Z</updated></entry>
</feed>"""
    rss = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Group</title>
<link>https://group.example.com/</link><description>Talks</description>
<item><title>Talk slides</title><link>talks/42.html</link><guid isPermaLink="false">42</guid></item>
</channel></rss>"""
    server.route("/notes.xml", Response(200, atom, ATOM_TYPE))
    server.route("/old-feed", Response(301, b"", {"Location": "/group/feed/"}))
    server.route("/group/feed/", Response(200, rss, {"Content-Type": "application/rss+xml"}))
    [atom_result] = service.fetch_rss(f"{server.url}/notes.xml")
    [rss_result] = service.fetch_rss(f"{server.url}/old-feed")
    assert (atom_result.new, atom_result.note) == (2, "")
    assert (rss_result.new, rss_result.note) == (1, "")
    assert library.get("https://notes.example.net/posts/ssm/").title == (
        "Reading group: state space models")
    assert library.get("https://notes.example.net/archive/2025/older/").title == "Older"
    assert library.get(f"{server.url}/group/feed/talks/42.html").title == "Talk slides"


def test_rfc822_dates_without_a_time(service: FetchService, server: TestServer,
                                     library: Library) -> None:
    items = [_item("10.5555/rf.9", "No time").replace(
                 "Tue, 11 Aug 2026 09:00:00 +0200", "Tue, 11 Aug 2026"),
             _item("10.5555/rf.10", "No weekday, long month").replace(
                 "Tue, 11 Aug 2026 09:00:00 +0200", "3 September 2026")]
    server.route("/dates.rss", Response(200, _feed("", *items).encode(),
                                        {"Content-Type": "application/rss+xml"}))
    [result] = service.fetch_rss(f"{server.url}/dates.rss")
    assert result.new == 2
    assert str(library.get("doi:10.5555/rf.9").published) == "2026-08-11"
    assert str(library.get("doi:10.5555/rf.10").published) == "2026-09-03"


def test_hugging_face_paper_links_name_the_arxiv_paper(service: FetchService, server: TestServer,
                                                      library: Library) -> None:
    server.route("/api/daily_papers", Response(200, json_bytes([hf_item("2608.09888")]),
                                               JSON_TYPE))
    service.fetch_hf_daily(date(2026, 8, 11))
    feed = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Hugging Face Daily Papers</title>
<link>https://huggingface.co/papers</link><description>via a feed generator</description>
<item><title>Paper 2608.09888</title><link>https://huggingface.co/papers/2608.09888</link>
<guid isPermaLink="false">https://huggingface.co/papers/2608.09888</guid>
<pubDate>Tue, 11 Aug 2026 00:00:00 GMT</pubDate></item>
<item><title>Another</title><link>https://huggingface.co/papers/2608.09999?utm_source=rss</link>
<pubDate>Tue, 11 Aug 2026 00:00:00 GMT</pubDate></item>
</channel></rss>"""
    server.route("/hf.rss", Response(200, feed, {"Content-Type": "application/rss+xml"}))
    [result] = service.fetch_rss(f"{server.url}/hf.rss")
    assert (result.new, result.updated) == (1, 1)
    assert set(library.get("2608.09888").sources) == {"hf-daily", "rss"}
    assert library.get("2608.09999").pdf_url == "https://arxiv.org/pdf/2608.09999"


def test_a_withdrawal_in_the_arxiv_api_flags_the_paper(service: FetchService, server: TestServer,
                                                      library: Library) -> None:
    withdrawn = api_entry("2608.07001", 2, title="A flawed proof").replace(
        "  </entry>", "    <arxiv:comment>This paper has been withdrawn by the author due to an "
                      "error in Lemma 3</arxiv:comment>\n  </entry>")
    kept = api_entry("2608.07002", 1).replace(
        "  </entry>", "    <arxiv:comment>12 pages; v1 of a result later withdrawn from a "
                      "workshop</arxiv:comment>\n  </entry>")
    server.route("/api/query", Response(200, api_feed([withdrawn, kept]), ATOM_TYPE))
    [result] = service.fetch_arxiv_query("2608.07001 2608.07002")
    assert result.new == 2
    assert library.get("2608.07001").withdrawn is True
    assert library.get("2608.07002").withdrawn is False


def test_an_empty_page_claiming_no_results_mid_paging_is_retried(
        service: FetchService, server: TestServer, library: Library) -> None:
    entries = [api_entry(f"2608.0800{n}") for n in range(1, 5)]
    # the glitch: an empty page whose totalResults says 0, though the first page said 4
    answers = iter([(entries[:2], 4), ([], 0), ([], 0), ([], 0), (entries[2:], 4)])

    def handler(request: Request) -> Response:
        found, total = next(answers)
        return Response(200, api_feed(found, total=total, start=int(request.query["start"][0])),
                        ATOM_TYPE)

    server.route("/api/query", handler)
    service.arxiv_query.page_size = 2
    [result] = service.fetch_arxiv_query("all:glitch", 4)
    assert (result.new, result.note) == (4, "")
    assert [r.query["start"] for r in server.requests] == [["0"], ["2"], ["2"], ["2"], ["2"]]


def test_empty_pages_that_never_end_are_reported(service: FetchService, server: TestServer,
                                                 library: Library) -> None:
    first = [api_entry("2608.08101"), api_entry("2608.08102")]

    def handler(request: Request) -> Response:
        start = int(request.query["start"][0])
        return Response(200, api_feed(first if start == 0 else [], total=4, start=start),
                        ATOM_TYPE)

    server.route("/api/query", handler)
    service.arxiv_query.page_size = 2
    [result] = service.fetch_arxiv_query("all:glitch", 4)
    assert result.ok and result.new == 2
    assert result.note == "arXiv kept sending empty pages after 2 results; try again later"
    assert len(server.requests) == 5  # the first page, the empty one and three retries


def test_an_arxiv_listing_followed_as_a_feed_reads_like_the_listing(
        service: FetchService, server: TestServer, library: Library) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    [result] = service.fetch_rss(f"{server.url}/rss/cs.CL")
    assert (result.new, result.note) == (2, "3 replacements of papers not in the library left out")
    paper = library.get("2608.05001")
    assert paper.abstract.startswith("We revisit byte-level language models")
    assert paper.version == 1 and paper.sources.keys() == {"rss"}


def test_arxiv_feeds_followed_as_feeds_are_paced(
        server: TestServer, library: Library, settings: Settings, isolated_home: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    # the local server stands in for rss.arxiv.org as an HTTP proxy (it answers by path)
    monkeypatch.setenv("HTTP_PROXY", server.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0.4")
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    server.route("/rss/cs.LG", Response(200, fixture("arxiv_rss_cs.LG.xml"), RSS_TYPE))
    service = FetchService(library, settings, LibraryPaths(isolated_home))
    try:
        results = [*service.fetch_rss("http://rss.arxiv.org/rss/cs.CL"),
                   *service.fetch_rss("http://rss.arxiv.org/rss/cs.LG")]
    finally:
        service.close()
    assert all(r.ok for r in results)
    first, second = server.requests
    assert first.headers["host"] == "rss.arxiv.org"
    assert second.time - first.time >= 0.4
