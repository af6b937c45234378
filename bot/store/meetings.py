"""Meeting sessions and attendance, stored so that every instance of the bot agrees on them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.meetings import AttendanceKind, MeetingPlace, Participant
from bot.domain.sessions import MeetingSession, OpenSessionVerdict, StartSource, judge_start
from bot.store.models import AttendanceRecord, Base, MeetingSessionRecord
from bot.store.upsert import insert_ignoring_duplicates

_SESSIONS = Base.metadata.tables[MeetingSessionRecord.__tablename__]
_ATTENDANCE = Base.metadata.tables[AttendanceRecord.__tablename__]
_ATTEMPTS = 3


def _session(record: MeetingSessionRecord) -> MeetingSession:
    return MeetingSession(
        id=record.id,
        meeting_id=record.meeting_id,
        conversation_id=record.conversation_id,
        started_at=_utc(record.started_at),
        start_source=StartSource(record.start_source),
        ended_at=_utc(record.ended_at) if record.ended_at else None,
        card_posted=record.card_posted_at is not None,
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands times back without a zone; every time the bot stores is UTC."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


class SqlMeetingRecords:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def start_session(self, place: MeetingPlace, started_at: datetime, source: StartSource) -> MeetingSession:
        """The session this start belongs to, opening one if needed. Safe against repeats and concurrent deliveries."""
        for _ in range(_ATTEMPTS):
            async with self._sessions.begin() as session:
                if source is StartSource.EVENT:
                    seen = await session.scalar(
                        select(MeetingSessionRecord).where(
                            MeetingSessionRecord.meeting_id == place.meeting_id,
                            MeetingSessionRecord.started_at == started_at,
                            MeetingSessionRecord.start_source == StartSource.EVENT.value,
                        )
                    )
                    if seen is not None:
                        return _session(seen)  # a repeated delivery, even of a session that has since ended
                current = await self._open(session, place.meeting_id)
                if current is not None:
                    verdict = judge_start(_session(current), started_at, source)
                    if verdict is OpenSessionVerdict.SAME:
                        return _session(current)
                    if verdict is OpenSessionVerdict.ADOPT:
                        current.started_at = started_at
                        current.start_source = source.value
                        return _session(current)
                    current.ended_at = started_at  # its end event never came
                    await session.flush()
                opened = await self._insert_open(session, place, started_at, source)
                if opened is not None:
                    return opened
            # Another delivery opened the session between our read and our insert: read again.
        raise RuntimeError(f"could not settle the open session of meeting {place.meeting_id}")

    async def end_session(self, place: MeetingPlace, ended_at: datetime) -> MeetingSession | None:
        async with self._sessions.begin() as session:
            current = await self._open(session, place.meeting_id)
            if current is None:
                return None
            current.ended_at = max(ended_at, _utc(current.started_at))
            await session.flush()
            return _session(current)

    async def latest_session(self, meeting_id: str) -> MeetingSession | None:
        async with self._sessions() as session:
            record = await session.scalar(
                select(MeetingSessionRecord)
                .where(MeetingSessionRecord.meeting_id == meeting_id)
                .order_by(MeetingSessionRecord.started_at.desc(), MeetingSessionRecord.id.desc())
                .limit(1)
            )
        return _session(record) if record is not None else None

    async def claim_card(self, session_id: int) -> bool:
        """True for exactly one caller per session: the one that may post the start card."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(MeetingSessionRecord)
                .where(MeetingSessionRecord.id == session_id, MeetingSessionRecord.card_posted_at.is_(None))
                .values(card_posted_at=datetime.now(UTC))
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def release_card(self, session_id: int) -> None:
        """The claimed card could not be posted: let the next event or fallback try again."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(MeetingSessionRecord).where(MeetingSessionRecord.id == session_id).values(card_posted_at=None)
            )

    async def record_attendance(
        self,
        session_id: int,
        kind: AttendanceKind,
        participants: tuple[Participant, ...],
        at: datetime,
        delivery_id: str,
    ) -> None:
        if not participants:
            return
        rows = [
            {
                "session_id": session_id,
                "aad_object_id": participant.aad_object_id,
                "display_name": participant.display_name,
                "role": participant.role.value,
                "kind": kind.value,
                "at": at,
                "delivery_id": delivery_id,
            }
            for participant in participants
        ]
        async with self._sessions.begin() as session:
            await session.execute(
                insert_ignoring_duplicates(
                    session.get_bind().dialect.name,
                    _ATTENDANCE,
                    rows,
                    key=["session_id", "delivery_id", "aad_object_id", "kind"],
                )
            )

    async def attendance(self, session_id: int) -> list[AttendanceRecord]:
        async with self._sessions() as session:
            result = await session.scalars(
                select(AttendanceRecord)
                .where(AttendanceRecord.session_id == session_id)
                .order_by(AttendanceRecord.at, AttendanceRecord.id)
            )
            return list(result)

    @staticmethod
    async def _open(session: AsyncSession, meeting_id: str) -> MeetingSessionRecord | None:
        statement = select(MeetingSessionRecord).where(
            MeetingSessionRecord.meeting_id == meeting_id, MeetingSessionRecord.ended_at.is_(None)
        )
        if session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update()
        record: MeetingSessionRecord | None = await session.scalar(statement)
        return record

    @staticmethod
    async def _insert_open(
        session: AsyncSession, place: MeetingPlace, started_at: datetime, source: StartSource
    ) -> MeetingSession | None:
        values = {
            "meeting_id": place.meeting_id,
            "conversation_id": place.conversation_id,
            "tenant_id": place.tenant_id,
            "started_at": started_at,
            "start_source": source.value,
            "created_at": datetime.now(UTC),
        }
        statement = insert_ignoring_duplicates(
            session.get_bind().dialect.name,
            _SESSIONS,
            [values],
            key=["meeting_id"],
            where=text("ended_at IS NULL"),
        ).returning(_SESSIONS.c.id)
        new_id = await session.scalar(statement)
        if new_id is None:
            return None
        return MeetingSession(
            id=new_id,
            meeting_id=place.meeting_id,
            conversation_id=place.conversation_id,
            started_at=started_at,
            start_source=source,
            ended_at=None,
            card_posted=False,
        )
