"""Run work off the GUI thread and bring results back to it (one writer, a reader pool)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from readinglist.core.errors import ReadinglistError, TrashedPaperError
from readinglist.ui.qt import QObject, Qt, Signal

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

log = logging.getLogger(__name__)
T = TypeVar("T")
Done = Callable[[Any], None]
Failed = Callable[[BaseException], None]


def describe_error(error: BaseException) -> str:
    """One line for the user: our own errors verbatim (a paper in the Trash in the app's own
    words, not the command line's), anything else named but without a trace."""
    if isinstance(error, TrashedPaperError):
        return f"“{error.name}” is in the Trash (select it there and press Del to restore it)"
    if isinstance(error, ReadinglistError):
        return str(error)
    if isinstance(error, OSError) and error.strerror:
        return f"{error.strerror}: {error.filename}" if error.filename else error.strerror
    return f"unexpected error: {type(error).__name__}: {error}"


class Tasks(QObject):
    """A single-worker executor for database writes, pools for reads and slow network work.

    Callbacks run on the GUI thread. ``pending`` counts submitted jobs whose callbacks have not
    run yet, so shutdown and tests can wait for quiet.
    """

    failed = Signal(str)
    _deliver = Signal(object)
    _call = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pools: dict[str, ThreadPoolExecutor] = {}  # made on first use (after start-up)
        self._pools_lock = threading.Lock()
        self.pending = 0
        self.closed = False
        self._running: set[Future[Any]] = set()  # submitted, not finished (for shutdown)
        self._deliver.connect(self._on_deliver, Qt.ConnectionType.QueuedConnection)
        self._call.connect(self._on_call, Qt.ConnectionType.QueuedConnection)

    def write(self, fn: Callable[[], T], on_done: Done | None = None,
              on_error: Failed | None = None) -> Future[Any]:
        """Run a database write on the single writer thread."""
        return self._submit("write", fn, on_done, on_error)

    def read(self, fn: Callable[[], T], on_done: Done | None = None,
             on_error: Failed | None = None) -> Future[Any]:
        """Run a read query on the reader pool."""
        return self._submit("read", fn, on_done, on_error)

    def network(self, fn: Callable[[], T], on_done: Done | None = None,
                on_error: Failed | None = None) -> Future[Any]:
        """Run a fetch (network, then writes through the service layer) in the background."""
        return self._submit("net", fn, on_done, on_error)

    def call_soon(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` on the GUI thread (safe to call from any thread)."""
        self._call.emit(fn)

    _WORKERS = {"write": 1, "read": 3, "net": 2}  # one writer: writes are serialised

    def _pool(self, kind: str) -> ThreadPoolExecutor:
        with self._pools_lock:
            pool = self._pools.get(kind)
            if pool is None:
                from concurrent.futures import ThreadPoolExecutor

                pool = ThreadPoolExecutor(self._WORKERS[kind], thread_name_prefix=f"rl-{kind}")
                if self.closed:
                    pool.shutdown()
                self._pools[kind] = pool
            return pool

    def _submit(self, kind: str, fn: Callable[[], Any], on_done: Done | None,
                on_error: Failed | None) -> Future[Any]:
        executor = self._pool(kind)
        self.pending += 1

        def job() -> None:
            try:
                result = fn()
            except BaseException as error:  # noqa: BLE001 - reported on the GUI thread
                if not isinstance(error, ReadinglistError):
                    log.exception("background task failed")
                self._deliver.emit((False, error, on_error))
                return
            self._deliver.emit((True, result, on_done))

        try:
            future = executor.submit(job)
        except RuntimeError:  # executor shut down
            from concurrent.futures import Future

            self.pending -= 1
            cancelled: Future[Any] = Future()
            cancelled.cancel()
            return cancelled
        with self._pools_lock:
            self._running.add(future)
        future.add_done_callback(self._finished)
        return future

    def _finished(self, future: Future[Any]) -> None:
        with self._pools_lock:
            self._running.discard(future)

    def _on_deliver(self, payload: tuple[bool, Any, Any]) -> None:
        self.pending -= 1
        ok, value, callback = payload
        if self.closed:
            return
        try:
            if callback is not None:
                callback(value)
            elif not ok:
                self.failed.emit(describe_error(value))
        except Exception as error:  # noqa: BLE001 - a callback must not take the app down
            log.exception("task callback failed")
            self.failed.emit(describe_error(error))

    def _on_call(self, fn: Callable[[], None]) -> None:
        if not self.closed:
            fn()

    SHUTDOWN_WAIT_S = 5.0

    def shutdown(self) -> None:
        """Finish queued writes, drop queued reads and fetches, stop delivering callbacks, and
        wait (up to ``SHUTDOWN_WAIT_S``) for the reads and fetches already running, so that
        the library is not closed under them."""
        with self._pools_lock:
            self.closed = True
            pools = dict(self._pools)
        for kind in ("read", "net"):
            if kind in pools:
                pools[kind].shutdown(wait=False, cancel_futures=True)
        if "write" in pools:
            pools["write"].shutdown(wait=True)
        with self._pools_lock:
            running = [f for f in self._running if not f.done()]
        if running:
            from concurrent.futures import wait

            wait(running, timeout=self.SHUTDOWN_WAIT_S)
