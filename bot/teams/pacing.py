"""Keeping the bot's messages within Teams' limits for a bot, so Teams does not start answering 429.

Per conversation: 7 messages a second, 8 in 2 seconds, 60 in 30 seconds, 1,800 an hour; 50 a second across all
conversations (learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit). Moving windows from the `limits`
package. Counting and checking happen together under a lock, so two messages never both take the last place in a
window; a message that must wait sleeps outside the lock, so one busy conversation does not hold up the others.
"""

from __future__ import annotations

import asyncio
import time

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import MovingWindowRateLimiter

PER_CONVERSATION = parse_many("7/second;8 per 2 seconds;60 per 30 seconds;1800 per hour")
PER_BOT = parse_many("50/second")
_MARGIN = 0.05
"""Waited beyond a window's end, so a message that travels faster than the one before it still arrives outside."""


class TeamsPacing:
    def __init__(self) -> None:
        self._limiter = MovingWindowRateLimiter(MemoryStorage())
        self._turn = asyncio.Lock()

    async def wait_turn(self, conversation_id: str) -> None:
        """Return when a message into `conversation_id` may go now, having counted it."""
        limits: list[tuple[RateLimitItem, str]] = [
            *((item, "bot") for item in PER_BOT),
            *((item, conversation_id) for item in PER_CONVERSATION),
        ]
        while True:
            async with self._turn:
                waits = [
                    (await self._limiter.get_window_stats(item, key)).reset_time - time.time()
                    for item, key in limits
                    if not await self._limiter.test(item, key)
                ]
                if not waits:
                    for item, key in limits:
                        await self._limiter.hit(item, key)
                    return
            await asyncio.sleep(max(min(waits), 0) + _MARGIN)
