"""Sources benchmark: parse and merge 10,000 arXiv API entries and 10,000 Hugging Face items
into a library already holding 100,000 papers, against the bare parse of the same bytes.

    .venv/bin/python benchmarks/bench_sources.py [-n 100000] [--entries 10000] [--items 10000]

The fetch runs end to end through ``FetchService`` and the shared HTTP client (retry loop,
size cap, content checks), with responses in the real wire formats served from memory by an
``httpx.MockTransport`` (a socket server in the same process would mostly measure itself): API
pages of 200 entries sorted by date, Hugging Face days of 100 items, one transaction per source
fetch as in real use; arXiv pacing off. The baseline is the XML/JSON parsing
alone (``defusedxml`` ``fromstring`` / ``json.loads``) of the same response bodies. The library is
the cached 100k-paper one from ``generate_library.build_library``, copied to a temporary folder.
A fifth of the API entries and a tenth of the items are papers the library already holds, and
half of the items are papers the API run just added (the usual overlap of the two sources).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from benchmarks.generate_library import build_library  # noqa: E402
from tests.sources.wire import ATOM_TYPE, JSON_TYPE, api_entry, api_feed, hf_item, json_bytes  # noqa: E402

API_PAGE = 200
HF_PAGE = 100
FIRST_DAY = date(2026, 9, 1)


def existing_keys(folder: Path, count: int) -> list[str]:
    """Keys of ``count`` papers spread through the cached library."""
    keys = []
    with open(folder / "papers.jsonl", encoding="utf-8") as handle:
        for index, line in enumerate(handle):
            if index % 97 == 0:
                keys.append(json.loads(line)["arxiv_id"])
                if len(keys) == count:
                    break
    return keys


def make_bodies(entries: int, items: int, known: list[str]) -> tuple[list[bytes], list[bytes]]:
    """API pages and Hugging Face pages (``HF_PAGE`` items per day) in the wire formats."""
    old = known[: entries // 5]
    api_ids = old + [f"2612.{n:05d}" for n in range(entries - len(old))]
    words = ("sparse", "recurrent", "experts", "diffusion", "alignment", "retrieval", "graph")
    api_pages = []
    for start in range(0, entries, API_PAGE):
        chunk = [api_entry(i, 2, f"{words[n % 7].title()} {words[(n * 3) % 7]} study {i}",
                           categories=("cs.CL", "cs.LG"), authors=("Ana Garcia", "Wei Li",
                                                                   "L\\'ea Barth\\'elemy"),
                           summary=" ".join(words) * 12)
                 for n, i in enumerate(api_ids[start:start + API_PAGE], start)]
        api_pages.append(api_feed(chunk, total=entries, start=start, per_page=API_PAGE))
    overlap = api_ids[len(old):][: items // 2]
    hf_ids = overlap + known[-(items // 10):]
    hf_ids += [f"2613.{n:05d}" for n in range(items - len(hf_ids))]
    hf_pages = []
    for index, start in enumerate(range(0, items, HF_PAGE)):
        day = FIRST_DAY + timedelta(days=index)
        hf_pages.append(json_bytes([hf_item(i, f"HF title {i}", upvotes=n % 400, listed=day,
                                            summary=" ".join(words) * 12)
                                    for n, i in enumerate(hf_ids[start:start + HF_PAGE])]))
    return api_pages, hf_pages


def bare_parse(api_pages: list[bytes], hf_pages: list[bytes]) -> float:
    from defusedxml.ElementTree import fromstring

    started = time.perf_counter()
    for body in api_pages:
        fromstring(body)
    for body in hf_pages:
        json.loads(body)
    return time.perf_counter() - started


def transport(api_pages: list[bytes], hf_pages: list[bytes]) -> httpx.MockTransport:
    """Answers as the two services would, from memory."""
    def handle(request: httpx.Request) -> httpx.Response:
        query = request.url.params
        if request.url.path == "/api/query":
            body, headers = api_pages[int(query["start"]) // API_PAGE], ATOM_TYPE
        else:
            index = (date.fromisoformat(query["date"]) - FIRST_DAY).days
            body = hf_pages[index] if query["p"] == "0" else b"[]"
            headers = JSON_TYPE
        return httpx.Response(200, content=body, headers=headers)

    return httpx.MockTransport(handle)


def fetch_once(folder: Path, mock: httpx.MockTransport, entries: int, items: int,
               profile: bool = False) -> dict[str, float]:
    """Copy the library, fetch everything, return timings (s) and counts."""
    from readinglist.services.config import Settings
    from readinglist.services.fetch import FetchService
    from readinglist.services.library import Library
    from readinglist.services.paths import LibraryPaths
    from readinglist.sources.http import HttpClient, HttpConfig

    with tempfile.TemporaryDirectory(prefix="bench-sources-") as tmp:
        home = Path(tmp)
        for name in os.listdir(folder):
            if name.startswith("library.sqlite3"):
                shutil.copy2(folder / name, home / name)
        library = Library(home / "library.sqlite3")
        service = FetchService(library, Settings(), LibraryPaths(home))
        service.http.close()
        service.http = HttpClient(HttpConfig(), transport=mock)
        merge_time = 0.0
        merge = library.merge_records

        def timed_merge(records):  # type: ignore[no-untyped-def]
            nonlocal merge_time
            started = time.perf_counter()
            try:
                return merge(records)
            finally:
                merge_time += time.perf_counter() - started

        library.merge_records = timed_merge  # type: ignore[method-assign]
        profiler = cProfile.Profile() if profile else None
        started = time.perf_counter()
        if profiler:
            profiler.enable()
        api = service.fetch_arxiv_query("cat:cs.CL", entries)
        api_done = time.perf_counter()
        days = service.fetch_hf_daily(FIRST_DAY, FIRST_DAY + timedelta(days=items // HF_PAGE - 1))
        total = time.perf_counter() - started
        if profiler:
            profiler.disable()
            text = io.StringIO()
            pstats.Stats(profiler, stream=text).sort_stats(os.environ.get("BENCH_SORT", "cumulative")).print_stats(int(os.environ.get("BENCH_TOP", "25")))
            print(text.getvalue())
        assert all(r.ok for r in api + days), [r.error for r in api + days if not r.ok][:3]
        papers = library.count(library.make_filter("all"))
        service.close()
        library.close()
    return {"total": total, "api": api_done - started, "hf": total - (api_done - started),
            "merge": merge_time, "new": sum(r.new for r in api + days),
            "updated": sum(r.updated for r in api + days), "papers": papers}


def median_of(runs: int, fn: Callable[[], float]) -> float:
    return statistics.median(fn() for _ in range(runs))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", type=int, default=100_000, help="papers already in the library")
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    os.environ["READINGLIST_ARXIV_DELAY"] = "0"  # pacing off for the benchmark

    folder = build_library(args.n)
    api_pages, hf_pages = make_bodies(args.entries, args.items, existing_keys(folder, 2000))
    size = sum(map(len, api_pages)) / 2**20, sum(map(len, hf_pages)) / 2**20
    print(f"library: {args.n:,} papers; input: {args.entries:,} API entries in {len(api_pages)} "
          f"pages ({size[0]:.1f} MB), {args.items:,} HF items in {len(hf_pages)} days "
          f"({size[1]:.1f} MB)")
    bare = median_of(5, lambda: bare_parse(api_pages, hf_pages))
    mock = transport(api_pages, hf_pages)
    runs = [fetch_once(folder, mock, args.entries, args.items, args.profile and n == 0)
            for n in range(args.runs)]
    best = min(runs, key=lambda r: r["total"])
    total = statistics.median(r["total"] for r in runs)
    merge = statistics.median(r["merge"] for r in runs)
    print(f"bare parse (defusedxml + json.loads):        {bare:6.2f} s")
    print(f"fetch + parse + merge (median of {args.runs}):        {total:6.2f} s "
          f"(API {best['api']:.2f} s, HF {best['hf']:.2f} s; {best['new']:,} new, "
          f"{best['updated']:,} updated, {best['papers']:,} papers after)")
    print(f"  of which Library.merge_records:             {merge:6.2f} s")
    print(f"  of which HTTP client + parse + records:     {total - merge:6.2f} s")
    print(f"ratio (fetch + parse + merge / bare parse):  {total / bare:6.2f}   target <= 3")
    print(f"ratio without the merge:                     {(total - merge) / bare:6.2f}")


if __name__ == "__main__":
    main()
