"""Quoracy at the door: at a conference's scheduled start (and again a few minutes later while it is not quorate)
its chairs hear privately whether it is quorate, which agencies are missing, and who is expected but not yet in; and
a chair who goes ahead while it is inquorate records why.

Sent from the reminder outbox (once per conference and moment, whichever instance), to the chairs the invitation
names (`CalendarChairs`), in Teams or by e-mail. Nothing goes to the meeting chat.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.domain.card_actions import ProceedRequest
from bot.domain.conferences import Conference, StoredConference
from bot.domain.conversations import ConversationAddress
from bot.domain.outbox import Delivery, ReminderStatus, to_any_of
from bot.domain.quorum import AgencyDirectory, QuorumSnapshot
from bot.domain.quorum_decisions import ProceedDecision
from bot.domain.reminders import ReminderPolicy, report_writers
from bot.usecases.asker_address import address_of
from bot.usecases.chair_check import Asker
from bot.usecases.chair_disconnects import ChairAnswer
from bot.usecases.chair_gate import notice
from bot.usecases.conference_reports import CalendarParts
from bot.usecases.personal_reminders import PersonalMessage
from bot.usecases.port_errors import DirectoryUnavailableError, TeamsCallError
from bot.usecases.ports import ConversationDirectory, MeetingDirectory, QuorumDecisions
from bot.usecases.quorum_check import QuorumCheck
from bot.usecases.replies import CardReply
from bot.usecases.report_confirmations import ChairOfMeeting
from cards.door import build_door_card, build_proceed_recorded_card
from cards.emails import door_email
from cards.wording.chair import ChairContent
from cards.wording.reports import NotConfirmedWording

logger = logging.getLogger(__name__)

SendToChair = Callable[[Conference, str, PersonalMessage], Awaitable[Delivery]]
"""Sends to one chair by their address (Teams, else e-mail): `PersonalReminders.send`."""


class QuorumAtTheDoor:
    def __init__(
        self,
        *,
        calendar: CalendarParts,
        decisions: QuorumDecisions,
        conversations: ConversationDirectory,
        directory: MeetingDirectory,
        quorum: QuorumCheck,
        agencies: AgencyDirectory,
        policy: ReminderPolicy,
        wording: ChairContent,
        refusals: NotConfirmedWording,
        chair_of_meeting: ChairOfMeeting | None = None,
    ) -> None:
        self._calendar = calendar
        self._decisions = decisions
        self._conversations = conversations
        self._directory = directory
        self._quorum = quorum
        self._agencies = agencies
        self._policy = policy
        self._wording = wording
        self._refusals = refusals
        self._chair_of_meeting = chair_of_meeting

    @property
    def timezone(self) -> ZoneInfo:
        return self._policy.timezone

    async def check(self, stored: StoredConference, *, recheck: bool, now: datetime, send: SendToChair) -> Delivery:
        """Tell the chairs; on a recheck only if it is still not quorate (SKIPPED otherwise)."""
        conference = stored.conference
        chat = await self._conversations.find(conference.chat_id) if conference.chat_id else None
        if chat is None:
            return Delivery.failed("the bot is not in this meeting's chat, so it cannot see who is there")
        try:
            snapshot, expected = await self._at_the_door(conference, chat, now)
        except TeamsCallError as problem:
            return Delivery.retry(f"Teams did not say who is in the meeting: {problem}")
        if recheck and snapshot.assessment.quorate:
            return Delivery(ReminderStatus.SKIPPED, reason="quorate by then")
        if await self._decisions.of_conference(stored.id) is not None:
            return Delivery(ReminderStatus.SKIPPED, reason="a chair has already decided to proceed")
        try:
            chairs = await self._calendar.chairs.of(conference)
        except DirectoryUnavailableError as problem:
            return Delivery.retry(f"directory look-up failed: {problem}")
        if not chairs:
            return Delivery.failed("no CP Chair found in the invitation (CHAIR_USERS, CHAIR_GROUP_ID, organiser)")
        card = build_door_card(
            snapshot,
            expected,
            conference_id=stored.id,
            recheck=recheck,
            timezone=self.timezone,
            wording=self._wording,
        )
        subject, html = door_email(snapshot, expected, recheck=recheck, timezone=self.timezone, wording=self._wording)
        message = PersonalMessage(CardReply(card, self._wording.door.summary), subject, html)
        outcomes = [await send(conference, chair.invitee.email, message) for chair in chairs]
        logger.info(
            "quorum at the door conference=%d recheck=%s quorate=%s chairs=%d reached=%d",
            stored.id,
            recheck,
            snapshot.assessment.quorate,
            len(outcomes),
            sum(outcome.status is ReminderStatus.SENT for outcome in outcomes),
        )
        return to_any_of(outcomes)

    async def _at_the_door(
        self, conference: Conference, chat: ConversationAddress, now: datetime
    ) -> tuple[QuorumSnapshot, list[tuple[str, str]]]:
        present = await self._quorum.present(chat, now, None)
        here = {person.email.lower() for person in present if person.email}
        expected = []
        for person in report_writers(conference, self._policy):
            if person.email not in here:
                agency = self._agencies.agency_of(person.email, None)
                expected.append((person.name or person.email, agency.name if agency else ""))
        return self._agencies.snapshot(present, now), expected

    async def proceed(
        self, action: ProceedRequest, asker: Asker, chat: ConversationAddress | None, now: datetime
    ) -> ChairAnswer:
        """A chair records going ahead while inquorate, with their reason (the first decision stands)."""
        stored = await self._calendar.conferences.conference(action.conference_id)
        if stored is None or stored.conference.cancelled or not stored.conference.chat_id:
            return ChairAnswer(notice(self._wording.door.unknown_conference))
        email = await address_of(self._directory, asker, chat)
        try:
            chairs = email is not None and await self._calendar.chairs.chairs(stored.conference, email)
            if not chairs and self._chair_of_meeting is not None:
                chairs = await self._chair_of_meeting(stored.conference.chat_id, asker)
        except DirectoryUnavailableError:
            return ChairAnswer(notice(self._refusals.directory_unavailable))
        if not chairs or asker.aad_object_id is None:
            logger.info("proceed refused: not a chair conference=%d user=%s", stored.id, asker.aad_object_id)
            return ChairAnswer(notice(self._wording.door.only_chairs))
        chat_for_quorum = await self._conversations.find(stored.conference.chat_id)
        missing: tuple[str, ...] = ()
        if chat_for_quorum is not None:
            try:
                snapshot, _ = await self._at_the_door(stored.conference, chat_for_quorum, now)
                missing = tuple(agency.name for agency in snapshot.assessment.missing_required)
            except TeamsCallError:
                logger.info("proceed recorded without what was missing conference=%d", stored.id)
        decision = ProceedDecision(
            stored.id, stored.conference.chat_id, now, asker.aad_object_id, action.reason, missing
        )
        recorded, standing = await self._decisions.record(decision)
        logger.info(
            "proceed while inquorate conference=%d chair=%s recorded=%s", stored.id, asker.aad_object_id, recorded
        )
        card = build_proceed_recorded_card(standing, recorded=recorded, timezone=self.timezone, wording=self._wording)
        return ChairAnswer(CardReply(card, self._wording.door.summary), replaces_card=recorded)
