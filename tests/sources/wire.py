"""Builders for responses in the exact wire formats of the real services (FEEDS.md §1-3).

Used by the tests to make pages of any size, and by ``benchmarks/bench_sources.py``.
"""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


# -- Hugging Face ----------------------------------------------------------------------------


def hf_item(arxiv_id: str, title: str = "", *, upvotes: int = 10,
            listed: date = date(2026, 8, 11), published: date | None = None,
            authors: tuple[str, ...] = ("Ana Garcia", "Wei Li"), summary: str = "",
            withdrawn: bool = False) -> dict:
    """One ``/api/daily_papers`` item: the paper nested under ``paper``, outer fields around it."""
    published = published or listed - timedelta(days=1)
    title = title or f"Paper {arxiv_id}"
    summary = summary or f"The abstract of {arxiv_id}.\n  A second paragraph with \\$5."
    paper = {
        "id": arxiv_id,
        "authors": [{"_id": f"6a7b{n:020x}", "name": name, "hidden": False}
                    for n, name in enumerate(authors)],
        "publishedAt": f"{published.isoformat()}T00:00:00.000Z",
        "submittedOnDailyAt": f"{listed.isoformat()}T00:00:00.000Z",
        "title": title,
        "summary": summary,
        "upvotes": upvotes,
        "discussionId": "6a7b0000000000000000beef",
        "ai_keywords": ["keyword"],
    }
    if withdrawn:
        paper["withdrawnAt"] = f"{listed.isoformat()}T12:00:00.000Z"
    shifted = datetime.combine(published, datetime.min.time()) - timedelta(hours=4)
    return {
        "paper": paper,
        "publishedAt": shifted.strftime("%Y-%m-%dT%H:%M:%S.000Z"),
        "title": title,
        "summary": summary,
        "thumbnail": f"https://cdn-thumbnails.huggingface.co/social-thumbnails/papers/{arxiv_id}.png",
        "numComments": 0,
        "submittedBy": {"_id": "60f1a2b3c4d5e6f7a8b9c0ff", "avatarUrl": "/avatars/0.svg",
                        "fullname": "AK", "name": "akhaliq", "type": "user", "isPro": True,
                        "isHf": False, "isHfAdmin": False, "isMod": False,
                        "followerCount": 9000, "isUserFollowing": False},
        "isAuthorParticipating": False,
    }


def hf_ids(count: int, prefix: str = "2608") -> list[str]:
    return [f"{prefix}.{n:05d}" for n in range(1, count + 1)]


def json_bytes(data: object) -> bytes:
    return json.dumps(data, ensure_ascii=False).encode("utf-8")


# -- arXiv API -------------------------------------------------------------------------------


def api_entry(arxiv_id: str, version: int = 1, title: str = "", *,
              categories: tuple[str, ...] = ("cs.CL",), authors: tuple[str, ...] = ("Ana Garcia",),
              summary: str = "", published: str = "2026-08-10T15:11:09Z",
              updated: str | None = None, doi: str | None = None) -> str:
    """One ``<entry>`` as the 2026 backend orders it (authors after primary_category)."""
    title = title or f"Paper {arxiv_id}"
    summary = summary or f"The abstract of {arxiv_id}, version {version}."
    parts = [
        "  <entry>",
        f"    <id>http://arxiv.org/abs/{arxiv_id}v{version}</id>",
        f"    <title>{escape(title)}</title>",
        f"    <updated>{updated or published}</updated>",
        f'    <link href="https://arxiv.org/abs/{arxiv_id}v{version}" rel="alternate" '
        'type="text/html"/>',
        f'    <link href="https://arxiv.org/pdf/{arxiv_id}v{version}" rel="related" '
        'type="application/pdf" title="pdf"/>',
        f"    <summary>{escape(summary)}</summary>",
    ]
    parts += [f'    <category term="{c}" scheme="http://arxiv.org/schemas/atom"/>'
              for c in categories]
    parts += [f"    <published>{published}</published>",
              f'    <arxiv:primary_category term="{categories[0]}"/>']
    parts += [f"    <author>\n      <name>{escape(a)}</name>\n    </author>" for a in authors]
    if doi:
        parts += [f"    <arxiv:doi>{escape(doi)}</arxiv:doi>",
                  f'    <link rel="related" href={quoteattr("https://doi.org/" + doi)} '
                  'title="doi"/>']
    parts.append("  </entry>")
    return "\n".join(parts)


