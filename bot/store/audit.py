"""The audit of chair commands."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.chairs import AuditEntry, AuditOutcome, ChairBasis
from bot.store.models import ChairAuditRecord
from bot.store.times import utc


class SqlChairAudit:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, entry: AuditEntry) -> None:
        async with self._sessions.begin() as session:
            session.add(
                ChairAuditRecord(
                    at=entry.at,
                    command=entry.command,
                    outcome=entry.outcome.value,
                    basis=entry.basis.value if entry.basis else None,
                    aad_object_id=entry.aad_object_id,
                    meeting_id=entry.meeting_id,
                    conversation_id=entry.conversation_id,
                )
            )

    async def entries(self, meeting_id: str | None = None) -> list[AuditEntry]:
        statement = select(ChairAuditRecord).order_by(ChairAuditRecord.at, ChairAuditRecord.id)
        if meeting_id is not None:
            statement = statement.where(ChairAuditRecord.meeting_id == meeting_id)
        async with self._sessions() as session:
            rows = await session.scalars(statement)
            return [
                AuditEntry(
                    at=utc(row.at),
                    command=row.command,
                    outcome=AuditOutcome(row.outcome),
                    aad_object_id=row.aad_object_id,
                    meeting_id=row.meeting_id,
                    conversation_id=row.conversation_id,
                    basis=ChairBasis(row.basis) if row.basis else None,
                )
                for row in rows
            ]
