"""Reading RIS (``TY  - JOUR`` … ``ER  -``): entries as BibTeX-named fields and authors."""

from __future__ import annotations

import re
from typing import Any

from readinglist.core.errors import InputError

_RIS_LINE = re.compile(r"^([A-Z][A-Z0-9])  -(?: (.*))?$")


def ris_entries(text: str) -> list[dict[str, Any]]:
    """Every entry as {tag: [values]} (``__type`` its TY).

    Raises:
        InputError: a line that is not RIS, or an entry without its ER line.
    """
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


def fields(entry: dict[str, Any]) -> dict[str, str]:
    """A RIS entry's values under BibTeX's field names."""
    def first(*tags: str) -> str:
        return next((entry[t][0] for t in tags if entry.get(t)), "")

    date = first("DA", "PY", "Y1")
    parts = [p for p in date.split("/") if p.strip()]
    fields = {
        "title": first("TI", "T1", "CT"), "abstract": first("AB", "N2"),
        "doi": first("DO"), "journal": first("JO", "JF", "T2"),
        "url": next((u for u in entry.get("UR", []) if u.lower().startswith(("http://",
                                                                              "https://"))), ""),
        "volume": first("VL"), "pages": "-".join(p for p in (first("SP"), first("EP")) if p),
        "year": parts[0] if parts else "", "month": parts[1] if len(parts) > 1 else "",
        "day": parts[2] if len(parts) > 2 else "",
        "keywords": ";".join(entry.get("KW", [])), "note": first("N1", "M1"),
        "file": ";".join(entry.get("L1", []) + [u for u in entry.get("UR", [])
                                               if u.lower().startswith("file:")]),
    }
    return {name: value for name, value in fields.items() if value}


def authors(entry: dict[str, Any]) -> list[str]:
    """``AU  - Lovelace, Ada`` -> ``Ada Lovelace``; ``King, Martin, Jr.`` -> ``Martin King
    Jr.``."""
    names = []
    for raw in entry.get("AU", []) + entry.get("A1", []):
        last, first, suffix = ([*raw.split(",", 2), "", ""])[:3]
        name = " ".join(p.strip() for p in (first, last, suffix) if p.strip())
        if name:
            names.append(" ".join(name.split()))
    return names
