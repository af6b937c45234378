"""Work done after the fact, by a background task on every instance: the chairs' cards once a conference has
started, following up drop-outs, and delivering the chair's summary once a conference has ended.

Everything it decides is kept in the store, so a restart loses nothing and several instances never do the same
work twice: a drop is recorded once (the entry's unique key), a summary is claimed before it is sent.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.attendance import AttendanceEvent
from bot.domain.conversations import ConversationAddress
from bot.domain.disconnections import Drop, Notice, find_drops
from bot.domain.meetings import MeetingRole
from bot.domain.sessions import LEAVES_AFTER_END, STALE_AFTER, MeetingSession, SummaryStatus
from bot.usecases.attendance_reconciliation import AttendanceReconciler
from bot.usecases.chair_cards import ChairCards
from bot.usecases.conference_chairs import ConferenceChairs, InConference
from bot.usecases.conference_changes import ConferenceChanges
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.port_errors import DirectoryUnavailableError, TeamsCallError, TeamsFailure
from bot.usecases.ports import ConversationDirectory, DisconnectionLog, MeetingRecords, PrivateMessenger
from bot.usecases.replies import CardReply
from bot.usecases.stage_notices import StageNotifications
from bot.usecases.summaries import SummaryMaker
from cards.notices import build_drop_out_card
from cards.summary import build_summary_card
from cards.wording.chair import ChairContent
from cards.wording.reminders import DropOutWording

logger = logging.getLogger(__name__)

SUMMARY_AFTER_END = timedelta(minutes=1)
"""Teams sends the last leave events just after the end event; the summary waits for them."""
ABANDONED_CLAIM = timedelta(minutes=5)
"""A summary claimed this long ago and still not settled was being sent by an instance that stopped."""
REMINDER_IN_FLIGHT = timedelta(minutes=2)
"""A drop-out reminder still being sent (by this or another instance) holds the summary back this long at most, so
the chair reads how it went rather than "not confirmed"."""


class FollowUp:
    def __init__(
        self,
        *,
        records: MeetingRecords,
        log: DisconnectionLog,
        conversations: ConversationDirectory,
        people: MeetingPeople,
        messenger: PrivateMessenger,
        summaries: SummaryMaker,
        timezone: ZoneInfo,
        drop_grace: timedelta,
        wording: DropOutWording,
        cards: ChairContent,
        chairs: ConferenceChairs,
        chair_cards: ChairCards,
        stage: StageNotifications | None = None,
        changes: ConferenceChanges | None = None,
        attendance: AttendanceReconciler | None = None,
    ) -> None:
        self._attendance = attendance
        self._stage = stage
        self._changes = changes or ConferenceChanges()
        self._chairs = chairs
        self._chair_cards = chair_cards
        self._wording = wording
        self._cards = cards
        self._records = records
        self._log = log
        self._conversations = conversations
        self._people = people
        self._messenger = messenger
        self._summaries = summaries
        self._timezone = timezone
        self._drop_grace = drop_grace

    async def run_once(self, now: datetime) -> None:
        await self._chair_cards.deliver(now)
        if self._stage is not None:
            await self._stage.resume_abandoned(now)
        await self.follow_up_drops(now)
        await self.deliver_summaries(now)
        if self._attendance is not None:
            await self._attendance.run_once(now, self._updated_summary)

    async def _updated_summary(self, session: MeetingSession, now: datetime) -> None:
        """The summary again, now counted from Teams' attendance report (sent once: the report is settled once)."""
        status = await self._deliver_summary(session, now)
        logger.info("summary updated from the attendance report session=%d status=%s", session.id, status.value)

    async def follow_up_drops(self, now: datetime) -> None:
        sessions = await self._records.sessions_to_follow_up(
            ended_since=now - self._drop_grace - LEAVES_AFTER_END, started_since=now - STALE_AFTER
        )
        for session in sessions:
            events = await self._records.attendance(session.id)
            drops = find_drops(events, ended_at=session.ended_at, now=now, grace=self._drop_grace)
            if not drops:
                continue
            known = {(entry.aad_object_id, entry.disconnected_at) for entry in await self._log.for_session(session.id)}
            new = [drop for drop in drops if (drop.aad_object_id, drop.left_at) not in known]
            if new:
                await self._follow_up_session(session, events, new)

    async def _follow_up_session(
        self, session: MeetingSession, events: list[AttendanceEvent], drops: list[Drop]
    ) -> None:
        chat = await self._conversations.find(session.conversation_id)
        chair: InConference | None = None
        chair_looked_up = False
        for drop in drops:
            remind = chat is not None and drop.still_away and drop.role is not MeetingRole.ORGANIZER
            entry = await self._log.record_drop(session.id, drop, Notice.PENDING if remind else Notice.NOT_SENT)
            if entry is None:
                continue  # another instance recorded it first
            logger.info("drop recorded session=%d disconnection=%d", session.id, entry)
            self._changes.changed(session.conversation_id)  # the chairs' open panels show it now
            if chat is None or not remind:
                continue
            if not chair_looked_up:
                chair = await self._chair_to_email(chat, session)
                chair_looked_up = True
            await self._log.set_notice(entry, await self._remind(chat, drop, chair, entry))

    async def _chair_to_email(self, chat: ConversationAddress, session: MeetingSession) -> InConference | None:
        """The chair the drop-out reminder names: the conference's first chair (`ConferenceChairs.of`); None, and
        the reminder says "the CP Chair", when the bot cannot tell."""
        try:
            chairs = await self._chairs.of(chat, session)
        except DirectoryUnavailableError:
            logger.info("drop-out reminder names no chair: the directory did not answer session=%d", session.id)
            return None
        return chairs[0].person if chairs else None

    async def _remind(self, chat: ConversationAddress, drop: Drop, chair: InConference | None, entry: int) -> Notice:
        card = build_drop_out_card(
            left_at=drop.left_at,
            timezone=self._timezone,
            chair_name=chair.display_name if chair else None,
            chair_email=chair.email if chair else None,
            wording=self._wording,
        )
        reply = CardReply(card, self._wording.heading)
        try:
            await self._messenger.send_privately(chat, drop.teams_user_id or drop.aad_object_id, reply)
        except TeamsCallError as problem:
            logger.info("drop-out reminder not delivered disconnection=%d reason=%s", entry, problem)
            return Notice.NOT_REACHABLE if problem.failure is TeamsFailure.NOT_REACHABLE else Notice.FAILED
        logger.info("drop-out reminder sent disconnection=%d", entry)
        return Notice.SENT

    async def deliver_summaries(self, now: datetime) -> None:
        waiting = await self._records.sessions_awaiting_summary(
            ended_before=now - SUMMARY_AFTER_END, claimed_before=now - ABANDONED_CLAIM
        )
        for session_id in waiting:
            if await self._reminder_in_flight(session_id, now):
                continue  # the next round sends it
            if not await self._records.claim_summary(session_id, now=now, claimed_before=now - ABANDONED_CLAIM):
                continue
            session = await self._records.session(session_id)
            if session is None:
                continue
            status = await self._deliver_summary(session, now)
            await self._records.settle_summary(session_id, status)

    async def _reminder_in_flight(self, session_id: int, now: datetime) -> bool:
        return any(
            entry.notice is Notice.PENDING
            and (entry.recorded_at is None or entry.recorded_at > now - REMINDER_IN_FLIGHT)
            for entry in await self._log.for_session(session_id)
        )

    async def _deliver_summary(self, session: MeetingSession, now: datetime) -> SummaryStatus:
        """The summary to each of the conference's chairs (never to an organiser who is not one). SENT once a chair
        has it; KEPT, for `/summary`, when none could be reached."""
        chat = await self._conversations.find(session.conversation_id)
        if chat is None:
            logger.warning("summary kept: meeting chat unknown session=%d", session.id)
            return SummaryStatus.KEPT
        members = await self._people.members(chat)
        try:
            chairs = await self._chairs.of(chat, session, members)
        except DirectoryUnavailableError:
            logger.warning("summary kept: the directory did not say who chairs session=%d", session.id)
            return SummaryStatus.KEPT
        if not chairs:
            logger.warning("summary kept: no chair known session=%d", session.id)
            return SummaryStatus.KEPT
        events = await self._records.attendance(session.id)
        chair_ids = frozenset(chair.person.aad_object_id for chair in chairs)
        summary = await self._summaries.summarise(session, events, members, now, chair_ids)
        reply = CardReply(build_summary_card(summary, self._timezone, self._cards), self._cards.summary.reply)
        delivered = 0
        for chair in chairs:
            person = chair.person
            try:
                await self._messenger.send_privately(chat, person.teams_user_id or person.aad_object_id, reply)
            except TeamsCallError as problem:
                logger.warning(
                    "summary not delivered to a chair session=%d user=%s reason=%s",
                    session.id,
                    person.aad_object_id,
                    problem,
                )
                continue
            delivered += 1
            logger.info(
                "summary sent to a chair session=%d user=%s basis=%s", session.id, person.aad_object_id, chair.basis
            )
        if not delivered:
            logger.warning("summary kept for /summary: no chair reachable privately session=%d", session.id)
            return SummaryStatus.KEPT
        return SummaryStatus.SENT
