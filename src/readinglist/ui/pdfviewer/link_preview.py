"""Where an internal link leads (a citation, a figure, a section), shown in a small popup when
the pointer rests on the link — the reference can be read without leaving the page."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QPoint, QRunnable, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QImage, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from readinglist.pdf import text as pdftext
from readinglist.pdf.errors import PdfError

if TYPE_CHECKING:
    from readinglist.ui.pdfviewer.page_view import PageView

DELAY_MS = 350  # resting time before the popup shows (a pointer passing by shows nothing)
BAND_PT = 180.0  # height of the target page shown, in points
ABOVE_PT = 14.0  # context above the link's target point
MAX_WIDTH_PX = 640
PAD_PT = 6.0  # white space kept around the text shown
ZOOM = 1.25  # the popup's text a little larger than the page at 100 %


class _Signals(QObject):
    rendered = Signal(object, object)  # the link shown, QImage (None if it failed)


class _PreviewJob(QRunnable):
    def __init__(self, view: PageView, link: pdftext.Link, band: tuple[float, float, float, float],
                 zoom: float, ratio: float, signals: _Signals) -> None:
        super().__init__()
        self.renderer, self.dark = view.renderer, view.dark
        self.turned = link.page is not None and view.info.rotation(link.page) != 0
        self.link, self.band, self.zoom, self.ratio = link, band, zoom, ratio
        self.signals = signals

    def run(self) -> None:
        from readinglist.ui.pdfviewer.page_view import pixmap_to_image

        image = None
        try:
            if self.renderer is not None and self.link.page is not None:
                clip = self._text_clip()
                scale = min(self.zoom, MAX_WIDTH_PX / max(1.0, clip[2] - clip[0])) * self.ratio
                image = pixmap_to_image(self.renderer.render_pixmap(
                    self.link.page, scale, self.dark, clip)).copy()
        except (PdfError, RuntimeError, ValueError):
            image = None
        try:
            self.signals.rendered.emit(self.link, image)
        except RuntimeError:  # the viewer closed meanwhile
            pass

    def _text_clip(self) -> tuple[float, float, float, float]:
        """The band narrowed to the text in it (a reference list's column, not the margins)."""
        x0, top, x1, bottom = self.band
        if self.turned:  # words are placed on the unrotated page, the band on the shown one
            return self.band
        words = [w for w in pdftext.page_words(self.renderer.document, self.link.page or 0)
                 if w.y1 > top and w.y0 < bottom]
        if not words:
            return self.band
        return (max(x0, min(w.x0 for w in words) - PAD_PT), top,
                min(x1, max(w.x1 for w in words) + PAD_PT),
                min(bottom, max(w.y1 for w in words) + PAD_PT))


class _Popup(QFrame):
    """A frameless tooltip-like window holding the rendered band."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent, Qt.WindowType.ToolTip)
        self.setObjectName("linkPreview")
        self.setFrameShape(QFrame.Shape.Box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        self.image = QLabel(self)
        self.caption = QLabel(self)
        self.caption.setObjectName("dim")
        layout.addWidget(self.image)
        layout.addWidget(self.caption)


class LinkPreview(QObject):
    """Follows the pointer over a ``PageView``: ``hover`` with the internal link under it (or
    None); after ``DELAY_MS`` at rest the link's target band is rendered off the GUI thread
    and shown beside the pointer until the pointer leaves the link."""

    def __init__(self, view: PageView) -> None:
        super().__init__(view)
        self.view = view
        self.link: pdftext.Link | None = None
        self._at = QPoint()
        self._signals = _Signals()
        self._signals.rendered.connect(self._show)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DELAY_MS)
        self._timer.timeout.connect(self._render)
        self.popup = _Popup(view)
        self.popup.hide()

    def hover(self, link: pdftext.Link | None, global_pos: QPoint) -> None:
        """The pointer moved; ``link`` is the internal link under it, if any."""
        if link is None or link.page is None:
            self.hide()
            return
        self._at = global_pos
        if link != self.link:
            self.popup.hide()
            self.link = link
            self._timer.start()

    def hide(self) -> None:
        self.link = None
        self._timer.stop()
        self.popup.hide()

    def _render(self) -> None:
        link = self.link
        view = self.view
        if link is None or link.page is None or view.renderer is None:
            return
        if not 0 <= link.page < view.page_count:
            return
        width, height = view.info.page_sizes[link.page]
        top = max(0.0, min(link.y - ABOVE_PT, height - BAND_PT)) if link.y else 0.0
        band = (0.0, top, width, min(height, top + BAND_PT))
        zoom = max(view.scale, ZOOM)
        view.pool.start(_PreviewJob(view, link, band, zoom, view.devicePixelRatioF(),
                                    self._signals))

    def _show(self, link: pdftext.Link, image: QImage | None) -> None:
        if link != self.link or image is None:
            return
        image.setDevicePixelRatio(self.view.devicePixelRatioF())
        self.popup.image.setPixmap(QPixmap.fromImage(image))
        self.popup.caption.setText(f"  page {link.page + 1 if link.page is not None else ''}"
                                   "  ·  click to go there")
        self.popup.adjustSize()
        self.popup.move(self._placed(self._at))
        self.popup.show()
        self.popup.raise_()

    def _placed(self, at: QPoint) -> QPoint:
        """Below and right of the pointer, kept on the screen."""
        size = self.popup.size()
        screen = QGuiApplication.screenAt(at) or QGuiApplication.primaryScreen()
        area = screen.availableGeometry() if screen is not None else None
        x, y = at.x() + 12, at.y() + 18
        if area is not None:
            if x + size.width() > area.right():
                x = max(area.left(), area.right() - size.width())
            if y + size.height() > area.bottom():
                y = max(area.top(), at.y() - size.height() - 12)
        return QPoint(x, y)
