"""Foundation benchmarks: import rate, FTS search, first inbox page, ``list`` end to end.

    .venv/bin/python benchmarks/bench_library.py [-n 100000]

Prints figures; targets from issue 2 are shown beside them.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.generate_library import build_library, write_jsonl  # noqa: E402
from readinglist.services.library import Library  # noqa: E402
from readinglist.storage import queries  # noqa: E402

QUERIES = [
    "diffusion", "language model", '"large language"', "reinforcement learning policy",
    "author:zhang", "author:müller", "tag:llm", "is:starred", "graph neural", "quantum",
    "protein molecule", "transformer attention", "source:hf-daily diffusion", "since:2026-01-01",
    "cat:cs.CL alignment", "is:unread vision", "bayesian uncertainty", "spars", "tag:survey rl",
    "time series forecasting",
]


def bare_import(jsonl: Path, target: Path) -> float:
    """The baseline: parse the same JSON Lines and executemany the rows into a plain table."""
    started = time.perf_counter()
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute(
        "CREATE TABLE papers (arxiv_id TEXT, version INT, title TEXT, authors TEXT, abstract TEXT,"
        " published TEXT, categories TEXT, sources TEXT, hf_upvotes INT, withdrawn INT, read INT,"
        " starred INT, archived INT, tags TEXT, note TEXT)")
    with open(jsonl, encoding="utf-8") as handle:
        rows = []
        for line in handle:
            p = json.loads(line)
            rows.append((p["arxiv_id"], p["version"], p["title"], json.dumps(p["authors"]),
                         p["abstract"], p["published"], json.dumps(p["categories"]),
                         json.dumps(p["sources"]), p["hf_upvotes"], p["withdrawn"], p["read"],
                         p["starred"], p["archived"], json.dumps(p["tags"]), p["note"]))
    connection.execute("BEGIN")
    connection.executemany("INSERT INTO papers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
    connection.execute("COMMIT")
    connection.close()
    return time.perf_counter() - started


def timed(fn, repeat: int = 1) -> list[float]:  # type: ignore[no-untyped-def]
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=100_000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rl-bench-"))
    try:
        jsonl = write_jsonl(work / "papers.jsonl", args.n)
        bare = bare_import(jsonl, work / "bare.sqlite3")
        library = Library(work / "library.sqlite3")
        started = time.perf_counter()
        counts = library.import_jsonl(jsonl)
        ours = time.perf_counter() - started
        library.close()
        print(f"import of {args.n} papers: readinglist {ours:.1f} s ({args.n / ours:,.0f}/s), "
              f"bare sqlite3 executemany {bare:.1f} s ({args.n / bare:,.0f}/s), "
              f"ratio {ours / bare:.2f} (target <= 3); {counts.new} new")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    home = build_library(100_000)
    library = Library(home / "library.sqlite3")
    library.list(limit=200)  # warm the page cache
    search_times = []
    for query in QUERIES:
        times = timed(lambda: library.list(view="all", query=query, limit=200), repeat=3)
        search_times.append(statistics.median(times))
    print(f"FTS search, first 200 results by date, 20 queries on 100k: median "
          f"{statistics.median(search_times):.1f} ms, p95 {p95(search_times):.1f} ms, "
          f"max {max(search_times):.1f} ms (target p95 <= 20 ms)")
    flt = library.make_filter("inbox")

    def first_page_rows() -> None:
        with library.store.transaction() as conn:
            queries.rows_by_ids(conn, queries.paper_ids(conn, flt, limit=200))

    rows_ms = statistics.median(timed(first_page_rows, repeat=20))
    dto_ms = statistics.median(timed(lambda: library.list(limit=200), repeat=20))
    print(f"inbox first page (200 rows by date): list rows {rows_ms:.1f} ms, full paper objects "
          f"{dto_ms:.1f} ms (target <= 10 ms)")
    library.close()
    env = {**os.environ, "READINGLIST_HOME": str(home)}
    command = [str(ROOT / ".venv" / "bin" / "readinglist"), "list", "--limit", "20"]
    if not Path(command[0]).exists():
        command = [sys.executable, "-m", "readinglist", "list", "--limit", "20"]
    cli_times = []
    for _ in range(7):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
        cli_times.append(time.perf_counter() - started)
    print(f"`readinglist list --limit 20` end to end on 100k: median "
          f"{statistics.median(cli_times):.2f} s, max {max(cli_times):.2f} s (target <= 0.5 s)")


if __name__ == "__main__":
    main()
