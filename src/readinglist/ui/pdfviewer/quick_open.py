"""Open another paper from the viewer (Ctrl+O): type a few words, pick, read — without going
back to the main window. With nothing typed it offers the papers you are reading."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (QDialog, QDialogButtonBox, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QVBoxLayout, QWidget)

from readinglist.core.errors import ReadinglistError
from readinglist.core.text import first_authors

LIMIT = 30
KEY_ROLE = Qt.ItemDataRole.UserRole


def describe(paper: Any) -> str:
    """``Title — First Author et al., 2024``."""
    who = first_authors(paper.authors, 1)
    year = str(paper.published.year) if paper.published else ""
    tail = ", ".join(p for p in (who, year) if p)
    return f"{paper.title} — {tail}" if tail else paper.title


class QuickOpenDialog(QDialog):
    """A search field over the library and its first matches; ``chosen`` is the key picked."""

    DEBOUNCE_MS = 120

    def __init__(self, library: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open a paper")
        self.library = library
        self.chosen: str | None = None
        self.field = QLineEdit()
        self.field.setPlaceholderText("Words from the title, authors, abstract or your notes; "
                                      "an arXiv id")
        self.hint = QLabel()
        self.hint.setObjectName("dim")
        self.matches = QListWidget()
        self.matches.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.matches.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.matches.setUniformItemSizes(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Open
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.field)
        layout.addWidget(self.hint)
        layout.addWidget(self.matches, 1)
        layout.addWidget(buttons)
        self.resize(640, 420)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh)
        self.field.textChanged.connect(lambda _text: self._timer.start())
        self.field.returnPressed.connect(self.accept)
        self.matches.itemActivated.connect(lambda _item: self.accept())
        self.refresh()

    def keyPressEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        """Up and down move through the matches while typing."""
        if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.matches.count():
            row = self.matches.currentRow() + (1 if event.key() == Qt.Key.Key_Down else -1)
            self.matches.setCurrentRow(max(0, min(self.matches.count() - 1, row)))
            return
        super().keyPressEvent(event)

    def refresh(self) -> None:
        """List the matches for the text typed (the papers being read when it is empty)."""
        self._timer.stop()
        text = self.field.text().strip()
        try:
            papers = self.library.list(view="all", query=text or "is:reading", limit=LIMIT)
        except ReadinglistError as error:
            self.hint.setText(str(error))
            return
        self.hint.setText("Papers you are reading" if not text else
                          "No paper matches" if not papers else "")
        self.hint.setVisible(bool(self.hint.text()))
        self.matches.clear()
        for paper in papers:
            item = QListWidgetItem(describe(paper))
            item.setData(KEY_ROLE, paper.key)
            item.setToolTip(paper.key)
            self.matches.addItem(item)
        if papers:
            self.matches.setCurrentRow(0)

    def accept(self) -> None:
        if self._timer.isActive():  # Enter right after typing: match what was typed
            self.refresh()
        item = self.matches.currentItem()
        if item is None:
            return
        self.chosen = str(item.data(KEY_ROLE))
        super().accept()
