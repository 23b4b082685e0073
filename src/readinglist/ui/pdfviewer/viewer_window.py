"""The viewer window: tabs of open papers, menus, toolbar, shortcuts, drag-and-drop attach."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import (QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QKeySequence,
                           QUndoGroup)
from PySide6.QtWidgets import (QDialog, QFileDialog, QInputDialog, QLabel, QMainWindow,
                               QMessageBox, QTabWidget, QToolBar, QWidget)

from readinglist.core.changes import Changes
from readinglist.core.errors import ReadinglistError
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths
from readinglist.services.pdfs import PdfService
from readinglist.ui.pdfviewer import colors
from readinglist.ui.pdfviewer.document_tab import DocumentTab, swatch
from readinglist.ui.pdfviewer.tasks import run_task
from readinglist.ui.tasks import describe_error


class _ChangeBridge(QObject):
    """Carries library change notifications (from any thread) to the GUI thread."""

    annotations_changed = Signal()

    def __call__(self, changes: Changes) -> None:
        if changes.annotations:
            try:
                self.annotations_changed.emit()
            except RuntimeError:
                pass


class ViewerWindow(QMainWindow):
    """Several papers open at once, one per tab."""

    def __init__(self, library: Library, paths: LibraryPaths,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.paths = paths
        self.service = PdfService(library, paths)
        self.dark = False
        self.setWindowTitle("readinglist — reader")
        self.setAcceptDrops(True)
        self.resize(1200, 900)
        self.tabs = QTabWidget()
        self.tabs.setTabsClosable(True)
        self.tabs.setMovable(True)
        self.tabs.setDocumentMode(True)
        self.tabs.tabCloseRequested.connect(self.close_tab)
        self.tabs.currentChanged.connect(self._on_tab_changed)
        self.setCentralWidget(self.tabs)
        self.undo_group = QUndoGroup(self)
        self.status = QLabel()
        self.statusBar().addPermanentWidget(self.status)
        self.actions_by_name: dict[str, QAction] = {}
        self._build_actions()
        self._bridge = _ChangeBridge()
        self._bridge.annotations_changed.connect(self._on_annotations_changed)
        library.subscribe(self._bridge)

    # -- tabs -----------------------------------------------------------------------------------

    def current(self) -> DocumentTab | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, DocumentTab) else None

    def tab_for(self, key: str) -> DocumentTab | None:
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if isinstance(tab, DocumentTab) and tab.key == key:
                return tab
        return None

    def open_key(self, key: str) -> DocumentTab:
        """Show the paper, in its existing tab if it is open already."""
        tab = self.tab_for(key)
        if tab is None:
            tab = DocumentTab(self.service, key, self.dark)
            tab.statusChanged.connect(lambda text, t=tab: self._on_status(t, text))
            tab.ready.connect(lambda t=tab: self._on_ready(t))
            tab.failed.connect(lambda message, t=tab: self._on_status(t, message))
            self.undo_group.addStack(tab.undo_stack)
            title = tab.title if len(tab.title) <= 32 else tab.title[:30] + "…"
            index = self.tabs.addTab(tab, title)
            self.tabs.setTabToolTip(index, f"{tab.title} ({key})")
        self.tabs.setCurrentWidget(tab)
        return tab

    def show_shortcuts(self) -> QDialog:
        """F1: every viewer command with its keys (read from the actions themselves)."""
        from readinglist.ui.views.shortcuts import shortcuts_dialog

        rows = []
        for name, action in self.actions_by_name.items():
            keys = ", ".join(dict.fromkeys(k.toString(QKeySequence.SequenceFormat.NativeText)
                                           for k in action.shortcuts()))
            if keys and name != "shortcuts":
                text = action.text().replace("&", "").rstrip("…")
                if name.startswith("highlight_"):
                    text = f"Highlight the selection in {text.lower()}"
                rows.append((keys, text))
        self.shortcuts_dialog = shortcuts_dialog(self, "Viewer keyboard shortcuts", rows)
        return self.shortcuts_dialog

    def quick_open(self) -> None:
        """Ctrl+O: find a paper of the library by a few words and open it in a new tab."""
        dialog = self.make_quick_open()
        if dialog.exec() and dialog.chosen:
            self.open_key(dialog.chosen)

    def make_quick_open(self) -> QDialog:
        from readinglist.ui.pdfviewer.quick_open import QuickOpenDialog

        return QuickOpenDialog(self.library, self)

    def go_to_page_of(self, key: str, page: int) -> None:
        """Open the paper and go to a 0-based page once it is shown."""
        self._when_shown(self.open_key(key), lambda tab: tab.go_to_page(page))

    def find_in(self, key: str, needle: str, page: int | None = None) -> None:
        """Open the paper at ``page`` (0-based) and find ``needle`` there, every hit marked:
        what a ``pdf:`` search in the library leads to."""
        def find(tab: DocumentTab) -> None:
            if page is not None:
                tab.go_to_page(page)
            tab.search_bar.show()
            tab.search_edit.setText(needle)
            tab.search(needle)

        self._when_shown(self.open_key(key), find)

    @staticmethod
    def _when_shown(tab: DocumentTab, action: Callable[[DocumentTab], None]) -> None:
        """Run ``action`` now if the tab shows its PDF, else once it does — after the saved
        reading position is restored, so that the action wins."""
        if tab.view is not None:
            action(tab)
        else:
            tab.ready.connect(lambda: QTimer.singleShot(0, lambda: action(tab)))

    def close_tab(self, index: int | None = None) -> None:
        index = self.tabs.currentIndex() if index is None else index
        tab = self.tabs.widget(index)
        if tab is None:
            return
        if isinstance(tab, DocumentTab):
            tab.shutdown()
            self.undo_group.removeStack(tab.undo_stack)
        self.tabs.removeTab(index)
        tab.deleteLater()
        if self.tabs.count() == 0:
            self.close()

    def _on_tab_changed(self, _index: int) -> None:
        tab = self.current()
        self.undo_group.setActiveStack(tab.undo_stack if tab else None)
        if tab is not None:
            self.setWindowTitle(f"{tab.title} — readinglist")
            tab._update_status()

    def _on_status(self, tab: DocumentTab, text: str) -> None:
        if tab is self.current():
            self.status.setText(text)

    def _on_ready(self, tab: DocumentTab) -> None:
        if tab is self.current():
            tab._update_status()

    def _on_annotations_changed(self) -> None:
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if isinstance(tab, DocumentTab):
                tab.refresh_annotations()

    # -- actions --------------------------------------------------------------------------------

    def _action(self, name: str, text: str, slot: Callable[[], object],
                shortcuts: tuple[str | QKeySequence.StandardKey, ...] = (),
                menu: object = None) -> QAction:
        action = QAction(text, self)
        sequences: dict[str, QKeySequence] = {}
        for shortcut in shortcuts:  # a repeated sequence would make the shortcut ambiguous
            for sequence in (QKeySequence.keyBindings(shortcut)
                             if isinstance(shortcut, QKeySequence.StandardKey)
                             else [QKeySequence(shortcut)]):
                sequences.setdefault(sequence.toString(), sequence)
        action.setShortcuts(list(sequences.values()))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        if menu is not None:
            menu.addAction(action)  # type: ignore[attr-defined]
        self.actions_by_name[name] = action
        return action

    def _on_tab(self, method: str, *args: object) -> Callable[[], object]:
        def call() -> object:
            tab = self.current()
            return getattr(tab, method)(*args) if tab is not None else None
        return call

    def _on_view(self, method: str) -> Callable[[], object]:
        def call() -> object:
            tab = self.current()
            if tab is not None and tab.view is not None:
                return getattr(tab.view, method)()
            return None
        return call

    def _build_actions(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self._action("quick_open", "Open another paper…", self.quick_open, ("Ctrl+O", "Ctrl+P"),
                     file_menu)
        self._action("attach", "Attach a PDF…", self.attach_dialog, ("Ctrl+Shift+A",), file_menu)
        self._action("save_pdf", "Save PDF with annotations…", self.save_pdf_dialog,
                     ("Ctrl+Shift+S",), file_menu)
        self._action("export_md", "Export highlights as Markdown…", self.export_markdown_dialog,
                     ("Ctrl+Shift+E",), file_menu)
        file_menu.addSeparator()
        self._action("close_tab", "Close tab", self.close_tab, ("Ctrl+W",), file_menu)

        edit = bar.addMenu("&Edit")
        undo = self.undo_group.createUndoAction(self, "Undo")
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        redo = self.undo_group.createRedoAction(self, "Redo")
        redo.setShortcuts([QKeySequence.StandardKey.Redo, QKeySequence("Ctrl+Shift+Z")])
        for action in (undo, redo):
            edit.addAction(action)
            self.addAction(action)
        self.actions_by_name["undo"], self.actions_by_name["redo"] = undo, redo
        edit.addSeparator()
        self._action("copy", "Copy", self._on_tab("copy_selection"),
                     (QKeySequence.StandardKey.Copy,), edit)
        self._action("find", "Find…", self._on_tab("open_search"), ("Ctrl+F", "/"), edit)
        self._action("next_hit", "Next match", self._on_tab("next_hit"), ("F3", "N"), edit)
        self._action("previous_hit", "Previous match", self._on_tab("previous_hit"),
                     ("Shift+F3", "Shift+N"), edit)
        edit.addSeparator()
        highlight = edit.addMenu("Highlight selection")
        for number, (name, color) in enumerate(colors.HIGHLIGHT_COLORS, start=1):
            action = self._action(f"highlight_{name.lower()}", name,
                                  self._on_tab("annotate_selection", "highlight", color),
                                  ("H",) if number == 1 else (f"Alt+{number}",), highlight)
            action.setIcon(swatch(color))
        self._action("underline", "Underline selection",
                     self._on_tab("annotate_selection", "underline"), ("U",), edit)
        self._action("note", "Add sticky note", self._on_tab("start_note"), ("Ctrl+Shift+N",),
                     edit)
        self._action("comment", "Comment on annotation…", self._comment_selected, ("C",), edit)
        # not StandardKey.Delete: on X11 desktops it includes Ctrl+D, which is dark mode here
        self._action("delete", "Delete annotation", self._on_tab("delete_annotation"),
                     ("Del", "Backspace"), edit)

        view = bar.addMenu("&View")
        self._action("zoom_in", "Zoom in", self._on_view("zoom_in"),
                     ("Ctrl+=", "Ctrl++", QKeySequence.StandardKey.ZoomIn), view)
        self._action("zoom_out", "Zoom out", self._on_view("zoom_out"),
                     ("Ctrl+-", QKeySequence.StandardKey.ZoomOut), view)
        self._action("fit_width", "Fit width", self._fit("width"), ("Ctrl+0",), view)
        self._action("fit_page", "Fit page", self._fit("page"), ("Ctrl+9",), view)
        view.addSeparator()
        dark = self._action("dark", "Dark reading mode", self.toggle_dark, ("Ctrl+D",), view)
        dark.setCheckable(True)
        self._action("sidebar", "Show sidebar", self.toggle_sidebar, ("F9",), view)
        view.addSeparator()
        self._action("next_page", "Next page", self._on_view("next_page"), ("PgDown",), view)
        self._action("previous_page", "Previous page", self._on_view("previous_page"),
                     ("PgUp",), view)
        self._action("first_page", "First page", self._on_tab("go_to_page", 0),
                     ("Home", "Ctrl+Home"), view)
        self._action("last_page", "Last page", self._last_page, ("End", "Ctrl+End"), view)
        self._action("go_to", "Go to page…", self.go_to_dialog, ("Ctrl+G",), view)
        self._action("back", "Back", self._on_tab("back"), ("Alt+Left",), view)
        self._action("forward", "Forward", self._on_tab("forward"), ("Alt+Right",), view)
        self._action("escape", "Close search / clear selection", self._on_tab("escape"),
                     ("Esc",))
        help_menu = bar.addMenu("&Help")
        self._action("shortcuts", "Keyboard shortcuts", self.show_shortcuts, ("F1",),
                     help_menu)

        tools = QToolBar("Tools")
        tools.setMovable(False)
        tools.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.addToolBar(tools)
        for name in ("zoom_out", "zoom_in", "fit_width", "fit_page"):
            tools.addAction(self.actions_by_name[name])
        tools.addSeparator()
        for name, _color in colors.HIGHLIGHT_COLORS[:4]:
            tools.addAction(self.actions_by_name[f"highlight_{name.lower()}"])
        for name in ("underline", "note"):
            tools.addAction(self.actions_by_name[name])
        tools.addSeparator()
        for name in ("find", "dark"):
            tools.addAction(self.actions_by_name[name])

    def _fit(self, mode: str) -> Callable[[], None]:
        def call() -> None:
            tab = self.current()
            if tab is not None and tab.view is not None:
                tab.view.fit(mode)
        return call

    def _last_page(self) -> None:
        tab = self.current()
        if tab is not None and tab.info is not None:
            tab.go_to_page(tab.info.page_count - 1)

    def _comment_selected(self) -> None:
        tab = self.current()
        if tab is not None and tab.view is not None:
            if tab.view.selected_annotation:
                tab.edit_comment(tab.view.selected_annotation)
            elif tab.selection is not None:
                tab._highlight_with_comment()

    def toggle_dark(self) -> None:
        self.set_dark(not self.dark)

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        self.actions_by_name["dark"].setChecked(dark)
        for index in range(self.tabs.count()):
            tab = self.tabs.widget(index)
            if isinstance(tab, DocumentTab):
                tab.set_dark(dark)

    def toggle_sidebar(self) -> None:
        tab = self.current()
        if tab is not None and tab.view is not None:
            tab.sidebar.setVisible(not tab.sidebar.isVisible())

    def go_to_dialog(self) -> None:
        tab = self.current()
        if tab is None or tab.info is None or tab.view is None:
            return
        page, ok = QInputDialog.getInt(self, "Go to page", "Page:", tab.view.current_page() + 1,
                                       1, tab.info.page_count)
        if ok:
            tab.go_to_page(page - 1)

    # -- files ----------------------------------------------------------------------------------

    def _error(self, error: BaseException) -> None:
        text = describe_error(error) if isinstance(error, ReadinglistError) else (
            f"{type(error).__name__}: {error}")
        self.statusBar().showMessage(text, 10000)
        QMessageBox.warning(self, "readinglist", text)

    def attach(self, path: Path, key: str | None = None) -> None:
        """Attach a local PDF to the current paper (in the background), then reopen it."""
        tab = self.current() if key is None else self.tab_for(key)
        if tab is None:
            return
        target = tab.key

        def done(_result: object) -> None:
            reopened = self.tab_for(target)
            if reopened is not None:
                reopened.load()
            self.statusBar().showMessage(f"Attached {Path(path).name}", 5000)

        run_task(lambda _report: self.service.attach_pdf(target, Path(path)), on_done=done,
                 on_error=self._error)

    def attach_dialog(self) -> None:
        if self.current() is None:
            return
        name, _ = QFileDialog.getOpenFileName(self, "Attach a PDF", str(Path.home()),
                                              "PDF files (*.pdf)")
        if name:
            self.attach(Path(name))

    def save_pdf(self, dest: Path) -> None:
        tab = self.current()
        if tab is None:
            return
        key = tab.key
        run_task(lambda _report: self.service.export_pdf(key, Path(dest)),
                 on_done=lambda p: self.statusBar().showMessage(f"Saved {p}", 8000),
                 on_error=self._error)

    def _ask_save_path(self, title: str, suffix: str, file_filter: str) -> Path | None:
        """Ask where to save an export of the current paper (None: no tab or cancelled)."""
        tab = self.current()
        if tab is None:
            return None
        stem = tab.key.replace("/", "_").replace(":", "_")
        name, _ = QFileDialog.getSaveFileName(self, title, str(Path.home() / f"{stem}{suffix}"),
                                              file_filter)
        return Path(name) if name else None

    def save_pdf_dialog(self) -> None:
        dest = self._ask_save_path("Save PDF with annotations", "-annotated.pdf",
                                   "PDF files (*.pdf)")
        if dest is not None:
            self.save_pdf(dest)

    def export_markdown(self, dest: Path) -> None:
        tab = self.current()
        if tab is None:
            return
        try:
            Path(dest).write_text(self.service.export_markdown(tab.key), encoding="utf-8")
        except (OSError, ReadinglistError) as error:
            self._error(error if isinstance(error, ReadinglistError) else
                        ReadinglistError(f"cannot write {dest}: {error}"))
            return
        self.statusBar().showMessage(f"Exported {dest}", 8000)

    def export_markdown_dialog(self) -> None:
        dest = self._ask_save_path("Export highlights as Markdown", "-notes.md", "Markdown (*.md)")
        if dest is not None:
            self.export_markdown(dest)

    # -- drag and drop --------------------------------------------------------------------------

    @staticmethod
    def _dropped_pdf(event: QDragEnterEvent | QDropEvent) -> Path | None:
        for url in event.mimeData().urls():
            if url.isLocalFile() and url.toLocalFile().lower().endswith(".pdf"):
                return Path(url.toLocalFile())
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        if self.current() is not None and self._dropped_pdf(event) is not None:
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        path = self._dropped_pdf(event)
        if path is not None:
            event.acceptProposedAction()
            self.attach(path)

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        while self.tabs.count():
            tab = self.tabs.widget(0)
            if isinstance(tab, DocumentTab):
                tab.shutdown()
                self.undo_group.removeStack(tab.undo_stack)
            self.tabs.removeTab(0)
            tab.deleteLater()
        super().closeEvent(event)
