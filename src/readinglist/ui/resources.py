"""Icons shipped in ``readinglist/data/icons``, loaded with importlib.resources."""

from __future__ import annotations

from importlib import resources

from readinglist.ui.qt import QByteArray, QIcon, QPixmap


def icon(name: str) -> QIcon:
    """The icon ``data/icons/<name>.svg`` (an empty icon if it is missing)."""
    try:
        data = resources.files("readinglist.data").joinpath(f"icons/{name}.svg").read_bytes()
    except (FileNotFoundError, ModuleNotFoundError, OSError):
        return QIcon()
    pixmap = QPixmap()
    pixmap.loadFromData(QByteArray(data), "SVG")
    return QIcon(pixmap)
