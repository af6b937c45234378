"""Start-up with a database that is not there yet: wait for it when it is unreachable, stop when it refuses."""

from __future__ import annotations

import asyncio
import logging

import pytest
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.store.database import is_unreachable
from bot.web import database_readiness
from bot.web.database_readiness import DatabaseReadiness
from harness.waiting import wait_until


def _wrapped(error: BaseException) -> OperationalError:
    """As SQLAlchemy reports a driver's connection failure."""
    wrapper = OperationalError("connect", {}, error)
    wrapper.__cause__ = error
    return wrapper


@pytest.mark.parametrize(
    "error",
    [ConnectionRefusedError(111, "refused"), TimeoutError(), _wrapped(OSError(113, "no route to host"))],
)
def test_network_failures_are_unreachable(error: BaseException) -> None:
    assert is_unreachable(error)


def test_a_refusal_by_a_reachable_database_is_not() -> None:
    assert not is_unreachable(ProgrammingError("CREATE TABLE", {}, Exception("permission denied for schema public")))


class Attempts:
    def __init__(self, *outcomes: BaseException | None) -> None:
        self.outcomes = list(outcomes)
        self.made = 0

    async def migrate(self, _engine: AsyncEngine) -> None:
        self.made += 1
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome


@pytest.fixture
def engine() -> AsyncEngine:
    return create_async_engine("sqlite+aiosqlite://")


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(database_readiness, "FIRST_WAIT_SECONDS", 0.01)
    monkeypatch.setattr(database_readiness, "LONGEST_WAIT_SECONDS", 0.02)


async def test_an_unreachable_database_is_retried_until_it_answers(engine: AsyncEngine) -> None:
    attempts = Attempts(ConnectionRefusedError(111, "refused"), ConnectionRefusedError(111, "refused"), None)
    readiness = DatabaseReadiness(engine, "test database", migrate=attempts.migrate)
    await readiness.try_once()
    assert not readiness.ready

    async def ready() -> bool:
        return readiness.ready

    await wait_until(ready, within=10, what="the database to be brought up")
    assert attempts.made == 3
    await readiness.stop()


async def test_a_database_that_refuses_the_migration_stops_start_up(engine: AsyncEngine) -> None:
    refusal = ProgrammingError("CREATE TABLE", {}, Exception("permission denied"))
    readiness = DatabaseReadiness(engine, "test database", migrate=Attempts(refusal).migrate)
    with pytest.raises(ProgrammingError):
        await readiness.try_once()


async def test_a_refusal_after_waiting_is_reported_and_the_bot_stays_unready(
    engine: AsyncEngine, caplog: pytest.LogCaptureFixture
) -> None:
    attempts = Attempts(ConnectionRefusedError(111, "refused"), ProgrammingError("x", {}, Exception("denied")))
    readiness = DatabaseReadiness(engine, "test database", migrate=attempts.migrate)
    await readiness.try_once()

    async def gave_up() -> bool:
        return attempts.made == 2 and any(record.levelno == logging.CRITICAL for record in caplog.records)

    await wait_until(gave_up, within=10, what="the refusal to be reported")
    assert not readiness.ready
    await readiness.stop()


async def test_stopping_while_waiting_ends_the_retries(engine: AsyncEngine) -> None:
    attempts = Attempts(*[ConnectionRefusedError(111, "refused")] * 1000)
    readiness = DatabaseReadiness(engine, "test database", migrate=attempts.migrate)
    await readiness.try_once()
    await asyncio.wait_for(readiness.stop(), timeout=5)  # returns once the retrying task has ended
    assert not readiness.ready
