"""What happens as a conference meeting runs: its sessions, the expectations card at the start, attendance.

The card is posted once per meeting session, by whichever delivery claims it first. If Teams never sends the start
event (it sometimes does not), the first participant event opens the session and posts the card instead.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from zoneinfo import ZoneInfo

from bot.domain.clock import Clock, utc_now
from bot.domain.meetings import AttendanceKind, MeetingEnded, MeetingStarted, ParticipantsJoined, ParticipantsLeft
from bot.domain.sessions import MeetingSession, StartSource, leave_belongs_to
from bot.usecases.conference_changes import ConferenceChanges
from bot.usecases.ports import ChatPoster, MeetingRecords
from bot.usecases.replies import CardReply
from bot.usecases.stage_notices import StageNotifications
from cards import CardContent, build_expectations_card

logger = logging.getLogger(__name__)


CARD_CLAIM_LAPSES = timedelta(minutes=1)
"""A claim on the start card older than this, never settled, was abandoned: longer than a post can take (three tries
of at most TEAMS_TIMEOUT_SECONDS each; the wiring lengthens it for a longer time limit)."""


class MeetingTracker:
    def __init__(
        self,
        records: MeetingRecords,
        content: CardContent,
        timezone: ZoneInfo,
        *,
        claim_lapses: timedelta = CARD_CLAIM_LAPSES,
        now: Clock = utc_now,
        changes: ConferenceChanges | None = None,
        stage: StageNotifications | None = None,
        start_alert: str | None = None,
    ) -> None:
        self._changes = changes or ConferenceChanges()
        self._stage = stage
        """Shows the expectations on the stage of each person who joins after the start card; None without a
        public address for the page (local mode without PUBLIC_BASE_URL)."""
        self._start_alert = start_alert
        """The start card's in-meeting alert: the expectations on the stage of everyone there as it is posted."""
        self._records = records
        self._content = content
        self._timezone = timezone
        self._claim_lapses = claim_lapses
        self._now = now

    def conference_card(self, session: MeetingSession) -> CardReply:
        start = session.started_at.astimezone(self._timezone).strftime("%H:%M")
        card = build_expectations_card(self._content.expectations, conference_start=start)
        return CardReply(card, self._content.expectations.summary, stage_alert=self._start_alert)

    async def meeting_started(self, event: MeetingStarted, post: ChatPoster) -> None:
        session = await self._records.start_session(event.place, event.started_at, StartSource.EVENT)
        logger.info("meeting started meeting=%s session=%d", session.meeting_id, session.id)
        self._changes.changed(event.place.conversation_id)
        await self._post_card_once(session, post)

    async def meeting_ended(self, event: MeetingEnded) -> MeetingSession | None:
        session = await self._records.end_session(event.place, event.ended_at)
        if session is None:
            logger.info("meeting end without an open session meeting=%s", event.place.meeting_id)
        else:
            logger.info("meeting ended meeting=%s session=%d", session.meeting_id, session.id)
            self._changes.changed(event.place.conversation_id)
        return session

    async def participants_joined(self, event: ParticipantsJoined, post: ChatPoster) -> None:
        session = await self._records.start_session(event.place, event.at, StartSource.PARTICIPANT)
        await self._records.record_attendance(
            session.id, AttendanceKind.JOINED, event.participants, event.at, event.delivery_id
        )
        logger.info("attendance recorded session=%d kind=join people=%d", session.id, len(event.participants))
        self._changes.changed(event.place.conversation_id)
        posted_at = session.card_posted_at
        if posted_at is not None and event.at > posted_at and self._stage is not None:
            # They were not there when the card (and its alert on the stage) went out: they see it on their own.
            # Someone who was, and drops out and comes back, has seen it.
            there = {
                seen.aad_object_id.lower()
                for seen in await self._records.attendance(session.id)
                if seen.kind is AttendanceKind.JOINED and seen.at <= posted_at
            }
            late = [person for person in event.participants if person.aad_object_id.lower() not in there]
            if late:
                await self._stage.joined_late(event.place.conversation_id, session.id, late, self._now())
        await self._post_card_once(session, post)

    async def participants_left(self, event: ParticipantsLeft) -> None:
        session = await self._records.latest_session(event.place.meeting_id)
        if session is None or not leave_belongs_to(session, event.at):
            # A leave with nothing to attach it to opens no session: nobody needs a card on their way out.
            logger.info("leave for no current session meeting=%s", event.place.meeting_id)
            return
        await self._records.record_attendance(
            session.id, AttendanceKind.LEFT, event.participants, event.at, event.delivery_id
        )
        logger.info("attendance recorded session=%d kind=leave people=%d", session.id, len(event.participants))
        self._changes.changed(event.place.conversation_id)

    async def _post_card_once(self, session: MeetingSession, post: ChatPoster) -> None:
        if session.card_posted:
            return
        now = self._now()
        if not await self._records.claim_card(session.id, now=now, claimed_before=now - self._claim_lapses):
            return
        try:
            await post(self.conference_card(session))
        except BaseException:
            # Cancelled (the bot stopping) as well as failed: the card was not posted, so the next delivery may post
            # it. Shielded, so that a second cancellation cannot strand the claim after all.
            await asyncio.shield(self._records.release_card(session.id))
            raise
        await self._records.settle_card(session.id, self._now())
        logger.info("expectations card posted meeting=%s session=%d", session.meeting_id, session.id)
