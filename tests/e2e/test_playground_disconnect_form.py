"""End to end: the chair's work in their own chat with the bot, through the Microsoft 365 Agents Playground.

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
from tests.e2e.test_playground import meeting_event
from tests.support.playground import Playground, cards_in, running_playground

pytestmark = pytest.mark.e2e

LONDON = ZoneInfo("Europe/London")
JO = {"id": "29:jo-evans", "aadObjectId": "aad-jo-evans", "name": "Jo Evans"}
CHRIS = {"id": "29:chris-lee", "aadObjectId": "aad-chris-lee", "name": "Chris Lee"}


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


def in_personal_chat(playground: Playground, **fields: Any) -> dict[str, Any]:
    """A message from the chair in their own 1:1 chat with the bot (the Playground's personal chat)."""
    tenant = playground.config["tenantId"]
    return {
        "serviceUrl": playground.service_url,
        "channelId": "msteams",
        "from": {"id": "user-id-0", "aadObjectId": playground.config["currentUser"]["aadObjectId"]},
        "recipient": {"id": playground.bot["id"], "name": playground.bot["name"]},
        "conversation": {
            "id": playground.config["personalChat"]["id"],
            "conversationType": "personal",
            "tenantId": tenant,
        },
        "channelData": {"tenant": {"id": tenant}},
        "type": "message",
        **fields,
    }


def _texts(card: dict[str, Any]) -> str:
    return json.dumps(card, ensure_ascii=False)


async def test_the_chair_works_from_their_own_chat_and_the_meeting_chat_hears_nothing(
    playground: Playground, tmp_path: Path
) -> None:
    """The chair logs a disconnection by name and by the form (submitted twice), lists the log, undoes an entry and
    asks for the quorum, all in their own chat; the meeting chat gets the start card and nothing else."""
    chat, personal = playground.config["groupChats"][0]["id"], playground.config["personalChat"]["id"]
    chair = {
        "id": "user-id-0",
        "aadObjectId": playground.config["currentUser"]["aadObjectId"],
        "name": playground.config["currentUser"]["name"],
    }
    # The join opens the session (Teams' start event is not needed) and posts the expectations card: once the card is
    # here, the bot has recorded the chair joining as organiser. The Playground forwards activities without waiting.
    joined = {"members": [_member(chair, "Organizer"), _member(JO, "Attendee"), _member(CHRIS, "Attendee")]}
    join = meeting_event(playground, "application/vnd.microsoft.meetingParticipantJoin", joined, "join-1")
    join["timestamp"] = _iso(datetime.now(UTC) - timedelta(minutes=15))
    await playground.send_activity(join)
    await playground.wait_for_card(chat, lambda card: "This conference started at" in _texts(card))

    dropped = (datetime.now(UTC) - timedelta(minutes=5)).astimezone(LONDON)
    fast = in_personal_chat(playground, id="fast-1", text=f"/log-disconnect Jo {dropped:%H:%M} could not rejoin")
    await playground.send_activity(fast)
    await playground.wait_for_card(personal, lambda card: "Logged: Jo Evans lost connection at" in _texts(card))

    await playground.send_activity(in_personal_chat(playground, id="ask-form-1", text="/log-disconnect"))
    form = await playground.wait_for_card(personal, lambda card: card["body"][0].get("text") == "Log a disconnection")
    [choices] = [element for element in form["body"] if element.get("id") == "person"]
    assert {"Jo Evans", "Chris Lee"} <= {choice["title"] for choice in choices["choices"]}
    [message_id] = [
        message.get("id")
        for conversation, message in playground.received
        if conversation.startswith(personal) and form in cards_in(message)
    ]
    value = {
        **form["actions"][0]["data"],
        "person": CHRIS["aadObjectId"],
        "time": f"{dropped:%H:%M}",
        "emailed": "true",
    }
    for attempt in ("submit-1", "submit-2"):
        await playground.send_activity(
            in_personal_chat(playground, id=attempt, text="", value=value, replyToId=message_id)
        )

    async def both_submits_handled() -> bool:
        log = (tmp_path / "bot.log").read_text(encoding="utf-8")
        return log.count("chair disconnection logged") == 2 and "chair disconnection repeated-request" in log

    await wait_until(both_submits_handled, within=20, what="the bot handling both submits of the form")

    await playground.send_activity(in_personal_chat(playground, id="list-1", text="/disconnects"))
    log_card = await playground.wait_for_card(
        personal, lambda card: "Chris Lee" in _texts(card) and "Undo this entry" in _texts(card)
    )
    assert "Note: could not rejoin" in _texts(log_card)
    undo = next(
        action["data"]
        for element in log_card["body"]
        if element.get("type") == "Container"
        for item in element["items"]
        if item.get("type") == "ActionSet"
        for action in item["actions"]
    )
    await playground.send_activity(in_personal_chat(playground, id="undo-1", text="", value=undo))

    await playground.send_activity(in_personal_chat(playground, id="quorum-1", text="/quorum"))
    quorum = await playground.wait_for_card(personal, lambda card: "Quorum at" in _texts(card))
    assert "Jo Evans" in _texts(quorum)

    rows = await asyncio.to_thread(_export, tmp_path)
    assert sorted((row["person_name"], row["source"], row["undone_at"] is not None) for row in rows) == [
        ("Chris Lee", "chair", False),
        ("Jo Evans", "chair", True),
    ], "two entries, one per request however often submitted, the first undone"
    [chris] = [row for row in rows if row["person_name"] == "Chris Lee"]
    assert chris["emailed_chair"] is True
    assert chris["disconnected_at"].startswith(f"{dropped:%Y-%m-%dT%H:%M}:00")
    assert chris["logged_by"] == chair["aadObjectId"].lower()

    in_meeting_chat_now = [message for conversation, message in playground.received if conversation.startswith(chat)]
    assert len(in_meeting_chat_now) == 1, "the meeting chat got the start card, and nothing of the chair's work"
