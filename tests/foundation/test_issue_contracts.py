"""Acceptance checks of the contracts the issues write down, run the way a user's script does:
the installed ``readinglist`` command in a real process, ``READINGLIST_HOME`` set to a fresh
folder, and real HTTP servers on 127.0.0.1 serving the services' wire formats."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from readinglist import __version__
from tests.helpers.httpserver import Request, Response, TestServer
from tests.sources.wire import (
    ATOM_TYPE,
    HTML_TYPE,
    JSON_TYPE,
    RSS_TYPE,
    api_entry,
    api_feed,
    fixture,
    hf_ids,
    hf_item,
    json_bytes,
    rss_item,
    rss_listing,
)

_INSTALLED = Path(sys.executable).with_name("readinglist")
COMMAND = [str(_INSTALLED)] if _INSTALLED.exists() else [sys.executable, "-m", "readinglist"]
DAY = date(2026, 8, 11)
ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CONTRACT_FIELDS = ("arxiv_id", "version", "doi", "title", "authors", "abstract", "published",
                   "categories", "sources", "hf_upvotes", "withdrawn", "read", "starred",
                   "archived", "tags", "note", "url", "pdf_url")
PAPERS = [
    {"arxiv_id": "2406.05821v2", "title": "F-LMM: Grounding Frozen Large Multimodal Models",
     "authors": ["Size Wu", "Sheng Jin"], "abstract": "Endowing LMMs with grounding.",
     "published": "2024-06-09", "categories": ["cs.CV", "cs.CL"], "sources": ["hf-daily"],
     "hf_upvotes": 12},
    {"arxiv_id": "hep-th/9901001", "title": "An old-style paper", "authors": ["E. Witten"],
     "published": "1999-01-04", "categories": ["hep-th"], "sources": ["arxiv-query"]},
    {"doi": "10.1000/XYZ.1", "title": "A journal article", "authors": ["J. Doe"],
     "published": "2025-05-01", "sources": ["rss"]},
]
SIX_ID_FORMS = ("2406.05821", "2406.05821v2", "arXiv:2406.05821",
                "https://arxiv.org/abs/2406.05821v2")


# -- running the real command -----------------------------------------------------------------


class Cli:
    """The ``readinglist`` command with one library folder and the endpoints of one server."""

    def __init__(self, home: Path, env: dict[str, str]) -> None:
        self.home = home
        self.env = env

    def __call__(self, *args: str, stdin: str | None = None, timeout: float = 90,
                 **extra_env: str | None) -> subprocess.CompletedProcess[str]:
        env = {**self.env, "READINGLIST_HOME": str(self.home)}
        for name, value in extra_env.items():
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value
        return subprocess.run([*COMMAND, *args], capture_output=True, text=True, env=env,
                              input=stdin, timeout=timeout)

    def ok(self, *args: str, **kwargs: Any) -> str:
        """Run; the exit status must be 0 and nothing may look like a traceback."""
        result = self(*args, **kwargs)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        assert "Traceback" not in result.stderr
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self.ok(*args))

    def failed(self, *args: str, **kwargs: Any) -> subprocess.CompletedProcess[str]:
        """Run; the exit status must be non-zero, with a message and no traceback."""
        result = self(*args, **kwargs)
        assert result.returncode != 0, (args, result.stdout, result.stderr)
        assert result.stderr.strip() and "Traceback" not in result.stderr
        return result

    def other_home(self, home: Path) -> Cli:
        return Cli(home, self.env)


@pytest.fixture
def server() -> Iterator[TestServer]:
    running = TestServer().start()
    yield running
    running.stop()


@pytest.fixture
def cli(tmp_path: Path, server: TestServer) -> Cli:
    """A fresh library folder; every endpoint on the local server; no arXiv pacing."""
    env = {**os.environ,
           "READINGLIST_HF_URL": server.url,
           "READINGLIST_ARXIV_API_URL": f"{server.url}/api/query",
           "READINGLIST_ARXIV_RSS_URL": f"{server.url}/rss",
           "READINGLIST_ARXIV_PDF_URL": f"{server.url}/pdf",
           "READINGLIST_ARXIV_DELAY": "0",
           "READINGLIST_HTTP_TIMEOUT": "3",
           "READINGLIST_HTTP_BACKOFF": "0.01",
           "READINGLIST_HTTP_RETRIES": "2",
           "QT_QPA_PLATFORM": "offscreen"}
    return Cli(tmp_path / "library-home", env)


def jsonl(path: Path, papers: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(p) + "\n" for p in papers), encoding="utf-8")
    return path


@pytest.fixture
def stocked(cli: Cli, tmp_path: Path) -> Cli:
    """The library after ``readinglist import`` of the three PAPERS."""
    cli.ok("import", str(jsonl(tmp_path / "papers.jsonl", PAPERS)))
    return cli


def by_title(papers: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {p["title"]: p for p in papers}


def assert_contract_object(paper: dict[str, Any]) -> None:
    """Every field issue #2 names, with the type it implies."""
    assert set(CONTRACT_FIELDS) <= set(paper), set(CONTRACT_FIELDS) - set(paper)
    assert paper["arxiv_id"] is None or isinstance(paper["arxiv_id"], str)
    assert paper["version"] is None or type(paper["version"]) is int
    assert paper["doi"] is None or isinstance(paper["doi"], str)
    assert isinstance(paper["title"], str) and paper["title"]
    assert isinstance(paper["authors"], list)
    assert all(isinstance(a, str) for a in paper["authors"])
    assert isinstance(paper["abstract"], str)
    assert paper["published"] is None or ISO_DAY.match(paper["published"])
    assert isinstance(paper["categories"], list)
    assert all(isinstance(c, str) for c in paper["categories"])
    assert isinstance(paper["sources"], list)
    assert all(isinstance(s, str) for s in paper["sources"])
    assert paper["hf_upvotes"] is None or type(paper["hf_upvotes"]) is int
    for flag in ("withdrawn", "read", "starred", "archived"):
        assert type(paper[flag]) is bool, flag
    assert isinstance(paper["tags"], list) and all(isinstance(t, str) for t in paper["tags"])
    assert isinstance(paper["note"], str)
    assert paper["url"] is None or isinstance(paper["url"], str)
    assert paper["pdf_url"] is None or isinstance(paper["pdf_url"], str)


