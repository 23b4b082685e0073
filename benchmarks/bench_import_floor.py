"""How low can an import into our schema go? The SQL-only floor against issue 2's baseline.

    .venv/bin/python benchmarks/bench_import_floor.py [-n 100000]

An experiment, not the product's import: the JSON Lines are put into a temporary table as
text and everything else is done by SQLite in C — no Python per paper at all. The papers rows
(fields pulled out with ``->>``), their FTS index, their sources, one op per paper *without*
its value (as if op values were read from the papers table at push time) and the archived/
read ops with their clocks. Left out, though the real import needs them: validating every
field and naming the bad line, id and whitespace normalising, merging into papers already
there, the metadata ranks, tags, notes. The ratio printed is therefore a lower bound for
any import that indexes and records what it writes, measured against the same baseline as
``bench_library.py`` (``json.loads`` + one ``executemany`` into a plain table), in the same run.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.bench_library import bare_import  # noqa: E402
from benchmarks.generate_library import build_library  # noqa: E402
from readinglist.services.library import Library  # noqa: E402

PAPERS = """INSERT INTO papers (key, arxiv_id, version, published, listed_on, read, starred,
  archived, deleted, withdrawn, hf_upvotes, note_conflict, primary_category, categories, doi,
  added_at, sources_text, tags_text, meta_rank, url, title, authors_text, authors, abstract,
  note)
  SELECT j->>'arxiv_id', j->>'arxiv_id', j->>'version', j->>'published', j->>'listed_on',
   j->>'read', j->>'starred', j->>'archived', 0, j->>'withdrawn', j->>'hf_upvotes', 0,
   j->>'primary_category', j->'categories', j->>'doi', '2026-11-28T00:00:00',
   coalesce((SELECT group_concat(value, ' ') FROM json_each(j, '$.sources')), ''),
   coalesce((SELECT group_concat(value, ' ') FROM json_each(j, '$.tags')), ''), '1',
   'https://arxiv.org/abs/' || (j->>'arxiv_id'), j->>'title',
   (SELECT group_concat(value, ', ') FROM json_each(j, '$.authors')), j->'authors',
   j->>'abstract', j->>'note'
  FROM (SELECT line AS j FROM staging ORDER BY n)"""
STEPS = [
    ("check", ["SELECT count(*) FROM staging WHERE NOT json_valid(line) "
               "OR json_type(line, '$.title') != 'text' OR json_type(line, '$.authors') != 'array'"
               " OR json_type(line, '$.abstract') != 'text'"]),
    ("papers", ["INSERT INTO fts_pause VALUES (1)", PAPERS]),
    ("fts", ["INSERT INTO papers_fts(rowid, title, abstract, authors_text, tags_text, note) "
             "SELECT id, title, abstract, authors_text, tags_text, note FROM papers",
             "DELETE FROM fts_pause"]),
    ("sources", ["INSERT OR IGNORE INTO paper_sources(paper_id, source, first_seen) "
                 "SELECT st.n, s.value, '2026-11-28T00:00:00' FROM staging st, "
                 "json_each(st.line, '$.sources') s"]),
    ("ops", [f"INSERT INTO ops(device_id, seq, hlc, entity, entity_id, kind, field, value) "
             f"SELECT 'dev', {base} + n, printf('%015d.%05d', 1764288000000 + {base}, n), "
             f"'paper', line->>'arxiv_id', '{kind}', '{field}', {value} FROM staging {where}"
             for base, kind, field, value, where in (
                 (0, "upsert", "", "NULL", ""),
                 (200_000, "set", "archived", "'true'", "WHERE line->>'archived'"),
                 (400_000, "set", "read", "'true'", "WHERE line->>'read'"))]
     + ["INSERT INTO field_clocks(entity, entity_id, field, hlc, device_id, value) "
        "SELECT 'paper', line->>'arxiv_id', 'archived', printf('%015d.%05d', 1764288200000, n), "
        "'dev', 'true' FROM staging WHERE line->>'archived'"]),
]


def sql_floor(jsonl: Path, database: Path) -> dict[str, float]:
    """Seconds per step of the SQL-only import into an empty library at ``database``."""
    Library(database).close()  # the real schema, migrated
    times: dict[str, float] = {}
    started = time.perf_counter()
    lines = jsonl.read_bytes().decode("utf-8").splitlines()
    connection = sqlite3.connect(database, isolation_level=None)
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("CREATE TEMP TABLE staging(n INTEGER PRIMARY KEY, line TEXT)")
    connection.executemany("INSERT INTO staging VALUES (?, ?)", enumerate(lines, 1))
    times["read + staging"] = time.perf_counter() - started
    for name, statements in STEPS:
        step = time.perf_counter()
        for sql in statements:
            connection.execute(sql).fetchall()
        times[name] = time.perf_counter() - step
    step = time.perf_counter()
    connection.execute("COMMIT")
    connection.close()  # the last connection checkpoints the WAL into the file
    times["commit + checkpoint"] = time.perf_counter() - step
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000)
    args = parser.parse_args()
    jsonl = build_library(args.n) / "papers.jsonl"
    work = Path(tempfile.mkdtemp(prefix="bench-floor-", dir=ROOT / ".bench"))
    try:
        bare = bare_import(jsonl, work / "bare.sqlite3")
        times = sql_floor(jsonl, work / "library.sqlite3")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    total = sum(times.values())
    print(f"bare baseline (json.loads + executemany):  {bare:6.2f} s")
    for name, seconds in times.items():
        print(f"  {name:<24} {seconds:6.2f} s")
    print(f"SQL-only floor, no Python per paper:       {total:6.2f} s: ratio {total / bare:.2f} "
          "(issue 2's target: <= 3)")


if __name__ == "__main__":
    main()
