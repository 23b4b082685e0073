"""Notes and highlights out to a Markdown vault (Obsidian, Logseq, any folder of ``.md``) — and
notes back in.

One file per paper, named by its key so that it stays put when the title changes, with YAML
front matter (title as an alias, authors, ids, links, tags), the paper's note between two
markers, and its highlights and comments. The note is the part of a page that is the user's to
edit: the next export takes an edit made in the vault into the library (merged line by line
with a change made in readinglist meanwhile; when both touched the same lines, both texts are
kept, one under the other). ``.readinglist-vault.json`` in the folder remembers each note as
written, to tell a vault edit from a library one. Re-exporting rewrites only files whose
content changed (each atomically), and never deletes anything in the folder. A page moved into
a subfolder is followed there; a page whose note markers were removed is left as it is.
"""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from readinglist.core.errors import InputError
from readinglist.core.ids import safe_file_stem
from readinglist.core.models import Annotation, Paper
from readinglist.core.notemerge import join_versions, merge3
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
    left_as_is: tuple[str, ...] = ()  # pages whose note markers are gone (not overwritten)

    def summary(self) -> str:
        """``3 pages written, 1 unchanged, 1 note taken from the vault in ~/vault``."""
        taken = f", {counted(self.notes_in, 'note')} taken from the vault" \
            if self.notes_in else ""
        kept = f" ({self.both_kept} also changed in readinglist: both texts kept)" \
            if self.both_kept else ""
        left = f"; {counted(len(self.left_as_is), 'page')} left as is, note markers gone " \
            f"(put them back, or delete the page to have it written again): " \
            f"{', '.join(self.left_as_is)}" if self.left_as_is else ""
        return f"{counted(self.written, 'page')} written, {self.unchanged} unchanged{taken}" \
               f"{kept} in {self.folder}{left}"


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
    page = f"{front_matter(paper)}{MARKER}\n\n{head}{section}{sep}{rest}"
    return page.replace("\r\n", "\n").replace("\r", "\n")  # as it reads back


def note_in_page(text: str) -> str | None:
    """The note between the marker lines of a page, or None if they are not both there.

    The first start line and the last end line after it count, so a note may quote the
    markers; generated lines (headings, indented comments) never equal a marker line.
    """
    lines = text.splitlines()
    marks = [line.rstrip() for line in lines]
    if NOTE_START not in marks:
        return None
    start = marks.index(NOTE_START)
    ends = [i for i in range(start + 1, len(marks)) if marks[i] == NOTE_END]
    if not ends:
        return None
    return "\n".join(lines[start + 1:ends[-1]]).strip("\n")


def _same(a: str, b: str) -> bool:
    """Equal but for surrounding blank lines and trailing spaces (editors add and trim them)."""
    return [line.rstrip() for line in a.strip().splitlines()] == \
        [line.rstrip() for line in b.strip().splitlines()]


def _taken_in(base: str, library_note: str, vault_note: str) -> tuple[str, bool]:
    """The note after a vault edit: merged with the library's change; True if both kept."""
    merged = merge3(base, library_note, vault_note)
    if merged is not None:
        return merged, False
    if f"{CONFLICT}{vault_note.strip()}\n" in f"{library_note.rstrip()}\n":
        return library_note, True  # already taken in (by an export running at the same time)
    return f"{library_note.rstrip()}{CONFLICT}{vault_note.strip()}\n", True


def export_vault(library: Library, folder: Path, papers: Sequence[Paper]) -> VaultReport:
    """Write one page per paper into ``folder`` (created if missing), first taking into the
    library each note edited in the vault since the last export.

    Raises:
        InputError: the folder cannot be created or written (then nothing is taken in).
    """
    _writable_folder(folder)
    written_notes = _load_state(folder)
    run = _Run(library, folder, written_notes)
    try:
        for paper in papers:
            run.export(paper)
    finally:  # what was written stays known even when a later page could not be
        write_atomically(folder / STATE_FILE, json.dumps(
            {"format": 1, "notes": written_notes}, ensure_ascii=False, indent=0,
            sort_keys=True))
    return VaultReport(run.written, run.unchanged, folder, run.notes_in, run.both_kept,
                       tuple(run.left_as_is))


def _writable_folder(folder: Path) -> None:
    """Create ``folder`` if missing and check that files can be made in it.

    Raises:
        InputError: it cannot be created or written.
    """
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InputError(f"cannot create {folder}: {error.strerror or error}") from None
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".readinglist-"):
            pass
    except OSError as error:
        raise InputError(f"cannot write in {folder}: {error.strerror or error}; nothing was "
                         "taken in or written") from None


def library_note(library: Library, paper: Paper) -> str:
    """The paper's note as stored now (every version, one after the other, while versions
    from several machines conflict — as the app shows it, so that an edit keeps them all)."""
    versions = library.note_versions(paper.key)
    return join_versions(versions) if len(versions) > 1 else "".join(versions)


class _Run:
    """One export: counts, and the pages moved into subfolders (looked up once, if needed)."""

    def __init__(self, library: Library, folder: Path, written_notes: dict[str, str]) -> None:
        self.library = library
        self.folder = folder
        self.written_notes = written_notes
        self.written = self.unchanged = self.notes_in = self.both_kept = 0
        self.left_as_is: list[str] = []
        self._moved: dict[str, Path] | None = None

    def page_path(self, paper: Paper) -> Path:
        """Where the paper's page is: at the top, else where the user moved it."""
        name = f"{safe_file_stem(paper.key)}.md"
        target = self.folder / name
        if target.exists():
            return target
        if self._moved is None:
            self._moved = _moved_pages(self.folder)
        return self._moved.get(name, target)

    def export(self, paper: Paper) -> None:
        """Take the vault's edit of one paper's note in, then write its page if it changed."""
        target = self.page_path(paper)
        current = _read_page(target)
        vault_note = note_in_page(current) if current is not None else None
        base = self.written_notes.get(paper.key)
        if current is not None and vault_note is None and base is not None:
            self.left_as_is.append(str(target.relative_to(self.folder)))
            return  # the user's text would be overwritten: leave the page alone
        note = library_note(self.library, paper) if paper.note_conflict else paper.note
        if vault_note is not None and base is not None and not _same(vault_note, base):
            note, kept = _taken_in(base, library_note(self.library, paper), vault_note)
            self.library.set_note(paper.key, note)
            self.written_notes[paper.key] = vault_note  # what the page holds until rewritten
            self.notes_in += 1
            self.both_kept += kept
        paper = dataclasses.replace(paper, note=note)
        text = paper_page(paper, self.library.annotations(paper.key))
        if current == text:
            self.unchanged += 1
        else:
            write_atomically(target, text)
            self.written += 1
        self.written_notes[paper.key] = paper.note.strip("\n")


def _read_page(path: Path) -> str | None:
    """A page's text (None when missing or unreadable)."""
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _moved_pages(folder: Path) -> dict[str, Path]:
    """Pages of ours the user moved into subfolders, by file name (hidden folders such as
    ``.obsidian`` and ``.trash`` left out; a user's own file of the same name is not ours)."""
    found: dict[str, Path] = {}
    try:
        candidates = sorted(folder.rglob("*.md"))
    except OSError:
        return found
    for path in candidates:
        parts = path.relative_to(folder).parts
        if len(parts) < 2 or any(part.startswith(".") for part in parts) or path.name in found:
            continue
        text = _read_page(path)
        if text is not None and MARKER in text:
            found[path.name] = path
    return found


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
