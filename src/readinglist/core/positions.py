"""Reading positions across machines: which one to offer, and how long ago it was."""

from __future__ import annotations

from collections.abc import Sequence

from readinglist.core.hlc import Timestamp
from readinglist.core.models import ReadingPosition


def newer_elsewhere(positions: Sequence[ReadingPosition],
                    device_id: str) -> ReadingPosition | None:
    """Another machine's position when it was set after this machine's and is on another
    page (the viewer offers to continue there); None when this machine is up to date.

    With no position of its own the viewer already opens at the most recent one, so there
    is nothing to offer then either.
    """
    own = next((p for p in positions if p.device_id == device_id), None)
    others = [p for p in positions if p.device_id != device_id]
    if own is None or not others:
        return None
    latest = max(others, key=lambda p: p.hlc)
    if latest.hlc <= own.hlc or latest.page == own.page:
        return None
    return latest


def time_ago(hlc: str, now_ms: int) -> str:
    """``just now``, ``12 min ago``, ``3 h ago``, ``yesterday``, ``5 days ago`` for a clock
    reading; a date (``on 2026-03-14``) beyond a month; "" for an unreadable one."""
    try:
        then = Timestamp.decode(hlc)
    except ValueError:
        return ""
    minutes = max(0, now_ms - then.physical_ms) // 60_000
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 24 * 60:
        return f"{minutes // 60} h ago"
    days = minutes // (24 * 60)
    if days == 1:
        return "yesterday"
    if days < 31:
        return f"{days} days ago"
    return f"on {then.to_datetime().date().isoformat()}"