# -- issue #2: foundation ---------------------------------------------------------------------


def test_readinglist_home_holds_database_and_config(cli: Cli) -> None:
    assert not cli.home.exists()
    assert cli.json("list", "--json") == []
    assert (cli.home / "library.sqlite3").is_file()
    cli.ok("config", "rss_include_replacements", "true")
    assert (cli.home / "config.json").is_file()


def test_list_json_is_an_array_of_contract_objects(stocked: Cli) -> None:
    papers = stocked.json("list", "--json")
    assert isinstance(papers, list) and len(papers) == 3
    for paper in papers:
        assert_contract_object(paper)
    flmm = by_title(papers)["F-LMM: Grounding Frozen Large Multimodal Models"]
    assert (flmm["arxiv_id"], flmm["version"], flmm["published"]) == ("2406.05821", 2,
                                                                      "2024-06-09")
    assert flmm["authors"] == ["Size Wu", "Sheng Jin"] and flmm["hf_upvotes"] == 12
    assert flmm["sources"] == ["hf-daily"]
    assert by_title(papers)["An old-style paper"]["arxiv_id"] == "hep-th/9901001"
    assert by_title(papers)["A journal article"]["doi"] == "10.1000/xyz.1"


def test_show_json_is_one_object(stocked: Cli) -> None:
    shown = stocked.json("show", "hep-th/9901001", "--json")
    assert isinstance(shown, dict)
    assert_contract_object(shown)
    assert shown["title"] == "An old-style paper" and shown["sources"] == ["arxiv-query"]
    plain = stocked.ok("show", "hep-th/9901001")
    assert "An old-style paper" in plain and "E. Witten" in plain


@pytest.mark.parametrize("ident", [*SIX_ID_FORMS, "hep-th/9901001", "10.1000/xyz.1",
                                   "10.1000/XYZ.1"])
def test_every_id_form_of_issue_2(stocked: Cli, ident: str) -> None:
    expected = {"hep-th/9901001": "An old-style paper", "10.1000/xyz.1": "A journal article",
                "10.1000/XYZ.1": "A journal article"}.get(
        ident, "F-LMM: Grounding Frozen Large Multimodal Models")
    assert stocked.json("show", ident, "--json")["title"] == expected
    stocked.ok("mark", ident, "--star")
    stocked.ok("tag", ident, "--add", "picked")
    stocked.ok("note", ident, "--set", f"named as {ident}")
    shown = stocked.json("show", ident, "--json")
    assert shown["starred"] is True and shown["tags"] == ["picked"]
    assert shown["note"] == f"named as {ident}"


def test_mark_takes_several_ids_and_every_flag(stocked: Cli) -> None:
    ids = ("2406.05821", "hep-th/9901001", "10.1000/xyz.1")
    for flag, field, value in (("--read", "read", True), ("--star", "starred", True),
                               ("--archive", "archived", True), ("--unread", "read", False),
                               ("--unstar", "starred", False),
                               ("--unarchive", "archived", False)):
        stocked.ok("mark", *ids, flag)
        assert {p[field] for p in stocked.json("list", "--view", "all", "--json")} == {value}
    stocked.ok("mark", "--read", "2406.05821")  # the flag before the ids
    assert stocked.json("show", "2406.05821", "--json")["read"] is True
    result = stocked("mark", "2406.05821")  # no flag: a usage error
    assert result.returncode != 0 and "Traceback" not in result.stderr


def test_tag_adds_and_removes_repeated_tags(stocked: Cli) -> None:
    stocked.ok("tag", "2406.05821", "hep-th/9901001", "--add", "to-read", "--add", "physics")
    stocked.ok("tag", "2406.05821", "--remove", "physics", "--add", "vision")
    assert sorted(stocked.json("show", "2406.05821", "--json")["tags"]) == ["to-read", "vision"]
    assert sorted(stocked.json("show", "hep-th/9901001", "--json")["tags"]) == [
        "physics", "to-read"]
    tagged = stocked.json("list", "--tag", "physics", "--json")
    assert [p["arxiv_id"] for p in tagged] == ["hep-th/9901001"]


