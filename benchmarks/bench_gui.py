"""Desktop app figures on the 100k-paper library (offscreen Qt).

    .venv/bin/python benchmarks/bench_gui.py [--runs 5]

1. Start to first rows painted: the real app (library, theme, window, first query) against a
   bare PySide6 QMainWindow + QTableView showing 200 rows; both in fresh subprocesses, same run.
2. ``j`` + ``m`` (move, toggle read) per step: GUI-thread time incl. a repaint; write latency.
3. Type-to-filter: from the (debounced) query to the list showing its rows; p50 / p95.
4. Peak memory (max RSS) of the app process after all of the above plus paging through "All".
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

BARE = r'''
import sys, time
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QTableView

class Model(QAbstractTableModel):
    def rowCount(self, parent=QModelIndex()): return 0 if parent.isValid() else 200
    def columnCount(self, parent=QModelIndex()): return 0 if parent.isValid() else 6
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole:
            return f"row {index.row()} column {index.column()}"
        return None

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"{time.time():.6f}", flush=True)
            QApplication.instance().quit()
        return False

app = QApplication(sys.argv[:1])
window = QMainWindow()
table = QTableView()
table.setModel(Model())
window.setCentralWidget(table)
window.resize(1300, 820)
watcher = FirstPaint()
table.viewport().installEventFilter(watcher)
window.show()
app.exec()
'''

APP = r'''
import sys, time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
from readinglist.ui.application import create_window
window = None

class FirstRows(QObject):
    def eventFilter(self, obj, event):
        if (event.type() == QEvent.Type.Paint and window is not None
                and window.papers.model.rowCount() > 0):
            print(f"{time.time():.6f}", flush=True)
            QApplication.instance().quit()
        return False

watcher = FirstRows()
import readinglist.ui.views.main_view as mv
_init = mv.MainView.__init__
def _patched(self):
    _init(self)
    self.table.viewport().installEventFilter(watcher)
mv.MainView.__init__ = _patched
window = create_window(app, first_run=False, fetch=False)
app.exec()
window.shutdown()
'''


def _startup(script: str, env: dict[str, str]) -> float:
    started = time.time()
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=120, cwd=ROOT)
    lines = [line for line in out.stdout.split() if line.strip()]
    if out.returncode or not lines:
        raise SystemExit(f"startup run failed: {out.stderr[-2000:]}")
    return float(lines[-1]) - started


def bench_startup(home: Path, runs: int, compiled: bool = True) -> None:
    """Fresh processes of the bare window and of the app, alternating; medians.

    ``compiled``: our modules' bytecode is on disk, as after ``pip install`` (which compiles)
    or ``make run`` (its bootstrap runs ``compileall``). Otherwise every start compiles them,
    as happens only when no bytecode may be written (``PYTHONDONTWRITEBYTECODE``)."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", READINGLIST_HOME=str(home),
               PYTHONPATH=str(ROOT / "src"), READINGLIST_HF_URL="http://127.0.0.1:9")
    if compiled:
        compileall.compile_dir(ROOT / "src" / "readinglist", quiet=1)
        label = "modules compiled, as installed"
    else:  # a copy of our sources without bytecode, and none may be written
        copy = Path(tempfile.mkdtemp(prefix="rl-no-pyc-")) / "src"
        shutil.copytree(ROOT / "src", copy, ignore=shutil.ignore_patterns("__pycache__"))
        env["PYTHONDONTWRITEBYTECODE"] = "1"
        env["PYTHONPATH"] = str(copy)
        label = "our modules compiled on every start"
    _startup(BARE, env), _startup(APP, env)  # warm the OS file cache for both
    bare, app = [], []
    for _ in range(runs):
        bare.append(_startup(BARE, env))
        app.append(_startup(APP, env))
    b, a = statistics.median(bare), statistics.median(app)
    print(f"start to first rows painted ({label}): bare QMainWindow+QTableView(200 rows) "
          f"{b * 1000:.0f} ms, readinglist on 100k papers {a * 1000:.0f} ms -> ratio {a / b:.2f}"
          f"{' (target <= 1.5)' if compiled else ''}; medians of {runs}")


def bench_in_process(source: Path) -> None:
    import tempfile

    home = Path(tempfile.mkdtemp(prefix="rl-bench-gui-"))  # triage writes: work on a copy
    shutil.copy2(source / "library.sqlite3", home / "library.sqlite3")
    try:
        _in_process(home)
    finally:
        shutil.rmtree(home, ignore_errors=True)


