"""Feed rules: "when a new paper matches this search, star / mark read / archive / tag it"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from readinglist.core.errors import InputError

FLAG_ACTIONS = ("star", "read", "archive")


@dataclass(frozen=True, slots=True)
class Rule:
    """A saved search with actions, run on papers as they arrive from a fetch."""

    name: str
    query: str
    flags: tuple[str, ...] = ()  # a subset of FLAG_ACTIONS
    tags: tuple[str, ...] = ()

    def describe(self) -> str:
        """``"diffusion" → star, tag vision`` (for lists and messages)."""
        actions = list(self.flags) + [f"tag {t}" for t in self.tags]
        return f"{self.query} → {', '.join(actions)}"

    def to_setting(self) -> dict[str, Any]:
        return {"query": self.query, "flags": list(self.flags), "tags": list(self.tags)}

    @classmethod
    def from_setting(cls, name: str, value: Any) -> Rule | None:
        """The rule stored under ``name``, or None if the stored value is not a rule."""
        if not isinstance(value, dict) or not isinstance(value.get("query"), str):
            return None
        flags = tuple(f for f in value.get("flags") or () if f in FLAG_ACTIONS)
        tags = tuple(str(t) for t in value.get("tags") or () if str(t).strip())
        return cls(name, value["query"], flags, tags)


def make_rule(name: str, query: str, flags: tuple[str, ...] | list[str] = (),
              tags: tuple[str, ...] | list[str] = ()) -> Rule:
    """A validated rule (the query is checked by the caller, which knows the query language).

    Raises:
        InputError: no name, no query, an unknown action or no action at all.
    """
    name, query = " ".join(name.split()), query.strip()
    if not name:
        raise InputError("a rule needs a name")
    if not query:
        raise InputError("a rule needs a search query")
    unknown = [f for f in flags if f not in FLAG_ACTIONS]
    if unknown:
        raise InputError(f"unknown rule action {unknown[0]!r} (use {', '.join(FLAG_ACTIONS)} "
                         "or a tag)")
    cleaned_tags = tuple(dict.fromkeys(" ".join(t.split()) for t in tags if t.strip()))
    if not flags and not cleaned_tags:
        raise InputError("a rule needs an action: star, mark read, archive or a tag to add")
    return Rule(name, query, tuple(dict.fromkeys(flags)), cleaned_tags)
