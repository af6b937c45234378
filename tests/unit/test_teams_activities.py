from __future__ import annotations

from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.domain.conversations import ConversationKind
from bot.teams.activities import conversation_address, text_without_bot_mention
from tests.support import activities
from tests.support.activities import BOT_ID, CONVERSATION_IDS, MEETING_ID, TENANT_ID, USER_AAD_ID

SERVICE_URL = "https://smba.trafficmanager.net/uk/"


def _activity(payload: dict[str, Any]) -> Activity:
    return Activity().deserialize(payload)


@pytest.mark.parametrize(
    ("scope", "kind"),
    [
        ("personal", ConversationKind.PERSONAL),
        ("groupChat", ConversationKind.GROUP_CHAT),
        ("meetingChat", ConversationKind.MEETING_CHAT),
        ("channel", ConversationKind.CHANNEL),
    ],
)
def test_conversation_address_for_every_scope(scope: activities.Scope, kind: ConversationKind) -> None:
    address = conversation_address(_activity(activities.message("hi", service_url=SERVICE_URL, scope=scope)))
    assert address is not None
    assert address.kind is kind
    assert address.conversation_id == CONVERSATION_IDS[scope]
    assert address.service_url == SERVICE_URL
    assert address.tenant_id == TENANT_ID
    assert address.bot_id == BOT_ID
    assert address.meeting_id == (MEETING_ID if scope == "meetingChat" else None)
    assert address.user_aad_object_id == (USER_AAD_ID if scope == "personal" else None)


def test_meeting_chat_is_recognised_by_its_thread_id_without_meeting_details() -> None:
    payload = activities.message("hi", service_url=SERVICE_URL, scope="meetingChat")
    del payload["channelData"]["meeting"]
    address = conversation_address(_activity(payload))
    assert address is not None
    assert address.kind is ConversationKind.MEETING_CHAT


def test_address_is_none_without_a_conversation() -> None:
    payload = activities.message("hi", service_url=SERVICE_URL)
    payload["conversation"] = {}
    assert conversation_address(_activity(payload)) is None


def test_malformed_channel_data_is_tolerated() -> None:
    payload = activities.message("hi", service_url=SERVICE_URL)
    payload["channelData"] = {"tenant": "not-an-object", "meeting": ["x"]}
    address = conversation_address(_activity(payload))
    assert address is not None
    assert address.meeting_id is None
    assert address.tenant_id == TENANT_ID  # from conversation.tenantId


def test_only_the_bots_mention_is_removed() -> None:
    payload = activities.message("/expectations <at>Jane Smith</at>", service_url=SERVICE_URL, scope="groupChat")
    payload["entities"].append({"type": "mention", "text": "<at>Jane Smith</at>", "mentioned": {"id": "29:jane"}})
    text = text_without_bot_mention(_activity(payload))
    assert "CP Conference Bot" not in text
    assert "<at>Jane Smith</at>" in text


def test_mention_text_with_regex_characters_is_removed_literally() -> None:
    payload = activities.message("/help", service_url=SERVICE_URL, scope="groupChat")
    payload["text"] = "<at>Bot (CP) [v2]*</at> /help"
    payload["entities"] = [{"type": "mention", "text": "<at>Bot (CP) [v2]*</at>", "mentioned": {"id": BOT_ID}}]
    assert text_without_bot_mention(_activity(payload)).strip() == "/help"


@pytest.mark.parametrize(
    "entities",
    [
        [{"type": "mention"}],
        [{"type": "mention", "mentioned": "x", "text": 5}],
        [{"type": "mention", "mentioned": {"id": None}, "text": "<at>x</at>"}],
        [{"noType": True}],
    ],
)
def test_malformed_mentions_do_not_raise(entities: list[dict[str, Any]]) -> None:
    payload = activities.message("/help", service_url=SERVICE_URL, scope="groupChat")
    payload["entities"] = entities
    assert "/help" in text_without_bot_mention(_activity(payload))
