"""Who has been shown the expectations on their meeting stage, per session: each person claimed by exactly one
delivery (whichever instance, whichever redelivery of the join event), then settled with what Teams said."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.stage import StageOutcome, StageRecipient
from bot.store.models import Base, MeetingSessionRecord, StageNoticeRecord
from bot.store.upsert import insert_ignoring_duplicates

_STAGE_NOTICES = Base.metadata.tables[StageNoticeRecord.__tablename__]


class SqlStageNotices:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def claim(
        self, session_id: int, people: Sequence[StageRecipient], *, now: datetime, claimed_before: datetime
    ) -> list[StageRecipient]:
        """The people this caller may show the expectations to now: those nobody has claimed, and those whose claim
        is older than `claimed_before` and was never settled (its holder stopped before sending)."""
        if not people:
            return []
        wanted = {person.aad_object_id: person for person in people}
        table = _STAGE_NOTICES
        async with self._sessions.begin() as session:
            rows = [
                {"session_id": session_id, "aad_object_id": aad, "teams_user_id": p.teams_user_id, "claimed_at": now}
                for aad, p in wanted.items()
            ]
            insert = insert_ignoring_duplicates(
                session.get_bind().dialect.name, table, rows, key=["session_id", "aad_object_id"]
            ).returning(table.c.aad_object_id)
            claimed = set((await session.execute(insert)).scalars())
            taken_over = await session.execute(
                update(StageNoticeRecord)
                .where(
                    StageNoticeRecord.session_id == session_id,
                    StageNoticeRecord.aad_object_id.in_(set(wanted) - claimed),
                    StageNoticeRecord.settled_at.is_(None),
                    StageNoticeRecord.claimed_at < claimed_before,
                )
                .values(claimed_at=now)
                .returning(StageNoticeRecord.aad_object_id)
            )
            claimed |= set(taken_over.scalars())
        return [wanted[aad] for aad in wanted if aad in claimed]

    async def settle(
        self, session_id: int, outcomes: dict[str, tuple[StageOutcome, str | None]], now: datetime
    ) -> None:
        """What Teams said for each person (their Entra id: outcome, error code): never tried again."""
        async with self._sessions.begin() as session:
            for aad_object_id, (outcome, failure) in outcomes.items():
                await session.execute(
                    update(StageNoticeRecord)
                    .where(
                        StageNoticeRecord.session_id == session_id,
                        StageNoticeRecord.aad_object_id == aad_object_id,
                        StageNoticeRecord.settled_at.is_(None),
                    )
                    .values(settled_at=now, outcome=outcome.value, failure=failure)
                )

    async def abandoned(self, *, claimed_before: datetime) -> dict[int, list[StageRecipient]]:
        """Claims never settled and older than `claimed_before`, in sessions still running: by session."""
        async with self._sessions() as session:
            result = await session.execute(
                select(StageNoticeRecord.session_id, StageNoticeRecord.aad_object_id, StageNoticeRecord.teams_user_id)
                .join(MeetingSessionRecord, MeetingSessionRecord.id == StageNoticeRecord.session_id)
                .where(
                    StageNoticeRecord.settled_at.is_(None),
                    StageNoticeRecord.claimed_at < claimed_before,
                    MeetingSessionRecord.ended_at.is_(None),
                )
                .order_by(StageNoticeRecord.session_id, StageNoticeRecord.aad_object_id)
            )
            found: dict[int, list[StageRecipient]] = {}
            for session_id, aad_object_id, teams_user_id in result:
                found.setdefault(session_id, []).append(StageRecipient(aad_object_id, teams_user_id))
            return found

    async def outcomes(self, session_id: int) -> dict[str, StageOutcome | None]:
        """Everyone claimed in a session, and how it went (None: not settled yet). For tests and operators."""
        async with self._sessions() as session:
            result = await session.execute(
                select(StageNoticeRecord.aad_object_id, StageNoticeRecord.outcome).where(
                    StageNoticeRecord.session_id == session_id
                )
            )
            return {aad: StageOutcome(outcome) if outcome else None for aad, outcome in result}
