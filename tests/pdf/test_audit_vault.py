"""Audit of the vault's two-way notes: what users do to pages in Obsidian, and what goes wrong
around an export (real library on disk, real folders)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from readinglist.cli.main import run
from readinglist.core.errors import InputError
from readinglist.core.notemerge import merge3
from readinglist.services.library import Library
from readinglist.services.vault import NOTE_END, NOTE_START, STATE_FILE, export_vault
from tests.foundation.factories import record
from tests.helpers.readonly import read_only

KEY = "2611.00001"


def _page(vault: Path, key: str = KEY) -> str:
    return (vault / f"{key}.md").read_text(encoding="utf-8")


def _edit(path: Path, old: str, new: str) -> None:
    page = path.read_text(encoding="utf-8")
    assert old in page
    path.write_text(page.replace(old, new, 1), encoding="utf-8")


def _noted(library: Library, note: str, *keys: str) -> None:
    library.merge_records([record(key) for key in keys or (KEY,)])
    for key in keys or (KEY,):
        library.set_note(key, note)


def test_a_note_quoting_the_markers_survives_round_trips(library: Library,
                                                         tmp_path: Path) -> None:
    note = (f"before\n{NOTE_END}\nmiddle, inline {NOTE_END} and {NOTE_START}\n{NOTE_START}\n"
            "after")
    _noted(library, note)
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    again = export_vault(library, vault, library.worked_on())
    assert (again.notes_in, again.written) == (0, 0)
    assert library.get(KEY).note == note  # was cut at the first end marker
    _edit(vault / f"{KEY}.md", "after", "after, edited in the vault")
    export_vault(library, vault, library.worked_on())
    assert library.get(KEY).note == note.replace("after", "after, edited in the vault")


def test_an_annotation_quoting_the_end_marker_stays_out_of_the_note(
        library: Library, tmp_path: Path) -> None:
    _noted(library, "mine")
    library.add_annotation(KEY, "note", 0, [[0, 0, 1, 1]], comment=f"x\n{NOTE_END}\ny")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    _edit(vault / f"{KEY}.md", "mine", "mine, edited")
    export_vault(library, vault, library.worked_on())
    assert library.get(KEY).note == "mine, edited"


def test_a_page_whose_markers_were_removed_is_left_as_it_is(capsys, library: Library,
                                                            tmp_path: Path) -> None:
    _noted(library, "library text")
    library.close()
    vault = tmp_path / "vault"
    assert run(["vault", str(vault)]) == 0
    page = vault / f"{KEY}.md"
    _edit(page, f"{NOTE_START}\nlibrary text\n{NOTE_END}", "library text, rewritten freely")
    edited = page.read_text(encoding="utf-8")
    capsys.readouterr()
    assert run(["vault", str(vault)]) == 0
    out = capsys.readouterr().out
    assert "1 page left as is, note markers gone" in out and f"{KEY}.md" in out
    assert page.read_text(encoding="utf-8") == edited  # the user's text is not overwritten
    page.unlink()  # the way back: delete it, and the next export writes it again
    assert run(["vault", str(vault)]) == 0
    assert "library text" in page.read_text(encoding="utf-8")
    assert "left as is" not in capsys.readouterr().out


def test_pages_from_before_the_markers_are_upgraded(library: Library, tmp_path: Path) -> None:
    _noted(library, "library text")
    vault = tmp_path / "vault"
    vault.mkdir()
    (vault / f"{KEY}.md").write_text("# Old page\n\n## Note\n\nlibrary text\n", encoding="utf-8")
    report = export_vault(library, vault, library.worked_on())  # no record: an older export
    assert report.written == 1 and not report.left_as_is
    assert NOTE_START in _page(vault)


def test_crlf_notes_and_crlf_edits(library: Library, tmp_path: Path) -> None:
    _noted(library, "one\r\ntwo\r\nthree")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    assert "\r" not in (vault / f"{KEY}.md").read_bytes().decode("utf-8")
    again = export_vault(library, vault, library.worked_on())
    assert (again.written, again.unchanged) == (0, 1)  # was rewritten on every export
    page = vault / f"{KEY}.md"  # an editor on Windows saves it with CRLF
    text = page.read_text(encoding="utf-8").replace("two", "two (Windows)")
    page.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    report = export_vault(library, vault, library.worked_on())
    assert report.notes_in == 1
    assert library.get(KEY).note == "one\ntwo (Windows)\nthree"


def test_a_page_moved_into_a_subfolder_is_followed(library: Library, tmp_path: Path) -> None:
    _noted(library, "library text", KEY, "2611.00002")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    (vault / "papers" / "ml").mkdir(parents=True)
    moved = vault / "papers" / "ml" / f"{KEY}.md"
    (vault / f"{KEY}.md").rename(moved)
    _edit(moved, "library text", "edited after the move")
    (vault / ".trash").mkdir()  # Obsidian's bin holds an older copy of the other page
    shutil.copy(vault / "2611.00002.md", vault / ".trash" / "2611.00002.md")
    _edit(vault / ".trash" / "2611.00002.md", "library text", "binned text")
    (vault / "2611.00002.md").unlink()

    report = export_vault(library, vault, library.worked_on())

    assert library.get(KEY).note == "edited after the move"
    assert not (vault / f"{KEY}.md").exists()  # no second page at the top
    library.set_note(KEY, "changed in readinglist")
    export_vault(library, vault, library.worked_on())
    assert "changed in readinglist" in moved.read_text(encoding="utf-8")
    assert library.get("2611.00002").note == "library text"  # the bin is not a move
    assert "library text" in _page(vault, "2611.00002")
    assert report.notes_in == 1


def test_a_users_own_file_of_the_same_name_is_not_taken_for_a_page(
        library: Library, tmp_path: Path) -> None:
    _noted(library, "library text")
    vault = tmp_path / "vault"
    (vault / "mine").mkdir(parents=True)
    own = vault / "mine" / f"{KEY}.md"
    own.write_text("my own notes on this paper", encoding="utf-8")
    export_vault(library, vault, library.worked_on())
    assert own.read_text(encoding="utf-8") == "my own notes on this paper"
    assert "library text" in _page(vault)


def test_an_edit_made_in_the_app_during_an_export_is_not_lost(library: Library,
                                                              tmp_path: Path) -> None:
    _noted(library, "a\nb\nc\nd")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    papers = library.worked_on()  # the export read the list ...
    library.set_note(KEY, "a (app)\nb\nc\nd")  # ... then the app saved an edit
    _edit(vault / f"{KEY}.md", "d\n", "d (vault)\n")
    export_vault(library, vault, papers)
    assert library.get(KEY).note == "a (app)\nb\nc\nd (vault)"


def test_a_note_in_conflict_keeps_every_version_when_edited_in_the_vault(
        library: Library, tmp_path: Path) -> None:
    from tests.sync.helpers import open_library, sync
    from readinglist.sync.folder import FolderStorage

    library.merge_records([record(KEY)])
    library.set_note(KEY, "shared")
    remote = FolderStorage(tmp_path / "remote")
    other = open_library(tmp_path / "other")
    try:
        sync(library, remote)
        sync(other, remote)
        library.set_note(KEY, "version from here")
        other.set_note(KEY, "version from there")
        sync(other, remote)
        sync(library, remote)
    finally:
        other.close()
    assert library.get(KEY).note_conflict
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    assert "version from here" in _page(vault) and "version from there" in _page(vault)
    _edit(vault / f"{KEY}.md", NOTE_END, f"added in the vault\n{NOTE_END}")
    export_vault(library, vault, library.worked_on())
    note = library.get(KEY).note
    assert "version from here" in note and "version from there" in note
    assert note.rstrip().endswith("added in the vault")


def test_two_exports_at_once_keep_both_texts_once(library: Library, tmp_path: Path) -> None:
    _noted(library, "one line")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    state = (vault / STATE_FILE).read_text(encoding="utf-8")
    _edit(vault / f"{KEY}.md", "one line", "one line (vault)")
    library.set_note(KEY, "one line (readinglist)")
    page = _page(vault)
    first = export_vault(library, vault, library.worked_on())
    (vault / STATE_FILE).write_text(state, encoding="utf-8")  # what the second one read
    (vault / f"{KEY}.md").write_text(page, encoding="utf-8")
    export_vault(library, vault, library.worked_on())
    note = library.get(KEY).note
    assert first.both_kept == 1
    assert note.count("one line (vault)") == 1 and note.count("one line (readinglist)") == 1


def test_a_page_that_cannot_be_written_does_not_take_a_note_in_twice(
        library: Library, tmp_path: Path) -> None:
    _noted(library, "one line", KEY, "2611.00002")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    _edit(vault / f"{KEY}.md", "one line", "one line (vault)")
    library.set_note(KEY, "one line (readinglist)")
    (vault / "2611.00002.md").unlink()
    (vault / "2611.00002.md").mkdir()  # in the way: this page cannot be written
    papers = sorted(library.worked_on(), key=lambda p: p.key)
    with pytest.raises(InputError, match="cannot write"):
        export_vault(library, vault, papers)
    (vault / "2611.00002.md").rmdir()
    export_vault(library, vault, library.worked_on())
    note = library.get(KEY).note
    assert note.count("one line (vault)") == 1 and "Edited in the vault" in note
    state = json.loads((vault / STATE_FILE).read_text(encoding="utf-8"))
    assert state["notes"][KEY] == note.strip("\n")


def test_a_read_only_vault_takes_nothing_in(library: Library, tmp_path: Path) -> None:
    _noted(library, "library text")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    _edit(vault / f"{KEY}.md", "library text", "vault text")
    with read_only(vault):
        with pytest.raises(InputError, match="cannot write in"):
            export_vault(library, vault, library.worked_on())
    assert library.get(KEY).note == "library text"
    export_vault(library, vault, library.worked_on())  # writable again: taken in then
    assert library.get(KEY).note == "vault text"


def test_a_title_change_keeps_the_page_and_a_unicode_key_gets_a_safe_name(
        library: Library, tmp_path: Path) -> None:
    key = "doi:10.1000/ünïcode"
    library.merge_records([record(KEY, title="Old title"),
                           record(None, key=key, doi="10.1000/ünïcode", title="Ünï")])
    library.set_note(KEY, "mine")
    library.set_note(key, "sien")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    names = sorted(p.name for p in vault.iterdir() if p.suffix == ".md")
    assert len(names) == 2 and all(n.isascii() and "/" not in n for n in names)
    _edit(vault / f"{KEY}.md", "mine", "mine, edited")
    library.merge_records([record(KEY, title="New title", version=2)])
    export_vault(library, vault, library.worked_on())
    assert library.get(KEY).note == "mine, edited"
    assert "# New title" in _page(vault)
    assert sorted(p.name for p in vault.iterdir() if p.suffix == ".md") == names


def test_the_same_change_on_both_sides_merges_once() -> None:
    base = "a\nb\nc\nd\ne\n"
    both = "a\nb\nc, edited\nd\ne\n"
    ours = "a (ours)\nb\nc, edited\nd\ne\n"
    assert merge3(base, ours, both) == ours
    assert merge3(base, "a\nb\nc, ours\nd\ne\n", both) is None  # different edits clash
