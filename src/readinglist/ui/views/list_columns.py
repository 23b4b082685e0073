"""The paper list in a narrow pane: the least needed columns step aside for the title.

With the horizontal scroll bar off, columns wider than the pane were cut off (half an upvote
count, no Tags at all) and the stretching Title shrank to a few letters. Below a comfortable
title width, Tags, From, Upvotes and then Date are hidden, in that order, and come back when
the pane is wide enough again.
"""

from __future__ import annotations

from typing import Any

from readinglist.ui.qt import QEvent, QHeaderView, QObject, QTableView

# logical columns (see ``models.paper_table.COLUMNS``), the first to give way first
HIDE_ORDER = (5, 3, 4, 2)  # tags, from, upvotes, date
TITLE = 0
MIN_TITLE = 220  # px: a title still readable at a glance


class NarrowColumns(QObject):
    """Hides and shows the list's optional columns as the table's width changes."""

    def __init__(self, table: QTableView) -> None:
        super().__init__(table)
        self.table = table
        self.header: QHeaderView = table.horizontalHeader()
        self.widths: dict[int, int] = {}  # the width each column had when it was hidden
        table.viewport().installEventFilter(self)

    def eventFilter(self, watched: Any, event: Any) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            self.fit()
        return False

    def width_of(self, column: int) -> int:
        """A column's width, remembered while it is hidden."""
        if self.header.isSectionHidden(column):
            return self.widths.get(column, self.header.defaultSectionSize())
        return self.header.sectionSize(column)

    def hidden_for(self, available: int) -> set[int]:
        """The columns to hide so that the title keeps ``MIN_TITLE`` of ``available`` px."""
        count = self.header.count()
        others = [c for c in range(count) if c != TITLE]
        for steps in range(len(HIDE_ORDER) + 1):
            hidden = {c for c in HIDE_ORDER[:steps] if c < count}
            used = sum(self.width_of(c) for c in others if c not in hidden)
            if available - used >= MIN_TITLE:
                return hidden
        return {c for c in HIDE_ORDER if c < count}

    def fit(self) -> None:
        """Show the columns there is room for; hide the others."""
        available = self.table.viewport().width()
        if available <= 0 or self.header.count() <= TITLE:
            return
        hidden = self.hidden_for(available)
        for column in HIDE_ORDER:
            if column >= self.header.count():
                continue
            if column in hidden and not self.header.isSectionHidden(column):
                self.widths[column] = self.header.sectionSize(column)
                self.header.hideSection(column)
            elif column not in hidden and self.header.isSectionHidden(column):
                self.header.showSection(column)
                if column in self.widths:
                    self.header.resizeSection(column, self.widths[column])
