"""Disconnection entries: one automatic entry per drop whichever instance noticed it first, and chair entries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.clock import Clock, utc_now
from bot.domain.disconnections import (
    ChairEntry,
    Disconnection,
    DisconnectionSource,
    Drop,
    LogOutcome,
    Notice,
    UndoOutcome,
)
from bot.store.models import Base, DisconnectionRecord, MeetingSessionRecord
from bot.store.times import utc
from bot.store.upsert import insert_ignoring_duplicates

_DISCONNECTIONS = Base.metadata.tables[DisconnectionRecord.__tablename__]


def _entry(row: DisconnectionRecord) -> Disconnection:
    return Disconnection(
        id=row.id,
        session_id=row.session_id,
        aad_object_id=row.aad_object_id,
        display_name=row.display_name,
        disconnected_at=utc(row.disconnected_at),
        source=DisconnectionSource(row.source),
        notice=Notice(row.notice),
        recorded_at=utc(row.recorded_at),
        logged_by=row.logged_by,
        emailed_chair=row.emailed_chair,
        note=row.note,
        undone_at=utc(row.undone_at) if row.undone_at else None,
        undone_by=row.undone_by,
    )


@dataclass(frozen=True, slots=True)
class ExportedEntry:
    """An entry with the meeting it belongs to, for business support's export."""

    meeting_id: str
    session_started_at: datetime
    entry: Disconnection


class SqlDisconnectionLog:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    async def record_drop(self, session_id: int, drop: Drop, notice: Notice) -> int | None:
        """The new entry's id, or None if this drop was already recorded (by this or another instance)."""
        values = {
            "session_id": session_id,
            "aad_object_id": drop.aad_object_id,
            "display_name": drop.display_name,
            "disconnected_at": drop.left_at,
            "source": DisconnectionSource.AUTOMATIC.value,
            "notice": notice.value,
            "recorded_at": self._clock(),
        }
        async with self._sessions.begin() as session:
            statement = insert_ignoring_duplicates(
                session.get_bind().dialect.name,
                _DISCONNECTIONS,
                [values],
                key=["session_id", "aad_object_id", "disconnected_at"],
                where=text("source = 'automatic'"),
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

    async def log_by_chair(self, entry: ChairEntry, now: datetime) -> tuple[LogOutcome, Disconnection]:
        """Log a chair's entry, unless this request already did or the same entry is in the log; with the entry."""
        try:
            async with self._sessions.begin() as session:
                earlier = await self._earlier(session, entry)
                if earlier is not None:
                    return earlier
                row = DisconnectionRecord(
                    session_id=entry.session_id,
                    aad_object_id=entry.aad_object_id,
                    display_name=entry.display_name,
                    disconnected_at=entry.disconnected_at,
                    source=DisconnectionSource.CHAIR.value,
                    notice=Notice.NOT_SENT.value,
                    recorded_at=now,
                    request_key=entry.request_key,
                    logged_by=entry.logged_by,
                    emailed_chair=entry.emailed_chair,
                    note=entry.note,
                )
                session.add(row)
                await session.flush()
                return LogOutcome.LOGGED, _entry(row)
        except IntegrityError:
            # The same request, delivered twice at once, was logged by the other delivery.
            async with self._sessions() as session:
                repeated = await self._earlier(session, entry)
            if repeated is None:
                raise
            return repeated

    async def _earlier(self, session: AsyncSession, entry: ChairEntry) -> tuple[LogOutcome, Disconnection] | None:
        same_request = await session.scalar(
            select(DisconnectionRecord).where(DisconnectionRecord.request_key == entry.request_key)
        )
        if same_request is not None:
            return LogOutcome.REPEATED_REQUEST, _entry(same_request)
        same_entry = await session.scalar(
            select(DisconnectionRecord)
            .where(
                DisconnectionRecord.session_id == entry.session_id,
                DisconnectionRecord.aad_object_id == entry.aad_object_id,
                DisconnectionRecord.disconnected_at == entry.disconnected_at,
                DisconnectionRecord.source == DisconnectionSource.CHAIR.value,
                DisconnectionRecord.undone_at.is_(None),
            )
            .limit(1)
        )
        return (LogOutcome.ALREADY_LOGGED, _entry(same_entry)) if same_entry is not None else None

    async def undo(self, disconnection_id: int, chair_aad_object_id: str, now: datetime) -> UndoOutcome:
        """Mark a chair's entry undone, by the chair who logged it. The entry stays, with who undid it and when."""
        async with self._sessions.begin() as session:
            row = await session.get(DisconnectionRecord, disconnection_id)
            if row is None:
                return UndoOutcome.NOT_FOUND
            if row.source != DisconnectionSource.CHAIR.value or (row.logged_by or "") != chair_aad_object_id.lower():
                return UndoOutcome.NOT_YOURS
            if row.undone_at is not None:
                return UndoOutcome.ALREADY_UNDONE
            row.undone_at = now
            row.undone_by = chair_aad_object_id.lower()
            return UndoOutcome.UNDONE

    async def entry(self, disconnection_id: int) -> Disconnection | None:
        async with self._sessions() as session:
            row = await session.get(DisconnectionRecord, disconnection_id)
            return _entry(row) if row is not None else None

    async def for_session(self, session_id: int) -> list[Disconnection]:
        async with self._sessions() as session:
            result = await session.scalars(
                select(DisconnectionRecord)
                .where(DisconnectionRecord.session_id == session_id)
                .order_by(DisconnectionRecord.disconnected_at, DisconnectionRecord.id)
            )
            return [_entry(row) for row in result]

    async def for_export(self, *, meeting_id: str | None = None, since: datetime | None = None) -> list[ExportedEntry]:
        """Every entry of one meeting's sessions, or of sessions started since a moment, oldest first."""
        statement = select(DisconnectionRecord, MeetingSessionRecord).join(
            MeetingSessionRecord, MeetingSessionRecord.id == DisconnectionRecord.session_id
        )
        if meeting_id is not None:
            statement = statement.where(MeetingSessionRecord.meeting_id == meeting_id)
        if since is not None:
            statement = statement.where(MeetingSessionRecord.started_at >= since)
        statement = statement.order_by(
            MeetingSessionRecord.started_at, DisconnectionRecord.disconnected_at, DisconnectionRecord.id
        )
        async with self._sessions() as session:
            rows = (await session.execute(statement)).all()
        return [
            ExportedEntry(meeting_id=meeting.meeting_id, session_started_at=utc(meeting.started_at), entry=_entry(row))
            for row, meeting in rows
        ]
