"""Renaming, merging and deleting a tag across the whole library.

A rename is the same tag under another name, so the saved searches and feed rules that name it
follow (``tag:old`` in their queries, "tag old" in a rule's actions); renaming onto a tag that
already exists merges the two. Deleting takes the tag off every paper and leaves the searches and
rules alone — the caller names them (``references``) so the user knows a rule may bring it back.
Both reach the papers in the Trash too, so a restored paper does not bring the old name back.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readinglist.core.changes import SettingChange
from readinglist.core.errors import InputError
from readinglist.core.query import rename_tag_in_query
from readinglist.core.rules import Rule
from readinglist.core.text import counted
from readinglist.services.library import Library
from readinglist.services.records import check_tag_lengths
from readinglist.services.rules import PREFIX as RULE_PREFIX
from readinglist.services.rules import RuleBook
from readinglist.storage import queries
from readinglist.storage.tag_sets import normalise_tag



@dataclass(frozen=True, slots=True)
class TagReferences:
    """The saved searches and feed rules that name a tag."""

    searches: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    adding_rules: tuple[str, ...] = ()  # the rules among ``rules`` that add the tag

    def describe(self) -> str:
        """``saved search “x”, rule “y”`` (empty when nothing names the tag)."""
        return ", ".join([f"saved search “{n}”" for n in self.searches]
                         + [f"rule “{n}”" for n in self.rules])


def existing_tag(library: Library, name: str) -> str:
    """The normalised ``name`` of a tag some paper carries.

    Raises:
        InputError: no paper has that tag.
    """
    tag = normalise_tag(name)
    if not tag or not tagged_keys(library, tag):
        raise InputError(f"no tag {name.strip()!r} in the library")
    return tag


def new_tag_name(name: str) -> str:
    """``name`` normalised for use as a tag.

    Raises:
        InputError: empty or too long.
    """
    tag = normalise_tag(name)
    if not tag:
        raise InputError("a tag needs a name")
    if '"' in tag:  # the search language has no way to name it: saved searches would break
        raise InputError('a tag name cannot contain " (searches could not name the tag)')
    if "," in tag:  # the app's tag fields take commas between tags
        raise InputError("a tag name cannot contain a comma (commas separate tags)")
    check_tag_lengths([tag])
    return tag


def tagged_keys(library: Library, name: str, in_trash: bool = False) -> list[str]:
    """Keys of the papers carrying the tag ``name`` (already normalised); with ``in_trash``,
    those in the Trash too."""
    with library.store.transaction() as conn:
        return queries.keys_tagged(conn, name, in_trash)


def papers_phrase(total: int, in_trash: int) -> str:
    """``3 papers``, or ``3 papers (1 of them in the Trash)``."""
    return counted(total, "paper") + (f" ({in_trash} of them in the Trash)" if in_trash else "")


def references(library: Library, name: str) -> TagReferences:
    """The saved searches and rules whose queries or actions name the tag ``name``."""
    marker = "\0"
    searches = tuple(s.name for s in library.saved_searches()
                     if rename_tag_in_query(s.query, name, marker) != s.query)
    every = RuleBook(library).all()
    adding = tuple(r.name for r in every if name in (normalise_tag(t) for t in r.tags))
    rules = tuple(r.name for r in every
                  if r.name in adding or rename_tag_in_query(r.query, name, marker) != r.query)
    return TagReferences(searches, rules, adding)


def reference_changes(library: Library, old: str, new: str) -> list[SettingChange]:
    """The saved searches and rules naming tag ``old`` rewritten to name ``new``."""
    changes = []
    for search in library.saved_searches():
        query = rename_tag_in_query(search.query, old, new)
        if query != search.query:
            changes.append(SettingChange(f"search:{search.name}", search.query, query))
    for rule in RuleBook(library).all():
        renamed = Rule(rule.name, rename_tag_in_query(rule.query, old, new), rule.flags,
                       tuple(dict.fromkeys(new if normalise_tag(t) == old else t
                                           for t in rule.tags)))
        if renamed != rule:
            changes.append(SettingChange(RULE_PREFIX + rule.name, rule.to_setting(),
                                         renamed.to_setting()))
    return changes


def apply_settings(library: Library, changes: Sequence[SettingChange]) -> None:
    """Write each change's ``after`` value."""
    for change in changes:
        library.set_synced_setting(change.key, change.after)


@dataclass(frozen=True, slots=True)
class TagRename:
    """What ``rename_tag`` did."""

    old: str
    new: str
    keys: tuple[str, ...]  # every paper renamed, those in the Trash included
    merged: bool  # ``new`` existed already
    references: TagReferences
    in_trash: int = 0  # how many of ``keys`` are in the Trash


def rename_tag(library: Library, old: str, new: str) -> TagRename:
    """Rename tag ``old`` to ``new`` on every paper (one transaction), then in searches and rules.

    Raises:
        InputError: no such tag, or an unusable new name.
    """
    old_tag, new_tag = existing_tag(library, old), new_tag_name(new)
    if new_tag == old_tag:
        return TagRename(old_tag, new_tag, (), False, TagReferences())
    merged = bool(tagged_keys(library, new_tag))
    live = tagged_keys(library, old_tag)
    keys = tagged_keys(library, old_tag, in_trash=True)
    changes = reference_changes(library, old_tag, new_tag)
    library.tag(keys, add=[new_tag], remove=[old_tag])
    apply_settings(library, changes)
    named = [change.key.split(":", 1) for change in changes]
    refs = TagReferences(tuple(n for kind, n in named if kind == "search"),
                         tuple(n for kind, n in named if f"{kind}:" == RULE_PREFIX))
    return TagRename(old_tag, new_tag, tuple(keys), merged, refs, len(keys) - len(live))


def delete_tag(library: Library, name: str) -> tuple[str, ...]:
    """Take tag ``name`` off every paper, those in the Trash too (one transaction); returns
    the keys of those papers.

    Raises:
        InputError: no such tag.
    """
    tag = existing_tag(library, name)
    keys = tagged_keys(library, tag, in_trash=True)
    library.tag(keys, remove=[tag])
    return tuple(keys)
