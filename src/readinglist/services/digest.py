"""A digest of what arrived: the top new papers as Markdown or HTML, for a morning e-mail, a
notes vault or a cron job — no server involved.

Everything from the feeds is text, never markup: titles, authors and abstracts are escaped for
the output format, so an abstract containing ``![x](http://…)`` or ``<img src=…>`` stays text.
"""

from __future__ import annotations

import dataclasses
import html
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from readinglist.core.errors import InputError
from readinglist.core.models import Paper
from readinglist.core.text import counted, first_authors, shorten

if TYPE_CHECKING:
    from readinglist.services.library import Library

FORMATS = ("markdown", "html")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9])")
# links, images, autolinks, HTML, code and emphasis; what only matters at a line start is
# handled in ``md_escape``
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~]|&(?=#?[0-9A-Za-z]+;))")  # &amp; too
_LINE_START = re.compile(r"^(\s*)(?:([#+\-=>])|(\d+)([.)]))", re.MULTILINE)
_CLOSING_HASHES = re.compile(r"(\s)(#+\s*)$", re.MULTILINE)  # a heading's end would drop them


@dataclass(frozen=True, slots=True)
class Digest:
    """The ``papers`` (best first) out of ``total`` that arrived since ``since``."""

    since: datetime
    papers: tuple[Paper, ...]
    total: int


def build_digest(library: Library, since: datetime, top: int = 20, view: str = "inbox",
                 tag: str | None = None, query: str | None = None) -> Digest:
    """The ``top`` papers first seen since ``since`` in a view, ranked by Hugging Face upvotes,
    then newest first.

    Raises:
        InputError: ``top`` below 1, or a bad view or query.
    """
    if top < 1:
        raise InputError("--top must be at least 1")
    flt = dataclasses.replace(library.make_filter(view, tag=tag, query=query), added_since=since)
    total = library.count(flt)
    ids = library.ids(flt, "upvotes", True, top)
    return Digest(since, tuple(library.papers_by_ids(ids)), total)


def lead(abstract: str, sentences: int = 2, limit: int = 400) -> str:
    """The first sentences of an abstract, at most ``limit`` characters."""
    text = " ".join(abstract.split())
    parts = _SENTENCE_END.split(text)
    short = " ".join(parts[:sentences])
    if len(short) > limit:
        short = short[:limit].rsplit(" ", 1)[0] + "…"
    elif len(parts) > sentences:
        short += " …"
    return short


def _authors(paper: Paper) -> str:
    return first_authors(paper.authors, 3)


def _facts(paper: Paper) -> list[str]:
    facts = []
    if paper.hf_upvotes:
        facts.append(f"▲ {paper.hf_upvotes}")
    if paper.primary_category:
        facts.append(paper.primary_category)
    if paper.arxiv_id:
        facts.append(f"arXiv {paper.arxiv_id}" + (f" v{paper.version}" if paper.version else ""))
    if paper.published:
        facts.append(paper.published.isoformat())
    return facts


def _heading(digest: Digest) -> tuple[str, str]:
    shown = len(digest.papers)
    day = digest.since.date().isoformat()
    title = f"readinglist digest — {datetime.now().date().isoformat()}"
    if not digest.total:
        return title, f"No new papers since {day}."
    count = f"{counted(digest.total, 'new paper')} since {day}"
    return title, count + (f"; the top {shown} by Hugging Face upvotes" if shown < digest.total
                           else "")


def subject(digest: Digest) -> str:
    """A mail subject: ``readinglist: 23 new papers — Sparse Mixtures of …``."""
    count = counted(digest.total, "new paper")
    if not digest.papers:
        return f"readinglist: {count}"
    top = " ".join(digest.papers[0].title.split())
    return f"readinglist: {count} — {shorten(top, 60)}"


def md_escape(text: str) -> str:
    """``text`` with the Markdown that could change how it renders escaped: it cannot make a
    link, an image, HTML, code or emphasis, nor start a heading or a list."""
    escaped = _CLOSING_HASHES.sub(r"\1\\\2", _MARKDOWN_SPECIAL.sub(r"\\\1", text))
    return _LINE_START.sub(
        lambda m: f"{m.group(1)}\\{m.group(2)}" if m.group(2)
        else f"{m.group(1)}{m.group(3)}\\{m.group(4)}", escaped)


def safe_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) address (with ``<``, ``>``, quotes and spaces
    percent-encoded), else None: a feed cannot smuggle in ``javascript:`` or break out of a
    link."""
    if not url or not url.lower().startswith(("http://", "https://")):
        return None
    for raw, encoded in (("<", "%3C"), (">", "%3E"), (" ", "%20"), ('"', "%22"), ("'", "%27")):
        url = url.replace(raw, encoded)
    return url


def to_markdown(digest: Digest) -> str:
    """The digest as CommonMark."""
    title, summary = _heading(digest)
    lines = [f"# {md_escape(title)}", "", md_escape(summary), ""]
    for number, paper in enumerate(digest.papers, start=1):
        lines.append(f"## {number}. {md_escape(' '.join(paper.title.split()))}")  # one line
        lines.append("")
        page, pdf = safe_url(paper.url), safe_url(paper.pdf_url)
        links = [f"[abstract](<{page}>)" if page else "", f"[PDF](<{pdf}>)" if pdf else ""]
        byline = " · ".join([md_escape(_authors(paper)), *map(md_escape, _facts(paper)),
                             *filter(None, links)])
        lines += [byline, ""]
        if paper.abstract:
            lines += [f"> {md_escape(lead(paper.abstract))}", ""]
        if paper.tags:
            lines += [f"Tags: {md_escape(', '.join(paper.tags))}", ""]
    return "\n".join(lines).rstrip() + "\n"


def to_html(digest: Digest) -> str:
    """The digest as a self-contained HTML page (no scripts, no remote resources)."""
    e = html.escape
    title, summary = _heading(digest)
    parts = ["<!DOCTYPE html>", '<html><head><meta charset="utf-8">',
             f"<title>{e(title)}</title>",
             "<style>body{font:15px/1.45 system-ui,sans-serif;max-width:46em;margin:2em auto;"
             "padding:0 1em;color:#222}h2{font-size:1.1em;margin:1.6em 0 .2em}"
             ".by{color:#555;font-size:.92em}blockquote{margin:.5em 0;color:#333}</style>",
             f"</head><body><h1>{e(title)}</h1><p>{e(summary)}</p>"]
    for number, paper in enumerate(digest.papers, start=1):
        page, pdf = safe_url(paper.url), safe_url(paper.pdf_url)
        name = f'<a href="{e(page)}">{e(paper.title)}</a>' if page else e(paper.title)
        facts = " · ".join(e(f) for f in [_authors(paper), *_facts(paper)])
        if pdf:
            facts += f' · <a href="{e(pdf)}">PDF</a>'
        parts.append(f'<h2>{number}. {name}</h2><div class="by">{facts}</div>')
        if paper.abstract:
            parts.append(f"<blockquote>{e(lead(paper.abstract))}</blockquote>")
        if paper.tags:
            parts.append(f'<div class="by">Tags: {e(", ".join(paper.tags))}</div>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


def render(digest: Digest, fmt: str) -> str:
    """``digest`` in ``fmt`` (markdown or html)."""
    if fmt == "markdown":
        return to_markdown(digest)
    if fmt == "html":
        return to_html(digest)
    raise InputError(f"unknown digest format {fmt!r} (use one of {', '.join(FORMATS)})")

