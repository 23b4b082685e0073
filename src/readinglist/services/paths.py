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
    """Resolve and create the library folder.

    Raises:
        StorageError: the folder cannot be made (a file in the way, no permission).
    """
    paths = LibraryPaths(Path(home) if home else default_home())
    try:
        paths.home.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        from readinglist.core.errors import StorageError

        in_the_way = isinstance(error, (FileExistsError, NotADirectoryError))
        reason = "a file is in the way" if in_the_way else (error.strerror or str(error))
        raise StorageError(f"cannot make the library folder {paths.home}: {reason} "
                           f"({HOME_ENV} chooses another)") from None
    return paths
