"""Any feed a user follows (journals, blogs, preprint servers): RSS 2.0, RSS 1.0/RDF or Atom.

arXiv ids and DOIs found in an item's links, ids, ``dc:identifier`` or ``prism:doi`` become the
paper's key, so the same paper merges with its arXiv or journal record; other items are keyed by
their link. A version in a link is not taken as the paper's version: a third-party feed names a
paper, it is no authority on its metadata (the fetch service adds only what the library lacks).
Descriptions are HTML by convention: they are reduced to plain text here, never kept as markup
(nothing an item says can make the app load an image or follow a link).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from readinglist.core.errors import InputError, InvalidIdError, SourceError
from readinglist.core.ids import PaperRef, key_for, match_arxiv, normalise_doi, pdf_url
from readinglist.core.models import PaperRecord
from readinglist.core.text import clean_abstract, collapse
from readinglist.sources import RSS
from readinglist.sources.base import FetchContext, FetchResult, dedupe
from readinglist.sources.http import expect_xml, status_error
from readinglist.sources.tex import decode_name
from readinglist.sources.xml import local, text_of

_MARKUP = re.compile(r"<[A-Za-z/!]")
_ARXIV_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)*\.[A-Za-z]+(?:-[A-Za-z]+)*$")
_RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
_DATE_FIELDS = ("pubDate", "published", "date", "issued", "created", "publicationDate",
                "coverDate", "updated", "modified")


class _TextOnly(HTMLParser):
    """Collects the text of an HTML fragment; scripts, styles and embedded objects dropped."""

    SKIP = frozenset({"script", "style", "noscript", "template", "iframe", "object", "svg",
                      "math", "head"})
    BREAK = frozenset({"br", "li", "tr", "dt", "dd"})
    PARAGRAPH = frozenset({"p", "div", "blockquote", "pre", "h1", "h2", "h3", "h4", "h5", "h6",
                           "ul", "ol", "table", "section", "article", "figure", "hr"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self.skipping += 1
        elif tag in self.PARAGRAPH:
            self.parts.append("\n\n")
        elif tag in self.BREAK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in self.PARAGRAPH:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """The text of an HTML fragment, paragraphs kept; plain text passes through unchanged."""
    if not markup or not _MARKUP.search(markup):
        return markup or ""
    parser = _TextOnly()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def _day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None


def _doi(text: str) -> str | None:
    text = text.strip()
    if text.lower().startswith("info:doi/"):
        text = text[len("info:doi/"):]
    return normalise_doi(text)


class _Item:
    """The parts of one item or entry that matter, read by local name (namespaces vary)."""

    def __init__(self, element: Element) -> None:
        self.title = ""
        self.links: list[str] = []
        self.ids: list[str] = []
        self.dois: list[str] = []
        self.text = ""
        self.content = ""
        self.authors: list[str] = []
        self.dates: dict[str, str] = {}
        self.categories: list[str] = []
        self.journal = ""
        for child in element:
            self._read(child)

    def _read(self, child: Element) -> None:
        name = local(child.tag)
        if name == "title":
            self.title = self.title or text_of(child)
        elif name == "link":
            href = child.get("href") or (child.text or "").strip()
            rel = child.get("rel", "alternate")
            if href and rel in ("alternate", "related", ""):
                if rel == "alternate":
                    self.links.insert(0, href)
                else:
                    self.links.append(href)
        elif name in ("guid", "id", "identifier"):
            value = (child.text or "").strip()
            if value:
                self.ids.append(value)
        elif name in ("doi", "DOI"):
            if child.text and child.text.strip():
                self.dois.append(child.text.strip())
        elif name == "url":  # prism:url
            if child.text and child.text.strip():
                self.links.append(child.text.strip())
        elif name in ("description", "summary", "abstract"):
            self.text = self.text or text_of(child)
        elif name in ("encoded", "content"):
            self.content = self.content or text_of(child)
        elif name == "creator":
            if child.text and child.text.strip():
                self.authors.append(child.text)
        elif name == "author":
            names = [text_of(c) for c in child if local(c.tag) == "name"]
            raw = names[0] if names else (child.text or "")
            found = _RSS_AUTHOR.match(raw)
            raw = found.group("name") if found else raw
            if raw.strip() and "@" not in raw:
                self.authors.append(raw)
        elif name in _DATE_FIELDS:
            if child.text and child.text.strip():
                self.dates.setdefault(name, child.text)
        elif name in ("category", "subject"):
            term = child.get("term") or child.text or ""
            if term.strip():
                self.categories.append(term.strip())
        elif name in ("publicationName", "journal_ref", "journal_reference"):
            self.journal = self.journal or collapse(child.text)

    def arxiv(self) -> PaperRef | None:
        for candidate in self.ids + self.links:
            if "arxiv" in candidate.lower():
                ref = match_arxiv(candidate)
                if ref is not None and ref.arxiv_id:
                    return ref
        return None

    def doi(self) -> str | None:
        for candidate in self.dois + self.ids:
            found = _doi(candidate)
            if found:
                return found
        for link in self.links:
            host = (urlsplit(link).hostname or "").lower()
            if host in ("doi.org", "dx.doi.org"):
                found = normalise_doi(link)
                if found:
                    return found
        return None

    def url(self) -> str | None:
        for candidate in self.links + self.ids:
            if candidate.lower().startswith(("http://", "https://")):
                return candidate
        return None

    def published(self) -> date | None:
        for name in _DATE_FIELDS:
            if name in self.dates:
                found = _day(self.dates[name])
                if found:
                    return found
        return None


def record_from_item(element: Element, seen_at: datetime) -> PaperRecord | None:
    """One item or entry as a record; None if it names nothing we can key."""
    item = _Item(element)
    ref = item.arxiv()
    doi = item.doi()
    if ref is None and doi:
        arxiv_doi = match_arxiv(doi)  # 10.48550/arXiv.<id>
        ref = arxiv_doi if arxiv_doi and arxiv_doi.arxiv_id else None
    url = item.url()
    arxiv_id = ref.arxiv_id if ref else None
    try:
        key = key_for(arxiv_id, doi, url)
    except InvalidIdError:
        return None
    if doi and doi.startswith("10.48550/"):
        doi = None  # arXiv's own DOI adds nothing to the arXiv id
    authors = tuple(a for a in (decode_name(collapse(n)) for n in item.authors) if a)
    if len(authors) == 1 and "," in authors[0] and ref is not None:
        authors = tuple(a.strip() for a in authors[0].split(",") if a.strip())
    categories = tuple(dict.fromkeys(c for c in item.categories if _ARXIV_CATEGORY.match(c)))
    return PaperRecord(
        key=key, title=collapse(html_to_text(item.title)), arxiv_id=arxiv_id,
        doi=doi, url=url, pdf_url=pdf_url(arxiv_id) if arxiv_id else None,
        authors=authors, abstract=clean_abstract(html_to_text(item.text or item.content)),
        categories=categories, published=item.published(),
        journal_ref=item.journal or None, source=RSS, seen_at=seen_at)


def parse_feed(root: Element, seen_at: datetime, service: str) -> tuple[list[PaperRecord], int]:
    """Records of a parsed feed and how many items could not be keyed.

    Raises:
        SourceError: the document is not RSS, RDF or Atom.
    """
    kind = local(root.tag)
    if kind == "rss":
        channel = next((c for c in root if local(c.tag) == "channel"), None)
        if channel is None:
            raise SourceError(f"{service} sent an RSS document without a channel")
        items = [c for c in channel if local(c.tag) == "item"]
    elif kind == "RDF":
        items = [c for c in root if local(c.tag) == "item"]
    elif kind == "feed":
        items = [c for c in root if local(c.tag) == "entry"]
    else:
        raise SourceError(f"{service} sent XML that is not an RSS or Atom feed (root <{kind}>)")
    records = []
    for element in items:
        record = record_from_item(element, seen_at)
        if record is not None:
            records.append(record)
    return dedupe(records), len(items) - len(records)


def validate_url(url: str) -> str:
    """A feed address: http(s) with a host.

    Raises:
        InputError: anything else.
    """
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InputError(f"not a feed address: {url!r} (expected an http:// or https:// URL)")
    return url


class RssFeed:
    """Fetching one feed by URL (a conditional GET: an unchanged feed costs nothing)."""

    name = RSS

    def label(self, target: str) -> str:
        return f"{RSS} {target}"

    def fetch(self, ctx: FetchContext, url: str) -> FetchResult:
        """Every keyable item of the feed at ``url``.

        Raises:
            InputError: not an http(s) URL.
            SourceError: HTTP failure, an HTML page, malformed or unsafe XML, not a feed.
        """
        url = validate_url(url)
        ctx.check_cancel()
        response = ctx.http.get(
            url, accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, "
                        "text/xml;q=0.8, */*;q=0.1",
            validators=ctx.validators_for(url), cancel=ctx.cancel)
        if response.not_modified:
            return FetchResult(not_modified=True, note="unchanged since the last fetch")
        if not response.ok:
            raise status_error(response)
        root = expect_xml(response, strict=False)
        records, skipped = parse_feed(root, ctx.seen_at, response.host)
        return FetchResult(tuple(records), skipped=skipped,
                           validators=((url, response.validators),))
