"""Type-to-filter over FTS with the query language, and saved searches in the sidebar."""

from __future__ import annotations

from readinglist.ui.qt import Qt
from tests.gui.conftest import idle
from tests.gui.helpers import add_papers


def shown_keys(window):
    model = window.papers.model
    return {model.row_at(p).key for p in range(model.rowCount())}


def type_search(qtbot, window, text):
    window.view.search.clear()
    qtbot.keyClicks(window.view.search, text)
    qtbot.waitUntil(lambda: window.papers.state.search == text.strip(), timeout=5000)
    idle(qtbot, window)


def test_slash_focuses_search_and_typing_filters(qtbot, make_window, library):
    keys = add_papers(library, 40)
    library.tag(keys[:3], add=["to-read"])
    library.mark([keys[5]], "starred", True)
    window = make_window()
    qtbot.keyClick(window.view.table, Qt.Key.Key_Slash)
    qtbot.waitUntil(lambda: window.view.search.hasFocus(), timeout=5000)
    type_search(qtbot, window, "diffusion")
    assert shown_keys(window) == {k for i, k in enumerate(keys) if i % 10 == 0}
    type_search(qtbot, window, "tag:to-read")
    assert shown_keys(window) == set(keys[:3])
    type_search(qtbot, window, 'author:lovelace "transformer models"')
    assert shown_keys(window) == {k for i, k in enumerate(keys) if i % 3 == 0 and i % 10 == 1}
    type_search(qtbot, window, "is:starred")
    assert shown_keys(window) == {keys[5]}
    type_search(qtbot, window, "since:2026-11-19")
    assert shown_keys(window) == {k for i, k in enumerate(keys) if i % 20 >= 18}  # Nov 19 and 20
    type_search(qtbot, window, "source:hf-daily")
    assert shown_keys(window) == set()
    assert window.view.list_stack.currentWidget() is window.view.welcome
    assert "No paper" in window.view.welcome.text.text()


def test_a_malformed_query_keeps_the_results_and_says_why(qtbot, make_window, library):
    add_papers(library, 5)
    window = make_window()
    type_search(qtbot, window, "graph")
    before = shown_keys(window)
    qtbot.keyClicks(window.view.search, " since:yesterday")
    qtbot.waitUntil(lambda: window.view.search_error.isVisible(), timeout=5000)
    assert "since:" in window.view.search_error.text()
    assert shown_keys(window) == before


def test_escape_clears_the_search_and_returns_to_the_list(qtbot, make_window, library):
    add_papers(library, 12)
    window = make_window()
    type_search(qtbot, window, "robotics")
    assert window.papers.model.rowCount() == 1
    qtbot.keyClick(window.view.search, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.papers.model.rowCount() == 12, timeout=5000)
    assert window.view.search.text() == ""
    assert window.view.table.hasFocus()


def test_a_search_can_be_saved_and_chosen_from_the_sidebar(qtbot, make_window, library):
    keys = add_papers(library, 30)
    window = make_window()
    window.search.ask_name = lambda query: "Speech"
    type_search(qtbot, window, "speech")
    expected = shown_keys(window)
    assert expected and expected == {k for i, k in enumerate(keys) if i % 10 == 6}
    qtbot.mouseClick(window.view.save_search, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: [s.name for s in library.saved_searches()] == ["Speech"],
                    timeout=5000)
    group = window.sidebar.model.group("Saved searches")
    qtbot.waitUntil(lambda: group.rowCount() == 1, timeout=5000)
    # the new entry is selected: the same papers, the search box empty
    qtbot.waitUntil(lambda: window.papers.state.entry.label == "Speech", timeout=5000)
    idle(qtbot, window)
    assert window.view.search.text() == "" and shown_keys(window) == expected
    assert window.view.sidebar.currentIndex().data() == "Speech"
    # the entry counts its papers, as a tag does, and follows changes
    qtbot.waitUntil(lambda: group.child(0, 1).text() == str(len(expected)), timeout=5000)
    library.mark([next(iter(expected))], "deleted", True)
    qtbot.waitUntil(lambda: group.child(0, 1).text() == str(len(expected) - 1), timeout=5000)
    library.mark([next(iter(expected))], "deleted", False)
    window.sidebar.select_label("Inbox")
    idle(qtbot, window)
    assert window.papers.model.rowCount() == 30
    window.view.sidebar.setCurrentIndex(group.child(0, 0).index())
    idle(qtbot, window)
    assert shown_keys(window) == expected
    window.search.delete("Speech")
    qtbot.waitUntil(lambda: group.rowCount() == 0, timeout=5000)
    qtbot.waitUntil(lambda: window.papers.state.entry.label == "Inbox", timeout=5000)


