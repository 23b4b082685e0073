"""Turning JSON objects (the ``list --json`` shape) back into records and triage state."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import date, datetime
from itertools import repeat
from typing import Any

from readinglist.core.errors import InputError, InvalidIdError
from readinglist.core.ids import key_for, match_arxiv, normalise_doi
from readinglist.core.text import clean_abstract, collapse
from readinglist.storage.tag_sets import normalise_tag

MAX_TAG_LENGTH = 100
_SQLITE_INT = range(-2**63, 2**63)
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")


def check_tag_lengths(tags: Iterable[str]) -> None:
    """Raises ``InputError`` if a tag (once normalised) is longer than ``MAX_TAG_LENGTH``."""
    if any(len(normalise_tag(tag)) > MAX_TAG_LENGTH for tag in tags):
        raise InputError(f"a tag is at most {MAX_TAG_LENGTH} characters long")


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


def _text(data: dict[str, Any], name: str) -> str | None:
    """A string field; None when absent or empty."""
    value = data.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise InputError(f"{name} must be a string, not {type(value).__name__}")
    return value


def _whole(value: Any, name: str) -> int | None:
    """A whole-number field that fits a database integer; None when absent."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value not in _SQLITE_INT:
        raise InputError(f"{name} must be a whole number of at most 18 digits: {value!r}"[:200])
    return value


def _flag(value: Any, name: str) -> bool | None:
    """A true/false field (0 and 1 accepted); None when absent."""
    if value is None:
        return None
    if not isinstance(value, int) or value not in (0, 1):
        raise InputError(f"{name} must be true or false, not {value!r}"[:200])
    return bool(value)


def loads(text: str) -> Any:
    """``json.loads`` for imported files, refusing what the library cannot store.

    Raises:
        json.JSONDecodeError: not JSON.
        InputError: nesting too deep to decode, or a lone surrogate escape (``\\ud800``),
            which is no character and cannot be written as UTF-8.
    """
    try:
        data = json.loads(text)
    except RecursionError:
        raise InputError("the JSON is nested too deeply") from None
    if "\\u" in text and _SURROGATE_ESCAPE.search(text):  # pairs are fine: check the result
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise InputError("a \\u escape names half a character (a lone surrogate)") from None
    return data


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
        data = loads(line)
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
    version = _whole(version, "version")
    doi_text = _text(data, "doi")
    doi = normalise_doi(doi_text) if doi_text else None
    url = _text(data, "url")
    try:
        key = key_for(arxiv_id, doi, url)
    except InvalidIdError:
        raise InputError("the object has no arxiv_id, doi or url") from None
    title = collapse(_text(data, "title"))
    if not title:
        raise InputError("the object has no title")
    upvotes = _whole(data.get("hf_upvotes"), "hf_upvotes")
    sources = _strings(data.get("sources"), "sources") or ("import",)
    first_seen = data.get("sources_first_seen") or {}
    if not isinstance(first_seen, dict):
        raise InputError("sources_first_seen must be an object")
    categories = _strings(data.get("categories"), "categories")
    value = {
        "arxiv_id": arxiv_id, "version": version, "doi": doi, "url": url,
        "pdf_url": _text(data, "pdf_url"), "title": title,
        "authors": [collapse(a) for a in _strings(data.get("authors"), "authors")],
        "abstract": clean_abstract(_text(data, "abstract")), "categories": list(categories),
        "primary_category": _text(data, "primary_category") or (categories[0] if categories
                                                                else None),
        "published": _iso_date(data.get("published"), "published"),
        "updated": _iso_date(data.get("updated"), "updated"),
        "journal_ref": _text(data, "journal_ref"), "comment": _text(data, "comment"),
        "hf_upvotes": upvotes, "withdrawn": _flag(data.get("withdrawn"), "withdrawn"),
        "listed_on": _iso_date(data.get("listed_on"), "listed_on"),
        "sources": {name: _iso_datetime(first_seen.get(name)) for name in sources},
    }
    triage: dict[str, Any] = {name: _flag(data.get(name), name)
                              for name in ("read", "starred", "archived")}
    triage["note"] = _text(data, "note")
    triage["tags"] = _strings(data.get("tags"), "tags")
    check_tag_lengths(triage["tags"])
    return key, value, triage


def _iso_date(value: Any, name: str) -> str | None:
    day = _date(value, name)
    return day.isoformat() if day else None


def _iso_datetime(value: Any) -> str:
    when = _datetime(value)
    return when.isoformat() if when else ""
