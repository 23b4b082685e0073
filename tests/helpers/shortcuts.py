"""Reading a window's shortcuts as Qt's shortcut map sees them, to find ambiguous ones."""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

DOCS = Path(__file__).resolve().parents[2] / "docs" / "keyboard.md"
_WINDOW_WIDE = (Qt.ShortcutContext.WindowShortcut, Qt.ShortcutContext.ApplicationShortcut)
_ARROWS = {"←": "Left", "→": "Right", "↑": "Up", "↓": "Down"}


def _menu_actions(menu: QMenu | QMenuBar) -> list[QAction]:
    """The actions of a menu bar or menu and of its submenus (those Qt can trigger)."""
    found = []
    for action in menu.actions():
        found.append(action)
        if action.menu() is not None:
            found += _menu_actions(action.menu())
    return found


def active_shortcuts(window: QWidget) -> list[tuple[str, str, object]]:
    """(key, what it triggers, scope) for every key sequence that can fire in ``window``: the
    scope is "window" for window-wide ones, else the widget they are limited to. Actions of
    menus that are not in the menu bar (context menus) cannot fire by key and are left out."""
    actions: dict[int, tuple[QAction, object]] = {}
    widgets = [w for w in [window, *window.findChildren(QWidget)]
               if w.window() is window and not isinstance(w, (QMenu, QMenuBar))]
    for widget in widgets:
        for action in widget.actions():
            actions.setdefault(id(action), (action, widget))
    for action in _menu_actions(window.menuBar()) if hasattr(window, "menuBar") else []:
        actions.setdefault(id(action), (action, window))
    found = []
    for action, widget in actions.values():
        scope = "window" if action.shortcutContext() in _WINDOW_WIDE else widget
        found += [(k.toString(), action.text(), scope) for k in action.shortcuts()]
    for shortcut in window.findChildren(QShortcut):
        owner = shortcut.parent()
        if isinstance(owner, QWidget) and owner.window() is window:
            scope = "window" if shortcut.context() in _WINDOW_WIDE else owner
            found += [(k.toString(), "QShortcut", scope) for k in shortcut.keys()]
    return found


def ambiguous(window: QWidget) -> dict[str, list[str]]:
    """Keys that two shortcuts claim where both can be active at once (Qt then runs neither
    and prints "Ambiguous shortcut overload")."""
    by_key: dict[str, list[tuple[str, object]]] = defaultdict(list)
    for key, what, scope in active_shortcuts(window):
        by_key[key].append((what, scope))
    clashes = {}
    for key, claims in by_key.items():
        wide = [what for what, scope in claims if scope == "window"]
        scoped: dict[int, list[str]] = defaultdict(list)
        for what, scope in claims:
            if scope != "window":
                scoped[id(scope)].append(what)
        if len(wide) > 1 or any(len(wide) + len(whats) > 1 for whats in scoped.values()):
            clashes[key] = [what for what, _scope in claims]
    return clashes


def normalised(key: str) -> str:
    """A key as written in the docs or a table (``j``, ``Alt+←``, ``Ctrl +``) in Qt's
    portable form (``J``, ``Alt+Left``, ``Ctrl++``)."""
    key = key.strip()
    for arrow, name in _ARROWS.items():
        key = key.replace(arrow, name)
    key = re.sub(r"(Ctrl|Alt|Shift)\s+", r"\1+", key)  # "Ctrl +": Ctrl and the plus key
    if len(key) == 1:
        key = key.upper()
    return QKeySequence(key).toString() or key


def doc_table(heading: str, header: str) -> list[tuple[list[str], str]]:
    """The rows of the first table after ``heading`` in docs/keyboard.md whose header row is
    ``header``: (its keys, normalised; its description). ``Alt+2`` … ``Alt+6`` is expanded."""
    text = DOCS.read_text(encoding="utf-8")
    start = text.index(header, text.index(heading))
    rows = []
    for line in text[start:].splitlines()[2:]:
        if not line.startswith("|"):
            break
        keys_cell, description = line.strip("|").split("|", 1)
        rows.append((_keys(keys_cell), description.strip(" |")))
    return rows


def _keys(cell: str) -> list[str]:
    keys = [normalised(k) for k in re.findall(r"`([^`]+)`", cell)]
    ranges = re.findall(r"`([^`]*?)(\d)`\s*…\s*`([^`]*?)(\d)`", cell)
    for prefix, first, _prefix, last in ranges:
        keys += [normalised(f"{prefix}{n}") for n in range(int(first) + 1, int(last))]
    return keys


def table_rows(html: str) -> list[tuple[list[str], str]]:
    """(keys, description) of the rows of an in-app shortcuts table (``views.shortcuts``)."""
    from html import unescape

    rows = []
    for keys, text in re.findall(r"<b>(.*?)</b></td><td>(.*?)</td>", html):
        parts = re.split(r" / |, ", unescape(keys))
        rows.append(([normalised(k) for k in parts], unescape(text)))
    return rows
