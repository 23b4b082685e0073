"""What changed between arXiv versions of a paper: the earlier text kept when a new version
replaced it, a word-level diff, and a one-line summary."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

SAME, ADDED, REMOVED = "=", "+", "-"


@dataclass(frozen=True, slots=True)
class EarlierVersion:
    """A paper's metadata as it was before a newer arXiv version replaced it."""

    version: int
    replaced_by: int
    replaced_at: str  # ISO-8601 UTC: when this library learned of the newer version
    title: str
    authors: str  # "A, B, C"
    abstract: str
    comment: str
    journal_ref: str

    def to_json(self) -> dict[str, Any]:
        return {"version": self.version, "replaced_by": self.replaced_by,
                "replaced_at": self.replaced_at, "title": self.title, "authors": self.authors,
                "abstract": self.abstract, "comment": self.comment,
                "journal_ref": self.journal_ref}


def word_diff(old: str, new: str, separator: str | None = None) -> list[tuple[str, str]]:
    """The words of ``new`` against ``old``: runs of (SAME | ADDED | REMOVED, text).

    ``separator`` splits into other units than words (``", "`` for author lists)."""
    if separator is None:
        before, after, glue = old.split(), new.split(), " "
    else:
        before = [p.strip() for p in old.split(separator.strip()) if p.strip()]
        after = [p.strip() for p in new.split(separator.strip()) if p.strip()]
        glue = separator
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            runs.append((SAME, glue.join(after[j1:j2])))
            continue
        if i2 > i1:
            runs.append((REMOVED, glue.join(before[i1:i2])))
        if j2 > j1:
            runs.append((ADDED, glue.join(after[j1:j2])))
    return runs


def _counts(runs: list[tuple[str, str]]) -> tuple[int, int]:
    added = sum(len(text.split()) for kind, text in runs if kind == ADDED)
    removed = sum(len(text.split()) for kind, text in runs if kind == REMOVED)
    return added, removed


def paper_changes(earlier: EarlierVersion, paper: Any) -> list[str]:
    """``changes`` of a ``core.models.Paper`` against one of its earlier versions; a paper
    withdrawn since says so first (the rest is then mostly the withdrawal notice)."""
    found = changes(earlier, paper.title, ", ".join(paper.authors), paper.abstract,
                    paper.comment or "", paper.journal_ref or "")
    return (["withdrawn"] if getattr(paper, "withdrawn", False) else []) + found


def changes(earlier: EarlierVersion, title: str, authors: str, abstract: str, comment: str,
            journal_ref: str) -> list[str]:
    """What the current metadata changed against ``earlier``, one short phrase per field
    (empty when only the version number moved)."""
    out: list[str] = []
    if " ".join(title.split()) != " ".join(earlier.title.split()):
        out.append("new title")
    if authors != earlier.authors:
        before = {a.strip() for a in earlier.authors.split(",") if a.strip()}
        now = {a.strip() for a in authors.split(",") if a.strip()}
        joined, left = len(now - before), len(before - now)
        parts = [f"+{joined}" if joined else "", f"−{left}" if left else ""]
        out.append("authors " + (" ".join(p for p in parts if p) or "reordered"))
    if abstract.split() != earlier.abstract.split():
        added, removed = _counts(word_diff(earlier.abstract, abstract))
        out.append(f"abstract +{added} −{removed} words")
    if comment != earlier.comment:
        out.append(f"comment: “{comment}”" if comment else "comment removed")
    if journal_ref != earlier.journal_ref and journal_ref:
        out.append(f"published: {journal_ref}")
    return out
