"""What every command receives: the opened library, its paths and settings, output helpers."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from readinglist.services.config import Settings
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths, library_paths

if TYPE_CHECKING:
    from readinglist.core.models import Paper


# C0 controls but tab and newline, DEL and C1 (escape sequences start with ESC or CSI)
_CONTROLS: dict[int, str] = {**dict.fromkeys([*range(0x20), *range(0x7f, 0xa0)], "\ufffd"),
                             ord("\t"): "\t", ord("\n"): "\n"}


@dataclass
class Context:
    """Lazily opened library for one CLI invocation."""

    paths: LibraryPaths = field(default_factory=library_paths)
    out: TextIO = field(default_factory=lambda: sys.stdout)
    err: TextIO = field(default_factory=lambda: sys.stderr)
    _library: Library | None = None
    _settings: Settings | None = None

    @property
    def library(self) -> Library:
        if self._library is None:
            self._library = Library(self.paths.database)
            if self._library.backup_path:
                self.warn(f"library upgraded; the previous file is saved as "
                          f"{self._library.backup_path}")
        return self._library

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = Settings.load(self.paths.config)
        return self._settings

    def print(self, text: str = "") -> None:
        """One line (or several) of plain text; control characters from feeds and files are
        shown as U+FFFD so that they cannot move the cursor or retitle the terminal."""
        print(text if text.isprintable() else text.translate(_CONTROLS), file=self.out)

    def warn(self, text: str) -> None:
        print(f"readinglist: {text}", file=self.err)

    def print_json(self, data: Any) -> None:
        json.dump(data, self.out, ensure_ascii=False, indent=2)
        self.out.write("\n")

    def close(self) -> None:
        if self._library is not None:
            self._library.close()


def chosen_papers(library: Library, ids: Sequence[str], view: str | None, tag: str | None,
                  search: str | None) -> list[Paper] | None:
    """The papers named by ID, else those a view, tag or search selects (``view`` alone
    counts); None when the command line chose nothing."""
    if ids:
        return [library.get(key) for key in library.resolve_all(ids)]
    if view or tag or search:
        return library.list(view=view or "all", tag=tag, query=search)
    return None


def iso_date(text: str) -> date:
    """An argparse type: a YYYY-MM-DD day."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None
