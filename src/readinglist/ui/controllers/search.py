"""Type-to-filter: a light debounce, query errors shown inline, saving a search."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from readinglist.core.errors import ReadinglistError
from readinglist.core.query import parse_query
from readinglist.core.text import shorten
from readinglist.ui.controllers.paper_list import PaperListController
from readinglist.ui.events import LibraryEvents
from readinglist.ui.qt import QInputDialog, QLineEdit, QObject, QTimer, Signal
from readinglist.ui.tasks import Tasks
from readinglist.ui.views.main_view import MainView


FOR_YOU_MESSAGE = "For you:"  # how the status bar's explanation of For you begins


class SearchController(QObject):
    """The search field filters the current view; queries run on the reader pool."""

    message = Signal(str)
    saved = Signal(str)

    DEBOUNCE_MS = 120

    def __init__(self, library: Any, tasks: Tasks, events: LibraryEvents, view: MainView,
                 papers: PaperListController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.events = events
        self.view = view
        self.papers = papers
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.apply)
        view.search.textChanged.connect(self._typed)
        view.search.returnPressed.connect(self._enter)
        view.save_search.clicked.connect(self.save_current)
        self.ask_name = self._ask_name
        self._explained: Any = None  # the For you list and words last explained
        self.select_all: Callable[[], None] = lambda: None  # the sidebar's All (set by the window)

    def shutdown(self) -> None:
        """The window is closing: a search typed just before must not run on it."""
        self._timer.stop()
        self._timer.timeout.disconnect(self.apply)

    def _typed(self, _text: str) -> None:
        self.view.save_search.setEnabled(bool(self.view.search.text().strip()))
        self._timer.start()

    def _enter(self) -> None:
        self.apply()
        self.view.table.setFocus()

    def apply(self) -> None:
        """Filter the list by the search text now (invalid queries keep the last results)."""
        self._timer.stop()
        text = self.view.search.text().strip()
        try:
            if text:
                parse_query(text)
        except ReadinglistError as error:
            self.view.search_error.setText(str(error))
            self.view.search_error.show()
            return
        self.view.search_error.hide()
        if text != self.papers.state.search:
            self.papers.show(dataclasses.replace(self.papers.state, search=text))

    def replace(self, query: str) -> None:
        """Search for ``query`` (a valid one) in the list shown, as if typed."""
        self.view.search.setText(query)
        self.apply()

    def search_everywhere(self, query: str) -> None:
        """Show All filtered by ``query`` (a valid one) as a new list, its first paper current:
        what ``l``, Add papers and a pasted link lead to."""
        self.select_all()
        self.view.search.setText(query)
        self._timer.stop()
        self.view.search_error.hide()
        self.papers.show(dataclasses.replace(self.papers.state, search=query), fresh=True)

    def show_similar(self, row: Any) -> None:
        """``l``: the papers most like ``row`` (in All), and the words that made them alike."""
        if row is None:
            return
        self.search_everywhere(f"like:{row.key}")
        library, key, title = self.library, row.key, row.title

        def said(words: list[str]) -> None:
            short = shorten(title, 50)
            self.message.emit(f"Papers like “{short}”, most alike first — sharing: "
                              f"{', '.join(words)}" if words
                              else f"Nothing in the library is much like “{short}” yet")

        self.tasks.read(lambda: library.similar_terms(key), said)

    def explain_for_you(self) -> None:
        """When For you has loaded, say which words of the starred papers it ranks by (once
        per list and profile)."""
        from readinglist.core.similar import STARRED
        from readinglist.ui.controllers.empty_state import FOR_YOU_QUERY

        if self.papers.state.entry.query != FOR_YOU_QUERY or self.papers.loading:
            self._explained = None
            self._forget_for_you()
            return
        library = self.library

        def said(words: list[str]) -> None:
            shown = (self.papers.state, tuple(words))
            if not words:  # the last star went: the words shown no longer rank anything
                self._explained = None
                self._forget_for_you(always=True)
            elif self.papers.state.entry.query == FOR_YOU_QUERY \
                    and self._explained != shown:
                self._explained = shown
                self.message.emit(f"{FOR_YOU_MESSAGE} Inbox papers sharing words with your "
                                  f"starred papers, best first — {', '.join(words[:8])}"
                                  + ("…" if len(words) > 8 else ""))  # "…": more words rank

        self.tasks.read(lambda: library.similar_terms(STARRED), said)

    def _forget_for_you(self, always: bool = False) -> None:
        """Another list is shown (or, ``always``, nothing is starred any more): For you's
        words no longer describe it."""
        from readinglist.ui.controllers.empty_state import FOR_YOU_QUERY

        status = self.view.statusBar()
        if (always or self.papers.state.entry.query != FOR_YOU_QUERY) and \
                status.currentMessage().startswith(FOR_YOU_MESSAGE):
            status.clearMessage()

    def focus(self) -> None:
        self.view.search.setFocus()
        self.view.search.selectAll()

    def clear(self) -> None:
        """Esc: clear the search and go back to the list."""
        if self.view.search.text():
            self.view.search.clear()
            self.apply()
        self.view.table.setFocus()

    def _ask_name(self, query: str) -> str | None:
        name, ok = QInputDialog.getText(self.view, "Save search", "Name for this search:",
                                        QLineEdit.EchoMode.Normal, query)
        return name.strip() if ok and name.strip() else None

    def save_current(self) -> None:
        """Save the search text (with the current tag/subscription narrowing) in the sidebar."""
        query = " ".join(p for p in (self.papers.state.entry.query,
                                     self.view.search.text().strip()) if p)
        tag = self.papers.state.entry.tag
        if tag:  # a name with spaces is quoted, as the search language reads it
            query = f"tag:{_quoted(tag)} {query}".strip()
        if not query:
            return
        name = self.ask_name(query)
        if not name:
            return

        def job() -> None:
            with self.events.local():
                self.library.save_search(name, query)

        def done(_result: object) -> None:
            self.message.emit(f"Saved search “{name}”")
            self.saved.emit(name)

        self.tasks.write(job, done, lambda e: self.message.emit(f"Could not save: {e}"))

    def delete(self, name: str) -> None:
        self.tasks.write(lambda: self.library.delete_search(name))


def _quoted(name: str) -> str:
    """A tag name as one ``tag:`` value: ``llm``, ``"long context"``."""
    return f'"{name}"' if any(c.isspace() for c in name) else name