def test_note_from_text_or_file(stocked: Cli, tmp_path: Path) -> None:
    stocked.ok("note", "2406.05821", "--set", "- compare with SAM")
    assert stocked.json("show", "2406.05821", "--json")["note"] == "- compare with SAM"
    path = tmp_path / "note.md"
    path.write_text("# Notes\n\nWitten's trick\n", encoding="utf-8")
    stocked.ok("note", "hep-th/9901001", "--file", str(path))
    assert stocked.json("show", "hep-th/9901001", "--json")["note"] == "# Notes\n\nWitten's trick\n"
    found = stocked.json("list", "--search", "trick", "--json")
    assert [p["arxiv_id"] for p in found] == ["hep-th/9901001"]


def test_views_search_and_limit(stocked: Cli) -> None:
    titles = lambda *args: [p["title"][:5] for p in stocked.json("list", *args, "--json")]
    assert titles() == ["A jou", "F-LMM", "An ol"]  # inbox, newest first
    stocked.ok("mark", "2406.05821", "--archive")
    stocked.ok("mark", "hep-th/9901001", "--star")
    assert titles() == ["A jou", "An ol"]
    assert titles("--view", "inbox") == ["A jou", "An ol"]
    assert titles("--view", "archived") == ["F-LMM"]
    assert titles("--view", "starred") == ["An ol"]
    assert titles("--view", "all") == ["A jou", "F-LMM", "An ol"]
    assert titles("--view", "all", "--limit", "2") == ["A jou", "F-LMM"]
    assert titles("--search", "author:witten") == ["An ol"]
    assert titles("--view", "all", "--search", "grounding") == ["F-LMM"]
    plain = stocked.ok("list", "--limit", "1")
    assert len(plain.strip().splitlines()) == 1 and "A journal article" in plain


def test_import_reads_list_json_back_and_keeps_triage(stocked: Cli, tmp_path: Path) -> None:
    stocked.ok("mark", "2406.05821", "--read")
    stocked.ok("tag", "2406.05821", "--add", "mine")
    exported = stocked.json("list", "--view", "all", "--json")
    dump = jsonl(tmp_path / "dump.jsonl", exported)
    out = stocked.ok("import", str(dump))  # the same papers again: merged, not duplicated
    assert "0 new" in out
    again = stocked.json("list", "--view", "all", "--json")
    assert len(again) == 3
    flmm = next(p for p in again if p["arxiv_id"] == "2406.05821")
    assert flmm["read"] is True and flmm["tags"] == ["mine"]
    fresh = stocked.other_home(tmp_path / "second-home")
    fresh.ok("import", str(dump))
    strip = lambda papers: [{k: p[k] for k in CONTRACT_FIELDS} for p in papers]
    assert strip(fresh.json("list", "--view", "all", "--json")) == strip(exported)


def test_list_json_saved_to_a_json_file_imports_back(stocked: Cli, tmp_path: Path) -> None:
    """``list --json > papers.json`` then ``import papers.json``: the same objects, not a
    CSL-JSON file whose entries are all skipped."""
    stocked.ok("mark", "hep-th/9901001", "--star")
    saved = tmp_path / "papers.json"
    saved.write_text(stocked.ok("list", "--view", "all", "--json"), encoding="utf-8")
    fresh = stocked.other_home(tmp_path / "from-array")
    assert "3 new" in fresh.ok("import", str(saved))
    papers = by_title(fresh.json("list", "--view", "all", "--json"))
    assert len(papers) == 3 and papers["An old-style paper"]["starred"] is True
    assert papers["F-LMM: Grounding Frozen Large Multimodal Models"]["version"] == 2


def test_bad_input_exits_non_zero_without_traceback(stocked: Cli, tmp_path: Path) -> None:
    assert "2501.00001" in stocked.failed("show", "2501.00001").stderr
    stocked.failed("mark", "2406.05821", "2501.00001", "--read")
    assert stocked.json("show", "2406.05821", "--json")["read"] is False  # nothing applied
    stocked.failed("show", "not-an-id")
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"arxiv_id": "2501.00002", "title": "Fine"}) + "\n{broken\n",
                   encoding="utf-8")
    assert "line 2" in stocked.failed("import", str(bad)).stderr
    stocked.failed("show", "2501.00002")  # nothing from that file was written
    stocked.failed("import", str(tmp_path / "absent.jsonl"))
    stocked.failed("list", "--view", "nowhere")


@pytest.mark.parametrize("where", ["before", "after"])
def test_debug_flag_shows_the_traceback(stocked: Cli, where: str) -> None:
    args = ["--debug", "show", "2501.00001"] if where == "before" else [
        "show", "2501.00001", "--debug"]
    result = stocked(*args)
    assert result.returncode == 1 and "Traceback" in result.stderr
    assert "no paper '2501.00001'" in result.stderr


