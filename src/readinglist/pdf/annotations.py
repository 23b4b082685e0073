"""Annotations in PDF files: write standard PDF annotations, read them back, Markdown export."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pymupdf

from readinglist.core.models import Annotation
from readinglist.pdf.document import PDF_LOCK, open_document
from readinglist.pdf.errors import PdfError
from readinglist.pdf.text import chars_under_quads, page_chars, quad_of, quad_rect

NOTE_SIZE = 20.0
_OURS = (pymupdf.PDF_ANNOT_HIGHLIGHT, pymupdf.PDF_ANNOT_UNDERLINE, pymupdf.PDF_ANNOT_TEXT)


@dataclass(frozen=True, slots=True)
class PdfAnnotation:
    """An annotation found inside a PDF file."""

    kind: str  # highlight | underline | note
    page: int
    quads: tuple[tuple[float, ...], ...]
    text: str
    comment: str
    color: str
    name: str = ""  # the PDF /NM entry (our annotation id when we wrote it)


def hex_color(rgb: Sequence[float] | None, default: str = "#ffd400") -> str:
    """``#rrggbb`` for PyMuPDF's 0..1 colour triple."""
    if not rgb or len(rgb) < 3:
        return default
    return "#" + "".join(f"{max(0, min(255, round(c * 255))):02x}" for c in rgb[:3])


def rgb_color(color: str) -> tuple[float, float, float]:
    """PyMuPDF's 0..1 triple for ``#rrggbb`` (yellow if malformed)."""
    text = color.lstrip("#")
    try:
        if len(text) == 3:
            text = "".join(c * 2 for c in text)
        return (int(text[0:2], 16) / 255, int(text[2:4], 16) / 255, int(text[4:6], 16) / 255)
    except ValueError:
        return (1.0, 0.83, 0.0)


def note_quad(x: float, y: float) -> tuple[float, ...]:
    """The square a sticky note occupies with its top-left corner at (x, y)."""
    return (x, y, x + NOTE_SIZE, y, x, y + NOTE_SIZE, x + NOTE_SIZE, y + NOTE_SIZE)


def _write_one(page: pymupdf.Page, ann: Annotation) -> None:
    color = rgb_color(ann.color)
    if ann.kind == "note":
        x0, y0, _, _ = quad_rect(ann.quads[0]) if ann.quads else (36.0, 36.0, 0.0, 0.0)
        annot = page.add_text_annot((x0, y0), ann.comment or ann.text, icon="Note")
    else:
        quads = [pymupdf.Quad(pymupdf.Point(q[0], q[1]), pymupdf.Point(q[2], q[3]),
                              pymupdf.Point(q[4], q[5]), pymupdf.Point(q[6], q[7]))
                 for q in ann.quads if len(q) == 8]
        if not quads:
            return
        add = page.add_highlight_annot if ann.kind == "highlight" else page.add_underline_annot
        annot = add(quads=quads)
    annot.set_colors(stroke=color)
    annot.set_info(content=ann.comment, title="readinglist", subject=ann.text[:500])
    annot.update()
    page.parent.xref_set_key(annot.xref, "NM", pymupdf.get_pdf_str(ann.id))


def write_annotated_copy(source: Path, dest: Path, annotations: Sequence[Annotation]) -> Path:
    """Write ``source`` to ``dest`` with ``annotations`` as standard PDF annotations.

    Highlights, underlines and text notes already in the file are replaced (they were imported
    into the library on first open); other annotation types are kept. ``dest`` is written to a
    temporary file and renamed, so a failure leaves nothing half-written.
    """
    dest = Path(dest)
    doc = open_document(source)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.", suffix=".tmp")
    os.close(fd)
    try:
        with PDF_LOCK:
            by_page: dict[int, list[Annotation]] = {}
            for ann in annotations:
                if not ann.deleted and 0 <= ann.page < doc.page_count:
                    by_page.setdefault(ann.page, []).append(ann)
            for number in range(doc.page_count):
                page = doc.load_page(number)
                for old in [a for a in page.annots() if a.type[0] in _OURS]:
                    page.delete_annot(old)
                for ann in by_page.get(number, ()):
                    _write_one(page, ann)
            doc.save(tmp, garbage=3, deflate=True)
        os.replace(tmp, dest)
    except (RuntimeError, ValueError, OSError) as error:
        raise PdfError(f"cannot write {dest}: {error}") from None
    finally:
        with PDF_LOCK:
            doc.close()
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


def read_annotations(doc: pymupdf.Document) -> list[PdfAnnotation]:
    """Highlights, underlines (squiggly, strike-out) and notes inside an open PDF."""
    found: list[PdfAnnotation] = []
    with PDF_LOCK:
        for number in range(doc.page_count):
            page = doc.load_page(number)  # keep the page alive while its annotations are used
            chars = None
            for annot in page.annots():
                kind_code = annot.type[0]
                info = annot.info
                name = str(info.get("id") or "")
                color = hex_color(annot.colors.get("stroke"))
                comment = str(info.get("content") or "")
                if kind_code in (pymupdf.PDF_ANNOT_TEXT, pymupdf.PDF_ANNOT_FREE_TEXT):
                    rect = annot.rect
                    found.append(PdfAnnotation("note", number, (note_quad(rect.x0, rect.y0),), "",
                                               comment, color, name))
                    continue
                if kind_code == pymupdf.PDF_ANNOT_HIGHLIGHT:
                    kind = "highlight"
                elif kind_code in (pymupdf.PDF_ANNOT_UNDERLINE, pymupdf.PDF_ANNOT_SQUIGGLY,
                                   pymupdf.PDF_ANNOT_STRIKE_OUT):
                    kind = "underline"
                else:
                    continue
                points = annot.vertices or []
                quads = tuple(
                    tuple(float(c) for p in points[i:i + 4] for c in p)
                    for i in range(0, len(points) - 3, 4))
                if not quads:
                    quads = (quad_of(annot.rect),)
                if chars is None:
                    chars = page_chars(doc, number)
                text = chars_under_quads(chars, quads)
                found.append(PdfAnnotation(kind, number, quads, text, comment, color, name))
    return found


def read_annotations_from(path: Path) -> list[PdfAnnotation]:
    """``read_annotations`` on a file path."""
    doc = open_document(path)
    try:
        return read_annotations(doc)
    finally:
        with PDF_LOCK:
            doc.close()


def to_markdown(title: str, key: str, annotations: Sequence[Annotation],
                note: str = "") -> str:
    """A paper's highlights and notes as Markdown, in page order."""
    lines = [f"# {title or key}", "", f"Paper: `{key}`", ""]
    if note.strip():
        lines += ["## Note", "", note.strip(), ""]
    live = sorted((a for a in annotations if not a.deleted),
                  key=lambda a: (a.page, quad_rect(a.quads[0])[1] if a.quads else 0.0))
    lines += ["## Highlights and notes", ""]
    if not live:
        lines += ["_No annotations yet._", ""]
    current_page = None
    for ann in live:
        if ann.page != current_page:
            current_page = ann.page
            lines += [f"### Page {ann.page + 1}", ""]
        if ann.kind == "note":
            body = (ann.comment or ann.text).strip().replace("\n", "\n  ")
            lines.append(f"- **Note:** {body}")
        else:
            quote = " ".join(ann.text.split()) or "(no text)"
            label = "" if ann.kind == "highlight" else " _(underlined)_"
            lines.append(f"- > {quote}{label} <!-- {ann.color} -->")
            if ann.comment.strip():
                lines.append(f"  - {ann.comment.strip()}".replace("\n", "\n    "))
    lines.append("")
    return "\n".join(lines)
