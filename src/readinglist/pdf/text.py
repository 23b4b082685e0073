"""Text on pages: search hits as quads, selection between two points, text under quads, links."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pymupdf

from readinglist.pdf.document import PDF_LOCK

Quad = tuple[float, float, float, float, float, float, float, float]  # ul, ur, ll, lr (x, y)


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


def search_page(doc: pymupdf.Document, page: int, needle: str) -> list[Hit]:
    """Case-insensitive matches of ``needle`` on one page."""
    if not needle.strip():
        return []
    with PDF_LOCK:
        found = doc.load_page(page).search_for(needle, quads=True)
    hits: list[Hit] = []
    for quad in found:  # one quad per matched line part: each is stepped through on its own
        hits.append(Hit(page, (quad_of(quad),)))
    return hits


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
