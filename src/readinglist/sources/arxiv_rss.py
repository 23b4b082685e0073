"""arXiv's daily category listings: ``https://rss.arxiv.org/rss/cs.CL+q-bio.NC`` (RSS 2.0).

Each item's ``description`` reads ``arXiv:<id>v<N> Announce Type: <type> \\nAbstract: ...``; with
the ``guid`` (``oai:arXiv.org:<id>v<N>``) it is the only place holding the version. Authors come
as one comma-separated ``dc:creator`` string, sometimes with TeX accents. ``new`` and ``cross``
items are new papers; ``replace`` and ``replace-cross`` are new versions of older ones, which the
fetch service merges only into papers already in the library unless the user asks otherwise.
Weekends and holidays bring a complete channel with no items: "nothing today" (FEEDS.md §3).
The Atom variant (``/atom/...``) is read the same way.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from xml.etree.ElementTree import Element

from readinglist.core.errors import InputError, SourceError
from readinglist.core.ids import abs_url, match_arxiv, normalise_doi, pdf_url
from readinglist.core.models import PaperRecord
from readinglist.core.text import clean_abstract, collapse
from readinglist.sources import ARXIV_RSS
from readinglist.sources.base import FetchContext, FetchResult
from readinglist.sources.http import expect_xml, status_error
from readinglist.sources.ratelimit import Pacer, arxiv_pacer
from readinglist.sources.tex import decode_name
from readinglist.sources.xml import local

DEFAULT_URL = "https://rss.arxiv.org/rss"
URL_ENV = "READINGLIST_ARXIV_RSS_URL"
INBOX_TYPES = ("new", "cross")
REPLACE_TYPES = ("replace", "replace-cross")
SERVICE = "arXiv RSS"

_CATEGORY = re.compile(r"^[a-z]+(?:-[a-z]+)*(?:\.[A-Za-z]+(?:-[A-Za-z]+)*)?$")
_DESCRIPTION = re.compile(
    r"^\s*arXiv:(?P<id>\S+)\s+Announce Type:\s*(?P<type>[A-Za-z-]+)\s*"
    r"(?:Abstract:\s*(?P<abstract>.*))?$", re.DOTALL)
_AUTHOR_SPLIT = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+")


def validate_categories(categories: Sequence[str]) -> list[str]:
    """Category names, stripped and de-duplicated, in the order given.

    Raises:
        InputError: none given, or one that is not an arXiv archive or category name.
    """
    found = list(dict.fromkeys(c.strip() for c in categories if c.strip()))
    if not found:
        raise InputError("name at least one arXiv category (such as cs.CL or math)")
    bad = [c for c in found if not _CATEGORY.match(c)]
    if bad:
        raise InputError(f"not an arXiv category: {bad[0]!r} (expected a name such as cs.CL, "
                         "q-bio.NC or hep-th)")
    return found


def split_authors(creator: str) -> tuple[str, ...]:
    """``dc:creator``'s one string as names: accents decoded, whitespace collapsed."""
    text = decode_name(collapse(creator))
    return tuple(name for name in (n.strip() for n in _AUTHOR_SPLIT.split(text)) if name)


def _rfc822_day(text: str | None) -> date | None:
    if not text or not text.strip():
        return None
    try:
        return parsedate_to_datetime(text.strip()).date()
    except (TypeError, ValueError, IndexError):
        pass
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _primary(categories: Sequence[str], announce: str | None,
             requested: Sequence[str]) -> str | None:
    """The primary category when the listing makes it unambiguous, else None.

    A ``new``/``replace`` item is listed under its primary category, a ``cross``/``replace-cross``
    one under another, so the primary is the one requested category (or the one other).
    """
    def requested_here(category: str) -> bool:
        return any(category == r or category.split(".", 1)[0] == r for r in requested)

    inside = [c for c in categories if requested_here(c)]
    outside = [c for c in categories if not requested_here(c)]
    if announce in ("new", "replace"):
        return inside[0] if len(inside) == 1 else None
    if announce in ("cross", "replace-cross"):
        return outside[0] if len(outside) == 1 else None
    return None


