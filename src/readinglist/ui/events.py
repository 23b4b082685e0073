"""Library change notifications on the GUI thread, and noticing other processes' writes."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from readinglist.core.changes import Changes
from readinglist.ui.qt import QObject, QTimer, Signal

ALL = Changes(papers=True, tags=True, notes=True, annotations=True, positions=True,
              subscriptions=True, saved_searches=True)


class LibraryEvents(QObject):
    """Re-emits ``Library`` listener calls (made on writer threads) as a GUI-thread signal.

    ``changed(changes, local)``: ``local`` is true for writes the GUI made inside ``local()``
    (triage it already shows optimistically), false for fetches, sync and other processes.
    """

    changed = Signal(object, bool)

    def __init__(self, library: Any, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._local = threading.local()
        self.in_process_writes = 0
        library.subscribe(self._on_library_change)

    @contextmanager
    def local(self) -> Iterator[None]:
        """Mark writes made in this block (on this thread) as the GUI's own."""
        self._local.active = True
        try:
            yield
        finally:
            self._local.active = False

    def _on_library_change(self, changes: Changes) -> None:
        self.in_process_writes += 1
        self.changed.emit(changes, bool(getattr(self._local, "active", False)))


class ExternalWatcher(QObject):
    """Polls SQLite's ``data_version`` (microseconds) to notice commits by other processes.

    A commit with no in-process write since the last poll came from elsewhere (the CLI):
    everything is refreshed. If both happened, only the shown rows and counts are re-read.
    """

    def __init__(self, connect: Callable[[], Any], events: LibraryEvents,
                 interval_ms: int = 2000, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._connection = connect()
        self._events = events
        self._version = self._read_version()
        self._seen_writes = events.in_process_writes
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        self.timer.start()

    def _read_version(self) -> int:
        try:
            return int(self._connection.execute("PRAGMA data_version").fetchone()[0])
        except Exception:  # noqa: BLE001 - a failed poll is retried on the next tick
            return -1

    def poll(self) -> None:
        version = self._read_version()
        writes = self._events.in_process_writes
        if version == self._version or version < 0:
            self._seen_writes = writes
            return
        self._version = version
        if writes == self._seen_writes:
            self._events.changed.emit(ALL, False)
        else:
            self._events.changed.emit(Changes(papers=True), True)
        self._seen_writes = writes

    def stop(self) -> None:
        self.timer.stop()
        try:
            self._connection.close()
        except Exception:  # noqa: BLE001
            pass
