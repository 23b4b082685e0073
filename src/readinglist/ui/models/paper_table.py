"""The paper list: one table model over SQL-ordered ids, rows loaded lazily in cached pages."""

from __future__ import annotations

import dataclasses
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from readinglist.core.rows import PaperRow
from readinglist.core.text import first_authors
from readinglist.ui.qt import (
    QAbstractTableModel, QColor, QFont, QGuiApplication, QModelIndex, QPalette,
    QPersistentModelIndex, Qt)

if TYPE_CHECKING:
    from PySide6.QtCore import QModelRoleDataSpan

RowLoader = Callable[[Sequence[int]], dict[int, PaperRow]]
Index = QModelIndex | QPersistentModelIndex

KEY_ROLE = int(Qt.ItemDataRole.UserRole.value) + 1
ROW_ROLE = int(Qt.ItemDataRole.UserRole.value) + 2
ID_ROLE = int(Qt.ItemDataRole.UserRole.value) + 3

_SOURCE_LABELS = {"hf-daily": "HF", "arxiv-rss": "arXiv", "arxiv-query": "arXiv", "rss": "RSS",
                  "import": "import", "manual": "added"}


def _sources(row: PaperRow) -> str:
    labels = dict.fromkeys(_SOURCE_LABELS.get(s, s) for s in row.sources.split())
    return " · ".join(labels)


SHOWN_AUTHORS = 3


def _authors(row: PaperRow) -> str:
    """The first few authors, then "et al." (the whole list is the cell's tooltip): what fits
    a list column, and Qt need not lay out a thousand-author list only to elide it."""
    names = row.authors.split(", ", SHOWN_AUTHORS)  # at most one piece past those shown
    return row.authors if len(names) <= SHOWN_AUTHORS else first_authors(names, SHOWN_AUTHORS)


@dataclasses.dataclass(frozen=True, slots=True)
class Column:
    """One list column: header, the SQL sort key and one formatter (no per-cell branching)."""

    name: str
    header: str
    sort: str
    text: Callable[[PaperRow], str]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    tooltip: bool = False  # long text: shown whole when hovered
    full: Callable[[PaperRow], str] | None = None  # the whole text where ``text`` shortens it

    def full_text(self, row: PaperRow) -> str:
        """For tooltips and screen readers."""
        return (self.full or self.text)(row)


