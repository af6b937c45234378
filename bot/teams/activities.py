"""Reading what the bot needs out of inbound Teams activities, tolerant of missing and malformed parts."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity

from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.mentions import Mention
from bot.domain.text import TEAMS_USER_ID_LIMIT, identifier, single_line

_MEETING_CHAT_PREFIX = "19:meeting_"


def _as_dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def channel_data(activity: Activity) -> dict[str, Any]:
    return _as_dict(activity.channel_data)


def meeting_id(activity: Activity) -> str | None:
    """Teams' meeting id, from `channelData.meeting.id` (not the conversation id, nor the event's `value.Id`)."""
    return _text(_as_dict(channel_data(activity).get("meeting")).get("id"))


def tenant_id(activity: Activity) -> str | None:
    """From `channelData.tenant.id`, else `conversation.tenantId`.

    botbuilder 4.17 maps the conversation's tenant from `tenantID`, but Teams sends `tenantId`, which botbuilder
    keeps only among the unknown properties.
    """
    conversation = activity.conversation
    unknown = _as_dict(getattr(conversation, "additional_properties", None))
    conversation_tenant = _text(getattr(conversation, "tenant_id", None)) or _text(unknown.get("tenantId"))
    return _text(_as_dict(channel_data(activity).get("tenant")).get("id")) or conversation_tenant


def conversation_kind(activity: Activity) -> ConversationKind:
    conversation = activity.conversation
    conversation_type = getattr(conversation, "conversation_type", None)
    if conversation_type == "personal":
        return ConversationKind.PERSONAL
    if conversation_type == "channel":
        return ConversationKind.CHANNEL
    if conversation_type == "groupChat":
        conversation_id = getattr(conversation, "id", "") or ""
        if meeting_id(activity) or conversation_id.startswith(_MEETING_CHAT_PREFIX):
            return ConversationKind.MEETING_CHAT
        return ConversationKind.GROUP_CHAT
    return ConversationKind.UNKNOWN


def conversation_address(activity: Activity) -> ConversationAddress | None:
    """The address to post into this activity's conversation later, or None if the activity lacks one."""
    conversation_id = _text(getattr(activity.conversation, "id", None))
    service_url = _text(activity.service_url)
    bot_id = _text(getattr(activity.recipient, "id", None))
    if conversation_id is None or service_url is None or bot_id is None:
        return None
    kind = conversation_kind(activity)
    user_aad_object_id = (
        _text(getattr(activity.from_property, "aad_object_id", None)) if kind is ConversationKind.PERSONAL else None
    )
    return ConversationAddress(
        conversation_id=conversation_id,
        channel_id=activity.channel_id or "msteams",
        service_url=service_url,
        kind=kind,
        bot_id=bot_id,
        tenant_id=tenant_id(activity),
        meeting_id=meeting_id(activity),
        team_id=_text(_as_dict(channel_data(activity).get("team")).get("id")),
        user_aad_object_id=user_aad_object_id,
    )


def text_without_bot_mention(activity: Activity) -> str:
    """The message text with the bot's own @mention removed; other people's mentions are left in place.

    botbuilder's `remove_recipient_mention` treats the mention text as a regular expression and fails on malformed
    entities, so this reads the entities itself and removes the text literally.
    """
    text = activity.text if isinstance(activity.text, str) else ""
    bot_id = getattr(activity.recipient, "id", None)
    for mention in _mentions(activity):
        if bot_id and mention.teams_user_id == bot_id:
            text = text.replace(mention.text, " ")
    return text


def mentions_of_others(activity: Activity) -> list[Mention]:
    """The people @mentioned in a message, other than the bot, from Teams' `mention` entities."""
    bot_id = getattr(activity.recipient, "id", None)
    return [mention for mention in _mentions(activity) if mention.teams_user_id != bot_id]


MAX_MENTIONS = 100
"""Mention entities read from one message (a conference has a few dozen people): each costs a pass over the text."""


def _mentions(activity: Activity) -> list[Mention]:
    """Every well-formed `mention` entity (with an id and the text it has in the message), the bot's included, up to
    `MAX_MENTIONS`."""
    found: list[Mention] = []
    for entity in (activity.entities or [])[:MAX_MENTIONS]:
        properties = _entity_properties(entity)
        if str(properties.get("type", "")).lower() != "mention":
            continue
        mentioned = _as_dict(properties.get("mentioned"))
        person_id = identifier(mentioned.get("id"), TEAMS_USER_ID_LIMIT)
        mention_text = _text(properties.get("text"))
        if person_id is not None and mention_text is not None:
            found.append(Mention(teams_user_id=person_id, name=single_line(mentioned.get("name")), text=mention_text))
    return found


def _entity_properties(entity: Any) -> dict[str, Any]:
    if isinstance(entity, dict):
        return entity
    properties = dict(getattr(entity, "additional_properties", None) or {})
    properties["type"] = getattr(entity, "type", None)
    return properties
