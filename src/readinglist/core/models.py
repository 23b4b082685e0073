"""Frozen data transfer objects: what sources produce and what the UI and CLI read."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from readinglist.core.rows import PaperRow

__all__ = [
    "ANNOTATION_KINDS", "SOURCE_NAMES", "Annotation", "MergeCounts", "Paper", "PaperRecord",
    "PaperRow", "ReadingPosition", "SavedSearch", "Subscription", "TagCount",
]

SOURCE_NAMES = ("hf-daily", "arxiv-rss", "arxiv-query", "rss", "import", "manual")
ANNOTATION_KINDS = ("highlight", "underline", "note")


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """A paper's metadata as one source saw it. Merged into the library by the services."""

    key: str
    title: str
    arxiv_id: str | None = None
    version: int | None = None
    doi: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    authors: tuple[str, ...] = ()
    abstract: str = ""
    categories: tuple[str, ...] = ()
    primary_category: str | None = None
    published: date | None = None
    updated: date | None = None
    journal_ref: str | None = None
    comment: str | None = None
    hf_upvotes: int | None = None
    withdrawn: bool | None = None
    source: str | None = None
    seen_at: datetime | None = None
    listed_on: date | None = None
    announce_type: str | None = None

    def metadata(self) -> dict[str, Any]:
        """The JSON-able metadata carried by a ``paper.upsert`` operation."""
        return {
            "arxiv_id": self.arxiv_id,
            "version": self.version,
            "doi": self.doi,
            "url": self.url,
            "pdf_url": self.pdf_url,
            "title": self.title,
            "authors": list(self.authors),
            "abstract": self.abstract,
            "categories": list(self.categories),
            "primary_category": self.primary_category,
            "published": self.published.isoformat() if self.published else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "journal_ref": self.journal_ref,
            "comment": self.comment,
            "hf_upvotes": self.hf_upvotes,
            "withdrawn": self.withdrawn,
            "source": self.source,
            "seen_at": self.seen_at.isoformat() if self.seen_at else None,
            "listed_on": self.listed_on.isoformat() if self.listed_on else None,
        }


@dataclass(frozen=True, slots=True)
class Paper:
    """A paper in the library with its triage state: the read model for UI and CLI."""

    id: int
    key: str
    title: str
    arxiv_id: str | None
    version: int | None
    doi: str | None
    url: str | None
    pdf_url: str | None
    authors: tuple[str, ...]
    abstract: str
    categories: tuple[str, ...]
    primary_category: str | None
    published: date | None
    updated: date | None
    journal_ref: str | None
    comment: str | None
    hf_upvotes: int | None
    withdrawn: bool
    sources: dict[str, str]  # source name -> first seen (ISO datetime)
    read: bool
    starred: bool
    archived: bool
    archived_at: datetime | None
    tags: tuple[str, ...]
    note: str
    note_conflict: bool = False
    listed_on: date | None = None
    added_at: datetime | None = None
    deleted: bool = False  # in the Trash

    def to_json(self) -> dict[str, Any]:
        """The object printed by ``--json`` and read back by ``import``."""
        return {
            "arxiv_id": self.arxiv_id,
            "key": self.key,
            "version": self.version,
            "doi": self.doi,
            "title": self.title,
            "authors": list(self.authors),
            "abstract": self.abstract,
            "published": self.published.isoformat() if self.published else None,
            "updated": self.updated.isoformat() if self.updated else None,
            "categories": list(self.categories),
            "primary_category": self.primary_category,
            "journal_ref": self.journal_ref,
            "comment": self.comment,
            "sources": sorted(self.sources),
            "sources_first_seen": dict(sorted(self.sources.items())),
            "hf_upvotes": self.hf_upvotes,
            "withdrawn": self.withdrawn,
            "read": self.read,
            "starred": self.starred,
            "archived": self.archived,
            "archived_at": self.archived_at.isoformat() if self.archived_at else None,
            "deleted": self.deleted,
            "tags": list(self.tags),
            "note": self.note,
            "url": self.url,
            "pdf_url": self.pdf_url,
            "listed_on": self.listed_on.isoformat() if self.listed_on else None,
        }


@dataclass(frozen=True, slots=True)
class Annotation:
    """A highlight, underline or sticky note on a page of a paper's PDF."""

    id: str
    paper_key: str
    kind: str
    page: int
    quads: tuple[tuple[float, ...], ...] = ()
    text: str = ""
    comment: str = ""
    color: str = "#ffd400"
    pdf_hash: str | None = None
    created: str = ""
    modified: str = ""
    deleted: bool = False

    def to_json(self) -> dict[str, Any]:
        """The object printed by ``annotations --json``: ``page`` is the PDF's page index
        (from 0, like the quads' page), ``page_number`` the page as people count it."""
        return {
            "id": self.id,
            "paper": self.paper_key,
            "kind": self.kind,
            "page": self.page,
            "page_number": self.page + 1,
            "quads": [list(q) for q in self.quads],
            "text": self.text,
            "comment": self.comment,
            "color": self.color,
            "pdf_hash": self.pdf_hash,
            "created": self.created,
            "modified": self.modified,
        }


@dataclass(frozen=True, slots=True)
class ReadingPosition:
    """Where one device left a paper."""

    paper_key: str
    device_id: str
    page: int
    offset: float
    hlc: str


@dataclass(frozen=True, slots=True)
class Subscription:
    """A feed the user follows: ``kind`` is a source name, ``target`` its argument."""

    kind: str
    target: str = ""
    enabled: bool = True

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.target}" if self.target else self.kind


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A named query shown in the sidebar."""

    name: str
    query: str


@dataclass(frozen=True, slots=True)
class TagCount:
    """A tag and how many papers carry it."""

    name: str
    count: int


@dataclass(frozen=True, slots=True)
class Revision:
    """A paper already in the library that a feed brought a newer arXiv version of."""

    key: str
    title: str
    version: int
    previous: int
    starred: bool


@dataclass(slots=True)
class MergeCounts:
    """What a batch of incoming records did to the library."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    keys: list[str] = field(default_factory=list)
    revised: list[Revision] = field(default_factory=list)
