"""The in-memory twins keep their SQL counterparts' promises: the same steps give the same answers on SQLite,
PostgreSQL and in memory, so a fast use-case test over a twin says something about the bot."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.disconnections import ChairEntry, Drop, LogOutcome, Notice, UndoOutcome
from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, Participant
from bot.domain.sessions import StartSource, SummaryStatus
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.meetings import SqlMeetingRecords
from bot.usecases.ports import DisconnectionLog, MeetingRecords
from tests.support.memory_ports import MemoryDisconnectionLog, MemoryMeetingRecords

PLACE = MeetingPlace("meeting-1", "19:meeting_x@thread.v2", "tenant-1")
START = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
JO = Participant("aad-jo", "29:jo", "Jo Evans", MeetingRole.ATTENDEE)

Stores = Callable[[], tuple[MeetingRecords, DisconnectionLog]]


@pytest.fixture(params=["sql", "memory"])
def stores(request: pytest.FixtureRequest, engine: AsyncEngine) -> Stores:
    def make() -> tuple[MeetingRecords, DisconnectionLog]:
        if request.param == "memory":
            return MemoryMeetingRecords(), MemoryDisconnectionLog(now=START)
        sessions = session_factory(engine)
        return SqlMeetingRecords(sessions, lambda: START), SqlDisconnectionLog(sessions, lambda: START)

    return make


async def test_sessions_starts_ends_and_claims(stores: Stores) -> None:
    records, _ = stores()
    first = await records.start_session(PLACE, START, StartSource.EVENT)
    assert (await records.start_session(PLACE, START, StartSource.EVENT)).id == first.id
    implicit = await records.start_session(PLACE, START + timedelta(minutes=1), StartSource.PARTICIPANT)
    assert implicit.id == first.id, "a participant joining belongs to the open session"
    claim = {"now": START, "claimed_before": START - timedelta(minutes=1)}
    assert [await records.claim_card(first.id, **claim) for _ in range(2)] == [True, False]
    await records.release_card(first.id)
    assert await records.claim_card(first.id, **claim)
    await records.settle_card(first.id, START)
    assert not await records.claim_card(first.id, now=START + timedelta(hours=1), claimed_before=START)
    ended = await records.end_session(PLACE, START + timedelta(hours=1))
    assert ended is not None
    assert ended.ended_at == START + timedelta(hours=1)
    assert ended.card_posted
    later = await records.start_session(PLACE, START + timedelta(days=7), StartSource.EVENT)
    assert later.id != first.id
    assert (await records.latest_session(PLACE.meeting_id)).id == later.id  # type: ignore[union-attr]
    follow = await records.sessions_to_follow_up(ended_since=START, started_since=START)
    assert [session.id for session in follow] == [first.id, later.id]
    waiting = await records.sessions_awaiting_summary(ended_before=START + timedelta(days=1), claimed_before=START)
    assert waiting == [first.id]
    assert await records.claim_summary(first.id, now=START, claimed_before=START - timedelta(minutes=5))
    assert not await records.claim_summary(first.id, now=START, claimed_before=START - timedelta(minutes=5))
    await records.settle_summary(first.id, SummaryStatus.SENT)
    assert (await records.session(first.id)).summary_status is SummaryStatus.SENT  # type: ignore[union-attr]


async def test_attendance_is_recorded_once_per_delivery(stores: Stores) -> None:
    records, _ = stores()
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    for _ in range(2):
        await records.record_attendance(session.id, AttendanceKind.JOINED, (JO,), START, "delivery-1")
    await records.record_attendance(session.id, AttendanceKind.LEFT, (JO,), START + timedelta(minutes=5), "delivery-2")
    events = await records.attendance(session.id)
    assert [(event.kind, event.at, event.display_name) for event in events] == [
        (AttendanceKind.JOINED, START, "Jo Evans"),
        (AttendanceKind.LEFT, START + timedelta(minutes=5), "Jo Evans"),
    ]


async def test_the_log_keeps_one_entry_per_request_and_undo_belongs_to_its_chair(stores: Stores) -> None:
    records, log = stores()
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    drop = Drop(JO.aad_object_id, JO.teams_user_id, JO.display_name, JO.role, START, still_away=True)
    first = await log.record_drop(session.id, drop, Notice.PENDING)
    assert first is not None
    assert await log.record_drop(session.id, drop, Notice.PENDING) is None
    await log.set_notice(first, Notice.SENT)
    entry = ChairEntry(session.id, JO.aad_object_id, JO.display_name, START, "aad-chair", True, "wifi", "key-1")
    outcomes = [(await log.log_by_chair(entry, START))[0] for _ in range(2)]
    assert outcomes == [LogOutcome.LOGGED, LogOutcome.REPEATED_REQUEST]
    again, same = await log.log_by_chair(replace(entry, request_key="key-2"), START)
    assert again is LogOutcome.ALREADY_LOGGED
    assert await log.undo(same.id, "aad-other", START) is UndoOutcome.NOT_YOURS
    assert await log.undo(first, "aad-chair", START) is UndoOutcome.NOT_YOURS, "automatic entries cannot be undone"
    assert await log.undo(same.id, "AAD-CHAIR", START) is UndoOutcome.UNDONE
    assert await log.undo(same.id, "aad-chair", START) is UndoOutcome.ALREADY_UNDONE
    assert await log.undo(10_000, "aad-chair", START) is UndoOutcome.NOT_FOUND
    entries = await log.for_session(session.id)
    assert [(e.source.value, e.notice, e.undone, e.recorded_at) for e in entries] == [
        ("automatic", Notice.SENT, False, START),
        ("chair", Notice.NOT_SENT, True, START),
    ]


async def test_recent_sessions_are_each_meetings_latest_newest_first(stores: Stores) -> None:
    records, _ = stores()
    other = MeetingPlace("meeting-2", "19:meeting_y@thread.v2", "tenant-1")
    old = await records.start_session(PLACE, START - timedelta(days=40), StartSource.EVENT)
    await records.end_session(PLACE, START - timedelta(days=40) + timedelta(hours=1))
    latest = await records.start_session(PLACE, START, StartSource.EVENT)
    second = await records.start_session(other, START + timedelta(minutes=30), StartSource.PARTICIPANT)
    found = await records.recent_sessions(started_after=START - timedelta(days=30), limit=10)
    assert [session.id for session in found] == [second.id, latest.id]
    assert old.id not in [session.id for session in found]
    assert [s.id for s in await records.recent_sessions(started_after=START - timedelta(days=60), limit=1)] == [
        second.id
    ]
    everything = await records.recent_sessions(started_after=START - timedelta(days=60), limit=10)
    assert [session.id for session in everything] == [second.id, latest.id], "a meeting's earlier session is not"


async def test_the_chair_cards_are_claimed_once_and_settled_for_good(stores: Stores) -> None:
    records, _ = stores()
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    lapsed = START - timedelta(minutes=5)
    assert await records.sessions_awaiting_chair_card(
        started_since=START - timedelta(hours=12), claimed_before=lapsed
    ) == [session.id]
    assert [await records.claim_chair_card(session.id, now=START, claimed_before=lapsed) for _ in range(2)] == [
        True,
        False,
    ]
    later = START + timedelta(minutes=10)
    assert await records.claim_chair_card(session.id, now=later, claimed_before=later - timedelta(minutes=5)), (
        "a claim older than the lapse is taken over"
    )
    await records.settle_chair_card(session.id, later)
    assert not await records.claim_chair_card(session.id, now=later + timedelta(hours=1), claimed_before=later)
    assert await records.sessions_awaiting_chair_card(started_since=START, claimed_before=later) == []
