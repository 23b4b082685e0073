"""Run every benchmark script in turn (``make bench``); each prints its own figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPTS = ("bench_library.py", "bench_sources.py", "bench_pdf.py", "bench_gui.py",
           "bench_sync.py")


def main() -> int:
    failed = 0
    for script in SCRIPTS:
        print(f"\n=== {script}", flush=True)
        failed += subprocess.run([sys.executable, str(HERE / script)]).returncode != 0
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
