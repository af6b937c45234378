"""Sends the reminders whose time has come, from the outbox, exactly once each.

A row is claimed before it is sent and settled after, in one piece that a shutdown lets finish; a row claimed by an
instance that stopped mid-send is taken over later (so a crash at the wrong moment can repeat one reminder, never lose
one). Nothing goes after its moment: a join-early warning once the conference has started, a report reminder after
the day the report was due.

A few reminders are sent at once (Teams' pacing decides how fast they actually go), and a round that found a full
batch asks to be run again straight away, so a backlog drains at the rate Teams allows rather than a batch per
interval.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Protocol

from bot.domain.conferences import Conference
from bot.domain.outbox import LONGEST_DELIVERY, Delivery, OutboxEntry, ReminderStatus
from bot.domain.reminders import ReminderKind, ReminderPolicy, report_due_date
from bot.usecases.personal_reminders import PersonalMessage, PersonalReminders
from bot.usecases.ports import (
    AppInstaller,
    ChatMessenger,
    ConferenceStore,
    ConversationDirectory,
    MeetingDirectory,
    PersonDirectory,
    PrivateMessenger,
    ReminderMailer,
    ReminderOutbox,
)
from bot.usecases.pre_meeting import MeetingChatPoster
from bot.usecases.replies import CardReply
from cards.emails import join_early_email, report_due_email
from cards.reminders import build_join_early_card, build_report_due_card

logger = logging.getLogger(__name__)


class TeamsReach(MeetingDirectory, ChatMessenger, PrivateMessenger, Protocol):
    """Teams as the reminders need it: chat members, posts into chats, private messages."""


BATCH = 100
SENDING_AT_ONCE = 8


class ReminderSender:
    def __init__(
        self,
        *,
        outbox: ReminderOutbox,
        conferences: ConferenceStore,
        meeting_chats: MeetingChatPoster,
        personal: PersonalReminders,
        policy: ReminderPolicy,
    ) -> None:
        self._outbox = outbox
        self._conferences = conferences
        self._meeting_chats = meeting_chats
        self._personal = personal
        self._policy = policy

    @classmethod
    def assemble(
        cls,
        *,
        outbox: ReminderOutbox,
        conferences: ConferenceStore,
        conversations: ConversationDirectory,
        teams: TeamsReach,
        policy: ReminderPolicy,
        people: PersonDirectory | None = None,
        chat_installer: AppInstaller | None = None,
        user_installer: AppInstaller | None = None,
        mailer: ReminderMailer | None = None,
    ) -> ReminderSender:
        """The sender with its two ways out: the meeting chat, and the person (Teams, else e-mail). Installers are
        given only where the administrator allowed installing the app."""
        meeting_chats = MeetingChatPoster(
            conversations=conversations,
            directory=teams,
            chats=teams,
            installer=chat_installer,
            timezone=policy.timezone,
        )
        personal = PersonalReminders(
            conversations=conversations,
            meeting_chats=meeting_chats,
            messenger=teams,
            people=people,
            installer=user_installer,
            mailer=mailer,
        )
        return cls(
            outbox=outbox, conferences=conferences, meeting_chats=meeting_chats, personal=personal, policy=policy
        )

    async def run_once(self, now: datetime) -> bool:
        """Send what is due; True when a full batch was found, so more may be waiting."""
        self._meeting_chats.new_round()
        due = await self._outbox.due(now, limit=BATCH)
        at_once = asyncio.Semaphore(SENDING_AT_ONCE)

        async def send(entry: OutboxEntry) -> None:
            async with at_once:
                await self._send_one(entry, now)

        # Shielded: stopping the bot lets the reminders in hand be sent and recorded, not half done.
        await asyncio.shield(asyncio.gather(*(send(entry) for entry in due)))
        return len(due) == BATCH

    async def _send_one(self, entry: OutboxEntry, now: datetime) -> None:
        if not await self._outbox.claim(entry, now):
            return
        try:
            async with asyncio.timeout(LONGEST_DELIVERY.total_seconds()):
                delivery = await self._deliver(entry, now)
        except TimeoutError:
            logger.warning("reminder took too long reminder=%d; trying again later", entry.id)
            delivery = Delivery.retry(f"took longer than {LONGEST_DELIVERY.total_seconds():.0f} s")
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
        conference = stored.conference
        if entry.kind is ReminderKind.MEETING_CHAT:
            return await self._meeting_chats.post(conference)
        return await self._personal.send(conference, entry.recipient, self._personal_message(conference, entry.kind))

    def _personal_message(self, conference: Conference, kind: ReminderKind) -> PersonalMessage:
        timezone = self._policy.timezone
        if kind is ReminderKind.JOIN_EARLY:
            card = build_join_early_card(start=conference.start, timezone=timezone, join_url=conference.join_url)
            subject, html = join_early_email(start=conference.start, timezone=timezone, join_url=conference.join_url)
            summary = "Your child protection conference starts soon: please join 2–3 minutes early"
            return PersonalMessage(CardReply(card, summary), subject, html)
        due = report_due_date(conference, self._policy)
        card = build_report_due_card(kind=conference.kind, start=conference.start, due=due, timezone=timezone)
        subject, html = report_due_email(kind=conference.kind, start=conference.start, due=due, timezone=timezone)
        return PersonalMessage(CardReply(card, "Your child protection conference report is due soon"), subject, html)
