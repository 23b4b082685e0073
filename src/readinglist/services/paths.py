"""Where the library lives: ``READINGLIST_HOME`` or the platform data folder."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

HOME_ENV = "READINGLIST_HOME"


@dataclass(frozen=True, slots=True)
class LibraryPaths:
    """The folder holding the database, the PDF cache and the configuration."""

    home: Path

    @property
    def database(self) -> Path:
        return self.home / "library.sqlite3"

    @property
    def cache(self) -> Path:
        return self.home / "cache"

    @property
    def pdf_cache(self) -> Path:
        return self.cache / "pdf"

    @property
    def config(self) -> Path:
        return self.home / "config.json"

    @property
    def logs(self) -> Path:
        return self.home / "logs"


def default_home() -> Path:
    """``$READINGLIST_HOME`` if set, else the platform's user data folder."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_path

    return user_data_path("readinglist", appauthor=False)


def library_paths(home: Path | None = None) -> LibraryPaths:
    """Resolve and create the library folder."""
    paths = LibraryPaths(Path(home) if home else default_home())
    paths.home.mkdir(parents=True, exist_ok=True)
    return paths
