"""The daily counts of refused tenants, on SQLite and PostgreSQL: one row per tenant per day, however many arrive at
once, purged with everything else after RETENTION_DAYS."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.store.database import session_factory
from bot.store.refused_tenants import NO_TENANT, SqlRefusedTenants
from bot.store.retention import SqlRetention

TENANT = "0b0b0b0b-1111-4222-8333-444444444444"
MORNING = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


async def test_refusals_arriving_together_make_one_count(engine: AsyncEngine) -> None:
    refused = SqlRefusedTenants(session_factory(engine))
    await asyncio.gather(*(refused.record(TENANT, MORNING + timedelta(seconds=n)) for n in range(20)))
    await refused.record(None, MORNING)
    await refused.record(TENANT, MORNING + timedelta(days=1))
    days = await refused.days()
    assert [(d.day.isoformat(), d.tenant_id, d.activities) for d in days] == [
        ("2026-11-24", NO_TENANT, 1),
        ("2026-11-24", TENANT, 20),
        ("2026-11-25", TENANT, 1),
    ]
    assert days[1].first_at == MORNING
    assert days[1].last_at == MORNING + timedelta(seconds=19)


async def test_old_counts_are_purged(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    refused = SqlRefusedTenants(sessions)
    await refused.record(TENANT, MORNING)
    await refused.record(TENANT, MORNING + timedelta(days=40))
    purged = await SqlRetention(sessions).purge(MORNING + timedelta(days=10))
    assert purged.refused_tenant_days == 1
    assert [d.day.isoformat() for d in await refused.days()] == ["2027-01-03"]
