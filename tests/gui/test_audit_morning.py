"""A researcher's morning in the real window: the first fetch into an empty Inbox, a small
laptop screen, readable fetch progress and sources, saving searches from a tag, For you's
status line. Real SQLite on disk; HTTP only to a local server on 127.0.0.1."""

from __future__ import annotations

from datetime import date, timedelta

from readinglist.core.models import Subscription
from readinglist.ui.qt import Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers, hf_daily_route, hf_item
from tests.helpers.httpserver import Request, Response

TODAY = date(2026, 11, 27)


def slow_days(days: dict[date, list[dict]], delay: float):
    """The Daily Papers route, each answer ``delay`` seconds late (a real network's pace)."""
    serve = hf_daily_route(days)

    def handle(request: Request) -> Response:
        response = serve(request)
        response.delay = delay
        return response

    return handle


def test_the_first_fetch_keeps_the_newest_paper_current_and_marks_nothing_read(
        qtbot, make_window, library, settings, http_server, monkeypatch):
    """The backfill brings the oldest day first: the list used to keep that day's first paper
    current as newer days arrived above it (ending deep in the list), and the dwell timer
    marked it read although nobody had chosen it."""
    days = {TODAY - timedelta(days=n): [
        hf_item(f"2611.{n}{i:04d}", f"Day {n} paper {i}", TODAY - timedelta(days=n), 10 - i)
        for i in range(3)] for n in range(3)}
    http_server.route("/api/daily_papers", slow_days(days, 0.5))
    monkeypatch.setenv("READINGLIST_HF_URL", http_server.url)
    library.subscribe_feed(Subscription("hf-daily"))
    settings.mark_read, settings.mark_read_dwell_ms, settings.hf_backfill_days = \
        "dwell", 150, 3
    window = make_window()
    assert window.papers.model.rowCount() == 0
    window.fetch.service().today = lambda: TODAY
    window.fetch.fetch_now()
    qtbot.waitUntil(lambda: window.papers.model.rowCount() == 3, timeout=10_000)
    qtbot.wait(400)  # longer than the dwell, while the older days' papers are current
    qtbot.waitUntil(lambda: not window.fetch.running, timeout=20_000)
    qtbot.waitUntil(lambda: window.papers.model.rowCount() == 9 and not window.papers.filling,
                    timeout=10_000)
    idle(qtbot, window)
    assert window.papers.current_position() == 0
    top = window.papers.current_row().key
    assert top.startswith("2611.0")  # one of today's, on top
    older = [key for n in (1, 2) for key in (f"2611.{n}{i:04d}" for i in range(3))]
    assert not any(library.get(key).read for key in older)
    # now the paper is one the user sees: reading it marks it read as usual
    qtbot.waitUntil(lambda: library.get(top).read, timeout=5000)


def test_a_paper_picked_while_the_first_fetch_runs_stays_current(
        qtbot, make_window, library, http_server, monkeypatch):
    days = {TODAY - timedelta(days=n): [hf_item(f"2611.{n}{i:04d}", f"Day {n} paper {i}",
                                                TODAY - timedelta(days=n)) for i in range(2)]
            for n in range(3)}
    http_server.route("/api/daily_papers", slow_days(days, 0.4))
    monkeypatch.setenv("READINGLIST_HF_URL", http_server.url)
    library.subscribe_feed(Subscription("hf-daily"))
    window = make_window()
    window.fetch.service().settings.hf_backfill_days = 3
    window.fetch.service().today = lambda: TODAY
    window.fetch.fetch_now()
    qtbot.waitUntil(lambda: window.papers.model.rowCount() >= 2, timeout=10_000)
    qtbot.keyClick(window.view.table, Qt.Key.Key_J)  # the user chooses the second paper
    chosen = window.papers.current_row().key
    qtbot.waitUntil(lambda: not window.fetch.running, timeout=20_000)
    qtbot.waitUntil(lambda: window.papers.model.rowCount() == 6, timeout=10_000)
    idle(qtbot, window)
    assert window.papers.current_row().key == chosen


def test_a_small_laptop_window_hides_optional_columns_instead_of_cutting_them(
        qtbot, make_window, library):
    """At 1024×640 the list was ~450 px: Upvotes was cut in half, Tags gone, the title a
    few letters wide. Now Tags and From step aside; wider again, they come back."""
    add_papers(library, 20, source="hf-daily")
    window = make_window()
    view, header = window.view, window.view.table.horizontalHeader()
    view.resize(1024, 640)
    qtbot.waitUntil(lambda: view.detail.isVisible(), timeout=5000)
    idle(qtbot, window)
    qtbot.wait(50)
    viewport = view.table.viewport().width()
    shown = [c for c in range(header.count()) if not header.isSectionHidden(c)]
    right_edges = [header.sectionViewportPosition(c) + header.sectionSize(c) for c in shown]
    assert max(right_edges) <= viewport  # nothing cut off at the right
    assert header.sectionSize(0) >= 200  # the title stays readable
    assert header.isSectionHidden(5) and header.isSectionHidden(3)  # Tags, From
    assert not header.isSectionHidden(1)  # the authors stay
    assert view.splitter.sizes()[1] > view.splitter.sizes()[2]  # the list, wider than details
    view.resize(1500, 900)
    qtbot.waitUntil(lambda: not any(header.isSectionHidden(c) for c in range(header.count())),
                    timeout=5000)


