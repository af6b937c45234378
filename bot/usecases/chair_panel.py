"""The meeting side panel's live view: for a chair of the conference, attendance and quoracy now and the
disconnection log (with the log form and undo); for anyone else, their own report deadlines.

Whether the viewer chairs is decided afresh for every look, by the same rule as the chair commands; someone who does
not chair is never handed anything from the chair's view. The panel's writes (log, undo) go through the same gate,
audit and log as the chat's cards, so a log entry made in the panel is the same entry a card would make.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import assert_never

from bot.domain.card_actions import (
    ActionProblem,
    Field,
    FormSubmission,
    ProceedRequest,
    ReportAction,
    UndoRequest,
    read_card_action,
)
from bot.domain.conversations import ConversationAddress, holds_meeting
from bot.domain.disconnect_request import RosterPerson
from bot.domain.disconnections import Disconnection
from bot.domain.quorum import QuorumSnapshot
from bot.domain.reports import ReportsStatus
from bot.domain.sessions import MeetingSession
from bot.usecases.chair_check import Asker, ChairCheck
from bot.usecases.chair_disconnects import ChairDisconnects, roster_of
from bot.usecases.conference_reports import ConferenceReports
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.port_errors import TeamsCallError
from bot.usecases.ports import ConversationDirectory, DisconnectionLog, MeetingRecords
from bot.usecases.quorum_check import QuorumCheck
from bot.usecases.report_deadlines import ReportDeadlines
from cards.disconnect_form import action_problem
from cards.reminders import Deadline
from cards.wording.chair import CardActionWording

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ChairView:
    conversation_id: str
    viewer: str
    """The chair looking, lower case: undo is offered on the entries they logged."""
    session: MeetingSession | None
    quorum: QuorumSnapshot | None
    """None when Teams could not say who is in the meeting just now."""
    entries: tuple[Disconnection, ...]
    roster: tuple[RosterPerson, ...]
    """Who the form can log."""
    reports: ReportsStatus | None = None
    """Who has shared their report, when the calendar knows the conference."""


@dataclass(frozen=True, slots=True)
class AttendeeView:
    deadlines: tuple[Deadline, ...] | None
    """Their upcoming report deadlines; None when the bot cannot tell (no calendars, or their e-mail unknown)."""


PanelView = ChairView | AttendeeView


class ChairPanel:
    def __init__(
        self,
        *,
        conversations: ConversationDirectory,
        check: ChairCheck,
        records: MeetingRecords,
        log: DisconnectionLog,
        quorum: QuorumCheck,
        people: MeetingPeople,
        disconnects: ChairDisconnects,
        deadlines: ReportDeadlines,
        card_actions: CardActionWording,
        reports: ConferenceReports | None = None,
    ) -> None:
        self._reports = reports
        self._conversations = conversations
        self._check = check
        self._records = records
        self._log = log
        self._quorum = quorum
        self._people = people
        self._disconnects = disconnects
        self._deadlines = deadlines
        self._card_actions = card_actions

    async def conference(
        self, conversation_id: str | None, meeting_id: str | None = None
    ) -> ConversationAddress | None:
        """The conference held in that meeting chat, or else in that meeting (a channel meeting's tab knows its
        channel and its meeting, not the thread the bot is in); None when the bot knows none there."""
        chat = await self._conversations.find(conversation_id) if conversation_id else None
        if chat is None and meeting_id:
            session = await self._records.latest_session(meeting_id)
            chat = await self._conversations.find(session.conversation_id) if session is not None else None
        return chat if chat is not None and holds_meeting(chat) else None

    async def view(self, chat: ConversationAddress, viewer: str, now: datetime) -> PanelView:
        viewer = viewer.lower()
        asker = Asker("", viewer)
        if not await self._check.chairs(chat, asker):
            return AttendeeView(await self._deadlines.deadlines_of(asker, chat, now))
        session = await self._records.latest_session(chat.meeting_id or "")
        try:
            quorum: QuorumSnapshot | None = await self._quorum.now(chat, now, viewer)
        except TeamsCallError as problem:
            logger.info("panel quorum unavailable conversation=%s reason=%s", chat.conversation_id, problem)
            quorum = None
        entries = tuple(await self._log.for_session(session.id)) if session is not None else ()
        roster = tuple(await roster_of(self._people, self._records, chat, session))
        return ChairView(
            chat.conversation_id, viewer, session, quorum, entries, roster, await self._reports_in(chat, now)
        )

    async def _reports_in(self, chat: ConversationAddress, now: datetime) -> ReportsStatus | None:
        held = await self._reports.held_in(chat.conversation_id, now) if self._reports is not None else None
        return await self._reports.status(held) if self._reports is not None and held is not None else None

    async def act(self, chat: ConversationAddress, viewer: str, value: object, now: datetime) -> str | None:
        """A log form or an undo sent from the panel (the card's own fields): what to tell the chair, in the words
        the cards use. None when the value is neither."""
        if isinstance(value, dict):
            value = {**value, Field.CONVERSATION: chat.conversation_id}  # the panel's own conference, whatever was sent
        action = read_card_action(value)
        if action is None:
            return None
        asker = Asker("", viewer)
        match action:
            case FormSubmission():
                answer = await self._disconnects.submit_form(action, asker, chat, now)
            case UndoRequest():
                answer = await self._disconnects.undo(action, asker, now)
            case ActionProblem():
                return str(action_problem(action, self._card_actions))
            case ReportAction() | ProceedRequest():
                return None  # buttons of the chairs' private cards, which the panel does not offer
            case _:
                assert_never(action)
        return answer.reply.summary
