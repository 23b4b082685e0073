"""Full-text search in PDFs: reading the text of this machine's PDFs into the library's index.

Every PDF registered for a paper (downloaded, attached or synced) is read once per content
hash, page by page, outside any transaction; its pages are then written in one short write
transaction. ``pdf:word`` searches (``core.query``) find the papers, ``matches`` the pages.
Importing this module does not load PyMuPDF (the list and detail pane ask for matches).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from readinglist.core.changes import Changes
from readinglist.core.errors import InputError
from readinglist.core.query import parse_query, pdf_match_expression
from readinglist.core.text import counted
from readinglist.pdf.cache import PdfCache
from readinglist.pdf.errors import PdfError
from readinglist.services.library import Library
from readinglist.storage import pdf_text
from readinglist.storage.pdf_text import IndexStats, PageMatch

log = logging.getLogger(__name__)

# (done, total, paper key) after each PDF
Progress = Callable[[int, int, str], None]
# what reading one PDF came to
INDEXED, NO_TEXT, FAILED, STOPPED = "indexed", "no text", "failed", "stopped"


@dataclass(frozen=True, slots=True)
class IndexReport:
    """What one indexing run did."""

    indexed: int = 0  # PDFs whose text is now searchable
    without_text: int = 0  # read, but no text layer (scans)
    failed: tuple[str, ...] = ()  # "KEY: reason" for PDFs that could not be read
    missing: int = 0  # registered, but the file is no longer in the cache
    cancelled: bool = False
    cut_short: tuple[str, ...] = ()  # "KEY: …" for PDFs longer than the pages indexed

    def lines(self) -> list[str]:
        out = [f"indexed {counted(self.indexed, 'PDF')}"]
        if self.without_text:
            out.append(f"{counted(self.without_text, 'PDF')} without a text layer (scanned "
                       "pages: nothing to search)")
        if self.missing:
            out.append(f"{counted(self.missing, 'PDF')} no longer in the cache (skipped)")
        out.extend(f"could not read {failure}" for failure in self.failed)
        out.extend(self.cut_short)
        if self.cancelled:
            out.append("stopped before the end; the rest is indexed next time")
        return out


class FullTextIndex:
    """Keeps the PDFs' text index in step with the PDF cache."""

    def __init__(self, library: Library, cache: PdfCache) -> None:
        self.library = library
        self.cache = cache

    def index_pending(self, progress: Progress | None = None,
                      cancelled: Callable[[], bool] | None = None) -> IndexReport:
        """Read every registered PDF not indexed yet, newest first. A PDF that cannot be read
        is remembered with its reason (not retried until ``rebuild``)."""
        with self.library.store.transaction(write=True) as conn:
            pdf_text.upgrade_format(conn)  # once: PDFs read in an older format are read again
            pending = pdf_text.unindexed(conn)
        indexed = without_text = missing = 0
        failed: list[str] = []
        cut_short: list[str] = []
        stopped = False
        for number, (sha256, relative, key) in enumerate(pending, start=1):
            if cancelled is not None and cancelled():
                stopped = True
                break
            try:
                path = self.cache.path(relative)
            except PdfError:
                missing += 1
                continue
            if not path.is_file():
                missing += 1  # not marked: it is indexed if the file comes back
                continue
            outcome, reason = self._index_file(sha256, path, cancelled)
            if outcome == STOPPED:
                stopped = True
                break
            if outcome == INDEXED:
                indexed += 1
                if reason:  # indexed, but not to the end
                    cut_short.append(f"{key}: {reason}")
            elif outcome == NO_TEXT:
                without_text += 1
            else:
                failed.append(f"{key}: {reason}")
            if progress is not None:
                progress(number, len(pending), key)
        if indexed:
            self.library.notify(Changes(pdf_text=True))
        return IndexReport(indexed, without_text, tuple(failed), missing, stopped,
                           tuple(cut_short))

    def index_paper(self, key: str, path: Path, sha256: str | None = None) -> bool:
        """Index one PDF just downloaded or attached (if not indexed yet); True if searchable.
        A PDF that cannot be read is remembered as such, not raised: the PDF itself was
        checked when it was registered."""
        if sha256 is None:
            from readinglist.pdf.hashing import sha256_file

            sha256 = sha256_file(path)
        with self.library.store.transaction() as conn:
            known = conn.exec_driver_sql(
                "SELECT chars, error FROM pdf_text_state WHERE sha256 = ?", (sha256,)).first()
        if known is not None:
            return bool(known[0]) and known[1] is None
        outcome, _ = self._index_file(sha256, path, None)
        if outcome == INDEXED:
            self.library.notify(Changes(pdf_text=True, paper_keys=frozenset({key})))
        return outcome == INDEXED

    def _index_file(self, sha256: str, path: Path,
                    cancelled: Callable[[], bool] | None) -> tuple[str, str]:
        """Read and store one PDF: (INDEXED | NO_TEXT | FAILED | STOPPED, the failure — or
        for a PDF too long to index whole, what was)."""
        from readinglist.pdf.fulltext import MAX_PAGES, extract_text  # PyMuPDF: only here

        try:
            text = extract_text(path, cancelled)
        except PdfError as error:
            log.info("full-text index: %s", error)
            with self.library.store.transaction(write=True) as conn:
                pdf_text.store_failure(conn, sha256, str(error))
            return FAILED, str(error)
        if cancelled is not None and cancelled():
            return STOPPED, ""
        with self.library.store.transaction(write=True) as conn:
            pdf_text.store_pages(conn, sha256, text.pages)
        if text.truncated and text.has_text:
            return INDEXED, f"only its first {MAX_PAGES} pages are searchable"
        return (INDEXED if text.has_text else NO_TEXT), ""

    def rebuild(self, progress: Progress | None = None,
                cancelled: Callable[[], bool] | None = None) -> IndexReport:
        """Forget every indexed text and read all the PDFs again (after an OCR, or to retry
        PDFs that could not be read)."""
        with self.library.store.transaction(write=True) as conn:
            pdf_text.forget_all(conn)
        return self.index_pending(progress, cancelled)

    def stats(self) -> IndexStats:
        with self.library.store.transaction() as conn:
            return pdf_text.stats(conn)

    def matches(self, key: str, query: str, limit: int = 20) -> list[PageMatch]:
        return pdf_matches(self.library, key, query, limit)


def _expression(query: str) -> str | None:
    """The FTS5 expression of a search's ``pdf:`` terms; None without them (or malformed)."""
    try:
        return pdf_match_expression(parse_query(query))
    except InputError:
        return None


def pdf_matches(library: Library, key: str, query: str, limit: int = 20) -> list[PageMatch]:
    """The pages of the paper's PDF that match the ``pdf:`` terms of a search (none when the
    search has no ``pdf:`` terms or is malformed)."""
    expression = _expression(query)
    if expression is None:
        return []
    with library.store.transaction() as conn:
        return pdf_text.page_matches(conn, key, expression, limit)


def papers_pdf_matches(library: Library, keys: Sequence[str], query: str
                       ) -> dict[str, list[PageMatch]] | None:
    """``pdf_matches`` for a list of papers, in one pass per few hundred; None when the
    search has no ``pdf:`` terms."""
    expression = _expression(query)
    if expression is None:
        return None
    with library.store.transaction() as conn:
        return pdf_text.papers_page_matches(conn, keys, expression)
