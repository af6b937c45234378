"""Disconnection entries. One automatic entry per drop, whichever instance of the bot noticed it first."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.disconnections import Disconnection, DisconnectionSource, Drop, Notice
from bot.store.models import Base, DisconnectionRecord
from bot.store.times import utc
from bot.store.upsert import insert_ignoring_duplicates

_DISCONNECTIONS = Base.metadata.tables[DisconnectionRecord.__tablename__]


class SqlDisconnectionLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record_drop(self, session_id: int, drop: Drop, notice: Notice) -> int | None:
        """The new entry's id, or None if this drop was already recorded (by this or another instance)."""
        values = {
            "session_id": session_id,
            "aad_object_id": drop.aad_object_id,
            "display_name": drop.display_name,
            "disconnected_at": drop.left_at,
            "source": DisconnectionSource.AUTOMATIC.value,
            "notice": notice.value,
            "recorded_at": datetime.now(UTC),
        }
        async with self._sessions.begin() as session:
            statement = insert_ignoring_duplicates(
                session.get_bind().dialect.name,
                _DISCONNECTIONS,
                [values],
                key=["session_id", "aad_object_id", "disconnected_at", "source"],
            ).returning(_DISCONNECTIONS.c.id)
            new_id: int | None = await session.scalar(statement)
            return new_id

    async def set_notice(self, disconnection_id: int, notice: Notice) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(DisconnectionRecord)
                .where(DisconnectionRecord.id == disconnection_id)
                .values(notice=notice.value)
            )

    async def for_session(self, session_id: int) -> list[Disconnection]:
        async with self._sessions() as session:
            result = await session.scalars(
                select(DisconnectionRecord)
                .where(DisconnectionRecord.session_id == session_id)
                .order_by(DisconnectionRecord.disconnected_at, DisconnectionRecord.id)
            )
            return [
                Disconnection(
                    id=row.id,
                    session_id=row.session_id,
                    aad_object_id=row.aad_object_id,
                    display_name=row.display_name,
                    disconnected_at=utc(row.disconnected_at),
                    source=DisconnectionSource(row.source),
                    notice=Notice(row.notice),
                )
                for row in result
            ]
