"""SIGTERM, as Container Apps, App Service and Kubernetes send it before replacing an instance: the bot stops taking
turns, finishes those in flight, lets a reminder being sent finish or puts it back for another instance, and exits
within a bound (30 s, the platforms' default grace period)."""

from __future__ import annotations

import asyncio
import subprocess
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import text

from bot.store.database import create_engine
from bot.web import keys
from harness.processes import free_port, start_bot, stop, wait_for_http
from harness.waiting import wait_until
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.fake_calendars import GraphEvent
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.fake_graph import FakeGraph

MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
MAILBOX = "cp-conferences@example-council.gov.uk"
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
GRACE_PERIOD = 30.0


@dataclass
class RunningBot:
    process: subprocess.Popen[bytes]
    port: int
    database_url: str
    connector: FakeConnector
    service_url: str
    log_path: Path

    async def post(self, payload: dict[str, Any]) -> int:
        async with (
            aiohttp.ClientSession() as session,
            session.post(f"http://127.0.0.1:{self.port}/api/messages", json=payload) as response,
        ):
            return response.status

    async def reminder(self) -> tuple[str, int, object]:
        engine = create_engine(self.database_url)
        try:
            async with engine.connect() as connection:
                row = (
                    await connection.execute(
                        text("SELECT status, attempts, claimed_at FROM reminders WHERE kind = 'meeting-chat'")
                    )
                ).one()
                return str(row[0]), int(row[1]), row[2]
        finally:
            await engine.dispose()

    async def stopped_within(self, seconds: float) -> int:
        return await asyncio.to_thread(self.process.wait, seconds)


@pytest.fixture
async def running_bot(
    tmp_path: Path, fake_connector: tuple[FakeConnector, str], fake_graph: tuple[FakeGraph, str]
) -> AsyncIterator[RunningBot]:
    """One bot with a meeting chat it knows and a pre-meeting card falling due a few seconds in."""
    connector, service_url = fake_connector
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, [CHAIR], organizer=CHAIR))
    port, database_path = free_port(), tmp_path / "bot.sqlite3"
    log_path = tmp_path / "bot.log"
    process = start_bot(
        port,
        tmp_path,
        log_path,
        CALENDAR_MAILBOXES=MAILBOX,
        GRAPH_BASE_URL=fake_graph[1],
        CALENDAR_SYNC_INTERVAL_SECONDS="0.5",
        REMINDER_SEND_INTERVAL_SECONDS="0.2",
        REMINDER_LEAD_MINUTES="5",
    )
    bot = RunningBot(process, port, f"sqlite+aiosqlite:///{database_path}", connector, service_url, log_path)
    try:
        await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=60, process=process)
        # The bot learns the meeting chat from a message in it.
        chat_message = activities.message("/expectations", service_url=service_url, scope="meetingChat")
        assert await bot.post(chat_message) == 200
        await connector.wait_for(1)
        connector.hold_sends = asyncio.Event()
        start = (datetime.now(UTC) + timedelta(minutes=5, seconds=3)).replace(microsecond=0)
        fake_graph[0].calendars.put(
            MAILBOX,
            GraphEvent.in_meeting_chat(MEETING_CHAT, start, (CHAIR.email, CHAIR.name), ()),
        )
        yield bot
    finally:
        if connector.hold_sends is not None:
            connector.hold_sends.set()
        await asyncio.to_thread(stop, process)


async def _refuses_connections(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return True
    writer.close()
    return False


async def test_sigterm_finishes_the_turn_and_the_reminder_in_flight(running_bot: RunningBot) -> None:
    bot, connector = running_bot, running_bot.connector
    turn = asyncio.create_task(bot.post(activities.message("/expectations", service_url=bot.service_url)))

    async def both_on_the_wire() -> bool:
        return connector.sends_held == 2

    await wait_until(both_on_the_wire, within=30, what="the reply and the pre-meeting card to reach Teams")
    bot.process.terminate()
    terminated_at = time.monotonic()

    async def closed() -> bool:
        return await _refuses_connections(bot.port)

    await wait_until(closed, within=10, what="the bot to stop taking new connections")
    assert connector.hold_sends is not None
    connector.hold_sends.set()

    assert await asyncio.wait_for(turn, 15) == 200, "the turn in flight was finished and answered"
    assert await bot.stopped_within(GRACE_PERIOD) == 0
    assert time.monotonic() - terminated_at < GRACE_PERIOD
    assert (await bot.reminder())[:2] == ("sent", 1)
    assert len(connector.sent) == 3, "the first reply, the turn's reply and the pre-meeting card: none lost or cut"


async def test_sigterm_puts_back_a_reminder_teams_does_not_answer_and_exits_in_time(running_bot: RunningBot) -> None:
    bot, connector = running_bot, running_bot.connector

    async def card_on_the_wire() -> bool:
        return connector.sends_held == 1

    await wait_until(card_on_the_wire, within=30, what="the pre-meeting card to reach Teams")
    assert (await bot.reminder())[0] == "sending"
    bot.process.terminate()
    terminated_at = time.monotonic()
    assert await bot.stopped_within(GRACE_PERIOD) == 0
    assert time.monotonic() - terminated_at < GRACE_PERIOD
    status, attempts, claimed_at = await bot.reminder()
    assert (status, attempts, claimed_at) == ("pending", 0, None), "put back unsent for the next instance"
    assert "reminder put back unsent as the bot stops" in bot.log_path.read_text(encoding="utf-8")


async def test_a_turn_arriving_once_the_bot_is_stopping_is_sent_elsewhere(
    bot_client: TestClient[web.Request, web.Application], fake_connector: tuple[FakeConnector, str]
) -> None:
    """On a connection kept alive from before the stop: 503 with Retry-After, so Teams retries on another instance."""
    connector, service_url = fake_connector
    bot_client.app[keys.STOPPING].set()
    response = await bot_client.post("/api/messages", json=activities.message("/expectations", service_url=service_url))
    assert response.status == 503
    assert response.headers["Retry-After"]
    assert connector.sent == []
