"""Drop-out entries and summary claims on SQLite and PostgreSQL: once each, whatever races or restarts."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.disconnections import DisconnectionSource, Drop, Notice
from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, Participant
from bot.domain.sessions import StartSource, SummaryStatus
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.meetings import SqlMeetingRecords
from bot.store.models import Base

PLACE = MeetingPlace(meeting_id="meeting-1", conversation_id="19:meeting_x@thread.v2", tenant_id="tenant-1")
START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
DROP = Drop("aad-jo", "29:jo", "Jo", MeetingRole.ATTENDEE, START + timedelta(minutes=31), still_away=True)


def _schema_differences(connection: Connection) -> list[object]:
    return list(compare_metadata(MigrationContext.configure(connection), Base.metadata))


async def test_the_migrations_build_exactly_the_models(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        differences = await connection.run_sync(_schema_differences)
    assert differences == []


async def test_a_drop_is_recorded_once_however_many_instances_notice_it(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    session = await SqlMeetingRecords(sessions).start_session(PLACE, START, StartSource.EVENT)
    log = SqlDisconnectionLog(sessions)
    ids = await asyncio.gather(*(log.record_drop(session.id, DROP, Notice.PENDING) for _ in range(12)))
    winners = [entry for entry in ids if entry is not None]
    assert len(winners) == 1
    await log.set_notice(winners[0], Notice.SENT)
    [entry] = await log.for_session(session.id)
    assert (entry.aad_object_id, entry.disconnected_at, entry.source, entry.notice) == (
        "aad-jo",
        DROP.left_at,
        DisconnectionSource.AUTOMATIC,
        Notice.SENT,
    )


async def test_attendance_keeps_the_teams_user_id(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    jo = Participant("aad-jo", "29:jo", "Jo", MeetingRole.ATTENDEE)
    await records.record_attendance(session.id, AttendanceKind.JOINED, (jo,), START, "delivery-1")
    [event] = await records.attendance(session.id)
    assert (event.teams_user_id, event.role, event.at) == ("29:jo", MeetingRole.ATTENDEE, START)


async def test_a_summary_is_claimed_by_one_caller_and_settled_once(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    now = START + timedelta(hours=2)
    assert await records.sessions_awaiting_summary(ended_before=now, claimed_before=now) == [], "still running"
    await records.end_session(PLACE, START + timedelta(minutes=84))
    assert await records.sessions_awaiting_summary(ended_before=now, claimed_before=now) == [session.id]

    claims = await asyncio.gather(
        *(records.claim_summary(session.id, now=now, claimed_before=now - timedelta(minutes=5)) for _ in range(10))
    )
    assert claims.count(True) == 1
    assert await records.sessions_awaiting_summary(ended_before=now, claimed_before=now - timedelta(minutes=5)) == []

    later = now + timedelta(minutes=10)
    assert await records.claim_summary(session.id, now=later, claimed_before=later - timedelta(minutes=5)), (
        "a claim left by an instance that stopped is taken over"
    )
    await records.settle_summary(session.id, SummaryStatus.KEPT)
    settled = await records.session(session.id)
    assert settled is not None
    assert settled.summary_status is SummaryStatus.KEPT
    assert await records.sessions_awaiting_summary(ended_before=later, claimed_before=later) == []


async def test_sessions_to_follow_up_leave_old_and_abandoned_ones_alone(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    old = await records.start_session(PLACE, START, StartSource.EVENT)
    await records.end_session(PLACE, START + timedelta(hours=1))
    other = MeetingPlace("meeting-2", "19:meeting_y@thread.v2", "tenant-1")
    running = await records.start_session(other, START + timedelta(hours=3), StartSource.EVENT)
    now = START + timedelta(hours=3, minutes=30)
    found = await records.sessions_to_follow_up(
        ended_since=now - timedelta(minutes=15), started_since=now - timedelta(hours=12)
    )
    assert [session.id for session in found] == [running.id]
    assert old.id != running.id
    abandoned = await records.sessions_to_follow_up(ended_since=now, started_since=now)
    assert abandoned == [], "an open session older than the limit lost its end event: not followed up"
