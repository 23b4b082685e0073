"""The sidebar: fixed views, then tags, subscriptions and saved searches, with counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from readinglist.core.models import SavedSearch, Subscription, TagCount
from readinglist.ui.models.entry import SidebarEntry
from readinglist.ui.qt import QFont, QStandardItem, QStandardItemModel, Qt

ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1


@dataclass(slots=True)
class SidebarData:
    """Everything the sidebar shows, read in one background query."""

    inbox_unread: int = 0
    starred: int = 0
    total: int = 0
    daily: int = 0
    reading: int = 0
    trash: int = 0
    tags: list[TagCount] = field(default_factory=list)
    subscriptions: list[tuple[Subscription, int]] = field(default_factory=list)
    searches: list[SavedSearch] = field(default_factory=list)
    search_counts: dict[str, int] = field(default_factory=dict)  # by name; not every search


VIEWS = (
    SidebarEntry("view", "Inbox", "inbox"),
    # the inbox papers most like what you starred, best first (``core.similar``)
    SidebarEntry("view", "For you", "inbox", query="like:starred"),
    # papers opened in the viewer and not finished (not marked read), the last one read first
    SidebarEntry("view", "Reading", "all", query="is:reading"),
    SidebarEntry("daily", "Daily", "daily"),
    SidebarEntry("view", "Starred", "starred"),
    SidebarEntry("view", "Archive", "archived"),
    SidebarEntry("view", "All", "all"),
    SidebarEntry("view", "Trash", "trash"),
)


def subscription_label(subscription: Subscription) -> str:
    if subscription.kind == "hf-daily":
        return "Hugging Face Daily"
    if subscription.kind == "arxiv-rss":
        return f"arXiv {subscription.target}"
    if subscription.kind == "arxiv-query":
        return f"arXiv: {subscription.target}"
    if subscription.kind == "rss":
        return urlsplit(subscription.target).netloc or subscription.target
    return subscription.key


def subscription_entry(subscription: Subscription) -> SidebarEntry:
    """The list a subscription shows: its source, narrowed to the category for arXiv listings."""
    query = None
    if subscription.kind == "arxiv-rss" and subscription.target:
        query = f"cat:{subscription.target}"
    return SidebarEntry("subscription", subscription_label(subscription), "all",
                        query=query, source=subscription.kind)


class SidebarModel(QStandardItemModel):
    """Two columns (name, count); group headers are not selectable."""

    def __init__(self, parent: object = None) -> None:
        super().__init__(0, 2, parent)  # type: ignore[arg-type]
        self._view_items: dict[str, tuple[QStandardItem, QStandardItem]] = {}
        for entry in VIEWS:
            name, count = self._pair(entry)
            self.appendRow([name, count])
            self._view_items[entry.label] = (name, count)
        self._groups: dict[str, QStandardItem] = {}
        for title in ("Tags", "Subscriptions", "Saved searches"):
            header = QStandardItem(title.upper())
            header.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = QFont()
            font.setPointSizeF(max(font.pointSizeF() * 0.85, 7))
            font.setBold(True)
            header.setFont(font)
            header.setForeground(Qt.GlobalColor.gray)
            filler = QStandardItem("")
            filler.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.appendRow([header, filler])
            self._groups[title] = header
        self._signature: dict[str, list[str]] = {}

    @staticmethod
    def _pair(entry: SidebarEntry, count: int | None = None) -> tuple[QStandardItem,
                                                                      QStandardItem]:
        name = QStandardItem(entry.label)
        name.setData(entry, ENTRY_ROLE)
        name.setToolTip(entry.query or entry.label)
        name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        number = QStandardItem("" if not count else str(count))
        number.setData(entry, ENTRY_ROLE)
        number.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        number.setForeground(Qt.GlobalColor.gray)
        number.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        return name, number

    def group(self, title: str) -> QStandardItem:
        return self._groups[title]

    def view_item(self, label: str) -> QStandardItem:
        return self._view_items[label][0]

    def update(self, data: SidebarData) -> None:
        """Show new counts; rebuild a group's rows only when its entries changed."""
        for label, count in (("Inbox", data.inbox_unread), ("Starred", data.starred),
                             ("All", data.total), ("Daily", data.daily),
                             ("Reading", data.reading), ("Trash", data.trash)):
            self._view_items[label][1].setText(str(count) if count else "")
        self._fill("Tags", [(SidebarEntry("tag", t.name, "all", tag=t.name), t.count)
                            for t in data.tags])
        self._fill("Subscriptions", [(subscription_entry(s), n) for s, n in data.subscriptions])
        self._fill("Saved searches", [(SidebarEntry("search", s.name, "all", query=s.query),
                                       data.search_counts.get(s.name)) for s in data.searches])

    def _fill(self, title: str, rows: list[tuple[SidebarEntry, int | None]]) -> None:
        header = self._groups[title]
        signature = [entry.ident for entry, _ in rows]
        if signature == self._signature.get(title):
            for position, (_, count) in enumerate(rows):
                header.child(position, 1).setText("" if not count else str(count))
            return
        self._signature[title] = signature
        header.removeRows(0, header.rowCount())
        for entry, count in rows:
            header.appendRow(list(self._pair(entry, count)))

    def find_search(self, name: str) -> str:
        """The identity of the saved search called ``name`` ("" if there is none)."""
        header = self._groups["Saved searches"]
        for row in range(header.rowCount()):
            entry = header.child(row, 0).data(ENTRY_ROLE)
            if entry is not None and entry.label == name:
                return entry.ident
        return ""

    def find(self, ident: str) -> QStandardItem | None:
        """The name item of the entry with this identity, if it is still shown."""
        for row in range(self.rowCount()):
            item = self.item(row, 0)
            entry = item.data(ENTRY_ROLE)
            if entry is not None and entry.ident == ident:
                return item
            for child_row in range(item.rowCount()):
                child = item.child(child_row, 0)
                entry = child.data(ENTRY_ROLE)
                if entry is not None and entry.ident == ident:
                    return child
        return None
