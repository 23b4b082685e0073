"""How low can parse + merge go? A floor for issue 3's ratio, against the same bare parse.

    .venv/bin/python benchmarks/bench_sources_floor.py [--one-hf-transaction]

An experiment, not the product's fetch: the same response bodies as ``bench_sources.py``
(10,000 arXiv API entries in 50 pages, 10,000 Hugging Face items in 100 days) are parsed with
the same ``defusedxml`` / ``json.loads`` as the baseline, the fields are pulled out with no
checks or normalising at all (no whitespace, entities, TeX accents, id parsing, versions,
dates), and written into a copy of the 100k-paper library as plain inserts — new rows only
(``INSERT OR IGNORE``: papers already there are not merged), their FTS index, one op per
paper without its value, sources — one transaction per source fetch as the issue asks
(1 for the query, 100 for the days). No HTTP client either. The ratio printed is therefore a
lower bound for any fetch that parses, indexes and records what it writes.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.bench_sources import bare_parse, existing_keys, make_bodies  # noqa: E402
from benchmarks.generate_library import build_library  # noqa: E402

ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV = "{http://arxiv.org/schemas/atom}"
INSERT = ("INSERT OR IGNORE INTO papers (key, arxiv_id, published, read, starred, archived, "
          "deleted, withdrawn, hf_upvotes, note_conflict, primary_category, categories, added_at,"
          " sources_text, tags_text, meta_rank, title, authors_text, authors, abstract, note) "
          "VALUES (?, ?, ?, 0, 0, 0, 0, 0, ?, 0, ?, ?, '2026-11-28', ?, '', '1', ?, ?, ?, ?, '')")


def api_rows(body: bytes) -> list[tuple[object, ...]]:
    from defusedxml.ElementTree import fromstring

    rows = []
    for entry in fromstring(body).iter(f"{ATOM}entry"):
        key = (entry.findtext(f"{ATOM}id") or "").rsplit("/", 1)[-1].split("v")[0]
        authors = [a.findtext(f"{ATOM}name") or "" for a in entry.iter(f"{ATOM}author")]
        cats = [c.get("term") for c in entry.iter(f"{ATOM}category")]
        rows.append((key, key, (entry.findtext(f"{ATOM}published") or "")[:10], None,
                     cats[0] if cats else None, json.dumps(cats), "arxiv-query",
                     entry.findtext(f"{ATOM}title"), ", ".join(authors), json.dumps(authors),
                     entry.findtext(f"{ATOM}summary")))
    return rows


def hf_rows(body: bytes) -> list[tuple[object, ...]]:
    rows = []
    for item in json.loads(body):
        paper = item["paper"]
        authors = [a["name"] for a in paper["authors"]]
        rows.append((paper["id"], paper["id"], paper["publishedAt"][:10], paper["upvotes"], None,
                     "[]", "hf-daily", paper["title"], ", ".join(authors), json.dumps(authors),
                     paper["summary"]))
    return rows


def write(connection: sqlite3.Connection, rows: list[tuple[object, ...]], seq: int) -> int:
    """One source fetch: one transaction."""
    connection.execute("BEGIN IMMEDIATE")
    top = connection.execute("SELECT coalesce(max(id), 0) FROM papers").fetchone()[0]
    connection.execute("INSERT INTO fts_pause VALUES (1)")
    connection.executemany(INSERT, rows)
    connection.execute("DELETE FROM fts_pause")
    connection.execute("INSERT INTO papers_fts(rowid, title, abstract, authors_text, tags_text, "
                       "note) SELECT id, title, abstract, authors_text, tags_text, note "
                       "FROM papers WHERE id > ?", (top,))
    connection.executemany(
        "INSERT OR IGNORE INTO paper_sources(paper_id, source, first_seen) "
        "SELECT id, ?, '2026-11-28' FROM papers WHERE key = ?", [(r[6], r[0]) for r in rows])
    connection.executemany(
        "INSERT INTO ops(device_id, seq, hlc, entity, entity_id, kind, field) "
        "VALUES ('floor', ?, printf('%015d.00000', ?), 'paper', ?, 'upsert', '')",
        [(seq + n, 1764288000000 + seq + n, r[0]) for n, r in enumerate(rows, 1)])
    connection.execute("COMMIT")
    return seq + len(rows)


def main() -> None:
    folder = build_library(100_000)
    api_pages, hf_pages = make_bodies(10_000, 10_000, existing_keys(folder, 2000))
    bare = statistics.median(bare_parse(api_pages, hf_pages) for _ in range(5))
    work = Path(tempfile.mkdtemp(prefix="bench-sources-floor-", dir=ROOT / ".bench"))
    try:
        for name in os.listdir(folder):
            if name.startswith("library.sqlite3") and not name.endswith(".bak"):
                shutil.copy2(folder / name, work / name)
        connection = sqlite3.connect(work / "library.sqlite3", isolation_level=None)
        connection.execute("PRAGMA synchronous=NORMAL")
        started = time.perf_counter()
        rows = [row for body in api_pages for row in api_rows(body)]
        seq = write(connection, rows, 0)
        if "--one-hf-transaction" in sys.argv:  # the whole day range as one source fetch
            seq = write(connection, [row for body in hf_pages for row in hf_rows(body)], seq)
        else:
            for body in hf_pages:
                seq = write(connection, hf_rows(body), seq)
        floor = time.perf_counter() - started
        connection.close()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"bare parse (defusedxml + json.loads, median of 5): {bare:6.2f} s")
    transactions = 2 if "--one-hf-transaction" in sys.argv else 1 + len(hf_pages)
    print(f"floor: parse, pull fields, plain inserts ({transactions} tx): {floor:6.2f} s: ratio "
          f"{floor / bare:.2f} (issue 3's target: <= 3)")


if __name__ == "__main__":
    main()
