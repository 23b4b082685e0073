"""Audit in the app: For you's words after the last star goes, ``l`` on a paper trashed since,
``pdf:`` matches after a PDF is replaced, a withdrawn version in the detail pane."""

from __future__ import annotations

from pathlib import Path

import pymupdf

from readinglist.core.models import PaperRecord
from readinglist.services.fulltext import FullTextIndex
from readinglist.services.paths import library_paths
from readinglist.services.pdfs import PdfService
from tests.gui.conftest import idle
from tests.gui.helpers import record
from tests.pdf.pdfgen import make_paper


def shown_keys(window) -> list[str]:  # type: ignore[no-untyped-def]
    model = window.papers.model
    return [model.row_at(p).key for p in range(model.rowCount())]


def _okapis(library) -> None:  # type: ignore[no-untyped-def]
    library.merge_records([record(1, title="Okapi stripes in the forest"),
                           record(2, title="Okapi stripes revisited"),
                           record(3, title="Okapi stripes once more"),
                           *[record(n, title=f"Unrelated {n}") for n in range(10, 40)]])


def test_for_yous_words_leave_with_the_last_star(qtbot, make_window, library) -> None:
    _okapis(library)
    library.mark(["2611.00001"], "starred", True)
    window = make_window()
    window.sidebar.select_label("For you")
    status = window.view.statusBar()
    qtbot.waitUntil(lambda: status.currentMessage().startswith("For you:"), timeout=5000)
    assert status.currentMessage().endswith("best first — okapi, stripes")  # all: no "…"
    library.mark(["2611.00001"], "starred", False)
    window.papers.reload()
    idle(qtbot, window)
    # at once, not when the message times out: no word ranks the (now empty) list
    qtbot.waitUntil(lambda: status.currentMessage() == "", timeout=2000)
    assert shown_keys(window) == []


def test_papers_like_one_trashed_since_stay_listed(qtbot, make_window, library) -> None:
    _okapis(library)
    failures: list[str] = []
    window = make_window()
    window.tasks.failed.connect(failures.append)
    window.sidebar.select_label("All")
    idle(qtbot, window)
    window.papers.select_position(shown_keys(window).index("2611.00001"))
    window.actions["find_similar"].trigger()
    qtbot.waitUntil(lambda: set(shown_keys(window)) == {"2611.00002", "2611.00003"},
                    timeout=5000)
    library.mark(["2611.00001", "2611.00003"], "deleted", True)
    window.papers.reload()
    idle(qtbot, window)
    assert shown_keys(window) == ["2611.00002"]
    assert failures == []


def test_a_replaced_pdfs_pages_are_not_offered(qtbot, make_window, library,
                                               tmp_path: Path) -> None:
    library.merge_records([record(1), record(2)])
    service = PdfService(library, library_paths())
    service.attach_pdf("2611.00001", make_paper(tmp_path / "p.pdf", pages=5))
    index = FullTextIndex(library, service.cache)
    index.index_pending()
    window = make_window()
    window.sidebar.select_label("All")
    idle(qtbot, window)
    window.view.search.setText("pdf:needle")
    window.search.apply()
    idle(qtbot, window)
    detail = window.view.detail
    qtbot.waitUntil(lambda: detail.pdf_matches.isVisibleTo(window.view), timeout=5000)
    replacement = pymupdf.open()
    replacement.new_page().insert_text((72, 72), "a corrected text without it", fontsize=10)
    replacement.save(tmp_path / "fixed.pdf")
    replacement.close()
    index.index_paper("2611.00001", service.attach_pdf("2611.00001", tmp_path / "fixed.pdf"))
    qtbot.waitUntil(lambda: shown_keys(window) == [], timeout=5000)
    qtbot.waitUntil(lambda: not detail.pdf_matches.isVisibleTo(window.view), timeout=5000)


def test_the_detail_pane_says_a_new_version_withdrew_the_paper(qtbot, make_window,
                                                               library) -> None:
    first = record(1)
    library.merge_records([first])
    fields = {name: getattr(first, name) for name in first.__dataclass_fields__}
    fields.update(version=2, abstract="This paper has been withdrawn.", withdrawn=True,
                  comment="This paper has been withdrawn by the authors")
    library.merge_records([PaperRecord(**fields)])
    window = make_window()
    window.sidebar.select_label("All")
    idle(qtbot, window)
    window.papers.select_position(0)
    revision = window.view.detail.revision
    qtbot.waitUntil(lambda: revision.isVisibleTo(window.view), timeout=5000)
    assert "New in v2 (was v1, " in revision.text()
    assert "): withdrawn, abstract +" in revision.text()
