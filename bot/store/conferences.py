"""Conferences read from calendars, with their invitees and the mailbox copies they were seen in."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.conferences import (
    AttendeeType,
    Conference,
    ConferenceKind,
    Invitee,
    StoredConference,
    SyncPosition,
)
from bot.store.models import (
    Base,
    CalendarEntryRecord,
    ConferenceInviteeRecord,
    ConferenceRecord,
    MailboxSyncRecord,
)
from bot.store.times import utc
from bot.store.upsert import upsert


class SqlConferences:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def position(self, mailbox: str) -> SyncPosition | None:
        async with self._sessions() as session:
            record = await session.get(MailboxSyncRecord, mailbox)
        if record is None:
            return None
        return SyncPosition(record.delta_link, utc(record.window_start), utc(record.window_end))

    async def save_position(self, mailbox: str, position: SyncPosition, now: datetime) -> None:
        values = {
            "mailbox": mailbox,
            "delta_link": position.delta_link,
            "window_start": position.window_start,
            "window_end": position.window_end,
            "synced_at": now,
        }
        async with self._sessions.begin() as session:
            table = Base.metadata.tables[MailboxSyncRecord.__tablename__]
            await session.execute(upsert(session.get_bind().dialect.name, table, values, key=["mailbox"]))

    async def event_ids(self, mailbox: str, *, starting_from: datetime) -> set[str]:
        """The events of this mailbox the bot knows of, for conferences starting at or after `starting_from`."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(CalendarEntryRecord.event_id)
                .join(ConferenceRecord, ConferenceRecord.id == CalendarEntryRecord.conference_id)
                .where(CalendarEntryRecord.mailbox == mailbox, ConferenceRecord.start_at >= starting_from)
            )
            return set(rows)

    async def save(self, mailbox: str, event_id: str, conference: Conference, now: datetime) -> int:
        """Keep the conference as the calendar now shows it (one row per iCalUId, whichever mailbox showed it) and
        note this mailbox's copy. The meeting chat, once found, is kept."""
        values = {
            "ical_uid": conference.key,
            "kind": conference.kind.value,
            "start_at": conference.start,
            "end_at": conference.end,
            "join_url": conference.join_url,
            "chat_id": conference.chat_id,
            "organiser_email": conference.organiser.email if conference.organiser else None,
            "organiser_name": conference.organiser.name if conference.organiser else None,
            "cancelled": conference.cancelled,
            "updated_at": now,
        }
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            conferences = Base.metadata.tables[ConferenceRecord.__tablename__]
            await session.execute(
                upsert(dialect, conferences, values, key=["ical_uid"], keep_unless_given=("chat_id",))
            )
            conference_id = (
                await session.execute(select(ConferenceRecord.id).where(ConferenceRecord.ical_uid == conference.key))
            ).scalar_one()
            await session.execute(
                delete(ConferenceInviteeRecord).where(ConferenceInviteeRecord.conference_id == conference_id)
            )
            invitees = {person.email: person for person in conference.invitees if person.email}
            session.add_all(
                ConferenceInviteeRecord(
                    conference_id=conference_id, email=person.email, name=person.name, attendance=person.attendance
                )
                for person in invitees.values()
            )
            entries = Base.metadata.tables[CalendarEntryRecord.__tablename__]
            entry = {"mailbox": mailbox, "event_id": event_id, "conference_id": conference_id}
            await session.execute(upsert(dialect, entries, entry, key=["mailbox", "event_id"]))
        return conference_id

    async def forget(self, mailbox: str, event_id: str, now: datetime) -> int | None:
        """This mailbox no longer has the event. A conference no calendar shows any more is cancelled."""
        async with self._sessions.begin() as session:
            conference_id: int | None = await session.scalar(
                delete(CalendarEntryRecord)
                .where(CalendarEntryRecord.mailbox == mailbox, CalendarEntryRecord.event_id == event_id)
                .returning(CalendarEntryRecord.conference_id)
            )
            if conference_id is None:
                return None
            copies = await session.scalar(
                select(func.count()).where(CalendarEntryRecord.conference_id == conference_id)
            )
            if not copies:
                await session.execute(
                    update(ConferenceRecord)
                    .where(ConferenceRecord.id == conference_id)
                    .values(cancelled=True, updated_at=now)
                )
        return conference_id

    async def set_chat(self, conference_id: int, chat_id: str) -> None:
        async with self._sessions.begin() as session:
            await session.execute(
                update(ConferenceRecord).where(ConferenceRecord.id == conference_id).values(chat_id=chat_id)
            )

    async def conference(self, conference_id: int) -> StoredConference | None:
        async with self._sessions() as session:
            record = await session.get(ConferenceRecord, conference_id)
            if record is None:
                return None
            invitees = await session.scalars(
                select(ConferenceInviteeRecord)
                .where(ConferenceInviteeRecord.conference_id == conference_id)
                .order_by(ConferenceInviteeRecord.email)
            )
            return StoredConference(record.id, _conference(record, list(invitees)))

    async def upcoming(
        self, *, after: datetime, before: datetime, chat_id: str | None = None
    ) -> list[StoredConference]:
        """Conferences not cancelled that start in [after, before) (in one meeting chat, if given), soonest first."""
        query = select(ConferenceRecord).where(
            ConferenceRecord.cancelled.is_(False),
            ConferenceRecord.start_at >= after,
            ConferenceRecord.start_at < before,
        )
        if chat_id is not None:
            query = query.where(ConferenceRecord.chat_id == chat_id)
        async with self._sessions() as session:
            records = list(await session.scalars(query.order_by(ConferenceRecord.start_at, ConferenceRecord.id)))
            invitees: dict[int, list[ConferenceInviteeRecord]] = defaultdict(list)
            for invitee in await session.scalars(
                select(ConferenceInviteeRecord).where(
                    ConferenceInviteeRecord.conference_id.in_([record.id for record in records])
                )
            ):
                invitees[invitee.conference_id].append(invitee)
        return [StoredConference(record.id, _conference(record, invitees[record.id])) for record in records]


def _conference(record: ConferenceRecord, invitees: list[ConferenceInviteeRecord]) -> Conference:
    organiser = (
        Invitee(record.organiser_email, record.organiser_name or "", AttendeeType.REQUIRED)
        if record.organiser_email
        else None
    )
    return Conference(
        key=record.ical_uid,
        kind=ConferenceKind(record.kind),
        start=utc(record.start_at),
        end=utc(record.end_at),
        join_url=record.join_url,
        organiser=organiser,
        invitees=tuple(
            Invitee(invitee.email, invitee.name, AttendeeType(invitee.attendance))
            for invitee in sorted(invitees, key=lambda i: i.email)
        ),
        cancelled=record.cancelled,
        chat_id=record.chat_id,
    )