def test_corrupt_database_is_reported_and_left_alone(cli: Cli) -> None:
    cli.home.mkdir(parents=True)
    garbage = b"not a database " * 500
    (cli.home / "library.sqlite3").write_bytes(garbage)
    assert "damaged" in cli.failed("list").stderr
    assert (cli.home / "library.sqlite3").read_bytes() == garbage


def test_without_a_command_the_desktop_app_starts(cli: Cli, server: TestServer) -> None:
    """Issue #4: ``readinglist`` alone opens the window; on the first run the Hugging Face
    daily subscription is on and a fetch starts at once."""
    serve_hf(server, {})
    env = {**cli.env, "READINGLIST_HOME": str(cli.home)}
    app = subprocess.Popen(COMMAND, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           text=True)
    try:
        deadline = time.monotonic() + 30
        while not (cli.home / "library.sqlite3").exists() and time.monotonic() < deadline:
            assert app.poll() is None, app.communicate()
            time.sleep(0.2)
        while not server.requests and time.monotonic() < deadline:
            time.sleep(0.2)
        assert app.poll() is None, app.communicate()  # a window, still running
        assert server.requests[0].path == "/api/daily_papers"
        assert "hf-daily" in cli.ok("subscriptions")
    finally:
        if app.poll() is None:
            app.send_signal(signal.SIGTERM)
        try:
            app.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            app.kill()
            app.communicate()


# -- issue #3: sources ------------------------------------------------------------------------


def serve_hf(server: TestServer, days: dict[str, list[dict[str, Any]]],
             prefix: str = "") -> None:
    """``/api/daily_papers`` paged as the real API pages (limit <= 100, p from 0)."""
    def handler(request: Request) -> Response:
        limit = int(request.query.get("limit", ["50"])[0])
        if limit > 100:
            return Response(400, json_bytes({"error": "limit too big"}), JSON_TYPE)
        items = days.get(request.query.get("date", [""])[0], [])
        page = int(request.query.get("p", ["0"])[0])
        return Response(200, json_bytes(items[page * limit:(page + 1) * limit]), JSON_TYPE)

    server.route(f"{prefix}/api/daily_papers", handler)


def test_fetch_hf_daily_pages_and_prints_new_and_updated(cli: Cli, server: TestServer) -> None:
    items = [hf_item(i, upvotes=5) for i in hf_ids(150)]
    serve_hf(server, {DAY.isoformat(): items})
    out = cli.ok("fetch", "hf-daily", "--date", DAY.isoformat())
    assert out == "hf-daily 2026-08-11: 150 new, 0 updated\n"
    asked = [(r.query.get("date"), r.query.get("p")) for r in server.requests]
    assert asked == [(["2026-08-11"], ["0"]), (["2026-08-11"], ["1"])]
    assert all(int(r.query["limit"][0]) <= 100 for r in server.requests)
    agent = server.requests[0].headers["user-agent"]
    assert "readinglist" in agent.lower() and __version__ in agent
    papers = cli.json("list", "--json")
    assert len(papers) == 150
    for paper in papers:
        assert_contract_object(paper)
        assert paper["sources"] == ["hf-daily"] and paper["hf_upvotes"] == 5
        assert paper["authors"] == ["Ana Garcia", "Wei Li"]
        assert paper["published"] == "2026-08-10"


def test_hf_refetch_keeps_upvotes_current_and_triage_untouched(cli: Cli,
                                                               server: TestServer) -> None:
    serve_hf(server, {DAY.isoformat(): [hf_item("2608.00001", upvotes=3)]})
    cli.ok("fetch", "hf-daily", "--date", DAY.isoformat())
    cli.ok("mark", "2608.00001", "--star")
    cli.ok("tag", "2608.00001", "--add", "keep")
    serve_hf(server, {DAY.isoformat(): [hf_item("2608.00001", upvotes=41, withdrawn=True)]})
    assert cli.ok("fetch", "hf-daily", "--date", DAY.isoformat()) == (
        "hf-daily 2026-08-11: 0 new, 1 updated\n")
    paper = cli.json("show", "2608.00001", "--json")
    assert paper["hf_upvotes"] == 41 and paper["withdrawn"] is True
    assert paper["starred"] is True and paper["tags"] == ["keep"]


def test_hf_empty_day_and_range_and_today(cli: Cli, server: TestServer) -> None:
    serve_hf(server, {"2026-08-14": [hf_item("2608.00001", listed=date(2026, 8, 14))]})
    assert cli.ok("fetch", "hf-daily", "--date", "2026-08-15") == (
        "hf-daily 2026-08-15: 0 new, 0 updated\n")
    out = cli.ok("fetch", "hf-daily", "--from", "2026-08-13", "--to", "2026-08-14")
    assert out == ("hf-daily 2026-08-13: 0 new, 0 updated\n"
                   "hf-daily 2026-08-14: 1 new, 0 updated\n")
    server.requests.clear()
    out = cli.ok("fetch", "hf-daily")
    today = datetime.now(UTC).date().isoformat()
    assert out == f"hf-daily {today}: 0 new, 0 updated\n"
    assert server.requests[0].query["date"] == [today]


