"""Meeting sessions and attendance, stored so that every instance of the bot agrees on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute, aliased

from bot.domain.attendance import AttendanceEvent
from bot.domain.clock import Clock, utc_now
from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, Participant
from bot.domain.sessions import MeetingSession, OpenSessionVerdict, StartSource, SummaryStatus, judge_start
from bot.store.models import AttendanceRecord, Base, MeetingSessionRecord
from bot.store.times import utc
from bot.store.upsert import insert_ignoring_duplicates

_SESSIONS = Base.metadata.tables[MeetingSessionRecord.__tablename__]
_ATTENDANCE = Base.metadata.tables[AttendanceRecord.__tablename__]
_ATTEMPTS = 3


def _session(record: MeetingSessionRecord) -> MeetingSession:
    return MeetingSession(
        id=record.id,
        meeting_id=record.meeting_id,
        conversation_id=record.conversation_id,
        started_at=utc(record.started_at),
        start_source=StartSource(record.start_source),
        ended_at=utc(record.ended_at) if record.ended_at else None,
        card_posted=record.card_posted_at is not None,
        summary_status=SummaryStatus(record.summary_status) if record.summary_status else None,
        card_posted_at=utc(record.card_posted_at) if record.card_posted_at else None,
    )


class SqlMeetingRecords:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

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
            current.ended_at = max(ended_at, utc(current.started_at))
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

    async def recent_sessions(self, *, started_after: datetime, limit: int) -> list[MeetingSession]:
        later = aliased(MeetingSessionRecord)
        a_later_session = (
            select(later.id)
            .where(
                later.meeting_id == MeetingSessionRecord.meeting_id,
                or_(
                    later.started_at > MeetingSessionRecord.started_at,
                    and_(later.started_at == MeetingSessionRecord.started_at, later.id > MeetingSessionRecord.id),
                ),
            )
            .exists()
        )
        async with self._sessions() as session:
            records = await session.scalars(
                select(MeetingSessionRecord)
                .where(MeetingSessionRecord.started_at > started_after, ~a_later_session)
                .order_by(MeetingSessionRecord.started_at.desc(), MeetingSessionRecord.id.desc())
                .limit(limit)
            )
            return [_session(record) for record in records]

    async def sessions_for_record(
        self, *, meeting_id: str | None = None, since: datetime | None = None
    ) -> list[MeetingSession]:
        """Every session of one meeting, or of meetings started since a moment, oldest first (for the record)."""
        statement = select(MeetingSessionRecord)
        if meeting_id is not None:
            statement = statement.where(MeetingSessionRecord.meeting_id == meeting_id)
        if since is not None:
            statement = statement.where(MeetingSessionRecord.started_at >= since)
        async with self._sessions() as session:
            records = await session.scalars(
                statement.order_by(MeetingSessionRecord.started_at, MeetingSessionRecord.id)
            )
            return [_session(record) for record in records]

    async def claim_card(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool:
        """True for exactly one caller at a time: the one that may post the start card now. A claim made before
        `claimed_before` and never settled was abandoned (its holder stopped mid-post) and is taken over."""
        return await self._claim(
            session_id,
            MeetingSessionRecord.card_claimed_at,
            MeetingSessionRecord.card_posted_at.is_(None),
            now=now,
            claimed_before=claimed_before,
        )

    async def settle_card(self, session_id: int, now: datetime) -> None:
        """The start card was posted: it never is again for this session."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(MeetingSessionRecord)
                .where(MeetingSessionRecord.id == session_id, MeetingSessionRecord.card_posted_at.is_(None))
                .values(card_posted_at=now)
            )

    async def release_card(self, session_id: int) -> None:
        """The claimed card could not be posted: let the next event or fallback try again at once."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(MeetingSessionRecord)
                .where(MeetingSessionRecord.id == session_id, MeetingSessionRecord.card_posted_at.is_(None))
                .values(card_claimed_at=None)
            )

    async def release_abandoned_cards(self) -> int:
        """Every claim on a start card not yet posted, released: for a single instance (SQLite) starting up, whose
        unsettled claims can only be those of its own earlier run, stopped mid-post."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(MeetingSessionRecord)
                .where(MeetingSessionRecord.card_posted_at.is_(None), MeetingSessionRecord.card_claimed_at.is_not(None))
                .values(card_claimed_at=None)
            )
            return int(result.rowcount or 0)  # type: ignore[attr-defined]

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
                "teams_user_id": participant.teams_user_id,
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

    async def attendance(self, session_id: int) -> list[AttendanceEvent]:
        async with self._sessions() as session:
            result = await session.scalars(
                select(AttendanceRecord)
                .where(AttendanceRecord.session_id == session_id)
                .order_by(AttendanceRecord.at, AttendanceRecord.id)
            )
            return [
                AttendanceEvent(
                    aad_object_id=row.aad_object_id,
                    display_name=row.display_name,
                    role=MeetingRole.parse(row.role),
                    kind=AttendanceKind(row.kind),
                    at=utc(row.at),
                    teams_user_id=row.teams_user_id,
                )
                for row in result
            ]

    async def session(self, session_id: int) -> MeetingSession | None:
        async with self._sessions() as session:
            record = await session.get(MeetingSessionRecord, session_id)
            return _session(record) if record is not None else None

    async def sessions_to_follow_up(self, *, ended_since: datetime, started_since: datetime) -> list[MeetingSession]:
        """Sessions still running (begun after `started_since`, so abandoned ones are left alone) or ended since
        `ended_since`: the ones whose drops may still need following up."""
        async with self._sessions() as session:
            result = await session.scalars(
                select(MeetingSessionRecord)
                .where(
                    or_(
                        and_(
                            MeetingSessionRecord.ended_at.is_(None),
                            MeetingSessionRecord.started_at >= started_since,
                        ),
                        MeetingSessionRecord.ended_at >= ended_since,
                    )
                )
                .order_by(MeetingSessionRecord.id)
            )
            return [_session(record) for record in result]

    async def sessions_awaiting_summary(self, *, ended_before: datetime, claimed_before: datetime) -> list[int]:
        """Ended sessions whose summary is not settled and not being worked on (a claim older than
        `claimed_before` was abandoned, by a crash or a restart)."""
        async with self._sessions() as session:
            result = await session.scalars(
                select(MeetingSessionRecord.id)
                .where(
                    MeetingSessionRecord.ended_at.is_not(None),
                    MeetingSessionRecord.ended_at <= ended_before,
                    MeetingSessionRecord.summary_status.is_(None),
                    or_(
                        MeetingSessionRecord.summary_claimed_at.is_(None),
                        MeetingSessionRecord.summary_claimed_at < claimed_before,
                    ),
                )
                .order_by(MeetingSessionRecord.id)
            )
            return list(result)

    async def sessions_awaiting_chair_card(self, *, started_since: datetime, claimed_before: datetime) -> list[int]:
        async with self._sessions() as session:
            result = await session.scalars(
                select(MeetingSessionRecord.id)
                .where(
                    MeetingSessionRecord.ended_at.is_(None),
                    MeetingSessionRecord.started_at >= started_since,
                    MeetingSessionRecord.chair_card_settled_at.is_(None),
                    or_(
                        MeetingSessionRecord.chair_card_claimed_at.is_(None),
                        MeetingSessionRecord.chair_card_claimed_at < claimed_before,
                    ),
                )
                .order_by(MeetingSessionRecord.id)
            )
            return list(result)

    async def claim_chair_card(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool:
        """True for exactly one caller: the one that may send this session's chairs their cards now."""
        return await self._claim(
            session_id,
            MeetingSessionRecord.chair_card_claimed_at,
            MeetingSessionRecord.chair_card_settled_at.is_(None),
            now=now,
            claimed_before=claimed_before,
        )

    async def settle_chair_card(self, session_id: int, now: datetime) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(MeetingSessionRecord)
                .where(MeetingSessionRecord.id == session_id)
                .values(chair_card_settled_at=now)
            )

    async def claim_summary(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool:
        """True for exactly one caller: the one that may deliver this session's summary now."""
        return await self._claim(
            session_id,
            MeetingSessionRecord.summary_claimed_at,
            MeetingSessionRecord.summary_status.is_(None),
            now=now,
            claimed_before=claimed_before,
        )

    async def _claim(
        self,
        session_id: int,
        claimed_at: InstrumentedAttribute[datetime | None],
        unsettled: ColumnElement[bool],
        *,
        now: datetime,
        claimed_before: datetime,
    ) -> bool:
        """Claim one piece of a session's work (the start card, the summary) while it is `unsettled` and unclaimed, or
        its claim is older than `claimed_before`: one atomic update, so exactly one caller wins."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(MeetingSessionRecord)
                .where(
                    MeetingSessionRecord.id == session_id,
                    unsettled,
                    or_(claimed_at.is_(None), claimed_at < claimed_before),
                )
                .values({claimed_at: now})
            )
            return bool(result.rowcount == 1)  # type: ignore[attr-defined]

    async def settle_summary(self, session_id: int, status: SummaryStatus | None) -> None:
        """Record how the summary went; None hands it back to be tried again later."""
        async with self._sessions.begin() as session:
            values: dict[str, object] = {"summary_status": status.value if status else None}
            if status is None:
                values["summary_claimed_at"] = None
            await session.execute(
                update(MeetingSessionRecord).where(MeetingSessionRecord.id == session_id).values(**values)
            )

    @staticmethod
    async def _open(session: AsyncSession, meeting_id: str) -> MeetingSessionRecord | None:
        statement = select(MeetingSessionRecord).where(
            MeetingSessionRecord.meeting_id == meeting_id, MeetingSessionRecord.ended_at.is_(None)
        )
        if session.get_bind().dialect.name == "postgresql":
            statement = statement.with_for_update()
        record: MeetingSessionRecord | None = await session.scalar(statement)
        return record

    async def _insert_open(
        self, session: AsyncSession, place: MeetingPlace, started_at: datetime, source: StartSource
    ) -> MeetingSession | None:
        values = {
            "meeting_id": place.meeting_id,
            "conversation_id": place.conversation_id,
            "tenant_id": place.tenant_id,
            "started_at": started_at,
            "start_source": source.value,
            "created_at": self._clock(),
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
            summary_status=None,
        )