COLUMNS: tuple[Column, ...] = (
    Column("title", "Title", "title", lambda r: ("★ " if r.starred else "") + r.title,
           tooltip=True),
    Column("authors", "Authors", "authors", _authors, tooltip=True, full=lambda r: r.authors),
    Column("date", "Date", "date", lambda r: r.published.isoformat() if r.published else ""),
    Column("sources", "From", "sources", _sources),
    Column("upvotes", "Upvotes", "upvotes",
           lambda r: "" if r.hf_upvotes is None else str(r.hf_upvotes),
           Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
    Column("tags", "Tags", "tags", lambda r: r.tags, tooltip=True),
)
SORT_KEYS = tuple(c.sort for c in COLUMNS)
_ALIGNMENTS = tuple(int(c.align.value) for c in COLUMNS)
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_FONT = int(Qt.ItemDataRole.FontRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_ACCESSIBLE = int(Qt.ItemDataRole.AccessibleTextRole.value)
_ROLES = frozenset({_DISPLAY, _FONT, _ALIGN, _FOREGROUND, _TOOLTIP, _ACCESSIBLE,
                    int(KEY_ROLE), int(ROW_ROLE), int(ID_ROLE)})
_ROW_FLAGS = (Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
              | Qt.ItemFlag.ItemNeverHasChildren)
_NO_FLAGS = Qt.ItemFlag.NoItemFlags


class PaperTableModel(QAbstractTableModel):
    """Ordered paper ids from a query; ``PaperRow`` pages of ``PAGE`` loaded on first use.

    Only a bounded number of pages is cached; ``refresh_rows`` re-reads rows that changed and
    ``patch_rows`` applies optimistic triage updates before the write lands.
    """

    PAGE = 200
    MAX_PAGES = 25

    def __init__(self, load_rows: RowLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._load_rows = load_rows
        self._ids: list[int] = []
        self._positions: dict[int, int] | None = None
        self._cache: dict[int, PaperRow] = {}
        self._pages: OrderedDict[int, list[int]] = OrderedDict()
        self.sort_key = "date"
        self.descending = True
        self.on_sort: Callable[[str, bool], None] | None = None
        self._bold = QFont()
        self._bold.setBold(True)
        self._dim: QColor | None = None

    def set_loader(self, load_rows: RowLoader) -> None:
        """Load rows through ``load_rows`` from now on (cached rows stay)."""
        self._load_rows = load_rows

    # -- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = _DISPLAY) -> Any:
        # hot path (every painted cell asks for ~8 roles): plain int roles, no enum arithmetic
        role = int(role)
        if role not in _ROLES:
            return None
        row = self._row_for(index.row())
        return None if row is None else self._value(row, index.column(), role)

    def multiData(self, index: Index, roleDataSpan: QModelRoleDataSpan) -> None:  # noqa: N802,N803
        """All the roles a view's delegate asks for a cell, in one call (Qt 6): painting a
        cell crosses from C++ into Python once instead of once per role.

        Every role is written, unknown ones cleared: delegates reuse the span between cells.
        """
        row = self._row_for(index.row())
        column = index.column()
        for position in range(len(roleDataSpan)):
            item = roleDataSpan[position]
            role = item.role()
            value = None if row is None or role not in _ROLES else self._value(row, column, role)
            if value is None:
                item.clearData()
            else:
                item.setData(value)

    def _row_for(self, position: int) -> PaperRow | None:
        if position < 0 or position >= len(self._ids):
            return None
        return self._cache.get(self._ids[position]) or self.row_at(position)

    def _value(self, row: PaperRow, column: int, role: int) -> Any:
        if role == _DISPLAY:
            return COLUMNS[column].text(row)
        if role == _FONT:
            return None if row.read else self._bold
        if role == _ALIGN:
            return _ALIGNMENTS[column]
        if role == _FOREGROUND:
            return self._dim_color() if row.archived else None
        if role == _TOOLTIP:
            spec = COLUMNS[column]
            return spec.full_text(row) if spec.tooltip else None
        if role == _ACCESSIBLE:
            return ("unread, " if not row.read else "") + COLUMNS[column].full_text(row)
        if role == KEY_ROLE:
            return row.key
        if role == ID_ROLE:
            return row.id
        return row  # ROW_ROLE

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            if role == Qt.ItemDataRole.DisplayRole:
                return COLUMNS[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(COLUMNS[section].align.value)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        return _ROW_FLAGS if index.isValid() else _NO_FLAGS

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sorting happens in SQL: remember the key and ask the owner to re-query."""
        if not 0 <= column < len(COLUMNS):
            return
        self.sort_key = COLUMNS[column].sort
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self.on_sort is not None:
            self.on_sort(self.sort_key, self.descending)

    # -- rows ----------------------------------------------------------------------------------

    def palette_changed(self) -> None:
        """The theme changed: archived rows take its dim colour when next painted."""
        self._dim = None

    def _dim_color(self) -> QColor:
        if self._dim is None:
            self._dim = QGuiApplication.palette().color(QPalette.ColorRole.PlaceholderText)
        return self._dim

    def row_at(self, position: int) -> PaperRow | None:
        """The row at a position, loading its page if needed."""
        paper_id = self._ids[position]
        row = self._cache.get(paper_id)
        if row is None:
            self._load_page(position // self.PAGE)
            row = self._cache.get(paper_id)
        return row

    def _load_page(self, page: int) -> None:
        ids = self._ids[page * self.PAGE:(page + 1) * self.PAGE]
        loaded = self._load_rows(ids)
        self._cache.update(loaded)
        self._pages[page] = ids
        self._pages.move_to_end(page)
        while len(self._pages) > self.MAX_PAGES:
            _, dropped = self._pages.popitem(last=False)
            for paper_id in dropped:
                self._cache.pop(paper_id, None)

    def ids(self) -> list[int]:
        return self._ids

    def id_at(self, position: int) -> int:
        return self._ids[position]

    def position_of(self, paper_id: int) -> int | None:
        if self._positions is None:
            self._positions = {pid: pos for pos, pid in enumerate(self._ids)}
        return self._positions.get(paper_id)

    def _cached_position(self, paper_id: int) -> int | None:
        """The position of a row in the cache, found through its page (triage repaints need
        no id -> position map of the whole list, ~10-40 ms to build for 50k ids)."""
        if self._positions is None:
            for page, ids in self._pages.items():
                if page >= 0 and paper_id in ids:
                    position = page * self.PAGE + ids.index(paper_id)
                    if position < len(self._ids) and self._ids[position] == paper_id:
                        return position
                    break
        return self.position_of(paper_id)

    def cached_rows(self) -> list[PaperRow]:
        return list(self._cache.values())

    def set_ids(self, ids: list[int], rows: dict[int, PaperRow] | None = None) -> None:
        """Show a new ordered id list (after a query). ``rows`` may pre-fill the first page."""
        self.beginResetModel()
        self._ids = ids
        self._positions = None
        self._cache.clear()
        self._pages.clear()
        if rows:
            self._cache.update(rows)
            self._pages[0] = ids[:self.PAGE]
        self.endResetModel()

    def extend_ids(self, ids: list[int]) -> bool:
        """Grow the list to ``ids`` if they start with the ids shown now; False otherwise."""
        shown = len(self._ids)
        if len(ids) < shown or ids[:shown] != self._ids:
            return False
        if len(ids) > shown:
            self.beginInsertRows(QModelIndex(), shown, len(ids) - 1)
            self._ids = ids
            self._positions = None
            self.endInsertRows()
        return True

    def patch_rows(self, ids: Iterable[int], **fields: Any) -> None:
        """Change cached rows in place (optimistic triage) and repaint them."""
        for paper_id in ids:
            row = self._cache.get(paper_id)
            if row is not None:
                self._cache[paper_id] = dataclasses.replace(row, **fields)
                self._row_changed(paper_id)

    def replace_rows(self, rows: dict[int, PaperRow]) -> None:
        """Put freshly read rows into the cache and repaint those that changed (a refresh of
        every cached row after a commit elsewhere mostly finds them unchanged)."""
        cache = self._cache
        for paper_id, row in rows.items():
            old = cache.get(paper_id)
            if old is not None and old != row:
                cache[paper_id] = row
                self._row_changed(paper_id)

    def forget_rows(self, ids: Iterable[int]) -> None:
        """Drop rows from the cache so they are re-read when next painted."""
        for paper_id in ids:
            if self._cache.pop(paper_id, None) is not None:
                self._row_changed(paper_id)

    def _row_changed(self, paper_id: int) -> None:
        position = self._cached_position(paper_id)
        if position is not None:
            self.dataChanged.emit(self.index(position, 0),
                                  self.index(position, len(COLUMNS) - 1))

    def remove_ids(self, ids: Iterable[int]) -> None:
        """Take rows out of the list (e.g. archived papers leaving the Inbox)."""
        positions = sorted((p for p in (self.position_of(i) for i in ids) if p is not None),
                           reverse=True)
        for position in positions:
            self.beginRemoveRows(QModelIndex(), position, position)
            paper_id = self._ids.pop(position)
            self._cache.pop(paper_id, None)
            self._positions = None
            self.endRemoveRows()
        if positions:
            self._pages.clear()  # page boundaries moved; rows stay cached by id
            self._pages[-1] = list(self._cache)
