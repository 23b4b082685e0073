"""Machine-local settings stored as JSON in the library folder (never secrets).

Every setting a user may change has a rule (``RULES``): what it means, and which values it takes.
The file, the ``config`` command and the Preferences dialog all go through those rules, so a
hand-edited file with a wrong value falls back to the default instead of breaking a fetch.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from readinglist.core.errors import InputError

TRUE_WORDS = frozenset({"true", "yes", "on", "1"})
FALSE_WORDS = frozenset({"false", "no", "off", "0"})


@dataclass(frozen=True, slots=True)
class Rule:
    """What one setting means and the values it accepts (``choices`` or ``low``..``high``)."""

    help: str
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None
    unit: str = ""

    def allowed(self, default: Any) -> str:
        """The accepted values, for help texts and error messages."""
        if isinstance(default, bool):
            return "true or false"
        if self.choices:
            return " | ".join(self.choices)
        return f"{self.low}–{self.high}{' ' + self.unit if self.unit else ''}"

    def check(self, value: Any, default: Any) -> bool:
        """Whether ``value`` (already typed) is acceptable."""
        if isinstance(default, bool):
            return isinstance(value, bool)
        if isinstance(default, int):
            return (isinstance(value, int) and not isinstance(value, bool)
                    and (self.low is None or value >= self.low)
                    and (self.high is None or value <= self.high))
        return isinstance(value, str) and (not self.choices or value in self.choices)


RULES: dict[str, Rule] = {
    "fetch_on_start": Rule("fetch new papers when the desktop app starts"),
    "fetch_interval_minutes": Rule("fetch again every N minutes while the app runs (0: never)",
                                   low=0, high=24 * 60, unit="minutes"),
    "mark_read": Rule("when the app marks a paper read: as soon as it is selected, after it "
                      "stays selected for a moment, or never (only with m)",
                      choices=("select", "dwell", "never")),
    "mark_read_dwell_ms": Rule("the moment a paper must stay selected to count as read",
                               low=200, high=10_000, unit="ms"),
    "theme": Rule("the app's colours", choices=("system", "light", "dark")),
    "rss_include_replacements": Rule(
        "arXiv listings: also add replaced papers (new versions) that are not in the library"),
    "pdf_max_mb": Rule("largest PDF the app downloads", low=1, high=4096, unit="MB"),
    "hf_backfill_days": Rule("Hugging Face Daily Papers: catch up on up to N missed days",
                             low=1, high=7, unit="days"),
}


@dataclass(slots=True)
class Settings:
    """Typed settings with defaults; unknown keys and invalid values in the file are ignored."""

    fetch_on_start: bool = True
    fetch_interval_minutes: int = 60
    mark_read: str = "dwell"  # "select" | "dwell" | "never"
    mark_read_dwell_ms: int = 1500
    theme: str = "system"  # "system" | "light" | "dark"
    rss_include_replacements: bool = False
    pdf_max_mb: int = 200
    hf_backfill_days: int = 7
    sync: dict[str, Any] = field(default_factory=dict)  # transport, url, user: never a password
    mail: dict[str, Any] = field(default_factory=dict)  # SMTP host, port, user, to: no password
    # files kept up to date (``services.auto_export``): path, format, view, tag, search, ids
    auto_exports: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> "Settings":
        settings = cls()
        settings.reload(path)
        return settings

    def reload(self, path: Path) -> None:
        """Take the values from ``path`` in place (a missing or unreadable file changes nothing;
        a value of the wrong type or out of range keeps the default)."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return
        defaults = Settings()  # fresh: ``sync``, ``mail``, ``auto_exports`` are never shared
        for name, value in data.items() if isinstance(data, dict) else ():
            if name not in _NAMES:
                continue
            default = getattr(defaults, name)
            rule = RULES.get(name)
            if rule.check(value, default) if rule else isinstance(value, type(default)):
                setattr(self, name, value)
            else:
                setattr(self, name, default)

    def save(self, path: Path) -> None:
        """Write atomically (temp file, then rename)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".config-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(asdict(self), handle, indent=2, sort_keys=True)
        os.replace(tmp, path)

    def values(self) -> dict[str, Any]:
        """The user-facing settings (not ``sync`` and ``mail``, which have their own setup
        commands) by name."""
        return {name: getattr(self, name) for name in RULES}

    def set_text(self, name: str, text: str) -> Any:
        """Set ``name`` from a command-line word; returns the typed value.

        Raises:
            InputError: an unknown setting or a value it does not take (the message lists
                what it takes).
        """
        key = setting_name(name)
        rule, default = RULES[key], getattr(DEFAULTS, key)
        value = _parse(text, default)
        if value is None or not rule.check(value, default):
            raise InputError(f"{key} takes {rule.allowed(default)}, not {text!r}")
        setattr(self, key, value)
        return value

    def reset(self, name: str) -> Any:
        """Put ``name`` back to its default; returns it."""
        key = setting_name(name)
        value = getattr(DEFAULTS, key)
        setattr(self, key, value)
        return value


_NAMES = frozenset(f.name for f in fields(Settings))
DEFAULTS = Settings()  # read only, for the scalar settings in ``RULES``


def setting_name(name: str) -> str:
    """The setting called ``name`` (``pdf-max-mb`` and ``pdf_max_mb`` are the same).

    Raises:
        InputError: no such setting (``sync`` is set with ``sync setup``).
    """
    key = name.strip().lower().replace("-", "_")
    if key == "sync":
        raise InputError("sync is set with 'readinglist sync setup folder|webdav'")
    if key == "mail":
        raise InputError("mail is set with 'readinglist mail setup'")
    if key == "auto_exports":
        raise InputError("files kept up to date are set with 'readinglist cite ... --output "
                         "FILE --keep-updated' and listed with 'readinglist exports'")
    if key not in RULES:
        raise InputError(f"no setting {name!r}; the settings are: {', '.join(RULES)}")
    return key


def _parse(text: str, default: Any) -> Any:
    """``text`` as the type of ``default``; None when it is not one."""
    word = text.strip()
    if isinstance(default, bool):
        lowered = word.lower()
        return True if lowered in TRUE_WORDS else False if lowered in FALSE_WORDS else None
    if isinstance(default, int):
        try:
            return int(word)
        except ValueError:
            return None
    return word.lower()


def format_value(value: Any) -> str:
    """How the ``config`` command prints a value."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
