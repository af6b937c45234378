"""Leases on SQLite and PostgreSQL: one holder at a time, renewed by its holder, taken over once it lapses."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.database import session_factory
from bot.store.leases import SqlLeases

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


async def test_one_holder_at_a_time_until_the_lease_lapses(engine: AsyncEngine) -> None:
    leases = SqlLeases(session_factory(engine))
    assert await leases.acquire("sync", "a", NOW, lasting=MINUTE)
    assert not await leases.acquire("sync", "b", NOW + timedelta(seconds=30), lasting=MINUTE)
    assert await leases.acquire("sync", "a", NOW + timedelta(seconds=50), lasting=MINUTE), "the holder renews"
    assert not await leases.acquire("sync", "b", NOW + timedelta(seconds=90), lasting=MINUTE), "renewed until 1:50"
    assert await leases.acquire("sync", "b", NOW + timedelta(seconds=111), lasting=MINUTE), "lapsed: taken over"
    assert not await leases.acquire("sync", "a", NOW + timedelta(seconds=112), lasting=MINUTE)
    assert await leases.acquire("other", "a", NOW, lasting=MINUTE), "each name is its own lease"


async def test_instances_racing_for_a_free_lease_give_it_to_one(engine: AsyncEngine) -> None:
    leases = SqlLeases(session_factory(engine))
    won = await asyncio.gather(*(leases.acquire("sync", f"instance-{n}", NOW, lasting=MINUTE) for n in range(8)))
    assert won.count(True) == 1


async def test_a_released_lease_is_free_at_once_and_only_its_holder_can_release_it(engine: AsyncEngine) -> None:
    leases = SqlLeases(session_factory(engine))
    assert await leases.acquire("sync", "a", NOW, lasting=MINUTE)
    await leases.release("sync", "b")
    assert not await leases.acquire("sync", "b", NOW, lasting=MINUTE), "b did not hold it"
    await leases.release("sync", "a")
    assert await leases.acquire("sync", "b", NOW, lasting=MINUTE)
