"""Sends the reminders whose time has come, from the outbox, exactly once each.

A row is claimed before it is sent and settled after, in one piece that a shutdown lets finish; a row claimed by an
instance that stopped mid-send is taken over later (so a crash at the wrong moment can repeat one reminder, never lose
one). Nothing goes after its moment: a join-early warning once the conference has started, a report reminder after
the day the report was due.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bot.domain.chairs import DirectoryUnavailableError
from bot.domain.conferences import Conference, StoredConference
from bot.domain.outbox import Channel, Delivery, OutboxEntry, ReminderStatus
from bot.domain.reminders import ReminderKind, ReminderPolicy, report_due_date
from bot.domain.roster import ChatMember, TeamsCallError, TeamsFailure
from bot.usecases.ports import (
    ChatMessenger,
    ConferenceStore,
    ConversationDirectory,
    MeetingDirectory,
    PersonDirectory,
    PrivateMessenger,
    ReminderOutbox,
)
from bot.usecases.replies import CardReply
from cards.reminders import Mention, build_join_early_card, build_pre_meeting_card, build_report_due_card

logger = logging.getLogger(__name__)

BATCH = 100


class ReminderSender:
    def __init__(
        self,
        *,
        outbox: ReminderOutbox,
        conferences: ConferenceStore,
        conversations: ConversationDirectory,
        directory: MeetingDirectory,
        chats: ChatMessenger,
        messenger: PrivateMessenger,
        people: PersonDirectory | None,
        policy: ReminderPolicy,
    ) -> None:
        self._outbox = outbox
        self._conferences = conferences
        self._conversations = conversations
        self._directory = directory
        self._chats = chats
        self._messenger = messenger
        self._people = people
        self._policy = policy

    @property
    def _timezone(self) -> ZoneInfo:
        return self._policy.timezone

    async def run_once(self, now: datetime) -> None:
        for entry in await self._outbox.due(now, limit=BATCH):
            # Shielded: stopping the bot lets the reminder in hand be sent and recorded, not half done.
            await asyncio.shield(self._send_one(entry, now))

    async def _send_one(self, entry: OutboxEntry, now: datetime) -> None:
        if not await self._outbox.claim(entry, now):
            return
        try:
            delivery = await self._deliver(entry, now)
        except Exception as problem:  # a bug or an unforeseen answer must not stop the other reminders
            logger.exception("reminder failed unexpectedly reminder=%d", entry.id)
            delivery = Delivery.retry(f"unexpected {type(problem).__name__}")
        status = await self._outbox.settle(entry.id, delivery, now)
        logger.info(
            "reminder settled reminder=%d conference=%d kind=%s status=%s channel=%s reason=%s",
            entry.id,
            entry.conference_id,
            entry.kind.value,
            status.value,
            delivery.channel.value if delivery.channel else "-",
            delivery.reason or "-",
        )

    async def _deliver(self, entry: OutboxEntry, now: datetime) -> Delivery:
        stored = await self._conferences.conference(entry.conference_id)
        if stored is None or stored.conference.cancelled:
            return Delivery(ReminderStatus.CANCELLED, reason="the conference was cancelled")
        if now >= entry.expires_at:
            too_late = "the report's due date had passed" if entry.kind is ReminderKind.REPORT_DUE else "it had started"
            return Delivery(ReminderStatus.EXPIRED, reason=f"too late: {too_late}")
        if entry.kind is ReminderKind.MEETING_CHAT:
            return await self._post_in_meeting_chat(stored)
        return await self._send_to_person(stored, entry)

    async def _post_in_meeting_chat(self, stored: StoredConference) -> Delivery:
        conference = stored.conference
        if conference.chat_id is None:
            return Delivery.failed("no Teams meeting chat is known for this conference's join link")
        chat = await self._conversations.find(conference.chat_id)
        if chat is None:
            return Delivery.failed("the bot is not in this meeting's chat: add the app to the meeting when booking it")
        members = await self._members(chat_id=conference.chat_id)
        invited = [
            Mention(member.teams_user_id, member.display_name or "")
            for member in members
            if _email(member) in {person.email for person in conference.invitees} and member.display_name
        ]
        reply = CardReply(
            build_pre_meeting_card(start=conference.start, timezone=self._timezone, invited=invited),
            "The child protection conference starts soon: please join 2–3 minutes early",
        )
        try:
            await self._chats.post(chat, reply)
        except TeamsCallError as problem:
            return _teams_problem(problem, Channel.MEETING_CHAT)
        return Delivery.sent(Channel.MEETING_CHAT)

    async def _members(self, *, chat_id: str) -> tuple[ChatMember, ...]:
        chat = await self._conversations.find(chat_id)
        if chat is None:
            return ()
        try:
            return await self._directory.chat_members(chat)
        except TeamsCallError as problem:
            logger.info("meeting chat members unavailable reason=%s", problem)
            return ()

    async def _send_to_person(self, stored: StoredConference, entry: OutboxEntry) -> Delivery:
        conference = stored.conference
        reply = self._personal_reply(conference, entry.kind)
        chat = await self._conversations.find(conference.chat_id) if conference.chat_id else None
        base = chat or await self._conversations.latest()
        if base is None:
            return Delivery.failed("the bot has not been in any Teams conversation yet, so cannot reach anyone")
        person_id = await self._teams_id(entry.recipient, conference)
        if isinstance(person_id, Delivery):
            return person_id
        try:
            await self._messenger.send_privately(base, person_id, reply)
        except TeamsCallError as problem:
            return _teams_problem(problem, Channel.TEAMS)
        return Delivery.sent(Channel.TEAMS)

    async def _teams_id(self, email: str, conference: Conference) -> str | Delivery:
        """Their id in the meeting chat's member list, else their Entra object id from the directory."""
        if conference.chat_id:
            for member in await self._members(chat_id=conference.chat_id):
                if _email(member) == email:
                    return member.teams_user_id
        if self._people is None:
            return Delivery.failed("not in the meeting chat, and the directory is not available (no Graph settings)")
        try:
            object_id = await self._people.object_id(email)
        except DirectoryUnavailableError as problem:
            return Delivery.retry(f"directory look-up failed: {problem}")
        if object_id is None:
            return Delivery.failed("not reachable in Teams: not a user of this organisation")
        return object_id

    def _personal_reply(self, conference: Conference, kind: ReminderKind) -> CardReply:
        if kind is ReminderKind.JOIN_EARLY:
            card = build_join_early_card(start=conference.start, timezone=self._timezone, join_url=conference.join_url)
            return CardReply(card, "Your child protection conference starts soon: please join 2–3 minutes early")
        due = report_due_date(conference, self._policy)
        card = build_report_due_card(kind=conference.kind, start=conference.start, due=due, timezone=self._timezone)
        return CardReply(card, "Your child protection conference report is due soon")


def _email(member: ChatMember) -> str | None:
    address = member.email or member.principal_name
    return address.lower() if address else None


def _teams_problem(problem: TeamsCallError, channel: Channel) -> Delivery:
    if problem.failure is TeamsFailure.UNAVAILABLE:
        wait = timedelta(seconds=problem.retry_after) if problem.retry_after else None
        return Delivery.retry(f"Teams did not take it ({problem})", after=wait, channel=channel)
    if problem.failure is TeamsFailure.NOT_REACHABLE:
        return Delivery.failed("not reachable in Teams: they do not have the app (403)", channel=channel)
    return Delivery.failed(f"Teams refused: {problem}", channel=channel)
