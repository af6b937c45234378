"""End to end: the chair's disconnection form through the Microsoft 365 Agents Playground.

The Playground has no meetings, so the meeting chat is its group chat with Teams' meeting details on each activity
(custom activities, forwarded to the bot unchanged). The chair is the meeting's organiser, known from the role they
joined with: the Playground does not implement Teams' meeting APIs, which answer 404 as for an expired meeting.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from harness.processes import PROJECT_ROOT, bot_environment
from harness.waiting import wait_until
from tests.e2e.test_playground import in_meeting_chat, meeting_event
from tests.support.playground import Playground, cards_in, running_playground

pytestmark = pytest.mark.e2e

LONDON = ZoneInfo("Europe/London")
JO = {"id": "29:jo-evans", "aadObjectId": "aad-jo-evans", "name": "Jo Evans"}


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[Playground]:
    async with running_playground(tmp_path) as running:
        yield running


def _member(person: dict[str, str], role: str) -> dict[str, Any]:
    return {"user": {**person, "tenantId": "t", "userRole": "user"}, "meeting": {"role": role, "inMeeting": True}}


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _export(workdir: Path) -> list[dict[str, Any]]:
    """The bot's own export command, reading the database the bot process wrote."""
    environment = bot_environment(3978, workdir / "bot.sqlite3")  # the export serves nothing: any valid port
    done = subprocess.run(
        [sys.executable, "-m", "bot", "export-disconnects", "--since", "2000-01-01", "--format", "json"],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    rows: list[dict[str, Any]] = json.loads(done.stdout)["disconnections"]
    return rows


async def test_the_chair_submits_the_form_twice_and_one_entry_is_logged(playground: Playground, tmp_path: Path) -> None:
    chat = playground.config["groupChats"][0]["id"]
    chair = {
        "id": "user-id-0",
        "aadObjectId": playground.config["currentUser"]["aadObjectId"],
        "name": playground.config["currentUser"]["name"],
    }
    # The join opens the session (Teams' start event is not needed) and posts the expectations card: once the card is
    # here, the bot has recorded the chair joining as organiser. The Playground forwards activities without waiting.
    joined = {"members": [_member(chair, "Organizer"), _member(JO, "Attendee")]}
    join = meeting_event(playground, "application/vnd.microsoft.meetingParticipantJoin", joined, "join-1")
    join["timestamp"] = _iso(datetime.now(UTC) - timedelta(minutes=15))
    await playground.send_activity(join)
    await playground.wait_for_card(chat, lambda card: "This conference started at" in json.dumps(card))
    await playground.send_activity(
        in_meeting_chat(
            playground,
            type="message",
            id="ask-form-1",
            text=f"<at>{playground.bot['name']}</at> /log-disconnect",
            entities=[{"type": "mention", **playground.bot_mention()}],
        )
    )
    form = await playground.wait_for_card(chat, lambda card: card["body"][0].get("text") == "Log a disconnection")
    [choices] = [element for element in form["body"] if element.get("id") == "person"]
    assert "Jo Evans" in [choice["title"] for choice in choices["choices"]]
    [message_id] = [
        message.get("id")
        for conversation, message in playground.received
        if conversation.startswith(chat) and form in cards_in(message)
    ]

    dropped = (datetime.now(UTC) - timedelta(minutes=5)).astimezone(LONDON)
    value = {**form["actions"][0]["data"], "person": "aad-jo-evans", "time": f"{dropped:%H:%M}", "emailed": "true"}
    for attempt in ("submit-1", "submit-2"):
        await playground.send_activity(
            in_meeting_chat(playground, type="message", id=attempt, text="", value=value, replyToId=message_id)
        )

    async def both_submits_handled() -> bool:
        log = (tmp_path / "bot.log").read_text(encoding="utf-8")
        return "chair disconnection logged" in log and "chair disconnection repeated-request" in log

    await wait_until(both_submits_handled, within=20, what="the bot handling both submits of the form")
    [row] = await asyncio.to_thread(_export, tmp_path)
    assert (row["person_name"], row["source"], row["emailed_chair"]) == ("Jo Evans", "chair", True)
    assert row["disconnected_at"].startswith(f"{dropped:%Y-%m-%dT%H:%M}:00")
    assert row["logged_by"] == chair["aadObjectId"].lower()
