"""Sync indicator for the status bar (filled in by the sync issue)."""

from __future__ import annotations

from typing import Any


def create_sync_widget(library: Any, paths: Any, parent: Any = None) -> Any:
    """A status-bar widget showing idle / syncing / offline / error, or None if sync is absent."""
    return None
