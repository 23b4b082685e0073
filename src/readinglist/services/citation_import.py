"""Reading BibTeX and RIS files (a Zotero, JabRef or Mendeley export) as import objects in the
``list --json`` shape, so that ``import`` takes them like JSON Lines.

Entries are matched to papers by arXiv id (``eprint``, an arxiv.org link, an arXiv DOI or an
``arXiv:`` mention in the journal field), else DOI, else URL; entries with none of these cannot
be told apart from one another and are skipped (and counted). A syntax error stops the import
before anything is written, naming its line.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from readinglist.core.errors import InputError
from readinglist.core.ids import arxiv_ids_in, match_arxiv, normalise_doi
from readinglist.services import bibtex_reader as bibtex
from readinglist.services import ris_reader as ris
from readinglist.services.records import MAX_TAG_LENGTH, loads
from readinglist.storage.tag_sets import normalise_tag

SUFFIXES = {".bib": "bibtex", ".bibtex": "bibtex", ".ris": "ris"}
_NOTE_CATEGORY = re.compile(r"arXiv:\S+\s*\[([a-z]+(?:-[a-z]+)?\.[A-Za-z-]+|[a-z]+-[a-z]+)\]")


# keys of the ``list --json`` shape that CSL-JSON does not use: an array of such objects is a
# saved ``list --json``, imported as its JSON Lines would be
_OWN_FIELDS = frozenset({"arxiv_id", "authors", "sources", "hf_upvotes", "pdf_url"})


@dataclass(slots=True)
class CitationFile:
    """What a citation file held: import objects, and how many entries had no identifier."""

    objects: list[dict[str, Any]] = field(default_factory=list)
    skipped: int = 0


def citation_format(path: Path) -> str | None:
    """``bibtex``, ``ris`` or ``csl-json`` (a ``.json`` file holding one JSON array, as Zotero
    and ``cite --format csl-json`` write) for such a file, else None (JSON Lines)."""
    path = Path(path)
    if path.suffix.lower() == ".json":
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096).lstrip(b"\xef\xbb\xbf \t\r\n")
        except OSError:
            return None  # the JSON Lines reader reports it
        return "csl-json" if head.startswith(b"[") else None
    return SUFFIXES.get(path.suffix.lower())


def read_citation_file(path: Path, fmt: str) -> CitationFile:
    """Parse a BibTeX or RIS file.

    Raises:
        InputError: unreadable file or a syntax error (with its line number).
    """
    try:
        text = _decoded(Path(path).read_bytes())
    except UnicodeDecodeError:
        raise InputError(f"{path} is not UTF-8 text; nothing was imported") from None
    except OSError as error:
        raise InputError(f"cannot read {path}: {error.strerror}") from None
    if fmt == "bibtex":
        parsed = [({k: v if k.startswith("__") or k == "file" else bibtex.plain(v)
                    for k, v in raw.items()}, bibtex.authors(raw.get("author", "")))
                  for raw in bibtex.bibtex_entries(text)]
    elif fmt == "csl-json":
        items = _csl_items(text)
        if items and all(_OWN_FIELDS.intersection(item) for item in items):
            return CitationFile(objects=items)  # `readinglist list --json > papers.json`
        parsed = [_csl_fields(item) for item in items]
    else:
        parsed = [(ris.fields(entry), ris.authors(entry)) for entry in ris.ris_entries(text)]
    result = CitationFile()
    for fields, authors in parsed:
        obj = _import_object(fields, authors)
        if obj is None:
            result.skipped += 1
        else:
            obj["pdf_files"] = _pdf_files(fields.get("file", ""), Path(path).parent)
            result.objects.append(obj)
    return result


def _decoded(data: bytes) -> str:
    """UTF-8 (a BOM allowed), or the encoding a JabRef file names on its first line
    (``% Encoding: ISO8859_1``).

    Raises:
        UnicodeDecodeError: neither.
    """
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        named = re.match(rb"\s*% *Encoding: *([\w.-]+)", data)
        try:
            return data.decode(named.group(1).decode("ascii")) if named else data.decode("utf-8")
        except LookupError:  # an encoding Python does not know
            return data.decode("utf-8")


def _pdf_files(value: str, folder: Path) -> list[str]:
    """The PDF paths in a ``file`` field: Zotero's ``/a.pdf;/b.pdf``, JabRef's and Mendeley's
    ``description:path:type`` (``\\:`` an escaped colon), RIS ``file://`` links; relative
    paths are relative to the exported file's folder. Web links (a RIS ``L1`` may be one) and
    EndNote's ``internal-pdf://`` name no file here. Mendeley writes TeX (``M{\\"u}ller``,
    ``{\\_}``) and drops the leading ``/`` of an absolute path."""
    from urllib.parse import unquote, urlsplit

    found = []
    for part in re.split(r"(?<!\\);", value):
        part = part.strip()
        if not part:
            continue
        if part.lower().startswith("file://"):
            part = unquote(urlsplit(part).path)
        elif re.match(r"[a-z][a-z0-9+.-]+://", part, re.IGNORECASE):
            continue
        pieces = re.split(r"(?<!\\):", part)
        if len(pieces) >= 3:  # description:path:type
            part = ":".join(pieces[1:-1])
        part = part.replace("\\:", ":").replace("\\;", ";")
        if "{" in part:
            part = bibtex.plain(part)
        if part.lower().endswith(".pdf"):
            candidate = Path(part).expanduser()
            if not candidate.is_absolute():
                rooted = Path("/", candidate)
                candidate = rooted if not (folder / candidate).exists() and rooted.exists() \
                    else folder / candidate
            found.append(str(candidate))
    return found


def _csl_items(text: str) -> list[dict[str, Any]]:
    try:
        items = loads(text)
    except json.JSONDecodeError as error:
        raise InputError(f"line {error.lineno}: not valid JSON ({error.msg}); nothing was "
                         "imported") from None
    except InputError as error:
        raise InputError(f"{error}; nothing was imported") from None
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
        raise InputError("a CSL-JSON file holds an array of objects; nothing was imported")
    return items


def _csl_fields(item: dict[str, Any]) -> tuple[dict[str, str], list[str]]:
    """A CSL-JSON item's values under BibTeX's field names, and its authors."""
    def text(name: str) -> str:
        value = item.get(name)
        return " ".join(str(value).split()) if isinstance(value, (str, int)) else ""

    authors = []
    for person in item.get("author") or []:
        if isinstance(person, dict):
            name = person.get("literal") or " ".join(
                str(person[p]) for p in ("given", "dropping-particle", "non-dropping-particle",
                                         "family", "suffix") if person.get(p))
            if name:
                authors.append(" ".join(str(name).split()))
    fields = {"title": text("title"), "abstract": text("abstract"), "doi": text("DOI"),
              "url": text("URL"), "note": " ".join((text("number"), text("note"))),
              "keywords": text("keyword"),
              # a CSL container title is the whole reference already (our own exports too)
              "__journal_ref": ", ".join(p for p in (text("container-title"), text("volume"),
                                                     text("page")) if p)}
    parts = ((item.get("issued") or {}).get("date-parts") or [[]])[0] \
        if isinstance(item.get("issued"), dict) else []
    if parts and str(parts[0]).isdigit():
        fields["year"] = str(parts[0])
        if len(parts) > 1:
            fields["month"] = str(parts[1])
        if len(parts) > 2:
            fields["day"] = str(parts[2])
    arxiv = arxiv_ids_in(f"{fields['note']} {fields['url']}")
    if arxiv and text("version").isdigit():
        fields["eprint"] = f"{arxiv[0].arxiv_id}v{text('version')}"
    return {k: v for k, v in fields.items() if v}, authors


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
    try:
        return date(int(year), max(1, min(12, month)),
                    int(day_text) if day_text.isdigit() else 1).isoformat()
    except ValueError:  # the 31st of a short month: the month is still right
        return date(int(year), max(1, min(12, month)), 1).isoformat()


def _arxiv(fields: dict[str, str]) -> tuple[str | None, int | None]:
    """The arXiv id, and its version from whichever field names one (an ``abs`` link without
    it, a note ``arXiv:2406.05821v2`` with it)."""
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").lower()
    refs = []
    if fields.get("eprint") and (prefix in ("arxiv", "") or "arxiv" in prefix):
        ref = match_arxiv(fields["eprint"].strip())
        refs += [ref] if ref is not None else []
    for name in ("url", "doi", "journal", "note", "howpublished", "volume"):
        refs += arxiv_ids_in(fields.get(name, ""))
    if not refs:
        return None, None
    return refs[0].arxiv_id, next((r.version for r in refs
                                   if r.arxiv_id == refs[0].arxiv_id and r.version), None)


def _category(fields: dict[str, str]) -> str | None:
    """``primaryClass``/``eprintclass``, or the ``[cs.CL]`` of a note ``arXiv:… [cs.CL]`` (not
    Zotero's bare archive ``[cs]``)."""
    named = (fields.get("primaryclass") or fields.get("eprintclass") or "").strip()
    found = _NOTE_CATEGORY.search(fields.get("note", ""))
    return named or (found.group(1) if found else None)


def _import_object(fields: dict[str, str], authors: list[str]) -> dict[str, Any] | None:
    """The import object (``list --json`` shape) for one entry, or None without an id."""
    arxiv_id, version = _arxiv(fields)
    doi = normalise_doi(fields["doi"]) if fields.get("doi") else None
    url = fields.get("url") or None
    title = fields.get("title", "")
    if not (arxiv_id or doi or url) or not title:
        return None
    venue = fields.get("journal") or fields.get("booktitle") or ""
    journal_ref = fields.get("__journal_ref") or None
    if venue and "arxiv" not in venue.lower():
        year = "" if re.search(r"\b(1[89]|20)\d\d\b", venue) else fields.get("year", "")
        journal_ref = ", ".join(p for p in (venue, fields.get("volume", ""),
                                            fields.get("pages", "").replace("--", "–"),
                                            year) if p)  # a full reference has its year
    tags = [t.strip() for t in re.split(r"[;,]", fields.get("keywords", ""))
            if t.strip() and len(normalise_tag(t)) <= MAX_TAG_LENGTH]  # longer: no tag
    return {"arxiv_id": arxiv_id, "version": version, "doi": doi, "url": url, "title": title,
            "authors": authors, "abstract": fields.get("abstract", ""),
            "categories": [category] if (category := _category(fields)) else [],
            "published": _published(fields), "journal_ref": journal_ref, "tags": tags,
            "sources": ["import"]}
