"""Rendering pages to RGB bytes at a zoom, safe to call from worker threads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pymupdf

from readinglist.pdf.document import MUPDF_ERRORS, PDF_LOCK, open_document
from readinglist.pdf.errors import PdfError

# Dark mode maps white paper to this grey and black ink to this light grey.
DARK_PAPER = 0x1E1F22
DARK_INK = 0xDCDCDC


@dataclass(frozen=True, slots=True)
class RenderedPage:
    """Pixels of one page: RGB, ``stride`` bytes per row."""

    page: int
    scale: float
    width: int
    height: int
    stride: int
    samples: bytes
    dark: bool = False


class Renderer:
    """Renders pages of one PDF. Thread-safe: all MuPDF calls hold ``PDF_LOCK``."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._doc: pymupdf.Document | None = open_document(self.path)

    @property
    def document(self) -> pymupdf.Document:
        if self._doc is None:
            raise PdfError(f"{self.path.name} is closed")
        return self._doc

    def render(self, page: int, scale: float, dark: bool = False,
               clip: tuple[float, float, float, float] | None = None) -> RenderedPage:
        """Render page ``page`` (0-based) at ``scale`` pixels per point, without annotations.

        Annotations are drawn by the viewer from the database, so the page is rendered bare.
        """
        pix = self.render_pixmap(page, scale, dark, clip)
        return RenderedPage(page, scale, pix.width, pix.height, pix.stride, bytes(pix.samples),
                            dark)

    def render_pixmap(self, page: int, scale: float, dark: bool = False,
                      clip: tuple[float, float, float, float] | None = None) -> pymupdf.Pixmap:
        """Like ``render`` but returns the RGB pixmap itself (no copy of its pixels)."""
        with PDF_LOCK:
            doc = self.document
            if not 0 <= page < doc.page_count:
                raise PdfError(f"page {page + 1} is not in {self.path.name}")
            try:
                pix = doc.load_page(page).get_pixmap(
                    matrix=pymupdf.Matrix(scale, scale), alpha=False, annots=False,
                    clip=pymupdf.Rect(clip) if clip else None)
            except MUPDF_ERRORS as error:
                raise PdfError(f"page {page + 1} of {self.path.name} cannot be drawn: "
                               f"{error}") from None
            if dark:
                pix.tint_with(DARK_INK, DARK_PAPER)
            return pix

    def close(self) -> None:
        with PDF_LOCK:
            if self._doc is not None:
                self._doc.close()
                self._doc = None


def render_page_png(path: Path, page: int, dpi: int = 150) -> bytes:
    """One page as PNG bytes (used by tests and the benchmark)."""
    renderer = Renderer(path)
    try:
        with PDF_LOCK:
            pix = renderer.document.load_page(page).get_pixmap(dpi=dpi, annots=False)
            return bytes(pix.tobytes("png"))
    finally:
        renderer.close()
