"""The background loop: it repeats, survives a failing round, and stops without cutting a round short."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

import pytest

from bot.web.background import repeating
from harness.waiting import wait_until


async def test_a_failing_round_is_logged_and_the_next_one_still_runs(caplog: pytest.LogCaptureFixture) -> None:
    rounds: list[datetime] = []

    async def work(now: datetime) -> None:
        rounds.append(now)
        if len(rounds) == 1:
            raise RuntimeError("the database went away")

    async def two_rounds() -> bool:
        return len(rounds) >= 2

    with caplog.at_level(logging.ERROR):
        async with repeating(work, interval=0.05, name="test-work"):
            await wait_until(two_rounds, within=5, what="a second round after a failure")
    assert any("background test-work failed" in record.getMessage() for record in caplog.records)


async def test_stopping_lets_a_round_in_progress_finish() -> None:
    started = asyncio.Event()
    finished: list[bool] = []

    async def slow_work(_now: datetime) -> None:
        started.set()
        await asyncio.sleep(0.3)  # stands for a database transaction that must not be cut short
        finished.append(True)

    async with repeating(slow_work, interval=0.01, name="slow"):
        await asyncio.wait_for(started.wait(), timeout=5)
    assert finished == [True]


async def test_a_round_that_says_more_is_waiting_is_followed_at_once() -> None:
    """A backlog drains without an interval between rounds; once it is gone, the interval applies again."""
    rounds: list[float] = []
    loop = asyncio.get_running_loop()

    async def backlog_of_three(_now: datetime) -> bool:
        rounds.append(loop.time())
        return len(rounds) < 3

    async def three_rounds() -> bool:
        return len(rounds) >= 3

    async with repeating(backlog_of_three, interval=0.5, name="backlog"):
        await wait_until(three_rounds, within=5, what="three rounds")
        assert rounds[2] - rounds[0] < 0.4, "the second and third rounds did not wait an interval"
        await asyncio.sleep(0.2)  # within one interval of the last round: no fourth round yet
        assert len(rounds) == 3
