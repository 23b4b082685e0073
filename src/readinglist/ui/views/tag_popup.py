"""The `t` pop-up: type tags with completion; Enter applies, Esc cancels."""

from __future__ import annotations

from readinglist.ui.qt import (
    QCompleter, QDialog, QLabel, QLineEdit, QStringListModel, Qt, QVBoxLayout, QWidget)


def parse_tag_input(text: str) -> tuple[list[str], list[str]]:
    """Comma-separated names to add; a leading ``-`` removes that tag."""
    add: list[str] = []
    remove: list[str] = []
    for part in text.split(","):
        name = part.strip()
        if name.startswith("-") and len(name) > 1:
            remove.append(name[1:].strip())
        elif name and name != "-":
            add.append(name)
    return add, remove


class MultiTagEdit(QLineEdit):
    """A line edit whose completer completes the tag after the last comma."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._names = QStringListModel(self)
        self.completer_ = QCompleter(self._names, self)
        self.completer_.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.completer_.setFilterMode(Qt.MatchFlag.MatchContains)
        self.completer_.setWidget(self)
        self.completer_.activated.connect(self._insert)
        self.textEdited.connect(self._update_prefix)

    def set_names(self, names: list[str]) -> None:
        self._names.setStringList(sorted(names))

    def _segment(self) -> str:
        return self.text().rsplit(",", 1)[-1].strip().lstrip("-")

    def _update_prefix(self, _text: str) -> None:
        prefix = self._segment()
        if not prefix:
            self.completer_.popup().hide()
            return
        self.completer_.setCompletionPrefix(prefix)
        self.completer_.complete()

    def _insert(self, name: str) -> None:
        head, _, tail = self.text().rpartition(",")
        sign = "-" if tail.strip().startswith("-") else ""
        self.setText((head + ", " if head else "") + sign + name + ", ")

    def keyPressEvent(self, event: object) -> None:  # noqa: N802 - Qt override
        popup = self.completer_.popup()
        key = event.key()  # type: ignore[attr-defined]
        if popup.isVisible() and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            current = popup.currentIndex()
            if current.isValid():
                self._insert(current.data())
                popup.hide()
                return
            popup.hide()
        super().keyPressEvent(event)  # type: ignore[arg-type]


class TagPopup(QDialog):
    """A small frameless-looking dialog under the list."""

    def __init__(self, parent: QWidget | None, count: int, names: list[str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Tag")
        self.setModal(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 10, 12, 10)
        what = "this paper" if count == 1 else f"{count} papers"
        hint = QLabel(f"Tags for {what} — comma-separated; new names create tags; -name removes")
        hint.setObjectName("dim")
        hint.setTextFormat(Qt.TextFormat.PlainText)
        self.edit = MultiTagEdit()
        self.edit.setObjectName("tagPopupEdit")
        self.edit.set_names(names)
        self.edit.setMinimumWidth(420)
        layout.addWidget(hint)
        layout.addWidget(self.edit)
        self.edit.returnPressed.connect(self.accept)

    def result_tags(self) -> tuple[list[str], list[str]]:
        return parse_tag_input(self.edit.text())
