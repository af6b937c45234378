"""The activity handler: thin. Parse what Teams sent, ask a use case, send what it returns."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from http import HTTPStatus
from typing import TypeVar

from botbuilder.core import TurnContext
from botbuilder.core.teams import TeamsActivityHandler
from botbuilder.schema import Activity, AdaptiveCardInvokeResponse

from bot.domain.card_actions import read_card_action
from bot.domain.clock import Clock, utc_now
from bot.domain.conversations import ConversationKind
from bot.teams.activities import (
    conversation_address,
    conversation_kind,
    mentions_of_others,
    text_without_bot_mention,
)
from bot.teams.meeting_events import (
    MalformedMeetingEventError,
    parse_meeting_ended,
    parse_meeting_started,
    parse_participants_joined,
    parse_participants_left,
)
from bot.teams.replies import card_activity
from bot.usecases.answer_command import CommandResponder
from bot.usecases.chair_check import Asker
from bot.usecases.chair_disconnects import ChairAnswer
from bot.usecases.command_request import Asking
from bot.usecases.command_table import CommandRouter
from bot.usecases.remember_conversation import ConversationRecorder
from bot.usecases.replies import CardReply
from bot.usecases.track_meeting import MeetingTracker

logger = logging.getLogger(__name__)

_Event = TypeVar("_Event")


class ConferenceBot(TeamsActivityHandler):  # type: ignore[misc]
    def __init__(
        self,
        commands: CommandRouter,
        responder: CommandResponder,
        recorder: ConversationRecorder,
        meetings: MeetingTracker,
        *,
        now: Clock = utc_now,
    ) -> None:
        super().__init__()
        self._commands = commands
        self._responder = responder
        self._recorder = recorder
        self._meetings = meetings
        self._now = now

    async def on_turn(self, turn_context: TurnContext) -> None:
        await self._remember_conversation(turn_context)
        await super().on_turn(turn_context)

    def _create_adaptive_card_invoke_error_response(
        self, status_code: HTTPStatus, code: str, message: str
    ) -> AdaptiveCardInvokeResponse:
        """botbuilder 4.17 answers a malformed `adaptiveCard/action` invoke with an error whose value is a Python
        Exception, which cannot be serialised (the request then failed with a 500). Teams expects `{code, message}`."""
        return AdaptiveCardInvokeResponse(
            status_code=status_code,
            type="application/vnd.microsoft.error",
            value={"code": code, "message": message},
        )

    async def on_message_activity(self, turn_context: TurnContext) -> None:
        activity = turn_context.activity
        now = self._now()
        asker, chat = _asker(activity), conversation_address(activity)
        action = read_card_action(activity.value)
        if action is not None:
            answer = await self._commands.answer_card_action(action, asker, chat, now)
            if answer is None:
                return  # answered privately: the chat it was pressed in hears nothing
            if answer.replaces_card and activity.reply_to_id and await _replaced(turn_context, answer):
                return
            await turn_context.send_activity(card_activity(answer.reply))
            return
        asking = Asking(
            asker=asker,
            chat=chat,
            kind=conversation_kind(activity),
            mentions=mentions_of_others(activity),
            message_id=str(activity.id or ""),
            now=now,
        )
        reply = await self._commands.answer(text_without_bot_mention(activity), activity.value, asking)
        if reply is not None:  # None: answered privately, and this chat hears nothing
            await turn_context.send_activity(card_activity(reply))

    async def on_installation_update_add(self, turn_context: TurnContext) -> None:
        """Say hello where the bot is installed, with what it can do."""
        kind = conversation_kind(turn_context.activity)
        reply = self._responder.welcome(kind if kind is not ConversationKind.UNKNOWN else ConversationKind.PERSONAL)
        await turn_context.send_activity(card_activity(reply))

    # The method names below are exactly the ones botbuilder 4.17 dispatches to; `meeting` is the raw value, which
    # botbuilder's own detail classes misread, so the activity is parsed instead.
    async def on_teams_meeting_start_event(self, meeting: object, turn_context: TurnContext) -> None:
        if (event := _parsed(turn_context, parse_meeting_started, self._now())) is not None:
            await self._meetings.meeting_started(event, ChatPosterForTurn(turn_context))

    async def on_teams_meeting_end_event(self, meeting: object, turn_context: TurnContext) -> None:
        if (event := _parsed(turn_context, parse_meeting_ended, self._now())) is not None:
            await self._meetings.meeting_ended(event)

    async def on_teams_meeting_participants_join_event(self, meeting: object, turn_context: TurnContext) -> None:
        if (event := _parsed(turn_context, parse_participants_joined, self._now())) is not None:
            await self._meetings.participants_joined(event, ChatPosterForTurn(turn_context))

    async def on_teams_meeting_participants_leave_event(self, meeting: object, turn_context: TurnContext) -> None:
        if (event := _parsed(turn_context, parse_participants_left, self._now())) is not None:
            await self._meetings.participants_left(event)

    async def _remember_conversation(self, turn_context: TurnContext) -> None:
        address = conversation_address(turn_context.activity)
        if address is None:
            return
        try:
            await self._recorder.saw(address)
        except Exception:
            # The person still gets their answer; only the ability to post here later is affected.
            logger.exception("could not store conversation=%s", address.conversation_id)


def _asker(activity: Activity) -> Asker:
    """Who sent the activity; nobody in particular when a client leaves `from` out (no chair check then passes)."""
    sender = activity.from_property
    return Asker(
        teams_user_id=str(getattr(sender, "id", None) or ""),
        aad_object_id=(getattr(sender, "aad_object_id", None) or "").lower() or None,
    )


async def _replaced(turn_context: TurnContext, answer: ChairAnswer) -> bool:
    """Put the answer in place of the card whose button was pressed; False (logged) if Teams would not."""
    replacement = card_activity(answer.reply)
    replacement.id = turn_context.activity.reply_to_id
    try:
        await turn_context.update_activity(replacement)
    except Exception as problem:
        logger.info("card not replaced activity=%s reason=%s", replacement.id, type(problem).__name__)
        return False
    return True


def _parsed(
    turn_context: TurnContext, parse: Callable[[Activity, datetime], _Event], received_at: datetime
) -> _Event | None:
    """The meeting event in this turn, or None (logged by ids only) when it is malformed or not from a meeting."""
    activity = turn_context.activity
    try:
        return parse(activity, received_at)
    except MalformedMeetingEventError as problem:
        logger.warning(
            "meeting event ignored activity=%s name=%s conversation=%s reason=%s",
            activity.id,
            activity.name,
            getattr(activity.conversation, "id", None),
            problem,
        )
        return None


class ChatPosterForTurn:
    """Posts into the conversation of the turn being handled."""

    def __init__(self, turn_context: TurnContext) -> None:
        self._turn_context = turn_context

    async def __call__(self, reply: CardReply) -> None:
        await self._turn_context.send_activity(card_activity(reply))
