"""Notes and highlights out to a Markdown vault (Obsidian, Logseq, any folder of ``.md``) — and
notes back in.

One file per paper, named by its key so that it stays put when the title changes, with YAML
front matter (title as an alias, authors, ids, links, tags), the paper's note between two
markers, and its highlights and comments. The note is the part of a page that is the user's to
edit: the next export takes an edit made in the vault into the library (merged line by line
with a change made in readinglist meanwhile; when both touched the same lines, both texts are
kept, one under the other). ``.readinglist-vault.json`` in the folder remembers each note as
written, to tell a vault edit from a library one. Re-exporting rewrites only files whose
content changed (each atomically), and never deletes anything in the folder.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.errors import InputError
from readinglist.core.ids import safe_file_stem
from readinglist.core.models import Annotation, Paper
from readinglist.core.notemerge import merge3
from readinglist.core.text import counted
from readinglist.services.export import write_atomically

if TYPE_CHECKING:
    from readinglist.services.library import Library

MARKER = ("<!-- written by readinglist: the Note is yours to edit (the next vault export takes "
          "it into the library); the rest is rewritten -->")
NOTE_START = "<!-- note: edit below; readinglist takes it in on the next vault export -->"
NOTE_END = "<!-- end of note -->"
STATE_FILE = ".readinglist-vault.json"
CONFLICT = "\n\n---\n\n*Edited in the vault at the same time:*\n\n"


@dataclass(frozen=True, slots=True)
class VaultReport:
    written: int
    unchanged: int
    folder: Path
    notes_in: int = 0  # notes edited in the vault, taken into the library
    both_kept: int = 0  # of those, edited on both sides on the same lines: both texts kept

    def summary(self) -> str:
        """``3 pages written, 1 unchanged, 1 note taken from the vault in ~/vault``."""
        taken = f", {counted(self.notes_in, 'note')} taken from the vault" \
            if self.notes_in else ""
        kept = f" ({self.both_kept} also changed in readinglist: both texts kept)" \
            if self.both_kept else ""
        return f"{counted(self.written, 'page')} written, {self.unchanged} unchanged{taken}" \
               f"{kept} in {self.folder}"


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

    body = to_markdown(" ".join(paper.title.split()), paper.key, annotations)
    head, sep, rest = body.partition("## Highlights and notes")
    note = paper.note.strip("\n")
    section = f"## Note\n\n{NOTE_START}\n{note}{chr(10) if note else ''}{NOTE_END}\n\n"
    return f"{front_matter(paper)}{MARKER}\n\n{head}{section}{sep}{rest}"


def note_in_page(text: str) -> str | None:
    """The note between the markers of a page, or None if they are not both there."""
    start = text.find(NOTE_START)
    end = text.find(NOTE_END, start + 1)
    if start < 0 or end < 0:
        return None
    return text[start + len(NOTE_START):end].strip("\n")


def _same(a: str, b: str) -> bool:
    """Equal but for surrounding blank lines and trailing spaces (editors add and trim them)."""
    return [line.rstrip() for line in a.strip().splitlines()] == \
        [line.rstrip() for line in b.strip().splitlines()]


def _taken_in(base: str, library_note: str, vault_note: str) -> tuple[str, bool]:
    """The note after a vault edit: merged with the library's change; True if both kept."""
    merged = merge3(base, library_note, vault_note)
    if merged is not None:
        return merged, False
    return f"{library_note.rstrip()}{CONFLICT}{vault_note.strip()}\n", True


def export_vault(library: Library, folder: Path, papers: Sequence[Paper]) -> VaultReport:
    """Write one page per paper into ``folder`` (created if missing), first taking into the
    library each note edited in the vault since the last export.

    Raises:
        InputError: the folder cannot be created or written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create {folder}: {error.strerror or error}") from None
    written_notes = _load_state(folder)
    written = unchanged = notes_in = both_kept = 0
    for paper in papers:
        target = folder / f"{safe_file_stem(paper.key)}.md"
        try:
            current = target.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        vault_note = note_in_page(current) if current is not None else None
        base = written_notes.get(paper.key)
        if vault_note is not None and base is not None and not _same(vault_note, base):
            note, kept = _taken_in(base, paper.note, vault_note)
            library.set_note(paper.key, note)
            paper = dataclasses.replace(paper, note=note)
            notes_in += 1
            both_kept += kept
        text = paper_page(paper, library.annotations(paper.key))
        written_notes[paper.key] = paper.note.strip("\n")
        if current == text:
            unchanged += 1
        else:
            write_atomically(target, text)
            written += 1
    write_atomically(folder / STATE_FILE, json.dumps(
        {"format": 1, "notes": written_notes}, ensure_ascii=False, indent=0, sort_keys=True))
    return VaultReport(written, unchanged, folder, notes_in, both_kept)


def _load_state(folder: Path) -> dict[str, str]:
    """Each paper's note as the last export wrote it (empty when unknown or unreadable: then
    no vault edit is taken in, the pages are written as the library has them)."""
    try:
        state = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
        notes = state.get("notes") if isinstance(state, dict) else None
    except (OSError, ValueError):
        return {}
    if not isinstance(notes, dict):
        return {}
    return {str(k): v for k, v in notes.items() if isinstance(v, str)}
