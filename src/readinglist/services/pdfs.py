"""PDF use cases: download or find a paper's PDF, attach one, import and export annotations."""

from __future__ import annotations

import logging
import shutil
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from readinglist.core.errors import InputError, InvalidIdError, ReadinglistError
from readinglist.core.models import Annotation, Paper
from readinglist.pdf import annotations as pdf_annotations
from readinglist.pdf import document
from readinglist.pdf.cache import PdfCache
from readinglist.pdf.download import Progress, arxiv_pdf_url, download
from readinglist.pdf.errors import DownloadCancelled, DownloadError, PdfError
from readinglist.pdf.hashing import sha256_bytes, sha256_file
from readinglist.pdf.text import quad_rect
from readinglist.services.config import Settings
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths

log = logging.getLogger(__name__)
_IMPORTED = "pdf_annotations_imported:"
_download_locks: dict[str, threading.Lock] = {}
_locks_guard = threading.Lock()


@dataclass(frozen=True, slots=True)
class PdfFileInfo:
    """A registered PDF of a paper."""

    sha256: str
    paper_key: str
    version: int | None
    path: Path
    size: int
    origin: str  # "download" | "attached"
    url: str | None
    created: str


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _key_lock(key: str) -> threading.Lock:
    with _locks_guard:
        return _download_locks.setdefault(key, threading.Lock())


