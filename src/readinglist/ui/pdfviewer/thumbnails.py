"""The "Pages" sidebar tab: a thumbnail per page, rendered lazily in the background."""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QRunnable, QSize, Qt, QThreadPool, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (QListView, QListWidget, QListWidgetItem,
                               QStyledItemDelegate, QStyleOptionViewItem, QWidget)

from readinglist.pdf.errors import PdfError
from readinglist.pdf.render import Renderer
from readinglist.ui.pdfviewer.page_view import pixmap_to_image

THUMB_WIDTH = 116  # device-independent pixels
AHEAD = 4  # thumbnails rendered beyond each edge of the visible ones


def _framed(pixmap: QPixmap, dark: bool) -> QPixmap:
    """The page with a thin edge, so a white page stands out from a white list."""
    painter = QPainter(pixmap)
    painter.setPen(QColor("#5c5f66" if dark else "#b4b7bd"))
    ratio = pixmap.devicePixelRatio() or 1.0
    painter.drawRect(0, 0, int(pixmap.width() / ratio) - 1, int(pixmap.height() / ratio) - 1)
    painter.end()
    return pixmap


class _PageDelegate(QStyledItemDelegate):
    """The page above its number, both centred."""

    def initStyleOption(self, option: QStyleOptionViewItem, index: object) -> None:  # noqa: N802
        super().initStyleOption(option, index)  # type: ignore[arg-type]
        option.decorationPosition = QStyleOptionViewItem.Position.Top
        option.displayAlignment = Qt.AlignmentFlag.AlignHCenter


class _Signals(QObject):
    rendered = Signal(int, bool, object)  # page, dark, QImage or None


class _ThumbJob(QRunnable):
    def __init__(self, renderer: Renderer, page: int, scale: float, dark: bool,
                 wanted: set[int], signals: _Signals) -> None:
        super().__init__()
        self.renderer, self.page, self.scale, self.dark = renderer, page, scale, dark
        self.wanted, self.signals = wanted, signals

    def run(self) -> None:
        image = None
        if self.page in self.wanted:  # not scrolled away before its turn
            try:
                image = pixmap_to_image(self.renderer.render_pixmap(self.page, self.scale,
                                                                    self.dark)).copy()
            except (PdfError, RuntimeError, ValueError):
                image = None
        try:
            self.signals.rendered.emit(self.page, self.dark, image)
        except RuntimeError:  # the list is gone
            pass


class ThumbnailList(QListWidget):
    """One item per page; clicking one emits ``pageActivated``. Only thumbnails that are (nearly)
    visible are rendered, and only while the list itself is shown."""

    pageActivated = Signal(int)

    def __init__(self, renderer: Renderer, page_sizes: list[tuple[float, float]],
                 dark: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        self.page_sizes = page_sizes
        self.dark = dark
        self.rendered: dict[int, bool] = {}  # page -> dark of the thumbnail shown
        self._pending: set[int] = set()
        self._wanted: set[int] = set()
        self._lock = threading.Lock()
        self._signals = _Signals()
        self._signals.rendered.connect(self._on_rendered)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(False)
        self.setItemAlignment(Qt.AlignmentFlag.AlignHCenter)  # one centred column
        self.setItemDelegate(_PageDelegate(self))
        self.setSpacing(6)
        tallest = max((h / w for w, h in page_sizes if w > 0), default=1.3)
        self.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * min(tallest, 2.0))))
        for page, (width, height) in enumerate(page_sizes):
            item = QListWidgetItem(self._blank(width, height), str(page + 1))
            item.setData(Qt.ItemDataRole.UserRole, page)
            item.setToolTip(f"Page {page + 1}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignHCenter)
            self.addItem(item)
        self.itemClicked.connect(self._on_clicked)
        self.itemActivated.connect(self._on_clicked)
        self._debounce = QTimer(self, singleShot=True, interval=30)
        self._debounce.timeout.connect(self.request_visible)
        self.verticalScrollBar().valueChanged.connect(lambda _v: self._debounce.start())

    def _blank(self, width: float, height: float) -> QIcon:
        pixmap = QPixmap(THUMB_WIDTH, max(1, int(THUMB_WIDTH * height / max(width, 1.0))))
        pixmap.fill(QColor("#3a3b3e" if self.dark else "#f4f4f4"))
        return QIcon(_framed(pixmap, self.dark))


    def show_page(self, page: int) -> None:
        """Mark ``page`` as the current one (the reader scrolled there) without navigating."""
        if 0 <= page < self.count() and self.currentRow() != page:
            self.blockSignals(True)
            self.setCurrentRow(page)
            self.blockSignals(False)
            self.scrollToItem(self.item(page))

    def set_dark(self, dark: bool) -> None:
        if dark != self.dark:
            self.dark = dark
            self.request_visible()

    def visible_pages(self) -> range:
        """The pages whose thumbnails are in view."""
        viewport = self.viewport().rect()
        shown = [row for row in range(self.count())
                 if self.visualItemRect(self.item(row)).intersects(viewport)]
        return range(shown[0], shown[-1] + 1) if shown else range(0)

    def request_visible(self) -> None:
        """Render the thumbnails in view (and a few beyond) that are missing or stale."""
        if not self.isVisible() or self.renderer is None:
            return
        visible = self.visible_pages()
        pages = range(max(0, visible.start - AHEAD), min(self.count(), visible.stop + AHEAD))
        needed = [p for p in pages if self.rendered.get(p) is not self.dark]
        with self._lock:
            self._wanted.clear()
            self._wanted.update(needed)
        for page in needed:
            if page not in self._pending:
                self._pending.add(page)
                width = self.page_sizes[page][0] or 612.0
                scale = THUMB_WIDTH * self.devicePixelRatioF() / width
                self.pool.start(_ThumbJob(self.renderer, page, scale, self.dark, self._wanted,
                                          self._signals))

    def _on_rendered(self, page: int, dark: bool, image: QImage | None) -> None:
        self._pending.discard(page)
        if image is None or dark is not self.dark:
            if page in self._wanted:
                self._debounce.start()  # the theme changed meanwhile: render again
            return
        image.setDevicePixelRatio(self.devicePixelRatioF())
        self.item(page).setIcon(QIcon(_framed(QPixmap.fromImage(image), dark)))
        self.rendered[page] = dark

    def _on_clicked(self, item: QListWidgetItem) -> None:
        self.pageActivated.emit(int(item.data(Qt.ItemDataRole.UserRole)))

    def showEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)  # type: ignore[arg-type]
        QTimer.singleShot(0, self.request_visible)

    def resizeEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)  # type: ignore[arg-type]
        self._debounce.start()

    def shutdown(self) -> None:
        """Stop rendering (the document is about to close)."""
        with self._lock:
            self._wanted.clear()
        self.pool.clear()
        self.pool.waitForDone(2000)
        self.renderer = None  # type: ignore[assignment]
