"""Reading BibTeX and RIS files (a Zotero, JabRef or Mendeley export) as import objects in the
``list --json`` shape, so that ``import`` takes them like JSON Lines.

Entries are matched to papers by arXiv id (``eprint``, an arxiv.org link, an arXiv DOI or an
``arXiv:`` mention in the journal field), else DOI, else URL; entries with none of these cannot
be told apart from one another and are skipped (and counted). A syntax error stops the import
before anything is written, naming its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readinglist.core.errors import InputError
from readinglist.core.ids import arxiv_ids_in, match_arxiv, normalise_doi
from readinglist.services import bibtex_reader as bibtex
from readinglist.services import ris_reader as ris

SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris"}


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
        parsed = [({k: v if k.startswith("__") else bibtex.plain(v) for k, v in raw.items()},
                   bibtex.authors(raw.get("author", ""))) for raw in bibtex.bibtex_entries(text)]
    else:
        parsed = [(ris.fields(entry), ris.authors(entry)) for entry in ris.ris_entries(text)]
    result = CitationFile()
    for fields, authors in parsed:
        obj = _import_object(fields, authors)
        if obj is None:
            result.skipped += 1
        else:
            result.objects.append(obj)
    return result


def _published(fields: dict[str, str]) -> str | None:
    if fields.get("date") and re.match(r"\d{4}-\d{2}(-\d{2})?$", fields["date"].strip()):
        day = fields["date"].strip()
        return day if len(day) == 10 else f"{day}-01"
    year = fields.get("year", "").strip()
    if not re.fullmatch(r"\d{4}", year):
        return None
    month_text = fields.get("month", "").strip().lower()[:3]
    month = bibtex.MONTHS.get(month_text) or (int(month_text) if month_text.isdigit() else 1)
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
