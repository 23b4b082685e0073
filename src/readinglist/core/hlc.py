"""Hybrid logical clocks (Kulkarni et al. 2014): physical milliseconds plus a counter.

A timestamp is encoded as a fixed-width string ``"PPPPPPPPPPPPPPP.CCCCC"`` so that string
order equals clock order; ties between devices break on the device id.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

MAX_DRIFT_MS = 10 * 60 * 1000
_COUNTER_LIMIT = 99_999


@dataclass(frozen=True, order=True, slots=True)
class Timestamp:
    """One HLC reading."""

    physical_ms: int
    counter: int = 0

    def encode(self) -> str:
        return f"{self.physical_ms:015d}.{self.counter:05d}"

    @classmethod
    def decode(cls, text: str) -> "Timestamp":
        physical, _, counter = text.partition(".")
        return cls(int(physical), int(counter or 0))

    def to_datetime(self) -> datetime:
        return datetime.fromtimestamp(self.physical_ms / 1000, tz=UTC)


def wall_clock_ms() -> int:
    return time.time_ns() // 1_000_000


class HybridClock:
    """Issues strictly increasing timestamps and absorbs the ones seen from other devices."""

    def __init__(self, last: Timestamp | None = None,
                 now_ms: Callable[[], int] = wall_clock_ms) -> None:
        self.last = last or Timestamp(0, 0)
        self._now_ms = now_ms
        self.drift_warnings: list[str] = []

    def now(self) -> Timestamp:
        """A new local timestamp, greater than every one issued or received before."""
        physical = self._now_ms()
        if physical > self.last.physical_ms:
            self.last = Timestamp(physical, 0)
        else:
            self.last = self._bump(self.last)
        return self.last

    def receive(self, remote: Timestamp, source: str = "") -> None:
        """Advance past a remote timestamp, never more than ``MAX_DRIFT_MS`` beyond local time."""
        physical = self._now_ms()
        if remote.physical_ms > physical + MAX_DRIFT_MS:
            self.drift_warnings.append(
                f"device {source or '?'}'s clock is ahead by "
                f"{(remote.physical_ms - physical) / 60000:.0f} minutes"
            )
            remote = Timestamp(physical + MAX_DRIFT_MS, 0)
        if remote > self.last:
            self.last = remote

    @staticmethod
    def _bump(stamp: Timestamp) -> Timestamp:
        if stamp.counter >= _COUNTER_LIMIT:
            return Timestamp(stamp.physical_ms + 1, 0)
        return Timestamp(stamp.physical_ms, stamp.counter + 1)
