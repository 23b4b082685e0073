"""The full-text index of PDFs: page texts by content hash, searched through ``pdf_text_fts``.

Derived from the PDF files on this machine (like ``papers_fts`` from the papers), so it is not
part of the op log. A PDF is indexed once per content hash; ``pdf_text_state`` remembers it,
also when it had no text layer or could not be read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readinglist.core.text import unspaced_cjk
from readinglist.storage.connection import RawConnection as Connection
from readinglist.storage.sqltools import chunks, qmarks, utc_now_iso

# snippet() markers around a matched term: control characters no PDF text keeps (whitespace is
# collapsed and these are not printable), replaced by each front end with its own emphasis
MARK_START = "\x02"
MARK_END = "\x03"
_SNIPPET_TOKENS = 24


def current_pdf(files: str) -> str:
    """SQL for the content hash of the PDF a paper's ``pdf_files`` row ``files`` belongs to
    shows — as ``PdfService.pdf_for`` chooses it: the newest attached one, else the newest of
    the paper's current version, else the newest. Only that PDF is searched: a replaced PDF
    (another attached copy, a new arXiv version) no longer answers for its paper."""
    return ("(SELECT c.sha256 FROM pdf_files c JOIN papers q ON q.key = c.paper_key "
            f"WHERE c.paper_key = {files}.paper_key ORDER BY c.origin = 'attached' DESC, "
            "coalesce(c.version = q.version, 0) DESC, c.created DESC, c.rowid DESC LIMIT 1)")


PAPERS_MATCHING = (
    "p.key IN (SELECT f.paper_key FROM pdf_files f WHERE f.sha256 IN ("
    "SELECT pg.sha256 FROM pdf_pages pg WHERE pg.id IN ("
    "SELECT rowid FROM pdf_text_fts WHERE pdf_text_fts MATCH ?)) "
    f"AND f.sha256 = {current_pdf('f')})")


@dataclass(frozen=True, slots=True)
class PageMatch:
    """A page of a paper's PDF that matches a search, with the matching words marked."""

    page: int  # 0-based
    snippet: str  # matched terms between MARK_START and MARK_END

    def plain(self, start: str = "[", end: str = "]") -> str:
        """The snippet with the marks replaced (``[term]`` by default)."""
        return self.snippet.replace(MARK_START, start).replace(MARK_END, end)


@dataclass(frozen=True, slots=True)
class IndexStats:
    """What the full-text index holds."""

    pdfs: int  # PDFs read
    pages: int  # pages with text
    without_text: int  # PDFs read that had no text layer (scans)
    unreadable: int  # PDFs that could not be read
    pending: int  # registered PDFs not read yet


def store_pages(conn: Connection, sha256: str, pages: Sequence[str]) -> None:
    """Replace the indexed text of one PDF (pages without text are not stored)."""
    conn.exec_driver_sql("DELETE FROM pdf_pages WHERE sha256 = ?", (sha256,))
    rows = [(sha256, number, text) for number, text in enumerate(pages) if text]
    if rows:
        conn.exec_driver_sql("INSERT INTO pdf_pages (sha256, page, text) VALUES (?, ?, ?)", rows)
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO pdf_text_state (sha256, pages, chars, indexed_at, error) "
        "VALUES (?, ?, ?, ?, NULL)", (sha256, len(pages), sum(map(len, pages)), utc_now_iso()))


def store_failure(conn: Connection, sha256: str, error: str) -> None:
    """Remember that a PDF could not be read, so it is not tried on every start."""
    conn.exec_driver_sql("DELETE FROM pdf_pages WHERE sha256 = ?", (sha256,))
    conn.exec_driver_sql(
        "INSERT OR REPLACE INTO pdf_text_state (sha256, pages, chars, indexed_at, error) "
        "VALUES (?, 0, 0, ?, ?)", (sha256, utc_now_iso(), error))


def forget_all(conn: Connection) -> None:
    """Drop every indexed text (a full re-index follows)."""
    conn.exec_driver_sql("DELETE FROM pdf_pages")
    conn.exec_driver_sql("DELETE FROM pdf_text_state")


# 2: Han and kana stored one character per token (``core.text.spaced_cjk``)
TEXT_FORMAT = 2
_FORMAT_KEY = "pdf_text.format"
_CJK_GLOB = "*[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]*"


