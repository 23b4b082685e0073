"""Sync benchmarks: requests for a round with nothing new; push and apply rates vs local writes.

    .venv/bin/python benchmarks/bench_sync.py [--ops 100000] [--push 10000]

Two machines start in step (the same cached generated library, the second with its own device
id); a real wsgidav server with Basic auth runs on 127.0.0.1 in this process.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

from benchmarks.generate_library import build_library  # noqa: E402
from readinglist.services.library import Library  # noqa: E402
from readinglist.storage.oplog import new_device_id  # noqa: E402
from readinglist.sync import state  # noqa: E402
from readinglist.sync.engine import SyncEngine  # noqa: E402
from readinglist.sync.webdav import WebDavStorage  # noqa: E402


def start_dav(root: Path) -> tuple[object, threading.Thread, str]:
    from cheroot import wsgi
    from wsgidav.wsgidav_app import WsgiDAVApp

    cfg = {"host": "127.0.0.1", "port": 0, "provider_mapping": {"/": str(root)}, "verbose": 0,
           "logging": {"enable": False}, "property_manager": True, "lock_storage": True,
           "http_authenticator": {"accept_basic": True, "accept_digest": False,
                                  "default_to_digest": False},
           "simple_dc": {"user_mapping": {"*": {"alice": {"password": "secret"}}}}}
    server = wsgi.Server(("127.0.0.1", 0), WsgiDAVApp(cfg), numthreads=4)
    server.prepare()
    thread = threading.Thread(target=server.serve, daemon=True)
    thread.start()
    return server, thread, f"http://127.0.0.1:{server.bind_addr[1]}"


def twin_libraries(n: int, work: Path) -> tuple[Library, Library]:
    """Two libraries holding the same ``n`` papers, in step, with different device ids."""
    source = build_library(n) / "library.sqlite3"
    homes = []
    for name in ("a", "b"):
        home = work / f"{name}-{n}"
        home.mkdir(parents=True)
        shutil.copyfile(source, home / "library.sqlite3")
        homes.append(home / "library.sqlite3")
    with sqlite3.connect(homes[1]) as conn:
        conn.execute("UPDATE device SET device_id = ?, seq = 0", (new_device_id(),))
    a, b = Library(homes[0]), Library(homes[1])
    state.save_vv(b, {a.device_id: state.local_seq(a)})  # b holds a's history already
    return a, b


def round_on(library: Library, url: str) -> tuple[float, int, object]:
    remote = WebDavStorage(url, "alice", "secret")
    started = time.perf_counter()
    report = SyncEngine(library, remote).run()
    elapsed = time.perf_counter() - started
    remote.close()
    return elapsed, remote.requests, report


def flip_read(library: Library, count: int) -> float:
    """``count`` plain service-layer writes (one op each: read toggled), 1,000 papers per call."""
    with library.store.transaction() as conn:
        rows = conn.exec_driver_sql("SELECT key, read FROM papers ORDER BY id LIMIT ?",
                                    (count,)).all()
    started = time.perf_counter()
    for start in range(0, len(rows), 1000):
        chunk = rows[start:start + 1000]
        library.mark([key for key, read in chunk if not read], "read", True)
        library.mark([key for key, read in chunk if read], "read", False)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--ops", type=int, default=100_000, help="remote ops to apply")
    parser.add_argument("--push", type=int, default=10_000, help="ops to push")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="rl-bench-sync-"))
    (work / "dav").mkdir()
    server, thread, base = start_dav(work / "dav")
    print("== requests for a sync round with nothing new ==")
    try:
        for n in (1_000, 100_000):
            (work / "dav").mkdir(exist_ok=True)
            url = f"{base}/sync-{n}/"
            a, b = twin_libraries(n, work)
            elapsed, requests, report = round_on(a, url)
            print(f"{n:>7} papers: first sync publishes {report.pushed:,} ops of history in "
                  f"{elapsed:.1f} s ({requests} requests)")
            round_on(b, url)
            a.mark([a.list(view="all", limit=1)[0].key], "starred", True)
            round_on(a, url)
            round_on(b, url)
            _, requests_a, _ = round_on(a, url)
            elapsed, requests_b, _ = round_on(b, url)
            print(f"{n:>7} papers: {requests_a} requests (device a), {requests_b} requests "
                  f"(device b), {elapsed * 1000:.0f} ms")
            if n == 100_000:
                measure_rates(a, b, url, args.push, args.ops)
            a.close()
            b.close()
    finally:
        server.stop()
        thread.join(timeout=5)
        shutil.rmtree(work, ignore_errors=True)


def measure_rates(a: Library, b: Library, url: str, push: int, ops: int) -> None:
    print(f"== push {push:,} ops to wsgidav ==")
    local = flip_read(a, push)
    elapsed, requests, report = round_on(a, url)
    assert report.pushed == push, report.lines()
    print(f"local service-layer writes: {local:.2f} s ({push / local:,.0f} ops/s)")
    print(f"push: {elapsed:.2f} s ({push / elapsed:,.0f} ops/s, {requests} requests); "
          f"ratio {elapsed / local:.2f} (target <= 3)")
    elapsed, _, report = round_on(b, url)
    print(f"(pulling them on the other device: {elapsed:.2f} s)")
    print(f"== apply {ops:,} remote ops ==")
    local = flip_read(a, ops)
    round_on(a, url)
    elapsed, requests, report = round_on(b, url)
    assert report.pulled_total == ops, report.lines()
    print(f"local service-layer writes: {local:.2f} s ({ops / local:,.0f} ops/s)")
    print(f"pull + verify + apply: {elapsed:.2f} s ({ops / elapsed:,.0f} ops/s, {requests} "
          f"requests); ratio {elapsed / local:.2f} (target <= 3)")


if __name__ == "__main__":
    main()
