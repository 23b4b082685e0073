"""Running optional work once the user pauses, so that it never lands on a keystroke."""

from __future__ import annotations

from collections.abc import Callable

from readinglist.ui.qt import QApplication, QEvent, QObject, QTimer

# keys bound to actions (j, m, …) arrive as ShortcutOverride/Shortcut, never as KeyPress
_INPUT = frozenset({QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
                    QEvent.Type.MouseButtonPress, QEvent.Type.Wheel})


class WhenIdle(QObject):
    """Calls ``callback`` once, after ``quiet_ms`` without key presses, clicks or scrolling.

    Warming caches (importing the PDF viewer costs ~0.2 s on the GUI thread) this way keeps
    a burst of ``j``/``m`` from stalling on it; the work waits for the next pause instead.
    """

    def __init__(self, quiet_ms: int, callback: Callable[[], None],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._callback: Callable[[], None] | None = callback
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(quiet_ms)
        self._timer.timeout.connect(self._run)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)
        self._timer.start()

    @property
    def pending(self) -> bool:
        return self._callback is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if self._callback is not None and event.type() in _INPUT:
            self._timer.start()  # restart: wait for a pause again
        return False

    def _run(self) -> None:
        callback, self._callback = self._callback, None
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        if callback is not None:
            callback()
