"""Machine-local settings stored as JSON in the library folder (never secrets)."""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass(slots=True)
class Settings:
    """Typed settings with defaults; unknown keys in the file are ignored."""

    fetch_on_start: bool = True
    fetch_interval_minutes: int = 60
    mark_read: str = "dwell"  # "select" | "dwell" | "never"
    mark_read_dwell_ms: int = 1500
    theme: str = "system"  # "system" | "light" | "dark"
    rss_include_replacements: bool = False
    pdf_max_mb: int = 200
    hf_backfill_days: int = 7
    sync: dict[str, Any] = field(default_factory=dict)  # transport, url, user: never a password

    @classmethod
    def load(cls, path: Path) -> "Settings":
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        known = {f.name for f in fields(cls)}
        settings = cls()
        for name, value in data.items() if isinstance(data, dict) else ():
            if name in known and isinstance(value, type(getattr(settings, name))):
                setattr(settings, name, value)
        return settings

    def save(self, path: Path) -> None:
        """Write atomically (temp file, then rename)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(self), handle, indent=2, sort_keys=True)
        os.replace(tmp, path)
