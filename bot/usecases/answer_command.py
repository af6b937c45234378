"""Answering what anyone may ask of the bot: the expectations, help, and text that is not a command."""

from __future__ import annotations

from bot.domain.commands import UnrecognisedText
from bot.domain.conversations import ConversationKind
from bot.usecases.command_request import CommandRequest
from bot.usecases.replies import CardReply
from cards import CardContent, build_expectations_card, build_help_card


class CommandResponder:
    """Turns a parsed message into the card to send back. Pure: the cards are built from the loaded content."""

    def __init__(self, content: CardContent) -> None:
        self._content = content
        self._expectations = CardReply(build_expectations_card(content.expectations), content.expectations.summary)

    async def expectations(self, request: CommandRequest) -> CardReply:
        return self._expectations

    async def help(self, request: CommandRequest) -> CardReply:
        return self._help(request.kind, None)

    def not_a_command(self, text: UnrecognisedText, conversation_kind: ConversationKind) -> CardReply:
        """The help card, saying first that the text was not understood (unless there was none)."""
        return self._help(conversation_kind, None if text.was_empty else self._content.help.not_recognised)

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
