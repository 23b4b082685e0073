"""The command line on bad input and a failing library folder: one clear line, a non-zero exit,
no traceback, and nothing half-written."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.foundation.test_cli import PAPERS, cli, listed


def _write_lines(path: Path, *lines: str) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _cli_process(home: Path, *args: str | bytes) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "READINGLIST_HOME": str(home)}
    return subprocess.run([sys.executable, "-m", "readinglist", *args], capture_output=True,
                          text=True, errors="replace", env=env, timeout=120)


# -- import: values of the wrong type or out of range name their line -----------------------

@pytest.mark.parametrize("obj,message", [
    ({"title": 5}, "title must be a string, not int"),
    ({"abstract": ["x"]}, "abstract must be a string, not list"),
    ({"pdf_url": ["x"]}, "pdf_url must be a string, not list"),
    ({"journal_ref": {"a": 1}}, "journal_ref must be a string, not dict"),
    ({"comment": [1]}, "comment must be a string, not list"),
    ({"note": {"a": 1}}, "note must be a string, not dict"),
    ({"read": "no"}, "read must be true or false"),
    ({"withdrawn": "yes"}, "withdrawn must be true or false"),
    ({"hf_upvotes": 10 ** 22}, "hf_upvotes must be a whole number"),
    ({"arxiv_id": "2501.00002v99999999999999999999"}, "version must be a whole number"),
    ({"tags": ["x" * 101]}, "a tag is at most 100 characters long"),
])
def test_import_refuses_bad_values_by_line(capsys, tmp_path: Path, obj: dict,
                                           message: str) -> None:
    bad = {"arxiv_id": "2501.00002", "title": "Second"} | obj
    path = _write_lines(tmp_path / "bad.jsonl", json.dumps(PAPERS[0]), json.dumps(bad))
    code, _, err = cli(capsys, "import", str(path))
    assert code == 1 and "line 2" in err and message in err, err
    assert "nothing was imported" in err and "Traceback" not in err
    assert listed(capsys, "--view", "all") == []


def test_import_url_of_the_wrong_type(capsys, tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "bad.jsonl", '{"url": 7, "title": "x"}')
    code, _, err = cli(capsys, "import", str(path))
    assert code == 1 and "line 1: url must be a string, not int" in err


def test_import_flags_take_json_booleans_and_0_or_1(capsys, tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "ok.jsonl", json.dumps(
        {"arxiv_id": "2501.00002", "title": "x", "read": 1, "starred": 0, "archived": False}))
    assert cli(capsys, "import", str(path))[0] == 0
    [paper] = listed(capsys, "--view", "all")
    assert paper["read"] is True and paper["starred"] is False


def test_import_lone_surrogate_escape_names_its_line(capsys, tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "bad.jsonl", json.dumps(PAPERS[0]),
                        '{"arxiv_id": "2501.00002", "title": "half \\ud800 a character"}')
    code, _, err = cli(capsys, "import", str(path))
    assert code == 1 and "line 2" in err and "lone surrogate" in err and "Traceback" not in err
    assert listed(capsys, "--view", "all") == []
    # a surrogate pair is one character (an emoji): fine
    _write_lines(path, '{"arxiv_id": "2501.00002", "title": "Emoji \\ud83d\\ude00"}')
    assert cli(capsys, "import", str(path))[0] == 0
    assert [p["title"] for p in listed(capsys, "--view", "all")] == ["Emoji \U0001F600"]


def test_csl_json_lone_surrogate_and_deep_nesting(capsys, tmp_path: Path) -> None:
    path = tmp_path / "refs.json"
    path.write_text('[{"title": "x\\udc00", "DOI": "10.1234/abcd"}]', encoding="utf-8")
    code, _, err = cli(capsys, "import", str(path))
    assert code == 1 and "lone surrogate" in err and "nothing was imported" in err
    path.write_text("[" * 100_000, encoding="utf-8")
    code, _, err = cli(capsys, "import", str(path))
    assert code == 1 and "nested too deeply" in err and "Traceback" not in err
    assert listed(capsys, "--view", "all") == []


def test_import_deeply_nested_json_line(capsys, tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "deep.jsonl", json.dumps(PAPERS[1]), "[" * 100_000)
    code, _, err = cli(capsys, "import", str(path))
    assert code == 1 and "line 2: the JSON is nested too deeply" in err
    assert listed(capsys, "--view", "all") == []


def test_bibtex_keyword_too_long_for_a_tag_is_left_out(capsys, tmp_path: Path) -> None:
    path = tmp_path / "refs.bib"
    path.write_text("@article{a, title={A title}, doi={10.1234/abcd}, "
                    f"keywords={{short, {'long ' * 30}}}}}\n", encoding="utf-8")
    code, out, err = cli(capsys, "import", str(path))
    assert code == 0 and "1 new" in out, err
    assert [p["tags"] for p in listed(capsys, "--view", "all")] == [["short"]]


# -- command-line text --------------------------------------------------------------------------

def test_text_that_is_not_utf8_is_refused_file_names_are_not(tmp_path: Path) -> None:
    home = tmp_path / "proc-home"
    home.mkdir()
    papers = tmp_path / "papers.jsonl"
    papers.write_text("".join(json.dumps(p) + "\n" for p in PAPERS), encoding="utf-8")
    odd_name = os.fsencode(tmp_path) + b"/caf\xe9.jsonl"  # a Latin-1 file name
    Path(os.fsdecode(odd_name)).write_bytes(papers.read_bytes())
    imported = _cli_process(home, b"import", odd_name)
    assert imported.returncode == 0 and "3 new" in imported.stdout, imported.stderr
    for args in ([b"tag", b"2406.05821", b"--add", b"caf\xe9"],
                 [b"note", b"2406.05821", b"--set", b"caf\xe9"],
                 [b"list", b"--search", b"caf\xe9"]):
        result = _cli_process(home, *args)
        assert result.returncode == 1, result.stderr
        assert result.stderr == "readinglist: error: 'caf?' is not UTF-8 text\n"
    shown = json.loads(_cli_process(home, "show", "2406.05821", "--json").stdout)
    assert shown["tags"] == ["vision"] and shown["note"] == ""


def test_control_characters_from_files_do_not_reach_the_terminal(capsys,
                                                                 tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "esc.jsonl", json.dumps(
        {"arxiv_id": "2501.00002", "title": "Evil \x1b]0;owned\x07 \x1b[31mred\x9b",
         "tags": ["t\x1b[5m"], "abstract": "a\x00b"}))
    assert cli(capsys, "import", str(path))[0] == 0
    for args in (["list"], ["show", "2501.00002"]):
        code, out, _ = cli(capsys, *args)
        assert code == 0 and "Evil \ufffd]0;owned\ufffd \ufffd[31mred\ufffd" in out
        assert not any(c in out for c in "\x1b\x07\x9b\x00")
    # the JSON output keeps the text as it is
    assert listed(capsys, "--view", "all")[0]["title"].startswith("Evil \x1b]0;owned")


# -- list, cite ---------------------------------------------------------------------------------

def test_limit_beyond_64_bits_lists_everything(capsys, tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "p.jsonl", *(json.dumps(p) for p in PAPERS))
    cli(capsys, "import", str(path))
    assert len(listed(capsys, "--view", "all", "--limit", str(10 ** 25))) == 3
    assert listed(capsys, "--limit", "0") == []


def test_cite_and_bibtex_with_view_all_export_every_paper(capsys, tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "p.jsonl", *(json.dumps(p) for p in PAPERS))
    cli(capsys, "import", str(path))
    for command in ("cite", "bibtex"):
        code, out, err = cli(capsys, command, "--view", "all")
        assert code == 0, err
        assert out.count("@misc{") == 3
    code, out, _ = cli(capsys, "cite", "--view", "starred")
    assert code == 0 and out.count("@misc{") == 1
    code, _, err = cli(capsys, "cite")  # still: nothing chosen is an error
    assert code == 1 and "name papers by ID" in err


def test_digest_days_beyond_the_calendar(capsys, tmp_path: Path) -> None:
    path = _write_lines(tmp_path / "p.jsonl", *(json.dumps(p) for p in PAPERS))
    cli(capsys, "import", str(path))
    code, out, err = cli(capsys, "digest", "--days", str(10 ** 12), "--view", "all")
    assert code == 0 and "Traceback" not in err
    assert "A journal article" in out


# -- the library file and folder ----------------------------------------------------------------

def test_library_from_a_newer_readinglist_is_refused_untouched(capsys,
                                                               isolated_home: Path) -> None:
    assert cli(capsys, "tags")[0] == 0  # creates the library
    database = isolated_home / "library.sqlite3"
    connection = sqlite3.connect(database)
    connection.execute("UPDATE alembic_version SET version_num = '0099'")
    connection.commit()
    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    before = database.read_bytes()
    for _ in range(2):
        code, _, err = cli(capsys, "list")
        assert code == 1 and "written by a newer readinglist" in err and "0099" in err
    assert database.read_bytes() == before
    assert not [p.name for p in isolated_home.iterdir() if p.name.endswith(".bak")]


def _foreign_database(path: Path) -> bytes:
    """Another program's SQLite file at ``path``; returns its bytes."""
    connection = sqlite3.connect(path)
    connection.execute("CREATE TABLE notes (body TEXT)")
    connection.commit()
    connection.close()
    return path.read_bytes()


