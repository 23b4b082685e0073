"""Exported files: BibTeX and JSON Lines that ``import`` reads back; written whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from readinglist.core.errors import InputError
from readinglist.services.export import export_papers, format_for, write_atomically
from readinglist.services.library import Library
from tests.foundation.factories import record


def test_json_lines_round_trip_through_import(library: Library, tmp_path: Path) -> None:
    library.merge_records([record("2406.00001", title="Okapis"), record("2406.00002")])
    library.mark(["2406.00001"], "starred", True)
    library.tag(["2406.00001"], add=["zoo"])
    path = tmp_path / "out.jsonl"
    assert export_papers(library.list(view="all"), path) == 2
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert {line["arxiv_id"] for line in lines} == {"2406.00001", "2406.00002"}
    other = Library(tmp_path / "other.sqlite3")
    try:
        counts = other.import_jsonl(path)
        assert counts.new == 2
        copy = other.get("2406.00001")
        assert (copy.title, copy.starred, copy.tags) == ("Okapis", True, ("zoo",))
    finally:
        other.close()


def test_bibtex_by_file_name(library: Library, tmp_path: Path) -> None:
    library.merge_records([record("2406.00001")])
    path = tmp_path / "refs.bib"
    export_papers(library.list(view="all"), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("@misc{") and "eprint = {2406.00001}" in text
    assert format_for(Path("x.JSONL")) == "jsonl" and format_for(Path("x.txt")) == "bibtex"


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path: Path,
                                                                   monkeypatch) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    path = folder / "refs.bib"
    path.write_text("old contents", encoding="utf-8")

    def disk_full(_fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(InputError, match="No space left on device; nothing was written"):
        write_atomically(path, "new contents")
    assert path.read_text(encoding="utf-8") == "old contents"
    assert [p.name for p in folder.iterdir()] == ["refs.bib"]


def test_a_missing_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot write .*No such file or directory"):
        write_atomically(tmp_path / "nowhere" / "refs.bib", "text")
