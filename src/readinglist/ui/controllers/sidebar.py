"""The sidebar: choosing a view, counts kept fresh in the background, Daily paging by day."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from readinglist.core.changes import Changes
from readinglist.ui.controllers.paper_list import PaperListController
from readinglist.ui.models.sidebar import ENTRY_ROLE, SidebarData, SidebarEntry, SidebarModel
from readinglist.ui.qt import (
    QDate, QHeaderView, QItemSelectionModel, QKeySequence, QMenu, QModelIndex, QObject,
    QShortcut, Qt, QTimer, Signal)
from readinglist.ui.tasks import Tasks
from readinglist.ui.views.main_view import MainView


def search_counts(library: Any, searches: list[Any]) -> dict[str, int]:
    """How many papers each saved search finds (as its list shows them, in All); none for
    ``like:`` searches (ranking the library each time the counts refresh costs too much) or
    one that no longer parses."""
    from readinglist.core.errors import ReadinglistError

    counts = {}
    for search in searches:
        if "like:" in search.query.lower():
            continue
        try:
            counts[search.name] = library.count(library.make_filter("all", query=search.query))
        except ReadinglistError:
            continue
    return counts


def _today() -> date:
    return date.today()


class SidebarController(QObject):
    """Owns the sidebar model; selecting an entry switches the paper list."""

    counts_loaded = Signal(object)  # SidebarData
    day_missing = Signal(object)  # date: not in the library yet

    def __init__(self, library: Any, tasks: Tasks, view: MainView,
                 papers: PaperListController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.view = view
        self.papers = papers
        self.model = SidebarModel(self)
        self.data = SidebarData()
        self.listed_days: set[date] = set()
        self.requested_days: set[date] = set()
        self.fetching_days: set[date] = set()
        self.failed_days: dict[date, str] = {}  # the last fetch of these days failed: why
        self.today: Callable[[], date] = _today
        self.day = self.today()
        self.day_chosen = False
        tree = view.sidebar
        tree.setModel(self.model)
        tree.header().setStretchLastSection(False)
        tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        tree.expandAll()
        tree.selectionModel().currentChanged.connect(self._on_current)
        tree.customContextMenuRequested.connect(self._context_menu)
        rename = QShortcut(QKeySequence("F2"), tree, self.rename_current_tag)
        rename.setContext(Qt.ShortcutContext.WidgetShortcut)
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(400)
        self._refresh_timer.timeout.connect(self.refresh)
        view.previous_day.clicked.connect(self.previous_day)
        view.next_day.clicked.connect(self.next_day)
        view.day_picker.dateChanged.connect(self._picked)
        self.on_delete_search: Callable[[str], None] | None = None
        self.on_rename_tag: Callable[[str], None] | None = None
        self.on_delete_tag: Callable[[str], None] | None = None
        self._select_next: Callable[[], str] | None = None  # the entry to select next

    # -- selection -----------------------------------------------------------------------------

    def select_label(self, label: str) -> None:
        item = self.model.view_item(label)
        self.view.sidebar.selectionModel().setCurrentIndex(
            item.index(), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)

    def select_entry(self, ident: str) -> bool:
        item = self.model.find(ident)
        if item is None:
            return False
        self.view.sidebar.selectionModel().setCurrentIndex(
            item.index(), QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows)
        return True

    def current_entry(self) -> SidebarEntry:
        return self.papers.state.entry

    def select_after_refresh(self, ident: str) -> None:
        """Select the entry ``ident`` once the next refresh shows it (a renamed tag)."""
        self._select_next = lambda: ident
        self._refresh_timer.start()

    def select_search_after_refresh(self, name: str) -> None:
        """Select the saved search ``name`` once the next refresh shows it (just saved)."""
        self._select_next = lambda: self.model.find_search(name)
        self._refresh_timer.start()

    def _on_current(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = current.data(ENTRY_ROLE) if current.isValid() else None
        if entry is None:
            return
        self.view.day_bar.setVisible(entry.kind == "daily")
        if entry.kind == "daily":
            self._show_day(self.day)
            return
        self.papers.show(dataclasses.replace(self.papers.state, entry=entry, day=None))

    # -- daily ---------------------------------------------------------------------------------

    def set_listed_days(self, days: list[date]) -> None:
        """Days present in the library; Daily opens on the latest one until the user pages."""
        self.listed_days = set(days)
        today = self.today()
        past = [d for d in days if d <= today]
        if past and not self.day_chosen and self.papers.state.entry.kind != "daily":
            self.day = past[-1]

    def previous_day(self) -> None:
        self.go_to_day(self.day - timedelta(days=1))

    def next_day(self) -> None:
        if self.day < self.today():
            self.go_to_day(self.day + timedelta(days=1))

    def go_to_day(self, day: date) -> None:
        """Show the Daily list of ``day`` (selecting Daily in the sidebar if needed)."""
        self.day = min(day, self.today())
        self.day_chosen = True
        if self.papers.state.entry.kind != "daily":
            self.select_label("Daily")
        else:
            self._show_day(self.day)

    def _picked(self, qdate: QDate) -> None:
        picked = date(qdate.year(), qdate.month(), qdate.day())
        if picked != self.day:
            self.go_to_day(picked)

    def _show_day(self, day: date) -> None:
        self.day = day
        picker = self.view.day_picker
        picker.blockSignals(True)
        picker.setMaximumDate(QDate(self.today().year, self.today().month, self.today().day))
        picker.setDate(QDate(day.year, day.month, day.day))
        picker.blockSignals(False)
        self.view.next_day.setEnabled(day < self.today())
        entry = self.model.view_item("Daily").data(ENTRY_ROLE)
        self.papers.show(dataclasses.replace(self.papers.state, entry=entry, day=day))
        if day not in self.listed_days and day not in self.requested_days:
            self.requested_days.add(day)
            self.fetching_days.add(day)
            self.day_missing.emit(day)
        self.update_day_status()

    def day_fetched(self, day: date, error: str | None) -> None:
        """The on-demand fetch for ``day`` finished."""
        self.fetching_days.discard(day)
        if error:
            self.requested_days.discard(day)  # allow a retry later
            self.failed_days[day] = error
        else:
            self.failed_days.pop(day, None)
        if self.papers.state.entry.kind == "daily" and self.day == day:
            self.papers.reload()
        self.update_day_status(error)

    def update_day_status(self, error: str | None = None) -> None:
        if self.day in self.fetching_days:
            text = "Fetching this day's list…"
        elif error:
            text = f"Could not fetch this day: {error}"
        else:
            text = ""
        self.view.day_status.setText(text)

    # -- counts --------------------------------------------------------------------------------

    def on_changes(self, changes: Changes, _local: bool) -> None:
        if changes.any:
            self._refresh_timer.start()

    def refresh(self) -> None:
        """Re-read every count and list in the background."""
        library = self.library
        day = self.day

        def work() -> tuple[SidebarData, list[date]]:
            data = SidebarData(
                inbox_unread=library.count(library.make_filter("unread")),
                starred=library.count(library.make_filter("starred")),
                total=library.count(library.make_filter("all")),
                daily=library.count(library.make_filter("daily", listed_on=day)),
                reading=library.count(library.make_filter("all", query="is:reading")),
                trash=library.count(library.make_filter("trash")),
                tags=library.tag_counts(),
                searches=library.saved_searches(),
            )
            from readinglist.ui.models.sidebar import subscription_entry

            for subscription in library.subscriptions():
                if not subscription.enabled:
                    continue
                entry = subscription_entry(subscription)
                flt = library.make_filter(entry.view, query=entry.query, source=entry.source)
                data.subscriptions.append((subscription, library.count(flt)))
            data.search_counts = search_counts(library, data.searches)
            return data, library.listed_days()

        self.tasks.read(work, self._refreshed)

    def _refreshed(self, result: tuple[SidebarData, list[date]]) -> None:
        data, days = result
        current = self.papers.state.entry
        self.data = data
        self.set_listed_days(days)
        self.model.update(data)
        self.view.sidebar.expandAll()
        wanted, self._select_next = self._select_next, None
        if wanted is not None and self.select_entry(wanted()):
            return self.counts_loaded.emit(data)
        if current.kind in ("tag", "subscription", "search"):
            # a rebuilt group loses the tree's current row: select the entry shown again (a
            # saved search whose query followed a renamed tag is found by its name)
            if not (self.select_entry(current.ident)
                    or (current.kind == "search" and self.select_entry(
                        self.model.find_search(current.label)))):
                self.select_label("Inbox")
        self.counts_loaded.emit(data)

    # -- context menu --------------------------------------------------------------------------

    def _context_menu(self, point: Any) -> None:
        index = self.view.sidebar.indexAt(point)
        entry = index.data(ENTRY_ROLE) if index.isValid() else None
        if entry is None or entry.kind not in ("search", "tag"):
            return
        menu = QMenu(self.view.sidebar)
        if entry.kind == "tag":
            rename = menu.addAction(f"Rename tag “{entry.tag}”…")
            rename.setShortcut("F2")
            remove = menu.addAction(f"Delete tag “{entry.tag}”…")
            actions = {rename: self.on_rename_tag, remove: self.on_delete_tag}
            argument = entry.tag
        else:
            remove = menu.addAction(f"Delete saved search “{entry.label}”")
            actions = {remove: self.on_delete_search}
            argument = entry.label
        chosen = menu.exec(self.view.sidebar.viewport().mapToGlobal(point))
        handler = actions.get(chosen)
        if handler is not None:
            handler(argument)

    def rename_current_tag(self) -> None:
        """F2 in the sidebar: rename the tag selected there."""
        entry = self.current_entry()
        if entry.kind == "tag" and entry.tag and self.on_rename_tag is not None:
            self.on_rename_tag(entry.tag)
