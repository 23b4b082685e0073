"""BibTeX entries for papers, ready to paste into a LaTeX project or a reference manager.

The shape follows arXiv's own "Export BibTeX citation": ``@misc`` with ``eprint``,
``archivePrefix`` and ``primaryClass`` for preprints; a DOI, the journal reference (as a note)
and the URL when known. Keys are ``<first author's surname><year><first title word>``, made
unique within one export.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readinglist.core.models import Paper

_STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how in is it of on or the to via we what "
    "when where which who why with".split())
_MATH = re.compile(r"(\$[^$]*\$)")
_SPECIALS = re.compile(r"(?<!\\)([&%#_])")


def bibtex_entries(papers: Iterable[Paper]) -> str:
    """Entries for ``papers``, separated by blank lines, with unique citation keys."""
    used: set[str] = set()
    return "\n".join(bibtex_entry(paper, used) for paper in papers)


def bibtex_entry(paper: Paper, used: set[str] | None = None) -> str:
    """One entry. ``used``: keys taken so far in this export (the new key is added)."""
    key = citation_key(paper, used)
    year = str(paper.published.year) if paper.published else ""
    fields: list[tuple[str, str]] = [
        ("title", latex_text(paper.title)),
        ("author", " and ".join(bibtex_name(a) for a in paper.authors)),
        ("year", year),
    ]
    if paper.arxiv_id:
        fields += [("eprint", paper.arxiv_id), ("archivePrefix", "arXiv")]
        if paper.primary_category:
            fields.append(("primaryClass", paper.primary_category))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.journal_ref:
        fields.append(("note", latex_text(paper.journal_ref)))
    if paper.url:
        fields.append(("url", paper.url))
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields if value)
    return f"@misc{{{key},\n{body}}}\n"


def citation_key(paper: Paper, used: set[str] | None = None) -> str:
    """``vaswani2017attention``-style key; ``a``, ``b``, … appended when already ``used``."""
    surname = _ascii_word(split_name(paper.authors[0])[0]) if paper.authors else ""
    year = str(paper.published.year) if paper.published else ""
    words = [_ascii_word(w) for w in re.split(r"[\s/:]+", paper.title)]
    word = next((w for w in words if w and w not in _STOPWORDS), "")
    base = f"{surname}{year}{word}" or _ascii_word(paper.key) or "paper"
    key, suffix = base, 0
    while used is not None and key in used:
        key = f"{base}{_letters(suffix)}"
        suffix += 1
    if used is not None:
        used.add(key)
    return key


def bibtex_name(name: str) -> str:
    """``Ludwig van Beethoven`` → ``van Beethoven, Ludwig``; ``Surname, Given`` stays."""
    surname, given = split_name(name)
    return latex_text(f"{surname}, {given}" if given else surname)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given names): after a comma if there is one, else from the first lower-case
    particle inside the name (``van``, ``de``), else the last word."""
    name = " ".join(name.split())
    if "," in name:
        surname, given = name.split(",", 1)
        return surname.strip(), given.strip()
    tokens = name.split(" ")
    start = len(tokens) - 1
    for index in range(1, len(tokens) - 1):
        if tokens[index][:1].islower():
            start = index
            break
    return " ".join(tokens[start:]), " ".join(tokens[:start])


def latex_text(text: str) -> str:
    """Text safe inside a BibTeX field: ``& % # _`` escaped outside ``$…$`` math, braces
    balanced (unbalanced ones dropped). TeX already in arXiv titles is kept."""
    parts = _MATH.split(" ".join(text.split()))
    escaped = "".join(part if part.startswith("$") and part.endswith("$") and len(part) > 1
                      else _SPECIALS.sub(r"\\\1", part) for part in parts)
    return escaped if _balanced(escaped) else escaped.replace("{", "").replace("}", "")


def _balanced(text: str) -> bool:
    depth = 0
    for char in text:
        depth += (char == "{") - (char == "}")
        if depth < 0:
            return False
    return depth == 0


def _ascii_word(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", folded.lower())


def _letters(number: int) -> str:
    """0 → a, 25 → z, 26 → aa, …"""
    out = ""
    number += 1
    while number:
        number, rest = divmod(number - 1, 26)
        out = chr(ord("a") + rest) + out
    return out


__all__ = ["bibtex_entries", "bibtex_entry", "bibtex_name", "citation_key", "latex_text"]
