"""The conversations the bot is part of, as far as the bot needs to remember them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ConversationKind(StrEnum):
    PERSONAL = "personal"
    GROUP_CHAT = "groupChat"
    MEETING_CHAT = "meetingChat"
    CHANNEL = "channel"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class ConversationAddress:
    """Everything needed to post into a conversation later, and nothing more: ids and URLs only, no names."""

    conversation_id: str
    channel_id: str
    service_url: str
    kind: ConversationKind
    bot_id: str
    tenant_id: str | None = None
    meeting_id: str | None = None
    team_id: str | None = None
    user_aad_object_id: str | None = None
    """Set for personal chats only: whose chat this is, so the bot can reach that person later."""


def holds_meeting(address: ConversationAddress) -> bool:
    """The conversation is a meeting's own: its meeting chat, or the thread of a meeting held in a channel."""
    return address.kind in (ConversationKind.MEETING_CHAT, ConversationKind.CHANNEL) and bool(address.meeting_id)
