"""Fetching papers into the library: the use case behind ``readinglist fetch`` and app refresh.

Each fetch of one source (one Hugging Face day, one arXiv listing, one query, one feed) is one
transaction through ``Library.merge_records``: a source that fails changes nothing, and the
others in the same run still complete. Triage state is never touched. Conditional-GET validators
are stored (table ``fetch_state``) only after the merge they belong to has committed, so a failed
merge can never make the next fetch skip data it did not keep.

Thread-safe: the app calls it from a worker thread; ``cancel`` stops a run between requests and
during waits.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from readinglist.core.errors import InputError, ReadinglistError
from readinglist.core.models import PaperRecord, Revision
from readinglist.core.text import counted
from readinglist.services.config import Settings
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths
from readinglist.sources import (
    ARXIV_QUERY,
    ARXIV_RSS,
    HF_DAILY,
    RSS,
    arxiv_api,
    arxiv_rss,
    hf_daily,
)
from readinglist.sources.arxiv_api import ArxivQuery
from readinglist.sources.arxiv_rss import REPLACE_TYPES, ArxivRss, validate_categories
from readinglist.sources.base import FetchContext, FetchResult
from readinglist.sources.hf_daily import HfDaily
from readinglist.sources.http import HttpClient, HttpConfig, Validators
from readinglist.sources.ratelimit import Cancelled
from readinglist.sources.rss import RssFeed, validate_url

log = logging.getLogger(__name__)

Progress = Callable[[str], None]
HF_LAST_DAY = "fetch:hf-daily:last-day"  # meta key: the latest day fetched with no gap before it
_CHUNK = 500


@dataclass(frozen=True)
class SourceResult:
    """What one fetch of one source did to the library."""

    label: str
    source: str
    new: int = 0
    updated: int = 0
    error: str | None = None
    new_keys: tuple[str, ...] = ()
    note: str = ""
    revised: tuple[Revision, ...] = ()  # papers already here that got a newer arXiv version

    @property
    def ok(self) -> bool:
        return self.error is None

    def summary(self) -> str:
        """One line for people: ``hf-daily 2026-08-11: 12 new, 3 updated``."""
        if self.error is not None:
            return f"{self.label}: failed: {self.error}"
        line = f"{self.label}: {self.new} new, {self.updated} updated"
        return f"{line} ({self.note})" if self.note else line


def _endpoint(env: str, default: str) -> str:
    return (os.environ.get(env) or "").strip() or default


class FetchService:
    """Fetches subscriptions and one-off sources into a library."""

    def __init__(self, library: Library, settings: Settings, paths: LibraryPaths) -> None:
        self.library = library
        self.settings = settings
        self.paths = paths
        self.http = HttpClient(HttpConfig.from_env())
        self.hf = HfDaily(_endpoint(hf_daily.URL_ENV, hf_daily.DEFAULT_URL))
        self.arxiv_rss = ArxivRss(_endpoint(arxiv_rss.URL_ENV, arxiv_rss.DEFAULT_URL))
        self.arxiv_query = ArxivQuery(_endpoint(arxiv_api.URL_ENV, arxiv_api.DEFAULT_URL))
        self.rss = RssFeed()
        self.today: Callable[[], date] = lambda: datetime.now(UTC).date()

    def close(self) -> None:
        self.http.close()

    # -- the public use cases ------------------------------------------------------------------

    def fetch_subscriptions(self, progress: Progress | None = None,
                            cancel: threading.Event | None = None) -> list[SourceResult]:
        """Every enabled subscription. Hugging Face backfills the days missed since the last
        run (up to ``settings.hf_backfill_days``); all arXiv categories share one request."""
        subscriptions = [s for s in self.library.subscriptions() if s.enabled]
        results: list[SourceResult] = []
        if any(s.kind == HF_DAILY for s in subscriptions):
            results.extend(self._hf_backfill(progress, cancel))
        categories = [s.target for s in subscriptions if s.kind == ARXIV_RSS]
        if categories and not _cancelled(cancel):
            results.append(self._arxiv_listing(categories, progress, cancel))
        for subscription in subscriptions:
            if _cancelled(cancel):
                break
            if subscription.kind == RSS:
                results.append(self._feed(subscription.target, progress, cancel))
            elif subscription.kind not in (HF_DAILY, ARXIV_RSS):
                results.append(SourceResult(subscription.key, subscription.kind,
                                            error=f"unknown kind of feed {subscription.kind!r}"))
        return results

    def fetch_hf_daily(self, start: date, end: date | None = None,
                       progress: Progress | None = None,
                       cancel: threading.Event | None = None) -> list[SourceResult]:
        """The Hugging Face lists of ``start`` through ``end`` (inclusive), one result per day.

        Raises:
            InputError: ``end`` before ``start``.
        """
        end = end or start
        if end < start:
            raise InputError(f"the range ends ({end}) before it starts ({start})")
        results = []
        for day in _days(start, end):
            if _cancelled(cancel):
                break
            results.append(self._hf_day(day, progress, cancel))
        return results

    def fetch_arxiv_rss(self, categories: Sequence[str], progress: Progress | None = None,
                        cancel: threading.Event | None = None) -> list[SourceResult]:
        """Today's arXiv listing of ``categories`` (one request for all of them).

        Raises:
            InputError: a malformed category name.
        """
        return [self._arxiv_listing(validate_categories(categories), progress, cancel)]

    def fetch_arxiv_query(self, query: str, max_results: int = 100,
                          progress: Progress | None = None,
                          cancel: threading.Event | None = None) -> list[SourceResult]:
        """An arXiv API search (or a list of arXiv ids), up to ``max_results`` papers.

        Raises:
            InputError: an empty query or a maximum outside 1..30000.
        """
        if not query.strip():
            raise InputError("the arXiv query is empty")
        if not 1 <= max_results <= arxiv_api.MAX_RESULTS:
            raise InputError(f"--max must be between 1 and {arxiv_api.MAX_RESULTS}")
        label = self.arxiv_query.label(query.strip())
        return [self._run(label, ARXIV_QUERY,
                          lambda ctx: self.arxiv_query.fetch(ctx, query, max_results),
                          progress, cancel)]

    def fetch_arxiv_ids(self, arxiv_ids: Sequence[str]) -> str | None:
        """Fetch these papers from arXiv (one API request); the failure, if any."""
        ids = list(dict.fromkeys(arxiv_ids))
        results = self.fetch_arxiv_query(" ".join(ids), max_results=len(ids))
        return next((r.error for r in results if r.error), None)

    def fetch_rss(self, url: str, progress: Progress | None = None,
                  cancel: threading.Event | None = None) -> list[SourceResult]:
        """Every item of the feed at ``url`` that names a paper.

        Raises:
            InputError: not an http(s) URL.
        """
        return [self._feed(validate_url(url), progress, cancel)]

    # -- one source each -----------------------------------------------------------------------

    def _hf_day(self, day: date, progress: Progress | None,
                cancel: threading.Event | None) -> SourceResult:
        return self._run(self.hf.label(day.isoformat()), HF_DAILY,
                         lambda ctx: self.hf.fetch_day(ctx, day), progress, cancel)

    def _arxiv_listing(self, categories: Sequence[str], progress: Progress | None,
                       cancel: threading.Event | None) -> SourceResult:
        label = self.arxiv_rss.label("+".join(dict.fromkeys(categories)))
        return self._run(label, ARXIV_RSS, lambda ctx: self.arxiv_rss.fetch(ctx, categories),
                         progress, cancel, select=self._select_listing)

    def _feed(self, url: str, progress: Progress | None,
              cancel: threading.Event | None) -> SourceResult:
        return self._run(self.rss.label(url), RSS, lambda ctx: self.rss.fetch(ctx, url),
                         progress, cancel, select=self._select_feed)

    def _hf_backfill(self, progress: Progress | None,
                     cancel: threading.Event | None) -> list[SourceResult]:
        """Days from the last one fetched (refetched: its list may have grown) to today,
        at most ``hf_backfill_days`` of them; the first run takes the whole window."""
        today = self.today()
        first = today - timedelta(days=max(1, int(self.settings.hf_backfill_days)) - 1)
        last = self._last_hf_day()
        start = min(max(first, last), today) if last else first
        results = []
        advancing = True
        for day in _days(start, today):
            if _cancelled(cancel):
                break
            result = self._hf_day(day, progress, cancel)
            results.append(result)
            if not result.ok:
                advancing = False  # a failed day is retried next time
            elif advancing:
                try:
                    self._set_meta(HF_LAST_DAY, day.isoformat())
                except ReadinglistError as error:  # next run refetches a day more: harmless
                    log.warning("could not remember the last Hugging Face day: %s", error)
        return results

    def _run(self, label: str, source: str, fetch: Callable[[FetchContext], FetchResult],
             progress: Progress | None, cancel: threading.Event | None,
             select: Callable[[list[PaperRecord]], tuple[list[PaperRecord], str]] | None = None,
             ) -> SourceResult:
        """Fetch one source and merge it in one transaction; every failure becomes the result."""
        if progress is not None:
            progress(f"{label}: fetching")
        ctx = FetchContext(self.http, datetime.now(UTC), cancel, progress, self._validators)
        notes: list[str] = []
        try:
            result = fetch(ctx)
            records = list(result.records)
            if select is not None:
                records, note = select(records)
                notes.append(note)
            ctx.check_cancel()
            counts = self.library.merge_records(records)
        except Cancelled:
            return SourceResult(label, source, error="cancelled")
        except ReadinglistError as error:
            log.info("%s failed: %s", label, error)
            return SourceResult(label, source, error=str(error))
        except Exception as error:  # noqa: BLE001 - one broken source must not stop the others
            log.exception("%s failed unexpectedly", label)
            return SourceResult(label, source,
                                error=f"unexpected error: {type(error).__name__}: {error}")
        try:
            self._store_validators(result.validators)
        except ReadinglistError as error:  # the papers are in; only the next fetch costs more
            log.warning("could not remember the validators for %s: %s", label, error)
        notes.append(result.note)
        notes.append(self._run_rules(counts.keys[:counts.new]))
        if result.skipped:
            notes.append(f"{counted(result.skipped, 'unreadable item')} skipped")
        outcome = SourceResult(label, source, counts.new, counts.updated, None,
                               tuple(counts.keys[:counts.new]), "; ".join(n for n in notes if n),
                               tuple(counts.revised))
        if progress is not None:
            progress(outcome.summary())
        return outcome

    def _run_rules(self, new_keys: Sequence[str]) -> str:
        """The user's feed rules on the papers that just arrived; a note for the result."""
        if not new_keys:
            return ""
        from readinglist.services.rules import RuleBook, describe_applied

        try:
            return describe_applied(RuleBook(self.library).apply(new_keys))
        except ReadinglistError as error:  # the papers are in; the rules can be rerun
            log.warning("feed rules failed: %s", error)
            return f"rules not applied: {error}"

    def _select_listing(self, records: list[PaperRecord]) -> tuple[list[PaperRecord], str]:
        """New and cross-listed papers; replacements only for papers already in the library."""
        if self.settings.rss_include_replacements:
            return records, ""
        replacing = [r for r in records if r.announce_type in REPLACE_TYPES]
        if not replacing:
            return records, ""
        known = self._existing_keys([r.key for r in replacing])
        kept = [r for r in records if r.announce_type not in REPLACE_TYPES or r.key in known]
        left = len(records) - len(kept)
        note = (f"{counted(left, 'replacement')} of papers not in the library left out"
                if left else "")
        return kept, note

    def _select_feed(self, records: list[PaperRecord]) -> tuple[list[PaperRecord], str]:
        """Items of a followed feed: new papers whole; for papers already in the library
        (by key, or by DOI for items keyed by one) only the source, DOI and journal reference,
        so a blog post's title never renames the paper it links to. An arXiv listing followed
        as a feed leaves out replacements as ``_select_listing`` does."""
        records, note = self._select_listing(records)
        by_doi = self._keys_for_dois([r.doi for r in records if r.doi and r.key.startswith("doi:")])
        records = [dataclasses.replace(r, key=by_doi[r.doi]) if r.doi in by_doi and
                   r.key.startswith("doi:") else r for r in records]
        known = self._existing_keys([r.key for r in records])
        return [_mention(r) if r.key in known else r for r in records], note

    # -- machine-local state: validators, last Hugging Face day, existing keys -----------------

    def _keys_for_dois(self, dois: Sequence[str | None]) -> dict[str, str]:
        found: dict[str, str] = {}
        unique = list(dict.fromkeys(d for d in dois if d))
        with self.library.store.transaction() as conn:
            for index in range(0, len(unique), _CHUNK):
                chunk = unique[index:index + _CHUNK]
                marks = ",".join("?" * len(chunk))
                for doi, key in conn.exec_driver_sql(
                        f"SELECT doi, key FROM papers WHERE doi IN ({marks}) ORDER BY id",
                        tuple(chunk)):
                    found.setdefault(doi, key)
        return found

    def _existing_keys(self, keys: Sequence[str]) -> set[str]:
        found: set[str] = set()
        unique = list(dict.fromkeys(keys))
        with self.library.store.transaction() as conn:
            for index in range(0, len(unique), _CHUNK):
                chunk = unique[index:index + _CHUNK]
                marks = ",".join("?" * len(chunk))
                found.update(row[0] for row in conn.exec_driver_sql(
                    f"SELECT key FROM papers WHERE key IN ({marks})", tuple(chunk)))
        return found

    def _validators(self, url: str) -> Validators | None:
        with self.library.store.transaction() as conn:
            row = conn.exec_driver_sql(
                "SELECT etag, last_modified FROM fetch_state WHERE url = ?", (url,)).first()
        return Validators(row[0], row[1]) if row else None

    def _store_validators(self, pairs: Sequence[tuple[str, Validators]]) -> None:
        if not pairs:
            return
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self.library.store.transaction(write=True) as conn:
            conn.exec_driver_sql(
                "INSERT INTO fetch_state (url, etag, last_modified, fetched_at, status) "
                "VALUES (?, ?, ?, ?, 'ok') ON CONFLICT(url) DO UPDATE SET etag = excluded.etag, "
                "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at, "
                "status = excluded.status",
                [(url, v.etag, v.last_modified, now) for url, v in pairs])

    def _last_hf_day(self) -> date | None:
        with self.library.store.transaction() as conn:
            value = conn.exec_driver_sql(
                "SELECT value FROM meta WHERE key = ?", (HF_LAST_DAY,)).scalar()
        try:
            return date.fromisoformat(str(value)) if value else None
        except ValueError:
            return None

    def _set_meta(self, key: str, value: str) -> None:
        with self.library.store.transaction(write=True) as conn:
            conn.exec_driver_sql(
                "INSERT INTO meta (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))


def _mention(record: PaperRecord) -> PaperRecord:
    """What a feed item adds to a paper the library already has."""
    return PaperRecord(key=record.key, title="", doi=record.doi, journal_ref=record.journal_ref,
                       source=record.source, seen_at=record.seen_at)


def _days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def _cancelled(cancel: threading.Event | None) -> bool:
    return cancel is not None and cancel.is_set()
