"""The page canvas: continuous vertical scrolling, lazy background rendering, overlays, mouse."""

from __future__ import annotations

import bisect
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import pymupdf
from PySide6.QtCore import (QObject, QPointF, QRectF, QRunnable, QSize, Qt, QThreadPool, Signal)
from PySide6.QtGui import (QColor, QImage, QKeyEvent, QMouseEvent, QPainter, QPainterPath, QPen,
                           QResizeEvent, QWheelEvent)
from PySide6.QtWidgets import QAbstractScrollArea, QWidget

from readinglist.core.models import Annotation
from readinglist.pdf import text as pdftext
from readinglist.pdf.document import DocumentInfo
from readinglist.pdf.errors import PdfError
from readinglist.pdf.render import Renderer
from readinglist.ui.pdfviewer import colors
from readinglist.ui.pdfviewer.link_preview import LinkPreview

MIN_SCALE, MAX_SCALE = 0.25, 8.0
ZOOM_STEP = 1.2
GAP = 12
MARGIN = 16
CACHE_BYTES = 128 * 1024 * 1024
MAX_PIXELS = 24_000_000  # a huge page is rendered at most this big, and drawn scaled up
PREFETCH = 1  # pages rendered beyond each edge of the viewport

RenderKey = tuple[int, int, bool]  # page, scale in thousandths of device pixels per point, dark


@dataclass(frozen=True, slots=True)
class Selection:
    """Selected text on one page."""

    page: int
    quads: tuple[pdftext.Quad, ...]
    text: str


def pixmap_to_image(pix: pymupdf.Pixmap) -> QImage:
    """An RGB PyMuPDF pixmap as a QImage sharing its pixels (no copy).

    The image keeps a reference to the pixmap, whose buffer it points into.
    """
    image = QImage(pix.samples_mv, pix.width, pix.height, pix.stride,
                   QImage.Format.Format_RGB888)
    image._pixmap = pix  # type: ignore[attr-defined] - keeps the pixel buffer alive
    return image


class _RenderSignals(QObject):
    rendered = Signal(object, object)  # RenderKey, QImage (or None if it failed)


class _RenderJob(QRunnable):
    def __init__(self, view: "PageView", key: RenderKey) -> None:
        super().__init__()
        self.renderer = view.renderer
        self.signals = view.render_signals
        self.wanted = view.wanted
        self.key = key

    def run(self) -> None:
        page, milli, dark = self.key
        if self.key not in self.wanted or self.renderer is None:
            self._emit(None)  # skipped: scrolled away before its turn
            return
        try:
            image = pixmap_to_image(self.renderer.render_pixmap(page, milli / 1000.0, dark))
        except (PdfError, RuntimeError, ValueError):
            image = None
        self._emit(image)

    def _emit(self, image: QImage | None) -> None:
        try:
            self.signals.rendered.emit(self.key, image)
        except RuntimeError:  # the view is gone
            pass


