"""What every source shares: the context of one fetch and the result it hands back.

A source reads its upstream and returns a ``FetchResult`` of ``PaperRecord``s; it never writes
to the library. The fetch service merges the records in one transaction and, only when that
succeeded, stores the conditional-GET validators the result carries.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Protocol

from readinglist.core.models import PaperRecord
from readinglist.sources.http import HttpClient, Validators
from readinglist.sources.ratelimit import Cancelled


def _no_validators(url: str) -> Validators | None:
    return None


@dataclass
class FetchContext:
    """The shared client plus what one run of fetching needs to know."""

    http: HttpClient
    seen_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    cancel: threading.Event | None = None
    progress: Callable[[str], None] | None = None
    validators_for: Callable[[str], Validators | None] = _no_validators

    def report(self, message: str) -> None:
        if self.progress is not None:
            self.progress(message)

    def check_cancel(self) -> None:
        if self.cancel is not None and self.cancel.is_set():
            raise Cancelled("cancelled")


@dataclass(frozen=True)
class FetchResult:
    """What one fetch of one source produced, before merging."""

    records: tuple[PaperRecord, ...] = ()
    not_modified: bool = False  # a conditional GET said nothing changed
    skipped: int = 0  # malformed items left out
    validators: tuple[tuple[str, Validators], ...] = ()  # to store after a successful merge
    note: str = ""


class FeedSource(Protocol):
    """A source: a name (as in ``list --json`` ``sources``) and a way to describe a target."""

    name: str

    def label(self, target: str) -> str:
        """How results of fetching ``target`` are named in messages."""
        ...


def dedupe(records: list[PaperRecord]) -> list[PaperRecord]:
    """One record per key; a later version replaces an earlier one, otherwise the first stays."""
    kept: dict[str, PaperRecord] = {}
    for record in records:
        current = kept.get(record.key)
        if current is None or (record.version or 0) > (current.version or 0):
            kept[record.key] = record
    return list(kept.values())