def test_another_programs_database_is_not_changed(capsys, isolated_home: Path) -> None:
    database = isolated_home / "library.sqlite3"
    before = _foreign_database(database)
    code, _, err = cli(capsys, "list")
    assert code == 1 and "not a readinglist library" in err
    assert database.read_bytes() == before  # still a rollback-journal file, not WAL
    assert sorted(p.name for p in isolated_home.iterdir()) == ["library.sqlite3"]


def test_library_folder_that_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x", encoding="utf-8")
    for home in (blocker, blocker / "library"):
        result = _cli_process(home, "list")
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"readinglist: error: cannot make the library folder "
                                        f"{home}:")
        assert result.stderr.count("\n") == 1
    assert blocker.read_text(encoding="utf-8") == "x"


# A private mount namespace (unshare, no root needed where user namespaces are on): the tiny
# disk and the read-only folder exist only for the commands run in it.
_IN_NAMESPACE = r"""
import json, os, subprocess, sys
home, setup, steps = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3])
for command in setup:
    subprocess.run(command, check=True)
results = []
for step in steps:
    if step == ["fill"]:
        fd = os.open(os.path.join(home, "filler"), os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(fd, b"\0" * 4096)
        except OSError:
            os.close(fd)
        continue
    if step == ["free"]:
        os.remove(os.path.join(home, "filler"))
        continue
    done = subprocess.run([sys.executable, "-m", "readinglist", *step], capture_output=True,
                          text=True, env={**os.environ, "READINGLIST_HOME": home})
    results.append([done.returncode, done.stdout, done.stderr])
print(json.dumps(results))
"""


