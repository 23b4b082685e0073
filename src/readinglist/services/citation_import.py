"""Reading BibTeX and RIS files (a Zotero, JabRef or Mendeley export) as import objects in the
``list --json`` shape, so that ``import`` takes them like JSON Lines.

Entries are matched to papers by arXiv id (``eprint``, an arxiv.org link, an arXiv DOI or an
``arXiv:`` mention in the journal field), else DOI, else URL; entries with none of these cannot
be told apart from one another and are skipped (and counted). A syntax error stops the import
before anything is written, naming its line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readinglist.core.errors import InputError
from readinglist.core.ids import arxiv_ids_in, match_arxiv, normalise_doi
from readinglist.sources.tex import decode_accents

SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris"}
_MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


@dataclass(slots=True)
class CitationFile:
    """What a citation file held: import objects, and how many entries had no identifier."""

    objects: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0


def citation_format(path: Path) -> str | None:
    """``bibtex`` or ``ris`` for a file name that says so, else None (JSON Lines)."""
    return SUFFIXES.get(Path(path).suffix.lower())


def read_citation_file(path: Path, fmt: str) -> CitationFile:
    """Parse a BibTeX or RIS file.

    Raises:
        InputError: unreadable file or a syntax error (with its line number).
    """
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; nothing was imported") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    if fmt == "bibtex":
        parsed = [({k: v if k.startswith("__") else _plain(v) for k, v in raw.items()},
                   _bib_authors(raw.get("author", ""))) for raw in _bibtex_entries(text)]
    else:
        parsed = [(_ris_fields(entry), _ris_authors(entry)) for entry in _ris_entries(text)]
    result = CitationFile()
    for fields, authors in parsed:
        obj = _import_object(fields, authors)
        if obj is None:
            result.skipped += 1
        else:
            result.objects.append(obj)
    return result


# -- BibTeX ------------------------------------------------------------------------------------


class _BibReader:
    """A small recursive-descent reader of BibTeX entries (braces, quotes, ``#``, @string)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.macros: dict[str, str] = {m: m.capitalize() for m in _MONTHS}

    def error(self, message: str, at: int | None = None) -> InputError:
        line = self.text.count("\n", 0, self.pos if at is None else at) + 1
        return InputError(f"line {line}: {message}; nothing was imported")

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def entries(self) -> Iterator[dict[str, str]]:
        while True:
            at = self.text.find("@", self.pos)
            if at < 0:
                return
            self.pos = at + 1
            kind = self.word().lower()
            self.skip_space()
            if self.pos >= len(self.text) or self.text[self.pos] not in "{(":
                if kind in ("comment", ""):
                    continue
                raise self.error(f"@{kind} is not followed by {{", at)
            close = "}" if self.text[self.pos] == "{" else ")"
            if kind in ("comment", "preamble"):
                self.balanced(at)
                continue
            self.pos += 1
            if kind == "string":
                name, value = self.field(at)
                self.macros[name] = value
                self.expect(close, at)
                continue
            yield self.entry(kind, close, at)

    def entry(self, kind: str, close: str, at: int) -> dict[str, str]:
        self.skip_space()
        key_end = self.text.find(",", self.pos)
        if key_end < 0:
            raise self.error(f"the @{kind} entry has no fields", at)
        fields = {"__type": kind, "__key": self.text[self.pos:key_end].strip()}
        self.pos = key_end + 1
        while True:
            self.skip_space()
            if self.pos >= len(self.text):
                raise self.error(f"the @{kind} entry is not closed", at)
            if self.text[self.pos] == close:
                self.pos += 1
                return fields
            if self.text[self.pos] == ",":
                self.pos += 1
                continue
            name, value = self.field(at)
            fields[name] = value

    def field(self, at: int) -> tuple[str, str]:
        self.skip_space()
        name = self.word().lower()
        self.skip_space()
        if not name or self.pos >= len(self.text) or self.text[self.pos] != "=":
            raise self.error("expected a field such as title = {…}")
        self.pos += 1
        parts = [self.value(at)]
        while True:
            self.skip_space()
            if self.pos < len(self.text) and self.text[self.pos] == "#":
                self.pos += 1
                parts.append(self.value(at))
            else:
                return name, "".join(parts)

    def value(self, at: int) -> str:
        self.skip_space()
        if self.pos >= len(self.text):
            raise self.error("a field has no value", at)
        char = self.text[self.pos]
        if char == "{":
            start = self.pos
            self.balanced(at)
            return self.text[start + 1:self.pos - 1]
        if char == '"':
            start, depth = self.pos + 1, 0
            self.pos += 1
            while self.pos < len(self.text):
                c = self.text[self.pos]
                if c == "{":
                    depth += 1
                elif c == "}":
                    depth -= 1
                elif c == '"' and depth == 0 and self.text[self.pos - 1] != "\\":
                    self.pos += 1
                    return self.text[start:self.pos - 1]
                self.pos += 1
            raise self.error("a quoted value is not closed", at)
        word = self.word()
        if not word:
            raise self.error(f"unexpected {char!r} in a field value")
        return self.macros.get(word.lower(), word)

    def word(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and (self.text[self.pos].isalnum()
                                             or self.text[self.pos] in "_-:.+/'"):
            self.pos += 1
        return self.text[start:self.pos]

    def balanced(self, at: int) -> None:
        """Move past a braced or parenthesised group starting at ``pos``."""
        opening = self.text[self.pos]
        closing = "}" if opening == "{" else ")"
        depth = 0
        while self.pos < len(self.text):
            c = self.text[self.pos]
            if c == opening:
                depth += 1
            elif c == closing:
                depth -= 1
                if depth == 0:
                    self.pos += 1
                    return
            self.pos += 1
        raise self.error("a brace is not closed", at)

    def expect(self, char: str, at: int) -> None:
        self.skip_space()
        if self.pos >= len(self.text) or self.text[self.pos] != char:
            raise self.error(f"expected {char!r}", at)
        self.pos += 1


def _bibtex_entries(text: str) -> list[dict[str, str]]:
    return list(_BibReader(text).entries())


def _plain(value: str) -> str:
    """A BibTeX value as plain text: accents decoded, grouping braces dropped."""
    text = decode_accents(value).replace("\\&", "&").replace("~", " ")
    return " ".join(text.replace("{", "").replace("}", "").split())


def _bib_authors(value: str) -> list[str]:
    """``Last, First and {Org Name}`` -> ``["First Last", "Org Name"]``."""
    names = []
    depth, start, parts = 0, 0, []
    for match in re.finditer(r"[{}]|\s+and\s+", value, flags=re.IGNORECASE):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0:
            parts.append(value[start:match.start()])
            start = match.end()
    parts.append(value[start:])
    for part in parts:
        name = _plain(part)
        if "," in name:
            last, first = name.split(",", 1)
            name = f"{first.strip()} {last.strip()}".strip()
        if name and name.lower() != "others":
            names.append(name)
    return names


# -- RIS ---------------------------------------------------------------------------------------


_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def _ris_entries(text: str) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    last_tag = ""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if not line.strip():
            continue
        match = _RIS_LINE.match(line)
        if match is None:
            if current is not None and last_tag:  # a continuation of a long value
                current[last_tag][-1] += " " + line.strip()
                continue
            raise InputError(f"line {number}: not a RIS line (TAG  - value): {line[:40]!r}; "
                             "nothing was imported")
        tag, value = match.group(1), (match.group(2) or "").strip()
        if tag == "TY":
            current = {"__type": value}
        elif current is None:
            raise InputError(f"line {number}: {tag} before the first TY; nothing was imported")
        elif tag == "ER":
            entries.append(current)
            current = None
            continue
        else:
            current.setdefault(tag, []).append(value)
        last_tag = tag
    if current is not None:
        raise InputError("the last RIS entry has no ER line; nothing was imported")
    return entries


def _ris_fields(entry: dict[str, Any]) -> dict[str, str]:
    """A RIS entry's values under BibTeX's field names."""
    def first(*tags: str) -> str:
        return next((entry[t][0] for t in tags if entry.get(t)), "")

    date = first("DA", "PY", "Y1")
    parts = [p for p in date.split("/") if p.strip()]
    fields = {
        "title": first("TI", "T1", "CT"), "abstract": first("AB", "N2"),
        "doi": first("DO"), "url": first("UR", "L1"), "journal": first("JO", "JF", "T2"),
        "volume": first("VL"), "pages": "-".join(p for p in (first("SP"), first("EP")) if p),
        "year": parts[0] if parts else "", "month": parts[1] if len(parts) > 1 else "",
        "day": parts[2] if len(parts) > 2 else "",
        "keywords": ";".join(entry.get("KW", [])), "note": first("N1", "M1"),
    }
    return {name: value for name, value in fields.items() if value}


def _ris_authors(entry: dict[str, Any]) -> list[str]:
    """``AU  - Lovelace, Ada`` -> ``Ada Lovelace``."""
    names = []
    for raw in entry.get("AU", []) + entry.get("A1", []):
        last, _, first = raw.partition(",")
        name = f"{first.strip()} {last.strip()}".strip() if first else last.strip()
        if name:
            names.append(" ".join(name.split()))
    return names


# -- both --------------------------------------------------------------------------------------


def _published(fields: dict[str, str]) -> str | None:
    if fields.get("date") and re.match(r"\d{4}-\d{2}(-\d{2})?$", fields["date"].strip()):
        day = fields["date"].strip()
        return day if len(day) == 10 else f"{day}-01"
    year = fields.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return None
    month_text = fields.get("month", "").strip().lower()[:3]
    month = _MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() else 1)
    day_text = fields.get("day", "").strip()
    day = int(day_text) if day_text.isdigit() and 1 <= int(day_text) <= 28 else 1
    return f"{year}-{max(1, min(12, month)):02d}-{day:02d}"


def _arxiv(fields: dict[str, str]) -> tuple[str | None, int | None]:
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    if fields.get("eprint") and (prefix in ("arxiv", "") or "arxiv" in prefix):
        ref = match_arxiv(fields["eprint"].strip())
        if ref is not None:
            return ref.arxiv_id, ref.version
    for name in ("url", "doi", "journal", "note", "howpublished", "volume"):
        found = arxiv_ids_in(fields.get(name, ""))
        if found:
            return found[0].arxiv_id, found[0].version
    return None, None


def _import_object(fields: dict[str, str], authors: list[str]) -> dict[str, Any] | None:
    """The import object (``list --json`` shape) for one entry, or None without an id."""
    arxiv_id, version = _arxiv(fields)
    doi = normalise_doi(fields["doi"]) if fields.get("doi") else None
    url = fields.get("url") or None
    title = fields.get("title", "")
    if not (arxiv_id or doi or url) or not title:
        return None
    venue = fields.get("journal") or fields.get("booktitle") or ""
    journal_ref = None
    if venue and "arxiv" not in venue.lower():
        journal_ref = ", ".join(p for p in (venue, fields.get("volume", ""),
                                            fields.get("pages", "").replace("--", "–"),
                                            fields.get("year", "")) if p)
    tags = [t.strip() for t in re.split(r"[;,]", fields.get("keywords", "")) if t.strip()]
    return {"arxiv_id": arxiv_id, "version": version, "doi": doi, "url": url, "title": title,
            "authors": authors, "abstract": fields.get("abstract", ""),
            "published": _published(fields), "journal_ref": journal_ref, "tags": tags,
            "sources": ["import"]}
