"""Text on pages: search hits as quads, selection between two points, text under quads, links."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pymupdf

from readinglist.pdf.document import PDF_LOCK

Quad = tuple[float, float, float, float, float, float, float, float]  # ul, ur, ll, lr (x, y)
_HIT_MAX = 5000  # matches looked for on one page


@dataclass(frozen=True, slots=True)
class Word:
    """A word on a page with its box and reading-order position."""

    x0: float
    y0: float
    x1: float
    y1: float
    text: str
    block: int
    line: int


@dataclass(frozen=True, slots=True)
class Hit:
    """A search match: 0-based page and one quad per line it spans."""

    page: int
    quads: tuple[Quad, ...]


@dataclass(frozen=True, slots=True)
class Link:
    """A link area on a page: an internal target (page, y) or an external URI."""

    rect: tuple[float, float, float, float]
    uri: str | None = None
    page: int | None = None
    y: float = 0.0


def quad_of(q: pymupdf.Quad | pymupdf.Rect) -> Quad:
    """Eight floats (ul, ur, ll, lr) for a PyMuPDF quad or rectangle."""
    q = q.quad if isinstance(q, pymupdf.Rect) else q
    return (q.ul.x, q.ul.y, q.ur.x, q.ur.y, q.ll.x, q.ll.y, q.lr.x, q.lr.y)


def quad_rect(quad: Sequence[float]) -> tuple[float, float, float, float]:
    """The bounding box (x0, y0, x1, y1) of a quad."""
    xs, ys = quad[0::2], quad[1::2]
    return (min(xs), min(ys), max(xs), max(ys))


def page_words(doc: pymupdf.Document, page: int) -> list[Word]:
    """The page's words in reading order."""
    with PDF_LOCK:
        raw = doc.load_page(page).get_text("words", sort=False)
    return [Word(w[0], w[1], w[2], w[3], w[4], w[5], w[6]) for w in raw]


def page_chars(doc: pymupdf.Document, page: int) -> list[Word]:
    """The page's characters (spaces included) in reading order, each as a one-letter word."""
    with PDF_LOCK:
        raw = doc.load_page(page).get_text("rawdict", sort=False)
    chars = []
    for b, block in enumerate(raw.get("blocks", ())):
        for n, line in enumerate(block.get("lines", ())):
            for span in line.get("spans", ()):
                for c in span.get("chars", ()):
                    x0, y0, x1, y1 = c["bbox"]
                    chars.append(Word(x0, y0, x1, y1, c["c"], b, n))
    return chars


def search_page(doc: pymupdf.Document, page: int, needle: str) -> list[Hit]:
    """Case-insensitive matches of ``needle`` on one page, words hyphenated at a line's end
    included; a match over two lines is one hit with a quad per line."""
    if not needle.strip():
        return []
    with PDF_LOCK:  # MuPDF's own search: PyMuPDF's search_for neither joins hyphenated words
        # nor says which quads make one match; its quads are on the page as shown
        derotate = doc.load_page(page).derotation_matrix
        found = [(hit.mark, pymupdf.Quad(*(pymupdf.Point(p.x, p.y) for p in (
            hit.quad.ul, hit.quad.ur, hit.quad.ll, hit.quad.lr))) * derotate)
            for hit in pymupdf.mupdf.fz_search_page2(doc.this, page, needle, _HIT_MAX)]
    matches: dict[int, list[Quad]] = {}
    for mark, quad in found:
        matches.setdefault(mark, []).append(quad_of(quad))
    return [Hit(page, tuple(quads)) for quads in matches.values()]


def search(doc: pymupdf.Document, needle: str) -> Iterator[Hit]:
    """Every match in the document, page by page (the lock is released between pages)."""
    for page in range(doc.page_count):
        yield from search_page(doc, page, needle)


def _nearest(words: Sequence[Word], x: float, y: float) -> int:
    """Index of the word closest to a point (distance to its box)."""
    best, best_d = 0, float("inf")
    for i, w in enumerate(words):
        dx = max(w.x0 - x, 0.0, x - w.x1)
        dy = max(w.y0 - y, 0.0, y - w.y1)
        d = dx * dx + dy * dy * 4  # prefer the same line
        if d < best_d:
            best, best_d = i, d
    return best


def select_words(words: Sequence[Word], start: tuple[float, float],
                 end: tuple[float, float]) -> list[Word]:
    """The words from the one nearest ``start`` to the one nearest ``end`` in reading order."""
    if not words:
        return []
    a, b = _nearest(words, *start), _nearest(words, *end)
    if a > b:
        a, b = b, a
    return list(words[a:b + 1])


def line_quads(words: Sequence[Word]) -> tuple[Quad, ...]:
    """One quad per line covering the given words."""
    lines: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        lines.setdefault((w.block, w.line), []).append(w)
    quads = []
    for group in lines.values():
        x0, y0 = min(w.x0 for w in group), min(w.y0 for w in group)
        x1, y1 = max(w.x1 for w in group), max(w.y1 for w in group)
        quads.append((x0, y0, x1, y0, x0, y1, x1, y1))
    return tuple(quads)


def words_text(words: Sequence[Word]) -> str:
    """Selected words as text: spaces within a line, newlines between lines."""
    out: list[str] = []
    previous: tuple[int, int] | None = None
    for w in words:
        key = (w.block, w.line)
        if previous is not None:
            out.append(" " if key == previous else "\n")
        out.append(w.text)
        previous = key
    return "".join(out)


def text_under_quads(words: Sequence[Word], quads: Sequence[Sequence[float]]) -> str:
    """The words whose centres lie inside any of the quads (exact highlight text on import)."""
    boxes = [quad_rect(q) for q in quads]
    chosen = []
    for w in words:
        cx, cy = (w.x0 + w.x1) / 2, (w.y0 + w.y1) / 2
        if any(x0 - 0.5 <= cx <= x1 + 0.5 and y0 - 0.5 <= cy <= y1 + 0.5
               for x0, y0, x1, y1 in boxes):
            chosen.append(w)
    return words_text(chosen)


def chars_under_quads(chars: Sequence[Word], quads: Sequence[Sequence[float]]) -> str:
    """The characters whose centres lie inside any of the quads, a line per line: the exact
    text of a highlight another program made, which may start or end inside a word."""
    boxes = [quad_rect(q) for q in quads]
    lines: dict[tuple[int, int], list[str]] = {}
    for c in chars:
        cx, cy = (c.x0 + c.x1) / 2, (c.y0 + c.y1) / 2
        if any(x0 - 0.5 <= cx <= x1 + 0.5 and y0 - 0.5 <= cy <= y1 + 0.5
               for x0, y0, x1, y1 in boxes):
            lines.setdefault((c.block, c.line), []).append(c.text)
    texts = (" ".join("".join(line).split()) for line in lines.values())
    return "\n".join(text for text in texts if text)


def page_links(doc: pymupdf.Document, page: int) -> list[Link]:
    """Internal and external links on a page."""
    with PDF_LOCK:
        raw = doc.load_page(page).get_links()
    links = []
    for item in raw:
        rect = item.get("from")
        if rect is None:
            continue
        box = (rect.x0, rect.y0, rect.x1, rect.y1)
        kind = item.get("kind")
        if kind == pymupdf.LINK_URI and item.get("uri"):
            links.append(Link(box, uri=str(item["uri"])))
        elif kind in (pymupdf.LINK_GOTO, pymupdf.LINK_NAMED) and item.get("page", -1) >= 0:
            to = item.get("to")
            links.append(Link(box, page=int(item["page"]), y=float(to.y) if to else 0.0))
    return links
