"""BibTeX entries for papers, ready to paste into a LaTeX project or a reference manager.

The shape follows arXiv's own "Export BibTeX citation": ``@misc`` with ``eprint``,
``archivePrefix`` and ``primaryClass`` for preprints; a DOI, the journal reference (as a note)
and the URL when known; tags as ``keywords``. Keys are ``<first author's surname><year><first
title word>``, made unique within one export.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from readinglist.core.models import Paper

_STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how in is it of on or the to via we what "
    "when where which who why with".split())
_MATH = re.compile(r"(\$[^$]*\$)")
_SPECIALS = re.compile(r"(?<!\\)([&%#_$])")
_CARET = re.compile(r"(?<!\\)\^")
_SUFFIXES = frozenset({"jr", "jr.", "sr", "sr.", "ii", "iii", "iv"})
# an author that is no person: BibTeX must not split it into surname and given names
_ORGANISATION = re.compile(
    r"\b(collaboration|consortium|team|group|project|committee|council|initiative|"
    r"institute|organi[sz]ation|association|society|university|laboratory|foundation|"
    r"agency|alliance|inc|ltd|corporation)\b", re.IGNORECASE)


def bibtex_entries(papers: Iterable[Paper]) -> str:
    """Entries for ``papers``, separated by blank lines, with unique citation keys."""
    papers = list(papers)
    return "\n".join(bibtex_entry(paper, key=key)
                     for paper, key in zip(papers, citation_keys(papers)))


def citation_keys(papers: Sequence[Paper]) -> list[str]:
    """Unique keys for ``papers``, in their order. Papers sharing a key are told apart in the
    order they came into the library (not the order listed): a paper added to a kept-up-to-date
    ``.bib`` takes the next free suffix and never the key a LaTeX document already cites."""
    seen: Counter[int] = Counter()
    order = []
    for index, paper in enumerate(papers):  # a paper listed twice: its second key comes last
        order.append((seen[paper.id], paper.added_at.timestamp() if paper.added_at
                      else float("inf"), paper.id, index))
        seen[paper.id] += 1
    used: set[str] = set()
    keys = {index: citation_key(papers[index], used) for *_, index in sorted(order)}
    return [keys[index] for index in range(len(papers))]


def bibtex_entry(paper: Paper, used: set[str] | None = None, key: str | None = None) -> str:
    """One entry. ``used``: keys taken so far in this export (the new key is added); ``key``:
    the key to use instead."""
    key = key or citation_key(paper, used)
    year = str(paper.published.year) if paper.published else ""
    fields: list[tuple[str, str]] = [
        ("title", protect_case(latex_text(paper.title))),
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
    if paper.tags:
        fields.append(("keywords", latex_text(", ".join(paper.tags))))
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
    """``Ludwig van Beethoven`` → ``van Beethoven, Ludwig``; ``Surname, Given`` stays;
    ``Martin Luther King Jr.`` → ``King, Jr., Martin Luther``; an organisation is braced whole
    (``{The ATLAS Collaboration}``)."""
    surname, given, suffix = name_parts(name)
    if is_organisation(name):
        return latex_text(f"{{{surname}}}")
    if suffix:
        return latex_text(f"{surname}, {suffix}, {given}".strip())
    return latex_text(f"{surname}, {given}" if given else surname)


def is_organisation(name: str) -> bool:
    """True for an author such as ``The ATLAS Collaboration`` or ``Google AI Team``."""
    name = name.strip()
    return " " in name and (re.search(r"\sand\s", name, re.IGNORECASE) is not None
                            or "," not in name and _ORGANISATION.search(name) is not None)


def split_name(name: str) -> tuple[str, str]:
    """(surname, given names) of ``name_parts`` (a suffix stays with the given names)."""
    surname, given, suffix = name_parts(name)
    return surname, ", ".join(p for p in (given, suffix) if p)


def name_parts(name: str) -> tuple[str, str, str]:
    """(surname, given names, suffix): after a comma if there is one (``King, Jr., Martin``
    too), else from the first lower-case particle inside the name (``van``, ``de``), else the
    last word before a suffix such as ``Jr.``. An organisation is all surname."""
    name = " ".join(name.split())
    if is_organisation(name):
        return name, "", ""
    if "," in name:
        surname, given = (p.strip() for p in name.split(",", 1))
        if given.lower() in _SUFFIXES:  # Martin Luther King, Jr.
            surname, given, _ = name_parts(surname)
            return surname, given, name.split(",", 1)[1].strip()
        suffix, _, rest = given.partition(",")
        if rest and suffix.strip().lower() in _SUFFIXES:  # King, Jr., Martin Luther
            return surname, rest.strip(), suffix.strip()
        return surname, given, ""
    tokens = name.split(" ")
    suffix = tokens.pop() if len(tokens) > 1 and tokens[-1].lower() in _SUFFIXES else ""
    start = len(tokens) - 1
    for index in range(1, len(tokens) - 1):
        if tokens[index][:1].islower():
            start = index
            break
    return " ".join(tokens[start:]), " ".join(tokens[:start]), suffix


def latex_text(text: str) -> str:
    """Text safe inside a BibTeX field: ``& % # _``, a lone ``$`` and ``^`` escaped outside
    ``$…$`` math, braces balanced (unbalanced ones dropped). TeX already in arXiv titles is
    kept."""
    parts = _MATH.split(" ".join(text.split()))
    escaped = "".join(part if part.startswith("$") and part.endswith("$") and len(part) > 1
                      else _CARET.sub(r"\\^{}", _SPECIALS.sub(r"\\\1", part))
                      for part in parts)
    return escaped if _balanced(escaped) else escaped.replace("{", "").replace("}", "")


def protect_case(text: str) -> str:
    """A title with its words that must keep their capitals braced (``{BERT}``, ``{GANs}``,
    ``Large {N} Limit``), so that a style setting titles in sentence case leaves them alone.
    Math, TeX commands and groups already braced are left as they are."""
    depth, out = 0, []
    for part in _MATH.split(text):
        if part.startswith("$") and part.endswith("$") and len(part) > 1:
            out.append(part)
            continue
        for piece in re.split(r"(\s+)", part):
            out.append(_protected(piece) if depth == 0 else piece)
            depth += piece.count("{") - piece.count("}")
    return "".join(out)


def _protected(word: str) -> str:
    """``word`` braced when it has a capital after its first letter, or is one capital
    letter other than ``A`` (``Large N Limit``, ``Part I``)."""
    if "\\" in word or "{" in word or "}" in word:
        return word
    letters = "".join(c for c in word if c.isalpha())
    single = len(letters) == 1 and letters.isupper() and letters != "A"
    return f"{{{word}}}" if single or letters[1:] != letters[1:].lower() else word


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


__all__ = ["bibtex_entries", "bibtex_entry", "bibtex_name", "citation_key", "citation_keys",
           "latex_text", "name_parts", "protect_case"]
