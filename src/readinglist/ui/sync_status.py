"""Sync indicator for the status bar (idle / syncing / offline / error) and the note-conflicts view.

Rounds run on a private worker thread, never on the GUI thread: shortly after local changes
(debounced) and periodically. Results come back through queued signals.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from collections.abc import Callable
from typing import Any

from readinglist.core.changes import Changes
from readinglist.core.notemerge import join_versions
from readinglist.services.library import Library
from readinglist.services.paths import LibraryPaths
from readinglist.services.sync import SyncService
from readinglist.sync.storage_api import OfflineError
from readinglist.ui.qt import (
    QDialog, QDialogButtonBox, QHBoxLayout, QLabel, QListWidget, QListWidgetItem, QMenu,
    QPlainTextEdit, QPushButton, QSplitter, Qt, QTabWidget, QTimer, QToolButton, QVBoxLayout,
    QWidget, Signal)

log = logging.getLogger(__name__)

DEBOUNCE_MS = 5_000
PERIOD_MS = 5 * 60_000
NOT_SET_UP = ("sync is not set up: Preferences → Sync (or the menu here), or `readinglist sync "
              "setup folder PATH | webdav URL`")
STATES = {"off": "Sync: off", "idle": "Synced", "syncing": "Syncing…", "offline": "Offline",
          "error": "Sync error"}


class SyncIndicator(QWidget):
    """A status-bar button: shows the sync state, syncs on demand, opens the conflicts view."""

    state_changed = Signal(str)
    round_finished = Signal(object)  # a SyncReport or an exception
    _finished = Signal(bool, object)
    _local_change = Signal()

    SHUTDOWN_WAIT_S = 5.0

    def __init__(self, service: SyncService, parent: QWidget | None = None,
                 debounce_ms: int = DEBOUNCE_MS, period_ms: int = PERIOD_MS) -> None:
        super().__init__(parent)
        self.service = service
        self.library = service.library
        self.state = "off"
        self.reason = ""
        self._running = False
        self._again = False
        self._closed = False
        self._worker_thread: threading.Thread | None = None
        self._conflicts_dialog: NoteConflictsDialog | None = None
        self.button = QToolButton(self)
        self.button.setAutoRaise(True)
        self.button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.button.setPopupMode(QToolButton.ToolButtonPopupMode.MenuButtonPopup)
        self.button.clicked.connect(self._clicked)
        menu = QMenu("S&ync", self)  # also in File (the button is in the status bar)
        menu.addAction("Sync &now", self.sync_now)
        menu.addAction("Note &conflicts…", self.show_conflicts)
        menu.addAction("&Set up sync…", lambda: self.on_setup() if self.on_setup else None)
        self.on_setup: Callable[[], object] | None = None  # Preferences → Sync
        self.button.setMenu(menu)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.button)
        self.debounce = QTimer(self)
        self.debounce.setSingleShot(True)
        self.debounce.setInterval(debounce_ms)
        self.debounce.timeout.connect(self.sync_now)
        self.periodic = QTimer(self)
        self.periodic.setInterval(period_ms)
        self.periodic.timeout.connect(self.sync_now)
        self._finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._local_change.connect(self.debounce.start, Qt.ConnectionType.QueuedConnection)
        self.library.subscribe(self._on_library_change)
        self._show_last_round()
        self.periodic.start()  # also notices a setup made meanwhile in the CLI
        if self.configured:
            self.debounce.start()

    def _show_last_round(self) -> None:
        """Before the first round here: off, or how the last round went (its error, if any)."""
        status = self.service.status()
        if not status.configured:
            self._set_state("off", NOT_SET_UP)
        elif status.last_error:
            self._set_state("error", status.last_error)
        else:
            last = status.last_sync_shown
            self._set_state("idle", f"last synced {last}" if last else "not synced yet")

    @property
    def configured(self) -> bool:
        return bool(self.service.config.get("transport"))

    def _set_state(self, state: str, reason: str = "") -> None:
        self.state, self.reason = state, reason
        self.button.setText(STATES[state])
        self.button.setToolTip(reason or STATES[state])
        self.button.setAccessibleName("Sync status: " + STATES[state].removeprefix("Sync: "))
        self.button.setAccessibleDescription(reason or STATES[state])
        self.state_changed.emit(state)

    def _on_library_change(self, changes: Changes) -> None:
        """Called on whichever thread wrote; changes applied by sync itself are ignored."""
        if self._closed or threading.current_thread() is self._worker_thread:
            return
        try:
            self._local_change.emit()
        except RuntimeError:  # the widget is gone (the library has no unsubscribe)
            self._closed = True

    def _clicked(self) -> None:
        """A click syncs now, or, with sync off, opens its setup."""
        if not self.configured and self.on_setup is not None:
            self.on_setup()
        else:
            self.sync_now()

    def sync_now(self) -> None:
        """Start a round in the background (or queue one after the running round)."""
        if self._closed:
            return
        if not self.configured:
            self._set_state("off", NOT_SET_UP)
            return
        if self._running:
            self._again = True
            return
        self._running = True
        self.debounce.stop()
        self._set_state("syncing", "syncing…")
        # a daemon thread: a round stuck on an unresponsive server (minutes of timeouts and
        # retries) must not hold up closing the window or keep the process alive
        self._worker_thread = threading.Thread(target=self._round, name="rl-sync", daemon=True)
        self._worker_thread.start()

    def _round(self) -> None:
        try:
            report = self.service.sync_once()
        except BaseException as error:  # noqa: BLE001 - shown in the indicator
            if not isinstance(error, (OfflineError,)) and not hasattr(error, "exit_code"):
                log.exception("sync round failed")
            self._deliver(False, error)
            return
        self._deliver(True, report)

    def _deliver(self, ok: bool, result: Any) -> None:
        try:
            self._finished.emit(ok, result)
        except RuntimeError:  # the widget is gone: the window closed during the round
            self._closed = True

    def _on_finished(self, ok: bool, result: Any) -> None:
        self._running = False
        if self._closed:
            return
        if ok:
            moved = f"sent {result.pushed}, received {result.pulled_total}"
            warnings = "; ".join(result.warnings)
            self._set_state("idle", f"synced: {moved}" + (f" — {warnings}" if warnings else ""))
        elif isinstance(result, OfflineError):
            self._set_state("offline", str(result))
        else:
            message = str(result) if hasattr(result, "exit_code") else (
                f"unexpected error: {type(result).__name__}: {result}")
            self._set_state("error", message)
        self.round_finished.emit(result)
        if self._again:
            self._again = False
            self.debounce.start()

    def show_conflicts(self) -> "NoteConflictsDialog":
        """The note-conflicts window (one at a time); it refreshes after every sync round."""
        dialog = self._conflicts_dialog
        if dialog is not None and not dialog.closed:
            dialog.raise_()
            dialog.activateWindow()
            return dialog
        dialog = NoteConflictsDialog(self.library, self)
        self.round_finished.connect(dialog.refresh)
        self._conflicts_dialog = dialog
        dialog.show()
        return dialog

    def shutdown(self) -> None:
        """Stop timers and wait a little for a running round (call when the window closes);
        one cut short is harmless: it is pushed or pulled again next time."""
        self._closed = True
        self.debounce.stop()
        self.periodic.stop()
        if self._worker_thread is not None:
            self._worker_thread.join(self.SHUTDOWN_WAIT_S)


class NoteConflictsDialog(QDialog):
    """Papers whose note has concurrent versions; pick one, or edit a merge, to resolve."""

    loaded = Signal(object)
    resolved = Signal(str)
    _rows = Signal(object)
    _done = Signal(str)

    def __init__(self, library: Library, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.setWindowTitle("Note conflicts")
        self._executor = ThreadPoolExecutor(1, thread_name_prefix="rl-conflicts")
        self.papers = QListWidget(self)
        self.versions = QTabWidget(self)
        self.merged = QPlainTextEdit(self)
        self.merged.setPlaceholderText("The note to keep (edit freely)")
        self.empty = QLabel("No note conflicts.", self)
        right = QWidget(self)
        column = QVBoxLayout(right)
        column.addWidget(QLabel("Versions written on different machines:", right))
        column.addWidget(self.versions, 1)
        column.addWidget(QLabel("Resolved note:", right))
        column.addWidget(self.merged, 1)
        self.keep_button = QPushButton("Save this note", right)
        self.keep_button.clicked.connect(self.save_merged)
        column.addWidget(self.keep_button)
        splitter = QSplitter(self)
        splitter.addWidget(self.papers)
        splitter.addWidget(right)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.papers.currentItemChanged.connect(self._show_paper)
        self._rows.connect(self._fill, Qt.ConnectionType.QueuedConnection)
        self._done.connect(self._after_save, Qt.ConnectionType.QueuedConnection)
        self.resize(820, 520)
        self.closed = False
        self.reload()

    def reload(self) -> None:
        if not self.closed:
            self._executor.submit(lambda: self._rows.emit(self._conflicts()))

    def refresh(self, _round_result: object = None) -> None:
        """After a sync round: conflicts may have arrived or been resolved elsewhere. The
        selected paper and an edit in progress are kept while its versions are the same."""
        self.reload()

    def _conflicts(self) -> list[tuple[str, str, list[str]]]:
        with self.library.store.transaction() as conn:
            rows = conn.exec_driver_sql(
                "SELECT key, title FROM papers WHERE note_conflict AND NOT deleted "
                "ORDER BY title").all()
        return [(key, title, self.library.note_versions(key)) for key, title in rows]

    def _fill(self, rows: list[tuple[str, str, list[str]]]) -> None:
        if self.closed:
            return
        current = self.papers.currentItem()
        before = current.data(Qt.ItemDataRole.UserRole) if current is not None else None
        edited = self.merged.toPlainText() if self.merged.document().isModified() else None
        self.papers.blockSignals(True)
        self.papers.clear()
        for key, title, versions in rows:
            item = QListWidgetItem(title or key)
            item.setData(Qt.ItemDataRole.UserRole, (key, versions))
            self.papers.addItem(item)
        self.papers.blockSignals(False)
        self.empty.setVisible(not rows)
        keys = [key for key, _title, _versions in rows]
        if rows:
            row = keys.index(before[0]) if before and before[0] in keys else 0
            self.papers.setCurrentRow(row)
            self._show_paper(self.papers.item(row))
            if edited is not None and before is not None and rows[row][0] == before[0] \
                    and rows[row][2] == before[1]:
                self.merged.setPlainText(edited)  # the user's merge in progress
                self.merged.document().setModified(True)
        else:
            self.versions.clear()
            self.merged.clear()
        self.loaded.emit(rows)

    def _show_paper(self, item: QListWidgetItem | None, _previous: Any = None) -> None:
        self.versions.clear()
        if item is None:
            return
        _key, versions = item.data(Qt.ItemDataRole.UserRole)
        for number, text in enumerate(versions, start=1):
            page = QWidget()
            box = QVBoxLayout(page)
            view = QPlainTextEdit(text, page)
            view.setReadOnly(True)
            box.addWidget(view)
            use = QPushButton(f"Keep version {number}", page)
            use.clicked.connect(lambda _=False, t=text: self._use_version(t))
            box.addWidget(use)
            self.versions.addTab(page, f"Version {number}")
        self.merged.setPlainText(join_versions(versions))
        self.merged.document().setModified(False)

    def _use_version(self, text: str) -> None:
        self.merged.setPlainText(text)
        self.merged.document().setModified(True)

    def current_key(self) -> str | None:
        item = self.papers.currentItem()
        return item.data(Qt.ItemDataRole.UserRole)[0] if item is not None else None

    def save_merged(self) -> None:
        """Resolve the selected paper's conflict with the text in the editor."""
        key = self.current_key()
        if key is None:
            return
        text = self.merged.toPlainText()

        def write() -> None:
            self.library.set_note(key, text)
            self._done.emit(key)

        self._executor.submit(write)

    def _after_save(self, key: str) -> None:
        self.resolved.emit(key)
        self.reload()

    def done(self, result: int) -> None:  # noqa: D401 - Qt override
        self.closed = True
        self._executor.shutdown(wait=False)
        super().done(result)


def create_sync_widget(library: Library, paths: LibraryPaths, parent: Any = None
                       ) -> SyncIndicator:
    """The status-bar sync indicator for ``library`` (shows "Sync: off" until set up)."""
    return SyncIndicator(SyncService(library, paths), parent)
