"""Leases in the database: one holder at a time per name, taken over once the holder stops renewing it.

A conditional UPDATE (or the first INSERT) decides, so it works the same on SQLite and PostgreSQL without
database-specific locks, and a crashed holder costs no more than one lease period.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, or_, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.store.models import Base, LeaseRecord
from bot.store.upsert import insert_ignoring_duplicates

_TABLE = Base.metadata.tables[LeaseRecord.__tablename__]


class SqlLeases:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def acquire(self, name: str, holder: str, now: datetime, *, lasting: timedelta) -> bool:
        """Take or renew the lease `name` for `holder` until now + `lasting`; False while someone else holds it."""
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            row = {"name": name, "holder": holder, "expires_at": now + lasting}
            inserted = await session.execute(insert_ignoring_duplicates(dialect, _TABLE, [row], key=["name"]))
            if getattr(inserted, "rowcount", 0) == 1:
                return True
            renewed = await session.execute(
                update(LeaseRecord)
                .where(
                    LeaseRecord.name == name,
                    or_(LeaseRecord.holder == holder, LeaseRecord.expires_at < now),
                )
                .values(holder=holder, expires_at=now + lasting)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(renewed, "rowcount", 0) == 1)

    async def release(self, name: str, holder: str) -> None:
        """Give the lease up (when the holder stops cleanly), so another instance need not wait for it to lapse."""
        async with self._sessions.begin() as session:
            await session.execute(delete(LeaseRecord).where(LeaseRecord.name == name, LeaseRecord.holder == holder))