class PdfService:
    """Finds, downloads and registers PDFs; moves annotations between PDFs and the library."""

    def __init__(self, library: Library, paths: LibraryPaths,
                 settings: Settings | None = None, client: object | None = None) -> None:
        self.library = library
        self.paths = paths
        self.settings = settings or Settings.load(paths.config)
        self.cache = PdfCache(paths.pdf_cache)
        self.client = client  # an httpx.Client to share; else each download makes its own

    def paper(self, key: str) -> Paper:
        """The paper with this canonical key (``url:`` keys included) or a user's id for it;
        one in the Trash too (its PDF can be read before it is restored)."""
        try:
            return self.library.get(key, in_trash=True)
        except InvalidIdError:
            if key.startswith("url:"):
                return self.library.get(key[4:], in_trash=True)
            raise

    # -- the registry ---------------------------------------------------------------------------

    def files(self, key: str) -> list[PdfFileInfo]:
        """Registered PDFs of a paper whose file still exists, most recent first."""
        with self.library.db.read() as session:
            rows = session.connection().exec_driver_sql(
                "SELECT sha256, paper_key, version, path, size, origin, url, created "
                "FROM pdf_files WHERE paper_key = ? ORDER BY created DESC, rowid DESC",
                (key,)).all()
        found = []
        for row in rows:
            try:
                path = self.cache.path(row[3])
            except PdfError:
                log.warning("ignoring unsafe registered PDF path %r", row[3])
                continue
            if path.is_file():
                found.append(PdfFileInfo(row[0], row[1], row[2], path, row[4], row[5], row[6],
                                         row[7]))
        return found

    def pdf_for(self, key: str) -> PdfFileInfo | None:
        """The PDF to show for a paper: the newest attached one, else the current version."""
        files = self.files(key)
        attached = [f for f in files if f.origin == "attached"]
        if attached:
            return attached[0]
        version = self.paper(key).version
        current = [f for f in files if f.version == version] if version else []
        return (current or files or [None])[0]

    def _register(self, key: str, version: int | None, path: Path, origin: str,
                  url: str | None) -> PdfFileInfo:
        sha = sha256_file(path)
        info = PdfFileInfo(sha, key, version, path, path.stat().st_size, origin, url, _now())
        with self.library.db.write() as session:
            session.connection().exec_driver_sql(
                "INSERT OR REPLACE INTO pdf_files (sha256, paper_key, version, path, size, origin, "
                "url, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (sha, key, version, self.cache.relative(path), info.size, origin, url,
                 info.created))
        return info

    # -- getting a PDF --------------------------------------------------------------------------

    def source_url(self, paper: Paper) -> str:
        """Where the paper's PDF comes from (arXiv, else the paper's PDF link)."""
        if paper.arxiv_id:
            return arxiv_pdf_url(paper.arxiv_id, paper.version)
        if paper.pdf_url:
            return paper.pdf_url
        raise DownloadError(f"no PDF link is known for {paper.key}; attach a local PDF instead")

    def cached(self, key: str) -> Path | None:
        """The PDF already on disk for a paper, without any network access."""
        info = self.pdf_for(key)
        if info is None:
            return None
        paper = self.paper(key)
        if info.origin == "download" and paper.version and info.version != paper.version:
            return None  # an older version: the library now knows a newer one
        return info.path

    def ensure_pdf(self, key: str, progress: Progress | None = None,
                   cancel: threading.Event | None = None) -> Path:
        """The paper's PDF, downloaded into the cache unless it is there already.

        Raises:
            UnknownPaperError, DownloadError: with a message for the user.
        """
        paper = self.paper(key)
        with _key_lock(paper.key):
            found = self.cached(paper.key)
            if found is not None:
                return found
            synced = self._from_sync(paper.key)
            if synced is not None:
                return synced
            url = self.source_url(paper)
            name = self.cache.download_name(paper.key, paper.version)
            self.cache.ensure()
            dest = self.cache.path(name)
            max_bytes = max(1, int(self.settings.pdf_max_mb)) * 1024 * 1024
            with _pacing(paper, cancel):
                result = download(url, dest, self.cache.part_path(name), max_bytes=max_bytes,
                                  progress=progress, cancel=cancel, client=self.client,
                                  verify=document.validate)
            self._register(paper.key, paper.version, result.path, "download", result.url)
            return result.path

    def _from_sync(self, key: str) -> Path | None:
        """A PDF another device synced for this paper (when PDFs are synced), else None.

        Candidates are the files the paper's annotations were made on; a failure is logged
        and the caller downloads from the paper's link instead.
        """
        sync_config = Settings.load(self.paths.config).sync
        if not sync_config.get("pdfs"):
            return None
        hashes = list(dict.fromkeys(a.pdf_hash for a in self.library.annotations(key)
                                    if a.pdf_hash))
        if not hashes:
            return None
        from readinglist.services.sync import SyncService  # only when PDFs are synced

        service = SyncService(self.library, self.paths)
        for sha in hashes:
            self.cache.ensure()
            dest = self.cache.path(self.cache.attached_name(key, sha))
            try:
                fetched = service.fetch_pdf(sha, dest)
            except (ReadinglistError, OSError) as error:
                log.info("synced PDF %s unavailable: %s", sha[:12], error)
                return None
            if fetched is not None:
                self._register(key, None, fetched, "sync", None)
                return fetched
        return None

    def attach_pdf(self, key: str, source: Path) -> Path:
        """Copy a local PDF into the cache as the paper's PDF.

        Raises:
            PdfError: the file cannot be read or is not a usable PDF.
        """
        paper = self.paper(key)
        source = Path(source).expanduser()
        document.validate(source)
        sha = sha256_file(source)
        try:
            self.cache.ensure()
        except OSError as error:  # a file in its place, a read-only or full disk
            raise PdfError(f"cannot create the PDF folder {self.cache.root}: "
                           f"{error.strerror or error}") from None
        dest = self.cache.path(self.cache.attached_name(paper.key, sha))
        if not dest.exists():
            tmp = self.cache.part_path(dest.name)
            try:
                shutil.copyfile(source, tmp)
                tmp.replace(dest)
            except OSError as error:
                raise PdfError(f"cannot copy {source.name} into the PDF cache: "
                               f"{error.strerror or error}") from None
            finally:
                tmp.unlink(missing_ok=True)
        self._register(paper.key, paper.version, dest, "attached", None)
        return dest

    def attach_many(self, pdfs: Sequence[tuple[str, Path]]) -> tuple[int, list[str]]:
        """Attach the PDFs an imported file named ((key, path) pairs) and make them
        searchable; returns how many were attached and a reason for each one that was not
        (missing, not a PDF, damaged) — those do not stop the others."""
        from readinglist.services.fulltext import FullTextIndex

        index = FullTextIndex(self.library, self.cache)
        attached, problems = 0, []
        for key, path in pdfs:
            if not Path(path).is_file():
                problems.append(f"{path}: missing")
                continue
            try:
                index.index_paper(key, self.attach_pdf(key, path))
                attached += 1
            except PdfError as error:
                problems.append(str(error))
        return attached, problems

    # -- annotations ----------------------------------------------------------------------------

    def _meta(self, name: str) -> str | None:
        with self.library.db.read() as session:
            value = session.connection().exec_driver_sql(
                "SELECT value FROM meta WHERE key = ?", (name,)).scalar()
        return None if value is None else str(value)

    def _set_meta(self, name: str, value: str) -> None:
        with self.library.db.write() as session:
            session.connection().exec_driver_sql(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (name, value))

    def import_annotations_once(self, key: str, path: Path, sha256: str | None = None) -> int:
        """Bring annotations stored inside a PDF into the library, once per file content.

        Annotations the library already has (same id, or same page, kind, text and place) are
        skipped. Returns how many were added.
        """
        sha = sha256 or sha256_file(path)
        marker = _IMPORTED + sha
        if self._meta(marker) is not None:
            return 0
        found = pdf_annotations.read_annotations_from(path)
        existing = self.library.annotations(key, include_deleted=True)
        ids = {a.id for a in existing}
        seen = [_signature(a) for a in existing]
        added = 0
        for index, item in enumerate(found):
            signature = _signature(item)
            if (item.name and item.name in ids) or any(_same(signature, s) for s in seen):
                continue
            # ids we wrote come back as they were; others get an id derived from the file, so
            # two devices importing the same PDF create the same annotations, not duplicates
            new_id = item.name if _looks_like_our_id(item.name) else ""
            if not new_id or self._annotation_exists(new_id):
                new_id = sha256_bytes(f"{sha}:{index}:{item.page}:{item.kind}".encode())[:32]
                if self._annotation_exists(new_id):
                    continue
            self.library.add_annotation(key, item.kind, item.page, item.quads, item.text,
                                        item.comment, item.color, pdf_hash=sha,
                                        annotation_id=new_id)
            seen.append(signature)
            added += 1
        self._set_meta(marker, _now())
        return added

    def _annotation_exists(self, annotation_id: str) -> bool:
        with self.library.db.read() as session:
            return session.connection().exec_driver_sql(
                "SELECT 1 FROM annotations WHERE id = ?", (annotation_id,)).first() is not None

    def annotations(self, key: str) -> list[Annotation]:
        return self.library.annotations(key)

    def export_pdf(self, key: str, dest: Path, progress: Progress | None = None) -> Path:
        """Write the paper's PDF with its annotations as standard PDF annotations to ``dest``."""
        source = self.ensure_pdf(key, progress)
        dest = Path(dest).expanduser()
        if dest.resolve() == source.resolve():
            raise InputError("choose a different file: the cached PDF is kept unchanged")
        if not dest.parent.is_dir():
            raise InputError(f"the folder {dest.parent} does not exist")
        return pdf_annotations.write_annotated_copy(source, dest, self.library.annotations(key))

    def export_markdown(self, key: str) -> str:
        """The paper's highlights, comments and notes as Markdown."""
        paper = self.paper(key)
        return pdf_annotations.to_markdown(paper.title, paper.key,
                                           self.library.annotations(paper.key), paper.note)


