"""The paper list's row type, on its own: the desktop app's first painted page needs only this,
not the other data transfer objects of ``core.models`` (each dataclass costs ~1 ms to create
at import)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class PaperRow:
    """The light row the paper list shows: no abstract, no note."""

    id: int
    key: str
    title: str
    authors: str
    published: date | None
    sources: str
    hf_upvotes: int | None
    tags: str
    read: bool
    starred: bool
    archived: bool
