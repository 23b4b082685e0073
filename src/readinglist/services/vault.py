"""Notes and highlights out to a Markdown vault (Obsidian, Logseq, any folder of ``.md``).

One file per paper, named by its key so that it stays put when the title changes, with YAML
front matter (title as an alias, authors, ids, links, tags) and the paper's note, highlights
and comments. Re-exporting rewrites only files whose content changed (each atomically), and
never deletes anything in the folder.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.errors import InputError
from readinglist.core.ids import safe_file_stem
from readinglist.core.models import Annotation, Paper
from readinglist.core.text import counted
from readinglist.services.export import write_atomically

if TYPE_CHECKING:
    from readinglist.services.library import Library

MARKER = "<!-- written by readinglist: edits here are replaced on the next vault export -->"


@dataclass(frozen=True, slots=True)
class VaultReport:
    written: int
    unchanged: int
    folder: Path

    def summary(self) -> str:
        """``3 pages written, 1 unchanged in ~/vault``."""
        return f"{counted(self.written, 'page')} written, {self.unchanged} unchanged in " \
               f"{self.folder}"


def _tag(name: str) -> str:
    """An Obsidian tag: no spaces (``long context`` → ``long-context``)."""
    return "-".join(name.split())


def front_matter(paper: Paper) -> str:
    """YAML front matter; every value is JSON (valid YAML), so no text can break out of it."""
    fields: list[tuple[str, object]] = [
        ("title", paper.title), ("aliases", [paper.title]), ("authors", list(paper.authors))]
    if paper.arxiv_id:
        fields.append(("arxiv", paper.arxiv_id))
    if paper.doi:
        fields.append(("doi", paper.doi))
    if paper.url:
        fields.append(("url", paper.url))
    if paper.published:
        fields.append(("published", paper.published.isoformat()))
    fields.append(("tags", ["readinglist", *(_tag(t) for t in paper.tags)]))
    if paper.starred:
        fields.append(("starred", True))
    body = "".join(f"{name}: {json.dumps(value, ensure_ascii=False)}\n" for name, value in fields)
    return f"---\n{body}---\n"


def paper_page(paper: Paper, annotations: Sequence[Annotation]) -> str:
    """The whole Markdown file for one paper."""
    from readinglist.pdf.annotations import to_markdown

    body = to_markdown(" ".join(paper.title.split()), paper.key, annotations, paper.note)
    return f"{front_matter(paper)}{MARKER}\n\n{body}"


def export_vault(library: Library, folder: Path, papers: Sequence[Paper]) -> VaultReport:
    """Write one page per paper into ``folder`` (created if missing).

    Raises:
        InputError: the folder cannot be created or written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create {folder}: {error.strerror or error}") from None
    written = unchanged = 0
    for paper in papers:
        text = paper_page(paper, library.annotations(paper.key))
        target = folder / f"{safe_file_stem(paper.key)}.md"
        try:
            same = target.read_text(encoding="utf-8") == text
        except OSError:
            same = False
        if same:
            unchanged += 1
        else:
            write_atomically(target, text)
            written += 1
    return VaultReport(written, unchanged, folder)
