"""``readinglist vault``: one Markdown page per paper you worked on, rewritten only on change."""

from __future__ import annotations

import json
from pathlib import Path

from readinglist.cli.main import run
from readinglist.services.library import Library
from readinglist.services.vault import export_vault
from tests.foundation.factories import record


def _front_matter(text: str) -> dict:
    head = text.split("---\n")[1]
    return {line.split(": ", 1)[0]: json.loads(line.split(": ", 1)[1])
            for line in head.splitlines()}


def test_pages_for_the_papers_you_worked_on(capsys, library: Library, tmp_path: Path) -> None:
    library.merge_records([record("2611.00001", title='Tricky "title"\n---\nowned: yes'),
                           record("2611.00002"), record("2611.00003"), record("2611.00004")])
    library.set_note("2611.00001", "My **note**")
    library.tag(["2611.00002"], add=["long context"])
    library.add_annotation("2611.00003", "highlight", 2, [[0, 0, 1, 1]], "the key result",
                           comment="check this")
    library.close()
    vault = tmp_path / "vault"
    assert run(["vault", str(vault)]) == 0
    assert capsys.readouterr().out == f"3 pages written, 0 unchanged in {vault}\n"
    assert sorted(p.name for p in vault.iterdir()) == [
        ".readinglist-vault.json", "2611.00001.md", "2611.00002.md", "2611.00003.md"]
    first = (vault / "2611.00001.md").read_text(encoding="utf-8")
    meta = _front_matter(first)
    assert meta["title"].startswith('Tricky "title"') and "owned" not in meta  # no breakout
    assert set(meta) >= {"title", "aliases", "authors", "arxiv", "tags"}
    assert "My **note**" in first
    assert _front_matter((vault / "2611.00002.md").read_text(encoding="utf-8"))["tags"] == \
        ["readinglist", "long-context"]
    third = (vault / "2611.00003.md").read_text(encoding="utf-8")
    assert "### Page 3" in third and "the key result" in third and "check this" in third

    assert run(["vault", str(vault)]) == 0  # nothing changed: nothing rewritten
    assert capsys.readouterr().out == f"0 pages written, 3 unchanged in {vault}\n"
    (vault / "mine.md").write_text("my own page", encoding="utf-8")
    other = Library(library.db.path)
    other.set_note("2611.00001", "Changed")
    other.close()
    assert run(["vault", str(vault), "2611.00001"]) == 0
    assert capsys.readouterr().out == f"1 page written, 0 unchanged in {vault}\n"
    assert (vault / "mine.md").read_text(encoding="utf-8") == "my own page"  # never touched


def test_a_folder_that_cannot_be_made_is_a_clear_error(capsys, library: Library,
                                                       tmp_path: Path) -> None:
    library.merge_records([record("2611.00001")])
    library.mark(["2611.00001"], "starred", True)
    library.close()
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert run(["vault", str(blocker / "vault")]) == 1
    assert "cannot create" in capsys.readouterr().err


def _page(vault: Path, key: str) -> str:
    return (vault / f"{key}.md").read_text(encoding="utf-8")


def _edit_note(vault: Path, key: str, old: str, new: str) -> None:
    page = _page(vault, key)
    assert old in page
    (vault / f"{key}.md").write_text(page.replace(old, new, 1), encoding="utf-8")


def test_a_note_edited_in_the_vault_comes_back_into_the_library(
        capsys, library: Library, tmp_path: Path) -> None:
    library.merge_records([record("2611.00001"), record("2611.00002")])
    library.set_note("2611.00001", "first line\nsecond line")
    library.mark(["2611.00002"], "starred", True)  # no note yet: the page has an empty one
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    _edit_note(vault, "2611.00001", "second line", "second line, edited in Obsidian")
    _edit_note(vault, "2611.00002", "<!-- end of note -->",
               "Written in the vault\n<!-- end of note -->")

    report = export_vault(library, vault, library.worked_on())

    assert library.get("2611.00001").note == "first line\nsecond line, edited in Obsidian"
    assert library.get("2611.00002").note == "Written in the vault"
    assert (report.notes_in, report.both_kept) == (2, 0)
    assert "2 notes taken from the vault" in report.summary()
    again = export_vault(library, vault, library.worked_on())  # settled: nothing to do
    assert (again.notes_in, again.written) == (0, 0)


def test_edits_on_both_sides_merge_by_line_or_keep_both_texts(library: Library,
                                                              tmp_path: Path) -> None:
    library.merge_records([record("2611.00001"), record("2611.00002")])
    library.set_note("2611.00001", "a\nb\nc\nd\ne")
    library.set_note("2611.00002", "one line")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    _edit_note(vault, "2611.00001", "d\ne\n<!-- end", "d\ne, from the vault\n<!-- end")
    library.set_note("2611.00001", "a, from readinglist\nb\nc\nd\ne")
    _edit_note(vault, "2611.00002", "one line", "one line (vault)")
    library.set_note("2611.00002", "one line (readinglist)")

    report = export_vault(library, vault, library.worked_on())

    assert library.get("2611.00001").note == "a, from readinglist\nb\nc\nd\ne, from the vault"
    both = library.get("2611.00002").note
    assert both.startswith("one line (readinglist)") and both.rstrip().endswith(
        "one line (vault)") and "Edited in the vault at the same time" in both
    assert (report.notes_in, report.both_kept) == (2, 1)
    assert "one line (vault)" in _page(vault, "2611.00002")


def test_without_its_record_the_vault_is_not_read_back(library: Library,
                                                       tmp_path: Path) -> None:
    library.merge_records([record("2611.00001")])
    library.set_note("2611.00001", "library text")
    vault = tmp_path / "vault"
    export_vault(library, vault, library.worked_on())
    (vault / ".readinglist-vault.json").write_text("{not json", encoding="utf-8")
    _edit_note(vault, "2611.00001", "library text", "vault text")
    report = export_vault(library, vault, library.worked_on())
    assert report.notes_in == 0 and library.get("2611.00001").note == "library text"
    assert "library text" in _page(vault, "2611.00001")
