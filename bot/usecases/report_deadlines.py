"""`/report-deadline`: when reports are due, from the conferences the calendar sync found.

In a meeting chat it answers for that conference, the same for everyone (the chat may be read by the family, so it
names no one). Elsewhere it answers for the person asking, found by their e-mail address among the invitees, in
their 1:1 chat: someone's conference schedule is theirs, not a group's.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.domain.conferences import StoredConference
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.reminders import ReminderPolicy, report_due_date
from bot.usecases.asker_address import address_of
from bot.usecases.chair_check import Asker
from bot.usecases.chair_gate import notice
from bot.usecases.command_request import CommandRequest
from bot.usecases.port_errors import TeamsCallError
from bot.usecases.ports import ConferenceStore, MeetingDirectory, PrivateMessenger
from bot.usecases.replies import CardReply
from cards.reminders import Deadline, build_conference_deadline_card, build_my_deadlines_card
from cards.wording.notices import ReportDeadlinesWording
from cards.wording.reminders import ReminderContent

logger = logging.getLogger(__name__)

STILL_THIS_CONFERENCE = timedelta(hours=6)
"""In a meeting chat during (or just after) a conference, that conference is the one asked about."""


class ReportDeadlines:
    def __init__(
        self,
        *,
        conferences: ConferenceStore | None,
        directory: MeetingDirectory,
        messenger: PrivateMessenger,
        policy: ReminderPolicy,
        horizon: timedelta,
        wording: ReportDeadlinesWording,
        cards: ReminderContent,
    ) -> None:
        self._wording = wording
        self._cards = cards
        self._conferences = conferences
        self._directory = directory
        self._messenger = messenger
        self._policy = policy
        self._horizon = horizon

    async def answer(self, request: CommandRequest) -> CardReply:
        asker, chat, now = request.asker, request.chat, request.now
        if self._conferences is None:
            return notice(self._wording.no_calendars, self._wording.no_calendars_detail)
        if chat is None:
            return notice(self._wording.chat_unknown)
        if chat.kind is ConversationKind.MEETING_CHAT:
            return await self._for_meeting(self._conferences, chat, now)
        return await self._for_person(self._conferences, asker, chat, now)

    def _deadline(self, stored: StoredConference) -> Deadline:
        conference = stored.conference
        return Deadline(conference.kind, conference.start, report_due_date(conference, self._policy))

    async def _for_meeting(self, store: ConferenceStore, chat: ConversationAddress, now: datetime) -> CardReply:
        found = await store.upcoming(
            after=now - STILL_THIS_CONFERENCE, before=now + self._horizon, chat_id=chat.conversation_id
        )
        if not found:
            return notice(self._wording.meeting_not_found, self._wording.meeting_not_found_detail)
        card = build_conference_deadline_card(self._deadline(found[0]), self._policy.timezone, self._cards)
        return CardReply(card, self._cards.conference_deadline.summary)

    async def _for_person(
        self, store: ConferenceStore, asker: Asker, chat: ConversationAddress, now: datetime
    ) -> CardReply:
        mine = await self._mine(store, asker, chat, now)
        if mine is None:
            return notice(self._wording.email_unknown)
        card = build_my_deadlines_card(mine, self._policy.timezone, self._cards)
        reply = CardReply(card, self._cards.my_deadlines.summary)
        if chat.kind is ConversationKind.PERSONAL:
            return reply
        try:
            await self._messenger.send_privately(chat, asker.teams_user_id, reply)
        except TeamsCallError as problem:
            logger.info("report deadlines not delivered privately reason=%s", problem)
            return notice(self._wording.only_privately, self._wording.only_privately_detail)
        return notice(self._wording.sent_privately)

    async def deadlines_of(self, asker: Asker, chat: ConversationAddress, now: datetime) -> tuple[Deadline, ...] | None:
        """The asker's upcoming report deadlines, found by their e-mail among `chat`'s members (for the meeting side
        panel, which shows each person their own); None when calendars are off or their e-mail is unknown."""
        if self._conferences is None:
            return None
        mine = await self._mine(self._conferences, asker, chat, now)
        return tuple(mine) if mine is not None else None

    async def _mine(
        self, store: ConferenceStore, asker: Asker, chat: ConversationAddress, now: datetime
    ) -> list[Deadline] | None:
        email = await address_of(self._directory, asker, chat)
        if email is None:
            return None
        return [
            self._deadline(stored)
            for stored in await store.upcoming(after=now, before=now + self._horizon)
            if email in {person.email for person in stored.conference.people}
        ]
