"""The Daily view paged by day (missing days fetched on demand), fetch errors in the banner,
the first-run welcome, and other processes' writes showing up. All HTTP goes to 127.0.0.1."""

from __future__ import annotations

from datetime import date, timedelta

from readinglist.core.models import Subscription
from readinglist.ui.qt import Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers, hf_daily_route, hf_item, record
from tests.helpers.httpserver import Response


def shown_keys(window):
    model = window.papers.model
    return {model.row_at(p).key for p in range(model.rowCount())}


def test_daily_view_pages_by_day_and_fetches_missing_days(qtbot, make_window, library,
                                                          http_server, monkeypatch):
    day1, day2 = date(2026, 11, 23), date(2026, 11, 24)
    library.merge_records([record(1, listed=day1, source="hf-daily"),
                           record(2, listed=day1, source="hf-daily"),
                           record(3, listed=day2, source="hf-daily")])
    day0 = day1 - timedelta(days=1)
    http_server.route("/api/daily_papers", hf_daily_route(
        {day0: [hf_item("2611.09001", "Fetched on demand", day0, 42)]}))
    monkeypatch.setenv("READINGLIST_HF_URL", http_server.url)
    window = make_window()
    window.sidebar.today = lambda: date(2026, 11, 24)
    idle(qtbot, window)
    window.sidebar.select_label("Daily")
    idle(qtbot, window)
    assert window.view.day_bar.isVisible()
    assert window.sidebar.day == day2  # the latest listed day
    assert shown_keys(window) == {"2611.00003"}
    assert not window.view.next_day.isEnabled()  # no lists from the future

    qtbot.keyClick(window.view.table, Qt.Key.Key_BracketLeft)
    idle(qtbot, window)
    assert window.sidebar.day == day1
    assert shown_keys(window) == {"2611.00001", "2611.00002"}
    assert not [r for r in http_server.requests if r.path == "/api/daily_papers"]

    window.sidebar.previous_day()  # not in the library: fetched in the background
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.09001"}, timeout=10_000)
    asked = [r.query["date"][0] for r in http_server.requests if r.path == "/api/daily_papers"]
    assert asked == [day0.isoformat()]
    assert library.get("2611.09001").hf_upvotes == 42

    qtbot.keyClick(window.view.table, Qt.Key.Key_BracketRight)
    idle(qtbot, window)
    assert window.sidebar.day == day1
    window.view.day_picker.setDate(window.view.day_picker.date().addDays(1))
    idle(qtbot, window)
    assert window.sidebar.day == day2 and shown_keys(window) == {"2611.00003"}


def test_a_failing_source_shows_in_the_banner_and_the_library_stays(qtbot, make_window,
                                                                     library, http_server,
                                                                     monkeypatch):
    add_papers(library, 5)
    library.subscribe_feed(Subscription("hf-daily"))
    http_server.route("/api/daily_papers", Response(
        500, b'{"error": "internal trouble"}', {"Content-Type": "application/json"}))
    monkeypatch.setenv("READINGLIST_HF_URL", http_server.url)
    window = make_window()
    assert not window.view.banner.isVisible()
    qtbot.keyClick(window.view.table, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: window.view.banner.isVisible(), timeout=20_000)
    text = window.view.banner.label.text()
    assert text.startswith("Some sources could not be fetched — Hugging Face Daily (")
    assert "HTTP 500" in text and text.count("HTTP 500") == 1
    assert window.view.banner.kind == "error"
    assert window.papers.model.rowCount() == 5  # the list is untouched
    assert not window.view.progress.isVisible()

    # the next successful fetch clears the banner and announces the new papers
    today = window.fetch.service().today()
    http_server.route("/api/daily_papers", hf_daily_route(
        {today: [hf_item("2611.07777", "A new one", today)]}))
    qtbot.mouseClick(window.view.banner.action, Qt.MouseButton.LeftButton)  # "Retry"
    qtbot.waitUntil(lambda: not window.view.banner.isVisible(), timeout=20_000)
    qtbot.waitUntil(lambda: "2611.07777" in shown_keys(window), timeout=10_000)
    assert window.fetch.notifications and "1 new paper" in window.fetch.notifications[-1]


