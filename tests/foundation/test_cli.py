"""Every library command end to end, including the bad inputs the issue lists."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from readinglist.cli.main import run

REQUIRED_FIELDS = {"arxiv_id", "version", "doi", "title", "authors", "abstract", "published",
                   "categories", "sources", "hf_upvotes", "withdrawn", "read", "starred",
                   "archived", "tags", "note", "url", "pdf_url"}
PAPERS = [
    {"arxiv_id": "2406.05821v2", "title": "F-LMM: Grounding Frozen Large Multimodal Models",
     "authors": ["Size Wu", "Sheng Jin"], "abstract": "Endowing LMMs with grounding.",
     "published": "2024-06-09", "categories": ["cs.CV", "cs.CL"], "sources": ["hf-daily"],
     "hf_upvotes": 12, "tags": ["vision"], "starred": True},
    {"arxiv_id": "hep-th/9901001", "title": "An old-style paper", "authors": ["E. Witten"],
     "published": "1999-01-04", "categories": ["hep-th"]},
    {"doi": "10.1000/XYZ.1", "title": "A journal article", "authors": ["J. Doe"],
     "published": "2025-05-01"},
]


@pytest.fixture
def papers_file(tmp_path: Path) -> Path:
    path = tmp_path / "papers.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in PAPERS) + "\n", encoding="utf-8")
    return path


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str], *args: str) -> list[dict]:
    code, out, err = cli(capsys, "list", "--json", *args)
    assert code == 0, err
    return json.loads(out)


def test_import_then_list_json_has_every_field(capsys, papers_file: Path) -> None:
    code, out, _ = cli(capsys, "import", str(papers_file))
    assert code == 0 and "3 new" in out
    papers = listed(capsys)
    assert [p["title"] for p in papers] == ["A journal article", "F-LMM: Grounding Frozen "
                                            "Large Multimodal Models", "An old-style paper"]
    for paper in papers:
        assert REQUIRED_FIELDS <= set(paper)
    flmm = papers[1]
    assert flmm["arxiv_id"] == "2406.05821" and flmm["version"] == 2
    assert flmm["authors"] == ["Size Wu", "Sheng Jin"] and flmm["published"] == "2024-06-09"
    assert flmm["sources"] == ["hf-daily"] and flmm["hf_upvotes"] == 12
    assert flmm["tags"] == ["vision"] and flmm["starred"] and not flmm["read"]
    assert flmm["url"] == "https://arxiv.org/abs/2406.05821"
    assert flmm["pdf_url"] == "https://arxiv.org/pdf/2406.05821v2"
    assert papers[0]["doi"] == "10.1000/xyz.1" and papers[0]["arxiv_id"] is None


def test_import_twice_merges_and_keeps_triage(capsys, papers_file: Path) -> None:
    cli(capsys, "import", str(papers_file))
    cli(capsys, "mark", "2406.05821", "--read")
    cli(capsys, "tag", "2406.05821", "--remove", "vision")
    code, out, _ = cli(capsys, "import", str(papers_file))
    assert code == 0 and "0 new" in out
    papers = listed(capsys, "--view", "all")
    assert len(papers) == 3
    flmm = next(p for p in papers if p["arxiv_id"] == "2406.05821")
    assert flmm["read"] and flmm["tags"] == []


def test_list_output_round_trips_through_import(capsys, papers_file: Path, tmp_path: Path,
                                                monkeypatch) -> None:
    cli(capsys, "import", str(papers_file))
    cli(capsys, "note", "hep-th/9901001", "--set", "classic")
    exported = listed(capsys, "--view", "all")
    dump = tmp_path / "dump.jsonl"
    dump.write_text("\n".join(json.dumps(p) for p in exported), encoding="utf-8")
    monkeypatch.setenv("READINGLIST_HOME", str(tmp_path / "second"))
    assert cli(capsys, "import", str(dump))[0] == 0
    again = listed(capsys, "--view", "all")
    strip = lambda ps: [{k: v for k, v in p.items() if k != "sources_first_seen"} for p in ps]
    assert strip(again) == strip(exported)


@pytest.mark.parametrize("ident", ["2406.05821", "2406.05821v2", "arXiv:2406.05821",
                                   "https://arxiv.org/abs/2406.05821v2"])
def test_show_accepts_every_id_form(capsys, papers_file: Path, ident: str) -> None:
    cli(capsys, "import", str(papers_file))
    code, out, _ = cli(capsys, "show", ident, "--json")
    assert code == 0 and json.loads(out)["title"].startswith("F-LMM")


def test_show_old_style_and_doi(capsys, papers_file: Path) -> None:
    cli(capsys, "import", str(papers_file))
    code, out, _ = cli(capsys, "show", "hep-th/9901001")
    assert code == 0 and "An old-style paper" in out and "E. Witten" in out
    code, out, _ = cli(capsys, "show", "https://doi.org/10.1000/xyz.1", "--json")
    assert code == 0 and json.loads(out)["title"] == "A journal article"


def test_mark_every_flag_on_several_papers(capsys, papers_file: Path) -> None:
    cli(capsys, "import", str(papers_file))
    for flag, field, value in [("--read", "read", True), ("--star", "starred", True),
                               ("--archive", "archived", True), ("--unread", "read", False),
                               ("--unstar", "starred", False),
                               ("--unarchive", "archived", False)]:
        assert cli(capsys, "mark", "2406.05821", "hep-th/9901001", flag)[0] == 0
        papers = {p["title"][:5]: p for p in listed(capsys, "--view", "all")}
        assert papers["F-LMM"][field] is value and papers["An ol"][field] is value
    cli(capsys, "mark", "2406.05821", "--archive")
    assert [p["title"][:5] for p in listed(capsys)] == ["A jou", "An ol"]
    assert [p["title"][:5] for p in listed(capsys, "--view", "archived")] == ["F-LMM"]


def test_tag_and_filter(capsys, papers_file: Path) -> None:
    cli(capsys, "import", str(papers_file))
    assert cli(capsys, "tag", "2406.05821", "hep-th/9901001", "--add", "to-read",
               "--add", "physics")[0] == 0
    assert cli(capsys, "tag", "2406.05821", "--remove", "physics")[0] == 0
    assert [p["arxiv_id"] for p in listed(capsys, "--tag", "physics")] == ["hep-th/9901001"]
    assert len(listed(capsys, "--tag", "to-read")) == 2
    assert [p["arxiv_id"] for p in listed(capsys, "--search", "tag:physics")] == ["hep-th/9901001"]
    # commas separate tags, as in the app's tag fields
    assert cli(capsys, "tag", "2406.05821", "--add", "llm, long context,")[0] == 0
    assert cli(capsys, "tag", "2406.05821", "--remove", "to-read,llm")[0] == 0
    assert listed(capsys, "--tag", "long context")[0]["tags"] == ["long context", "vision"]


def test_note_from_text_and_file_is_searchable(capsys, papers_file: Path, tmp_path: Path) -> None:
    cli(capsys, "import", str(papers_file))
    assert cli(capsys, "note", "2406.05821", "--set", "**important**: compare with SAM")[0] == 0
    note = tmp_path / "note.md"
    note.write_text("# Reading notes\n\nWitten's trick\n", encoding="utf-8")
    assert cli(capsys, "note", "hep-th/9901001", "--file", str(note))[0] == 0
    assert [p["arxiv_id"] for p in listed(capsys, "--search", "compare SAM")] == ["2406.05821"]
    [old] = listed(capsys, "--search", "trick")
    assert old["note"] == "# Reading notes\n\nWitten's trick\n"


def test_limit_and_search_language(capsys, papers_file: Path) -> None:
    cli(capsys, "import", str(papers_file))
    assert len(listed(capsys, "--limit", "1")) == 1
    assert [p["arxiv_id"] for p in listed(capsys, "--search", "is:starred")] == ["2406.05821"]
    assert [p["arxiv_id"] for p in listed(capsys, "--search", "author:witten")] == ["hep-th/9901001"]
    assert listed(capsys, "--search", "grounding frozen") != []


def test_unknown_id_is_an_error_without_traceback(capsys, papers_file: Path) -> None:
    cli(capsys, "import", str(papers_file))
    for args in (["show", "2501.00001"], ["mark", "2406.05821", "2501.00001", "--read"],
                 ["tag", "2501.00001", "--add", "x"], ["note", "2501.00001", "--set", "x"]):
        code, _, err = cli(capsys, *args)
        assert code == 1 and "no paper '2501.00001'" in err and "Traceback" not in err
    # nothing from the failed multi-id mark was applied
    assert not listed(capsys, "--search", "is:read")
    code, _, err = cli(capsys, "show", "not-an-id")
    assert code == 1 and "not a paper id" in err


def test_malformed_json_line_names_the_line_and_writes_nothing(capsys, tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    lines = [json.dumps(PAPERS[0]), json.dumps(PAPERS[1]), "{not json", json.dumps(PAPERS[2])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", str(path))
    assert code == 1 and "line 3" in err and "nothing was imported" in err
    assert listed(capsys, "--view", "all") == []


@pytest.mark.parametrize("line,message", [
    ('{"title": "no id"}', "no arxiv_id, doi or url"),
    ('{"arxiv_id": "2406.05821"}', "no title"),
    ('["a list"]', "expected a JSON object"),
    ('{"arxiv_id": "nonsense", "title": "x"}', "not an arXiv id"),
    ('{"arxiv_id": "2406.05821", "title": "x", "published": "June"}', "not a date"),
])
def test_invalid_objects_are_rejected(capsys, tmp_path: Path, line: str, message: str) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    code, _, err = cli(capsys, "import", str(path))
    assert code == 1 and "line 1" in err and message in err


def test_missing_import_file(capsys, tmp_path: Path) -> None:
    code, _, err = cli(capsys, "import", str(tmp_path / "absent.jsonl"))
    assert code == 1 and "cannot read" in err


def test_usage_errors_exit_2(capsys) -> None:
    with pytest.raises(SystemExit) as exit_info:
        run(["mark", "2406.05821"])
    assert exit_info.value.code == 2
    with pytest.raises(SystemExit):
        run(["list", "--view", "nowhere"])


def _cli_process(home: Path, *args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READINGLIST_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "readinglist", *args], capture_output=True,
                          text=True, env=env, timeout=60, **kwargs)


def test_corrupt_database_via_the_real_command(tmp_path: Path) -> None:
    home = tmp_path / "proc-home"
    home.mkdir()
    (home / "library.sqlite3").write_bytes(b"garbage" * 1000)
    result = _cli_process(home, "list")
    assert result.returncode == 1
    assert "damaged" in result.stderr and "Traceback" not in result.stderr
    assert (home / "library.sqlite3").read_bytes() == b"garbage" * 1000
    debug = _cli_process(home, "--debug", "list")
    assert "Traceback" in debug.stderr


def test_cli_waits_for_a_database_locked_by_the_app(tmp_path: Path, papers_file: Path) -> None:
    home = tmp_path / "proc-home"
    home.mkdir()
    assert _cli_process(home, "import", str(papers_file)).returncode == 0
    app = sqlite3.connect(home / "library.sqlite3", isolation_level=None, check_same_thread=False)
    app.execute("BEGIN IMMEDIATE")
    threading.Timer(1.5, lambda: app.execute("COMMIT")).start()
    started = time.monotonic()
    result = _cli_process(home, "mark", "2406.05821", "--read")
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started >= 1.4
    shown = json.loads(_cli_process(home, "show", "2406.05821", "--json").stdout)
    assert shown["read"] is True
    app.close()


def test_every_command_has_an_owner_module() -> None:
    from readinglist.cli.main import COMMAND_OWNERS, build_parser

    parser = build_parser([])
    subcommands = next(a for a in parser._actions if a.dest == "command").choices
    assert set(subcommands) == set(COMMAND_OWNERS)
    for command, owner in COMMAND_OWNERS.items():
        assert command in next(a for a in build_parser([command])._actions
                               if a.dest == "command").choices, owner


def test_bibtex_by_id_by_tag_and_to_a_file(capsys, papers_file: Path, tmp_path: Path) -> None:
    assert cli(capsys, "import", str(papers_file))[0] == 0
    code, out, _ = cli(capsys, "bibtex", "arXiv:2406.05821v2", "10.1000/xyz.1")
    assert code == 0
    assert out.count("@misc{") == 2
    assert "@misc{wu2024flmm," in out and "  eprint = {2406.05821},\n" in out
    assert "@misc{doe2025journal," in out and "  doi = {10.1000/xyz.1},\n" in out
    code, out, _ = cli(capsys, "bibtex", "--tag", "vision")
    assert code == 0 and out.count("@misc{") == 1 and "wu2024flmm" in out
    target = tmp_path / "refs.bib"
    code, out, _ = cli(capsys, "bibtex", "--search", "author:witten", "--output", str(target))
    assert code == 0 and "wrote 1 entry" in out
    assert "author = {Witten, E.}" in target.read_text(encoding="utf-8")
    code, _, err = cli(capsys, "bibtex")
    assert code != 0 and "--tag" in err and "Traceback" not in err
    code, _, err = cli(capsys, "bibtex", "2401.99999")
    assert code != 0 and "2401.99999" in err