def _in_own_mounts(home: Path, setup: list[list[str]], steps: list[list[str]]
                   ) -> list[tuple[int, str, str]]:
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", sys.executable, "-c", _IN_NAMESPACE,
         str(home), json.dumps(setup), json.dumps(steps)],
        capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return [tuple(result) for result in json.loads(done.stdout)]


def test_full_disk_rolls_back_with_a_clear_message(tmp_path: Path) -> None:
    home = tmp_path / "small-disk"
    home.mkdir()
    papers = _write_lines(tmp_path / "p.jsonl", *(json.dumps(p) for p in PAPERS))
    big = _write_lines(tmp_path / "big.jsonl", *(json.dumps(
        {"arxiv_id": f"2501.{n:05d}", "title": f"Paper {n}", "abstract": "words " * 200})
        for n in range(1, 3001)))
    results = _in_own_mounts(home, [["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs",
                                     str(home)]], [
        ["import", str(papers)], ["import", str(big)], ["list", "--view", "all", "--json"],
        ["fill"], ["tag", "2406.05821", "--add", "full"], ["list"], ["free"],
        ["show", "2406.05821", "--json"]])
    created, too_big, after, tag_full, list_full, shown = results
    assert created[0] == 0, created[2]
    full = (f"readinglist: error: the disk holding {home / 'library.sqlite3'} is full; "
            "nothing was written (free some space and retry)\n")
    assert too_big[:1] == (1,) and too_big[2] == full
    assert len(json.loads(after[1])) == 3  # the big import left nothing behind
    assert tag_full[:1] == (1,) and tag_full[2] == full
    assert list_full[:1] == (1,) and list_full[2] == full
    assert shown[0] == 0 and json.loads(shown[1])["tags"] == ["vision"]


