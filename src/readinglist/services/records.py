"""Turning JSON objects (the ``list --json`` shape) back into records and triage state."""

from __future__ import annotations

import json
from datetime import date, datetime
from itertools import repeat
from typing import Any

from readinglist.core.errors import InputError, InvalidIdError
from readinglist.core.ids import key_for, match_arxiv, normalise_doi
from readinglist.core.text import clean_abstract, collapse


def _date(value: Any, name: str) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise InputError(f"{name} is not a date (YYYY-MM-DD): {value!r}") from None


def _datetime(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def _strings(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    if not isinstance(value, list) or not all(map(isinstance, value, repeat(str))):
        raise InputError(f"{name} must be a list of strings")
    return tuple(value)


def parse_import_line(line: str) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """Parse one JSON Lines row into (key, ``paper/upsert`` op value, triage state).

    The op value has the shape of ``PaperRecord.metadata()`` with a ``sources`` map
    {source name: first seen} in place of ``source``/``seen_at``.

    Raises:
        InputError: for malformed JSON, a non-object or missing identifiers.
    """
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        raise InputError(f"not valid JSON ({error.msg} at column {error.colno})") from None
    return parse_import_object(data)


def parse_import_object(data: Any) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """``parse_import_line`` for an object already decoded (a BibTeX or RIS entry).

    Raises:
        InputError: a non-object or missing identifiers.
    """
    if not isinstance(data, dict):
        raise InputError("expected a JSON object")
    arxiv_raw = data.get("arxiv_id")
    arxiv_id = version = None
    if arxiv_raw:
        ref = match_arxiv(str(arxiv_raw))
        if ref is None:
            raise InputError(f"arxiv_id is not an arXiv id: {arxiv_raw!r}")
        arxiv_id, version = ref.arxiv_id, ref.version
    if data.get("version") is not None:
        try:
            version = int(data["version"])
        except (TypeError, ValueError):
            raise InputError(f"version must be a number: {data['version']!r}") from None
    doi = normalise_doi(str(data["doi"])) if data.get("doi") else None
    url = data.get("url") or None
    try:
        key = key_for(arxiv_id, doi, url)
    except InvalidIdError:
        raise InputError("the object has no arxiv_id, doi or url") from None
    title = collapse(data.get("title"))
    if not title:
        raise InputError("the object has no title")
    upvotes = data.get("hf_upvotes")
    if upvotes is not None and not isinstance(upvotes, int):
        raise InputError(f"hf_upvotes must be a number: {upvotes!r}")
    sources = _strings(data.get("sources"), "sources") or ("import",)
    first_seen = data.get("sources_first_seen") or {}
    if not isinstance(first_seen, dict):
        raise InputError("sources_first_seen must be an object")
    categories = _strings(data.get("categories"), "categories")
    withdrawn = data.get("withdrawn")
    value = {
        "arxiv_id": arxiv_id, "version": version, "doi": doi, "url": url,
        "pdf_url": data.get("pdf_url") or None, "title": title,
        "authors": [collapse(a) for a in _strings(data.get("authors"), "authors")],
        "abstract": clean_abstract(data.get("abstract")), "categories": list(categories),
        "primary_category": data.get("primary_category") or (categories[0] if categories
                                                             else None),
        "published": _iso_date(data.get("published"), "published"),
        "updated": _iso_date(data.get("updated"), "updated"),
        "journal_ref": data.get("journal_ref") or None, "comment": data.get("comment") or None,
        "hf_upvotes": upvotes, "withdrawn": bool(withdrawn) if withdrawn is not None else None,
        "listed_on": _iso_date(data.get("listed_on"), "listed_on"),
        "sources": {name: _iso_datetime(first_seen.get(name)) for name in sources},
    }
    triage = {name: data.get(name) for name in ("read", "starred", "archived", "note")}
    triage["tags"] = _strings(data.get("tags"), "tags")
    return key, value, triage


def _iso_date(value: Any, name: str) -> str | None:
    day = _date(value, name)
    return day.isoformat() if day else None


def _iso_datetime(value: Any) -> str:
    when = _datetime(value)
    return when.isoformat() if when else ""
