"""Meeting sessions and attendance on SQLite and PostgreSQL: repeats, races, missed events."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, MeetingStarted, Participant
from bot.domain.sessions import StartSource
from bot.store.database import session_factory
from bot.store.meetings import SqlMeetingRecords
from bot.usecases.replies import CardReply
from bot.usecases.track_meeting import CARD_CLAIM_LAPSES, MeetingTracker
from cards import load_card_content

PLACE = MeetingPlace(meeting_id="meeting-1", conversation_id="19:meeting_x@thread.v2", tenant_id="tenant-1")
START = datetime(2026, 11, 24, 10, 0, 5, tzinfo=UTC)
JANE = Participant(aad_object_id="aad-jane", teams_user_id="29:jane", display_name="Jane", role=MeetingRole.ATTENDEE)


async def test_a_repeated_start_event_is_the_same_session(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    first = await records.start_session(PLACE, START, StartSource.EVENT)
    again = await records.start_session(PLACE, START, StartSource.EVENT)
    assert again.id == first.id


async def test_a_start_repeated_after_the_end_does_not_reopen(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    first = await records.start_session(PLACE, START, StartSource.EVENT)
    await records.end_session(PLACE, START + timedelta(hours=1))
    late_repeat = await records.start_session(PLACE, START, StartSource.EVENT)
    assert late_repeat.id == first.id
    assert late_repeat.ended_at is not None


async def test_a_new_session_of_a_recurring_meeting_is_new(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    first = await records.start_session(PLACE, START, StartSource.EVENT)
    await records.end_session(PLACE, START + timedelta(hours=1))
    next_week = await records.start_session(PLACE, START + timedelta(days=7), StartSource.EVENT)
    assert next_week.id != first.id


async def test_a_start_after_a_missed_end_closes_the_old_session(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    first = await records.start_session(PLACE, START, StartSource.EVENT)
    later = await records.start_session(PLACE, START + timedelta(days=1), StartSource.EVENT)
    assert later.id != first.id
    ended = await records.end_session(PLACE, START + timedelta(days=1, hours=1))
    assert ended is not None
    assert ended.id == later.id


async def test_a_late_start_event_adopts_the_session_a_participant_opened(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    implicit = await records.start_session(PLACE, START + timedelta(minutes=1), StartSource.PARTICIPANT)
    started = await records.start_session(PLACE, START, StartSource.EVENT)
    assert started.id == implicit.id
    assert started.started_at == START
    assert started.start_source is StartSource.EVENT


async def test_concurrent_deliveries_open_one_session_and_one_claim_wins(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    sessions = await asyncio.gather(*(records.start_session(PLACE, START, StartSource.EVENT) for _ in range(20)))
    assert len({session.id for session in sessions}) == 1
    claims = await asyncio.gather(*(records.claim_card(sessions[0].id, **_claim_at(START)) for _ in range(20)))
    assert claims.count(True) == 1


def _claim_at(now: datetime) -> dict[str, datetime]:
    return {"now": now, "claimed_before": now - CARD_CLAIM_LAPSES}


async def test_a_released_claim_can_be_taken_again(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    assert await records.claim_card(session.id, **_claim_at(START))
    assert not await records.claim_card(session.id, **_claim_at(START))
    await records.release_card(session.id)
    assert await records.claim_card(session.id, **_claim_at(START))


async def test_a_claim_never_settled_lapses_and_a_posted_card_is_never_claimed_again(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    assert await records.claim_card(session.id, **_claim_at(START))
    assert not await records.claim_card(session.id, **_claim_at(START + CARD_CLAIM_LAPSES - timedelta(seconds=1)))
    later = START + CARD_CLAIM_LAPSES + timedelta(seconds=1)
    assert await records.claim_card(session.id, **_claim_at(later)), "an abandoned claim is taken over"
    await records.settle_card(session.id, later)
    await records.release_card(session.id)  # a late release from the abandoned claim changes nothing
    assert not await records.claim_card(session.id, **_claim_at(later + timedelta(hours=1)))
    reread = await records.session(session.id)
    assert reread is not None
    assert reread.card_posted


async def test_claims_left_by_an_earlier_run_are_released_but_posted_cards_stay_posted(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    stranded = await records.start_session(PLACE, START, StartSource.EVENT)
    posted = await records.start_session(
        MeetingPlace("meeting-other", "19:meeting_other@thread.v2", None), START, StartSource.EVENT
    )
    for session in (stranded, posted):
        assert await records.claim_card(session.id, **_claim_at(START))
    await records.settle_card(posted.id, START)
    assert await records.release_abandoned_cards() == 1
    assert await records.claim_card(stranded.id, **_claim_at(START))
    assert not await records.claim_card(posted.id, **_claim_at(START))


async def test_attendance_ignores_repeated_deliveries(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    for _ in range(3):
        await records.record_attendance(
            session.id, AttendanceKind.JOINED, (JANE,), START + timedelta(minutes=2), "activity-7"
        )
    await records.record_attendance(
        session.id, AttendanceKind.LEFT, (JANE,), START + timedelta(minutes=30), "activity-9"
    )
    rows = await records.attendance(session.id)
    assert [(row.kind, row.aad_object_id) for row in rows] == [("join", "aad-jane"), ("leave", "aad-jane")]


async def test_end_without_an_open_session_is_nothing(engine: AsyncEngine) -> None:
    records = SqlMeetingRecords(session_factory(engine))
    assert await records.end_session(PLACE, START) is None


async def test_a_start_card_post_cancelled_midway_releases_its_claim_for_the_next_delivery(engine: AsyncEngine) -> None:
    """The bot stopping cancels the turn posting the card (a CancelledError, not an Exception): the claim goes too."""
    records = SqlMeetingRecords(session_factory(engine))
    tracker = MeetingTracker(records, load_card_content(), ZoneInfo("Europe/London"), now=lambda: START)
    posting = asyncio.Event()
    posted: list[CardReply] = []

    async def stalled_post(reply: CardReply) -> None:
        posting.set()
        await asyncio.Event().wait()

    turn = asyncio.create_task(tracker.meeting_started(MeetingStarted(PLACE, START), stalled_post))
    await asyncio.wait_for(posting.wait(), 5)
    turn.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await asyncio.wait_for(turn, 5)

    async def post(reply: CardReply) -> None:
        posted.append(reply)

    await tracker.meeting_started(MeetingStarted(PLACE, START), post)
    await tracker.meeting_started(MeetingStarted(PLACE, START), post)
    assert len(posted) == 1, "the next delivery posted the card, and only once"
