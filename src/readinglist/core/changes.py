"""The ``Changes`` value every mutation returns; screens refresh from it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Changes:
    """What a mutation touched. ``paper_keys`` empty with ``papers`` true means "many"."""

    papers: bool = False
    paper_keys: frozenset[str] = field(default_factory=frozenset)
    tags: bool = False
    notes: bool = False
    annotations: bool = False
    positions: bool = False
    subscriptions: bool = False
    saved_searches: bool = False
    pdf_text: bool = False  # the full-text index of PDFs grew (``pdf:`` searches may change)

    def __or__(self, other: "Changes") -> "Changes":
        return Changes(
            papers=self.papers or other.papers,
            paper_keys=self.paper_keys | other.paper_keys,
            tags=self.tags or other.tags,
            notes=self.notes or other.notes,
            annotations=self.annotations or other.annotations,
            positions=self.positions or other.positions,
            subscriptions=self.subscriptions or other.subscriptions,
            saved_searches=self.saved_searches or other.saved_searches,
            pdf_text=self.pdf_text or other.pdf_text,
        )

    @property
    def any(self) -> bool:
        return any((self.papers, self.tags, self.notes, self.annotations, self.positions,
                    self.subscriptions, self.saved_searches, self.pdf_text))


NOTHING = Changes()


@dataclass(frozen=True, slots=True)
class SettingChange:
    """One synced setting (a saved search, a rule) before and after a change; undoable."""

    key: str
    before: Any
    after: Any

    def inverse(self) -> SettingChange:
        return SettingChange(self.key, self.after, self.before)
