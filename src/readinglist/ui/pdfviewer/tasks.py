"""Running viewer work on a thread pool and receiving the result on the GUI thread."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

_alive: set["Task"] = set()
_alive_lock = threading.Lock()


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    progress = Signal(object)


class Task(QRunnable):
    """``fn(report, *args)`` off the GUI thread; ``report(x)`` emits ``progress`` on the GUI thread.

    Connect to ``signals.done`` / ``signals.failed`` / ``signals.progress`` before ``start()``.
    """

    def __init__(self, fn: Callable[..., Any], *args: Any) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.args = args
        self.signals = _Signals()
        self.cancel = threading.Event()

    def run(self) -> None:
        try:
            result = self.fn(self.signals.progress.emit, *self.args)
        except BaseException as error:  # noqa: BLE001 - handed to the GUI thread
            self._emit(self.signals.failed, error)
        else:
            self._emit(self.signals.done, result)
        finally:
            with _alive_lock:
                _alive.discard(self)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        try:
            signal.emit(value)
        except RuntimeError:  # the receiver went away
            pass

    def start(self, pool: QThreadPool | None = None) -> "Task":
        with _alive_lock:
            _alive.add(self)
        (pool or QThreadPool.globalInstance()).start(self)
        return self


def run_task(fn: Callable[..., Any], *args: Any, on_done: Callable[[Any], None] | None = None,
             on_error: Callable[[BaseException], None] | None = None,
             on_progress: Callable[[Any], None] | None = None,
             pool: QThreadPool | None = None) -> Task:
    """Start ``fn(report, *args)`` on a pool; callbacks run on the GUI thread."""
    task = Task(fn, *args)
    if on_done is not None:
        task.signals.done.connect(on_done)
    if on_error is not None:
        task.signals.failed.connect(on_error)
    if on_progress is not None:
        task.signals.progress.connect(on_progress)
    return task.start(pool)


def wait_for_tasks(timeout_ms: int = 5000) -> bool:
    """Wait (at most ``timeout_ms``) for viewer work still running — a download being
    cancelled, a PDF being indexed — so that the library is not closed under it. True when
    everything finished."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)