def test_l_shows_papers_like_the_current_one_and_says_why(qtbot, make_window, library):
    from tests.gui.helpers import record

    library.merge_records([record(1, title="Okapi stripes in the forest"),
                           record(2, title="Okapi stripes revisited"),
                           record(3, title="Protein folding at scale"),
                           *[record(n, title=f"Unrelated {n}") for n in range(10, 30)]])
    window = make_window()
    messages = []
    window.search.message.connect(messages.append)
    window.papers.select_position(
        next(p for p in range(window.papers.model.rowCount())
             if window.papers.model.row_at(p).key == "2611.00001"))
    qtbot.keyClick(window.view.table, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: bool(messages), timeout=10_000)
    idle(qtbot, window)
    assert window.papers.state.entry.label == "All"
    assert window.view.search.text() == "like:2611.00001"
    assert shown_keys(window) == {"2611.00002"}
    assert messages[0].startswith("Papers like “Okapi stripes in the forest”, most alike first — "
                                  "sharing: ")
    assert {"okapi", "stripes"} <= set(messages[0].split("sharing: ")[1].split(", "))
    assert window.papers.current_position() == 0  # a fresh list: its first paper


def test_alt_left_returns_to_the_list_and_paper_you_came_from(qtbot, make_window, library):
    from tests.gui.helpers import record

    library.merge_records([record(1, title="Okapi stripes in the forest"),
                           record(2, title="Okapi stripes revisited"),
                           *[record(n, title=f"Unrelated {n}") for n in range(10, 30)]])
    window = make_window()
    model = window.papers.model
    start = next(p for p in range(model.rowCount()) if model.row_at(p).key == "2611.00001")
    window.papers.select_position(start)
    qtbot.keyClick(window.view.table, Qt.Key.Key_L)
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.00002"}, timeout=10_000)
    idle(qtbot, window)

    qtbot.keyClick(window.view.table, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: window.papers.current_row() is not None
                    and window.papers.current_row().key == "2611.00001", timeout=10_000)
    idle(qtbot, window)
    assert window.papers.state.entry.label == "Inbox" and window.view.search.text() == ""
    assert window.papers.model.rowCount() == 22

    qtbot.keyClick(window.view.table, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.00002"}, timeout=10_000)
    assert window.papers.state.entry.label == "All"
    assert window.view.search.text() == "like:2611.00001"

    window.sidebar.select_label("Starred")  # a new visit clears the way forward
    idle(qtbot, window)
    assert window.history.forward == [] and len(window.history.back) == 2


def test_for_you_lists_inbox_papers_like_the_starred_ones(qtbot, make_window, library):
    from tests.gui.helpers import record

    library.merge_records([record(1, title="Okapi stripes in the forest"),
                           record(2, title="Okapi stripes revisited"),
                           *[record(n, title=f"Unrelated {n}") for n in range(10, 30)]])
    window = make_window()
    window.sidebar.select_label("For you")
    idle(qtbot, window)
    assert window.view.welcome.title.text() == "Star what you like"
    library.mark(["2611.00001"], "starred", True)
    window.sidebar.refresh()
    window.papers.reload()
    qtbot.waitUntil(lambda: shown_keys(window) == {"2611.00002"}, timeout=10_000)
    qtbot.waitUntil(lambda: window.view.statusBar().currentMessage().startswith("For you:"),
                    timeout=10_000)
    assert "okapi" in window.view.statusBar().currentMessage()


def test_reading_lists_papers_in_progress(qtbot, make_window, library):
    from tests.gui.helpers import record

    library.merge_records([record(n) for n in range(1, 5)])
    window = make_window()
    window.sidebar.select_label("Reading")
    idle(qtbot, window)
    assert window.view.welcome.title.text() == "Nothing in progress"
    library.set_position("2611.00002", 3, 0.0)
    library.set_position("2611.00003", 1, 0.5)
    window.papers.reload()
    window.sidebar.refresh()
    idle(qtbot, window)
    qtbot.waitUntil(lambda: window.sidebar.model._view_items["Reading"][1].text() == "2",
                    timeout=5000)
    model = window.papers.model
    assert [model.row_at(p).key for p in range(model.rowCount())] == ["2611.00003", "2611.00002"]
    window.papers.select_position(0)
    window.triage.toggle_read()
    qtbot.waitUntil(lambda: window.tasks.pending == 0, timeout=5000)
    window.papers.reload()
    idle(qtbot, window)
    assert [model.row_at(p).key for p in range(model.rowCount())] == ["2611.00002"]


def test_a_search_typed_just_before_closing_does_not_run_on_the_closed_window(
        qtbot, make_window) -> None:
    window = make_window()
    qtbot.keyClicks(window.view.search, "attention")  # the debounce timer starts
    window.shutdown()
    window.view.close()
    qtbot.wait(window.search.DEBOUNCE_MS * 3)
    assert window.papers.state.search == "" and not window.search._timer.isActive()


def test_saved_search_counts_skip_like_searches_and_broken_ones(library) -> None:
    from readinglist.ui.controllers.sidebar import search_counts

    keys = add_papers(library, 20)
    library.save_search("Speech", "speech")
    library.save_search("Like one", f"like:{keys[0]}")
    library.set_synced_setting("search:Broken", "since:yesterday")  # saved by an older version
    counts = search_counts(library, library.saved_searches())
    assert counts == {"Speech": 2}