def upgrade_format(conn: Connection) -> int:
    """Forget the text of PDFs indexed in an older format that this one reads differently
    (pages with Han or kana), so that they are read again; how many. Runs once per library."""
    stored = conn.exec_driver_sql("SELECT value FROM meta WHERE key = ?", (_FORMAT_KEY,)).scalar()
    if stored is not None and int(stored) >= TEXT_FORMAT:
        return 0
    stale = [sha for (sha,) in conn.exec_driver_sql(
        "SELECT DISTINCT sha256 FROM pdf_pages WHERE text GLOB ?", (_CJK_GLOB,))]
    for sha in stale:
        conn.exec_driver_sql("DELETE FROM pdf_pages WHERE sha256 = ?", (sha,))
        conn.exec_driver_sql("DELETE FROM pdf_text_state WHERE sha256 = ?", (sha,))
    conn.exec_driver_sql("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                         (_FORMAT_KEY, str(TEXT_FORMAT)))
    return len(stale)


def unindexed(conn: Connection) -> list[tuple[str, str, str]]:
    """Registered PDFs not read yet: (sha256, path relative to the cache, paper key), newest
    first (the PDF just opened is searchable first)."""
    return [tuple(row) for row in conn.exec_driver_sql(
        "SELECT f.sha256, f.path, f.paper_key FROM pdf_files f "
        "WHERE NOT EXISTS (SELECT 1 FROM pdf_text_state s WHERE s.sha256 = f.sha256) "
        "ORDER BY f.created DESC, f.rowid DESC")]


def page_matches(conn: Connection, key: str, expression: str, limit: int = 20
                 ) -> list[PageMatch]:
    """The pages of a paper's PDF that match an FTS5 expression, in page order.

    When the paper has several PDFs (versions, an attached copy) the one the viewer opens
    answers (``current_pdf``): its pages are the ones a click shows.
    """
    files = conn.exec_driver_sql(
        "SELECT f.sha256, min(pg.id), max(pg.id) FROM pdf_files f "
        "JOIN pdf_pages pg ON pg.sha256 = f.sha256 WHERE f.paper_key = ? "
        f"AND f.sha256 = {current_pdf('f')} GROUP BY f.sha256", (key,)).all()
    for sha, low, high in files:  # a PDF's pages are written together: FTS5 seeks to them
        rows = conn.exec_driver_sql(
            "SELECT pg.page, snippet(pdf_text_fts, 0, ?, ?, '…', ?) FROM pdf_text_fts "
            "JOIN pdf_pages pg ON pg.id = pdf_text_fts.rowid WHERE pdf_text_fts MATCH ? "
            "AND pdf_text_fts.rowid BETWEEN ? AND ? AND pg.sha256 = ? ORDER BY pg.page LIMIT ?",
            (MARK_START, MARK_END, _SNIPPET_TOKENS, expression, low, high, sha, limit)).all()
        if rows:
            return [PageMatch(int(page), unspaced_cjk(str(snippet))) for page, snippet in rows]
    return []


def papers_page_matches(conn: Connection, keys: Sequence[str], expression: str,
                        limit: int = 20) -> dict[str, list[PageMatch]]:
    """``page_matches`` for many papers, a few hundred per pass over the index: {key: pages}."""
    found: dict[str, list[PageMatch]] = {}
    for chunk in chunks(list(dict.fromkeys(keys))):
        rows = conn.exec_driver_sql(
            "SELECT f.paper_key, pg.page, snippet(pdf_text_fts, 0, ?, ?, '…', ?) "
            "FROM pdf_text_fts JOIN pdf_pages pg ON pg.id = pdf_text_fts.rowid "
            "JOIN pdf_files f ON f.sha256 = pg.sha256 "
            f"WHERE pdf_text_fts MATCH ? AND f.paper_key IN ({qmarks(len(chunk))}) "
            f"AND f.sha256 = {current_pdf('f')} ORDER BY f.paper_key, pg.page",
            (MARK_START, MARK_END, _SNIPPET_TOKENS, expression, *chunk))
        for key, page, snippet in rows:  # one PDF per paper: the one its viewer opens
            pages = found.setdefault(key, [])
            if len(pages) < limit:
                pages.append(PageMatch(int(page), unspaced_cjk(str(snippet))))
    return found


def stats(conn: Connection) -> IndexStats:
    """Counts for ``readinglist fulltext`` and Preferences."""
    pdfs, without_text, unreadable = conn.exec_driver_sql(
        "SELECT coalesce(sum(error IS NULL), 0), coalesce(sum(chars = 0 AND error IS NULL), 0), "
        "coalesce(sum(error IS NOT NULL), 0) FROM pdf_text_state").one()
    pages = conn.exec_driver_sql("SELECT count(*) FROM pdf_pages").scalar()
    pending = conn.exec_driver_sql(
        "SELECT count(DISTINCT sha256) FROM pdf_files f WHERE NOT EXISTS "
        "(SELECT 1 FROM pdf_text_state s WHERE s.sha256 = f.sha256)").scalar()
    return IndexStats(int(pdfs), int(pages or 0), int(without_text), int(unreadable),
                      int(pending or 0))
