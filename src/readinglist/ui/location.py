"""Where the library lives when READINGLIST_HOME is not set: a one-line pointer file."""

from __future__ import annotations

import os
from pathlib import Path

from readinglist.services.paths import HOME_ENV


def pointer_file() -> Path:
    from platformdirs import user_config_path

    return user_config_path("readinglist", appauthor=False) / "library-location"


def chosen_home() -> Path | None:
    """The folder chosen in Preferences, unless READINGLIST_HOME overrides it."""
    if os.environ.get(HOME_ENV):
        return None
    try:
        text = pointer_file().read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return Path(text) if text else None


def choose_home(folder: Path) -> None:
    """Remember a library folder for the next start."""
    target = pointer_file()
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(str(folder), encoding="utf-8")
