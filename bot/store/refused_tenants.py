"""The audit of activities from tenants the bot does not serve."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.models import Base, RefusedTenantRecord
from bot.store.times import utc
from bot.store.upsert import upsert

NO_TENANT = "(none)"
"""Stored for an activity that named no tenant at all."""


@dataclass(frozen=True, slots=True)
class RefusedTenantDay:
    day: date
    tenant_id: str
    activities: int
    first_at: datetime
    last_at: datetime


class SqlRefusedTenants:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, tenant_id: str | None, at: datetime) -> None:
        table = Base.metadata.tables[RefusedTenantRecord.__tablename__]
        async with self._sessions.begin() as session:
            statement = upsert(
                session.get_bind().dialect.name,
                table,
                {
                    "day": at.date(),
                    "tenant_id": (tenant_id or NO_TENANT)[:64],
                    "activities": 1,
                    "first_at": at,
                    "last_at": at,
                },
                key=["day", "tenant_id"],
                increment=("activities",),
                earliest=("first_at",),
                latest=("last_at",),
            )
            await session.execute(statement)

    async def days(self) -> list[RefusedTenantDay]:
        async with self._sessions() as session:
            rows = await session.scalars(
                select(RefusedTenantRecord).order_by(RefusedTenantRecord.day, RefusedTenantRecord.tenant_id)
            )
            return [
                RefusedTenantDay(row.day, row.tenant_id, row.activities, utc(row.first_at), utc(row.last_at))
                for row in rows
            ]
