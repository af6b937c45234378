"""Chairs' decisions to proceed while inquorate: the first for a conference stands, whichever instance records it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.quorum_decisions import ProceedDecision
from bot.store.models import Base, ProceedDecisionRecord
from bot.store.times import utc
from bot.store.upsert import insert_ignoring_duplicates

_DECISIONS = Base.metadata.tables[ProceedDecisionRecord.__tablename__]


def _decision(record: ProceedDecisionRecord) -> ProceedDecision:
    return ProceedDecision(
        conference_id=record.conference_id,
        conversation_id=record.conversation_id,
        decided_at=utc(record.decided_at),
        chair_aad_object_id=record.chair_aad_object_id,
        reason=record.reason,
        missing=tuple(line for line in record.missing.splitlines() if line),
    )


class SqlQuorumDecisions:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def record(self, decision: ProceedDecision) -> tuple[bool, ProceedDecision]:
        """(True, it) when recorded; (False, the one standing) when the conference had one already."""
        row = {
            "conference_id": decision.conference_id,
            "conversation_id": decision.conversation_id,
            "decided_at": decision.decided_at,
            "chair_aad_object_id": decision.chair_aad_object_id,
            "reason": decision.reason,
            "missing": "\n".join(decision.missing),
        }
        async with self._sessions.begin() as session:
            insert = insert_ignoring_duplicates(
                session.get_bind().dialect.name, _DECISIONS, [row], key=["conference_id"]
            ).returning(_DECISIONS.c.conference_id)
            if (await session.execute(insert)).first() is not None:
                return True, decision
            standing = await session.get(ProceedDecisionRecord, decision.conference_id)
            return False, _decision(standing) if standing is not None else decision

    async def of_conference(self, conference_id: int) -> ProceedDecision | None:
        async with self._sessions() as session:
            record = await session.get(ProceedDecisionRecord, conference_id)
            return _decision(record) if record is not None else None

    async def in_chat(self, conversation_id: str, *, since: datetime, until: datetime) -> ProceedDecision | None:
        """The decision recorded for the conference in this meeting chat between `since` and `until`."""
        async with self._sessions() as session:
            record = await session.scalar(
                select(ProceedDecisionRecord)
                .where(
                    ProceedDecisionRecord.conversation_id == conversation_id,
                    ProceedDecisionRecord.decided_at >= since,
                    ProceedDecisionRecord.decided_at <= until,
                )
                .order_by(ProceedDecisionRecord.decided_at)
                .limit(1)
            )
            return _decision(record) if record is not None else None
