"""What the paper list says when it is empty, and what it offers to do about it.

One function per situation (a search naming papers, a search, an empty library, everything
in the Trash, everything read, For you, a Daily day, the Inbox); ``empty_state`` picks the first
that applies.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from readinglist.core.query import papers_named, pdf_query, remote_query

FOR_YOU_QUERY = "like:starred"
READING_QUERY = "is:reading"

Action = tuple[str, Callable[[], None]]


class EmptyState(NamedTuple):
    title: str
    text: str
    actions: list[Action]


def empty_state(window: Any) -> EmptyState:
    """The message for ``window``'s empty list (``window``: the ``MainWindow`` controller)."""
    state = window.papers.state
    entry = state.entry
    named = papers_named(state.search)
    if named:
        return _named(window, named)
    if state.search:
        return _no_matches(window)
    if window.sidebar.data.total == 0 and entry.kind != "daily":
        if not window.sidebar.data.trash:
            return _empty_library(window)
        if entry.view != "trash":
            return _all_in_trash(window)
    if state.unread_only and entry.kind != "daily":
        return EmptyState(
            "All read", f"Every paper in {entry.label} is read. Read papers are hidden (View "
            "menu).", [("Show read papers",
                        lambda: window.actions["hide_read"].setChecked(False))])
    if entry.query == FOR_YOU_QUERY:
        return _for_you(window)
    if entry.query == READING_QUERY:
        return EmptyState("Nothing in progress",
                          "Papers you open in the viewer and read past the first page wait here, "
                          "the one you read last first, until you mark them read (m).", [])
    if entry.kind == "daily":
        return _daily(window)
    if entry.view == "trash":
        return EmptyState("The Trash is empty", "Papers you delete (Del) wait here, hidden "
                          "everywhere else and never brought back by a fetch; Del here "
                          "restores one.", [])
    if entry.view == "inbox":
        return EmptyState("Inbox zero", "Everything is archived. New papers arrive with the "
                          "next fetch.", [("Fetch now", window.fetch.fetch_now)])
    return EmptyState("Nothing here", f"No papers in {entry.label} yet.", [])


def _named(window: Any, named: Any) -> EmptyState:
    entry = window.papers.state.entry
    clear = ("Clear search", window.search.clear)
    if not (entry.kind == "view" and entry.view == "all"):
        return EmptyState(f"Not in {entry.label}",
                          f"No paper in {entry.label} is {' or '.join(named.ids)}.",
                          [("Look in All papers", lambda: window.sidebar.select_label("All")),
                           clear])
    trashed = _in_trash(window, named.ids)
    if trashed:
        return _named_in_trash(window, trashed)
    if not named.arxiv_ids:
        return _no_matches(window)
    one = len(named.ids) == 1
    return EmptyState(
        "Not in your library",
        f"{' and '.join(named.ids)} {'is' if one else 'are'} not in your library yet. Fetch "
        f"from arXiv to add {'it' if one else 'them'}.",
        [("Fetch from arXiv", lambda: window.adder().add_ids(" ".join(named.ids))), clear])


def _in_trash(window: Any, ids: Any) -> list[str]:
    """Those of ``ids`` that name papers in the Trash (a key lookup each)."""
    from readinglist.core.errors import ReadinglistError, TrashedPaperError

    found = []
    for text in ids:
        try:
            window.library.resolve(text)
        except TrashedPaperError:
            found.append(text)
        except ReadinglistError:
            continue
    return found


def _named_in_trash(window: Any, ids: list[str]) -> EmptyState:
    one = len(ids) == 1
    return EmptyState(
        "In the Trash",
        f"{' and '.join(ids)} {'is' if one else 'are'} in the Trash: hidden everywhere else, "
        "kept with tags, note and highlights.",
        [("Restore", lambda: window.adder().add_ids(" ".join(ids))),
         ("Show the Trash", lambda: window.sidebar.select_label("Trash")),
         ("Clear search", window.search.clear)])


