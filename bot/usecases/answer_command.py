"""Answering what people type to the bot: commands, card buttons and anything else."""

from __future__ import annotations

from bot.domain.commands import Command, CommandName, ParsedText
from bot.domain.conversations import ConversationKind
from bot.usecases.replies import CardReply
from cards import CardContent, build_expectations_card, build_help_card


class CommandResponder:
    """Turns a parsed message into the card to send back. Pure: the cards are built from the loaded content."""

    def __init__(self, content: CardContent) -> None:
        self._content = content
        self._expectations = CardReply(build_expectations_card(content.expectations), content.expectations.summary)

    def reply_to(self, parsed: ParsedText, conversation_kind: ConversationKind) -> CardReply:
        if isinstance(parsed, Command) and parsed.name is CommandName.EXPECTATIONS:
            return self._expectations
        not_recognised = not isinstance(parsed, Command) and not parsed.was_empty
        return self._help(conversation_kind, self._content.help.not_recognised if not_recognised else None)

    def welcome(self, conversation_kind: ConversationKind) -> CardReply:
        """What the bot posts where it is installed. In a meeting chat that is the expectations: everyone invited
        sees them before the conference, even if Teams never delivers the meeting's start event."""
        if conversation_kind is ConversationKind.MEETING_CHAT:
            return self._expectations
        return self._help(conversation_kind, self._content.help.welcome)

    def _help(self, conversation_kind: ConversationKind, lead: str | None) -> CardReply:
        card = build_help_card(
            self._content.help, lead=lead, personal_chat=conversation_kind is ConversationKind.PERSONAL
        )
        return CardReply(card, self._content.help.summary)