def test_the_detail_pane_keeps_the_width_the_window_gave_it(qtbot, library, settings):
    """With the window shown before the rest was built (the app's fast start), the detail
    pane came back at its first width after a resize, squeezing the list."""
    from readinglist.services.paths import library_paths
    from readinglist.ui.controllers.main_window import MainWindow

    add_papers(library, 5)
    window = MainWindow(library, library_paths(), settings, open_library=lambda: library)
    qtbot.addWidget(window.view)
    window.start(fetch=False)
    window.view.resize(1024, 640)
    qtbot.waitUntil(lambda: window.ready, timeout=5000)
    sizes = window.view.splitter.sizes()
    assert sizes[2] < 330 and sizes[1] > 500
    window.shutdown()


def test_fetch_progress_and_sources_read_as_words_not_identifiers(qtbot, make_window,
                                                                   library):
    from readinglist.ui.controllers.detail import state_line
    from readinglist.ui.controllers.fetch import readable_progress, summarise_errors
    from readinglist.services.fetch import SourceResult

    assert readable_progress("hf-daily 2026-11-22: fetching") == \
        "Hugging Face Daily, Sun 22 Nov: fetching…"
    assert readable_progress("hf-daily 2026-11-22: 8 new, 0 updated") == \
        "Hugging Face Daily, Sun 22 Nov: 8 new"
    assert readable_progress("arxiv-rss cs.CL+cs.LG: fetching") == \
        "arXiv listings, cs.CL+cs.LG: fetching…"
    assert readable_progress("rss https://blog.example.org/feed.xml: 2 new, 1 updated") == \
        "Feed blog.example.org: 2 new, 1 updated"
    assert summarise_errors([SourceResult("hf-daily 2026-11-22", "hf-daily",
                                          error="HTTP 503")]) == \
        "Hugging Face Daily, Sun 22 Nov: HTTP 503"
    add_papers(library, 1, source="hf-daily")
    assert state_line(library.get("2611.00000")).endswith("from Hugging Face Daily")
    window = make_window()
    window.papers.select_position(0)
    qtbot.waitUntil(lambda: "from Hugging Face Daily" in window.view.detail.state.text(),
                    timeout=5000)


def test_a_fetch_with_nothing_new_says_so_in_words(qtbot, make_window, library,
                                                    http_server, monkeypatch):
    http_server.route("/api/daily_papers", hf_daily_route({}))
    monkeypatch.setenv("READINGLIST_HF_URL", http_server.url)
    library.subscribe_feed(Subscription("hf-daily"))
    add_papers(library, 2)
    window = make_window()
    window.fetch.service().today = lambda: TODAY
    window.fetch.fetch_now()
    qtbot.waitUntil(lambda: not window.fetch.running, timeout=20_000)
    assert window.view.status_text.text() == "Fetched: no new papers"


def test_saving_a_search_from_a_tag_with_a_space_keeps_the_tag(qtbot, make_window, library):
    """``tag:long context`` cannot be written unquoted: the tag used to be dropped, so the
    saved search listed papers of every tag."""
    keys = add_papers(library, 11)  # papers 0 and 10 are about diffusion
    library.tag(keys[:2], add=["long context"])
    window = make_window()
    idle(qtbot, window)
    qtbot.waitUntil(lambda: any(t.name == "long context" for t in window.sidebar.data.tags),
                    timeout=5000)
    from readinglist.ui.models.entry import SidebarEntry

    tag_entry = SidebarEntry("tag", "long context", "all", tag="long context")
    assert window.sidebar.select_entry(tag_entry.ident)
    qtbot.waitUntil(lambda: window.papers.state.entry.tag == "long context", timeout=5000)
    window.search.ask_name = lambda query: "Long context diffusion"
    window.view.search.setText("diffusion")
    window.search.apply()
    idle(qtbot, window)
    window.search.save_current()
    qtbot.waitUntil(lambda: any(s.name == "Long context diffusion"
                                for s in library.saved_searches()), timeout=5000)
    saved = next(s for s in library.saved_searches() if s.name == "Long context diffusion")
    assert saved.query == 'tag:"long context" diffusion'
    qtbot.waitUntil(lambda: window.papers.state.entry.label == "Long context diffusion"
                    and not window.view.search.text(), timeout=5000)
    qtbot.waitUntil(lambda: window.papers.state.search == "", timeout=5000)
    idle(qtbot, window)
    assert [window.papers.model.row_at(p).key for p in range(window.papers.model.rowCount())] \
        == [keys[0]]  # not paper 10, about diffusion but not tagged


def test_after_saving_a_search_the_keys_work_on_its_list(qtbot, make_window, library):
    add_papers(library, 6)
    window = make_window()
    window.view.activateWindow()
    window.search.focus()
    qtbot.keyClicks(window.view.search, "diffusion")
    window.search.apply()
    idle(qtbot, window)
    window.search.ask_name = lambda query: "Diffusion"
    qtbot.mouseClick(window.view.save_search, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.papers.state.entry.label == "Diffusion", timeout=5000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: window.papers.state.search == "", timeout=5000)
    idle(qtbot, window)
    assert window.view.table.hasFocus()
    qtbot.keyClick(window.view.table, Qt.Key.Key_J)  # a key for the list, not the search box
    assert window.view.search.text() == ""


def test_for_yous_explanation_leaves_with_for_you(qtbot, make_window, library):
    keys = add_papers(library, 12)
    library.mark(keys[:2], "starred", True)
    window = make_window()
    window.sidebar.select_label("For you")
    status = window.view.statusBar()
    qtbot.waitUntil(lambda: status.currentMessage().startswith("For you:"), timeout=5000)
    window.sidebar.select_label("Starred")
    idle(qtbot, window)
    qtbot.waitUntil(lambda: status.currentMessage() == "", timeout=2000)
