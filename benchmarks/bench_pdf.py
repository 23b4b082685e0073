"""PDF viewer benchmark: open to first page, render speed vs ``mutool draw``, memory while scrolling.

Run: ``.venv/bin/python benchmarks/bench_pdf.py`` (offscreen Qt; about a minute).
Targets (issue 5): first page of a 50-page paper visible <= 150 ms; render time per page at
150 dpi <= 1.5 x ``mutool draw`` on the same pages; peak memory <= 400 MB scrolling 300 pages.
"""

from __future__ import annotations

import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import pymupdf  # noqa: E402

LOREM = ("We study the behaviour of large attention models under distribution shift and report "
         "results on twelve benchmarks. The residual stream carries most of the signal, while the "
         "gradient noise scale predicts the critical batch size. Ablations (Table 3) show that "
         "removing the auxiliary loss costs 1.7 points on average; see Appendix B for details. ")


def make_pdf(path: Path, pages: int) -> Path:
    """A text-heavy two-column paper with headings, equations-like lines and rules."""
    doc = pymupdf.open()
    for number in range(pages):
        page = doc.new_page(width=612, height=792)
        page.insert_text((54, 50), f"Synthetic Paper — page {number + 1}", fontsize=9,
                         fontname="helv")
        page.draw_line((54, 58), (558, 58), width=0.5)
        if number == 0:
            page.insert_textbox(pymupdf.Rect(54, 70, 558, 140),
                                "On the Scaling of Synthetic Benchmarks for Reading Lists",
                                fontsize=18, fontname="tibo", align=1)
        top = 150 if number == 0 else 70
        for column, x0 in enumerate((54, 318)):
            text = (f"{number + 1}.{column + 1} Section heading\n" + LOREM * 9)
            page.insert_textbox(pymupdf.Rect(x0, top, x0 + 240, 740), text, fontsize=8.5,
                                fontname="tiro" if column == 0 else "helv")
        page.draw_rect(pymupdf.Rect(330, 600, 540, 700), color=(0.2, 0.2, 0.6), width=0.8)
        for k in range(12):
            page.draw_line((335, 690 - k * 7), (335 + 16 * k, 690 - k * 7 - 3),
                           color=(0.8, 0.2, 0.1), width=0.6)
        page.insert_text((300, 770), str(number + 1), fontsize=9)
    toc = [[1, f"Section {n + 1}", n + 1] for n in range(0, pages, max(1, pages // 10))]
    doc.set_toc(toc)
    doc.save(path, garbage=3, deflate=True)
    doc.close()
    return path


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def bench_render(pdf: Path, pages: int = 20) -> dict[str, float]:
    """Per-page render time at 150 dpi: the viewer's path vs ``mutool draw`` on the same pages."""
    from PySide6.QtGui import QImage  # noqa: F401 - loaded before timing

    from readinglist.pdf.render import Renderer
    from readinglist.ui.pdfviewer.page_view import pixmap_to_image

    renderer = Renderer(pdf)
    scale = 150 / 72
    pixmap_to_image(renderer.render_pixmap(0, scale))  # warm fonts, like mutool's first page
    ours, raw, kept = [], [], []
    for _ in range(3):
        start = time.perf_counter()
        for page in range(pages):
            pixmap_to_image(renderer.render_pixmap(page, scale))  # what a render job does
        ours.append((time.perf_counter() - start) / pages)
        start = time.perf_counter()
        for page in range(pages):
            renderer.document.load_page(page).get_pixmap(dpi=150)
        raw.append((time.perf_counter() - start) / pages)
        images = []
        start = time.perf_counter()
        for page in range(pages):  # like the page cache: every image stays in memory
            images.append(pixmap_to_image(renderer.render_pixmap(page, scale)))
        kept.append((time.perf_counter() - start) / pages)
        del images
    renderer.close()
    result = {"ours_ms": min(ours) * 1000, "raw_ms": min(raw) * 1000,
              "kept_ms": min(kept) * 1000}
    mutool = shutil.which("mutool")
    if mutool is None:
        print("mutool not found (apt install mupdf-tools): no baseline")
        return result
    totals, walls = [], []
    for _ in range(3):
        start = time.perf_counter()
        # -F pnm -o /dev/null: really rasterise every page to RGB (without -o mutool skips it)
        out = subprocess.run([mutool, "draw", "-q", "-s", "t", "-r", "150", "-c", "rgb",
                              "-F", "pnm", "-o", "/dev/null", str(pdf), f"1-{pages}"],
                             capture_output=True, text=True, check=True)
        walls.append((time.perf_counter() - start) / pages)
        found = re.search(r"total (\d+)ms", out.stdout + out.stderr)
        if found:
            totals.append(int(found.group(1)) / pages / 1000)
    result["mutool_wall_ms"] = min(walls) * 1000
    if totals:
        result["mutool_ms"] = min(totals) * 1000
    return result


def bench_open(pdf: Path, runs: int = 7) -> list[float]:
    """Milliseconds from ``open_paper`` to the first page painted (PDF cached, window shown)."""
    from PySide6.QtCore import QCoreApplication, QEventLoop
    from PySide6.QtWidgets import QApplication

    from readinglist.core.models import PaperRecord
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.services.pdfs import PdfService
    from readinglist.ui.pdfviewer import open_paper

    app = QApplication.instance() or QApplication([])
    home = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    paths = library_paths(home)
    library = Library(paths.database)
    library.merge_records([PaperRecord(key="2401.00001", title="Synthetic", arxiv_id="2401.00001",
                                       version=1)])
    service = PdfService(library, paths)
    service.attach_pdf("2401.00001", pdf)
    service.import_annotations_once("2401.00001", service.pdf_for("2401.00001").path)
    times = []
    for _ in range(runs):
        painted: list[float] = []
        start = time.perf_counter()
        window = open_paper(library, paths, "2401.00001")
        window.resize(1200, 900)
        tab = window.current()
        deadline = time.perf_counter() + 10
        while not painted and time.perf_counter() < deadline:
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
            if tab.view is not None and not painted:
                tab.view.firstPagePainted.connect(lambda: painted.append(time.perf_counter()))
                while not painted and time.perf_counter() < deadline:
                    app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        times.append((painted[0] - start) * 1000 if painted else float("nan"))
        window.close_tab()
        QCoreApplication.sendPostedEvents(None, 0)
    library.close()
    shutil.rmtree(home, ignore_errors=True)
    return times


def bench_scroll(pdf: Path) -> dict[str, float]:
    """Scroll a 300-page PDF top to bottom, a screen at a time, waiting for each to render."""
    from PySide6.QtCore import QEventLoop
    from PySide6.QtWidgets import QApplication

    from readinglist.core.models import PaperRecord
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.services.pdfs import PdfService
    from readinglist.ui.pdfviewer import open_paper

    app = QApplication.instance() or QApplication([])
    home = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    paths = library_paths(home)
    library = Library(paths.database)
    library.merge_records([PaperRecord(key="2401.00300", title="Long", arxiv_id="2401.00300",
                                       version=1)])
    PdfService(library, paths).attach_pdf("2401.00300", pdf)
    before = rss_mb()
    window = open_paper(library, paths, "2401.00300")
    window.resize(1200, 900)
    tab = window.current()
    while tab.view is None:
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    view = tab.view
    bar = view.verticalScrollBar()
    waits = []
    peak_rss = rss_mb()
    steps = 0
    start = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        while not all(view._render_key(p) in view._cache for p in view.visible_pages()):
            app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
        view.viewport().repaint()
        waits.append(time.perf_counter() - t0)
        peak_rss = max(peak_rss, rss_mb())
        steps += 1
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + bar.pageStep())
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 5)
    elapsed = time.perf_counter() - start
    result = {"rss_before_mb": before, "rss_peak_sampled_mb": peak_rss, "ru_maxrss_mb": peak_mb(),
              "screens": steps, "seconds": elapsed, "wait_median_ms":
              statistics.median(waits) * 1000, "wait_p95_ms":
              sorted(waits)[int(len(waits) * 0.95)] * 1000,
              "cache_mb": view.cache_bytes() / 1e6, "cached_pages": view.cached_pages(),
              "zoom": view.scale, "pages": tab.info.page_count}
    window.close()
    library.close()
    shutil.rmtree(home, ignore_errors=True)
    return result


def bench_fulltext(pdf: Path, copies: int = 300) -> dict[str, float]:
    """Index one long PDF (ours vs bare PyMuPDF text extraction), then search ``pdf:`` terms
    over ``copies`` PDFs' worth of pages (the same pages under other papers, so every query
    matches every paper: the worst case)."""
    from readinglist.core.models import PaperRecord
    from readinglist.services.fulltext import FullTextIndex
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.services.pdfs import PdfService

    doc = pymupdf.open(pdf)
    started = time.perf_counter()
    for page in doc:
        page.get_text("text")
    bare = time.perf_counter() - started
    pages = doc.page_count
    doc.close()
    home = Path(tempfile.mkdtemp(prefix="bench-fulltext-"))
    os.environ["READINGLIST_HOME"] = str(home)
    library = Library(home / "library.sqlite3")
    library.merge_records([PaperRecord(key=f"2611.{n:05d}", arxiv_id=f"2611.{n:05d}",
                                       title=f"Paper {n}") for n in range(copies)])
    service = PdfService(library, library_paths(home))
    service.attach_pdf("2611.00000", pdf)
    started = time.perf_counter()
    FullTextIndex(library, service.cache).index_pending()
    ours = time.perf_counter() - started
    with library.store.transaction(write=True) as conn:
        sha = conn.exec_driver_sql("SELECT sha256 FROM pdf_files").scalar()
        for n in range(1, copies):
            fake = f"{n:064d}"
            conn.exec_driver_sql(
                "INSERT INTO pdf_files (sha256, paper_key, version, path, size, origin, url, "
                "created) SELECT ?, ?, version, path, size, origin, url, created FROM pdf_files "
                "WHERE sha256 = ?", (fake, f"2611.{n:05d}", sha))
            conn.exec_driver_sql("INSERT INTO pdf_pages (sha256, page, text) SELECT ?, page, "
                                 "text FROM pdf_pages WHERE sha256 = ?", (fake, sha))
    queries = ['pdf:"gradient noise"', "pdf:benchmarks", "pdf:appendix pdf:ablations",
               'pdf:"critical batch size"', "pdf:residu", "pdf:nowhere"]
    times = []
    for query in queries:
        runs = []
        for _ in range(3):
            started = time.perf_counter()
            library.list(view="all", query=query, limit=200)
            runs.append(time.perf_counter() - started)
        times.append(min(runs) * 1000)
    key_started = time.perf_counter()
    FullTextIndex(library, service.cache).matches("2611.00007", 'pdf:"gradient noise"', 8)
    matches_ms = (time.perf_counter() - key_started) * 1000
    library.close()
    shutil.rmtree(home, ignore_errors=True)
    return {"pages": pages, "ours_ms_page": ours * 1000 / pages,
            "bare_ms_page": bare * 1000 / pages,
            "copies": copies, "search_median_ms": statistics.median(times),
            "search_max_ms": max(times), "matches_ms": matches_ms}


def _part(name: str, pdf: Path) -> None:
    """One measurement in this (fresh) process, printed as key=value lines."""
    result: dict[str, float]
    if name == "open":
        times = bench_open(pdf)
        result = {f"run{i}": t for i, t in enumerate(times)}
    elif name == "scroll":
        result = bench_scroll(pdf)
    elif name == "fulltext":
        result = bench_fulltext(pdf)
    else:
        result = bench_render(pdf)
    for key, value in result.items():
        print(f"{key}={value}")


def _run_part(name: str, pdf: Path) -> dict[str, float]:
    out = subprocess.run([sys.executable, __file__, "--part", name, str(pdf)],
                         capture_output=True, text=True, check=True)
    return {k: float(v) for k, v in (line.split("=", 1) for line in out.stdout.splitlines()
                                      if "=" in line)}


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--part":
        _part(sys.argv[2], Path(sys.argv[3]))
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bench-pdf-files-"))
    try:
        t0 = time.perf_counter()
        p50 = make_pdf(folder / "paper50.pdf", 50)
        p300 = make_pdf(folder / "paper300.pdf", 300)
        print(f"generated 50- and 300-page PDFs in {time.perf_counter() - t0:.1f} s "
              f"({p50.stat().st_size / 1e6:.1f} MB, {p300.stat().st_size / 1e6:.1f} MB)")

        render = _run_part("render", p50)
        print("\n## Render at 150 dpi (pages 1-20 of the 50-page paper, best of 3)")
        print(f"viewer render job (PyMuPDF pixmap -> QImage): {render['ours_ms']:.1f} ms/page; "
              f"bare PyMuPDF get_pixmap: {render['raw_ms']:.1f} ms/page; keeping all 20 images "
              f"(fresh memory per page, as the page cache does): {render['kept_ms']:.1f} ms/page")
        if "mutool_ms" in render:
            print(f"mutool draw -F pnm -o /dev/null: {render['mutool_ms']:.1f} ms/page by its own "
                  f"timer, {render['mutool_wall_ms']:.1f} ms/page wall incl. process start")
            print(f"ratio viewer / mutool: {render['ours_ms'] / render['mutool_ms']:.2f} "
                  f"(vs mutool wall: {render['ours_ms'] / render['mutool_wall_ms']:.2f}; "
                  "target <= 1.5)")

        opens = list(_run_part("open", p50).values())
        print("\n## Open a 50-page paper to first page visible (cached PDF, offscreen window)")
        print(f"first open in a fresh process {opens[0]:.0f} ms (includes importing the viewer); "
              f"later opens median {statistics.median(opens[1:]):.0f} ms; all: "
              f"{', '.join(f'{t:.0f}' for t in opens)} (target <= 150 ms)")

        scroll = _run_part("scroll", p300)
        print("\n## Scroll through a 300-page PDF, a screen at a time (1200x900 window, fresh "
              "process)")
        print(f"{scroll['screens']:.0f} screens in {scroll['seconds']:.1f} s at zoom "
              f"{scroll['zoom']:.2f} px/pt; wait per screen median {scroll['wait_median_ms']:.0f} "
              f"ms, p95 {scroll['wait_p95_ms']:.0f} ms")
        print(f"RSS before opening {scroll['rss_before_mb']:.0f} MB; process peak (ru_maxrss) "
              f"{scroll['ru_maxrss_mb']:.0f} MB (target <= 400 MB); page cache at the end "
              f"{scroll['cache_mb']:.0f} MB in {scroll['cached_pages']:.0f} pages")

        text = _run_part("fulltext", p50)
        print("\n## Full-text index (pdf: searches)")
        print(f"index the 50-page paper: {text['ours_ms_page']:.2f} ms/page (text, written to "
              f"the index) vs bare PyMuPDF get_text {text['bare_ms_page']:.2f} ms/page: ratio "
              f"{text['ours_ms_page'] / text['bare_ms_page']:.2f}")
        print(f"pdf: searches over {text['copies']:.0f} PDFs x {text['pages']:.0f} pages, every "
              f"paper matching (worst case), first 200: median {text['search_median_ms']:.0f} "
              f"ms, max {text['search_max_ms']:.0f} ms; one paper's matching pages "
              f"{text['matches_ms']:.0f} ms")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
