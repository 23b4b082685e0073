"""Hugging Face Daily Papers: ``GET /api/daily_papers?date=YYYY-MM-DD&limit=100&p=N``.

The answer is a bare JSON array of items, each wrapping the paper in ``paper``. Pages hold at
most ``limit`` (<= 100) items; ``p`` counts pages from 0 and the last page is the first short
one. Weekends and holidays are an empty array, not an error. The day a paper was listed is
``paper.submittedOnDailyAt``; the outer ``publishedAt`` is a shifted copy of the arXiv date and
is ignored (FEEDS.md §1).
"""

from __future__ import annotations

import logging
from datetime import date, datetime
from typing import Any

from readinglist.core.errors import SourceError
from readinglist.core.ids import abs_url, match_arxiv, pdf_url
from readinglist.core.models import PaperRecord
from readinglist.core.text import clean_abstract, collapse
from readinglist.sources import HF_DAILY
from readinglist.sources.base import FetchContext, FetchResult, dedupe
from readinglist.sources.http import expect_json, status_error
from readinglist.sources.tex import decode_name

log = logging.getLogger(__name__)

DEFAULT_URL = "https://huggingface.co"
URL_ENV = "READINGLIST_HF_URL"
PAGE_LIMIT = 100  # the API refuses more
MAX_PAGES = 200
SERVICE = "Hugging Face"


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(*values: Any) -> str:
    for value in values:
        if isinstance(value, str) and value.strip():
            return value
    return ""


def record_from_item(item: Any, day: date | None, seen_at: datetime) -> PaperRecord | None:
    """A daily-papers item (or a flat ``/api/papers/{id}`` object) as a record; None if unusable."""
    if not isinstance(item, dict):
        return None
    paper = item.get("paper")
    if not isinstance(paper, dict):
        paper = item if "id" in item else None
    if paper is None:
        return None
    raw_id = paper.get("id")
    ref = match_arxiv(raw_id) if isinstance(raw_id, str) else None
    if ref is None or ref.arxiv_id is None:
        return None
    title = collapse(_text(paper.get("title"), item.get("title")))
    if not title:
        return None
    authors = tuple(
        decode_name(collapse(a["name"])) for a in paper.get("authors") or ()
        if isinstance(a, dict) and isinstance(a.get("name"), str) and a["name"].strip())
    upvotes = paper.get("upvotes")
    if not isinstance(upvotes, int) or isinstance(upvotes, bool):
        upvotes = None
    return PaperRecord(
        key=ref.key, title=title, arxiv_id=ref.arxiv_id, version=ref.version,
        url=abs_url(ref.arxiv_id), pdf_url=pdf_url(ref.arxiv_id, ref.version), authors=authors,
        abstract=clean_abstract(_text(paper.get("summary"), item.get("summary"))),
        published=_day(paper.get("publishedAt")), hf_upvotes=upvotes,
        withdrawn=True if paper.get("withdrawnAt") else None, source=HF_DAILY, seen_at=seen_at,
        listed_on=_day(paper.get("submittedOnDailyAt")) or day)


def parse_items(data: Any, day: date | None, seen_at: datetime) -> tuple[list[PaperRecord], int]:
    """Records from one decoded page and how many items were unusable.

    Raises:
        SourceError: an error object or anything but a list of items.
    """
    if isinstance(data, dict) and "error" in data:
        raise SourceError(f"{SERVICE} refused the request: {collapse(str(data['error']))}")
    if not isinstance(data, list):
        raise SourceError(f"{SERVICE} sent a JSON {type(data).__name__} where a list of papers "
                          "was expected")
    records = []
    for item in data:
        record = record_from_item(item, day, seen_at)
        if record is not None:
            records.append(record)
    skipped = len(data) - len(records)
    if data and not records:
        raise SourceError(f"{SERVICE} sent {len(data)} items, none of them in the expected "
                          "shape (has the API changed?)")
    return records, skipped


class HfDaily:
    """The daily list of one day, all pages of it."""

    name = HF_DAILY

    def __init__(self, base_url: str = DEFAULT_URL) -> None:
        self.endpoint = base_url.rstrip("/") + "/api/daily_papers"

    def label(self, target: str) -> str:
        return f"{HF_DAILY} {target}"

    def fetch_day(self, ctx: FetchContext, day: date) -> FetchResult:
        """Every paper listed on ``day``.

        Raises:
            SourceError: HTTP failure, an error object, or malformed JSON on any page.
        """
        records: list[PaperRecord] = []
        keys: set[str] = set()
        skipped = 0
        for page in range(MAX_PAGES):
            ctx.check_cancel()
            if page:
                ctx.report(f"{self.label(day.isoformat())}: page {page + 1}")
            response = ctx.http.get(
                self.endpoint, params={"date": day.isoformat(), "limit": PAGE_LIMIT, "p": page},
                accept="application/json", cancel=ctx.cancel)
            if not response.ok:
                raise status_error(response, SERVICE)
            data = expect_json(response, SERVICE)
            found, bad = parse_items(data, day, ctx.seen_at)
            skipped += bad
            fresh = {r.key for r in found} - keys
            records.extend(found)
            keys.update(fresh)
            if len(data) < PAGE_LIMIT:
                break
            if not fresh:
                log.warning("%s repeated page %d of %s; stopping", SERVICE, page, day)
                break
        else:
            log.warning("%s: stopped after %d pages for %s", SERVICE, MAX_PAGES, day)
        if skipped:
            log.warning("%s %s: %d malformed items skipped", SERVICE, day, skipped)
        return FetchResult(tuple(dedupe(records)), skipped=skipped)