class PageView(QAbstractScrollArea):
    """Shows all pages of a document stacked vertically; renders only what is visible."""

    pageChanged = Signal(int)
    scaleChanged = Signal(float)
    selectionChanged = Signal(object)  # Selection | None
    annotationClicked = Signal(str)
    linkActivated = Signal(object)  # pdftext.Link
    notePlaced = Signal(int, float, float)  # page, x, y in points
    contextRequested = Signal(object, int, float, float, str)  # global pos, page, x, y, ann id
    firstPagePainted = Signal()

    def __init__(self, renderer: Renderer, info: DocumentInfo,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = renderer
        self.info = info
        self.scale = 1.0
        self.fit_mode: str | None = "width"
        self.dark = False
        self.placing_note = False
        self.annotations: list[Annotation] = []
        self.selected_annotation: str | None = None
        self.search_hits: list[pdftext.Hit] = []
        self.current_hit = -1
        self.selection: Selection | None = None
        self._cache: OrderedDict[RenderKey, QImage] = OrderedDict()
        self._cache_bytes = 0
        self.wanted: set[RenderKey] = set()
        self._pending: set[RenderKey] = set()
        self._words: dict[int, list[pdftext.Word]] = {}
        self._links: dict[int, list[pdftext.Link]] = {}
        self._press: tuple[int, float, float] | None = None
        self._dragging = False
        self._first_painted = False
        self._current_page = 0
        self._tops: list[float] = []
        self._lock = threading.Lock()
        self.render_signals = _RenderSignals()
        self.render_signals.rendered.connect(self._on_rendered)
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)  # MuPDF calls are serialised anyway
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.viewport().setMouseTracking(True)
        self.verticalScrollBar().valueChanged.connect(self._on_scrolled)
        self.horizontalScrollBar().valueChanged.connect(lambda _v: self.viewport().update())
        self.link_preview = LinkPreview(self)
        self._layout()

    # -- geometry -------------------------------------------------------------------------------

    @property
    def page_count(self) -> int:
        return self.info.page_count

    def _layout(self) -> None:
        tops, y = [], float(GAP)
        for _, height in self.info.page_sizes:
            tops.append(y)
            y += height * self.scale + GAP
        self._tops = tops
        self._content_height = y
        self._content_width = max(w for w, _ in self.info.page_sizes) * self.scale + 2 * MARGIN
        self._update_scrollbars()

    def _update_scrollbars(self) -> None:
        view = self.viewport().size()
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setRange(0, max(0, int(self._content_height - view.height())))
        vbar.setPageStep(max(1, view.height()))
        vbar.setSingleStep(40)
        hbar.setRange(0, max(0, int(self._content_width - view.width())))
        hbar.setPageStep(max(1, view.width()))
        hbar.setSingleStep(40)

    def page_rect(self, page: int) -> QRectF:
        """Where a page is, in viewport coordinates."""
        width, height = self.info.page_sizes[page]
        w, h = width * self.scale, height * self.scale
        total = max(self._content_width, float(self.viewport().width()))
        x = (total - w) / 2 - self.horizontalScrollBar().value()
        y = self._tops[page] - self.verticalScrollBar().value()
        return QRectF(x, y, w, h)

    def to_view(self, page: int, x: float, y: float) -> QPointF:
        """A point in PDF coordinates (of the unrotated page, like words and annotations) in
        viewport coordinates."""
        rect = self.page_rect(page)
        x, y = self.info.to_shown(page, x, y)
        return QPointF(rect.x() + x * self.scale, rect.y() + y * self.scale)

    def to_page(self, point: QPointF) -> tuple[int, float, float]:
        """The page under a viewport point (nearest page) and the point in PDF coordinates."""
        content_y = point.y() + self.verticalScrollBar().value()
        page = max(0, min(self.page_count - 1, bisect.bisect_right(self._tops, content_y) - 1))
        rect = self.page_rect(page)
        return (page, *self.info.to_unrotated(page, (point.x() - rect.x()) / self.scale,
                                              (point.y() - rect.y()) / self.scale))

    def quad_top(self, page: int, quad: Sequence[float]) -> float:
        """How far below the top of the page (as shown, in points) a quad starts."""
        return (self._quad_path(page, quad).boundingRect().top()
                - self.page_rect(page).top()) / self.scale

    def visible_pages(self) -> range:
        top = self.verticalScrollBar().value()
        bottom = top + self.viewport().height()
        first = max(0, bisect.bisect_right(self._tops, top) - 1)
        last = max(first, min(self.page_count - 1, bisect.bisect_right(self._tops, bottom) - 1))
        return range(first, last + 1)

    # -- position, navigation and zoom ----------------------------------------------------------

    def current_page(self) -> int:
        """The page at the top third of the window."""
        y = self.verticalScrollBar().value() + self.viewport().height() / 3
        return max(0, min(self.page_count - 1, bisect.bisect_right(self._tops, y) - 1))

    def position(self) -> tuple[int, float]:
        """(page, offset): offset is the fraction of the page above the window's top edge."""
        top = self.verticalScrollBar().value()
        page = max(0, bisect.bisect_right(self._tops, top + GAP) - 1)  # a gap counts as below
        height = self.info.page_sizes[page][1] * self.scale
        return page, max(0.0, min(1.0, (top - self._tops[page]) / height)) if height else 0.0

    def set_position(self, page: int, offset: float = 0.0) -> None:
        page = max(0, min(self.page_count - 1, int(page)))
        height = self.info.page_sizes[page][1] * self.scale
        self.verticalScrollBar().setValue(int(round(self._tops[page] + offset * height)))

    def go_to_page(self, page: int, y: float | None = None) -> None:
        """Scroll so the page (or point ``y`` on it) is at the top of the window."""
        page = max(0, min(self.page_count - 1, int(page)))
        target = self._tops[page] - GAP / 2 if y is None else self._tops[page] + (
            y * self.scale - 24)
        self.verticalScrollBar().setValue(int(round(max(0.0, target))))

    def next_page(self) -> None:
        self.go_to_page(min(self.page_count - 1, self.position()[0] + 1))

    def previous_page(self) -> None:
        page, offset = self.position()
        self.go_to_page(page - 1 if offset < 0.02 else page)

    def set_scale(self, scale: float, anchor: QPointF | None = None) -> None:
        """Zoom to ``scale`` logical pixels per point, keeping ``anchor`` (or the top) in place."""
        scale = max(MIN_SCALE, min(MAX_SCALE, scale))
        if abs(scale - self.scale) < 1e-4:
            return
        if anchor is None:
            anchor = QPointF(self.viewport().width() / 2, 0)
        page, x, y = self.to_page(anchor)
        self.scale = scale
        self._layout()
        point = self.to_view(page, x, y)
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        vbar.setValue(int(round(vbar.value() + point.y() - anchor.y())))
        hbar.setValue(int(round(hbar.value() + point.x() - anchor.x())))
        self.scaleChanged.emit(self.scale)
        self._request_visible()
        self.viewport().update()

    def zoom_in(self, anchor: QPointF | None = None) -> None:
        self.fit_mode = None
        self.set_scale(self.scale * ZOOM_STEP, anchor)

    def zoom_out(self, anchor: QPointF | None = None) -> None:
        self.fit_mode = None
        self.set_scale(self.scale / ZOOM_STEP, anchor)

    def fit(self, mode: str) -> None:
        """``width`` or ``page``; kept while the window is resized."""
        self.fit_mode = mode
        self._apply_fit()

    def _apply_fit(self) -> None:
        if not self.fit_mode:
            return
        view = self.viewport().size()
        widest = max(w for w, _ in self.info.page_sizes)
        scale = (view.width() - 2 * MARGIN) / widest
        if self.fit_mode == "page":
            tallest = max(h for _, h in self.info.page_sizes)
            scale = min(scale, (view.height() - 2 * GAP) / tallest)
        page, offset = self.position()
        self.set_scale(scale)
        self.set_position(page, offset)

    def set_dark(self, dark: bool) -> None:
        if dark != self.dark:
            self.dark = dark
            self._request_visible()
            self.viewport().update()

    # -- rendering ------------------------------------------------------------------------------

    def _render_key(self, page: int) -> RenderKey:
        width, height = self.info.page_sizes[page]
        scale = min(self.scale * self.devicePixelRatioF(),
                    (MAX_PIXELS / max(1.0, width * height)) ** 0.5)
        return page, int(round(scale * 1000)), self.dark

    def _request_visible(self) -> None:
        visible = self.visible_pages()
        first = max(0, visible.start - PREFETCH)
        last = min(self.page_count, visible.stop + PREFETCH)
        keys = [self._render_key(p) for p in visible] + [
            self._render_key(p) for p in range(first, last) if p not in visible]
        with self._lock:
            self.wanted.clear()
            self.wanted.update(k for k in keys if k not in self._cache)
        for key in keys:
            if key in self._cache:
                self._cache.move_to_end(key)
            elif key not in self._pending:
                self._pending.add(key)
                self.pool.start(_RenderJob(self, key))

    def _on_rendered(self, key: RenderKey, image: QImage | None) -> None:
        self._pending.discard(key)
        self.wanted.discard(key)
        if image is None or self.renderer is None:
            return
        image.setDevicePixelRatio(key[1] / 1000.0 / max(self.scale, 1e-6))
        self._cache[key] = image
        self._cache_bytes += image.sizeInBytes()
        self._evict()
        self.viewport().update()

    def _evict(self) -> None:
        keep = {self._render_key(p) for p in self.visible_pages()}
        while self._cache_bytes > CACHE_BYTES and len(self._cache) > len(keep):
            for key in self._cache:
                if key not in keep:
                    self._cache_bytes -= self._cache.pop(key).sizeInBytes()
                    break
            else:
                break

    def cached_pages(self) -> int:
        return len(self._cache)

    def cache_bytes(self) -> int:
        return self._cache_bytes

    def _best_image(self, page: int) -> QImage | None:
        key = self._render_key(page)
        image = self._cache.get(key)
        if image is not None:
            return image
        for (p, _milli, dark), candidate in reversed(self._cache.items()):
            if p == page and dark == self.dark:
                return candidate  # a stale zoom level, scaled until the right one arrives
        return None

    # -- painting -------------------------------------------------------------------------------

    def paintEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        painter = QPainter(self.viewport())
        background = QColor("#0f1012") if self.dark else QColor("#5a5d63")
        painter.fillRect(self.viewport().rect(), background)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, True)
        painted_first = False
        for page in self.visible_pages():
            rect = self.page_rect(page)
            image = self._best_image(page)
            if image is not None:
                painter.drawImage(rect, image, QRectF(image.rect()))
                painted_first = painted_first or self._render_key(page) in self._cache
            else:
                painter.fillRect(rect, QColor("#1e1f22") if self.dark else QColor("white"))
                painter.setPen(QColor("#888"))
                painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, f"Page {page + 1}")
            self._paint_overlays(painter, page)
        painter.end()
        self._request_visible()
        if painted_first and not self._first_painted:
            self._first_painted = True
            self.firstPagePainted.emit()

    def _quad_path(self, page: int, quad: Sequence[float]) -> QPainterPath:
        x0, y0, x1, y1 = pdftext.quad_rect(quad)
        a, b = self.to_view(page, x0, y0), self.to_view(page, x1, y1)
        path = QPainterPath()
        path.addRect(QRectF(a, b).normalized())  # a rotated page turns the corners
        return path

    def _fill_quads(self, painter: QPainter, page: int, quads: Sequence[Sequence[float]],
                    color: str, alpha: int) -> None:
        fill = QColor(color)
        fill.setAlpha(alpha)
        for quad in quads:
            painter.fillPath(self._quad_path(page, quad), fill)

    def _paint_overlays(self, painter: QPainter, page: int) -> None:
        multiply = QPainter.CompositionMode.CompositionMode_Multiply
        normal = QPainter.CompositionMode.CompositionMode_SourceOver
        for ann in self.annotations:
            if ann.page != page:
                continue
            if ann.kind == "highlight":
                painter.setCompositionMode(normal if self.dark else multiply)
                self._fill_quads(painter, page, ann.quads, ann.color, 110 if self.dark else 160)
                painter.setCompositionMode(normal)
            elif ann.kind == "underline":
                pen = QPen(QColor(ann.color), max(1.5, 1.2 * self.scale))
                painter.setPen(pen)
                for quad in ann.quads:
                    x0, _, x1, y1 = pdftext.quad_rect(quad)
                    painter.drawLine(self.to_view(page, x0, y1), self.to_view(page, x1, y1))
            else:
                self._paint_note(painter, page, ann)
            if ann.id == self.selected_annotation:
                painter.setPen(QPen(QColor(colors.SEARCH_CURRENT), 2, Qt.PenStyle.DashLine))
                for quad in ann.quads:
                    painter.drawPath(self._quad_path(page, quad))
        for index, hit in enumerate(self.search_hits):
            if hit.page == page:
                current = index == self.current_hit
                self._fill_quads(painter, page, hit.quads,
                                 colors.SEARCH_CURRENT if current else colors.SEARCH_HIT,
                                 140 if current else 90)
        if self.selection is not None and self.selection.page == page:
            self._fill_quads(painter, page, self.selection.quads, colors.SELECTION, 90)

    def _paint_note(self, painter: QPainter, page: int, ann: Annotation) -> None:
        if not ann.quads:
            return
        x0, y0, x1, y1 = pdftext.quad_rect(ann.quads[0])
        box = QRectF(self.to_view(page, x0, y0), self.to_view(page, x1, y1)).normalized()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setPen(QPen(QColor("#333333"), 1))
        painter.setBrush(QColor(ann.color))
        painter.drawRoundedRect(box, 3, 3)
        painter.setPen(QPen(QColor("#333333"), 1))
        inner = box.adjusted(box.width() * 0.22, box.height() * 0.3, -box.width() * 0.22, 0)
        for i in range(3):
            y = inner.top() + i * box.height() * 0.18
            painter.drawLine(QPointF(inner.left(), y), QPointF(inner.right(), y))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)

    # -- overlays set by the tab ----------------------------------------------------------------

    def set_annotations(self, annotations: Sequence[Annotation]) -> None:
        self.annotations = list(annotations)
        if self.selected_annotation not in {a.id for a in self.annotations}:
            self.selected_annotation = None
        self.viewport().update()

    def set_search_hits(self, hits: Sequence[pdftext.Hit], current: int = -1) -> None:
        self.search_hits = list(hits)
        self.current_hit = current
        self.viewport().update()

    def clear_selection(self) -> None:
        if self.selection is not None:
            self.selection = None
            self.selectionChanged.emit(None)
            self.viewport().update()

    def select_text(self, page: int, start: tuple[float, float], end: tuple[float, float]) -> None:
        """Select the words between two points on a page (PDF coordinates)."""
        words = self.words(page)
        chosen = pdftext.select_words(words, start, end)
        if not chosen:
            self.clear_selection()
            return
        self.selection = Selection(page, pdftext.line_quads(chosen), pdftext.words_text(chosen))
        self.selectionChanged.emit(self.selection)
        self.viewport().update()

    def words(self, page: int) -> list[pdftext.Word]:
        if page not in self._words:
            self._words[page] = pdftext.page_words(self.renderer.document, page)
        return self._words[page]

    def links(self, page: int) -> list[pdftext.Link]:
        if page not in self._links:
            self._links[page] = pdftext.page_links(self.renderer.document, page)
        return self._links[page]

    # -- hit testing ----------------------------------------------------------------------------

    def annotation_at(self, page: int, x: float, y: float) -> Annotation | None:
        for ann in reversed(self.annotations):
            if ann.page != page:
                continue
            for quad in ann.quads:
                x0, y0, x1, y1 = pdftext.quad_rect(quad)
                if x0 - 2 <= x <= x1 + 2 and y0 - 2 <= y <= y1 + 3:
                    return ann
        return None

    def link_at(self, page: int, x: float, y: float) -> pdftext.Link | None:
        x, y = self.info.to_shown(page, x, y)  # link areas are on the page as shown
        for link in self.links(page):
            x0, y0, x1, y1 = link.rect
            if x0 <= x <= x1 and y0 <= y <= y1:
                return link
        return None

    # -- events ---------------------------------------------------------------------------------

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._update_scrollbars()
        if self.fit_mode:
            self._apply_fit()
        self._request_visible()

    def _on_scrolled(self, _value: int) -> None:
        self.link_preview.hide()
        self._request_visible()
        self.viewport().update()
        page = self.current_page()
        if page != self._current_page:
            self._current_page = page
            self.pageChanged.emit(page)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            delta = event.angleDelta().y()
            if delta:
                self.fit_mode = None
                factor = ZOOM_STEP ** (delta / 120)
                self.set_scale(self.scale * factor, event.position())
            event.accept()
            return
        super().wheelEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        self.link_preview.hide()
        page, x, y = self.to_page(event.position())
        if event.button() == Qt.MouseButton.RightButton:
            ann = self.annotation_at(page, x, y)
            self.contextRequested.emit(event.globalPosition().toPoint(), page, x, y,
                                       ann.id if ann else "")
            return
        if event.button() != Qt.MouseButton.LeftButton:
            return super().mousePressEvent(event)
        if self.placing_note:
            self.placing_note = False
            self.viewport().unsetCursor()
            self.notePlaced.emit(page, x, y)
            return
        self._press = (page, x, y)
        self._dragging = False

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        page, x, y = self.to_page(event.position())
        if self._press is not None and event.buttons() & Qt.MouseButton.LeftButton:
            start_page, sx, sy = self._press
            if not self._dragging and abs(sx - x) + abs(sy - y) < 3 / self.scale:
                return
            self._dragging = True
            if page != start_page:  # selections stay on one page: to its last or first word
                words = self.words(start_page)
                if words:
                    end = words[-1] if page > start_page else words[0]
                    x, y = (end.x0 + end.x1) / 2, (end.y0 + end.y1) / 2
            self.select_text(start_page, (sx, sy), (x, y))
            return
        link = self.link_at(page, x, y)
        self.link_preview.hover(link, event.globalPosition().toPoint())
        pointing = link is not None or self.annotation_at(page, x, y)
        cursor = (Qt.CursorShape.CrossCursor if self.placing_note else
                  Qt.CursorShape.PointingHandCursor if pointing else Qt.CursorShape.IBeamCursor)
        self.viewport().setCursor(cursor)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        press, self._press = self._press, None
        if press is None or event.button() != Qt.MouseButton.LeftButton or self._dragging:
            self._dragging = False
            return
        page, x, y = press
        ann = self.annotation_at(page, x, y)
        link = self.link_at(page, x, y)
        self.clear_selection()
        if link is not None:
            self.linkActivated.emit(link)
        elif ann is not None:
            self.selected_annotation = ann.id
            self.annotationClicked.emit(ann.id)
            self.viewport().update()
        elif self.selected_annotation:
            self.selected_annotation = None
            self.annotationClicked.emit("")
            self.viewport().update()

    def leaveEvent(self, event: object) -> None:  # noqa: N802 - Qt API
        self.link_preview.hide()
        super().leaveEvent(event)  # type: ignore[arg-type]

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt API
        page, x, y = self.to_page(event.position())
        self.select_text(page, (x, y), (x, y))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() == Qt.Key.Key_Escape:
            self.placing_note = False
            self.viewport().unsetCursor()
            self.clear_selection()
            return
        super().keyPressEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(900, 1000)

    def shutdown(self) -> None:
        """Stop rendering and drop cached pages (the tab is closing)."""
        self.link_preview.hide()
        self.wanted.clear()
        self.pool.clear()
        self.pool.waitForDone(2000)
        self._cache.clear()
        self._cache_bytes = 0
