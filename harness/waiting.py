"""Waiting on conditions with a time limit, never sleeping and hoping."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable


async def wait_until(
    condition: Callable[[], Awaitable[bool]],
    *,
    within: float,
    interval: float = 0.05,
    what: str = "condition",
) -> None:
    """Re-check an asynchronous condition until it holds; fail with `what` once `within` seconds have passed."""
    deadline = time.monotonic() + within
    while True:
        if await condition():
            return
        if time.monotonic() >= deadline:
            raise TimeoutError(f"timed out after {within:.0f} s waiting for {what}")
        await asyncio.sleep(interval)
