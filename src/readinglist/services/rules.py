"""Feed rules: saved (and synced) like saved searches, run on the papers a fetch brings."""

from __future__ import annotations

from collections.abc import Sequence

from readinglist.core.errors import InputError
from readinglist.core.query import parse_query
from readinglist.core.rules import Rule, make_rule
from readinglist.core.text import counted
from readinglist.services.library import Library

PREFIX = "rule:"
_FLAG_COLUMNS = {"star": "starred", "read": "read", "archive": "archived"}


class RuleBook:
    """The library's rules: list, save, delete, and run them on papers."""

    def __init__(self, library: Library) -> None:
        self.library = library

    def all(self) -> list[Rule]:
        stored = self.library.synced_settings(PREFIX)
        rules = (Rule.from_setting(name, value) for name, value in stored.items())
        return [rule for rule in rules if rule is not None]

    def save(self, name: str, query: str, flags: Sequence[str] = (),
             tags: Sequence[str] = ()) -> Rule:
        """Add or replace a rule.

        Raises:
            InputError: a malformed query or rule.
        """
        rule = make_rule(name, query, tuple(flags), tuple(tags))
        parse_query(rule.query)
        self.library.set_synced_setting(PREFIX + rule.name, rule.to_setting())
        return rule

    def get(self, name: str) -> Rule:
        """Raises ``InputError`` if there is no such rule."""
        name = " ".join(name.split())  # as ``make_rule`` stores it
        rule = Rule.from_setting(name, self.library.synced_settings(PREFIX).get(name))
        if rule is None:
            raise InputError(f"no rule named {name!r}")
        return rule

    def delete(self, name: str) -> None:
        """Raises ``InputError`` if there is no such rule."""
        self.library.set_synced_setting(PREFIX + self.get(name).name, None)

    def apply(self, keys: Sequence[str] | None = None, rules: Sequence[Rule] | None = None,
              view: str = "all") -> list[tuple[Rule, int]]:
        """Run rules on papers (``keys``: just arrived; None: every paper in ``view``).

        Returns each rule that matched something with how many papers it matched. The actions
        are ordinary triage, recorded and synced like the user's own.
        """
        if keys is not None and not keys:
            return []
        library = self.library
        applied: list[tuple[Rule, int]] = []
        for rule in self.all() if rules is None else rules:
            try:
                flt = library.make_filter(view, query=rule.query)
            except InputError:
                continue  # a query this version cannot read (saved by a newer one)
            matched = library.keys_matching(flt, keys)
            if not matched:
                continue
            for flag in rule.flags:
                library.mark(matched, _FLAG_COLUMNS[flag], True)
            if rule.tags:
                library.tag(matched, add=list(rule.tags))
            applied.append((rule, len(matched)))
        return applied


def describe_applied(applied: Sequence[tuple[Rule, int]]) -> str:
    """``rule "vision": 3 papers; rule "skip surveys": 1 paper``."""
    return "; ".join(f"rule {rule.name!r}: {counted(count, 'paper')}"
                     for rule, count in applied)
