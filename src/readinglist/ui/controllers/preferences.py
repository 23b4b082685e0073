"""Preferences: subscriptions, fetching, mark-as-read, rules, sync, theme, PDF limit, library
folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readinglist.core.models import Subscription
from readinglist.services.config import RULES
from readinglist.ui.arxiv_categories import CATEGORIES
from readinglist.ui.events import LibraryEvents
from readinglist.ui.location import choose_home
from readinglist.ui.qt import (
    QButtonGroup, QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout,
    QGroupBox, QHBoxLayout, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton,
    QRadioButton, QSpinBox, Qt, QTabWidget, QVBoxLayout, QWidget, Signal)
from readinglist.ui.tasks import Tasks

MARK_READ_MODES = (("select", "As soon as a paper is selected"),
                   ("dwell", "After it stays selected for a moment"),
                   ("never", "Never (only with m)"))
THEMES = (("system", "Follow the system"), ("light", "Light"), ("dark", "Dark"))


class PreferencesDialog(QDialog):
    """Edits a copy of the settings; OK saves them and the subscription changes."""

    applied = Signal()

    def __init__(self, library: Any, settings: Any, paths: Any, tasks: Tasks,
                 events: LibraryEvents, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.library = library
        self.settings = settings
        self.paths = paths
        self.tasks = tasks
        self.events = events
        self.original = [s for s in library.subscriptions()]
        from readinglist.services.rules import RuleBook
        from readinglist.ui.views.rules_tab import RulesTab

        self.rule_book = RuleBook(library)
        self.original_rules = self.rule_book.all()
        self.rules_tab = RulesTab(self.original_rules)
        self.new_home: Path | None = None
        self.tabs = tabs = QTabWidget()
        tabs.addTab(self._subscriptions_tab(), "Subscriptions")
        tabs.addTab(self._reading_tab(), "Fetching && reading")
        tabs.addTab(self.rules_tab, "Rules")
        from readinglist.ui.controllers.sync_setup import SyncTab

        self.sync_tab = SyncTab(library, paths, settings, tasks)
        tabs.addTab(self.sync_tab, "Sync")
        tabs.addTab(self._library_tab(), "Appearance && library")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                   | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(buttons)
        self.resize(620, 520)

    def show_tab(self, title: str) -> None:
        """Bring the tab called ``title`` (without its "&&") to the front; "" leaves it."""
        for index in range(self.tabs.count()):
            if title and self.tabs.tabText(index).replace("&&", "&") == title:
                self.tabs.setCurrentIndex(index)

    # -- tabs ----------------------------------------------------------------------------------

    def _subscriptions_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        kinds = {s.kind: s for s in self.original}
        self.hf = QCheckBox("Hugging Face Daily Papers")
        self.hf.setChecked("hf-daily" in kinds and kinds["hf-daily"].enabled)
        layout.addWidget(self.hf)

        layout.addWidget(QLabel("arXiv categories (new listings every weekday)"))
        row = QHBoxLayout()
        self.categories = QListWidget()
        for sub in self.original:
            if sub.kind == "arxiv-rss":
                self.categories.addItem(sub.target)
        picker = QVBoxLayout()
        self.category_filter = QLineEdit()
        self.category_filter.setPlaceholderText("Find a category (e.g. language, cs.CL)")
        self.category_filter.setClearButtonEnabled(True)
        self.category_list = QListWidget()
        for code, name in CATEGORIES:
            item = QListWidgetItem(f"{code} — {name}")
            item.setData(Qt.ItemDataRole.UserRole, code)
            self.category_list.addItem(item)
        self.category_filter.textChanged.connect(self._filter_categories)
        self.category_list.itemDoubleClicked.connect(lambda _item: self._add_category())
        add = QPushButton("Add →")
        add.clicked.connect(self._add_category)
        self.category_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.category_list.setTextElideMode(Qt.TextElideMode.ElideRight)
        picker.addWidget(self.category_filter)
        picker.addWidget(self.category_list)
        picker.addWidget(add)
        chosen = QVBoxLayout()
        yours = QLabel("Followed")
        yours.setObjectName("dim")
        chosen.addWidget(yours)
        chosen.addWidget(self.categories)
        remove = QPushButton("Remove")
        remove.clicked.connect(lambda: self._remove_selected(self.categories))
        chosen.addWidget(remove)
        row.addLayout(picker, 3)
        row.addLayout(chosen, 2)
        layout.addLayout(row)

        layout.addWidget(QLabel("RSS / Atom feeds"))
        self.feeds = QListWidget()
        for sub in self.original:
            if sub.kind == "rss":
                self.feeds.addItem(sub.target)
        self.feeds.setMaximumHeight(90)
        feed_row = QHBoxLayout()
        self.feed_url = QLineEdit()
        self.feed_url.setPlaceholderText("https://example.org/feed.xml")
        add_feed = QPushButton("Add feed")
        add_feed.clicked.connect(self._add_feed)
        remove_feed = QPushButton("Remove")
        remove_feed.clicked.connect(lambda: self._remove_selected(self.feeds))
        feed_row.addWidget(self.feed_url, 1)
        from readinglist.ui.views.field_keys import enter_runs

        enter_runs(self._add_category, self.category_filter)  # Enter adds, OK does not close
        enter_runs(self._add_feed, self.feed_url)
        for widget, name in ((self.category_filter, "Find an arXiv category"),
                             (self.category_list, "arXiv categories"),
                             (self.categories, "Followed arXiv categories"),
                             (self.feeds, "RSS and Atom feeds"), (self.feed_url, "Feed address")):
            widget.setAccessibleName(name)  # their labels are not buddies: screen readers
        feed_row.addWidget(add_feed)
        feed_row.addWidget(remove_feed)
        layout.addWidget(self.feeds)
        layout.addLayout(feed_row)
        self.feed_error = QLabel()
        self.feed_error.setObjectName("dim")
        self.feed_error.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.feed_error)
        return page

    def _reading_tab(self) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.fetch_on_start = QCheckBox("Fetch when the app starts")
        self.fetch_on_start.setChecked(bool(self.settings.fetch_on_start))
        self.interval = self._setting_spin("fetch_interval_minutes", " min")
        self.interval.setSpecialValueText("never")
        form.addRow(self.fetch_on_start)
        form.addRow("Fetch every", self.interval)
        self.backfill = self._setting_spin("hf_backfill_days", " missed days")
        self.backfill.setPrefix("catch up on up to ")
        self.backfill.setToolTip("After a few days away, Hugging Face Daily Papers fetches the "
                                 "days you missed, up to this many.")
        form.addRow("Hugging Face", self.backfill)
        self.replacements = QCheckBox("Also add new versions of papers not in the library")
        self.replacements.setChecked(bool(self.settings.rss_include_replacements))
        self.replacements.setToolTip(
            "arXiv listings announce replaced papers (new versions) besides new ones. Papers "
            "already in your library always get the new version; this also adds the others "
            "to the inbox.")
        form.addRow("arXiv listings", self.replacements)
        self.mark_group = QButtonGroup(self)
        box = QVBoxLayout()
        for position, (mode, text) in enumerate(MARK_READ_MODES):
            button = QRadioButton(text)
            button.setProperty("mode", mode)
            button.setChecked(self.settings.mark_read == mode)
            self.mark_group.addButton(button, position)
            box.addWidget(button)
        form.addRow("Mark as read", box)
        self.dwell = self._setting_spin("mark_read_dwell_ms", " ms")
        self.dwell.setSingleStep(250)
        form.addRow("Moment to wait", self.dwell)
        return page

    def _library_tab(self) -> QWidget:
        page = QWidget()
        outer = QVBoxLayout(page)
        top = QWidget()
        outer.addWidget(top)
        outer.addWidget(self._kept_files())
        outer.addStretch(1)
        form = QFormLayout(top)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        self.theme = QComboBox()
        for value, text in THEMES:
            self.theme.addItem(text, value)
        self.theme.setCurrentIndex(max(0, [v for v, _ in THEMES].index(self.settings.theme)
                                       if self.settings.theme in [v for v, _ in THEMES] else 0))
        form.addRow("Theme", self.theme)
        self.pdf_limit = self._setting_spin("pdf_max_mb", " MB")
        self.pdf_limit.setToolTip("Larger PDFs are not downloaded (a guard against runaway "
                                  "downloads).")
        form.addRow("Largest PDF download", self.pdf_limit)
        self.location = QLabel(str(self.paths.home))
        self.location.setTextFormat(Qt.TextFormat.PlainText)
        self.location.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.location.setWordWrap(True)
        move = QPushButton("Use another folder…")
        move.clicked.connect(self._choose_folder)
        form.addRow("Library folder", self.location)
        form.addRow("", move)
        note = QLabel("A new folder takes effect the next time readinglist starts; the current "
                      "library stays where it is.")
        note.setObjectName("dim")
        note.setWordWrap(True)
        form.addRow("", note)
        return page

    def _kept_files(self) -> QWidget:
        """The export files kept up to date, with a button to stop keeping one."""
        from readinglist.services import auto_export

        box = QGroupBox("Files kept up to date")
        column = QVBoxLayout(box)
        self.kept = QListWidget()
        self.kept.setMaximumHeight(96)
        self.kept_at_open = set()
        for export in auto_export.configured(self.settings):
            item = QListWidgetItem(f"{export.path.name} — {export.format}, {export.describe()}")
            item.setToolTip(str(export.path))
            item.setData(Qt.ItemDataRole.UserRole, str(export.path))
            self.kept.addItem(item)
            self.kept_at_open.add(str(export.path))
        stop = QPushButton("Stop keeping up to date")
        stop.setToolTip("The file stays; it is just no longer rewritten")
        stop.clicked.connect(lambda: self._remove_selected(self.kept))
        stop.setEnabled(bool(self.kept_at_open))
        hint = QLabel("Add one with File → Keep this list up to date in a file…")
        hint.setObjectName("dim")
        column.addWidget(self.kept if self.kept_at_open else hint)
        row = QHBoxLayout()
        row.addWidget(stop)
        row.addStretch(1)
        column.addLayout(row)
        return box

    # -- helpers -------------------------------------------------------------------------------

    def _setting_spin(self, name: str, suffix: str) -> QSpinBox:
        """A spin box for a numeric setting: its range from ``RULES``, its current value."""
        rule = RULES[name]
        spin = QSpinBox()
        spin.setRange(int(rule.low or 0), int(rule.high or 0))
        spin.setSuffix(suffix)
        spin.setValue(int(getattr(self.settings, name)))
        return spin

    def _filter_categories(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.category_list.count()):
            item = self.category_list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    def _add_category(self) -> None:
        item = self.category_list.currentItem()
        if item is None or item.isHidden():
            visible = [self.category_list.item(r) for r in range(self.category_list.count())
                       if not self.category_list.item(r).isHidden()]
            item = visible[0] if len(visible) == 1 else None
        if item is None:
            return
        code = item.data(Qt.ItemDataRole.UserRole)
        if code not in self._list_values(self.categories):
            self.categories.addItem(code)

    def _add_feed(self) -> None:
        url = self.feed_url.text().strip()
        if not url.startswith(("http://", "https://")):
            self.feed_error.setText("A feed address starts with http:// or https://")
            return
        self.feed_error.clear()
        if url not in self._list_values(self.feeds):
            self.feeds.addItem(url)
        self.feed_url.clear()

    @staticmethod
    def _remove_selected(widget: QListWidget) -> None:
        for item in widget.selectedItems():
            widget.takeItem(widget.row(item))

    @staticmethod
    def _list_values(widget: QListWidget) -> list[str]:
        return [widget.item(r).text() for r in range(widget.count())]

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Library folder", str(self.paths.home))
        if folder:
            self.new_home = Path(folder)
            self.location.setText(f"{folder}  (after restart)")

    def wanted_subscriptions(self) -> list[Subscription]:
        wanted = [Subscription("hf-daily")] if self.hf.isChecked() else []
        wanted += [Subscription("arxiv-rss", c) for c in self._list_values(self.categories)]
        wanted += [Subscription("rss", u) for u in self._list_values(self.feeds)]
        return wanted

    # -- saving --------------------------------------------------------------------------------

    def accept(self) -> None:
        form = self.rules_tab
        if (form.name.text().strip() or form.query.text().strip()) and not form.add_from_form():
            self.tabs.setCurrentWidget(form)  # a rule typed but not added: say what it lacks
            return
        s = self.settings
        s.reload(self.paths.config)  # keep what the command line changed while this was open
        s.fetch_on_start = self.fetch_on_start.isChecked()
        s.fetch_interval_minutes = self.interval.value()
        checked = self.mark_group.checkedButton()
        if checked is not None:
            s.mark_read = str(checked.property("mode"))
        s.mark_read_dwell_ms = self.dwell.value()
        s.hf_backfill_days = self.backfill.value()
        s.rss_include_replacements = self.replacements.isChecked()
        s.pdf_max_mb = self.pdf_limit.value()
        s.theme = str(self.theme.currentData())
        still_kept = {str(self.kept.item(r).data(Qt.ItemDataRole.UserRole))
                      for r in range(self.kept.count())}
        from readinglist.services import auto_export

        for path in self.kept_at_open - still_kept:  # ones added meanwhile stay
            auto_export.remove(s, Path(path))
        s.save(self.paths.config)
        if self.new_home is not None:
            choose_home(self.new_home)
        wanted = {sub.key: sub for sub in self.wanted_subscriptions()}
        before = {sub.key: sub for sub in self.original}
        add = [sub for key, sub in wanted.items()
               if key not in before or not before[key].enabled]
        drop = [sub for key, sub in before.items() if key not in wanted]
        library = self.library
        rules = {rule.name: rule for rule in self.rules_tab.rules()}
        old_rules = {rule.name: rule for rule in self.original_rules}
        save_rules = [rule for name, rule in rules.items() if old_rules.get(name) != rule]
        drop_rules = [name for name in old_rules if name not in rules]
        book = self.rule_book

        def job() -> None:
            with self.events.local():
                for sub in add:
                    library.subscribe_feed(sub)
                for sub in drop:
                    library.unsubscribe_feed(sub)
                for rule in save_rules:
                    book.save(rule.name, rule.query, rule.flags, rule.tags)
                for name in drop_rules:
                    book.delete(name)

        if add or drop or save_rules or drop_rules:
            self.tasks.write(job)
        self.applied.emit()
        super().accept()
