"""Turning the use cases' replies into Bot Framework activities."""

from __future__ import annotations

from botbuilder.schema import Activity, ActivityTypes, Attachment

from bot.usecases.replies import CardReply

ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


def card_activity(reply: CardReply) -> Activity:
    return Activity(
        type=ActivityTypes.message,
        attachments=[Attachment(content_type=ADAPTIVE_CARD_CONTENT_TYPE, content=reply.card)],
        summary=reply.summary,
    )
