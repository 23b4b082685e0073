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


def storage_floor(jsonl: Path, target: Path) -> float:
    """What the library's tables cost with no Python logic at all: the same JSON Lines read and
    decoded, rows built by plain indexing, then one ``executemany`` each into ``papers`` (its
    indexes), the FTS index (one INSERT ... SELECT), the op log (one op per paper, its JSON) and
    the paper sources, in one transaction. No validation, merging, clocks or triage ops."""
    from readinglist.storage.fts import INDEX_ID_RANGE, PAUSE_FTS, RESUME_FTS

    Library(target).close()  # an empty library at the current schema
    started = time.perf_counter()
    connection = sqlite3.connect(target, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("PRAGMA cache_size=-32000")
    papers, ops, sources = [], [], []
    with open(jsonl, encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            p = json.loads(line)
            papers.append((number, p["arxiv_id"], p["arxiv_id"], p["version"], p["published"],
                           p["read"], p["starred"], p["archived"], p["withdrawn"],
                           p["hf_upvotes"], p["primary_category"], json.dumps(p["categories"]),
                           "2026-01-01T00:00:00+00:00", " ".join(p["sources"]),
                           " ".join(p["tags"]), p["title"], ", ".join(p["authors"]),
                           json.dumps(p["authors"]), p["abstract"], p["note"]))
            ops.append((number, f"{number:021d}", p["arxiv_id"], json.dumps(p)))
            sources.extend((number, source) for source in p["sources"])
    connection.execute("BEGIN")
    connection.execute(PAUSE_FTS)
    connection.executemany(
        "INSERT INTO papers (id, key, arxiv_id, version, published, read, starred, archived,"
        " deleted, withdrawn, hf_upvotes, note_conflict, primary_category, categories, added_at,"
        " sources_text, tags_text, meta_rank, title, authors_text, authors, abstract, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, 0, ?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?)", papers)
    connection.execute(RESUME_FTS)
    connection.execute(INDEX_ID_RANGE, (1, len(papers)))
    connection.executemany(
        "INSERT INTO ops (device_id, seq, hlc, entity, entity_id, kind, field, value)"
        " VALUES ('floor', ?, ?, 'paper', ?, 'upsert', '', ?)", ops)
    connection.executemany(
        "INSERT INTO paper_sources (paper_id, source, first_seen) VALUES (?, ?, '2026-01-01')",
        sources)
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
        floor = storage_floor(jsonl, work / "floor.sqlite3")
        print(f"import of {args.n} papers: readinglist {ours:.1f} s ({args.n / ours:,.0f}/s), "
              f"bare sqlite3 executemany {bare:.1f} s ({args.n / bare:,.0f}/s), "
              f"ratio {ours / bare:.2f} (target <= 3); {counts.new} new")
        print(f"  storage floor (the same tables written with no Python logic): {floor:.1f} s, "
              f"ratio {floor / bare:.2f}; readinglist / floor {ours / floor:.2f}")
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
