"""The single Qt import point: every ui module takes Qt names from here.

Names are resolved on first use (PEP 562), so a class no loaded module needs is never
initialised — PySide6 builds each wrapper type lazily and start-up pays only for what it uses.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

_MODULES = {
    "PySide6.QtCore": (
        "QAbstractTableModel", "QByteArray", "QDate", "QEvent", "QItemSelection",
        "QItemSelectionModel", "QModelIndex", "QObject", "QPersistentModelIndex", "QPoint",
        "QSettings", "QSize", "QSortFilterProxyModel", "QStringListModel", "Qt", "QTimer", "QUrl",
        "Signal", "Slot"),
    "PySide6.QtGui": (
        "QAction", "QActionGroup", "QCloseEvent", "QColor", "QDesktopServices", "QDragEnterEvent",
        "QDropEvent", "QFont",
        "QFontMetrics", "QGuiApplication", "QIcon", "QKeySequence", "QPainter", "QPalette",
        "QPixmap", "QShortcut", "QStandardItem", "QStandardItemModel", "QTextDocument"),
    "PySide6.QtWidgets": (
        "QAbstractButton", "QAbstractItemView", "QApplication", "QButtonGroup", "QCheckBox", "QComboBox",
        "QCompleter", "QDateEdit", "QDialog", "QDialogButtonBox", "QFileDialog", "QFormLayout",
        "QFrame", "QGridLayout", "QGroupBox", "QHBoxLayout", "QHeaderView", "QInputDialog",
        "QLabel",
        "QLineEdit", "QListWidget", "QListWidgetItem", "QMainWindow", "QMenu", "QMessageBox",
        "QPlainTextEdit", "QProgressBar", "QPushButton", "QRadioButton", "QScrollArea",
        "QSizePolicy", "QSpinBox", "QSplitter", "QStackedWidget", "QStatusBar", "QStyle",
        "QStyleFactory", "QSystemTrayIcon", "QTabWidget", "QTableView", "QTextBrowser",
        "QToolButton", "QTreeView", "QVBoxLayout", "QWidget"),
}
_WHERE = {name: module for module, names in _MODULES.items() for name in names}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


if TYPE_CHECKING:  # static analysers see ordinary imports
    from PySide6.QtCore import *  # noqa: F403
    from PySide6.QtGui import *  # noqa: F403
    from PySide6.QtWidgets import *  # noqa: F403