def test_first_run_subscribes_to_hf_daily_fetches_and_welcomes(qtbot, make_window, library,
                                                              settings, isolated_home):
    from readinglist.services.paths import library_paths
    from readinglist.ui.application import ensure_first_run

    assert ensure_first_run(library, library_paths(), settings) is True
    assert [s.kind for s in library.subscriptions()] == ["hf-daily"]
    assert ensure_first_run(library, library_paths(), settings) is False
    window = make_window(fetch=True, wait=False)
    qtbot.waitUntil(lambda: window.view.list_stack.currentWidget() is window.view.welcome,
                    timeout=5000)
    # nothing answers on the HF address (a closed local port): offline
    qtbot.waitUntil(lambda: window.fetch.offline, timeout=20_000)
    idle(qtbot, window)
    qtbot.waitUntil(lambda: window.view.welcome.title.text() == "You are offline", timeout=5000)
    assert "Preferences" in window.view.welcome.text.text()
    assert [b.text() for b in window.view.welcome.buttons if b.isVisible()] == [
        "Retry", "Preferences…", "Add PDF files…"]
    asked = []
    window.adder().ask_pdfs = lambda: asked.append(True) or []
    window.view.welcome.buttons[2].click()
    assert asked == [True]  # offline, papers can still come from PDF files
    assert window.view.banner.kind == "offline"
    assert window.view.banner.label.text().startswith("Offline — showing your library")


def test_the_welcome_says_a_fetch_is_running(qtbot, make_window, library, http_server,
                                             monkeypatch):
    library.subscribe_feed(Subscription("hf-daily"))
    http_server.route("/api/daily_papers", Response(
        200, b"[]", {"Content-Type": "application/json"}, delay=0.3))
    monkeypatch.setenv("READINGLIST_HF_URL", http_server.url)
    window = make_window(fetch=True, wait=False)
    # the fetch starts on the turn after the first rows: wait for it, not just the welcome
    qtbot.waitUntil(lambda: window.fetch.running and window.view.welcome.isVisible(),
                    timeout=5000)
    assert window.view.welcome.title.text() == "Welcome to readinglist"
    assert "Fetching" in window.view.welcome.text.text()
    qtbot.waitUntil(lambda: not window.fetch.running, timeout=30_000)
    idle(qtbot, window)
    assert window.view.welcome.title.text() == "Your library is empty"


def test_changes_made_by_another_process_show_up(qtbot, make_window, library, isolated_home):
    from readinglist.services.library import Library

    keys = add_papers(library, 4)
    window = make_window()
    other = Library(isolated_home / "library.sqlite3")  # like the CLI: another connection
    try:
        other.merge_records([record(99, day=date(2026, 12, 1))])
        other.mark([keys[0]], "starred", True)
    finally:
        other.close()
    window.watcher.poll()
    qtbot.waitUntil(lambda: "2611.00099" in shown_keys(window), timeout=5000)
    idle(qtbot, window)
    position = window.papers.model.position_of(library.get(keys[0]).id)
    assert window.papers.model.row_at(position).starred


def test_a_new_version_of_a_starred_paper_is_announced(qtbot, make_window, library,
                                                       http_server, monkeypatch):
    import dataclasses
    from pathlib import Path

    fixture = (Path(__file__).resolve().parents[1] / "sources" / "fixtures"
               / "arxiv_rss_cs.CL.xml").read_bytes()
    library.merge_records([dataclasses.replace(record(1), key="2608.04417",
                                               arxiv_id="2608.04417", version=1)])
    library.mark(["2608.04417"], "starred", True)
    library.subscribe_feed(Subscription("arxiv-rss", "cs.CL"))
    http_server.route("/rss/cs.CL", Response(200, fixture,
                                             {"Content-Type": "application/rss+xml"}))
    monkeypatch.setenv("READINGLIST_ARXIV_RSS_URL", f"{http_server.url}/rss")
    monkeypatch.setenv("READINGLIST_ARXIV_DELAY", "0")
    window = make_window()
    window.fetch.fetch_now()
    qtbot.waitUntil(lambda: not window.fetch.running, timeout=20_000)
    assert window.view.status_text.text() == \
        "Fetched: 2 new papers, 1 updated; a new version of 1 starred paper"
    assert window.fetch.notifications[-1] == (
        "New version of a starred paper: Sparse Mixtures of Recurrent Experts for Long-Context "
        "Reasoning — v3 (was v1)")
