"""Placeholder window until the desktop-app issue lands."""

from __future__ import annotations


def run_app(debug: bool = False) -> int:
    from PySide6.QtWidgets import QApplication, QLabel

    app = QApplication([])
    label = QLabel("readinglist")
    label.resize(600, 400)
    label.show()
    return app.exec()