def test_read_only_library_folder(tmp_path: Path) -> None:
    home = tmp_path / "ro-home"
    home.mkdir()
    papers = _write_lines(tmp_path / "p.jsonl", *(json.dumps(p) for p in PAPERS))
    assert _cli_process(home, "import", str(papers)).returncode == 0
    before = (home / "library.sqlite3").read_bytes()
    results = _in_own_mounts(home, [["mount", "--bind", str(home), str(home)],
                                    ["mount", "-o", "remount,ro,bind", str(home)]],
                             [["list"], ["tag", "2406.05821", "--add", "x"]])
    for code, _, err in results:
        assert code == 1 and err.count("\n") == 1, err
        assert f"the library folder {home} is read-only" in err
    assert (home / "library.sqlite3").read_bytes() == before


def test_killed_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    home = tmp_path / "proc-home"
    home.mkdir()
    papers = _write_lines(tmp_path / "p.jsonl", *(json.dumps(p) for p in PAPERS))
    assert _cli_process(home, "import", str(papers)).returncode == 0
    big = _write_lines(tmp_path / "big.jsonl", *(json.dumps(
        {"arxiv_id": f"2501.{n:05d}", "title": f"Paper {n}", "abstract": "words " * 50,
         "tags": [f"t{n % 7}"], "read": n % 2 == 0}) for n in range(1, 20001)))
    env = {**os.environ, "READINGLIST_HOME": str(home)}
    started = time.monotonic()
    whole = subprocess.run([sys.executable, "-m", "readinglist", "import", str(big)], env=env,
                           capture_output=True, timeout=300)
    took = time.monotonic() - started
    assert whole.returncode == 0
    for fraction in (0.5, 0.8, 0.95):
        (home / "library.sqlite3").unlink()
        for extra in ("-wal", "-shm"):
            (home / f"library.sqlite3{extra}").unlink(missing_ok=True)
        assert _cli_process(home, "import", str(papers)).returncode == 0
        process = subprocess.Popen([sys.executable, "-m", "readinglist", "import", str(big)],
                                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(took * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait()
        listing = _cli_process(home, "list", "--view", "all", "--json")
        assert listing.returncode == 0, listing.stderr
        assert len(json.loads(listing.stdout)) in (3, 20003)
        connection = sqlite3.connect(home / "library.sqlite3")
        try:
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            count = connection.execute("SELECT count(*) FROM papers").fetchone()[0]
            assert connection.execute("SELECT count(*) FROM papers_fts").fetchone()[0] == count
            assert connection.execute("SELECT count(*) FROM fts_pause").fetchone()[0] == 0
        finally:
            connection.close()



def test_the_apps_first_read_leaves_another_programs_database_alone(isolated_home: Path
                                                                    ) -> None:
    from readinglist.services.reader import LibraryReader

    database = isolated_home / "library.sqlite3"
    before = _foreign_database(database)
    assert LibraryReader.open(database) is None  # the app then reports it through Library
    assert database.read_bytes() == before
    assert sorted(p.name for p in isolated_home.iterdir()) == ["library.sqlite3"]


def test_the_library_folder_error_is_the_same_for_the_app(tmp_path: Path) -> None:
    from readinglist.core.errors import StorageError
    from readinglist.services.paths import library_paths

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    with pytest.raises(StorageError, match="a file is in the way"):
        library_paths(blocker / "library")


def test_search_and_note_values_may_start_with_a_dash(capsys, library) -> None:
    from tests.sync.helpers import record as sync_record

    library.merge_records([sync_record(1, "Okapi stripes"), sync_record(2, "Zebra stripes")])
    library.close()
    code, out, _ = cli(capsys, "list", "--view", "all", "--search", "-okapi", "--json")
    assert code == 0 and [p["title"] for p in json.loads(out)] == ["Zebra stripes"]
    code, _, err = cli(capsys, "note", "2401.00001", "--set", "-x marks the spot")
    assert code == 0, err
    code, _, _ = cli(capsys, "note", "2401.00002", "--set", "-y")
    assert code == 0
    code, out, _ = cli(capsys, "show", "2401.00002", "--json")
    assert json.loads(out)["note"] == "-y"
