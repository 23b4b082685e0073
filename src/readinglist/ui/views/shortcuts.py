"""A non-modal list of keyboard shortcuts (the main window's and the viewer's F1)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from readinglist.ui.qt import QDialog, QLabel, Qt, QVBoxLayout, QWidget


def shortcuts_dialog(parent: QWidget, title: str, rows: Iterable[tuple[str, str]]) -> QDialog:
    """Show ``(keys, what they do)`` rows in a small window; returns it (already shown)."""
    table = "".join(f"<tr><td style='padding:2px 16px 2px 0'><b>{escape(keys)}</b></td>"
                    f"<td>{escape(text)}</td></tr>" for keys, text in rows)
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    label = QLabel(f"<table>{table}</table>", dialog)
    label.setTextFormat(Qt.TextFormat.RichText)
    QVBoxLayout(dialog).addWidget(label)
    dialog.setModal(False)
    dialog.show()
    return dialog
