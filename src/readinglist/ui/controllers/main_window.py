"""The main window: builds the controllers, connects them, owns actions and persisted layout.

Start-up comes in two steps when ``open_library`` is given (the desktop app): first the paper
list over a read-only ``LibraryReader`` with the menus and actions, then — right after the first
rows are painted — the ``Library`` itself and everything else (sidebar, detail pane, search,
triage, fetching). Commands triggered in between (keys, menus) are queued and run in order as
soon as the window is complete, so nothing the user does early is lost.
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from readinglist.ui import keymap
from readinglist.ui.controllers.paper_list import PaperListController, after_next_paint
from readinglist.ui.history import History, Place
from readinglist.ui.qt import (
    QAction, QByteArray, QFont, QFontMetrics, QHeaderView, QKeySequence, QObject, QSettings, Qt,
    QTimer)
from readinglist.ui.tasks import Tasks
from readinglist.ui.views.main_view import MainView

if TYPE_CHECKING:
    from readinglist.ui.controllers.detail import DetailController
    from readinglist.ui.controllers.fetch import FetchController
    from readinglist.ui.controllers.search import SearchController
    from readinglist.ui.controllers.sidebar import SidebarController
    from readinglist.ui.controllers.triage import TriageController
    from readinglist.ui.events import ExternalWatcher, LibraryEvents
    from readinglist.ui.qt import QDialog, QWidget

log = logging.getLogger(__name__)


class MainWindow(QObject):
    """Composition of the window's controllers. Receives only the services it needs.

    ``library`` is the open ``Library``; or, with ``open_library``, a ``LibraryReader`` for the
    first page, and ``open_library()`` returns the ``Library`` once the first rows are painted.
    ``ready`` says whether every controller exists; ``when_ready`` runs code after that.
    """

    # built with the rest of the window (at once, or right after the first paint)
    events: LibraryEvents
    detail: DetailController
    sidebar: SidebarController
    search: SearchController
    triage: TriageController
    fetch: FetchController
    watcher: ExternalWatcher

    def __init__(self, library: Any, paths: Any, settings: Any,
                 on_settings_changed: Callable[[], None] | None = None,
                 open_library: Callable[[], Any] | None = None) -> None:
        super().__init__()
        self.library = library
        self.paths = paths
        self.settings = settings
        self.on_settings_changed = on_settings_changed
        self.ready = False
        self._open_library = open_library
        self._reader: Any = None
        self._when_ready: list[Callable[[], None]] = []
        self._handlers: dict[str, Callable[[], None]] = {}
        self._started = False
        self._wants_fetch = False
        self.view = MainView()
        self.tasks = Tasks(self)
        self.papers = PaperListController(library, self.tasks, self.view.table, self)
        self.actions: dict[str, QAction] = {}
        self._welcome_actions: list[Callable[[], None]] = []
        self._closed = False
        self.sync_widget: Any = None
        self._adder: Any = None
        self.history = History()
        self._travelling = False
        self._exporter: Any = None
        self.papers.loaded.connect(self._update_count)
        self.tasks.failed.connect(self.show_message)
        self.view.closing.connect(self.shutdown)
        self._build_actions()
        self._restore_layout()
        if open_library is None:
            self._build_rest()

    def when_ready(self, callback: Callable[[], None]) -> None:
        """Run ``callback`` now if the window is complete, else as soon as it is (in order)."""
        if self.ready:
            callback()
        elif not self._closed:
            self._when_ready.append(callback)

    def _build_rest(self) -> None:
        """The Library (if deferred) and every controller the first rows did not need."""
        if self.ready or self._closed:
            return
        from readinglist.ui.controllers.detail import DetailController
        from readinglist.ui.controllers.fetch import FetchController
        from readinglist.ui.controllers.search import SearchController
        from readinglist.ui.controllers.sidebar import SidebarController
        from readinglist.ui.controllers.triage import TriageController
        from readinglist.ui.events import ExternalWatcher, LibraryEvents

        if self._open_library is not None:
            try:
                library = self._open_library()
            except Exception as error:  # noqa: BLE001 - as when the library cannot be opened
                from readinglist.ui.qt import QMessageBox

                log.exception("opening the library failed")
                QMessageBox.critical(self.view, "readinglist",
                                     f"Cannot open the library: {error}")
                self.view.close()
                return
            self._reader, self.library = self.library, library
            self.papers.set_library(library)
        library, paths, settings = self.library, self.paths, self.settings
        self.view.build_rest()
        self.events = LibraryEvents(library, self)
        self.detail = DetailController(library, self.tasks, self.events, self.view.detail, self)
        self.sidebar = SidebarController(library, self.tasks, self.view, self.papers, self)
        self.search = SearchController(library, self.tasks, self.events, self.view,
                                       self.papers, self)
        self.triage = TriageController(library, paths, self.tasks, self.events, self.papers,
                                       settings, self.view)
        self.fetch = FetchController(library, settings, paths, self.tasks, self.view, self)
        self.watcher = ExternalWatcher(lambda: sqlite3.connect(str(library.path),
                                                               check_same_thread=False),
                                       self.events, parent=self)
        self.detail.open_url = lambda url: self.triage.open_url(url)
        self.triage.tag_names = lambda: [t.name for t in self.sidebar.data.tags]
        from readinglist.ui.controllers.auto_export import AutoExportController

        self.auto_export = AutoExportController(library, paths, self.tasks, self.events,
                                                self.show_message, self)
        from readinglist.ui.controllers.tag_admin import TagAdminController

        self.tag_admin = TagAdminController(library, self.tasks, self.triage, self.sidebar,
                                            self.view)
        t = self.triage
        self._handlers = {
            "next": t.next, "previous": t.previous, "next_unread": t.next_unread,
            "toggle_read": t.toggle_read, "toggle_star": t.toggle_star, "archive": t.archive,
            "trash": self._delete_key,
            "tag": t.tag, "open_pdf": self.open_pdf, "open_browser": t.open_in_browser,
            "copy_bibtex": t.copy_bibtex, "copy_links": t.copy_links,
            "find_similar": lambda: self.search.show_similar(self.papers.current_row()),
            "search": self.search.focus, "clear_search": self._escape,
            "mark_all_read": t.mark_all_read, "fetch": self.fetch.fetch_now,
            "undo": t.undo, "redo": t.redo, "previous_day": self.sidebar.previous_day,
            "back": lambda: self._travel(back=True), "forward": lambda: self._travel(back=False),
            "next_day": self.sidebar.next_day,
            "read_on": lambda: self._read_on(forward=True),
            "read_back": lambda: self._read_on(forward=False),
            "next_pane": lambda: self._cycle_pane(1),
            "previous_pane": lambda: self._cycle_pane(-1),
        }
        self._connect()
        self.ready = True
        self._update_undo_actions()
        if self._started:  # the first rows are already shown: catch up with them
            self.sidebar.select_label("Inbox")
            self.detail.show_row(self.papers.current_row())
            if self.papers.loads:
                self._update_empty_state()
            if self.view.search.text().strip():
                self.search.apply()
            self._after_first_rows()
        queued, self._when_ready = self._when_ready, []
        for callback in queued:
            callback()

    # -- wiring --------------------------------------------------------------------------------

    def _connect(self) -> None:
        v = self.view
        self.events.changed.connect(self.papers.on_changes)
        self.events.changed.connect(self.detail.on_changes)
        self.events.changed.connect(self.sidebar.on_changes)
        self.papers.current_changed.connect(self.detail.show_row)
        self.papers.loaded.connect(self._update_empty_state)
        self.papers.model.rowsRemoved.connect(lambda *_: self._rows_left())
        self.papers.loaded.connect(self.search.explain_for_you)
        self.papers.loaded.connect(self.detail.refresh_pdf_matches)
        self.sidebar.day_missing.connect(self.fetch.fetch_day)
        self.sidebar.day_missing.connect(lambda _day: self._update_empty_state())
        self.fetch.day_done.connect(self.sidebar.day_fetched)
        self.sidebar.counts_loaded.connect(self._counts_loaded)
        self.fetch.started.connect(self._update_empty_state)
        self.fetch.started.connect(self._fetch_started)
        self.fetch.finished.connect(lambda _results: self._after_fetch())
        self.fetch.ids_done.connect(lambda _results: self._after_fetch())
        v.dropped.connect(lambda urls, text: self.adder().take_drop(urls, text))
        self.triage.message.connect(self.show_message)
        self.triage.undo_changed.connect(self._update_undo_actions)
        self.search.message.connect(self.show_message)
        self.search.saved.connect(self._search_saved)
        self.sidebar.on_delete_search = self.search.delete
        self.sidebar.on_rename_tag = self.tag_admin.rename
        self.sidebar.on_delete_tag = self.tag_admin.delete
        self.search.select_all = lambda: self.sidebar.select_label("All")
        self.papers.on_leave = self._left
        self.detail.tags_edited.connect(self.triage.apply_tags)
        self.detail.open_pdf.connect(self.open_pdf)
        self.detail.open_pdf_page.connect(
            lambda page: self.triage.open_pdf(page, self.detail.pdf_needle()))
        self.detail.query_text = self.papers.query_text
        self.detail.open_browser.connect(self.triage.open_in_browser)
        for index, button in enumerate(v.welcome.buttons):
            button.clicked.connect(lambda _checked=False, i=index: self._welcome_action(i))

    def _read_on(self, forward: bool) -> None:
        """Space: a page further down the details; at their end, the next unread paper.
        Shift+Space: a page back up. A focused button is pressed instead, as Space does."""
        from readinglist.ui.qt import QAbstractButton, QApplication

        focused = QApplication.focusWidget()
        if isinstance(focused, QAbstractButton):
            focused.animateClick()
            return
        detail = self.view.detail
        bar = detail.scroll.verticalScrollBar()
        showing = detail.stack.currentWidget() is detail.scroll
        if not forward:
            bar.setValue(bar.value() - bar.pageStep())
        elif showing and bar.value() < bar.maximum():
            bar.setValue(bar.value() + bar.pageStep())
        else:
            self.triage.next_unread()

    def _escape(self) -> None:
        """Esc: in the detail pane, back to the list with the search kept (the tag field's
        unsaved edit dropped, the note kept); anywhere else, clear the search too."""
        from readinglist.ui.qt import QApplication

        focused = QApplication.focusWidget()
        pane: Any = self.view.detail
        if focused is None or not pane.isAncestorOf(focused):
            self.search.clear()
            return
        tags = pane.tags
        if focused is tags and self.detail.paper is not None:
            pane.tags.setText(", ".join(self.detail.paper.tags))
        self.view.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _panes(self) -> list[tuple[Any, Any]]:
        """What F6 moves between, as (container, widget to focus): the sidebar, the list (or
        its empty state's first button), the paper's details and the sync indicator."""
        v: Any = self.view
        listing = v.table if v.list_stack.currentWidget() is v.table else next(
            (b for b in v.welcome.buttons if b.isVisible()), v.table)
        panes = [(v.sidebar, v.sidebar), (v.splitter.widget(1), listing)]
        if v.detail.stack.currentWidget() is v.detail.scroll:
            panes.append((v.detail, v.detail.scroll))
        if self.sync_widget is not None and self.sync_widget.isVisible():
            panes.append((self.sync_widget, self.sync_widget.button))
        return panes

    def _cycle_pane(self, step: int) -> None:
        """F6 / Shift+F6: focus the next (previous) pane, as in Zotero and NetNewsWire."""
        from readinglist.ui.qt import QApplication

        focused = QApplication.focusWidget()
        panes = self._panes()
        here = next((i for i, (box, _w) in enumerate(panes) if focused is not None
                     and (box is focused or box.isAncestorOf(focused))), -1)
        if here < 0 and step < 0:
            here = 0
        panes[(here + step) % len(panes)][1].setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _delete_key(self) -> None:
        """Del: in the sidebar on a tag, delete that tag; anywhere else, trash the papers."""
        entry = self.sidebar.current_entry()
        if self.view.sidebar.hasFocus():
            if entry.kind == "tag" and entry.tag:
                self.tag_admin.delete(entry.tag)
            return
        self.triage.trash()

    def _command(self, command: str) -> Callable[[], None]:
        """The slot for a key-map command: runs it, or queues it until the window is ready."""
        return lambda: self.when_ready(lambda: self._handlers[command]())

    def _build_actions(self) -> None:
        for binding in keymap.BINDINGS:
            action = QAction(binding.description.split(" (")[0], self.view)
            action.setShortcuts([QKeySequence(k) for k in binding.keys])
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(self._command(binding.command))
            self.view.addAction(action)
            self.actions[binding.command] = action
        menu = self.view.menuBar()
        file_menu = self._file_menu = menu.addMenu("&File")
        file_menu.addAction(self.actions["fetch"])
        self._menu_action(file_menu, "add_papers", "Add papers by arXiv ID or link…",
                          lambda: self.adder().ask_ids(), "Ctrl+N")
        self._menu_action(file_menu, "add_pdfs", "Add PDF files…",
                          lambda: self.adder().add_pdfs(), "Ctrl+Shift+N",
                          "Papers from PDF files you downloaded: recognised by arXiv's stamp, "
                          "an arXiv file name or a DOI, fetched from arXiv, the PDF attached")
        self._menu_action(file_menu, "import_papers", "Import papers (JSON Lines, BibTeX, RIS)…",
                          lambda: self.adder().import_file())
        self._menu_action(file_menu, "export_papers", "Export papers…",
                          lambda: self.exporter().export(), "Ctrl+Shift+E",
                          "The selected papers, or every paper in the list, as BibTeX, RIS, "
                          "CSL-JSON or JSON Lines")
        self._menu_action(file_menu, "keep_updated", "Keep this list up to date in a file…",
                          lambda: self.exporter().keep_updated(), tip="Write the list shown "
                          "as BibTeX, RIS or CSL-JSON now and again whenever its papers change "
                          "(for a LaTeX or Pandoc project)")
        self._menu_action(file_menu, "export_vault", "Export notes to a Markdown folder…",
                          lambda: self.exporter().export_vault(), tip="A page per paper you "
                          "starred, tagged, noted or annotated (for Obsidian and the like); "
                          "unchanged pages are left alone")
        file_menu.addSeparator()
        preferences = file_menu.addAction("Preferences…")
        preferences.setShortcut(QKeySequence("Ctrl+,"))
        preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
        preferences.triggered.connect(lambda: self.when_ready(self.open_preferences))
        self.actions["preferences"] = preferences
        file_menu.addSeparator()
        quit_action = file_menu.addAction("Quit")
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.view.close)
        edit_menu = menu.addMenu("&Edit")
        for name in ("undo", "redo"):
            edit_menu.addAction(self.actions[name])
        edit_menu.addSeparator()
        for name in ("search", "clear_search"):
            edit_menu.addAction(self.actions[name])
        self._menu_action(edit_menu, "search_arxiv", "Search arXiv for this",
                          self.search_arxiv, "Ctrl+Shift+F", "Send the search's words, "
                          "phrases, author: and cat: to arXiv and add the newest 50 matches")
        paper_menu = menu.addMenu("&Paper")
        for name in ("next", "previous", "next_unread", "read_on", None, "toggle_read",
                     "toggle_star",
                     "archive", "trash", "tag", None, "open_pdf", "open_browser", "copy_bibtex",
                     "copy_links", "find_similar", None, "mark_all_read"):
            if name is None:
                paper_menu.addSeparator()
            else:
                paper_menu.addAction(self.actions[name])
        self._menu_action(paper_menu, "mark_above_read", "Mark above as read",
                          lambda: self.triage.mark_above_read())
        self._menu_action(paper_menu, "mark_below_read", "Mark below as read",
                          lambda: self.triage.mark_below_read())
        view_menu = menu.addMenu("&View")
        for number, label in enumerate(SIDEBAR_VIEWS, start=1):
            self._menu_action(view_menu, _go_action(label), label,
                              lambda lab=label: self.sidebar.select_label(lab), f"Ctrl+{number}")
        view_menu.addSeparator()
        view_menu.addAction(self.actions["back"])
        view_menu.addAction(self.actions["forward"])
        view_menu.addSeparator()
        hide_read = view_menu.addAction("Hide read papers")
        hide_read.setCheckable(True)
        hide_read.setShortcut(QKeySequence("Ctrl+Shift+H"))
        hide_read.setToolTip("Show only unread papers; a paper you read stays until the list "
                             "changes")
        hide_read.toggled.connect(self._hide_read_toggled)
        self.actions["hide_read"] = hide_read
        view_menu.addSeparator()
        view_menu.addAction(self.actions["previous_day"])
        view_menu.addAction(self.actions["next_day"])
        view_menu.addSeparator()
        view_menu.addAction(self.actions["next_pane"])
        view_menu.addAction(self.actions["previous_pane"])
        help_menu = menu.addMenu("&Help")
        keys = help_menu.addAction("Keyboard shortcuts")
        keys.setShortcuts([QKeySequence("F1"), QKeySequence("?")])
        keys.triggered.connect(self.show_shortcuts)
        self.actions["shortcuts"] = keys
        about = help_menu.addAction("About readinglist")
        about.triggered.connect(self.show_about)
        self._update_undo_actions()

    def _menu_action(self, menu: Any, name: str, text: str, handler: Callable[[], None],
                     shortcut: str = "", tip: str = "") -> QAction:
        """A menu command (run once the window is complete), kept in ``actions[name]``."""
        action = menu.addAction(text)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
        action.triggered.connect(lambda: self.when_ready(handler))
        self.actions[name] = action
        return action

    def _update_undo_actions(self) -> None:
        if not self.ready:  # nothing done yet
            self.actions["undo"].setEnabled(False)
            self.actions["redo"].setEnabled(False)
            return
        stack = self.triage.undo_stack
        self.actions["undo"].setEnabled(bool(stack.done))
        self.actions["redo"].setEnabled(bool(stack.undone))
        self.actions["undo"].setText(f"Undo {stack.undo_label.lower()}".strip())
        self.actions["redo"].setText(f"Redo {stack.redo_label.lower()}".strip())

    # -- start and stop ------------------------------------------------------------------------

    def start(self, fetch: bool | None = None) -> None:
        """Show the window with the Inbox, focus the list; fetch if the settings say so."""
        self._wants_fetch = self.settings.fetch_on_start if fetch is None else fetch
        self.view.show()
        splitter = self.qsettings().value("window/splitter")
        if isinstance(splitter, QByteArray) and not splitter.isEmpty():
            self.view.splitter.restoreState(splitter)  # after show: sizes need the real width
        self.papers.reload(reset_current=True, now=True)  # the first page: an indexed LIMIT
        self.view.table.setFocus()
        self._started = True
        if not self.ready:  # the rest of the window comes right after the first rows
            after_next_paint(self.view.table.viewport(), self._build_rest)
            return
        self.sidebar.select_label("Inbox")
        self._after_first_rows()

    def _after_first_rows(self) -> None:
        """Counts, polling and fetching wait for the first rows on screen."""
        if not self.papers.loads:
            def first_load() -> None:
                self.papers.loaded.disconnect(first_load)
                self._after_first_rows()

            self.papers.loaded.connect(first_load)
            return
        QTimer.singleShot(0, self.sidebar.refresh)
        # the sync indicator (keyring, sync modules) waits until the rows are on screen
        after_next_paint(self.view.table.viewport(), self._add_sync_widget)
        # so that the first `o` opens the viewer at once; at a pause, not during a burst of keys
        from readinglist.ui.idle import WhenIdle

        self._viewer_warmup = WhenIdle(1500, _warm_viewer, self)
        # PDFs downloaded before (or by another machine's sync) become searchable: pdf:word
        self._text_index = WhenIdle(5000, self._index_pdf_text, self)
        self.watcher.start()
        self.fetch.schedule()
        if self._wants_fetch:
            QTimer.singleShot(0, self.fetch.fetch_now)

    def open_pdf(self) -> None:
        """``o``: the current paper in the viewer; after a ``pdf:`` search, at its first
        matching page with the words marked."""
        row = self.papers.current_row()
        detail = self.detail
        if row is not None and detail.paper is not None and detail.paper.key == row.key \
                and detail.pdf_pages:
            self.triage.open_pdf(detail.pdf_pages[0], detail.pdf_needle())
        else:
            self.triage.open_pdf()

    def _index_pdf_text(self) -> None:
        """Read the text of PDFs not indexed yet, in the background (stops at shutdown)."""
        from readinglist.pdf.cache import PdfCache
        from readinglist.services.fulltext import FullTextIndex

        index = FullTextIndex(self.library, PdfCache(self.paths.pdf_cache))
        tasks = self.tasks
        tasks.network(lambda: index.index_pending(cancelled=lambda: tasks.closed),
                      on_done=lambda _report: None,
                      on_error=lambda error: log.info("full-text index: %s", error))

    def _add_sync_widget(self) -> None:
        """The sync indicator from ``ui.sync_status``, if sync is available."""
        if self._closed or self.sync_widget is not None:
            return
        try:
            from readinglist.ui.sync_status import create_sync_widget

            widget = create_sync_widget(self.library, self.paths, self.view)
        except Exception as error:  # noqa: BLE001 - the app works without a sync indicator
            log.warning("no sync indicator: %s", error)
            return
        if widget is not None:
            self.sync_widget = widget
            widget.on_setup = lambda: self.when_ready(lambda: self.open_preferences("Sync"))
            self.view.statusBar().addPermanentWidget(widget)
            menu = widget.button.menu()
            if menu is not None:  # its commands from the keyboard too: File → Sync
                self._file_menu.insertMenu(self.actions["preferences"], menu)

    def shutdown(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._when_ready.clear()
        if self.sync_widget is not None and hasattr(self.sync_widget, "shutdown"):
            self.sync_widget.shutdown()
        if self.ready:
            self.detail.save_note()
        self._save_layout()
        if self.ready:
            self.search.shutdown()
            self.fetch.cancel()
            self.fetch.timer.stop()
            self.watcher.stop()
        self.tasks.shutdown()
        self._close_viewers()
        reader = self._reader if self.ready else (
            self.library if self._open_library is not None else None)
        if reader is not None:  # the first page's read-only connections
            reader.close()

    def _close_viewers(self) -> None:
        """Close the PDF viewer windows (their downloads are cancelled) and wait for their
        background work, so that the library is not closed under it."""
        if "readinglist.ui.pdfviewer.tasks" not in sys.modules:
            return  # the viewer was never opened
        for viewer in getattr(self.triage, "viewers", []) if self.ready else []:
            try:
                viewer.close()
            except RuntimeError:  # already deleted
                pass
        from readinglist.ui.pdfviewer.tasks import wait_for_tasks

        wait_for_tasks()

    # -- layout persistence --------------------------------------------------------------------

    def qsettings(self) -> QSettings:
        return QSettings(str(self.paths.home / "window.ini"), QSettings.Format.IniFormat)

    def _save_layout(self) -> None:
        store = self.qsettings()
        store.setValue("window/geometry", self.view.saveGeometry())
        store.setValue("window/state", self.view.saveState())
        store.setValue("window/splitter", self.view.splitter.saveState())
        store.setValue("list/header", self.view.table.horizontalHeader().saveState())
        store.sync()

    def _restore_layout(self) -> None:
        store = self.qsettings()
        header = self.view.table.horizontalHeader()
        bold = QFont(self.view.table.font())
        bold.setBold(True)
        date_width = QFontMetrics(bold).horizontalAdvance("2026-11-27") + 24
        defaults = (360, 130, date_width, 56, 66, 100)
        for column, width in enumerate(defaults):
            header.resizeSection(column, width)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(48)
        on_sort, self.papers.model.on_sort = self.papers.model.on_sort, None
        try:  # restoring the sort indicator must not start a query: the list loads in start()
            for key, restore in (("window/geometry", self.view.restoreGeometry),
                                 ("window/state", self.view.restoreState),
                                 ("list/header", header.restoreState)):
                value = store.value(key)
                if isinstance(value, QByteArray) and not value.isEmpty():
                    restore(value)
        finally:
            self.papers.model.on_sort = on_sort
        hide_read = str(store.value("list/hide_read", "false")).lower() == "true"
        self.papers.state = dataclasses.replace(self.papers.state, unread_only=hide_read)
        blocked = self.actions["hide_read"].blockSignals(True)
        self.actions["hide_read"].setChecked(hide_read)
        self.actions["hide_read"].blockSignals(blocked)
        # the list sorts in SQL: take the restored indicator as the model's sort
        section, order = header.sortIndicatorSection(), header.sortIndicatorOrder()
        from readinglist.ui.models.paper_table import COLUMNS

        if 0 <= section < len(COLUMNS):
            self.papers.model.sort_key = COLUMNS[section].sort
            self.papers.model.descending = order == Qt.SortOrder.DescendingOrder

    def search_arxiv(self) -> None:
        """Edit → Search arXiv for this: the search box's query, asked of the arXiv API."""
        text = self.view.search.text().strip()
        from readinglist.core.query import remote_query

        query = remote_query(text)
        if query is None:
            self.show_message("Type words, a \"phrase\" or author:name in the search first; "
                              "arXiv is then searched for them")
            self.search.focus()
            return
        self.fetch.search_arxiv(query)

    # -- back and forward ----------------------------------------------------------------------

    def _left(self, state: Any, row: Any) -> None:
        if not self._travelling:
            self.history.visit(Place(state.entry.ident, state.search,
                                     row.key if row is not None else None))

    def _travel(self, back: bool) -> None:
        """Alt+Left / Alt+Right: the previous (next) list, with the paper that was current."""
        row = self.papers.current_row()
        state = self.papers.state
        here = Place(state.entry.ident, state.search, row.key if row is not None else None)
        place = self.history.go_back(here) if back else self.history.go_forward(here)
        if place is None:
            self.show_message("Nothing to go back to" if back else "Nothing to go forward to")
            return
        self._travelling = True
        try:
            if place.entry_ident != state.entry.ident and \
                    not self.sidebar.select_entry(place.entry_ident):
                self.sidebar.select_label("All")  # that entry is gone (a deleted search)
            self.view.search.setText(place.search)
            self.search.apply()
            self.papers.reload(select_keys=[place.key] if place.key else None)
        finally:
            self._travelling = False

    def _hide_read_toggled(self, hide: bool) -> None:
        """View → Hide read papers: re-query the list; remembered for the next start."""
        store = self.qsettings()
        store.setValue("list/hide_read", "true" if hide else "false")
        store.sync()
        if self.papers.state.unread_only != hide:
            self.papers.show(dataclasses.replace(self.papers.state, unread_only=hide),
                             select_first=False)

    # -- status and empty states ---------------------------------------------------------------

    def show_message(self, text: str) -> None:
        self.view.statusBar().showMessage(text, 6000)

    def _update_count(self) -> None:
        count = self.papers.model.rowCount()
        self.view.count_label.setText(f"{count:,} paper{'s' if count != 1 else ''}")

    def _rows_left(self) -> None:
        """Papers left the list (archived, trashed): the count, and the empty state after the
        last one, at once rather than at the next reload."""
        self._update_count()
        if not self.papers.model.rowCount():
            self._update_empty_state()

    def _counts_loaded(self, data: Any) -> None:
        names = [t.name for t in data.tags]
        self.detail.set_tag_names(names)
        self._update_empty_state()

    def adder(self) -> Any:
        """The controller behind File → Add papers… and Import papers… (built on first use)."""
        if self._adder is None:
            from readinglist.ui.controllers.add_papers import AddPapersController

            self._adder = AddPapersController(self.library, self.tasks, self.view, self.search,
                                              self.fetch, self)
            self._adder.message.connect(self.show_message)
        return self._adder

    def exporter(self) -> Any:
        """The controller behind File → Export papers… (built on first use)."""
        if self._exporter is None:
            from readinglist.ui.controllers.export_papers import ExportController

            self._exporter = ExportController(self.library, self.tasks, self.view, self.papers,
                                              self.paths.config, self)
            self._exporter.message.connect(self.show_message)
        return self._exporter

    def _fetch_started(self) -> None:
        """An empty list fills as the fetch's days arrive: keep the newest paper current."""
        if not self.papers.model.rowCount() and not self.papers.loading:
            self.papers.follow_top(True)

    def _after_fetch(self) -> None:
        self.sidebar.refresh()
        self.papers.reload(on_done=lambda: self.papers.follow_top(False))

    def _search_saved(self, name: str) -> None:
        """The new saved search is selected: the same papers, now under its sidebar entry."""
        self.view.search.clear()
        self.view.table.setFocus()  # j, k and the other keys work on the saved search's list
        self.sidebar.select_search_after_refresh(name)

    def _welcome_action(self, index: int) -> None:
        if index < len(self._welcome_actions):
            self._welcome_actions[index]()

    def _update_empty_state(self) -> None:
        v = self.view
        if self.papers.model.rowCount() or self.papers.loading:
            v.show_welcome(False)
            return
        from readinglist.ui.controllers.empty_state import empty_state

        title, text, actions = empty_state(self)
        v.welcome.show_state(title, text, *(label for label, _ in actions))
        self._welcome_actions = [callback for _, callback in actions]
        v.show_welcome(True)

    # -- dialogs -------------------------------------------------------------------------------

    def show_about(self) -> None:
        from readinglist.ui.qt import QMessageBox

        QMessageBox.about(self.view, "About readinglist",
                          "readinglist — a reading-list manager for research papers.")

    def show_shortcuts(self) -> QDialog:
        from readinglist.ui.views.shortcuts import shortcuts_dialog

        menu_rows = [(self.actions[name].shortcut().toString(
                          QKeySequence.SequenceFormat.NativeText), text)
                     for name, text in MENU_SHORTCUTS if name in self.actions]
        self.shortcuts_dialog = shortcuts_dialog(self.view, "Keyboard shortcuts",
                                                 [*keymap.shortcut_rows(), *menu_rows])
        return self.shortcuts_dialog

    def open_preferences(self, tab: str = "") -> QWidget:
        """The Preferences dialog (brought to the front if it is already open), on ``tab``
        (its title, e.g. "Sync") if given."""
        from readinglist.ui.controllers.preferences import PreferencesDialog

        open_already = getattr(self, "preferences_dialog", None)
        if open_already is not None and open_already.isVisible():
            open_already.show_tab(tab)
            open_already.raise_()
            open_already.activateWindow()
            return open_already
        self.settings.reload(self.paths.config)  # 'readinglist config' may have changed it
        dialog = PreferencesDialog(self.library, self.settings, self.paths, self.tasks,
                                   self.events, self.view)
        dialog.applied.connect(self._preferences_applied)
        dialog.sync_tab.configured.connect(self._sync_configured)
        dialog.show_tab(tab)
        dialog.show()
        self.preferences_dialog = dialog
        return dialog

    def _sync_configured(self) -> None:
        """Preferences → Sync set sync up or off: the indicator says so and syncs now."""
        if self.sync_widget is not None:
            self.sync_widget.sync_now()

    def _preferences_applied(self) -> None:
        self.fetch.schedule()
        if self.on_settings_changed is not None:
            self.on_settings_changed()
        self.sidebar.refresh()


def _warm_viewer() -> None:
    """Import the PDF viewer's modules while the user is still reading the list."""
    try:
        import readinglist.ui.pdfviewer.viewer_window  # noqa: F401
    except ImportError as error:  # the app works without the viewer (system viewer fallback)
        log.warning("PDF viewer unavailable: %s", error)


# the sidebar's fixed lists, in the View menu with Ctrl+1 … Ctrl+7
SIDEBAR_VIEWS = ("Inbox", "For you", "Reading", "Daily", "Starred", "Archive", "All", "Trash")


def _go_action(label: str) -> str:
    """The action name of View → ``label`` (``go_for_you``)."""
    return "go_" + label.lower().replace(" ", "_")


# menu commands with a shortcut, listed after the single keys in Help → Keyboard shortcuts
MENU_SHORTCUTS = (*((_go_action(label), f"Go to {label}") for label in SIDEBAR_VIEWS),
                  ("add_papers", "Add papers by arXiv ID or link"),
                  ("add_pdfs", "Add PDF files"),
                  ("export_papers", "Export the selected papers, or the list"),
                  ("hide_read", "Hide read papers (on / off)"),
                  ("search_arxiv", "Search arXiv for the words in the search box"),
                  ("preferences", "Preferences"),
                  ("shortcuts", "This list of shortcuts (? works too)"))

