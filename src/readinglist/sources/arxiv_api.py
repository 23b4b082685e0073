"""The arXiv API (``/api/query``): a search query or an id list, Atom with ``arxiv:`` extensions.

Pages are asked for with ``start``/``max_results`` and always with ``sortBy``/``sortOrder`` (an
unsorted order makes paging meaningless). ``totalResults`` is approximate, so paging also stops on
a short page; an empty page before the end (by the largest total any page gave: the empty page
itself may claim none) is retried up to three times. Entries repeated across pages are merged
by id. A malformed query answers HTTP 400 with a feed holding one "Error" entry whose id is under
``/api/errors``; its summary becomes the message (FEEDS.md §2). A withdrawal is a new version
whose comment gives the reason ("This paper has been withdrawn by the author ..."): the paper
is flagged withdrawn, never removed (FEEDS.md §6.8).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from xml.etree.ElementTree import Element

from readinglist.core.errors import InputError, SourceError
from readinglist.core.ids import abs_url, match_arxiv, normalise_doi, pdf_url
from readinglist.core.models import PaperRecord
from readinglist.core.text import clean_abstract, collapse, shorten
from readinglist.sources import ARXIV_QUERY
from readinglist.sources.base import FetchContext, FetchResult
from readinglist.sources.http import HttpResponse, expect_xml, status_error
from readinglist.sources.ratelimit import Pacer, arxiv_pacer
from readinglist.sources.tex import decode_name
from readinglist.sources.xml import ARXIV, ATOM, OPENSEARCH

DEFAULT_URL = "https://export.arxiv.org/api/query"
URL_ENV = "READINGLIST_ARXIV_API_URL"
PAGE_SIZE = 200
MAX_PER_CALL = 2000
MAX_RESULTS = 30000
EMPTY_PAGE_RETRIES = 3
SERVICE = "arXiv API"

_FEED = f"{{{ATOM}}}feed"
_ENTRY = f"{{{ATOM}}}entry"
_ID = f"{{{ATOM}}}id"
_TITLE = f"{{{ATOM}}}title"
_SUMMARY = f"{{{ATOM}}}summary"
_AUTHOR = f"{{{ATOM}}}author"
_NAME = f"{{{ATOM}}}name"
_CATEGORY = f"{{{ATOM}}}category"
_PUBLISHED = f"{{{ATOM}}}published"
_UPDATED = f"{{{ATOM}}}updated"
_LINK = f"{{{ATOM}}}link"
_PRIMARY = f"{{{ARXIV}}}primary_category"
_COMMENT = f"{{{ARXIV}}}comment"
_JOURNAL = f"{{{ARXIV}}}journal_ref"
_DOI = f"{{{ARXIV}}}doi"
_TOTAL = f"{{{OPENSEARCH}}}totalResults"
_START = f"{{{OPENSEARCH}}}startIndex"
_ID_SPLIT = re.compile(r"[\s,]+")
_WITHDRAWN = re.compile(
    r"\b(?:has|have) been withdrawn\b|\bha(?:s|ve) withdrawn (?:this|the|our) "
    r"(?:paper|article|submission|manuscript|work)\b|"
    r"^\W*(?:(?:paper|article|submission)\s+)?withdrawn\b", re.IGNORECASE)


@dataclass
class ApiPage:
    """One parsed response of the API."""

    total: int | None = None
    start: int | None = None
    entries: int = 0  # raw count, unusable entries included
    records: list[PaperRecord] = field(default_factory=list)
    error: str | None = None


def _day(text: str | None) -> date | None:
    if not text or len(text) < 10:
        return None
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        return None


def _int(text: str | None) -> int | None:
    try:
        return int((text or "").strip())
    except ValueError:
        return None


def record_from_entry(entry: Element, seen_at: datetime) -> PaperRecord | str | None:
    """An entry as a record; the error message for an error entry; None if unusable."""
    ident = title = summary = published = updated = comment = journal = doi = primary = None
    authors: list[str] = []
    categories: list[str] = []
    for child in entry:
        tag = child.tag
        if tag == _ID:
            ident = (child.text or "").strip()
        elif tag == _TITLE:
            title = child.text
        elif tag == _SUMMARY:
            summary = child.text
        elif tag == _AUTHOR:
            for part in child:
                if part.tag == _NAME and part.text:
                    name = decode_name(collapse(part.text))
                    if name:
                        authors.append(name)
        elif tag == _CATEGORY:
            term = child.get("term")
            if term:
                categories.append(term.strip())
        elif tag == _PUBLISHED:
            published = child.text
        elif tag == _UPDATED:
            updated = child.text
        elif tag == _PRIMARY:
            primary = child.get("term")
        elif tag == _COMMENT:
            comment = child.text
        elif tag == _JOURNAL:
            journal = child.text
        elif tag == _DOI:
            doi = child.text
        elif tag == _LINK and doi is None and child.get("title") == "doi":
            doi = child.get("href")
    if ident and "/api/errors" in ident:
        return collapse(summary) or collapse(title) or "the query was refused"
    ref = match_arxiv(ident) if ident else None
    if ref is None or ref.arxiv_id is None:
        return None
    arxiv_id = ref.arxiv_id
    return PaperRecord(
        key=ref.key, title=collapse(title), arxiv_id=arxiv_id, version=ref.version,
        doi=normalise_doi(doi) if doi else None, url=abs_url(arxiv_id),
        pdf_url=pdf_url(arxiv_id, ref.version), authors=tuple(authors),
        abstract=clean_abstract(summary), categories=tuple(dict.fromkeys(categories)),
        primary_category=(primary or (categories[0] if categories else None)),
        published=_day(published), updated=_day(updated),
        journal_ref=decode_name(collapse(journal)) or None, comment=collapse(comment) or None,
        withdrawn=True if comment and _WITHDRAWN.search(comment) else None,
        source=ARXIV_QUERY, seen_at=seen_at)


def parse_root(root: Element, seen_at: datetime, service: str = SERVICE) -> ApiPage:
    """Records and paging facts from a parsed API feed.

    Raises:
        SourceError: the document is not an Atom feed.
    """
    if root.tag != _FEED:
        raise SourceError(f"{service} sent XML that is not an Atom feed (root <{root.tag}>)")
    page = ApiPage()
    for child in root:
        tag = child.tag
        if tag == _ENTRY:
            page.entries += 1
            found = record_from_entry(child, seen_at)
            if isinstance(found, str):
                page.error = found
            elif found is not None:
                page.records.append(found)
        elif tag == _TOTAL:
            page.total = _int(child.text)
        elif tag == _START:
            page.start = _int(child.text)
    return page


def id_list(query: str) -> list[str] | None:
    """The ids if ``query`` is nothing but arXiv ids (comma or space separated), else None."""
    parts = [p for p in _ID_SPLIT.split(query.strip()) if p]
    refs = [match_arxiv(p) for p in parts]
    if not parts or not all(refs):
        return None
    return [f"{r.arxiv_id}v{r.version}" if r.version else str(r.arxiv_id)
            for r in refs if r is not None]


class ArxivQuery:
    """Search results or named papers from the arXiv API, paged and de-duplicated."""

    name = ARXIV_QUERY

    def __init__(self, base_url: str = DEFAULT_URL, pacer: Pacer | None = None,
                 page_size: int = PAGE_SIZE) -> None:
        self.endpoint = base_url
        self.pacer = pacer or arxiv_pacer()
        self.page_size = max(1, min(page_size, MAX_PER_CALL))

    def label(self, target: str) -> str:
        shown = shorten(target, 60)
        return f'{ARXIV_QUERY} "{shown}"'

    def _page(self, response: HttpResponse, ctx: FetchContext) -> ApiPage:
        if response.status == 400:
            try:
                page = parse_root(expect_xml(response, SERVICE), ctx.seen_at)
            except SourceError:
                raise status_error(response, SERVICE) from None
            raise SourceError(f"{SERVICE} refused the query: {page.error}" if page.error
                              else str(status_error(response, SERVICE)))
        if not response.ok:
            raise status_error(response, SERVICE)
        page = parse_root(expect_xml(response, SERVICE), ctx.seen_at)
        if page.error:
            raise SourceError(f"{SERVICE} refused the query: {page.error}")
        return page

    def fetch(self, ctx: FetchContext, query: str, max_results: int = 100) -> FetchResult:
        """Up to ``max_results`` papers, newest submissions first.

        Raises:
            InputError: an empty query or a maximum outside 1..30000.
            SourceError: HTTP failure, an error feed, malformed XML.
        """
        query = query.strip()
        if not query:
            raise InputError("the arXiv query is empty")
        if not 1 <= max_results <= MAX_RESULTS:
            raise InputError(f"--max must be between 1 and {MAX_RESULTS}")
        ids = id_list(query)
        base: dict[str, str | int] = {"id_list": ",".join(ids)} if ids else {"search_query": query}
        base.update(sortBy="submittedDate", sortOrder="descending")
        wanted = min(max_results, len(ids)) if ids else max_results
        collected: dict[str, PaperRecord] = {}
        skipped = start = retries = 0
        total: int | None = None  # the largest totalResults seen
        note = ""
        while len(collected) < wanted:
            ctx.check_cancel()
            size = min(self.page_size, wanted - len(collected))
            response = ctx.http.get(self.endpoint, params={**base, "start": start,
                                                           "max_results": size},
                                    accept="application/atom+xml", pacer=self.pacer,
                                    cancel=ctx.cancel)
            page = self._page(response, ctx)
            if page.total is not None:
                total = max(total or 0, page.total)
            if page.entries == 0:
                if total is None or start >= total:
                    break
                if retries < EMPTY_PAGE_RETRIES:
                    retries += 1
                    continue
                note = f"arXiv kept sending empty pages after {start} results; try again later"
                break
            retries = 0
            skipped += page.entries - len(page.records)
            for record in page.records:
                current = collected.get(record.key)
                if current is None or (record.version or 0) > (current.version or 0):
                    collected[record.key] = record
            start += page.entries
            if page.entries < size or (total is not None and start >= total):
                break
            ctx.report(f"{self.label(query)}: {len(collected)} papers so far")
        return FetchResult(tuple(list(collected.values())[:wanted]), skipped=skipped, note=note)
