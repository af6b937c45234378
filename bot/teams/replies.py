"""Turning the use cases' replies into Bot Framework activities."""

from __future__ import annotations

from typing import Any

from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.usecases.replies import CardReply

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


class SharedCard(dict[str, Any]):
    """A card's JSON as built, sent without being copied. botbuilder deep-copies every activity a turn sends, which
    for a card means every element: about a third of a turn's CPU. Nothing changes a card once it is built, so a copy
    of this is itself. It goes out through `wire_activity` (msrest would write a dict subclass as its `str()`;
    `plain_cards` undoes it where botbuilder itself serialises)."""

    def __deepcopy__(self, memo: dict[int, Any]) -> SharedCard:
        return self


def plain_cards(activity: Activity) -> Activity:
    """The activity with its cards as plain dicts again, for botbuilder's own (msrest) serialisation."""
    for attachment in activity.attachments or []:
        if isinstance(attachment.content, SharedCard):
            attachment.content = dict(attachment.content)
    return activity


def card_activity(reply: CardReply) -> Activity:
    activity = Activity(
        type=ActivityTypes.message,
        attachments=[Attachment(content_type=ADAPTIVE_CARD_CONTENT_TYPE, content=SharedCard(reply.card))],
        summary=reply.summary,
    )
    if reply.stage_alert is not None:
        activity.channel_data = {"notification": {"alertInMeeting": True, "externalResourceUrl": reply.stage_alert}}
    return activity


def wire_activity(activity: Activity) -> dict[str, Any]:
    """The activity as msrest serialises it, except that card content that is already plain JSON (a dict) is passed
    through as it is rather than walked string by string."""
    attachments = activity.attachments or []
    passed_through = {index: item.content for index, item in enumerate(attachments) if isinstance(item.content, dict)}
    try:
        for index in passed_through:
            attachments[index].content = None
        wire: dict[str, Any] = activity.serialize()
    finally:
        for index, content in passed_through.items():
            attachments[index].content = content
    for index, content in passed_through.items():
        wire["attachments"][index]["content"] = content
    return wire
