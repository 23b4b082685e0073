"""Which other machine's reading position the viewer offers, and how its age reads."""

from __future__ import annotations

from readinglist.core.hlc import Timestamp
from readinglist.core.models import ReadingPosition
from readinglist.core.positions import newer_elsewhere, time_ago

KEY = "2406.05821"
MINUTE = 60_000


def at(device: str, page: int, minute: int) -> ReadingPosition:
    return ReadingPosition(KEY, device, page, 0.5, Timestamp(minute * MINUTE, 0).encode())


def test_a_more_recent_position_elsewhere_on_another_page_is_offered() -> None:
    laptop = at("laptop", 11, 50)
    assert newer_elsewhere([laptop, at("desk", 3, 40), at("tablet", 20, 30)], "desk") == laptop


def test_nothing_is_offered_when_this_machine_is_up_to_date_or_alone() -> None:
    assert newer_elsewhere([at("desk", 3, 40), at("laptop", 11, 30)], "desk") is None
    assert newer_elsewhere([at("desk", 3, 40)], "desk") is None
    assert newer_elsewhere([], "desk") is None


def test_nothing_is_offered_on_the_same_page_or_without_an_own_position() -> None:
    assert newer_elsewhere([at("desk", 3, 40), at("laptop", 3, 50)], "desk") is None
    # the viewer already opens at the most recent position then
    assert newer_elsewhere([at("laptop", 11, 50)], "desk") is None


def test_only_the_most_recent_other_machine_counts() -> None:
    older_but_further = at("tablet", 30, 45)
    latest = at("laptop", 2, 50)
    assert newer_elsewhere([at("desk", 9, 40), older_but_further, latest], "desk") == latest


def test_time_ago_reads_like_a_person() -> None:
    now = 100_000 * MINUTE
    stamp = lambda minutes_before: Timestamp(now - minutes_before * MINUTE, 3).encode()  # noqa: E731
    assert time_ago(stamp(0), now) == "just now"
    assert time_ago(stamp(12), now) == "12 min ago"
    assert time_ago(stamp(150), now) == "2 h ago"
    assert time_ago(stamp(24 * 60 + 5), now) == "yesterday"
    assert time_ago(stamp(5 * 24 * 60), now) == "5 days ago"
    assert time_ago(stamp(90 * 24 * 60), now).startswith("on ")
    assert time_ago(stamp(-5), now) == "just now"  # a clock a little ahead
    assert time_ago("not a clock", now) == ""
