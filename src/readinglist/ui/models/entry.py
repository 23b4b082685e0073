"""What a sidebar row stands for (its own module: the paper list needs it before the sidebar)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class SidebarEntry:
    """What selecting a sidebar row shows. ``kind`` is view, daily, tag, subscription or search."""

    kind: str
    label: str
    view: str = "inbox"
    tag: str | None = None
    query: str | None = None
    source: str | None = None

    @property
    def ident(self) -> str:
        return f"{self.kind}:{self.view}:{self.tag}:{self.query}:{self.source}:{self.label}"
