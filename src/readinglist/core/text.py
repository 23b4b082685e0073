"""Normalising text from feeds: collapsed whitespace, decoded entities, plain text only."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence

_SPACE = re.compile(r"\s+")


def counted(count: int, noun: str) -> str:
    """``1 paper``, ``3 papers``: a count with its noun (plural by ``s``)."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def first_authors(names: Sequence[str], shown: int = 3) -> str:
    """``A, B, C`` or ``A, B, C et al.``: the first ``shown`` names, then "et al."."""
    if len(names) <= shown:
        return ", ".join(names)
    return ", ".join(names[:shown]) + " et al."


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, the last one an ellipsis when cut."""
    return text if len(text) <= limit else text[:limit - 1] + "…"


def collapse(text: str | None) -> str:
    """Decode HTML entities and collapse runs of whitespace (titles, author names)."""
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    if _is_collapsed(text):
        return text
    return " ".join(text.split())


def _is_collapsed(text: str) -> bool:
    """True when ``" ".join(text.split())`` would return ``text`` unchanged (checked in C:
    every Unicode space but U+0020 is non-printable; no doubled or outer spaces)."""
    return (text.isprintable() and "  " not in text and not text.startswith(" ")
            and not text.endswith(" "))


def clean_abstract(text: str | None) -> str:
    """Decode entities, join hard-wrapped lines, keep blank-line paragraph breaks."""
    if not text:
        return ""
    if "&" in text:
        text = html.unescape(text)
    if "\n" not in text:
        return text if _is_collapsed(text) else " ".join(text.split())
    text = text.replace("\r\n", "\n").strip()
    paragraphs = re.split(r"\n\s*\n", text)
    return "\n\n".join(_SPACE.sub(" ", p).strip() for p in paragraphs if p.strip())


def normalise_tag(name: str) -> str:
    """A tag as stored: lower case, composed Unicode (an "é" typed as one character or as "e"
    and an accent is one tag), single inner spaces."""
    return " ".join(unicodedata.normalize("NFC", name).strip().lower().split())


# Han ideographs and kana are written without spaces: FTS5's unicode61 tokenizer would read a
# whole run as one word, so the PDF text index keeps them one character per token
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_CJK_ANY = re.compile(f"[{_CJK}]")
_CJK_EDGE = re.compile(f"(?<=[{_CJK}])(?=\\S)|(?<=\\S)(?=[{_CJK}])")
_CJK_GAP = re.compile(f"(?:(?<=[{_CJK}])|(?<=[{_CJK}]\x03)) (?=\\S)|(?<=\\S) (?=\x02?[{_CJK}])")


def spaced_cjk(text: str) -> str:
    """Han and kana characters as one token each (``基于GPT的模型`` → ``基 于 GPT 的 模 型``),
    as the PDF text index stores them: a word inside a run is then found as a phrase."""
    return _CJK_EDGE.sub(" ", text) if _CJK_ANY.search(text) else text


def unspaced_cjk(text: str) -> str:
    """``spaced_cjk`` undone for reading, also across the index's snippet marks (``\\x02`` …
    ``\\x03``): ``\\x02注\\x03 \\x02意\\x03`` → ``\\x02注意\\x03``."""
    return _CJK_GAP.sub("", text).replace("\x03\x02", "") if _CJK_ANY.search(text) else text
