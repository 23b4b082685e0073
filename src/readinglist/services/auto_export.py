"""Export files kept up to date: a ``.bib`` (or RIS, CSL-JSON, JSON Lines) of a tag, a view or
a search, rewritten whenever the papers in it change — for a LaTeX or Pandoc project.

The list lives in this machine's settings (paths are local). A file is rewritten only when its
text would change (so a LaTeX build is not triggered for nothing), always atomically.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readinglist.core.errors import InputError, ReadinglistError
from readinglist.core.text import counted
from readinglist.services.config import Settings
from readinglist.services.export import FORMATS, format_for, papers_text, write_atomically
from readinglist.services.library import Library

VIEWS = ("inbox", "unread", "starred", "archived", "all")


@dataclass(frozen=True, slots=True)
class AutoExport:
    """One kept-up-to-date file and the papers it holds."""

    path: Path
    format: str = "bibtex"
    view: str = "all"
    tag: str | None = None
    search: str | None = None
    ids: tuple[str, ...] = field(default_factory=tuple)  # canonical keys, when chosen by ID

    def describe(self) -> str:
        """What the file holds, in words: ``tag "thesis"``, ``search "x" in all``…"""
        if self.ids:
            return f"{counted(len(self.ids), 'chosen paper')}"
        parts = [f"tag “{self.tag}”" if self.tag else "",
                 f"search “{self.search}”" if self.search else ""]
        chosen = ", ".join(p for p in parts if p)
        return f"{chosen} in {self.view}" if chosen else f"every paper in {self.view}"

    def to_setting(self) -> dict[str, Any]:
        return {"path": str(self.path), "format": self.format, "view": self.view,
                "tag": self.tag, "search": self.search, "ids": list(self.ids)}

    @classmethod
    def from_setting(cls, value: Any) -> AutoExport | None:
        """The export a settings entry describes; None for a malformed entry."""
        if not isinstance(value, dict) or not isinstance(value.get("path"), str):
            return None
        fmt = value.get("format") or "bibtex"
        view = value.get("view") or "all"
        ids = value.get("ids") or []
        if fmt not in FORMATS or view not in VIEWS or not isinstance(ids, list):
            return None
        tag, search = value.get("tag"), value.get("search")
        return cls(Path(value["path"]), fmt, view, tag if isinstance(tag, str) else None,
                   search if isinstance(search, str) else None, tuple(map(str, ids)))


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one refresh did to one file."""

    export: AutoExport
    papers: int = 0
    written: bool = False  # False: the file already held exactly this
    error: str | None = None

    def line(self) -> str:
        if self.error:
            return f"{self.export.path}: not updated: {self.error}"
        state = "updated" if self.written else "unchanged"
        return f"{self.export.path}: {state} ({counted(self.papers, 'paper')}, " \
               f"{self.export.describe()})"


def configured(settings: Settings) -> list[AutoExport]:
    """The kept-up-to-date files in the settings (malformed entries are skipped)."""
    found = (AutoExport.from_setting(v) for v in settings.auto_exports)
    return [e for e in found if e is not None]


def add(settings: Settings, export: AutoExport) -> None:
    """Keep ``export`` up to date from now on (replacing an entry for the same path)."""
    others = [e for e in configured(settings) if e.path != export.path]
    settings.auto_exports = [e.to_setting() for e in [*others, export]]


def keep(config: Path, export: AutoExport) -> None:
    """``add`` to the settings file at ``config`` (read fresh, saved atomically)."""
    settings = Settings.load(config)
    add(settings, export)
    settings.save(config)


def remove(settings: Settings, path: Path) -> bool:
    """Stop keeping ``path`` up to date (the file stays); False if it was not kept."""
    target = Path(path).expanduser().resolve()
    kept = configured(settings)
    left = [e for e in kept if e.path != target]
    settings.auto_exports = [e.to_setting() for e in left]
    return len(left) != len(kept)


def make(path: Path, fmt: str | None, view: str | None, tag: str | None, search: str | None,
         ids: Sequence[str]) -> AutoExport:
    """An export for a command line's choice (an absolute path; the format from the name
    unless given).

    Raises:
        InputError: nothing chosen.
    """
    if not (ids or view or tag or search):
        raise InputError("choose the papers to keep up to date: IDs, --tag, --search or --view")
    target = Path(path).expanduser().resolve()
    return AutoExport(target, fmt or format_for(target), view or "all", tag, search,
                      tuple(ids))


def refresh(library: Library, exports: Sequence[AutoExport]) -> list[Outcome]:
    """Rewrite every file whose papers changed; a failure is reported, the others go on."""
    outcomes = []
    for export in exports:
        try:
            if export.ids:
                papers = [library.get(key) for key in export.ids]
            else:
                papers = library.list(view=export.view, tag=export.tag, query=export.search)
            text = papers_text(papers, export.format)
            try:
                same = export.path.read_text(encoding="utf-8") == text
            except (OSError, UnicodeDecodeError):
                same = False
            if not same:
                write_atomically(export.path, text)
            outcomes.append(Outcome(export, len(papers), written=not same))
        except ReadinglistError as error:
            outcomes.append(Outcome(export, error=str(error)))
    return outcomes
