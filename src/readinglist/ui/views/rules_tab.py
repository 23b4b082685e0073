"""Preferences → Rules: "when a new paper matches this search, star / read / archive / tag it"."""

from __future__ import annotations

from readinglist.core.errors import ReadinglistError
from readinglist.core.query import parse_query
from readinglist.core.rules import Rule, make_rule
from readinglist.ui.qt import (
    QCheckBox, QFormLayout, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem,
    QPushButton, Qt, QVBoxLayout, QWidget)

_RULE_ROLE = int(Qt.ItemDataRole.UserRole.value) + 20


class RulesTab(QWidget):
    """Edits a list of rules; ``rules()`` is what the dialog saves on OK."""

    def __init__(self, rules: list[Rule], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        intro = QLabel("Rules run on papers as they arrive from a fetch: each paper that "
                       "matches a rule's search is starred, marked read, archived or tagged. "
                       "They sync to your other machines like saved searches.")
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setAccessibleName("Rules")
        for rule in rules:
            self._add_item(rule)
        layout.addWidget(self.list)
        remove = QPushButton("Remove selected")
        remove.clicked.connect(self._remove_selected)
        layout.addWidget(remove, alignment=Qt.AlignmentFlag.AlignRight)

        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("e.g. Vision")
        self.query = QLineEdit()
        self.query.setPlaceholderText('e.g. diffusion -survey  or  author:hinton  or  cat:cs.CV')
        actions = QHBoxLayout()
        self.star = QCheckBox("Star")
        self.read = QCheckBox("Mark read")
        self.archive = QCheckBox("Archive")
        for box in (self.star, self.read, self.archive):
            actions.addWidget(box)
        actions.addStretch(1)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText("tags to add, separated by commas")
        form.addRow("Name", self.name)
        form.addRow("When a paper matches", self.query)
        form.addRow("Then", actions)
        form.addRow("And tag it", self.tags)
        layout.addLayout(form)
        row = QHBoxLayout()
        self.error = QLabel()
        self.error.setObjectName("formError")
        self.error.setWordWrap(True)
        add = QPushButton("Add rule")
        add.clicked.connect(self.add_from_form)
        from readinglist.ui.views.field_keys import enter_runs

        enter_runs(self.add_from_form, self.name, self.query, self.tags)
        row.addWidget(self.error, 1)
        row.addWidget(add)
        layout.addLayout(row)

    def rules(self) -> list[Rule]:
        return [self.list.item(r).data(_RULE_ROLE) for r in range(self.list.count())]

    def add_from_form(self) -> bool:
        """Add (or replace, by name) the rule in the form; False with a message if invalid."""
        flags = [name for name, box in (("star", self.star), ("read", self.read),
                                        ("archive", self.archive)) if box.isChecked()]
        tags = [t for t in self.tags.text().split(",") if t.strip()]
        try:
            rule = make_rule(self.name.text(), self.query.text(), flags, tags)
            parse_query(rule.query)
        except ReadinglistError as error:
            self.error.setText(str(error))
            return False
        self.error.clear()
        for position in range(self.list.count()):
            if self.list.item(position).data(_RULE_ROLE).name == rule.name:
                self.list.takeItem(position)
                break
        self._add_item(rule)
        for field in (self.name, self.query, self.tags):
            field.clear()
        for box in (self.star, self.read, self.archive):
            box.setChecked(False)
        return True

    def _add_item(self, rule: Rule) -> None:
        item = QListWidgetItem(f"{rule.name}: {rule.describe()}")
        item.setData(_RULE_ROLE, rule)
        self.list.addItem(item)

    def _remove_selected(self) -> None:
        for item in self.list.selectedItems():
            self.list.takeItem(self.list.row(item))
