"""Undo and redo of triage actions: each records what changed and is undone by its inverse."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Protocol

from readinglist.core.changes import NOTHING, Changes, SettingChange


class TriageTarget(Protocol):
    """The part of ``Library`` that triage actions use."""

    def mark(self, keys: list[str], flag: str, value: bool) -> Changes: ...

    def tag(self, keys: list[str], add: list[str] = ..., remove: list[str] = ...) -> Changes: ...

    def set_synced_setting(self, key: str, value: Any) -> Changes: ...


@dataclass(frozen=True, slots=True)
class FlagChange:
    """Set ``flag`` to ``value`` on ``keys`` (only papers whose value differed are listed)."""

    flag: str
    value: bool
    keys: tuple[str, ...]

    def inverse(self) -> "FlagChange":
        return FlagChange(self.flag, not self.value, self.keys)


@dataclass(frozen=True, slots=True)
class TagEdit:
    """Tags actually added to and removed from one paper."""

    key: str
    add: tuple[str, ...] = ()
    remove: tuple[str, ...] = ()

    def inverse(self) -> "TagEdit":
        return TagEdit(self.key, self.remove, self.add)


@dataclass(frozen=True, slots=True)
class TriageAction:
    """One user action (possibly on many papers) that can be undone as a whole."""

    label: str
    flags: tuple[FlagChange, ...] = ()
    tags: tuple[TagEdit, ...] = ()
    settings: tuple[SettingChange, ...] = ()  # saved searches and rules (a tag renamed)

    @property
    def empty(self) -> bool:
        return (not any(f.keys for f in self.flags) and not self.settings
                and not any(t.add or t.remove for t in self.tags))

    @property
    def keys(self) -> set[str]:
        return {k for f in self.flags for k in f.keys} | {t.key for t in self.tags}

    def inverse(self) -> "TriageAction":
        return TriageAction(self.label, tuple(f.inverse() for f in reversed(self.flags)),
                            tuple(t.inverse() for t in self.tags),
                            tuple(s.inverse() for s in reversed(self.settings)))

    def apply(self, library: TriageTarget) -> Changes:
        """Write the action through the service layer (call on the writer thread)."""
        changes = NOTHING
        for change in self.flags:
            if change.keys:
                changes = changes | library.mark(list(change.keys), change.flag, change.value)
        grouped: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = defaultdict(list)
        for edit in self.tags:
            if edit.add or edit.remove:
                grouped[(edit.add, edit.remove)].append(edit.key)
        for (add, remove), keys in grouped.items():
            changes = changes | library.tag(keys, add=list(add), remove=list(remove))
        for setting in self.settings:
            changes = changes | library.set_synced_setting(setting.key, setting.after)
        return changes


@dataclass
class UndoStack:
    """Done actions and undone ones; a new action clears the redo side."""

    limit: int = 500
    done: list[TriageAction] = field(default_factory=list)
    undone: list[TriageAction] = field(default_factory=list)

    def push(self, action: TriageAction) -> None:
        if action.empty:
            return
        self.done.append(action)
        del self.done[:-self.limit]
        self.undone.clear()

    def discard(self, action: TriageAction) -> None:
        """Forget an action whose write failed."""
        for stack in (self.done, self.undone):
            if action in stack:
                stack.remove(action)

    def undo(self) -> TriageAction | None:
        """The inverse to apply for the latest action, or None."""
        if not self.done:
            return None
        action = self.done.pop()
        self.undone.append(action)
        return action.inverse()

    def redo(self) -> TriageAction | None:
        """The latest undone action to apply again, or None."""
        if not self.undone:
            return None
        action = self.undone.pop()
        self.done.append(action)
        return action

    @property
    def undo_label(self) -> str:
        return self.done[-1].label if self.done else ""

    @property
    def redo_label(self) -> str:
        return self.undone[-1].label if self.undone else ""
