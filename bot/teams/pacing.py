"""Keeping the bot's messages within Teams' limits for a bot, so Teams does not start answering 429.

Per conversation: 7 messages a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour; 50 a second across all
conversations (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit). The per-conversation limits are
moving windows from the `limits` package. Across conversations the messages are spaced evenly, a little under 50 a
second: a moving window would let 50 go in a burst, and a burst's arrivals at Teams jitter into the next window and
come back as 429s (the reminder fan-out in bench/RESULTS.md measured it).

Checking and counting happen together under a lock, so two messages never both take the last place; a message that
must wait sleeps outside the lock, so one busy conversation does not hold up the others.
"""

from __future__ import annotations

import asyncio
import time

from limits import parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

PER_CONVERSATION = parse_many("7/second;8 per 2 seconds;60 per 30 seconds;1800 per hour")
PER_BOT_SPACING = 1 / 48
"""Seconds between any two messages: 48 a second, against Teams' 50."""
_MARGIN = 0.05
"""Waited beyond a window's end, so a message that travels faster than the one before it still arrives outside."""


class TeamsPacing:
    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._turn = asyncio.Lock()
        self._next_for_bot = 0.0

    async def wait_turn(self, conversation_id: str) -> None:
        """Return when a message into `conversation_id` may go now, having counted it."""
        while True:
            async with self._turn:
                waits = [
                    (await self._limiter.get_window_stats(item, conversation_id)).reset_time - time.time() + _MARGIN
                    for item in PER_CONVERSATION
                    if not await self._limiter.test(item, conversation_id)
                ]
                now = time.monotonic()
                if self._next_for_bot > now:
                    waits.append(self._next_for_bot - now)
                if not waits:
                    for item in PER_CONVERSATION:
                        await self._limiter.hit(item, conversation_id)
                    self._next_for_bot = now + PER_BOT_SPACING
                    return
            await asyncio.sleep(max(min(waits), 0.001))
