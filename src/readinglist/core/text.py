"""Normalising text from feeds: collapsed whitespace, decoded entities, plain text only."""

from __future__ import annotations

import html
import re

_SPACE = re.compile(r"\s+")


def collapse(text: str | None) -> str:
    """Decode HTML entities and collapse runs of whitespace (titles, author names)."""
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    return " ".join(text.split())


def clean_abstract(text: str | None) -> str:
    """Decode entities, join hard-wrapped lines, keep blank-line paragraph breaks."""
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    if "\n" not in text:
        return " ".join(text.split())
    text = text.replace("\r\n", "\n").strip()
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(_SPACE.sub(" ", p).strip() for p in paragraphs if p.strip())
