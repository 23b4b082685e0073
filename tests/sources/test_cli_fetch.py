"""The fetch, subscribe, unsubscribe and subscriptions commands, end to end."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from readinglist.cli.main import run
from tests.helpers.httpserver import Response, TestServer
from tests.sources.wire import (
    ATOM_TYPE,
    HTML_TYPE,
    JSON_TYPE,
    RSS_TYPE,
    fixture,
    hf_item,
    json_bytes,
)

ROOT = Path(__file__).resolve().parents[2]


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = run(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_fetch_each_source(server: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.route("/api/daily_papers", Response(200, fixture("hf_daily_2026-08-11.json"),
                                               JSON_TYPE))
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    server.route("/api/query", Response(200, fixture("arxiv_api_search.xml"), ATOM_TYPE))
    server.route("/blog.xml", Response(200, fixture("blog_atom.xml"), ATOM_TYPE))
    assert _run(capsys, "fetch", "hf-daily", "--date", "2026-08-11") == (
        0, "hf-daily 2026-08-11: 3 new, 0 updated\n", "")
    code, out, err = _run(capsys, "fetch", "arxiv-rss", "cs.CL")
    assert (code, err) == (0, "")
    assert out == ("arxiv-rss cs.CL: 2 new, 1 updated (2 replacements of papers not in the "
                   "library left out)\n")
    code, out, _ = _run(capsys, "fetch", "arxiv-query", "all:recurrent", "--max", "10")
    assert (code, out) == (0, 'arxiv-query "all:recurrent": 2 new, 1 updated\n')
    assert server.requests[-1].query["max_results"] == ["10"]
    code, out, _ = _run(capsys, "fetch", "rss", f"{server.url}/blog.xml")
    assert (code, out) == (0, f"rss {server.url}/blog.xml: 1 new, 1 updated\n")
    code, out, _ = _run(capsys, "list", "--view", "all", "--json")
    papers = {p["key"]: p for p in json.loads(out)}
    assert papers["2608.04417"]["sources"] == ["arxiv-query", "arxiv-rss", "hf-daily"]
    assert papers["2608.04417"]["version"] == 3
    assert papers["2608.05001"]["sources"] == ["arxiv-rss", "rss"]
    assert papers["url:https://blog.example.net/2026/08/round-up"]["sources"] == ["rss"]


def test_replacements_are_added_once_the_user_asks_for_them(
        server: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    assert _run(capsys, "config", "rss_include_replacements", "true")[0] == 0
    code, out, err = _run(capsys, "fetch", "arxiv-rss", "cs.CL")
    assert (code, out, err) == (0, "arxiv-rss cs.CL: 5 new, 0 updated\n", "")
    code, out, _ = _run(capsys, "show", "cmp-lg/9701002", "--json")
    assert json.loads(out)["version"] == 4


def test_a_range_of_days(server: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.route("/api/daily_papers", Response(200, json_bytes([hf_item("2608.00001")]),
                                               JSON_TYPE))
    code, out, _ = _run(capsys, "fetch", "hf-daily", "--from", "2026-08-10", "--to", "2026-08-11")
    assert code == 0 and out == ("hf-daily 2026-08-10: 1 new, 0 updated\n"
                                 "hf-daily 2026-08-11: 0 new, 0 updated\n")


def test_a_failed_source_is_one_line_and_a_nonzero_status(
        server: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    server.route("/api/query", Response(400, fixture("arxiv_api_error.xml"), ATOM_TYPE))
    code, out, err = _run(capsys, "fetch", "arxiv-query", "abc")
    assert code == 1 and out == ""
    assert err == ('readinglist: arxiv-query "abc" failed: arXiv API refused the query: '
                   "incorrect id format for abc\n")


def test_subscriptions_end_to_end(server: TestServer, capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "subscribe", "arxiv-rss", "cs.CL", "cs.LG")[1] == (
        "subscribed to arxiv-rss cs.CL\nsubscribed to arxiv-rss cs.LG\n")
    assert _run(capsys, "subscribe", "hf-daily")[0] == 0
    assert _run(capsys, "subscribe", "rss", f"{server.url}/down.xml")[0] == 0
    assert _run(capsys, "subscribe", "hf-daily")[1] == "already subscribed to hf-daily\n"
    assert _run(capsys, "subscriptions")[1] == (
        f"arxiv-rss cs.CL\narxiv-rss cs.LG\nhf-daily\nrss {server.url}/down.xml\n")
    server.route("/api/daily_papers", Response(200, json_bytes([hf_item("2608.00001")]),
                                               JSON_TYPE))
    server.route("/rss/cs.CL+cs.LG", Response(200, fixture("arxiv_rss_cs.LG.xml"), RSS_TYPE))
    server.route("/down.xml", Response(200, fixture("maintenance.html"), HTML_TYPE))
    code, out, err = _run(capsys, "fetch")
    assert code == 1
    assert "arxiv-rss cs.CL+cs.LG: 2 new, 0 updated" in out
    assert out.count("hf-daily 2026-") == 7
    assert err.splitlines() == [
        f'readinglist: rss {server.url}/down.xml failed: {server.url.removeprefix("http://")} '
        'sent an HTML page titled "arXiv is down for maintenance" (HTTP 200, text/html) '
        "instead of a feed; the service may be down or the address wrong",
        "readinglist: 1 of 9 sources failed"]
    assert _run(capsys, "unsubscribe", "rss", f"{server.url}/down.xml")[0] == 0
    assert _run(capsys, "unsubscribe", "arxiv-rss", "cs.CL")[1] == (
        "unsubscribed from arxiv-rss cs.CL\n")
    code, _, err = _run(capsys, "unsubscribe", "arxiv-rss", "math.AP")
    assert code == 1 and "not subscribed to arxiv-rss math.AP" in err
    code, out, _ = _run(capsys, "subscriptions", "--json")
    assert json.loads(out) == [{"kind": "arxiv-rss", "target": "cs.LG", "enabled": True},
                               {"kind": "hf-daily", "target": "", "enabled": True}]


def test_bad_arguments(capsys: pytest.CaptureFixture[str]) -> None:
    assert _run(capsys, "fetch", "arxiv-rss", "cs CL")[0] == 1
    assert _run(capsys, "fetch", "rss", "not-a-url")[0] == 1
    assert _run(capsys, "fetch", "hf-daily", "--date", "2026-08-11", "--from", "2026-08-01")[0] == 1
    assert _run(capsys, "fetch", "hf-daily", "--to", "2026-08-01")[0] == 1
    assert _run(capsys, "subscribe", "rss")[0] == 1
    assert _run(capsys, "subscribe", "hf-daily", "extra")[0] == 1
    with pytest.raises(SystemExit):
        run(["fetch", "hf-daily", "--date", "yesterday"])
    _, err = capsys.readouterr()
    assert "not a date" in err


def test_fetch_without_subscriptions(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(capsys, "fetch")
    assert code == 0 and out == "" and "no subscriptions yet" in err


def test_in_a_subprocess_with_the_environment(server: TestServer, isolated_home: Path) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("arxiv_rss_cs.CL.xml"), RSS_TYPE))
    server.route("/rss/cs.LG", Response(200, fixture("maintenance.html"), HTML_TYPE))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}

    def cli(*argv: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "readinglist", *argv], env=env,
                              capture_output=True, text=True, timeout=60)

    ok = cli("fetch", "arxiv-rss", "cs.CL")
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.startswith("arxiv-rss cs.CL: 2 new, 0 updated")
    failed = cli("fetch", "arxiv-rss", "cs.LG")
    assert failed.returncode == 1 and failed.stdout == ""
    assert failed.stderr.startswith("readinglist: arxiv-rss cs.LG failed: ")
    assert "Traceback" not in failed.stderr
