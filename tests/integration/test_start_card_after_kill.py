"""The start card cannot be stranded: a bot killed (SIGKILL, no chance to clean up) while Teams is still taking its
expectations card leaves a claim behind, and the restarted bot posts the card when the start is delivered again:
exactly one card reaches the meeting chat."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp

from harness.processes import free_port, start_bot, stop, wait_for_http
from harness.waiting import wait_until
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson

MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")


async def _deliver(port: int, payload: dict[str, Any]) -> int:
    async with (
        aiohttp.ClientSession() as session,
        session.post(f"http://127.0.0.1:{port}/api/messages", json=payload) as response,
    ):
        return response.status


async def _started_bot(port: int, workdir: Path, log_name: str) -> subprocess.Popen[bytes]:
    process = start_bot(port, workdir, workdir / log_name)
    await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=60, process=process)
    return process


async def test_a_bot_killed_while_posting_the_start_card_posts_it_once_after_restart(
    tmp_path: Path, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, [CHAIR], organizer=CHAIR))
    started_at = datetime.now(UTC).replace(microsecond=0)
    port = free_port()
    first = await _started_bot(port, tmp_path, "first.log")
    try:
        connector.hold_sends = asyncio.Event()
        delivery = asyncio.create_task(_deliver(port, activities.meeting_started(started_at, service_url=service_url)))

        async def card_on_the_wire() -> bool:
            return connector.sends_held == 1

        await wait_until(card_on_the_wire, within=30, what="the start card to reach Teams")
        first.send_signal(signal.SIGKILL)
        assert await asyncio.to_thread(first.wait, 10) == -signal.SIGKILL
        with contextlib.suppress(aiohttp.ClientError):  # Teams sees the bot vanish mid-turn
            await asyncio.wait_for(delivery, 10)
        connector.hold_sends.set()

        async def dropped() -> bool:
            return connector.abandoned_sends == 1

        await wait_until(dropped, within=10, what="the killed bot's post to be dropped")
        assert connector.sent_to(MEETING_CHAT) == [], "the card was never accepted by Teams"
    finally:
        connector.hold_sends = None
        await asyncio.to_thread(stop, first)

    second = await _started_bot(port, tmp_path, "second.log")
    try:
        # Teams delivers the start again (a retry of the event, or the bot's own next delivery of it).
        assert await _deliver(port, activities.meeting_started(started_at, service_url=service_url)) == 200
        await connector.wait_for(1, within=15)
        assert await _deliver(port, activities.meeting_started(started_at, service_url=service_url)) == 200
        joined = activities.participants_event(True, [CHAIR], started_at, service_url=service_url)
        assert await _deliver(port, joined) == 200
    finally:
        await asyncio.to_thread(stop, second)

    cards = connector.sent_to(MEETING_CHAT)
    assert len(cards) == 1, f"exactly one start card, not {len(cards)}"
    assert cards[0].cards, "the one activity is the expectations card"
    assert "claims left unsettled by an earlier run released sessions=1" in (tmp_path / "second.log").read_text()
