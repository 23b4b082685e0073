"""Which paper a PDF file is: its arXiv id (the stamp arXiv prints in the margin of page 1, or
an arXiv download's file name), else a DOI on page 1, plus a title and authors to fall back on.

arXiv's stamp reads ``arXiv:2406.05821v2 [cs.CL] 9 Jun 2024`` (old style: ``arXiv:hep-th/
9901001v1 4 Jan 1999``); a first page also cites other papers, so a bare id in the running text
is not trusted — only the stamp, the file name, or the only arXiv id on the page when it is
printed in a margin (a header, a footer, rotated); an arXiv DOI (``10.48550/arXiv.…``) names
the arXiv paper.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from readinglist.core.ids import PaperRef, arxiv_ids_in, match_arxiv, normalise_doi, parse_ref
from readinglist.core.text import collapse
from readinglist.pdf.document import MUPDF_ERRORS, PDF_LOCK, open_document
from readinglist.pdf.errors import PdfError

_ID = r"(?P<id>\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v(?P<version>\d+))?"
# the stamp always ends with a date; a citation "arXiv:2304.08485" in the text does not
_MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
_STAMP = re.compile(rf"arXiv:\s*{_ID}(?![\d.])\s*(?:\[(?P<cat>[^\]\s]+)\]\s*)?"
                    rf"(?P<day>\d{{1,2}}\s+(?:{_MONTHS})\s+\d{{4}})")
_DOI_MENTION = re.compile(r"(?:\bdoi\s*:?\s*|doi\.org/)(10\.\d{4,9}/\S+)", re.IGNORECASE)
# what browsers and people add to a download's name: "2406.05821v2 (1).pdf", "arXiv-2406.05821"
_NAME_COPY = re.compile(r"(?:\s*\(\d+\)|\s+copy(?:\s+\d+)?)$", re.IGNORECASE)
_NAME_PREFIX = re.compile(r"^arxiv[\s_:.-]*", re.IGNORECASE)
_NAME_NEW_ID = re.compile(r"^(?P<id>\d{4}\.\d{4,5})(?:v(?P<version>\d+))?(?=$|[\s_-])")
# arXiv's old-style downloads drop the slash: hep-th9901001v1.pdf, math0611800.pdf
_NAME_OLD_ID = re.compile(r"^(?P<archive>[a-z]+(?:-[a-z]+)*)(?:\.[A-Z]{2})?(?P<number>\d{7})"
                          r"(?:v(?P<version>\d+))?$")
_OLD_ARCHIVES = frozenset(
    "acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph cmp-lg "
    "comp-gas cond-mat cs dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th math math-ph "
    "mtrl-th nlin nucl-ex nucl-th patt-sol physics plasm-ph q-alg q-bio quant-ph solv-int "
    "supr-con".split())
_MARGIN = (0.1, 0.88)  # a line above 10 % or below 88 % of the page height is in a margin
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
    text, layout, metadata = _read_first_page(path)
    title = _title(metadata.get("title") or "", _largest_lines(layout))
    authors = _authors(metadata.get("author") or "")
    stamp = _STAMP.search(text)
    if stamp is not None:
        return PdfIdentity(
            _arxiv_id(stamp.group("id")), _int(stamp.group("version")), None, title, authors,
            stamp.group("cat"), _stamp_day(stamp.group("day")), "arXiv stamp")
    named = arxiv_in_name(path.stem)
    if named is not None:
        return PdfIdentity(named.arxiv_id, named.version, None, title, authors,
                           found_by="file name")
    ref = _margin_id(text, layout)
    if ref is not None:
        return PdfIdentity(ref.arxiv_id, ref.version, None, title, authors, found_by="page 1")
    doi = _doi(text)
    arxiv_doi = _arxiv_by_doi(doi)
    if arxiv_doi is not None:
        return PdfIdentity(arxiv_doi.arxiv_id, arxiv_doi.version, None, title, authors,
                           found_by="DOI on page 1")
    return PdfIdentity(None, None, doi, title, authors, found_by="DOI on page 1" if doi else "")


def _read_first_page(path: Path) -> tuple[str, dict, dict]:
    """Page 1's text and layout and the document's metadata.

    Raises:
        PdfError: as ``open_document``, or MuPDF failing on page 1.
    """
    doc = open_document(path)
    try:
        with PDF_LOCK:
            page = doc[0]
            return page.get_text("text") or "", page.get_text("dict"), doc.metadata or {}
    except MUPDF_ERRORS as error:
        raise PdfError(f"the PDF file {path.name} is damaged: the text of its first page "
                       f"cannot be read ({str(error).strip() or type(error).__name__})") from None
    finally:
        with PDF_LOCK:
            doc.close()


def arxiv_in_name(stem: str) -> PaperRef | None:
    """The arXiv id in a download's file name (without ``.pdf``): ``2406.05821v2``,
    ``2406.05821v2 (1)``, ``arXiv-2406.05821``, ``2406.05821_F-LMM``, ``hep-th9901001v1``."""
    ref = _name_ref(_NAME_PREFIX.sub("", _NAME_COPY.sub("", stem.strip())))
    return ref if ref is not None and ref.arxiv_id and plausible_arxiv_id(ref.arxiv_id) \
        else None


def _name_ref(stem: str) -> PaperRef | None:
    named = match_arxiv(stem)
    if named is not None:
        return named
    new = _NAME_NEW_ID.match(stem)
    if new is not None:
        return PaperRef(new.group("id"), new.group("id"), _int(new.group("version")))
    old = _NAME_OLD_ID.match(stem)
    if old is None or old.group("archive") not in _OLD_ARCHIVES:
        return None
    arxiv_id = f"{old.group('archive')}/{old.group('number')}"
    return PaperRef(arxiv_id, arxiv_id, _int(old.group("version")))


def plausible_arxiv_id(arxiv_id: str) -> bool:
    """Whether an id arXiv could have issued: a month 01-12 of 1991-2007 (``hep-th/9901001``)
    or since April 2007, four digits after the dot until 2014 and five since (``2406.05821``);
    a file named ``2023.12345.pdf`` is no arXiv download."""
    number = arxiv_id.rsplit("/", 1)[-1]
    year, month = int(number[:2]), int(number[2:4])
    if not 1 <= month <= 12:
        return False
    if "/" in arxiv_id:
        return year >= 91 or (year, month) <= (7, 3)
    digits = len(number) - 5
    return (year, month) >= (7, 4) and digits == (4 if year < 15 else 5)


def _margin_id(text: str, layout: dict) -> PaperRef | None:
    """The only arXiv id on page 1 if it is printed in a margin (a citation in the running
    text names another paper)."""
    mentioned = arxiv_ids_in(text)
    if len(mentioned) != 1 or not plausible_arxiv_id(mentioned[0].key):
        return None
    margins = " ".join(_margin_lines(layout))
    return mentioned[0] if any(r.key == mentioned[0].key for r in arxiv_ids_in(margins)) \
        else None


def _margin_lines(layout: dict) -> list[str]:
    """The text of the lines in the top or bottom margin of a page, or set sideways."""
    height = float(layout.get("height") or 0) or 792.0
    lines = []
    for block in layout.get("blocks", ()):
        for line in block.get("lines", ()):
            top, bottom = line["bbox"][1], line["bbox"][3]
            sideways = abs(line.get("dir", (1, 0))[0]) < 0.99
            if sideways or bottom <= height * _MARGIN[0] or top >= height * _MARGIN[1]:
                lines.append("".join(s.get("text", "") for s in line.get("spans", ())))
    return lines


def _arxiv_by_doi(doi: str | None) -> PaperRef | None:
    """The arXiv paper an arXiv DOI (``10.48550/arxiv.2406.05821``) names."""
    if not doi or not doi.startswith("10.48550/"):
        return None
    ref = parse_ref(doi)
    return ref if ref.arxiv_id else None


def _arxiv_id(text: str) -> str | None:
    ref = match_arxiv(text)
    return ref.arxiv_id if ref else None


def _int(text: str | None) -> int | None:
    return int(text) if text else None


def _stamp_day(text: str | None) -> date | None:
    if not text:
        return None
    day, month, year = text.split()  # the month by name: strptime's %b follows the locale
    try:
        return date(int(year), _MONTHS.split("|").index(month) + 1, int(day))
    except ValueError:
        return None


def _doi(text: str) -> str | None:
    match = _DOI_MENTION.search(re.sub(r"/[ \t]*\n\s*", "/", text))  # "10.1145/⏎3580305"
    return normalise_doi(_trim_doi(match.group(1))) if match else None


def _trim_doi(doi: str) -> str:
    """A DOI without the punctuation of the sentence around it; brackets it opens are kept
    (``10.1016/S0140-6736(20)30183-5``, ``10.1002/(SICI)1097(199912)``)."""
    while doi and doi[-1] in ".,;:)]}'\"”’>":
        closing = doi[-1]
        opening = {")": "(", "]": "[", "}": "{"}.get(closing)
        if opening and doi.count(opening) >= doi.count(closing):
            break
        doi = doi[:-1]
    return doi


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
    separators = r";|\band\b" if ";" in meta_author else r";|,|\band\b"  # "Wu, Size; Jin, S."
    names = re.split(rf"\s*(?:{separators})\s*", collapse(meta_author))
    return tuple(name for name in names if len(name) > 1)