def record_from_item(item: Element, seen_at: datetime,
                     requested: Sequence[str] = ()) -> PaperRecord | None:
    """One ``<item>`` (or Atom ``<entry>``) as a record; None without a usable arXiv id."""
    fields: dict[str, str] = {}
    categories: list[str] = []
    for child in item:
        name = local(child.tag)
        if name == "category":
            term = child.get("term") or child.text or ""
            if term.strip():
                categories.append(term.strip())
        elif name == "link" and child.get("href"):
            fields.setdefault("link", child.get("href", ""))
        elif name in ("DOI", "doi"):
            fields["doi"] = child.text or ""
        elif name in ("journal_reference", "journal_ref"):
            fields["journal"] = child.text or ""
        else:
            fields.setdefault(name, child.text or "")
    description = fields.get("description") or fields.get("summary") or ""
    described = _DESCRIPTION.match(description)
    ref = None
    for candidate in (fields.get("guid"), fields.get("id"),
                      f"arXiv:{described.group('id')}" if described else None,
                      fields.get("link")):
        ref = match_arxiv(candidate) if candidate else None
        if ref is not None and ref.arxiv_id:
            break
    if ref is None or ref.arxiv_id is None:
        return None
    version = ref.version
    if version is None and described:
        versioned = match_arxiv(f"arXiv:{described.group('id')}")
        version = versioned.version if versioned else None
    announce = (fields.get("announce_type") or (described.group("type") if described else "")
                ).strip().lower() or None
    abstract = (described.group("abstract") or "") if described else description
    day = _rfc822_day(fields.get("pubDate") or fields.get("published") or fields.get("updated"))
    replacing = announce in REPLACE_TYPES
    arxiv_id = ref.arxiv_id
    categories = list(dict.fromkeys(categories))
    doi = fields.get("doi")
    journal = fields.get("journal")
    return PaperRecord(
        key=ref.key, title=collapse(fields.get("title")), arxiv_id=arxiv_id, version=version,
        doi=normalise_doi(doi) if doi else None, url=abs_url(arxiv_id),
        pdf_url=pdf_url(arxiv_id, version), authors=split_authors(fields.get("creator", "")),
        abstract=clean_abstract(abstract), categories=tuple(categories),
        primary_category=_primary(categories, announce, requested),
        published=None if replacing else day, updated=day if replacing else None,
        journal_ref=(decode_name(collapse(journal)) or None) if journal else None,
        source=ARXIV_RSS, seen_at=seen_at, announce_type=announce)


def _combine(first: PaperRecord, second: PaperRecord) -> PaperRecord:
    """The same paper listed twice (a multi-category feed): one record, categories united."""
    keep, other = (second, first) if (second.version or 0) > (first.version or 0) else (
        first, second)
    announce = keep.announce_type
    if other.announce_type in INBOX_TYPES and announce not in INBOX_TYPES:
        announce = other.announce_type
    categories = tuple(dict.fromkeys(keep.categories + other.categories))
    return dataclasses.replace(keep, categories=categories, announce_type=announce,
                               primary_category=keep.primary_category or other.primary_category)


def parse_listing(root: Element, seen_at: datetime,
                  requested: Sequence[str] = ()) -> tuple[list[PaperRecord], int]:
    """Records of a parsed listing and how many items were unusable.

    Raises:
        SourceError: the document is neither an RSS channel nor an Atom feed.
    """
    kind = local(root.tag)
    if kind == "rss":
        channel = next((c for c in root if local(c.tag) == "channel"), None)
        if channel is None:
            raise SourceError(f"{SERVICE} sent an RSS document without a channel")
        items = [c for c in channel if local(c.tag) == "item"]
    elif kind == "feed":
        items = [c for c in root if local(c.tag) == "entry"]
    else:
        raise SourceError(f"{SERVICE} sent XML that is not a listing (root <{kind}>)")
    kept: dict[str, PaperRecord] = {}
    skipped = 0
    for item in items:
        record = record_from_item(item, seen_at, requested)
        if record is None:
            skipped += 1
            continue
        current = kept.get(record.key)
        kept[record.key] = record if current is None else _combine(current, record)
    return list(kept.values()), skipped


class ArxivRss:
    """One request for a listing of one or more categories."""

    name = ARXIV_RSS

    def __init__(self, base_url: str = DEFAULT_URL, pacer: Pacer | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.pacer = pacer or arxiv_pacer()

    def url_for(self, categories: Sequence[str]) -> str:
        return f"{self.base_url}/{'+'.join(categories)}"

    def label(self, target: str) -> str:
        return f"{ARXIV_RSS} {target}"

    def fetch(self, ctx: FetchContext, categories: Sequence[str]) -> FetchResult:
        """Today's listing of ``categories`` (a conditional GET: unchanged costs nothing).

        Raises:
            InputError: a malformed category name.
            SourceError: HTTP failure, an HTML page, malformed or unsafe XML.
        """
        wanted = validate_categories(categories)
        url = self.url_for(wanted)
        ctx.check_cancel()
        response = ctx.http.get(url, accept="application/rss+xml, application/xml;q=0.9",
                                pacer=self.pacer, validators=ctx.validators_for(url),
                                cancel=ctx.cancel)
        if response.not_modified:
            return FetchResult(not_modified=True, note="unchanged since the last fetch")
        if not response.ok:
            raise status_error(response, SERVICE)
        records, skipped = parse_listing(expect_xml(response, SERVICE, strict=False),
                                         ctx.seen_at, wanted)
        note = "" if records or skipped else "no announcements (weekend or holiday)"
        return FetchResult(tuple(records), skipped=skipped, note=note,
                           validators=((url, response.validators),))
