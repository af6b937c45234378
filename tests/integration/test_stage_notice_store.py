"""The stage notices' store on SQLite and PostgreSQL: each person claimed by exactly one caller, however many
instances race for them; an abandoned claim taken over once it lapses, a settled one never."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.meetings import MeetingPlace
from bot.domain.sessions import StartSource
from bot.domain.stage import StageOutcome, StageRecipient
from bot.store.database import session_factory
from bot.store.meetings import SqlMeetingRecords
from bot.store.stage_notices import SqlStageNotices

NOW = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
PEOPLE = [StageRecipient(f"aad-{n}", f"29:{n}") for n in range(6)]


async def _session(engine: AsyncEngine) -> int:
    records = SqlMeetingRecords(session_factory(engine), lambda: NOW)
    place = MeetingPlace("meeting-1", "19:meeting_x@thread.v2", "tenant-1")
    return (await records.start_session(place, NOW - timedelta(minutes=30), StartSource.EVENT)).id


async def test_racing_instances_claim_each_person_once(engine: AsyncEngine) -> None:
    session_id = await _session(engine)
    instances = [SqlStageNotices(session_factory(engine)) for _ in range(4)]
    claims = await asyncio.gather(
        *(
            notices.claim(session_id, PEOPLE, now=NOW, claimed_before=NOW - timedelta(minutes=2))
            for notices in instances
        )
    )
    claimed = [person for claim in claims for person in claim]
    assert sorted(p.aad_object_id for p in claimed) == sorted(p.aad_object_id for p in PEOPLE)


async def test_a_lapsed_claim_is_taken_over_once_and_a_settled_one_never(engine: AsyncEngine) -> None:
    session_id = await _session(engine)
    notices = SqlStageNotices(session_factory(engine))
    first, second = PEOPLE[0], PEOPLE[1]
    earlier = NOW - timedelta(minutes=10)
    await notices.claim(session_id, [first, second], now=earlier, claimed_before=earlier)
    await notices.settle(session_id, {second.aad_object_id: (StageOutcome.REFUSED, "http-403")}, earlier)
    assert await notices.claim(session_id, [first, second], now=NOW, claimed_before=NOW - timedelta(minutes=20)) == []
    assert await notices.abandoned(claimed_before=NOW - timedelta(minutes=2)) == {session_id: [first]}
    assert await notices.claim(session_id, [first, second], now=NOW, claimed_before=NOW - timedelta(minutes=2)) == [
        first
    ]
    assert await notices.claim(session_id, [first], now=NOW, claimed_before=NOW - timedelta(minutes=2)) == []
    assert await notices.outcomes(session_id) == {first.aad_object_id: None, second.aad_object_id: StageOutcome.REFUSED}
