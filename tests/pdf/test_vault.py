"""``readinglist vault``: one Markdown page per paper you worked on, rewritten only on change."""

from __future__ import annotations

import json
from pathlib import Path

from readinglist.cli.main import run
from readinglist.services.library import Library
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
    assert sorted(p.name for p in vault.iterdir()) == ["2611.00001.md", "2611.00002.md",
                                                      "2611.00003.md"]
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
