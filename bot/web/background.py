"""A piece of work repeated in the background for as long as the app runs, surviving its own failures.

Stopping waits for a run in progress to finish (up to a time limit) rather than cancelling it in the middle of a
database transaction or a message to Teams. A run that returns True says more work is waiting: the next run starts
at once instead of an interval later.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, suppress
from datetime import datetime

from bot.domain.clock import Clock, utc_now

logger = logging.getLogger(__name__)

STOP_WAIT_SECONDS = 10.0
"""How long a run in progress is given to finish when the bot stops (then it is cancelled)."""


Work = Callable[[datetime], Awaitable[object]]
"""A background run: given the time, does its work; True when more is waiting."""


async def _repeat(work: Work, interval: float, name: str, stop: asyncio.Event, clock: Clock) -> None:
    more_waiting = False
    while True:
        if not more_waiting:
            with suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=interval)
        if stop.is_set():
            return
        try:
            more_waiting = await work(clock()) is True
        except Exception:
            more_waiting = False
            logger.exception("background %s failed; trying again in %.0f s", name, interval)


@asynccontextmanager
async def repeating(
    work: Work, *, interval: float, name: str, clock: Clock = utc_now, stopping: asyncio.Event | None = None
) -> AsyncIterator[None]:
    """Run `work(clock())` every `interval` seconds (the first time one interval in) until the context ends, or
    `stopping` is set (no new run starts; the one in progress finishes); at once again when it returns True."""
    stop = stopping if stopping is not None else asyncio.Event()
    task = asyncio.create_task(_repeat(work, interval, name, stop, clock), name=name)
    try:
        yield
    finally:
        stop.set()
        try:
            await asyncio.wait_for(asyncio.shield(task), timeout=STOP_WAIT_SECONDS)
        except TimeoutError:
            logger.warning("background %s did not finish in %.0f s; cancelling it", name, STOP_WAIT_SECONDS)
            task.cancel()
            with suppress(asyncio.CancelledError):
                await task
