"""Any feed a user follows (journals, blogs, preprint servers): RSS 2.0, RSS 1.0/RDF or Atom.

arXiv ids and DOIs found in an item's links, ids, ``dc:identifier`` or ``prism:doi`` become the
paper's key, so the same paper merges with its arXiv or journal record (a Hugging Face paper page,
``huggingface.co/papers/<id>``, names an arXiv paper too); other items are keyed by their link,
made absolute against ``xml:base`` and the feed's address. A version in a link is not taken as
the paper's version: a third-party feed names a paper, it is no authority on its metadata (the
fetch service adds only what the library lacks). An arXiv listing followed as a feed
(``rss.arxiv.org``) is read as ``arxiv_rss`` reads it, and paced like every request to arXiv.
Descriptions are HTML by convention: they are reduced to plain text here, never kept as markup
(nothing an item says can make the app load an image or follow a link).
"""

from __future__ import annotations

import dataclasses
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit
from xml.etree.ElementTree import Element

from readinglist.core.errors import InputError, InvalidIdError, SourceError
from readinglist.core.ids import PaperRef, key_for, match_arxiv, normalise_doi, pdf_url
from readinglist.core.models import PaperRecord
from readinglist.core.text import clean_abstract, collapse
from readinglist.sources import RSS, arxiv_rss
from readinglist.sources.base import FetchContext, FetchResult, dedupe
from readinglist.sources.http import expect_xml, status_error
from readinglist.sources.ratelimit import arxiv_pacer
from readinglist.sources.tex import decode_name
from readinglist.sources.xml import XML_BASE, local, text_of

_MARKUP = re.compile(r"<[A-Za-z/!]")
_ARXIV_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)*\.[A-Za-z]+(?:-[A-Za-z]+)*$")
_RSS_AUTHOR = re.compile(r"^\s*\S+@\S+\s*\((?P<name>[^)]+)\)\s*$")
_HF_PAPER = re.compile(r"^https?://(?:www\.)?huggingface\.co/papers/(?P<id>\d{4}\.\d{4,5})"
                       r"(?:v\d+)?(?:[/?#]|$)", re.IGNORECASE)
_DAY_MONTH_YEAR = re.compile(r"(?:^|[\s,])(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]{3})[A-Za-z]*\.?,?"
                             r"\s+(?P<year>\d{4})\b")
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
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
        pass
    found = _DAY_MONTH_YEAR.search(text)  # RFC 822 without a time: "Thu, 13 Aug 2026"
    month = _MONTHS.get(found.group("month").lower()) if found else None
    if found is None or month is None:
        return None
    try:
        return date(int(found.group("year")), month, int(found.group("day")))
    except ValueError:
        return None


def _base(element: Element, parent: str) -> str:
    """``parent`` resolved with the element's ``xml:base``, if it has one."""
    own = (element.get(XML_BASE) or "").strip()
    return urljoin(parent, own) if own else parent


def _absolute(href: str, base: str) -> str:
    """``href`` resolved against ``base`` when it is relative (and there is a base)."""
    return urljoin(base, href) if base and not urlsplit(href).scheme else href


def _doi(text: str) -> str | None:
    text = text.strip()
    if text.lower().startswith("info:doi/"):
        text = text[len("info:doi/"):]
    return normalise_doi(text)


class _Item:
    """The parts of one item or entry that matter, read by local name (namespaces vary)."""

    def __init__(self, element: Element, base: str = "") -> None:
        self.base = base
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
            href = (child.get("href") or child.text or "").strip()
            rel = child.get("rel", "alternate")
            if href and rel in ("alternate", "related", ""):
                href = _absolute(href, _base(child, self.base))
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
                self.links.append(_absolute(child.text.strip(), _base(child, self.base)))
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
        for link in self.links:
            found = _HF_PAPER.match(link)
            if found:
                return match_arxiv(found.group("id"))
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


def record_from_item(element: Element, seen_at: datetime, base: str = "") -> PaperRecord | None:
    """One item or entry as a record; None if it names nothing we can key.

    ``base`` is the address relative links are resolved against (``xml:base`` of the item's
    ancestors already applied)."""
    item = _Item(element, _base(element, base))
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


def _from_arxiv_listing(element: Element) -> bool:
    """True for an item of arXiv's own listings (its guid or id is ``oai:arXiv.org:<id>``)."""
    return any(local(c.tag) in ("guid", "id") and (c.text or "").strip().lower().startswith(
        "oai:arxiv.org:") for c in element)


def parse_feed(root: Element, seen_at: datetime, service: str,
               url: str = "") -> tuple[list[PaperRecord], int]:
    """Records of a parsed feed and how many items could not be keyed.

    ``url`` is the feed's own address, against which relative links are resolved.

    Raises:
        SourceError: the document is not RSS, RDF or Atom.
    """
    kind = local(root.tag)
    base = _base(root, url)
    if kind == "rss":
        channel = next((c for c in root if local(c.tag) == "channel"), None)
        if channel is None:
            raise SourceError(f"{service} sent an RSS document without a channel")
        base = _base(channel, base)
        items = [c for c in channel if local(c.tag) == "item"]
    elif kind == "RDF":
        items = [c for c in root if local(c.tag) == "item"]
    elif kind == "feed":
        items = [c for c in root if local(c.tag) == "entry"]
    else:
        raise SourceError(f"{service} sent XML that is not an RSS or Atom feed (root <{kind}>)")
    records = []
    for element in items:
        if _from_arxiv_listing(element):
            record = arxiv_rss.record_from_item(element, seen_at)
            record = dataclasses.replace(record, source=RSS) if record is not None else None
        else:
            record = record_from_item(element, seen_at, base)
        if record is not None:
            records.append(record)
    return dedupe(records), len(items) - len(records)


def _on_arxiv(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    return host == "arxiv.org" or host.endswith(".arxiv.org")


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
            pacer=arxiv_pacer() if _on_arxiv(url) else None,
            validators=ctx.validators_for(url), cancel=ctx.cancel)
        if response.not_modified:
            return FetchResult(not_modified=True, note="unchanged since the last fetch")
        if not response.ok:
            raise status_error(response)
        root = expect_xml(response, strict=False)
        records, skipped = parse_feed(root, ctx.seen_at, response.host, response.url)
        return FetchResult(tuple(records), skipped=skipped,
                           validators=((url, response.validators),))
