"""End to end: a conference booked in a calendar (a fake Graph on 127.0.0.1), the bot as a process reading it, and the
Microsoft 365 Agents Playground as the Teams client whose meeting chat receives the pre-meeting card at its time.

The clock is the real one: the conference is booked to start the lead time (5 minutes) and a few seconds from now,
so the card is due a few seconds into the test. The Playground's group chat stands in for the meeting chat; its
short join link is resolved through Graph's online meetings, as for Teams' newer join links. The card as received is
drawn by the official renderer in Chromium.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.async_api import Browser

from tests.e2e.test_playground import in_meeting_chat
from tests.support.card_pictures import draw_card
from tests.support.fake_calendars import GraphEvent
from tests.support.fake_graph import FakeGraph
from tests.support.playground import Playground, running_playground

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

MAILBOX = "cp-conferences@example-council.gov.uk"
JOIN_URL = "https://teams.microsoft.com/meet/27182818284?p=e2etest"
LONDON = ZoneInfo("Europe/London")
LEAD = timedelta(minutes=5)
DUE_IN = timedelta(seconds=12)


@pytest.fixture
async def playground(tmp_path: Path, fake_graph: tuple[FakeGraph, str]) -> AsyncIterator[Playground]:
    settings = {
        "CALENDAR_MAILBOXES": MAILBOX,
        "GRAPH_BASE_URL": fake_graph[1],
        "CALENDAR_SYNC_INTERVAL_SECONDS": "1",
        "REMINDER_SEND_INTERVAL_SECONDS": "0.5",
        "REMINDER_LEAD_MINUTES": str(int(LEAD.total_seconds() // 60)),
    }
    async with running_playground(tmp_path, **settings) as running:
        yield running


async def test_the_meeting_chat_receives_the_pre_meeting_card_at_its_time(
    playground: Playground, fake_graph: tuple[FakeGraph, str], browser: Browser, tmp_path: Path
) -> None:
    graph, _ = fake_graph
    chat = playground.config["groupChats"][0]["id"]
    # The bot is in the meeting chat (added when the conference was booked): someone asks it for help there.
    await playground.send_activity(
        in_meeting_chat(
            playground,
            type="message",
            id="help-1",
            text=f"<at>{playground.bot['name']}</at> help",
            entities=[{"type": "mention", **playground.bot_mention()}],
        )
    )
    await playground.wait_for_card(chat, lambda _card: True)  # any answer: the bot has seen the chat

    start = (datetime.now(UTC) + LEAD + DUE_IN).replace(microsecond=0)
    due = start - LEAD
    graph.calendars.online_meetings[JOIN_URL] = chat
    graph.directory["alex.morgan@example-council.gov.uk"] = "aad-alex-morgan"  # the organiser, asked of by id
    graph.calendars.put(
        MAILBOX,
        GraphEvent(
            id="event-e2e",
            ical_uid="uid-e2e",
            subject="ICPC Family Name",
            start=start,
            end=start + timedelta(hours=2),
            organiser=("alex.morgan@example-council.gov.uk", "Alex Morgan"),
            attendees=(("parent@example.com", "A Parent", "required"),),
            join_url=JOIN_URL,
        ),
    )

    card = await playground.wait_for_card(
        chat, lambda card: "conference starts at" in json.dumps(card), within=(DUE_IN + timedelta(seconds=30)).seconds
    )
    arrived = datetime.now(UTC)
    assert arrived >= due, f"the card came {due - arrived} early"
    assert arrived < start, "and well before the start"
    local = start.astimezone(LONDON)
    earliest, latest = (
        (start - timedelta(minutes=3)).astimezone(LONDON),
        (start - timedelta(minutes=2)).astimezone(LONDON),
    )
    text = json.dumps(card)
    assert f"starts at {local:%H:%M}" in text
    assert f"between {earliest:%H:%M} and {latest:%H:%M}" in text
    assert "Family Name" not in text, "never the subject"
    assert "Family Name" not in (tmp_path / "bot.log").read_text(encoding="utf-8")

    page, drawn = await draw_card(browser, card)
    for phrase in ("camera on", "private, quiet place", "whole meeting", "Do not use the meeting chat"):
        assert await drawn.get_by_text(phrase).count() > 0, phrase
    picture = tmp_path / "pre-meeting-card-received.png"
    await page.locator("#card").screenshot(path=str(picture))
    assert picture.stat().st_size > 10_000
    await page.close()
