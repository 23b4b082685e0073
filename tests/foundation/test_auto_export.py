"""Files kept up to date: cite/bibtex --keep-updated, the exports command, rewriting only what
changed, and failures that name the file and leave the others alone."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from readinglist.cli.main import run
from readinglist.services import auto_export
from readinglist.services.config import Settings
from readinglist.services.library import Library
from readinglist.services.paths import library_paths
from tests.foundation.factories import record


@pytest.fixture
def tagged(library: Library) -> Library:
    library.merge_records([record("2406.00001", title="Scaling laws"),
                           record("2406.00002", title="Sparse experts"),
                           record("2406.00003", title="Unrelated")])
    library.tag(["2406.00001"], add=["thesis"])
    library.close()
    return library


def test_keep_updated_registers_and_run_rewrites_only_changes(tagged, tmp_path: Path,
                                                              capsys) -> None:
    bib = tmp_path / "refs.bib"
    assert run(["cite", "--tag", "thesis", "--output", str(bib), "--keep-updated"]) == 0
    out = capsys.readouterr().out
    assert "kept up to date from now on (tag “thesis” in all)" in out
    assert bib.read_text().count("@") == 1 and "Scaling laws" in bib.read_text()
    assert run(["exports", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(e["path"], e["format"], e["tag"], e["holds"]) for e in listed] == [
        (str(bib.resolve()), "bibtex", "thesis", "tag “thesis” in all")]
    os.utime(bib, (1_000_000_000, 1_000_000_000))
    assert run(["exports", "run"]) == 0
    assert "unchanged (1 paper," in capsys.readouterr().out
    assert bib.stat().st_mtime == 1_000_000_000  # not rewritten: a LaTeX build is not re-run
    assert run(["tag", "2406.00002", "--add", "thesis"]) == 0
    capsys.readouterr()
    assert run(["exports", "run"]) == 0
    assert "updated (2 papers," in capsys.readouterr().out
    assert "Sparse experts" in bib.read_text()
    assert run(["exports", "remove", str(bib)]) == 0
    assert "no longer kept up to date" in capsys.readouterr().out
    assert bib.exists()
    assert run(["exports"]) == 0
    assert "no files are kept up to date" in capsys.readouterr().out


def test_formats_ids_and_a_failure_that_spares_the_others(tagged, tmp_path: Path,
                                                           capsys) -> None:
    gone = tmp_path / "gone"
    gone.mkdir()
    ris, csl = gone / "refs.ris", tmp_path / "refs.json"
    assert run(["cite", "2406.00003", "--output", str(ris), "--keep-updated"]) == 0
    assert run(["cite", "--search", "sparse", "--output", str(csl), "--keep-updated"]) == 0
    assert ris.read_text().startswith("TY  - ")
    assert json.loads(csl.read_text())[0]["title"] == "Sparse experts"
    capsys.readouterr()
    ris.unlink()
    gone.rmdir()  # the project folder was moved away
    assert run(["exports", "run"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{ris.resolve()}: not updated: cannot write")
    assert lines[1] == f"{csl.resolve()}: unchanged (1 paper, search “sparse” in all)"


def test_bad_requests_are_refused(tagged, capsys) -> None:
    assert run(["cite", "--tag", "thesis", "--keep-updated"]) == 1
    assert "--keep-updated needs --output FILE" in capsys.readouterr().err
    assert run(["exports", "remove", "/nowhere/refs.bib"]) == 1
    assert "is not kept up to date" in capsys.readouterr().err
    assert run(["config", "auto_exports", "x"]) == 1
    assert "--keep-updated" in capsys.readouterr().err


def test_malformed_entries_in_the_settings_file_are_skipped(isolated_home: Path) -> None:
    paths = library_paths(isolated_home)
    paths.config.parent.mkdir(parents=True, exist_ok=True)
    paths.config.write_text(json.dumps({"auto_exports": [
        {"path": "/tmp/a.bib", "format": "docx"}, "nonsense", {"format": "ris"},
        {"path": "/tmp/b.ris", "format": "ris", "view": "starred"}]}))
    exports = auto_export.configured(Settings.load(paths.config))
    assert [(str(e.path), e.format, e.view) for e in exports] == [("/tmp/b.ris", "ris",
                                                                   "starred")]