def _in_process(home: Path) -> None:
    os.environ["READINGLIST_HOME"] = str(home)
    os.environ["READINGLIST_HF_URL"] = "http://127.0.0.1:9"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from readinglist.services.config import Settings
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.ui.controllers.main_window import MainWindow
    from readinglist.ui.qt import QApplication, Qt
    from PySide6.QtTest import QTest

    app = QApplication.instance() or QApplication([])
    paths = library_paths()
    library = Library(paths.database)
    settings = Settings(fetch_on_start=False, mark_read="never", fetch_interval_minutes=0)
    window = MainWindow(library, paths, settings)
    window.start(fetch=False)
    from readinglist.ui.application import freeze_startup_objects_later

    freeze_startup_objects_later(0)  # as run_app does once start-up has settled

    def wait(predicate, timeout: float = 60.0) -> None:
        end = time.perf_counter() + timeout
        while not predicate():
            app.processEvents()
            if time.perf_counter() > end:
                raise SystemExit("timed out waiting for the window")
            time.sleep(0.0005)

    wait(lambda: window.papers.loads >= 1 and window.tasks.pending == 0)
    table = window.view.table
    table.setFocus()
    print(f"inbox rows: {window.papers.model.rowCount():,}")

    # j + m: the GUI thread's work for both keys and the repaint that follows (as the app
    # paints: the changed rows); also with the whole list repainted, as a worst case
    for label, full_repaint in (("repainting changed rows", False),
                                ("repainting the whole list", True)):
        steps, writes = [], []
        for _ in range(300):
            started = time.perf_counter()
            QTest.keyClick(table, Qt.Key.Key_J)
            QTest.keyClick(table, Qt.Key.Key_M)
            if full_repaint:
                table.viewport().repaint()
            app.processEvents()
            steps.append(time.perf_counter() - started)
            wait(lambda: window.tasks.pending == 0)
            writes.append(time.perf_counter() - started)
        steps.sort()
        writes.sort()
        print(f"j + m per step ({label}): p50 {steps[150] * 1000:.2f} ms, "
              f"p95 {steps[285] * 1000:.2f} ms, max {steps[-1] * 1000:.2f} ms (target <= 16 ms);"
              f" until the write is committed: p50 {writes[150] * 1000:.1f} ms")

    # type-to-filter: debounced query -> rows shown
    queries = ["diffusion", "reinforcement learning", "author:chen", "tag:llm",
               "is:unread transformer", '"large language"', "since:2026-06-01 graph",
               "quantum", "protein folding", "-survey agents", "cat:cs.CV", "is:starred",
               "alignment preference", "speech", "benchmark dataset"]
    timings, complete, raw = [], [], []
    for query in queries * 2:
        # typing shows the text and starts the debounce; during its 120 ms the window is idle
        # (the field repainted, the last list painted), then the timer calls apply()
        window.view.search.setText(query)
        window.search._timer.stop()
        idle_until = time.perf_counter() + window.search.DEBOUNCE_MS / 1000
        wait(lambda: time.perf_counter() > idle_until)
        started = time.perf_counter()
        before = window.papers.loads
        window.search.apply()
        wait(lambda: window.papers.loads > before)  # the first rows are in the model
        table.viewport().repaint()
        timings.append(time.perf_counter() - started)
        wait(lambda: window.tasks.pending == 0 and not window.papers.loading)
        complete.append(time.perf_counter() - started)
        flt = window.papers.make_filter()
        started = time.perf_counter()
        library.ids(flt)
        raw.append(time.perf_counter() - started)
    timings.sort()
    complete.sort()
    raw.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"type-to-filter (query -> rows painted): p50 {timings[len(timings) // 2] * 1000:.0f} "
          f"ms, p95 {p95 * 1000:.0f} ms (target <= 50 ms); until the full id list is in: p50 "
          f"{complete[len(complete) // 2] * 1000:.0f} ms, p95 "
          f"{complete[int(len(complete) * 0.95) - 1] * 1000:.0f} ms; the full-list SQL alone: "
          f"p50 {raw[len(raw) // 2] * 1000:.0f} ms, p95 {raw[int(len(raw) * 0.95) - 1] * 1000:.0f}"
          " ms")
    window.view.search.clear()
    window.search.apply()
    wait(lambda: window.tasks.pending == 0 and not window.papers.loading)

    # page through "All" to exercise the row cache, then report peak memory
    window.sidebar.select_label("All")
    wait(lambda: window.papers.state.entry.label == "All" and not window.papers.loading
         and window.tasks.pending == 0)
    total = window.papers.model.rowCount()
    for position in range(0, total, 997):
        window.papers.select_position(position)
        app.processEvents()
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak memory after paging through All ({total:,} rows): {peak:.0f} MB "
          f"(target <= 300 MB; cached rows now {len(window.papers.model.cached_rows())})")
    window.shutdown()
    library.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--startup-only", action="store_true")
    args = parser.parse_args()
    from benchmarks.generate_library import build_library

    home = build_library(100_000)
    bench_startup(home, args.runs)
    bench_startup(home, args.runs, compiled=False)
    if not args.startup_only:
        bench_in_process(home)


if __name__ == "__main__":
    main()
