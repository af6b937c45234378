"""The time, as every part of the bot reads it: one clock, given to each use case and store by the wiring, so that a
test can run any of them (a turn, a store write, the background work) on a simulated clock."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]
"""Now, in UTC."""


def utc_now() -> datetime:
    return datetime.now(UTC)