@contextmanager
def _pacing(paper: Paper, cancel: threading.Event | None) -> Iterator[None]:
    """arXiv PDFs share the process-wide arXiv pacer (one connection, >= 3 s apart)."""
    if not paper.arxiv_id:
        yield
        return
    from readinglist.sources.ratelimit import Cancelled, arxiv_pacer

    try:
        with arxiv_pacer().slot(cancel):
            yield
    except Cancelled:
        raise DownloadCancelled("download cancelled; nothing was saved") from None


def _signature(ann: Annotation | pdf_annotations.PdfAnnotation) -> tuple[Any, ...]:
    """What makes two annotations the same: page, kind, text, comment and where it starts."""
    corner = quad_rect(ann.quads[0])[:2] if ann.quads else (0.0, 0.0)
    return (ann.page, ann.kind, ann.text.strip(), ann.comment.strip(), corner)


def _same(a: tuple[Any, ...], b: tuple[Any, ...]) -> bool:
    """Two signatures alike, up to how precisely a PDF stores positions (the same words
    highlighted twice on a page are two annotations)."""
    (ax, ay), (bx, by) = a[-1], b[-1]
    return a[:-1] == b[:-1] and abs(ax - bx) < 2.0 and abs(ay - by) < 2.0


def _looks_like_our_id(name: str) -> bool:
    return len(name) == 32 and all(c in "0123456789abcdef" for c in name)
