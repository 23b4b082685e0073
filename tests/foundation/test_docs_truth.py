"""The command lines README.md documents, run for real (fresh library, real SQLite), so that the
README's command summary stays true: flags, defaults and JSON shapes people script against."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readinglist.cli.main import build_parser, run

PAPERS = [
    {"arxiv_id": "2406.05821v2", "title": "Beta paper", "authors": ["Size Wu"],
     "abstract": "Grounding frozen models.", "published": "2024-06-09",
     "categories": ["cs.CV"], "hf_upvotes": 3},
    {"arxiv_id": "2406.05822", "title": "Alpha paper", "authors": ["Ana Garcia"],
     "abstract": "Attention sinks.", "published": "2024-06-10", "categories": ["cs.CL"],
     "hf_upvotes": 9},
]


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = run(list(args))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def imported(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = tmp_path / "papers.jsonl"
    path.write_text("\n".join(json.dumps(p) for p in PAPERS) + "\n", encoding="utf-8")
    code, out, err = cli(capsys, "import", str(path))
    assert code == 0, err
    assert "2 new" in out


def test_list_sort_is_the_documented_flag(capsys, imported) -> None:
    orders = {}
    for sort in ("date", "title", "authors", "upvotes", "added"):
        code, out, err = cli(capsys, "list", "--sort", sort, "--json")
        assert code == 0, err
        orders[sort] = [p["title"] for p in json.loads(out)]
    assert orders["date"] == ["Alpha paper", "Beta paper"]  # newest first
    assert orders["title"] == ["Alpha paper", "Beta paper"]
    assert orders["upvotes"] == ["Alpha paper", "Beta paper"]  # most upvotes first
    with pytest.raises(SystemExit) as refused:
        run(["list", "--sort", "stars"])
    assert refused.value.code == 2
    assert "invalid choice: 'stars'" in capsys.readouterr().err


def test_subscriptions_json(capsys) -> None:
    assert cli(capsys, "subscriptions", "--json")[:2] == (0, "[]\n")
    assert cli(capsys, "subscribe", "hf-daily")[0] == 0
    code, out, _ = cli(capsys, "subscriptions", "--json")
    assert code == 0
    assert json.loads(out) == [{"kind": "hf-daily", "target": "", "enabled": True}]


def test_export_defaults_to_markdown_and_pdf_needs_output(capsys, imported) -> None:
    assert cli(capsys, "note", "2406.05822", "--set", "My reading note")[0] == 0
    code, out, err = cli(capsys, "export", "2406.05822")
    assert code == 0, err
    assert out.startswith("# Alpha paper") and "My reading note" in out
    code, out, err = cli(capsys, "export", "2406.05822", "--format", "pdf")
    assert code == 1 and out == ""
    assert err.strip() == "readinglist: error: export --format pdf needs --output PATH"


def test_arxiv_query_max_defaults_to_100() -> None:
    args = build_parser(["fetch"]).parse_args(["fetch", "arxiv-query", "ti:diffusion"])
    assert (args.source, args.query, args.max) == ("arxiv-query", "ti:diffusion", 100)
    args = build_parser(["fetch"]).parse_args(["fetch", "arxiv-query", "all:kv", "--max", "50"])
    assert args.max == 50


def test_sync_commands_in_the_summary(capsys, tmp_path: Path) -> None:
    remote = tmp_path / "remote"
    remote.mkdir()
    parser = build_parser(["sync"])
    folder = parser.parse_args(["sync", "setup", "folder", str(remote), "--encrypt", "--pdfs"])
    assert (folder.sync_kind, folder.encrypt, folder.pdfs) == ("folder", True, True)
    webdav = parser.parse_args(["sync", "setup", "webdav", "https://dav.example.org/rl",
                                "--user", "me", "--password-stdin", "--encrypt", "--pdfs"])
    assert (webdav.user, webdav.password_stdin, webdav.encrypt, webdav.pdfs) == (
        "me", True, True, True)

    code, out, err = cli(capsys, "sync", "setup", "folder", str(remote), "--pdfs")
    assert code == 0, err
    code, out, err = cli(capsys, "sync", "--json")
    assert code == 0, err
    report = json.loads(out)
    assert report["pushed"] == 0 and report["pulled_total"] == 0
    code, out, err = cli(capsys, "sync", "status", "--json")
    assert code == 0, err
    status = json.loads(out)
    assert (status["configured"], status["transport"]) == (True, "folder")
    code, out, err = cli(capsys, "sync", "devices", "--json")
    assert code == 0, err
    assert [d["this_device"] for d in json.loads(out)] == [True]
    code, out, _ = cli(capsys, "sync", "off")
    assert code == 0 and out.startswith("sync is off")
    code, out, _ = cli(capsys, "sync", "status", "--json")
    assert json.loads(out)["configured"] is False
