"""Enter in a dialog's line edit that runs the field's own button instead of closing the dialog."""

from __future__ import annotations

from collections.abc import Callable

from readinglist.ui.qt import QEvent, QLineEdit, QObject, Qt

_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class _EnterRuns(QObject):
    """Runs ``action`` on Enter in the watched field and keeps the key from the dialog."""

    def __init__(self, edit: QLineEdit, action: Callable[[], object]) -> None:
        super().__init__(edit)
        self.action = action

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() != QEvent.Type.KeyPress or event.key() not in _ENTER:  # type: ignore
            return False
        completer = watched.completer() if isinstance(watched, QLineEdit) else None
        popup = completer.popup() if completer is not None else None
        if popup is not None and popup.isVisible():
            return False  # Enter picks the completion
        self.action()
        return True


def enter_runs(action: Callable[[], object], *edits: QLineEdit) -> None:
    """Enter in any of ``edits`` runs ``action`` (say, "Add feed") and does not reach the
    dialog's default button, which would close the dialog and drop what was typed."""
    for edit in edits:
        edit.installEventFilter(_EnterRuns(edit, action))
