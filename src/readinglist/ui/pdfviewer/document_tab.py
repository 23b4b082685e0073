"""One open paper: loading/error states, the page view, outline and annotation sidebars, search."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPoint, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import (QColor, QCursor, QDesktopServices, QGuiApplication, QIcon, QPixmap,
                           QUndoStack)
from PySide6.QtWidgets import (QHBoxLayout, QInputDialog, QLabel, QLineEdit, QListWidget,
                               QListWidgetItem, QMenu, QProgressBar, QPushButton, QSplitter,
                               QStackedWidget, QTabWidget, QToolButton, QTreeWidget,
                               QTreeWidgetItem, QVBoxLayout, QWidget)

from readinglist.core.errors import ReadinglistError
from readinglist.core.ids import arxiv_ids_in
from readinglist.core.models import Annotation
from readinglist.core.positions import newer_elsewhere
from readinglist.pdf import text as pdftext
from readinglist.pdf.annotations import note_quad
from readinglist.pdf.document import MUPDF_ERRORS, DocumentInfo, read_info
from readinglist.pdf.errors import DownloadCancelled
from readinglist.pdf.hashing import sha256_file
from readinglist.pdf.render import Renderer
from readinglist.services.pdfs import PdfService
from readinglist.ui.pdfviewer import colors
from readinglist.ui.pdfviewer.continue_bar import ContinueBar
from readinglist.ui.pdfviewer.page_view import PageView, Selection
from readinglist.ui.pdfviewer.tasks import Task, run_task
from readinglist.ui.pdfviewer.references import ReferenceActions
from readinglist.ui.pdfviewer.thumbnails import ThumbnailList
from readinglist.ui.tasks import describe_error
from readinglist.ui.pdfviewer.undo import AddAnnotation, DeleteAnnotation, EditAnnotation

log = logging.getLogger(__name__)

POSITION_SAVE_MS = 800
ID_ROLE = Qt.ItemDataRole.UserRole


def swatch(color: str, size: int = 14) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(QColor(color))
    return QIcon(pixmap)


class DocumentTab(QWidget):
    """A paper in the viewer. All library writes go through ``Library``/``PdfService``."""

    statusChanged = Signal(str)
    ready = Signal()
    failed = Signal(str)

    def __init__(self, service: PdfService, key: str, dark: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.service = service
        self.library = service.library
        self.key = key
        self.dark = dark
        self.title = key
        self.path: Path | None = None
        self.sha256: str | None = None
        self.renderer: Renderer | None = None
        self.info: DocumentInfo | None = None
        self.view: PageView | None = None
        self.error: str = ""
        self.undo_stack = QUndoStack(self)
        self.back_stack: list[tuple[int, float]] = []
        self.forward_stack: list[tuple[int, float]] = []
        self.hits: list[pdftext.Hit] = []
        self.hit_index = -1
        self._search_needle = ""
        self._search_generation = 0
        self._cancel = threading.Event()
        self._closed = False
        self._load_generation = 0  # a cancelled or superseded load's late result is dropped
        self._saved_position: tuple[int, float] | None = None
        self.open_external = lambda url: QDesktopServices.openUrl(QUrl(url))
        self.references = ReferenceActions(self.service, lambda key: self._open_in_viewer(key),
                                           lambda url: self.open_external(url), self)
        self.references.message.connect(self.statusChanged)
        self.link_menu: QMenu | None = None  # the menu an arXiv link opened (kept for tests)
        self._save_timer = QTimer(self, singleShot=True, interval=POSITION_SAVE_MS)
        self._save_timer.timeout.connect(self.save_position)
        try:
            self.title = self.service.paper(key).title or key
        except ReadinglistError:
            pass
        self._stack = QStackedWidget(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._stack)
        self._build_loading()
        self._build_error()
        self.load()

    # -- states ---------------------------------------------------------------------------------

    def _build_loading(self) -> None:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addStretch(1)
        self._loading_label = QLabel(f"Opening {self.title}…")
        self._loading_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._loading_label.setWordWrap(True)
        self._progress = QProgressBar()
        self._progress.setRange(0, 0)
        self._progress.setMaximumWidth(420)
        cancel = QPushButton("Cancel")
        cancel.clicked.connect(self.cancel_load)
        layout.addWidget(self._loading_label)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self._progress)
        row.addWidget(cancel)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._stack.addWidget(box)

    def _build_error(self) -> None:
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addStretch(1)
        self.error_label = QLabel()
        self.error_label.setObjectName("pdfError")
        self.error_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.error_label.setWordWrap(True)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.error_label)
        row = QHBoxLayout()
        row.addStretch(1)
        retry = QPushButton("Try again")
        retry.clicked.connect(self.load)
        attach = QPushButton("Attach a PDF…")
        attach.clicked.connect(lambda: self.window().attach_dialog())  # type: ignore[attr-defined]
        row.addWidget(retry)
        row.addWidget(attach)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        self._stack.addWidget(box)

    def load(self) -> None:
        """(Re)open the paper's PDF: download if needed, off the GUI thread."""
        self._cancel = threading.Event()
        self._load_generation += 1
        generation = self._load_generation
        self._progress.setRange(0, 0)
        self._loading_label.setText(f"Opening {self.title}…")
        self._stack.setCurrentIndex(0)
        cancel = self._cancel
        run_task(self._load_work, cancel,
                 on_done=lambda result: self._loaded_if_current(result, generation),
                 on_error=lambda error: self._failed_if_current(error, generation),
                 on_progress=self._on_progress)

    def cancel_load(self) -> None:
        """Stop the download now: the tab says so at once, even when the server has not
        answered yet (the worker stops at its next chance; its late result is dropped)."""
        self._cancel.set()
        self._load_generation += 1
        self._on_failed(DownloadCancelled("download cancelled; nothing was saved"))

    def _loaded_if_current(self, result: tuple[Any, ...], generation: int) -> None:
        if generation != self._load_generation:
            result[2].close()  # the renderer of a cancelled load
            return
        self._on_loaded(result)

    def _failed_if_current(self, error: BaseException, generation: int) -> None:
        if generation == self._load_generation:
            self._on_failed(error)

    def _load_work(self, report: Any, cancel: threading.Event) -> tuple[Any, ...]:
        service, key = self.service, self.key  # worker thread: no widgets touched here
        path = service.ensure_pdf(key, progress=lambda done, total: report((done, total)),
                                  cancel=cancel)
        sha = sha256_file(path)
        renderer = Renderer(path)
        info = read_info(renderer.document, path)
        try:
            service.import_annotations_once(key, path, sha)
        except ReadinglistError:
            pass  # the file opens; its embedded annotations are not essential
        return path, sha, renderer, info

    def _on_progress(self, value: tuple[int, int | None]) -> None:
        done, total = value
        if total:
            self._progress.setRange(0, 1000)
            self._progress.setValue(int(done * 1000 / total))
            self._loading_label.setText(
                f"Downloading {self.title}… {done / 1e6:.1f} of {total / 1e6:.1f} MB")
        else:
            self._loading_label.setText(f"Downloading {self.title}… {done / 1e6:.1f} MB")

    def _on_failed(self, error: BaseException) -> None:
        if self._closed:
            return
        if isinstance(error, DownloadCancelled):
            message = "The download was cancelled."
        elif isinstance(error, ReadinglistError):
            message = describe_error(error)  # the app's wording (a paper in the Trash…)
        else:
            message = f"Cannot open this paper: {type(error).__name__}: {error}"
        self.error = message
        self.error_label.setText(f"{self.title}\n\n{message}")
        self._stack.setCurrentIndex(1)
        self.failed.emit(message)

    def _on_loaded(self, result: tuple[Any, ...]) -> None:
        path, sha, renderer, info = result
        if self._closed:
            renderer.close()
            return
        self._teardown_view()
        self.path, self.sha256, self.renderer, self.info = path, sha, renderer, info
        self.error = ""
        self._build_reader()
        self._stack.setCurrentWidget(self._reader)
        self.refresh_annotations()
        position = self.library.position(self.key)
        view = self.view
        assert view is not None

        def restore() -> None:
            if position is not None and not self._closed:
                view.set_position(position.page, position.offset)
                self._saved_position = (position.page, position.offset)
            self._update_status()
            if not self._closed:
                self.thumbnails.show_page(view.current_page())
            self._offer_continue()

        QTimer.singleShot(0, restore)
        view.setFocus()
        self.ready.emit()
        # make the PDF searchable (pdf:word) in the background, after it is on screen
        QTimer.singleShot(500, lambda: self._index_text(path, sha))

    def _offer_continue(self) -> None:
        """Offer another machine's position when it is more recent than this one's."""
        from readinglist.sync.state import device_names

        if self._closed or self.view is None:
            return
        offered = newer_elsewhere(self.library.positions(self.key),
                                  getattr(self.library, "device_id", ""))
        if offered is not None:
            self.continue_bar.offer(offered, device_names(self.library).get(offered.device_id, ""))

    def _go_to_position(self, page: int, offset: float) -> None:
        if self.view is not None:
            self._remember()  # Back (Alt+Left) returns to this machine's page
            self.view.set_position(page, offset)
            self.view.setFocus()

    def _open_in_viewer(self, key: str) -> None:
        window = self.window()
        if hasattr(window, "open_key"):
            window.open_key(key)

    def _index_text(self, path: Path, sha: str) -> None:
        if self._closed:
            return
        from readinglist.services.fulltext import FullTextIndex

        index = FullTextIndex(self.library, self.service.cache)
        key = self.key
        run_task(lambda _report: index.index_paper(key, path, sha),
                 on_error=lambda error: log.info("full-text index: %s", error))

    def _teardown_view(self) -> None:
        if self.view is not None:
            self.view.shutdown()
            self.thumbnails.shutdown()
            self._stack.removeWidget(self._reader)
            self._reader.deleteLater()
            self.view = None
        if self.renderer is not None:
            self.renderer.close()
            self.renderer = None

    # -- the reader -----------------------------------------------------------------------------

    def _build_reader(self) -> None:
        assert self.renderer is not None and self.info is not None
        self._reader = QSplitter(Qt.Orientation.Horizontal)
        self.sidebar = QTabWidget()
        self.sidebar.setDocumentMode(True)
        self.outline = QTreeWidget()
        self.outline.setHeaderHidden(True)
        self.outline.itemActivated.connect(self._on_outline)
        self.outline.itemClicked.connect(self._on_outline)
        self._fill_outline()
        self.annotation_list = QListWidget()
        self.annotation_list.setWordWrap(True)
        self.annotation_list.setAlternatingRowColors(True)
        self.annotation_list.itemClicked.connect(self._on_annotation_item)
        self.annotation_list.itemActivated.connect(self._on_annotation_item)  # Enter
        self.annotation_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.annotation_list.customContextMenuRequested.connect(self._list_menu)
        self.thumbnails = ThumbnailList(self.renderer, list(self.info.page_sizes), self.dark)
        self.thumbnails.pageActivated.connect(lambda page: self.go_to_page(page))
        self.sidebar.addTab(self.outline, "Contents")
        self.sidebar.addTab(self.thumbnails, "Pages")
        self.sidebar.addTab(self.annotation_list, "Annotations")
        if not self.info.outline:
            self.sidebar.setCurrentWidget(self.annotation_list)
        right = QWidget()
        column = QVBoxLayout(right)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        self.continue_bar = ContinueBar(self._go_to_position)
        column.addWidget(self.continue_bar)
        column.addWidget(self._build_search_bar())
        self.view = PageView(self.renderer, self.info)
        self.view.setAccessibleName("Pages of the PDF")
        self.view.set_dark(self.dark)
        self.view.pageChanged.connect(lambda _p: self._update_status())
        self.view.pageChanged.connect(self.continue_bar.page_reached)
        self.view.pageChanged.connect(self.thumbnails.show_page)
        self.view.scaleChanged.connect(lambda _s: self._update_status())
        self.view.verticalScrollBar().valueChanged.connect(lambda _v: self._save_timer.start())
        self.view.linkActivated.connect(self.follow_link)
        self.view.annotationClicked.connect(self._on_annotation_clicked)
        self.view.notePlaced.connect(self._on_note_placed)
        self.view.contextRequested.connect(self._view_menu)
        column.addWidget(self.view, 1)
        self._reader.addWidget(self.sidebar)
        self._reader.addWidget(right)
        self._reader.setStretchFactor(1, 1)
        self._reader.setSizes([240, 900])
        self._stack.addWidget(self._reader)

    def _fill_outline(self) -> None:
        assert self.info is not None
        parents: list[QTreeWidgetItem] = []
        for entry in self.info.outline:
            item = QTreeWidgetItem([entry.title])
            item.setData(0, ID_ROLE, (entry.page, entry.y))
            item.setToolTip(0, f"page {entry.page + 1}")
            del parents[entry.level - 1:]
            if parents:
                parents[-1].addChild(item)
            else:
                self.outline.addTopLevelItem(item)
            parents.append(item)
        self.outline.expandToDepth(0)

    def _build_search_bar(self) -> QWidget:
        self.search_bar = QWidget()
        row = QHBoxLayout(self.search_bar)
        row.setContentsMargins(6, 4, 6, 4)
        self.search_edit = QLineEdit()
        self.search_edit.setPlaceholderText("Find in document (Enter: next, Shift+Enter: previous)")
        self.search_edit.returnPressed.connect(self._on_search_enter)
        self.search_label = QLabel("")
        self.search_edit.setAccessibleName("Find in document")
        previous = QToolButton(text="▲", toolTip="Previous match (N, Shift+F3)",
                               accessibleName="Previous match")
        previous.clicked.connect(self.previous_hit)
        following = QToolButton(text="▼", toolTip="Next match (n, F3)",
                                accessibleName="Next match")
        following.clicked.connect(self.next_hit)
        close = QToolButton(text="✕", toolTip="Close (Esc)", accessibleName="Close find")
        close.clicked.connect(self.close_search)
        for widget in (self.search_edit, self.search_label, previous, following, close):
            row.addWidget(widget)
        self.search_bar.hide()
        return self.search_bar

    def _update_status(self) -> None:
        if self.view is None or self.info is None:
            return
        page = self.view.current_page()
        percent = round(self.view.scale * 72 / 96 * 100)
        self.statusChanged.emit(f"Page {page + 1} of {self.info.page_count} · {percent}%")

    # -- navigation -----------------------------------------------------------------------------

    def _remember(self) -> None:
        if self.view is not None:
            self.back_stack.append(self.view.position())
            self.forward_stack.clear()

    def go_to_page(self, page: int, y: float | None = None, remember: bool = True) -> None:
        if self.view is None:
            return
        if remember:
            self._remember()
        self.view.go_to_page(page, y)

    def back(self) -> None:
        if self.view is not None and self.back_stack:
            self.forward_stack.append(self.view.position())
            self.view.set_position(*self.back_stack.pop())

    def forward(self) -> None:
        if self.view is not None and self.forward_stack:
            self.back_stack.append(self.view.position())
            self.view.set_position(*self.forward_stack.pop())

    def follow_link(self, link: pdftext.Link) -> None:
        if link.uri:
            refs = arxiv_ids_in(link.uri)
            if refs:  # an arXiv paper: add it to the library or read it here
                self.link_menu = self.references.menu(refs, self)
                self.link_menu.addAction("Open the link in the browser",
                                         lambda: self.open_external(link.uri or ""))
                self.link_menu.popup(QCursor.pos())
            elif link.uri.lower().startswith(("http://", "https://", "mailto:")):
                self.open_external(link.uri)
        elif link.page is not None:
            self.go_to_page(link.page, link.y or None)

    def _on_outline(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        page, y = item.data(0, ID_ROLE)
        if page >= 0:
            self.go_to_page(page, y or None)

    def save_position(self) -> None:
        """Remember the reading position (page and offset) for this paper."""
        if self.view is None:
            return
        page, offset = self.view.position()
        current = (page, round(offset, 3))
        if current != self._saved_position:
            try:
                self.library.set_position(self.key, page, round(offset, 3))
                self._saved_position = current
            except ReadinglistError:
                pass

    # -- search ---------------------------------------------------------------------------------

    def open_search(self) -> None:
        if self.view is None:
            return
        self.search_bar.show()
        self.search_edit.setFocus()
        self.search_edit.selectAll()

    def close_search(self) -> None:
        if self.view is None:
            return
        self._search_generation += 1
        self.search_bar.hide()
        self.hits, self.hit_index, self._search_needle = [], -1, ""
        self.view.set_search_hits([])
        self.view.setFocus()

    def escape(self) -> None:
        """Esc: stop placing a note, else clear the selection, else close the search bar."""
        if self.view is None:
            return
        if self.view.placing_note:
            self.view.placing_note = False
            self.view.viewport().unsetCursor()
        elif self.view.selection is not None:
            self.view.clear_selection()
        elif self.search_bar.isVisible():
            self.close_search()

    def _on_search_enter(self) -> None:
        needle = self.search_edit.text()
        shift = QGuiApplication.keyboardModifiers() & Qt.KeyboardModifier.ShiftModifier
        if needle == self._search_needle and self.hits:
            self.previous_hit() if shift else self.next_hit()
        else:
            self.search(needle)

    def search(self, needle: str) -> Task | None:
        """Find every match in the background; the view highlights them as they arrive."""
        if self.view is None or self.renderer is None:
            return None
        self._search_generation += 1
        generation = self._search_generation
        self._search_needle = needle
        self.hits, self.hit_index = [], -1
        self.view.set_search_hits([])
        if not needle.strip():
            self.search_label.setText("")
            return None
        self.search_label.setText("Searching…")
        doc = self.renderer.document
        start = self.view.current_page()

        def work(report: Any) -> tuple[int, list[pdftext.Hit]]:
            found: list[pdftext.Hit] = []
            for page in range(doc.page_count):
                if generation != self._search_generation or self._closed:
                    break
                try:
                    found.extend(pdftext.search_page(doc, page, needle))
                except MUPDF_ERRORS:  # the document was closed meanwhile, a damaged page
                    break
            return generation, found

        def done(result: tuple[int, list[pdftext.Hit]]) -> None:
            gen, found = result
            if gen != self._search_generation or self.view is None:
                return
            self.hits = found
            after = [i for i, h in enumerate(found) if h.page >= start]
            self.hit_index = -1
            if found:
                self._show_hit(after[0] if after else 0)
            else:
                self.view.set_search_hits([])
                self.search_label.setText("No matches")
            self.view.setFocus()

        return run_task(work, on_done=done, on_error=lambda e: self.search_label.setText(str(e)))

    def _show_hit(self, index: int) -> None:
        if self.view is None or not self.hits:
            return
        self.hit_index = index % len(self.hits)
        hit = self.hits[self.hit_index]
        self.view.set_search_hits(self.hits, self.hit_index)
        self.search_label.setText(f"{self.hit_index + 1} of {len(self.hits)}")
        y0 = self.view.quad_top(hit.page, hit.quads[0])
        rect = self.view.page_rect(hit.page)
        top = rect.y() + y0 * self.view.scale
        if not 0 <= top <= self.view.viewport().height() - 40:
            self.view.go_to_page(hit.page, max(0.0, y0 - 60))

    def next_hit(self) -> None:
        if self.hits:
            self._show_hit(self.hit_index + 1)

    def previous_hit(self) -> None:
        if self.hits:
            self._show_hit(self.hit_index - 1)

    # -- selection and annotations --------------------------------------------------------------

    @property
    def selection(self) -> Selection | None:
        return self.view.selection if self.view is not None else None

    def copy_selection(self) -> bool:
        if self.selection is None:
            return False
        QGuiApplication.clipboard().setText(self.selection.text)
        return True

    def refresh_annotations(self) -> None:
        if self.view is None or self._closed:
            return
        found = sorted(self.library.annotations(self.key), key=lambda a: (
            a.page, pdftext.quad_rect(a.quads[0])[1] if a.quads else 0.0, a.created))
        self.view.set_annotations(found)
        self._fill_annotation_list(found)

    def _fill_annotation_list(self, found: list[Annotation]) -> None:
        current = self.view.selected_annotation if self.view else None
        self.annotation_list.clear()
        for ann in found:
            body = " ".join(ann.text.split()) if ann.kind != "note" else ann.comment.strip()
            label = f"p. {ann.page + 1} · {ann.kind}\n{body[:160] or '(no text)'}"
            if ann.comment.strip() and ann.kind != "note":
                label += f"\nComment: {ann.comment.strip()[:160]}"
            item = QListWidgetItem(swatch(ann.color), label)
            item.setData(ID_ROLE, ann.id)
            item.setToolTip(ann.comment or ann.text)
            self.annotation_list.addItem(item)
            if ann.id == current:
                item.setSelected(True)

    def annotation(self, annotation_id: str) -> Annotation | None:
        if self.view is None:
            return None
        return next((a for a in self.view.annotations if a.id == annotation_id), None)

    def _on_annotation_item(self, item: QListWidgetItem) -> None:
        self.jump_to_annotation(item.data(ID_ROLE))

    def jump_to_annotation(self, annotation_id: str) -> None:
        ann = self.annotation(annotation_id)
        if ann is None or self.view is None:
            return
        y = self.view.quad_top(ann.page, ann.quads[0]) if ann.quads else None
        self.go_to_page(ann.page, max(0.0, y - 40) if y is not None else None)
        self.view.selected_annotation = ann.id
        self.view.viewport().update()

    def _on_annotation_clicked(self, annotation_id: str) -> None:
        for row in range(self.annotation_list.count()):
            item = self.annotation_list.item(row)
            item.setSelected(item.data(ID_ROLE) == annotation_id)

    def selected_annotation(self) -> Annotation | None:
        if self.view is None or not self.view.selected_annotation:
            return None
        return self.annotation(self.view.selected_annotation)

    def _push(self, command: Any) -> None:
        try:
            self.undo_stack.push(command)
        except ReadinglistError as error:
            self.statusChanged.emit(str(error))

    def annotate_selection(self, kind: str, color: str | None = None,
                           comment: str = "") -> str | None:
        """Highlight or underline the selected text; returns the new annotation's id."""
        selection = self.selection
        if selection is None or self.view is None:
            return None
        color = color or (colors.UNDERLINE_COLOR if kind == "underline" else colors.DEFAULT_COLOR)
        fields = {"kind": kind, "page": selection.page, "quads": list(selection.quads),
                  "text": selection.text, "comment": comment, "color": color,
                  "pdf_hash": self.sha256}
        command = AddAnnotation(self.library, self.key, fields, self.refresh_annotations,
                                f"{kind.capitalize()} text")
        self._push(command)
        self.view.clear_selection()
        self.view.selected_annotation = command.annotation_id
        return command.annotation_id

    def add_note(self, page: int, x: float, y: float, text: str,
                 color: str = colors.DEFAULT_COLOR) -> str | None:
        """A sticky note with its corner at (x, y) on a page."""
        fields = {"kind": "note", "page": page, "quads": [note_quad(x, y)], "text": "",
                  "comment": text, "color": color, "pdf_hash": self.sha256}
        command = AddAnnotation(self.library, self.key, fields, self.refresh_annotations,
                                "Add note")
        self._push(command)
        return command.annotation_id

    def start_note(self) -> None:
        """The next click on a page places a sticky note there."""
        if self.view is not None:
            self.view.placing_note = True
            self.view.viewport().setCursor(Qt.CursorShape.CrossCursor)
            self.statusChanged.emit("Click on the page to place a note (Esc cancels)")

    def _on_note_placed(self, page: int, x: float, y: float) -> None:
        text = self.ask_text("Sticky note", "Note:", "")
        if text:
            self.add_note(page, max(0.0, x - 10), max(0.0, y - 10), text)

    def ask_text(self, title: str, label: str, initial: str) -> str | None:
        """Ask for multi-line text; None if cancelled."""
        text, ok = QInputDialog.getMultiLineText(self, title, label, initial)
        return text if ok else None

    def edit_fields(self, annotation_id: str, label: str, **new: Any) -> None:
        ann = self.annotation(annotation_id)
        if ann is None:
            return
        old = {name: getattr(ann, name) for name in new}
        if old != new:
            self._push(EditAnnotation(self.library, annotation_id, old, new,
                                      self.refresh_annotations, label))

    def edit_comment(self, annotation_id: str, comment: str | None = None) -> None:
        ann = self.annotation(annotation_id)
        if ann is None:
            return
        if comment is None:
            comment = self.ask_text("Comment", "Comment:", ann.comment)
            if comment is None:
                return
        self.edit_fields(annotation_id, "Edit comment", comment=comment)

    def delete_annotation(self, annotation_id: str | None = None) -> bool:
        target = annotation_id or (self.view.selected_annotation if self.view else None)
        if not target or self.annotation(target) is None:
            return False
        self._push(DeleteAnnotation(self.library, target, self.refresh_annotations))
        return True

    # -- context menus --------------------------------------------------------------------------

    def _view_menu(self, global_pos: QPoint, page: int, x: float, y: float,
                   annotation_id: str) -> None:
        menu = self.build_menu(page, x, y, annotation_id)
        menu.exec(global_pos)

    def build_menu(self, page: int, x: float, y: float, annotation_id: str = "") -> QMenu:
        menu = QMenu(self)
        if annotation_id and self.annotation(annotation_id) is not None:
            self._annotation_menu(menu, annotation_id)
        elif self.selection is not None:
            menu.addAction("Copy", self.copy_selection)
            highlight = menu.addMenu("Highlight")
            for name, color in colors.HIGHLIGHT_COLORS:
                highlight.addAction(swatch(color), name,
                                    lambda c=color: self.annotate_selection("highlight", c))
            menu.addAction("Underline", lambda: self.annotate_selection("underline"))
            menu.addAction("Highlight with comment…", self._highlight_with_comment)
            refs = arxiv_ids_in(self.selection.text)
            if refs:  # a reference list: the papers it names
                menu.addSeparator()
                self.references.fill(menu, refs)
        else:
            menu.addAction("Add note here…", lambda: self._on_note_placed(page, x, y))
        return menu

    def _annotation_menu(self, menu: QMenu, annotation_id: str) -> None:
        ann = self.annotation(annotation_id)
        assert ann is not None
        menu.addAction("Edit note…" if ann.kind == "note" else "Comment…",
                       lambda: self.edit_comment(annotation_id))
        colour = menu.addMenu("Colour")
        for name, color in colors.HIGHLIGHT_COLORS + (("Red", colors.UNDERLINE_COLOR),):
            colour.addAction(swatch(color), name, lambda c=color: self.edit_fields(
                annotation_id, "Change colour", color=c))
        if ann.kind == "highlight":
            menu.addAction("Change to underline",
                           lambda: self.edit_fields(annotation_id, "Change kind", kind="underline"))
        elif ann.kind == "underline":
            menu.addAction("Change to highlight",
                           lambda: self.edit_fields(annotation_id, "Change kind", kind="highlight"))
        if ann.text:
            menu.addAction("Copy text", lambda: QGuiApplication.clipboard().setText(ann.text))
        menu.addSeparator()
        menu.addAction("Delete", lambda: self.delete_annotation(annotation_id))

    def _list_menu(self, pos: QPoint) -> None:
        item = self.annotation_list.itemAt(pos)
        if item is None:
            return
        menu = QMenu(self)
        self._annotation_menu(menu, item.data(ID_ROLE))
        menu.exec(self.annotation_list.mapToGlobal(pos))

    def _highlight_with_comment(self) -> None:
        comment = self.ask_text("Comment", "Comment on the highlight:", "")
        if comment is not None:
            self.annotate_selection("highlight", comment=comment)

    # -- view options and closing ---------------------------------------------------------------

    def set_dark(self, dark: bool) -> None:
        self.dark = dark
        if self.view is not None:
            self.view.set_dark(dark)
            self.thumbnails.set_dark(dark)

    def shutdown(self) -> None:
        """Save the position, stop downloads and rendering, close the document."""
        if self._closed:
            return
        self.save_position()
        self._closed = True
        self._cancel.set()
        self._search_generation += 1
        self._save_timer.stop()
        self._teardown_view()
