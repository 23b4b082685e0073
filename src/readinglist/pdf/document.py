"""Opening and validating PDF files: every failure becomes one clear ``PdfError``."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from readinglist.pdf.errors import PdfError

# PyMuPDF (MuPDF) is not thread-safe across documents; every call from any thread holds this lock.
PDF_LOCK = threading.RLock()
# What MuPDF raises on a damaged page or a limit ("Overly large image" is no RuntimeError)
MUPDF_ERRORS = (RuntimeError, ValueError, pymupdf.mupdf.FzErrorBase)
_TAIL = 2048

pymupdf.TOOLS.mupdf_display_errors(False)
pymupdf.TOOLS.mupdf_display_warnings(False)


@dataclass(frozen=True, slots=True)
class OutlineItem:
    """One entry of the table of contents: level from 1, 0-based page (-1 if none)."""

    level: int
    title: str
    page: int
    y: float = 0.0


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """What the viewer needs before rendering anything."""

    path: Path
    page_sizes: tuple[tuple[float, float], ...]  # as shown: turned by the page's /Rotate
    title: str
    outline: tuple[OutlineItem, ...]
    rotations: tuple[int, ...] = ()  # each page's /Rotate (0, 90, 180, 270); empty: none

    @property
    def page_count(self) -> int:
        return len(self.page_sizes)

    def rotation(self, page: int) -> int:
        return self.rotations[page] if page < len(self.rotations) else 0

    def to_shown(self, page: int, x: float, y: float) -> tuple[float, float]:
        """A point of the unrotated page — where PyMuPDF puts words, search hits and
        annotations — on the page as shown (turned by its /Rotate, like links and the outline).
        """
        rotation, (width, height) = self.rotation(page), self.page_sizes[page]
        if rotation == 90:  # shown width is the unrotated height
            return width - y, x
        if rotation == 180:
            return width - x, height - y
        if rotation == 270:
            return y, height - x
        return x, y

    def to_unrotated(self, page: int, x: float, y: float) -> tuple[float, float]:
        """The inverse of ``to_shown``."""
        rotation, (width, height) = self.rotation(page), self.page_sizes[page]
        if rotation == 90:
            return y, width - x
        if rotation == 180:
            return width - x, height - y
        if rotation == 270:
            return height - y, x
        return x, y


def _check_bytes(path: Path) -> None:
    try:
        size = path.stat().st_size
        with open(path, "rb") as handle:
            head = handle.read(1024)
            handle.seek(max(0, size - _TAIL))
            tail = handle.read(_TAIL)
    except FileNotFoundError:
        raise PdfError(f"the PDF file {path} is missing") from None
    except OSError as error:
        raise PdfError(f"cannot read the PDF file {path}: {error.strerror}") from None
    if size == 0:
        raise PdfError(f"the PDF file {path.name} is empty")
    if b"%PDF-" not in head:
        raise PdfError(f"{path.name} is not a PDF file (it may be a web page saved by mistake)")
    if b"%%EOF" not in tail:
        raise PdfError(f"the PDF file {path.name} is truncated (an incomplete download?); "
                       "download it again or attach another copy")


def _open(path: Path) -> pymupdf.Document:
    """MuPDF opens only file names in UTF-8; a name with other bytes is read into memory."""
    try:
        str(path).encode("utf-8")
    except UnicodeEncodeError:
        return pymupdf.open(stream=path.read_bytes(), filetype="pdf")
    return pymupdf.open(path, filetype="pdf")


def open_document(path: Path) -> pymupdf.Document:
    """Open a PDF for reading; the caller closes it. Call with ``PDF_LOCK`` held in threads.

    Raises:
        PdfError: the file is missing, not a PDF, corrupt, truncated, encrypted or has no pages.
    """
    path = Path(path)
    _check_bytes(path)
    with PDF_LOCK:
        try:
            doc = _open(path)
        except (RuntimeError, ValueError) as error:  # FileDataError is a RuntimeError
            raise PdfError(f"the PDF file {path.name} is damaged and cannot be opened "
                           f"({str(error).strip() or type(error).__name__})") from None
        try:
            if doc.needs_pass:
                raise PdfError(f"the PDF file {path.name} is password-protected; "
                               "readinglist cannot open encrypted PDFs")
            if doc.page_count == 0:
                raise PdfError(f"the PDF file {path.name} has no pages")
            try:
                doc.load_page(0)
            except (RuntimeError, ValueError) as error:
                raise PdfError(f"the PDF file {path.name} is damaged: {error}") from None
        except PdfError:
            doc.close()
            raise
    return doc


def read_info(doc: pymupdf.Document, path: Path) -> DocumentInfo:
    """Page sizes (in points), title and outline of an open document."""
    with PDF_LOCK:
        sizes, rotations = [], []
        for number in range(doc.page_count):
            try:
                page = doc.load_page(number)
                rect, rotation = page.rect, page.rotation % 360  # rect: as rendered (turned)
            except MUPDF_ERRORS:  # a damaged page: shown blank, not fatal
                rect, rotation = doc.page_cropbox(number), 0
            sizes.append((float(rect.width), float(rect.height)))
            rotations.append(rotation)
        outline = []
        try:
            for entry in doc.get_toc(simple=False):
                level, title, page = entry[0], entry[1], entry[2]
                dest = entry[3] if len(entry) > 3 and isinstance(entry[3], dict) else {}
                point = dest.get("to")
                outline.append(OutlineItem(int(level), str(title), int(page) - 1,
                                           float(point.y) if point is not None else 0.0))
        except (RuntimeError, ValueError):
            outline = []
        title = (doc.metadata or {}).get("title") or ""
    return DocumentInfo(Path(path), tuple(sizes), title, tuple(outline), tuple(rotations))


def validate(path: Path) -> DocumentInfo:
    """Open, describe and close a PDF: raises ``PdfError`` if it cannot be shown."""
    doc = open_document(path)
    try:
        return read_info(doc, path)
    finally:
        with PDF_LOCK:
            doc.close()
