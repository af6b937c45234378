"""Three real bot processes behind an imaginary load balancer, sharing one PostgreSQL database: Teams delivers the
same events to more than one of them (retries land anywhere), and everything still happens exactly once.

Skipped, saying why, when no PostgreSQL server answers.
"""

from __future__ import annotations

import asyncio
import subprocess
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import text

from bot.store.database import create_engine
from harness.processes import free_port, start_bot, stop, wait_for_http
from harness.waiting import wait_until
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.card_reading import card_text
from tests.support.fake_calendars import GraphEvent
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.fake_graph import FakeGraph

MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
MAILBOX = "cp-conferences@example-council.gov.uk"
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk")
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")
INSTANCES = 3


@pytest.fixture
def database_url(postgres_url: str) -> str:
    """The instances share one PostgreSQL database (the conftest's, skipped saying why when none answers)."""
    return postgres_url


@pytest.fixture
async def instances(tmp_path: Path, database_url: str, fake_graph: tuple[FakeGraph, str]) -> AsyncIterator[list[int]]:
    """Three `python app.py` processes on one database, started together (they migrate it one after another)."""
    settings = {
        "DATABASE_URL": database_url,
        "CALENDAR_MAILBOXES": MAILBOX,
        "GRAPH_BASE_URL": fake_graph[1],
        "CALENDAR_SYNC_INTERVAL_SECONDS": "0.5",
        "REMINDER_SEND_INTERVAL_SECONDS": "0.2",
        "REMINDER_LEAD_MINUTES": "5",
        "FOLLOW_UP_INTERVAL_SECONDS": "0.5",
    }
    ports = [free_port() for _ in range(INSTANCES)]
    processes: list[subprocess.Popen[bytes]] = []
    for number, port in enumerate(ports):
        workdir = tmp_path / f"instance-{number}"
        workdir.mkdir()
        processes.append(start_bot(port, workdir, workdir / "bot.log", **settings))
    try:
        await asyncio.gather(
            *(
                wait_for_http(f"http://127.0.0.1:{port}/healthz", within=60, process=process)
                for port, process in zip(ports, processes, strict=True)
            )
        )
        yield ports
    finally:
        codes = await asyncio.gather(*(asyncio.to_thread(stop, process) for process in processes))
        assert codes == [0] * INSTANCES, "every instance stops cleanly"


async def _deliver(session: aiohttp.ClientSession, ports: list[int], payload: dict[str, Any]) -> None:
    """The same activity to several instances at once, as Teams' retries can do."""

    async def one(port: int) -> None:
        async with session.post(f"http://127.0.0.1:{port}/api/messages", json=payload) as response:
            assert response.status == 200, await response.text()

    await asyncio.gather(*(one(port) for port in ports))


async def _count(database_url: str, query: str) -> int:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return int((await connection.execute(text(query))).scalar_one())
    finally:
        await engine.dispose()


async def test_three_instances_on_one_postgresql_do_everything_exactly_once(
    instances: list[int],
    database_url: str,
    fake_connector: tuple[FakeConnector, str],
    fake_graph: tuple[FakeGraph, str],
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, [CHAIR, SOCIAL_WORKER, NURSE], organizer=CHAIR))
    now = datetime.now(UTC)
    async with aiohttp.ClientSession() as session:
        start = now - timedelta(minutes=30)
        await _deliver(session, instances, activities.meeting_started(start, service_url=service_url))
        joined = activities.participants_event(True, [CHAIR, SOCIAL_WORKER, NURSE], start, service_url=service_url)
        await _deliver(session, instances, joined)
        logged = activities.message(
            "/log-disconnect Chris Lee now e-mailed me", service_url=service_url, scope="meetingChat", sender=CHAIR
        )
        await _deliver(session, instances[:2], logged)

    # A conference booked in the calendar whose pre-meeting card is due a few seconds from now.
    conference_start = (now + timedelta(minutes=5, seconds=6)).replace(microsecond=0)
    fake_graph[0].calendars.put(
        MAILBOX,
        GraphEvent.in_meeting_chat(
            MEETING_CHAT,
            conference_start,
            (CHAIR.email, CHAIR.name),
            ((SOCIAL_WORKER.email, SOCIAL_WORKER.name, "required"),),
        ),
    )

    def pre_meeting_cards() -> list[str]:
        return [c for c in (card_text(s.cards) for s in connector.sent_to(MEETING_CHAT)) if "starts at" in c]

    async def reminded() -> bool:
        return bool(pre_meeting_cards()) and bool(connector.sent_privately_to(SOCIAL_WORKER))

    await wait_until(reminded, within=40, what="the pre-meeting card and the social worker's reminder")

    async def settled() -> bool:
        # (Quoracy at the door waits for the conference's start, minutes away.)
        open_ones = "SELECT count(*) FROM reminders WHERE status IN ('pending', 'sending') AND kind NOT LIKE 'quorum-%'"
        return await _count(database_url, open_ones) == 0

    await wait_until(settled, within=20, what="every due reminder settled")

    in_chat = [card_text(s.cards) for s in connector.sent_to(MEETING_CHAT)]
    assert sum("This conference started at" in c for c in in_chat) == 1, "one start card, three instances"
    assert len(pre_meeting_cards()) == 1
    told_chair = [s.text for s in connector.sent_privately_to(CHAIR) if s.text]
    assert sum(text.startswith("Logged: Chris Lee") for text in told_chair) == 2, (
        "each delivery of the chair's message is answered, privately"
    )
    assert len(in_chat) == 2, "the meeting chat got the start card and the pre-meeting card, nothing of the chair's"
    assert len(connector.sent_privately_to(SOCIAL_WORKER)) == 1, "one join-early reminder"
    assert await _count(database_url, "SELECT count(*) FROM meeting_sessions") == 1
    assert await _count(database_url, "SELECT count(*) FROM attendance_events") == 3, "each join once"
    assert await _count(database_url, "SELECT count(*) FROM disconnections WHERE source = 'chair'") == 1
    statuses = [s for s in connector.sent_privately_to(CHAIR) if "The report deadline has passed" in s.text]
    assert len(statuses) == 1, "booked after its report deadline: the chair hears who has shared, once"
    assert await _count(database_url, "SELECT count(*) FROM reminders WHERE status = 'sent'") == 3
    assert await _count(database_url, "SELECT count(*) FROM conferences") == 1
