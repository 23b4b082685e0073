"""The single Qt import point: every ui module takes Qt names from here."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractTableModel, QByteArray, QDate, QEvent, QItemSelection, QItemSelectionModel,
    QModelIndex, QObject, QPersistentModelIndex, QPoint, QSettings, QSize, QSortFilterProxyModel,
    QStringListModel, Qt, QTimer, QUrl, Signal, Slot)
from PySide6.QtGui import (
    QAction, QActionGroup, QCloseEvent, QColor, QDesktopServices, QFont, QFontMetrics,
    QGuiApplication, QIcon,
    QKeySequence, QPainter, QPalette, QPixmap, QShortcut, QStandardItem, QStandardItemModel,
    QTextDocument)
from PySide6.QtWidgets import (
    QAbstractItemView, QApplication, QButtonGroup, QCheckBox, QComboBox, QCompleter, QDateEdit,
    QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QFrame, QGridLayout, QHBoxLayout,
    QHeaderView, QInputDialog, QLabel, QLineEdit, QListWidget, QListWidgetItem, QMainWindow,
    QMenu, QMessageBox, QPlainTextEdit, QProgressBar, QPushButton, QRadioButton, QScrollArea,
    QSizePolicy, QSpinBox, QSplitter, QStackedWidget, QStatusBar, QStyle, QStyleFactory,
    QSystemTrayIcon, QTabWidget, QTableView, QTextBrowser, QToolButton, QTreeView, QVBoxLayout,
    QWidget)

__all__ = [name for name in dir() if name.startswith("Q") or name in {"Signal", "Slot"}]
