"""The PDF cache folder: safe file names derived from paper keys, never escaping the folder."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

from readinglist.core.ids import safe_file_stem
from readinglist.pdf.errors import PdfError

PART_SUFFIX = ".part"


class PdfCache:
    """Names and resolves files inside one cache folder (``LibraryPaths.pdf_cache``)."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def ensure(self) -> Path:
        """Create the folder if needed and return it."""
        self.root.mkdir(parents=True, exist_ok=True)
        return self.root

    def download_name(self, key: str, version: int | None = None) -> str:
        """The file name of a downloaded PDF: ``<stem>.pdf`` or ``<stem>.v<N>.pdf``."""
        stem = safe_file_stem(key)
        return f"{stem}.v{int(version)}.pdf" if version else f"{stem}.pdf"

    def attached_name(self, key: str, sha256: str) -> str:
        """The file name of a PDF the user attached, unique per content."""
        return f"{safe_file_stem(key)}.attached-{sha256[:16]}.pdf"

    def path(self, name: str) -> Path:
        """The absolute path of a cache-relative name; refuses anything outside the folder.

        Raises:
            PdfError: the name would leave the cache folder.
        """
        if not name or os.path.isabs(name) or "\\" in name or name.startswith("~"):
            raise PdfError(f"unsafe PDF cache path {name!r}")
        root = self.root.resolve()
        candidate = (root / name).resolve()
        if candidate == root or root not in candidate.parents:
            raise PdfError(f"unsafe PDF cache path {name!r}")
        return candidate

    def relative(self, path: Path) -> str:
        """The cache-relative name of a path inside the folder."""
        resolved = Path(path).resolve()
        root = self.root.resolve()
        if root not in resolved.parents:
            raise PdfError(f"{path} is not in the PDF cache")
        return resolved.relative_to(root).as_posix()

    def part_path(self, name: str) -> Path:
        """A fresh temporary file next to ``name`` for a download in progress."""
        final = self.path(name)
        return final.with_name(f".{final.name}.{uuid.uuid4().hex[:8]}{PART_SUFFIX}")

    def remove_partials(self, older_than: float = 0.0) -> int:
        """Delete leftover ``.part`` files (from a crash) at least ``older_than`` seconds old."""
        removed = 0
        if not self.root.is_dir():
            return 0
        now = time.time()
        for leftover in self.root.glob(f".*{PART_SUFFIX}"):
            try:
                if now - leftover.stat().st_mtime < older_than:
                    continue
                leftover.unlink()
                removed += 1
            except OSError:
                pass
        return removed
