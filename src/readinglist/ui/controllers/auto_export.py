"""Keeps export files up to date while the app runs (``services.auto_export``): a short pause
after papers, tags or notes change, the files whose papers changed are rewritten off the GUI
thread."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from readinglist.core.changes import Changes
from readinglist.ui.events import LibraryEvents
from readinglist.ui.qt import QObject, QTimer
from readinglist.ui.tasks import Tasks


class AutoExportController(QObject):
    """Rewrites kept-up-to-date files ``SETTLE_MS`` after the last change to papers."""

    SETTLE_MS = 2000

    def __init__(self, library: Any, paths: Any, tasks: Tasks, events: LibraryEvents,
                 report: Callable[[str], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library, self.paths = library, paths
        self.tasks = tasks
        self.report = report  # shows a failure to the user (the window's status bar)
        self.runs = 0  # refreshes finished (tests wait on it)
        self._failed: set[str] = set()  # reported once until the file can be written again
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.SETTLE_MS)
        self._timer.timeout.connect(self.refresh)
        events.changed.connect(self.on_changes)

    def on_changes(self, changes: Changes, _local: bool) -> None:
        if changes.papers or changes.tags or changes.notes:
            self._timer.start()

    def refresh(self) -> None:
        """Rewrite the files now (in the background)."""
        from readinglist.services import auto_export
        from readinglist.services.config import Settings

        library, path = self.library, self.paths.config

        def work() -> list[Any]:
            # read the file each time: `cite --keep-updated` may have added one meanwhile
            exports = auto_export.configured(Settings.load(path))
            return auto_export.refresh(library, exports) if exports else []

        self.tasks.read(work, self._done)

    def _done(self, outcomes: list[Any]) -> None:
        self.runs += 1
        for outcome in outcomes:
            name = str(outcome.export.path)
            if outcome.error and name not in self._failed:
                self._failed.add(name)
                self.report(f"Could not update {outcome.export.path.name}: {outcome.error}")
            elif not outcome.error:
                self._failed.discard(name)
