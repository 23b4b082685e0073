"""The paper list: which ids it shows (sidebar entry + search + day + sort) and its selection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from readinglist.ui.models.paper_table import COLUMNS, PaperTableModel
from readinglist.ui.models.entry import SidebarEntry
from readinglist.ui.qt import (
    QAbstractItemView, QEvent, QItemSelection, QItemSelectionModel, QModelIndex, QObject,
    QTableView, Qt, QTimer, Signal)
from readinglist.ui.tasks import Tasks

if TYPE_CHECKING:
    from readinglist.core.changes import Changes
    from readinglist.core.rows import PaperRow


@dataclass(frozen=True, slots=True)
class ListState:
    """What the list shows."""

    entry: SidebarEntry
    search: str = ""
    day: date | None = None
    unread_only: bool = False  # View → Hide read papers


class PaperListController(QObject):
    """Loads ordered ids off the GUI thread, keeps the current paper across reloads."""

    current_changed = Signal(object)  # PaperRow | None
    loaded = Signal()

    def __init__(self, library: Any, tasks: Tasks, table: QTableView,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.tasks = tasks
        self.table = table
        self.model = PaperTableModel(library.rows, self)
        table.setModel(self.model)
        table.horizontalHeader().setSortIndicator(2, Qt.SortOrder.DescendingOrder)
        self.model.sort_key, self.model.descending = "date", True
        self.model.on_sort = lambda key, desc: self.reload()
        self.state = ListState(SidebarEntry("view", "Inbox", "inbox"))
        # called with the state being left and its current row (the window keeps a history)
        self.on_leave: Callable[[ListState, PaperRow | None], None] | None = None
        self._shown: ListState | None = None  # the state whose rows are on screen
        self.loads = 0
        self._generation = 0
        self._current_id: int | None = None
        self.loading = False
        # a list filling from empty (the first fetch): the newest paper stays current until
        # the user picks one, instead of the first paper of the first day that arrived
        self._follow_top = False
        self._user_moved = False
        self._applying = False
        self._reload_timer = QTimer(self)
        self._reload_timer.setSingleShot(True)
        self._reload_timer.setInterval(250)
        self._reload_timer.timeout.connect(self.reload)
        table.selectionModel().currentRowChanged.connect(self._on_current_row)
        table.installEventFilter(self)  # a new theme: the model's cached colours

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.PaletteChange:
            self.model.palette_changed()
        return False

    def set_library(self, library: Any) -> None:
        """Read through ``library`` from now on (start-up: the Library after the reader)."""
        self.library = library
        self.model.set_loader(library.rows)

    # -- what is shown -------------------------------------------------------------------------

    def make_filter(self, state: ListState | None = None) -> Any:
        """The ``queries.Filter`` for a state. Raises ``InputError`` for a malformed search."""
        state = state or self.state
        entry = state.entry
        parts = [p for p in (self.query_text(state), "is:unread" if state.unread_only else "")
                 if p]
        return self.library.make_filter(
            entry.view, tag=entry.tag, query=" ".join(parts) or None,
            listed_on=state.day if entry.kind == "daily" else None, source=entry.source)

    def show(self, state: ListState, select_first: bool = True, fresh: bool = False) -> None:
        """Switch to a new state; the first paper is selected when it loads (for a search, the
        current paper stays current if it is still listed, unless ``fresh``)."""
        if state == self.state and (self.loads or self.loading):
            return
        changed_view = (state.entry, state.day) != (self.state.entry, self.state.day)
        # a list only passed through (its query superseded before it showed) is no place to
        # return to: ``l`` switches to All and searches in one step for the user
        seen = self.loads and self._shown == self.state
        if (state.entry != self.state.entry or fresh) and seen and self.on_leave:
            self.on_leave(self.state, self.current_row())
        self.state = state
        self.reload(reset_current=(changed_view or fresh) and select_first)

    def reload(self, reset_current: bool = False, select_keys: list[str] | None = None,
               on_done: Callable[[], None] | None = None, now: bool = False) -> None:
        """Re-query in the background; newer requests win over older ones.

        Two queries run side by side: the first page (an indexed ``LIMIT``, shown as soon as
        it arrives) and the full ordered id list, which then extends the list in place.
        ``now`` reads the first page on the calling thread (start-up: it takes ~1 ms).
        """
        self._reload_timer.stop()
        self._generation += 1
        generation = self._generation
        flt = self.make_filter()
        sort, descending = self.model.sort_key, self.model.descending
        page = PaperTableModel.PAGE
        library = self.library
        wanted = list(select_keys or ())[:200]
        self.loading = True
        phase = {"first": False, "full": None}

        def first_page() -> tuple[list[int], dict[int, PaperRow]]:
            ids = library.ids(flt, sort, descending, limit=page)
            return ids, library.rows(ids)

        def full() -> tuple[list[int], list[int]]:
            ids = library.ids(flt, sort, descending)
            select_ids = []
            for key in wanted:
                try:
                    select_ids.append(library.get(key).id)
                except Exception:  # noqa: BLE001 - deleted meanwhile: nothing to select
                    continue
            return ids, select_ids

        def first_done(result: tuple[list[int], dict[int, PaperRow]]) -> None:
            if generation != self._generation or phase["full"] is not None:
                return
            phase["first"] = True
            ids, rows = result
            if len(ids) < page and not wanted:  # that was everything
                phase["full"] = (ids, [])
                self._apply(ids, rows, reset_current, [], final=True)
                if on_done is not None:
                    on_done()
                return
            self._apply(ids, rows, reset_current, [], final=False)

        def full_done(result: tuple[list[int], list[int]]) -> None:
            if generation != self._generation or phase["full"] is not None:
                return
            phase["full"] = result
            ids, select_ids = result
            if phase["first"] and not select_ids and self.model.extend_ids(ids):
                self.loading = False
                self.loaded.emit()
            else:
                self._apply(ids, {}, reset_current and not phase["first"], select_ids,
                            final=True)
            if on_done is not None:
                on_done()

        def failed(error: BaseException) -> None:
            if generation == self._generation:
                self.loading = False
                self.tasks.failed.emit(str(error))

        if now:
            try:
                first_done(first_page())
            except Exception as error:  # noqa: BLE001 - shown like a background failure
                failed(error)
            # start-up: the full id list (tens of thousands of rows) waits for the first
            # paint, so that its worker does not compete with it for the interpreter
            if phase["full"] is None:  # else the first page was the whole list
                if phase["first"]:
                    after_next_paint(self.table.viewport(),
                                     lambda: self.tasks.read(full, full_done, failed))
                else:
                    self.tasks.read(full, full_done, failed)
        else:
            self.tasks.read(first_page, first_done, failed)
            self.tasks.read(full, full_done, failed)

    def schedule_reload(self) -> None:
        """Reload soon (coalesces bursts of changes)."""
        self._reload_timer.start()

    def follow_top(self, on: bool) -> None:
        """While on (and the user has not chosen a paper), each reload makes the first paper
        current. Turning it off re-announces the current paper, now one the user sees."""
        was_filling = self.filling
        self._follow_top, self._user_moved = on, False
        if was_filling and not on:
            self.current_changed.emit(self.current_row())

    @property
    def filling(self) -> bool:
        """The list is filling from empty and its current paper was not chosen by the user."""
        return self._follow_top and not self._user_moved

    def _apply(self, ids: list[int], rows: dict[int, PaperRow], reset_current: bool,
               select_ids: list[int], final: bool = True) -> None:
        self._applying = True
        try:
            self._apply_rows(ids, rows, reset_current or self.filling, select_ids, final)
        finally:
            self._applying = False

    def _apply_rows(self, ids: list[int], rows: dict[int, PaperRow], reset_current: bool,
                    select_ids: list[int], final: bool) -> None:
        previous_id = None if reset_current else self._current_id
        previous_position = self.current_position()
        selected = set() if reset_current else set(self.selected_ids())
        self.model.set_ids(ids, rows)
        self.loading = not final
        self.loads += 1
        self._shown = self.state
        target = [i for i in select_ids if self.model.position_of(i) is not None]
        if not target and previous_id is not None \
                and self.model.position_of(previous_id) is not None:
            target = [previous_id] + [i for i in selected if i != previous_id
                                      and self.model.position_of(i) is not None]
        if target:
            self._select_ids(target)
        elif ids:
            position = 0 if previous_position is None or reset_current else \
                min(previous_position, len(ids) - 1)
            self.select_position(position)
        else:
            self._current_id = None
            self.current_changed.emit(None)
        self.loaded.emit()

    # -- selection -----------------------------------------------------------------------------

    def _on_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.row_at(current.row()) if current.isValid() else None
        self._current_id = row.id if row is not None else None
        if not self._applying and row is not None:
            self._user_moved = True
        self.current_changed.emit(row)

    def current_position(self) -> int | None:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else None

    def current_row(self) -> PaperRow | None:
        position = self.current_position()
        return self.model.row_at(position) if position is not None else None

    def selected_positions(self) -> list[int]:
        rows = sorted({i.row() for i in self.table.selectionModel().selectedRows()})
        if not rows and self.current_position() is not None:
            rows = [self.current_position()]  # type: ignore[list-item]
        return rows

    def selected_ids(self) -> list[int]:
        return [self.model.id_at(p) for p in self.selected_positions()]

    def select_position(self, position: int, extend: bool = False) -> None:
        if not 0 <= position < self.model.rowCount():
            return
        index = self.model.index(position, 0)
        flags = QItemSelectionModel.SelectionFlag.Rows | (
            QItemSelectionModel.SelectionFlag.NoUpdate if extend
            else QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.table.selectionModel().setCurrentIndex(index, flags)
        self.table.scrollTo(index, QAbstractItemView.ScrollHint.EnsureVisible)

    def _select_ids(self, ids: list[int]) -> None:
        positions = [p for p in (self.model.position_of(i) for i in ids) if p is not None]
        if not positions:
            return
        self.select_position(positions[0])
        if len(positions) > 1:
            selection = QItemSelection()
            last = len(COLUMNS) - 1
            for position in positions[1:]:
                selection.select(self.model.index(position, 0), self.model.index(position, last))
            self.table.selectionModel().select(
                selection, QItemSelectionModel.SelectionFlag.Select
                | QItemSelectionModel.SelectionFlag.Rows)

    # -- changes -------------------------------------------------------------------------------

    def query_text(self, state: ListState | None = None) -> str:
        """The search behind the list: the sidebar entry's (saved search) and the box's."""
        state = state or self.state
        return " ".join(p for p in (state.entry.query, state.search.strip()) if p)

    def on_changes(self, changes: Changes, local: bool) -> None:
        """Own triage: re-read shown rows. Anything else: re-query the list."""
        if changes.pdf_text and "pdf:" in self.query_text().lower():
            self.schedule_reload()  # more PDFs are searchable: a pdf: search may find more
            return
        if not (changes.papers or changes.tags or changes.notes):
            return
        if not local:
            self.schedule_reload()
            return
        cached = self.model.cached_rows()
        if changes.paper_keys:
            cached = [r for r in cached if r.key in changes.paper_keys]
        ids = [r.id for r in cached]
        if ids:
            self.tasks.read(lambda: self.library.rows(ids), self.model.replace_rows)


class _PaintWatcher(QObject):
    """Runs a callback once: on the event loop turn after a widget's next paint, or after
    ``FALLBACK_MS`` if no paint comes (a hidden or minimised window)."""

    FALLBACK_MS = 500

    def __init__(self, widget: Any, callback: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._callback: Callable[[], None] | None = callback
        widget.installEventFilter(self)
        QTimer.singleShot(self.FALLBACK_MS, self, self._fire)

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            self._widget.removeEventFilter(self)
            callback()
            self.deleteLater()

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Paint and self._callback is not None:
            QTimer.singleShot(0, self, self._fire)
        return False


def after_next_paint(widget: Any, callback: Callable[[], None]) -> None:
    """Call ``callback`` soon after ``widget`` next paints (next turn if it is hidden)."""
    if widget.isVisible():
        _PaintWatcher(widget, callback)
    else:
        QTimer.singleShot(0, callback)
