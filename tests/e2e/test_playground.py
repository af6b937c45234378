"""End to end: the bot as a process, the Microsoft 365 Agents Playground as the Teams client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.playground import Playground, cards_in, running_playground

pytestmark = pytest.mark.e2e

EXPECTATIONS_TITLE = "Joining a child protection conference online"


def is_expectations(card: dict[str, Any]) -> bool:
    return bool(card["body"][0]["text"] == EXPECTATIONS_TITLE)


def is_help(card: dict[str, Any]) -> bool:
    return any(element.get("text") == "CP Conference Bot" for element in card["body"])


@pytest.fixture
async def playground(tmp_path: Path) -> AsyncIterator[Playground]:
    async with running_playground(tmp_path) as running:
        yield running


async def test_expectations_in_a_personal_chat(playground: Playground) -> None:
    chat = playground.config["personalChat"]["id"]
    await playground.send(chat, "/expectations")
    card = await playground.wait_for_card(chat, is_expectations)
    assert card["version"] == "1.5"


async def test_expectations_in_a_group_chat_with_the_mention(playground: Playground) -> None:
    chat = playground.config["groupChats"][0]["id"]
    await playground.send(chat, "Expectations", mention_bot=True)
    await playground.wait_for_card(chat, is_expectations)


async def test_help_in_a_channel(playground: Playground) -> None:
    channel = playground.config["teams"][0]["channels"][0]["id"]
    await playground.send(channel, "/help", mention_bot=True)
    await playground.wait_for_card(channel, is_help)


async def test_expectations_in_a_meeting_chat(playground: Playground) -> None:
    """The Playground has no meetings: a message carrying Teams' meeting details is sent as a custom activity."""
    chat = playground.config["groupChats"][0]["id"]
    await playground.send_activity(
        in_meeting_chat(
            playground,
            type="message",
            id="meeting-message-1",
            text=f"<at>{playground.bot['name']}</at> /expectations",
            entities=[{"type": "mention", **playground.bot_mention()}],
        )
    )
    await playground.wait_for_card(chat, is_expectations)


async def test_unknown_text_gets_help_not_silence(playground: Playground) -> None:
    chat = playground.config["personalChat"]["id"]
    await playground.send(chat, "hello there")
    card = await playground.wait_for_card(chat, is_help)
    assert card["body"][0]["text"].startswith("Sorry, I did not recognise that.")


def in_meeting_chat(playground: Playground, **fields: Any) -> dict[str, Any]:
    """An activity from a meeting in the Playground's group chat, as Teams would deliver it to the bot."""
    chat = playground.config["groupChats"][0]["id"]
    tenant = playground.config["tenantId"]
    return {
        "serviceUrl": playground.service_url,
        "channelId": "msteams",
        "from": {"id": "user-id-0", "aadObjectId": playground.config["currentUser"]["aadObjectId"]},
        "recipient": {"id": playground.bot["id"], "name": playground.bot["name"]},
        "conversation": {"id": chat, "conversationType": "groupChat", "isGroup": True, "tenantId": tenant},
        "channelData": {"tenant": {"id": tenant}, "meeting": {"id": "MCMxOTptZWV0aW5nX2UyZUB0aHJlYWQudjIjMA=="}},
        **fields,
    }


def meeting_event(playground: Playground, name: str, value: dict[str, Any], event_id: str) -> dict[str, Any]:
    return in_meeting_chat(
        playground, type="event", name=name, id=event_id, timestamp="2026-11-24T10:00:07.478Z", value=value
    )


def is_conference_card(card: dict[str, Any]) -> bool:
    first = card["body"][0]
    return bool(first.get("type") == "Container" and "This conference started at" in first["items"][0]["text"])


async def test_meeting_start_posts_the_conference_card_once(playground: Playground) -> None:
    chat = playground.config["groupChats"][0]["id"]
    start = meeting_event(
        playground,
        "application/vnd.microsoft.meetingStart",
        {"Id": "x", "MeetingType": "Scheduled", "Title": "ICPC", "StartTime": "2026-11-24T10:00:05Z"},
        "start-1",
    )
    await playground.send_activity(start)
    card = await playground.wait_for_card(chat, is_conference_card)
    assert card["body"][0]["items"][0]["text"].startswith("This conference started at 10:00.")

    await playground.send_activity({**start, "id": "start-1-retry"})  # Teams delivers it again
    await playground.send(chat, "help", mention_bot=True)
    await playground.wait_for_card(chat, is_help)  # everything sent before the help request has arrived
    conference_cards = [
        card
        for conversation, message in playground.received
        if conversation.startswith(chat)
        for card in cards_in(message)
        if is_conference_card(card)
    ]
    assert len(conference_cards) == 1