def api_feed(entries: list[str], total: int | None = None, start: int = 0,
             per_page: int | None = None, query: str = "all:test") -> bytes:
    """A complete API response: Atom feed with the opensearch paging elements."""
    total = len(entries) if total is None else total
    per_page = len(entries) if per_page is None else per_page
    head = f"""<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/c2VhcmNoX3F1ZXJ5</id>
  <title>arXiv Query: search_query={escape(query)}&amp;id_list=&amp;start={start}&amp;max_results={per_page}</title>
  <updated>2026-08-12T07:27:39Z</updated>
  <link href="https://arxiv.org/api/query?search_query={escape(query)}&amp;start={start}&amp;max_results={per_page}&amp;id_list=" type="application/atom+xml"/>
  <opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>{start}</opensearch:startIndex>
"""
    return (head + "\n".join(entries) + "\n</feed>\n").encode("utf-8")


# -- arXiv RSS -------------------------------------------------------------------------------


def rss_item(arxiv_id: str, version: int = 1, announce: str = "new", *,
             categories: tuple[str, ...] = ("cs.CL",), title: str = "",
             creators: str = "Ana Garcia, Wei Li", abstract: str = "",
             day: str = "Wed, 12 Aug 2026 00:00:00 -0400") -> str:
    title = title or f"Paper {arxiv_id}"
    abstract = abstract or f"The abstract of {arxiv_id}, version {version}."
    cats = "\n".join(f"      <category>{c}</category>" for c in categories)
    return f"""    <item>
      <title>{escape(title)}</title>
      <link>https://arxiv.org/abs/{arxiv_id}</link>
      <description>arXiv:{arxiv_id}v{version} Announce Type: {announce}{" "}
Abstract: {escape(abstract)}</description>
      <guid isPermaLink="false">oai:arXiv.org:{arxiv_id}v{version}</guid>
{cats}
      <pubDate>{day}</pubDate>
      <arxiv:announce_type>{announce}</arxiv:announce_type>
      <dc:rights>http://creativecommons.org/licenses/by/4.0/</dc:rights>
      <dc:creator>{escape(creators)}</dc:creator>
    </item>"""


def rss_listing(items: list[str], categories: str = "cs.CL") -> bytes:
    head = f"""<?xml version='1.0' encoding='UTF-8'?>
<rss xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:content="http://purl.org/rss/1.0/modules/content/" version="2.0">
  <channel>
    <title>{categories} updates on arXiv.org</title>
    <link>http://rss.arxiv.org/rss/{categories}</link>
    <description>{categories} updates on the arXiv.org e-print archive.</description>
    <atom:link href="https://rss.arxiv.org/rss/{categories}" rel="self" type="application/rss+xml"/>
    <docs>http://www.rssboard.org/rss-specification</docs>
    <language>en-us</language>
    <lastBuildDate>Wed, 12 Aug 2026 04:00:41 +0000</lastBuildDate>
    <managingEditor>rss-help@arxiv.org</managingEditor>
    <pubDate>Wed, 12 Aug 2026 00:00:00 -0400</pubDate>
    <skipDays>
      <day>Saturday</day>
      <day>Sunday</day>
    </skipDays>
"""
    return (head + "\n".join(items) + "\n  </channel>\n</rss>\n").encode("utf-8")


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title></channel></rss>
"""

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}
ATOM_TYPE = {"Content-Type": "application/atom+xml; charset=UTF-8"}
JSON_TYPE = {"Content-Type": "application/json; charset=utf-8"}
HTML_TYPE = {"Content-Type": "text/html; charset=utf-8"}
