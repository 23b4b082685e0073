"""What an empty list shows instead of a blank table."""

from __future__ import annotations

from readinglist.ui.qt import QHBoxLayout, QLabel, QPushButton, Qt, QVBoxLayout, QWidget


class Welcome(QWidget):
    """A short title, a sentence saying what is happening, and up to three buttons."""

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
        self.tertiary = QPushButton()
        self.buttons = (self.primary, self.secondary, self.tertiary)
        for button in self.buttons:
            buttons.addWidget(button)
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

    def show_state(self, title: str, text: str, *labels: str) -> None:
        """Title, sentence and the buttons' labels (the first is the primary action)."""
        self.title.setText(title)
        self.text.setText(text)
        for index, button in enumerate(self.buttons):
            label = labels[index] if index < len(labels) else ""
            button.setText(label)
            button.setVisible(bool(label))
