"""The activity handler: thin. Parse what Teams sent, ask a use case, send what it returns."""

from __future__ import annotations

import logging

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler

from bot.domain.commands import command_from_card_data, parse_command
from bot.domain.conversations import ConversationKind
from bot.teams.activities import conversation_address, conversation_kind, text_without_bot_mention
from bot.teams.replies import card_activity
from bot.usecases.answer_command import CommandResponder
from bot.usecases.remember_conversation import ConversationRecorder

logger = logging.getLogger(__name__)


class ConferenceBot(TeamsActivityHandler):  # type: ignore[misc]
    def __init__(self, responder: CommandResponder, recorder: ConversationRecorder) -> None:
        super().__init__()
        self._responder = responder
        self._recorder = recorder

    async def on_turn(self, turn_context: TurnContext) -> None:
        await self._remember_conversation(turn_context)
        await super().on_turn(turn_context)

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        parsed = command_from_card_data(activity.value) or parse_command(text_without_bot_mention(activity))
        reply = self._responder.reply_to(parsed, conversation_kind(activity))
        await turn_context.send_activity(card_activity(reply))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        """Say hello where the bot is installed, with what it can do."""
        kind = conversation_kind(turn_context.activity)
        reply = self._responder.welcome(kind if kind is not ConversationKind.UNKNOWN else ConversationKind.PERSONAL)
        await turn_context.send_activity(card_activity(reply))

    async def _remember_conversation(self, turn_context: TurnContext) -> None:
        address = conversation_address(turn_context.activity)
        if address is None:
            return
        try:
            await self._recorder.saw(address)
        except Exception:
            # The person still gets their answer; only the ability to post here later is affected.
            logger.exception("could not store conversation=%s", address.conversation_id)
