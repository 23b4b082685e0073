"""Make docs/screenshot-light.png and docs/screenshot-dark.png from the real window.

    Xvfb :98 -screen 0 1400x900x24 &
    DISPLAY=:98 QT_QPA_PLATFORM=xcb .venv/bin/python docs/screenshots.py [seed.txt ...]

Builds a small library in a temporary folder from title/abstract pairs (the seed files in
/work/shared/seeds are scraped Daily Papers pages), then shows it in both themes.
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

NAMES = ("Mei Chen", "Jonas Berg", "Amara Okafor", "Luca Romano", "Sofia Alvarez", "Kenji Mori",
         "Priya Raman", "Noah Fischer", "Elif Demir", "Tomás Costa", "Hana Novak", "Ravi Iyer",
         "Clara Dubois", "Omar Haddad", "Yuki Sato", "Lena Petrova")
SKIP = {"new", "Subscribe", "Get trending papers in your email inbox!",
        "byAK and the research community"}


def pairs(files: list[Path]) -> list[tuple[str, str]]:
    lines = []
    for file in files:
        lines += [line.strip() for line in file.read_text(encoding="utf-8").splitlines()
                  if line.strip() and line.strip() not in SKIP]
    found = []
    for title, abstract in zip(lines, lines[1:]):
        if len(title) < 160 and len(abstract) > 200 and not title.endswith("."):
            found.append((title, abstract))
    return found


def build(home: Path, files: list[Path]) -> None:
    from readinglist.core.models import PaperRecord, Subscription
    from readinglist.services.library import Library

    rng = random.Random(4)
    library = Library(home / "library.sqlite3")
    today = date(2026, 11, 27)
    records = []
    for index, (title, abstract) in enumerate(pairs(files)):
        day = today - timedelta(days=index // 9)
        records.append(PaperRecord(
            key=f"2611.{10000 + index * 37:05d}", arxiv_id=f"2611.{10000 + index * 37:05d}",
            version=1 + index % 2, title=title, abstract=abstract,
            authors=tuple(rng.sample(NAMES, rng.randint(2, 6))),
            categories=("cs.CL", "cs.LG") if index % 3 else ("cs.CL", "cs.AI"),
            primary_category="cs.CL", published=day - timedelta(days=1), source="hf-daily",
            seen_at=datetime(2026, 11, 27, 7, 30), listed_on=day,
            hf_upvotes=rng.randint(3, 180)))
    library.merge_records(records)
    keys = [r.key for r in records]
    library.subscribe_feed(Subscription("hf-daily"))
    library.subscribe_feed(Subscription("arxiv-rss", "cs.CL"))
    library.mark(keys[3:9] + keys[12:15], "read", True)
    library.mark([keys[2], keys[7]], "starred", True)
    library.tag(keys[0:3], add=["long context"])
    library.tag([keys[2], keys[5]], add=["to-read"])
    library.tag([keys[9]], add=["survey"])
    library.set_note(keys[2], "Compare with **Infinite-LLM** — their KV cache split is simpler.\n\n"
                              "- try on our 128k eval\n- cite in related work")
    library.save_search("Long context", '"long context" is:unread')
    library.close()


def shoot(home: Path, theme: str, target: Path) -> None:
    from readinglist.services.config import Settings
    from readinglist.services.library import Library
    from readinglist.services.paths import library_paths
    from readinglist.ui.controllers.main_window import MainWindow
    from readinglist.ui.qt import QApplication
    from readinglist.ui.style.theme import apply_theme

    app = QApplication.instance() or QApplication([])
    apply_theme(app, theme)
    settings = Settings(fetch_on_start=False, mark_read="never", theme=theme)
    paths = library_paths(home)
    library = Library(paths.database)
    window = MainWindow(library, paths, settings)
    window.view.resize(1360, 840)
    window.start(fetch=False)

    def settle(predicate=lambda: True, rounds: int = 400) -> None:
        import time

        for _ in range(rounds):
            app.processEvents()
            if predicate() and window.tasks.pending == 0 and not window.papers.loading:
                break
            time.sleep(0.01)

    settle(lambda: window.papers.loads >= 1 and window.sidebar.data.total > 0)
    target_id = library.get("2611.10074").id  # starred, tagged, with a note
    window.papers.select_position(window.papers.model.position_of(target_id) or 0)
    settle(lambda: window.detail.paper is not None and window.detail.paper.key
           == window.papers.current_row().key)
    window.view.status_text.setText("Fetched: 9 new papers")
    window.view.table.setFocus()
    settle(rounds=50)
    window.view.grab().save(str(target))
    window.shutdown()
    window.view.close()
    library.close()


def main() -> None:
    files = [Path(a) for a in sys.argv[1:]] or sorted(Path("/work/shared/seeds").glob("*.txt"))
    home = Path(tempfile.mkdtemp(prefix="rl-shots-"))
    os.environ["READINGLIST_HOME"] = str(home)
    build(home, files)
    for theme in ("light", "dark"):
        shoot(home, theme, ROOT / "docs" / f"screenshot-{theme}.png")
        (home / "window.ini").unlink(missing_ok=True)
        print(f"docs/screenshot-{theme}.png")


if __name__ == "__main__":
    main()
