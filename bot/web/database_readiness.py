"""Waiting for the database at start-up without refusing to start.

A bot whose database is briefly unreachable when it starts (PostgreSQL restarting, a network rule not yet applied,
containers starting in any order) keeps trying, saying why each time, instead of exiting: `/healthz` answers 503 and
`/api/messages` 503 (so Teams retries and the load balancer sends nothing) until the schema is up to date.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from contextlib import suppress

from sqlalchemy.ext.asyncio import AsyncEngine
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception, wait_exponential

from bot.store.database import is_unreachable, migrate_to_latest

logger = logging.getLogger(__name__)

FIRST_WAIT_SECONDS = 1.0
LONGEST_WAIT_SECONDS = 30.0


def _reason(error: BaseException) -> str:
    """The error's kind and, for network errors, the OS's words; never the URL, which may carry a password."""
    cause = getattr(error, "orig", None) or error
    words = getattr(cause, "strerror", None)
    return f"{type(cause).__name__}: {words}" if words else type(cause).__name__


class DatabaseReadiness:
    """Migrates the database in the background, retrying until it succeeds; `ready` says whether it has."""

    def __init__(
        self,
        engine: AsyncEngine,
        described_as: str,
        *,
        migrate: Callable[[AsyncEngine], Awaitable[None]] = migrate_to_latest,
    ) -> None:
        self._engine = engine
        self._described_as = described_as
        self._migrate = migrate
        self._ready = False
        self._task: asyncio.Task[None] | None = None

    @property
    def ready(self) -> bool:
        return self._ready

    async def try_once(self) -> None:
        """Migrates now; if the database does not answer, says why and keeps trying in the background."""
        try:
            await self._migrate(self._engine)
        except Exception as error:
            if not is_unreachable(error):
                raise
            self._say_why(error, FIRST_WAIT_SECONDS)
            self._task = asyncio.create_task(self._bring_up(), name="database readiness")
            return
        self._ready = True

    async def stop(self) -> None:
        if self._task is not None and not self._task.done():
            self._task.cancel()
            with suppress(asyncio.CancelledError):
                await self._task

    async def _bring_up(self) -> None:
        retrying = AsyncRetrying(
            retry=retry_if_exception(is_unreachable),
            wait=wait_exponential(multiplier=FIRST_WAIT_SECONDS, min=FIRST_WAIT_SECONDS, max=LONGEST_WAIT_SECONDS),
            before=self._wait_first,
            before_sleep=self._say_why_retrying,
            reraise=True,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    await self._migrate(self._engine)
        except Exception as error:
            logger.critical(
                "database %s was reached but could not be brought up to date (%s); the bot answers 503 until it "
                "is restarted with that fixed",
                self._described_as,
                _reason(error),
            )
            return
        self._ready = True
        logger.info("database ready: %s", self._described_as)

    async def _wait_first(self, state: RetryCallState) -> None:
        if state.attempt_number == 1:
            await asyncio.sleep(FIRST_WAIT_SECONDS)

    def _say_why_retrying(self, state: RetryCallState) -> None:
        error = state.outcome.exception() if state.outcome else None
        self._say_why(error, state.next_action.sleep if state.next_action else 0.0)

    def _say_why(self, error: BaseException | None, wait: float) -> None:
        logger.error(
            "database %s is not reachable (%s); trying again in %.0f s. Until then /healthz and /api/messages "
            "answer 503.",
            self._described_as,
            _reason(error) if error else "unknown",
            wait,
        )
