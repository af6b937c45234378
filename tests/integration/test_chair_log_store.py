"""The chair's log, the audit and the retention purge on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.chairs import AuditEntry, AuditOutcome, ChairBasis
from bot.domain.disconnections import ChairEntry, DisconnectionSource, Drop, LogOutcome, Notice, UndoOutcome
from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, Participant
from bot.domain.sessions import StartSource
from bot.store.audit import SqlChairAudit
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.meetings import SqlMeetingRecords
from bot.store.retention import SqlRetention

PLACE = MeetingPlace(meeting_id="meeting-1", conversation_id="19:meeting_x@thread.v2", tenant_id="tenant-1")
OTHER_PLACE = MeetingPlace(meeting_id="meeting-2", conversation_id="19:meeting_y@thread.v2", tenant_id="tenant-1")
START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
NOW = START + timedelta(minutes=50)


def _entry(session_id: int, request_key: str = "f-1", minutes: int = 42) -> ChairEntry:
    return ChairEntry(
        session_id=session_id,
        aad_object_id="aad-jo",
        display_name="Jo Evans",
        disconnected_at=START + timedelta(minutes=minutes),
        logged_by="aad-chair",
        emailed_chair=True,
        note="lost connection, e-mailed",
        request_key=request_key,
    )


async def _session(engine: AsyncEngine, place: MeetingPlace = PLACE, start: datetime = START) -> int:
    return (await SqlMeetingRecords(session_factory(engine)).start_session(place, start, StartSource.EVENT)).id


async def test_a_request_logs_one_entry_and_the_same_entry_is_not_logged_twice(engine: AsyncEngine) -> None:
    log = SqlDisconnectionLog(session_factory(engine))
    session_id = await _session(engine)
    outcome, logged = await log.log_by_chair(_entry(session_id), NOW)
    assert outcome is LogOutcome.LOGGED
    assert (logged.source, logged.logged_by, logged.emailed_chair, logged.note) == (
        DisconnectionSource.CHAIR,
        "aad-chair",
        True,
        "lost connection, e-mailed",
    )
    again, same = await log.log_by_chair(_entry(session_id), NOW)
    assert (again, same.id) == (LogOutcome.REPEATED_REQUEST, logged.id)
    retyped, same_entry = await log.log_by_chair(_entry(session_id, request_key="m-2"), NOW)
    assert (retyped, same_entry.id) == (LogOutcome.ALREADY_LOGGED, logged.id)
    assert len(await log.for_session(session_id)) == 1


async def test_one_request_delivered_many_times_at_once_logs_once(engine: AsyncEngine) -> None:
    log = SqlDisconnectionLog(session_factory(engine))
    session_id = await _session(engine)
    results = await asyncio.gather(*(log.log_by_chair(_entry(session_id), NOW) for _ in range(8)))
    assert sorted(outcome.value for outcome, _ in results).count(LogOutcome.LOGGED.value) == 1
    assert len({entry.id for _, entry in results}) == 1
    assert len(await log.for_session(session_id)) == 1


async def test_undo_is_recorded_by_the_chair_who_logged_and_the_entry_can_be_logged_again(engine: AsyncEngine) -> None:
    log = SqlDisconnectionLog(session_factory(engine))
    session_id = await _session(engine)
    _, logged = await log.log_by_chair(_entry(session_id), NOW)
    assert await log.undo(logged.id, "aad-someone-else", NOW) is UndoOutcome.NOT_YOURS
    assert await log.undo(logged.id, "AAD-CHAIR", NOW + timedelta(minutes=1)) is UndoOutcome.UNDONE
    assert await log.undo(logged.id, "aad-chair", NOW) is UndoOutcome.ALREADY_UNDONE
    assert await log.undo(99999, "aad-chair", NOW) is UndoOutcome.NOT_FOUND
    undone = await log.entry(logged.id)
    assert undone is not None
    assert (undone.undone_at, undone.undone_by) == (NOW + timedelta(minutes=1), "aad-chair")
    outcome, relogged = await log.log_by_chair(_entry(session_id, request_key="f-2"), NOW)
    assert outcome is LogOutcome.LOGGED
    assert relogged.id != logged.id
    assert len(await log.for_session(session_id)) == 2, "the undone entry is kept"


async def test_automatic_entries_cannot_be_undone_and_still_come_once_per_drop(engine: AsyncEngine) -> None:
    log = SqlDisconnectionLog(session_factory(engine))
    session_id = await _session(engine)
    drop = Drop("aad-jo", "29:jo", "Jo Evans", MeetingRole.ATTENDEE, START + timedelta(minutes=42), still_away=True)
    automatic = await log.record_drop(session_id, drop, Notice.SENT)
    assert automatic is not None
    assert await log.record_drop(session_id, drop, Notice.SENT) is None
    _, chair = await log.log_by_chair(_entry(session_id), NOW)  # same person and minute, but the chair's own entry
    assert chair.id != automatic
    assert await log.undo(automatic, "aad-chair", NOW) is UndoOutcome.NOT_YOURS


async def test_the_export_reads_one_meeting_or_every_conference_since_a_time(engine: AsyncEngine) -> None:
    log = SqlDisconnectionLog(session_factory(engine))
    first = await _session(engine)
    second = await _session(engine, OTHER_PLACE, START + timedelta(days=2))
    await log.log_by_chair(_entry(first), NOW)
    await log.log_by_chair(_entry(second, request_key="f-2"), NOW)
    by_meeting = await log.for_export(meeting_id="meeting-1")
    assert [(row.meeting_id, row.entry.session_id) for row in by_meeting] == [("meeting-1", first)]
    since = await log.for_export(since=START + timedelta(days=1))
    assert [row.meeting_id for row in since] == ["meeting-2"]
    assert len(await log.for_export(since=START - timedelta(days=1))) == 2


async def test_the_purge_deletes_old_conferences_with_all_they_hold_and_old_audit_entries(engine: AsyncEngine) -> None:
    sessions = session_factory(engine)
    records = SqlMeetingRecords(sessions)
    log = SqlDisconnectionLog(sessions)
    audit = SqlChairAudit(sessions)
    old = await _session(engine)
    recent = await _session(engine, OTHER_PLACE, START + timedelta(days=40))
    jo = Participant("aad-jo", "29:jo", "Jo Evans", MeetingRole.ATTENDEE)
    for session_id in (old, recent):
        await records.record_attendance(session_id, AttendanceKind.JOINED, (jo,), START, f"join-{session_id}")
        await log.log_by_chair(_entry(session_id, request_key=f"f-{session_id}"), NOW)
    attempt = AuditEntry(START, "log-disconnect", AuditOutcome.REFUSED, "aad-jo", "meeting-1", "19:x")
    await audit.record(attempt)
    await audit.record(
        replace(attempt, at=START + timedelta(days=40), outcome=AuditOutcome.ALLOWED, basis=ChairBasis.NAMED)
    )

    retention = SqlRetention(sessions)
    before = START + timedelta(days=10)
    counted = await retention.purge(before, dry_run=True)
    assert (counted.sessions, counted.attendance, counted.disconnections, counted.audit) == (1, 1, 1, 1)
    assert await records.session(old) is not None, "a dry run deletes nothing"

    purged = await retention.purge(before)
    assert purged == counted
    assert await records.session(old) is None
    assert await log.for_session(old) == []
    assert await records.attendance(old) == []
    assert await records.session(recent) is not None
    assert len(await log.for_session(recent)) == 1
    assert [entry.basis for entry in await audit.entries()] == [ChairBasis.NAMED]
    assert (await retention.purge(before)).total == 0
