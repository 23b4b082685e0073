"""A PDF's text page by page, for the library's full-text index (no Qt, no database)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from readinglist.core.text import spaced_cjk
from readinglist.pdf.document import PDF_LOCK, open_document
from readinglist.pdf.errors import PdfError

MAX_PAGES = 2000  # a book-length scan; anything longer is indexed up to here
MAX_PAGE_CHARS = 60_000  # ~10 dense pages' worth: a page beyond it is text garbage, not prose
# plain text with ligatures spelled out ("ﬁ" → "fi"), so that typed words match
_FLAGS = (pymupdf.TEXT_MEDIABOX_CLIP | pymupdf.TEXT_PRESERVE_WHITESPACE
          | pymupdf.TEXT_DEHYPHENATE) & ~pymupdf.TEXT_PRESERVE_LIGATURES
# a word hyphenated at a line end, the next line going on in lower case: "trans-\nformer"
_HYPHENATED = re.compile(r"(\w)-[ \t]*\n\s*(?=[a-z])")


def page_text(raw: str) -> str:
    """A page's text as one line: hyphenated line ends joined ("trans-\\nformer" is found as
    "transformer"), compatibility characters folded (the ligature "ﬁ" → "fi", full-width
    letters), Han and kana one token per character (``core.text.spaced_cjk``), whitespace
    collapsed, cut at ``MAX_PAGE_CHARS``."""
    text = unicodedata.normalize("NFKC", _HYPHENATED.sub(r"\1", raw))
    return spaced_cjk(" ".join(text.split())[:MAX_PAGE_CHARS])


@dataclass(frozen=True, slots=True)
class PdfText:
    """The text of a PDF: one string per page (empty for pages without text)."""

    pages: tuple[str, ...]
    truncated: bool = False  # more pages than ``MAX_PAGES``

    @property
    def chars(self) -> int:
        return sum(map(len, self.pages))

    @property
    def has_text(self) -> bool:
        """False for a scan without a text layer: nothing to search until it is OCRed."""
        return self.chars > 0


def extract_text(path: Path, cancelled: Callable[[], bool] | None = None) -> PdfText:
    """Every page's text, whitespace collapsed. The PDF lock is taken page by page, so that the
    viewer can render between pages.

    Raises:
        PdfError: the file cannot be read (missing, corrupt, encrypted) or a page fails.
    """
    doc = open_document(path)
    try:
        with PDF_LOCK:
            count = doc.page_count
        pages: list[str] = []
        for number in range(min(count, MAX_PAGES)):
            if cancelled is not None and cancelled():
                break
            with PDF_LOCK:
                try:
                    raw = doc.load_page(number).get_text("text", flags=_FLAGS)
                except (RuntimeError, ValueError) as error:
                    raise PdfError(f"page {number + 1} of {Path(path).name} cannot be read: "
                                   f"{str(error).strip() or type(error).__name__}") from None
            pages.append(page_text(raw))
        return PdfText(tuple(pages), truncated=count > MAX_PAGES)
    finally:
        with PDF_LOCK:
            doc.close()
