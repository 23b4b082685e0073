"""The main window layout: sidebar | search, banner and paper list | detail pane; status bar.

The shell (sidebar, search field, paper list, status bar) is built at once; ``build_rest`` adds
what the first painted rows do not need (detail pane, day bar, banner, empty-state page,
progress bar). Until then a plain pane of the detail pane's colour holds its place.
"""

from __future__ import annotations

from typing import Any

from readinglist.ui.qt import (
    QAbstractItemView, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QMainWindow, QCloseEvent,
    QSplitter, QStackedWidget, QTableView, QToolButton, QTreeView, Qt, QVBoxLayout, QWidget,
    Signal)


class MainView(QMainWindow):
    """Widgets and layout only; ``controllers.main_window`` wires everything."""

    closing = Signal()
    dropped = Signal(list, str)  # local files or links, and any plain text, dropped on the window
    # added by ``build_rest``
    detail: Any  # DetailView (a plain placeholder before)
    day_bar: QWidget
    previous_day: QToolButton
    day_picker: Any  # QDateEdit
    next_day: QToolButton
    day_status: QLabel
    banner: Any  # Banner
    welcome: Any  # Welcome
    progress: Any  # QProgressBar

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle("readinglist")
        self.setObjectName("mainWindow")
        self.setAcceptDrops(True)

        self.sidebar = QTreeView()
        self.sidebar.setObjectName("sidebar")
        self.sidebar.setHeaderHidden(True)
        self.sidebar.setRootIsDecorated(False)
        self.sidebar.setIndentation(14)
        self.sidebar.setUniformRowHeights(True)
        self.sidebar.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.sidebar.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.sidebar.setMinimumWidth(170)
        self.sidebar.setAccessibleName("Lists, tags, subscriptions and saved searches")

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            'Search  (/)   words  "phrase"  tag:x  author:y  is:unread  pdf:word  since:2026-11-01')
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search papers")
        self.save_search = QToolButton()
        self.save_search.setText("Save search")
        self.save_search.setToolTip("Save this search in the sidebar")
        self.save_search.setEnabled(False)
        self.search_error = QLabel()
        self.search_error.setObjectName("dim")
        self.search_error.setTextFormat(Qt.TextFormat.PlainText)
        self.search_error.hide()

        self.table = QTableView()
        self.table.setObjectName("paperList")
        self.table.setAccessibleName("Papers")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSortingEnabled(True)
        self.table.setTabKeyNavigation(False)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(
            self.table.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setSectionsMovable(True)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setTextElideMode(Qt.TextElideMode.ElideRight)
        from readinglist.ui.views.list_columns import NarrowColumns

        self.narrow_columns = NarrowColumns(self.table)  # a small window: the title first
        self.list_stack = QStackedWidget()
        self.list_stack.addWidget(self.table)

        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.setSpacing(0)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(8, 8, 8, 6)
        top_layout.setSpacing(6)
        search_row = QHBoxLayout()
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.save_search)
        top_layout.addLayout(search_row)
        top_layout.addWidget(self.search_error)
        centre_layout.addWidget(top)
        centre_layout.addWidget(self.list_stack, 1)
        self._top_layout, self._centre_layout = top_layout, centre_layout

        # stands in for the detail pane until ``build_rest`` (same colour, same place)
        self.detail = QWidget()
        self.detail.setObjectName("detailPane")
        self.detail.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.setHandleWidth(1)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setStretchFactor(2, 2)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([180, 790, 390])
        self.setCentralWidget(self.splitter)

        status = self.statusBar()
        self.status_text = QLabel()
        self.status_text.setTextFormat(Qt.TextFormat.PlainText)
        self.count_label = QLabel()
        self.count_label.setObjectName("dim")
        status.addWidget(self.status_text, 1)
        status.addPermanentWidget(self.count_label)
        self.resize(1300, 820)
        self.built = False

    def build_rest(self) -> None:
        """Add the detail pane, day bar, banner, empty-state page and progress bar (once)."""
        if self.built:
            return
        self.built = True
        from readinglist.ui.qt import QDateEdit, QProgressBar
        from readinglist.ui.views.banner import Banner
        from readinglist.ui.views.detail_view import DetailView
        from readinglist.ui.views.welcome import Welcome

        self.day_bar = QWidget()
        day_layout = QHBoxLayout(self.day_bar)
        day_layout.setContentsMargins(0, 0, 0, 0)
        self.previous_day = QToolButton()
        self.previous_day.setText("◀")
        self.previous_day.setToolTip("Previous day  ([)")
        self.previous_day.setAccessibleName("Previous day")
        self.day_picker = QDateEdit()
        self.day_picker.setCalendarPopup(True)
        self.day_picker.setDisplayFormat("ddd d MMMM yyyy")
        self.day_picker.setAccessibleName("Day")
        self.next_day = QToolButton()
        self.next_day.setText("▶")
        self.next_day.setToolTip("Next day  (])")
        self.next_day.setAccessibleName("Next day")
        self.day_status = QLabel()
        self.day_status.setObjectName("dim")
        self.day_status.setTextFormat(Qt.TextFormat.PlainText)
        for widget in (self.previous_day, self.day_picker, self.next_day):
            day_layout.addWidget(widget)
        day_layout.addSpacing(8)
        day_layout.addWidget(self.day_status, 1)
        self.day_bar.hide()

        self._top_layout.addWidget(self.day_bar)
        self.banner = Banner()
        self._centre_layout.insertWidget(1, self.banner)
        self.welcome = Welcome()
        self.list_stack.addWidget(self.welcome)

        placeholder, self.detail = self.detail, DetailView()
        # once on screen, the pane keeps the width the window gave it (else it came back at
        # its first width, squeezing the list of a small window)
        sizes = self.splitter.sizes() if self.splitter.isVisible() else None
        self.splitter.replaceWidget(2, self.detail)
        if sizes:
            self.splitter.setSizes(sizes)
        placeholder.deleteLater()

        self.progress = QProgressBar()
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(120)
        self.progress.setMaximumHeight(12)
        self.progress.setTextVisible(False)
        self.progress.setAccessibleName("Working")
        self.progress.hide()
        # before the paper count (index 0 is the status text, a normal widget)
        self.statusBar().insertPermanentWidget(1, self.progress)

    def show_welcome(self, show: bool) -> None:
        self.list_stack.setCurrentWidget(self.welcome if show else self.table)

    def dragEnterEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        mime = event.mimeData()
        if mime.hasUrls() or mime.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: Any) -> None:  # noqa: N802 - Qt override
        mime = event.mimeData()
        urls = [url.toLocalFile() if url.isLocalFile() else url.toString()
                for url in mime.urls()]
        self.dropped.emit(urls, "" if urls else mime.text())
        event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        self.closing.emit()
        super().closeEvent(event)