def test_busy_or_failing_service_is_retried(cli: Cli, server: TestServer) -> None:
    good = Response(200, json_bytes([hf_item("2608.00001")]), JSON_TYPE)
    server.route("/api/daily_papers", [
        Response(503, b"busy", {"Content-Type": "text/plain"}),
        Response(429, b"slow down", {"Content-Type": "text/plain", "Retry-After": "1"}),
        good])
    assert cli.ok("fetch", "hf-daily", "--date", DAY.isoformat()) == (
        "hf-daily 2026-08-11: 1 new, 0 updated\n")
    assert len(server.requests) == 3
    assert server.requests[2].time - server.requests[1].time >= 0.9


def test_a_failed_fetch_changes_nothing_for_that_source(cli: Cli, server: TestServer) -> None:
    """The second page of a day is cut off: nothing of the first page is kept either."""
    items = [hf_item(i) for i in hf_ids(150)]
    first = json_bytes(items[:100])
    second = json_bytes(items[100:])

    def handler(request: Request) -> Response:
        if request.query.get("p") == ["0"]:
            return Response(200, first, JSON_TYPE)
        return Response(200, second, {**JSON_TYPE, "Content-Length": str(len(second))},
                        truncate_at=len(second) // 2)

    server.route("/api/daily_papers", handler)
    result = cli.failed("fetch", "hf-daily", "--date", DAY.isoformat())
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("readinglist: hf-daily 2026-08-11 failed: ")
    assert cli.json("list", "--view", "all", "--json") == []


def test_fetch_arxiv_rss_several_categories(cli: Cli, server: TestServer) -> None:
    listing = rss_listing([
        rss_item("2608.05001", 1, "new", categories=("cs.CL",),
                 creators="Marie Barth\\'elemy, Wei  Li"),
        rss_item("2608.05002", 2, "cross", categories=("cs.LG", "cs.CL")),
        rss_item("2608.05003", 3, "replace", categories=("cs.LG",)),
    ], "cs.CL+cs.LG")
    server.route("/rss/cs.CL+cs.LG", Response(200, listing, RSS_TYPE))
    out = cli.ok("fetch", "arxiv-rss", "cs.CL", "cs.LG")
    assert re.match(r"^arxiv-rss cs\.CL\+cs\.LG: 2 new, 0 updated\b", out)
    assert [r.path for r in server.requests] == ["/rss/cs.CL+cs.LG"]
    papers = {p["arxiv_id"]: p for p in cli.json("list", "--json")}
    assert set(papers) == {"2608.05001", "2608.05002"}  # the replacement stays out
    assert papers["2608.05001"]["authors"] == ["Marie Barthélemy", "Wei Li"]
    assert papers["2608.05002"]["version"] == 2
    for paper in papers.values():
        assert_contract_object(paper)
        assert paper["sources"] == ["arxiv-rss"]


def test_rss_replacement_raises_the_version_of_a_hf_paper(cli: Cli, server: TestServer) -> None:
    serve_hf(server, {DAY.isoformat(): [hf_item("2608.05003")]})
    cli.ok("fetch", "hf-daily", "--date", DAY.isoformat())
    server.route("/rss/cs.LG", Response(200, rss_listing(
        [rss_item("2608.05003", 3, "replace", categories=("cs.LG",))], "cs.LG"), RSS_TYPE))
    assert cli.ok("fetch", "arxiv-rss", "cs.LG").startswith("arxiv-rss cs.LG: 0 new, 1 updated")
    paper = cli.json("show", "2608.05003", "--json")
    assert paper["version"] == 3 and paper["sources"] == ["arxiv-rss", "hf-daily"]


def serve_api(server: TestServer, entries: list[str], path: str = "/api/query") -> None:
    """``/api/query`` paged by ``start``/``max_results`` as the real API pages."""
    def handler(request: Request) -> Response:
        start = int(request.query.get("start", ["0"])[0])
        size = int(request.query.get("max_results", ["10"])[0])
        if size > 2000:
            return Response(400, b"max_results too large", {"Content-Type": "text/plain"})
        page = entries[start:start + size]
        return Response(200, api_feed(page, total=len(entries), start=start, per_page=size),
                        ATOM_TYPE)

    server.route(path, handler)


def test_fetch_arxiv_query_with_max(cli: Cli, server: TestServer) -> None:
    serve_api(server, [api_entry(f"2608.{n:05d}", 2, authors=("Ana Garcia", "Wei Li"),
                                 published="2026-08-10T15:11:09Z") for n in range(1, 31)])
    out = cli.ok("fetch", "arxiv-query", "all:recurrent", "--max", "12")
    assert out == 'arxiv-query "all:recurrent": 12 new, 0 updated\n'
    assert server.requests[0].query["search_query"] == ["all:recurrent"]
    assert sum(int(r.query["max_results"][0]) for r in server.requests) <= 12
    papers = cli.json("list", "--json")
    assert len(papers) == 12
    for paper in papers:
        assert_contract_object(paper)
        assert paper["sources"] == ["arxiv-query"] and paper["version"] == 2
        assert paper["published"] == "2026-08-10"
        assert paper["authors"] == ["Ana Garcia", "Wei Li"]


def test_arxiv_query_pages_at_most_2000_per_call(cli: Cli, server: TestServer) -> None:
    serve_api(server, [api_entry(f"2607.{n:05d}") for n in range(1, 2301)])
    out = cli.ok("fetch", "arxiv-query", "cat:cs.CL", "--max", "2300", timeout=180)
    assert out == 'arxiv-query "cat:cs.CL": 2300 new, 0 updated\n'
    assert len(server.requests) >= 2
    assert all(int(r.query["max_results"][0]) <= 2000 for r in server.requests)


def test_arxiv_query_for_an_id_list(cli: Cli, server: TestServer) -> None:
    serve_api(server, [api_entry("2608.04417", 3), api_entry("hep-th/9901001", 1)])
    out = cli.ok("fetch", "arxiv-query", "2608.04417 hep-th/9901001")
    assert out.endswith(": 2 new, 0 updated\n")
    assert server.requests[0].query["id_list"] == ["2608.04417,hep-th/9901001"]
    assert cli.json("show", "hep-th/9901001", "--json")["sources"] == ["arxiv-query"]


def test_arxiv_error_feed_is_a_clear_one_line_message(cli: Cli, server: TestServer) -> None:
    server.route("/api/query", Response(400, fixture("arxiv_api_error.xml"), ATOM_TYPE))
    result = cli.failed("fetch", "arxiv-query", "abc")
    assert result.returncode == 1 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith('readinglist: arxiv-query "abc" failed:')
    assert "incorrect id format for abc" in line


def test_fetch_rss_merges_with_the_arxiv_record(cli: Cli, server: TestServer) -> None:
    serve_api(server, [api_entry("2608.05001", 1)])
    cli.ok("fetch", "arxiv-query", "2608.05001")
    server.route("/blog.xml", Response(200, fixture("blog_atom.xml"), ATOM_TYPE))
    url = f"{server.url}/blog.xml"
    assert cli.ok("fetch", "rss", url) == f"rss {url}: 1 new, 1 updated\n"
    papers = cli.json("list", "--json")
    assert len(papers) == 2
    merged = cli.json("show", "2608.05001", "--json")
    assert merged["sources"] == ["arxiv-query", "rss"]
    blog = next(p for p in papers if p["arxiv_id"] is None)
    assert_contract_object(blog)
    assert blog["sources"] == ["rss"]


def test_html_page_instead_of_a_feed_is_an_error(cli: Cli, server: TestServer) -> None:
    server.route("/rss/cs.CL", Response(200, fixture("maintenance.html"), HTML_TYPE))
    result = cli.failed("fetch", "arxiv-rss", "cs.CL")
    assert result.stderr.startswith("readinglist: arxiv-rss cs.CL failed: ")
    assert cli.json("list", "--json") == []


def test_subscriptions_and_fetch_of_every_one(cli: Cli, server: TestServer) -> None:
    cli.ok("subscribe", "hf-daily")
    cli.ok("subscribe", "arxiv-rss", "cs.CL", "cs.LG")
    cli.ok("subscribe", "rss", f"{server.url}/blog.xml")
    cli.ok("subscribe", "rss", f"{server.url}/down.xml")
    listed = cli.ok("subscriptions")
    for wanted in ("hf-daily", "cs.CL", "cs.LG", f"{server.url}/blog.xml"):
        assert wanted in listed
    today = datetime.now(UTC).date()
    serve_hf(server, {today.isoformat(): [hf_item("2608.00001", listed=today)]})
    server.route("/rss/cs.CL+cs.LG", Response(200, fixture("arxiv_rss_cs.LG.xml"), RSS_TYPE))
    server.route("/blog.xml", Response(200, fixture("blog_atom.xml"), ATOM_TYPE))
    server.route("/down.xml", Response(200, fixture("maintenance.html"), HTML_TYPE))
    result = cli("fetch")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    lines = result.stdout.splitlines()
    hf_lines = [line for line in lines if line.startswith("hf-daily ")]
    assert 1 <= len(hf_lines) <= 7 and f"hf-daily {today}: 1 new, 0 updated" in hf_lines
    assert any(re.match(r"^arxiv-rss cs\.CL\+cs\.LG: \d+ new, \d+ updated", x) for x in lines)
    assert any(re.match(rf"^rss {re.escape(server.url)}/blog\.xml: \d+ new, \d+ updated", x)
               for x in lines)
    failures = [x for x in result.stderr.splitlines() if " failed: " in x]
    assert len(failures) == 1 and f"rss {server.url}/down.xml failed: " in failures[0]
    sources = {s for p in cli.json("list", "--json") for s in p["sources"]}
    assert sources == {"hf-daily", "arxiv-rss", "rss"}
    cli.ok("unsubscribe", "rss", f"{server.url}/down.xml")
    cli.ok("unsubscribe", "arxiv-rss", "cs.LG")
    cli.ok("unsubscribe", "hf-daily")
    listed = cli.ok("subscriptions")
    assert "down.xml" not in listed and "cs.LG" not in listed and "hf-daily" not in listed
    assert "cs.CL" in listed
    cli.failed("unsubscribe", "arxiv-rss", "math.AP")


def test_fetch_backfills_up_to_seven_missed_days(cli: Cli, server: TestServer) -> None:
    today = datetime.now(UTC).date()
    days = {(today - timedelta(days=n)).isoformat(): [
        hf_item(f"2608.{n + 1:05d}", listed=today - timedelta(days=n))] for n in range(10)}
    serve_hf(server, days)
    cli.ok("subscribe", "hf-daily")
    out = cli.ok("fetch")
    assert len(out.splitlines()) == 7
    assert len(cli.json("list", "--json")) == 7


def test_endpoint_variables_are_bases_the_client_appends_to(cli: Cli,
                                                            server: TestServer) -> None:
    serve_hf(server, {DAY.isoformat(): [hf_item("2608.00001")]}, prefix="/mirror/hf")
    server.route("/mirror/rss/cs.CL", Response(200, rss_listing(
        [rss_item("2608.05001")]), RSS_TYPE))
    serve_api(server, [api_entry("2608.06001")], path="/mirror/export/api/query")
    mirror = {"READINGLIST_HF_URL": f"{server.url}/mirror/hf",
              "READINGLIST_ARXIV_RSS_URL": f"{server.url}/mirror/rss",
              "READINGLIST_ARXIV_API_URL": f"{server.url}/mirror/export/api/query"}
    assert cli.ok("fetch", "hf-daily", "--date", DAY.isoformat(), **mirror).endswith(
        ": 1 new, 0 updated\n")
    assert cli.ok("fetch", "arxiv-rss", "cs.CL", **mirror).startswith(
        "arxiv-rss cs.CL: 1 new")
    assert cli.ok("fetch", "arxiv-query", "all:x", **mirror).endswith(": 1 new, 0 updated\n")
    assert [r.path for r in server.requests] == [
        "/mirror/hf/api/daily_papers", "/mirror/rss/cs.CL", "/mirror/export/api/query"]


def test_unchanged_feed_costs_nothing_on_the_next_run(cli: Cli, server: TestServer) -> None:
    body = rss_listing([rss_item("2608.05001")])

    def handler(request: Request) -> Response:
        if request.headers.get("if-none-match") == '"v1"':
            return Response(304, b"", {"ETag": '"v1"'})
        return Response(200, body, {**RSS_TYPE, "ETag": '"v1"'})

    server.route("/rss/cs.CL", handler)
    assert cli.ok("fetch", "arxiv-rss", "cs.CL").startswith("arxiv-rss cs.CL: 1 new")
    assert cli.ok("fetch", "arxiv-rss", "cs.CL").startswith("arxiv-rss cs.CL: 0 new, 0 updated")
    assert server.requests[1].headers.get("if-none-match") == '"v1"'


def test_arxiv_requests_are_three_seconds_apart_by_default(cli: Cli,
                                                           server: TestServer) -> None:
    serve_api(server, [api_entry(f"2608.{n:05d}") for n in range(1, 251)])
    out = cli.ok("fetch", "arxiv-query", "all:x", "--max", "250",
                 READINGLIST_ARXIV_DELAY=None)
    assert out.endswith(": 250 new, 0 updated\n")
    times = [r.time for r in server.requests]
    assert len(times) >= 2
    assert all(b - a >= 2.9 for a, b in zip(times, times[1:]))


# -- issue #5: PDFs ---------------------------------------------------------------------------


def pdf_bytes(tmp_path: Path, **kwargs: Any) -> bytes:
    from tests.pdf.pdfgen import make_paper

    return make_paper(tmp_path / "generated.pdf", pages=3, **kwargs).read_bytes()


PDF_TYPE = {"Content-Type": "application/pdf"}


def test_pdf_downloads_the_library_version_and_prints_the_path(stocked: Cli, server: TestServer,
                                                               tmp_path: Path) -> None:
    data = pdf_bytes(tmp_path)
    server.route("/pdf/2406.05821v2", Response(200, data, PDF_TYPE))
    server.route("/pdf/hep-th/9901001", Response(200, data, PDF_TYPE))
    path = Path(stocked.ok("pdf", "arXiv:2406.05821").strip())
    assert path.read_bytes() == data
    assert path.resolve().is_relative_to(stocked.home.resolve())
    assert Path(stocked.ok("pdf", "2406.05821").strip()) == path  # cached
    old = Path(stocked.ok("pdf", "hep-th/9901001").strip())
    assert old.read_bytes() == data and old.resolve().is_relative_to(stocked.home.resolve())
    assert [r.path for r in server.requests] == ["/pdf/2406.05821v2", "/pdf/hep-th/9901001"]


def test_pdf_html_page_is_rejected_and_nothing_cached(stocked: Cli, server: TestServer) -> None:
    server.route("/pdf/2406.05821v2", Response(200, b"<html>Are you a robot?</html>",
                                               {"Content-Type": "text/html"}))
    before = {p for p in stocked.home.rglob("*") if p.is_file()}
    stocked.failed("pdf", "2406.05821")
    after = {p for p in stocked.home.rglob("*") if p.is_file()}
    assert not [p for p in after - before if p.suffix in (".pdf", ".part")]


def test_pdf_size_cap_is_configurable(stocked: Cli, server: TestServer, tmp_path: Path) -> None:
    import pymupdf

    doc = pymupdf.open(stream=pdf_bytes(tmp_path), filetype="pdf")
    doc.embfile_add("noise.bin", os.urandom(2 * 1024 * 1024))  # a 2 MB PDF
    big = doc.tobytes()
    assert len(big) > 2 * 1024 * 1024
    server.route("/pdf/2406.05821v2", Response(200, big, PDF_TYPE))
    stocked.ok("config", "pdf_max_mb", "1")
    stocked.failed("pdf", "2406.05821")
    assert not [p for p in stocked.home.rglob("*") if p.suffix in (".pdf", ".part")]
    stocked.ok("config", "pdf_max_mb", "5")
    assert Path(stocked.ok("pdf", "2406.05821").strip()).read_bytes() == big


def test_annotations_json_and_markdown_export(stocked: Cli, server: TestServer,
                                              tmp_path: Path) -> None:
    server.route("/pdf/2406.05821v2", Response(200, pdf_bytes(tmp_path, annotations=True),
                                               PDF_TYPE))
    stocked.ok("pdf", "2406.05821")
    found = stocked.json("annotations", "2406.05821", "--json")
    assert len(found) == 3
    for annotation in found:
        assert {"page", "kind", "text", "comment", "color"} <= set(annotation)
        assert type(annotation["page"]) is int and isinstance(annotation["color"], str)
    assert {a["kind"] for a in found} == {"highlight", "note", "underline"}
    assert "Introduction" in stocked.ok("annotations", "2406.05821")
    markdown = stocked.ok("export", "2406.05821", "--format", "markdown")
    assert markdown.startswith("# F-LMM") and "Introduction" in markdown
    assert "check this claim" in markdown


def test_open_starts_the_viewer_on_the_paper(stocked: Cli, server: TestServer,
                                            tmp_path: Path) -> None:
    """``readinglist open ID`` opens the viewer directly, fetching the PDF it needs."""
    server.route("/pdf/2406.05821v2", Response(200, pdf_bytes(tmp_path), PDF_TYPE))
    env = {**stocked.env, "READINGLIST_HOME": str(stocked.home)}
    viewer = subprocess.Popen([*COMMAND, "open", "2406.05821"], env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 30
        while not server.requests and time.monotonic() < deadline:
            assert viewer.poll() is None, viewer.communicate()
            time.sleep(0.2)
        time.sleep(1)
        assert viewer.poll() is None, viewer.communicate()
        assert [r.path for r in server.requests] == ["/pdf/2406.05821v2"]
    finally:
        if viewer.poll() is None:
            viewer.send_signal(signal.SIGTERM)
        try:
            viewer.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            viewer.kill()
            viewer.communicate()


def test_open_an_unknown_paper_fails_cleanly(stocked: Cli) -> None:
    assert "2501.00001" in stocked.failed("open", "2501.00001").stderr


# -- issue #6: sync ---------------------------------------------------------------------------


def test_sync_through_a_folder_between_two_homes(stocked: Cli, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    laptop, desktop = stocked, stocked.other_home(tmp_path / "desktop")
    for home in (laptop, desktop):
        home.ok("sync", "setup", "folder", str(shared))
    laptop.ok("tag", "2406.05821", "--add", "train")
    laptop.ok("note", "2406.05821", "--set", "read on the train")
    assert re.search(r"pushed [1-9]", laptop.ok("sync"))
    assert re.search(r"pulled [1-9]", desktop.ok("sync"))
    paper = desktop.json("show", "2406.05821", "--json")
    assert paper["tags"] == ["train"] and paper["note"] == "read on the train"
    status = desktop.ok("sync", "status")
    assert str(shared) in status


def test_sync_setup_webdav_with_password_on_stdin(stocked: Cli, dav_url: str) -> None:
    stocked.ok("sync", "setup", "webdav", dav_url, "--user", "alice", "--password-stdin",
               stdin="secret\n", READINGLIST_WEBDAV_PASSWORD=None)
    assert re.search(r"pushed [1-9]", stocked.ok("sync", READINGLIST_WEBDAV_PASSWORD=None))
    assert dav_url.rstrip("/") in stocked.ok("sync", "status").rstrip()
    for path in stocked.home.rglob("*"):
        if path.is_file():
            assert b"secret" not in path.read_bytes(), path


def test_sync_webdav_password_from_the_environment(stocked: Cli, dav_url: str,
                                                   tmp_path: Path) -> None:
    stocked.ok("sync", "setup", "webdav", dav_url, "--user", "alice",
               READINGLIST_WEBDAV_PASSWORD="secret")
    stocked.ok("sync", READINGLIST_WEBDAV_PASSWORD="secret")
    wrong = stocked.other_home(tmp_path / "wrong")
    wrong.failed("sync", "setup", "webdav", dav_url, "--user", "alice", "--password-stdin",
                 stdin="not-the-password\n")
