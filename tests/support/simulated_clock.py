"""A clock the test moves, for the app's background work, and a way to wait until that work has seen the new time."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import datetime

from harness.waiting import wait_until


class SimulatedClock:
    def __init__(self, now: datetime) -> None:
        self.now = now
        self._reads: Counter[str] = Counter()

    def __call__(self) -> datetime:
        task = asyncio.current_task()
        self._reads[task.get_name() if task else "-"] += 1
        return self.now

    async def completed_run(self, task_name: str, *, within: float = 20.0) -> None:
        """Wait until the background task `task_name` has done one whole run that started from now on: the task reads
        the clock as each run starts, so two more reads mean one run began and finished after this call."""
        mark = self._reads[task_name]

        async def done() -> bool:
            return self._reads[task_name] >= mark + 2

        await wait_until(done, within=within, what=f"a whole run of the background {task_name}")