def _no_matches(window: Any) -> EmptyState:
    state = window.papers.state
    entry = state.entry
    text = f"No paper in {entry.label} matches “{state.search}”."
    if state.unread_only:
        text += " Read papers are hidden (View → Hide read papers)."
    actions: list[Action] = [("Clear search", window.search.clear)]
    if "pdf:" in state.search.lower():
        text += (" pdf: searches the text of the PDFs on this machine — those you opened, "
                 "downloaded or attached.")
        return EmptyState("No matches", text, actions)
    in_pdfs = pdf_query(state.search)
    if in_pdfs:
        text += " Your PDFs may mention it."
        actions.insert(0, ("Search the text of your PDFs",
                           lambda: window.search.replace(in_pdfs)))
    remote = remote_query(state.search) if entry.view in ("inbox", "all") else None
    if remote:
        text += " arXiv may have some: search it to add the newest 50 matches."
        actions.insert(0, ("Search arXiv", lambda: window.fetch.search_arxiv(remote)))
    return EmptyState("No matches", text, actions)


def _all_in_trash(window: Any) -> EmptyState:
    """Every paper was deleted: not a new library, so no welcome."""
    count = window.sidebar.data.trash
    return EmptyState(
        "Everything is in the Trash",
        f"All {count} papers of your library are in the Trash (Ctrl+8); Del there restores "
        "one. New papers arrive with the next fetch." if count > 1 else
        "The one paper of your library is in the Trash (Ctrl+8); Del there restores it. New "
        "papers arrive with the next fetch.",
        [("Show the Trash", lambda: window.sidebar.select_label("Trash")),
         ("Fetch now", window.fetch.fetch_now)])


def _empty_library(window: Any) -> EmptyState:
    fetch = window.fetch
    if fetch.running or not fetch.ran_once:
        return EmptyState(
            "Welcome to readinglist",
            "Fetching today's Hugging Face Daily Papers — they will appear here in a moment. "
            "Then: j/k to move, m read, s star, e archive, t tag; F1 lists every key.", [])
    if fetch.offline:
        return EmptyState(
            "You are offline",
            "readinglist could not reach the internet, so your library is still empty. Your "
            "subscriptions are fetched as soon as you are back online (press r to retry). Add "
            "arXiv categories or RSS feeds in Preferences (Ctrl+,), or bring in papers you "
            "have: PDF files (or drop them here), a BibTeX or RIS export.",
            [("Retry", fetch.fetch_now), ("Preferences…", window.open_preferences),
             ("Add PDF files…", lambda: window.adder().add_pdfs())])
    return EmptyState(
        "Your library is empty",
        "Nothing has arrived from your subscriptions yet. Add arXiv categories or RSS feeds in "
        "Preferences, then press r to fetch — or bring in PDF files you have (or drop them "
        "here).",
        [("Fetch now", fetch.fetch_now), ("Preferences…", window.open_preferences),
         ("Add PDF files…", lambda: window.adder().add_pdfs())])


def _for_you(window: Any) -> EmptyState:
    if window.sidebar.data.starred:
        return EmptyState("Nothing like your starred papers",
                          "No paper in the Inbox shares enough words with the papers you "
                          "starred. New ones are checked as they arrive.", [])
    return EmptyState("Star what you like",
                      "Star papers with s. For you then lists the Inbox papers that share their "
                      "most distinctive words, best first — worked out on this machine.", [])


def _daily(window: Any) -> EmptyState:
    sidebar = window.sidebar
    day = sidebar.day.strftime("%A %-d %B %Y")
    if sidebar.day in sidebar.fetching_days:
        return EmptyState("Fetching…", f"Getting the Hugging Face list for {day}.", [])
    error = sidebar.failed_days.get(sidebar.day)
    if error is not None:
        return EmptyState("Could not fetch this day",
                          f"The Hugging Face list for {day} could not be fetched: {error}",
                          [("Retry", lambda: sidebar.go_to_day(sidebar.day))])
    return EmptyState("No papers this day",
                      f"No papers were listed on {day}. Hugging Face publishes none on weekends "
                      "and some holidays. Use [ and ] to page through days.", [])

