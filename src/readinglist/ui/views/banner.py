"""A non-modal message strip above the paper list (per-source errors, offline notice)."""

from __future__ import annotations

from readinglist.ui.qt import QFrame, QHBoxLayout, QLabel, QToolButton, Qt, Signal


class Banner(QFrame):
    """Shows one message (plain text) with an optional action button and a close button."""

    action_clicked = Signal()

    def __init__(self, parent: object = None) -> None:
        super().__init__(parent)  # type: ignore[arg-type]
        self.setObjectName("banner")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 6, 6, 6)
        self.label = QLabel()
        self.label.setObjectName("bannerText")
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QToolButton()
        self.action.setAutoRaise(True)
        self.action.hide()
        self.action.clicked.connect(self.action_clicked)
        self.close_button = QToolButton()
        self.close_button.setText("✕")
        self.close_button.setAutoRaise(True)
        self.close_button.setToolTip("Dismiss")
        self.close_button.setAccessibleName("Dismiss")
        self.close_button.clicked.connect(self.dismiss)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.action)
        layout.addWidget(self.close_button)
        self.kind = ""
        self.hide()

    def show_message(self, text: str, kind: str = "error", action: str = "") -> None:
        """Show ``text``; ``kind`` is "error" or "offline"; ``action`` labels the button."""
        self.kind = kind
        self.label.setText(text)
        self.label.setToolTip("")
        self.action.setText(action)
        self.action.setVisible(bool(action))
        self.show()

    def dismiss(self) -> None:
        self.kind = ""
        self.label.clear()
        self.hide()
