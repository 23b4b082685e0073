"""Which paper a PDF file is: its arXiv id (the stamp arXiv prints in the margin of page 1, or
an arXiv download's file name), else a DOI on page 1, plus a title and authors to fall back on.

arXiv's stamp reads ``arXiv:2406.05821v2 [cs.CL] 9 Jun 2024`` (old style: ``arXiv:hep-th/
9901001v1 4 Jan 1999``); a first page also cites other papers, so a bare id in the running text
is not trusted — only the stamp, the file name, or the only arXiv id on the page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from readinglist.core.ids import arxiv_ids_in, match_arxiv, normalise_doi
from readinglist.core.text import collapse
from readinglist.pdf.document import PDF_LOCK, open_document

_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?"
# the stamp always ends with a date; a citation "arXiv:2304.08485" in the text does not
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_STAMP = re.compile(rf"arXiv:\s*{_ID}(?![\d.])\s*(?:\[(?P<cat>[^\]\s]+)\]\s*)?"
                    rf"(?P<day>\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})")
_DOI_MENTION = re.compile(r"(?:doi\s*:?\s*|doi\.org/)(10\.\d{4,9}/\S+)", re.IGNORECASE)
_JUNK_TITLES = re.compile(r"^(untitled|microsoft word|document\d*|title|\S+\.(docx?|tex|dvi|pdf))",
                          re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class PdfIdentity:
    """What page 1, the file's metadata and its name say about the paper."""

    arxiv_id: str | None = None
    version: int | None = None
    doi: str | None = None
    title: str = ""
    authors: tuple[str, ...] = ()
    category: str | None = None
    stamped_on: date | None = None  # the date in arXiv's stamp (that version's submission)
    found_by: str = ""  # "arXiv stamp", "file name", "page 1", "DOI on page 1", ""

    @property
    def known(self) -> bool:
        return bool(self.arxiv_id or self.doi)


def identify_pdf(path: Path) -> PdfIdentity:
    """Read page 1 and the metadata of the PDF at ``path``.

    Raises:
        PdfError: the file is missing, not a PDF, damaged, encrypted or empty.
    """
    doc = open_document(path)
    try:
        with PDF_LOCK:
            page = doc[0]
            text = page.get_text("text") or ""
            title_lines = _largest_lines(page.get_text("dict"))
            metadata = doc.metadata or {}
    finally:
        with PDF_LOCK:
            doc.close()
    title = _title(metadata.get("title") or "", title_lines)
    authors = _authors(metadata.get("author") or "")
    stamp = _STAMP.search(text)
    if stamp is not None:
        return PdfIdentity(
            _arxiv_id(stamp.group("id")), _int(stamp.group("version")), None, title, authors,
            stamp.group("cat"), _stamp_day(stamp.group("day")), "arXiv stamp")
    named = match_arxiv(path.stem)
    if named is not None:
        return PdfIdentity(named.arxiv_id, named.version, None, title, authors,
                           found_by="file name")
    mentioned = arxiv_ids_in(text)
    if len(mentioned) == 1:
        ref = mentioned[0]
        return PdfIdentity(ref.arxiv_id, ref.version, None, title, authors, found_by="page 1")
    doi = _doi(text)
    return PdfIdentity(None, None, doi, title, authors, found_by="DOI on page 1" if doi else "")


def _arxiv_id(text: str) -> str | None:
    ref = match_arxiv(text)
    return ref.arxiv_id if ref else None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _stamp_day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return datetime.strptime(" ".join(text.split()), "%d %b %Y").date()
    except ValueError:
        return None


def _doi(text: str) -> str | None:
    match = _DOI_MENTION.search(text)
    return normalise_doi(match.group(1).rstrip(".,;)]")) if match else None


def _largest_lines(layout: dict) -> list[str]:
    """The lines set in the largest type in the top half of the page (a title, usually)."""
    height = float(layout.get("height") or 0) or 792.0
    sized: list[tuple[float, str]] = []
    for block in layout.get("blocks", ()):
        for line in block.get("lines", ()):
            if line.get("dir", (1, 0))[0] < 0.99 or line["bbox"][1] > height / 2:
                continue  # rotated (the arXiv stamp) or low on the page
            spans = line.get("spans", ())
            words = collapse("".join(s.get("text", "") for s in spans))
            if spans and len(words) > 1:
                sized.append((round(max(s.get("size", 0) for s in spans), 1), words))
    if not sized:
        return []
    largest = max(size for size, _ in sized)
    return [words for size, words in sized if size == largest][:4]


def _title(meta_title: str, largest: list[str]) -> str:
    meta_title = collapse(meta_title)
    if len(meta_title) >= 8 and not _JUNK_TITLES.match(meta_title):
        return meta_title
    return collapse(" ".join(largest))


def _authors(meta_author: str) -> tuple[str, ...]:
    names = re.split(r"\s*(?:;|,|\band\b)\s*", collapse(meta_author))
    return tuple(name for name in names if len(name) > 1)
