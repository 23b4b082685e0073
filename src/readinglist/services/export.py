"""Writing papers out: BibTeX, RIS, CSL-JSON, or JSON Lines (the ``list --json`` shape
``import`` reads back).

Files are written whole or not at all: a temporary file beside the target, flushed to disk,
then renamed over it, so a full disk or a killed process never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from readinglist.core.errors import InputError
from readinglist.core.models import Paper

FORMATS = {"bibtex": ".bib", "ris": ".ris", "csl-json": ".json", "jsonl": ".jsonl"}


def papers_text(papers: Sequence[Paper], fmt: str) -> str:
    """``papers`` in one of ``FORMATS``."""
    if fmt == "bibtex":
        from readinglist.core.bibtex import bibtex_entries

        return bibtex_entries(papers)
    if fmt == "ris":
        from readinglist.core.citations import ris_entries

        return ris_entries(papers)
    if fmt == "csl-json":
        from readinglist.core.citations import csl_json

        return csl_json(papers)
    if fmt == "jsonl":
        return "".join(json.dumps(p.to_json(), ensure_ascii=False) + "\n" for p in papers)
    raise InputError(f"unknown export format {fmt!r} (use one of {', '.join(FORMATS)})")


def format_for(path: Path) -> str:
    """The format a file name asks for: ``.ris``, ``.json`` (CSL-JSON), ``.jsonl``/``.ndjson``
    (JSON Lines); anything else BibTeX."""
    suffix = path.suffix.lower()
    if suffix in (".jsonl", ".ndjson"):
        return "jsonl"
    return {".ris": "ris", ".json": "csl-json"}.get(suffix, "bibtex")


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8) in one step.

    Raises:
        InputError: the folder is missing or not writable, or the disk is full (the old file,
            if any, is untouched).
    """
    try:
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise InputError(f"cannot write {path}: {error.strerror}; nothing was written") from None


def export_papers(papers: Sequence[Paper], path: Path, fmt: str | None = None) -> int:
    """Write ``papers`` to ``path`` (format from the name unless given); returns how many."""
    write_atomically(path, papers_text(papers, fmt or format_for(path)))
    return len(papers)
