"""What an empty list shows instead of a blank table."""

from __future__ import annotations

from readinglist.ui.qt import QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget


class Welcome(QWidget):
    """A short title, a sentence saying what is happening, and up to two buttons."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcome")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(48, 48, 48, 48)
        layout.addStretch(2)
        self.title = QLabel()
        self.title.setObjectName("welcomeTitle")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QLabel()
        self.text.setObjectName("welcomeText")
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        self.text.setWordWrap(True)
        self.text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text.setMaximumWidth(520)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.primary = QPushButton()
        self.secondary = QPushButton()
        buttons.addWidget(self.primary)
        buttons.addWidget(self.secondary)
        buttons.addStretch(1)
        layout.addWidget(self.title)
        layout.addSpacing(8)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.text, 4)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addSpacing(16)
        layout.addLayout(buttons)
        layout.addStretch(3)

    def show_state(self, title: str, text: str, primary: str = "", secondary: str = "") -> None:
        self.title.setText(title)
        self.text.setText(text)
        self.primary.setText(primary)
        self.primary.setVisible(bool(primary))
        self.secondary.setText(secondary)
        self.secondary.setVisible(bool(secondary))
