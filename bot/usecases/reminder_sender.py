"""Sends the reminders whose time has come, from the outbox, exactly once each.

A row is claimed before it is sent and settled after, in one piece that a shutdown lets finish for a few seconds and
then puts back unsent; a row claimed by an instance that died mid-send is taken over later (so a crash at the wrong
moment can repeat one reminder, never lose one). Nothing goes after its moment: a join-early warning once the
conference has started, a report reminder after the day the report was due.

A few reminders are sent at once (Teams' pacing decides how fast they actually go). A round that found a full batch
returns as soon as it has claimed it all, its sends still going, and asks to be run again straight away: the next
batch starts filling places as they free up, so a backlog drains at the rate Teams allows, without a pause at the
end of each batch. A round that found less waits for every send in flight, so when it returns its work is done.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.conferences import Conference, StoredConference
from bot.domain.outbox import LONGEST_DELIVERY, Delivery, OutboxEntry, ReminderStatus, to_any_of
from bot.domain.reminders import ReminderKind, ReminderPolicy, report_due_date
from bot.telemetry.recording import count, outbox_backlog, recording_anything, reminder_delay, span
from bot.telemetry.vocabulary import Attribute, MetricName, SpanName
from bot.usecases.calendar_chairs import CalendarChairs
from bot.usecases.conference_reports import ConferenceReports
from bot.usecases.personal_reminders import PersonalMessage, PersonalReminders
from bot.usecases.port_errors import DirectoryUnavailableError
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
from bot.usecases.quorum_at_door import QuorumAtTheDoor
from bot.usecases.replies import CardReply
from bot.usecases.report_confirmations import CONFIRM_PATH, ReportConfirmations
from cards.content import ReminderWording
from cards.emails import join_early_email, report_due_email, report_status_email
from cards.reminders import build_join_early_card, build_report_due_card
from cards.reports import report_shared_button
from cards.wording.reports import ReportsContent

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
        wording: ReminderWording,
        reports: ChairReminding,
    ) -> None:
        self._wording = wording
        self._reports = reports
        self._outbox = outbox
        self._conferences = conferences
        self._meeting_chats = meeting_chats
        self._personal = personal
        self._policy = policy
        self._places = asyncio.Semaphore(SENDING_AT_ONCE)
        self._in_flight: set[asyncio.Task[None]] = set()
        self._stopping = False

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
        wording: ReminderWording,
        reports: ChairReminding,
    ) -> ReminderSender:
        """The sender with its two ways out: the meeting chat, and the person (Teams, else e-mail). Installers are
        given only where the administrator allowed installing the app."""
        meeting_chats = MeetingChatPoster(
            conversations=conversations,
            directory=teams,
            chats=teams,
            installer=chat_installer,
            timezone=policy.timezone,
            wording=wording,
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
            outbox=outbox,
            conferences=conferences,
            meeting_chats=meeting_chats,
            personal=personal,
            policy=policy,
            wording=wording,
            reports=reports,
        )

    async def run_once(self, now: datetime) -> bool:
        """Send what is due; True when a full batch was found, so more may be waiting."""
        self._meeting_chats.new_round()
        if recording_anything():
            outbox_backlog(await self._outbox.backlog(now), now)
        due = await self._outbox.due(now, limit=BATCH)
        for entry in due:
            await self._places.acquire()
            if self._stopping:
                self._places.release()
                break
            try:
                claimed = await self._outbox.claim(entry, now)
            except BaseException:
                self._places.release()
                raise
            if not claimed:
                self._places.release()
                continue
            # A task of its own: stopping the bot (or cancelling this round) lets a reminder in hand be sent and
            # recorded, not half done.
            sending = asyncio.create_task(self._send_claimed(entry, now), name=f"reminder {entry.id}")
            self._in_flight.add(sending)
            sending.add_done_callback(self._place_freed)
        if len(due) == BATCH:
            return True
        await self.finish()
        return False

    def _place_freed(self, sending: asyncio.Task[None]) -> None:
        self._in_flight.discard(sending)
        self._places.release()

    async def finish(self) -> None:
        """Wait for every reminder in flight to be sent and settled."""
        while self._in_flight:
            await asyncio.gather(*self._in_flight, return_exceptions=True)

    async def stop(self, *, within: float) -> None:
        """The bot is stopping: claim nothing more, give the reminders in flight `within` seconds to be sent and
        settled, and put back in the outbox, for the next instance, those still going after that."""
        self._stopping = True
        if self._in_flight:
            _, still_going = await asyncio.wait(set(self._in_flight), timeout=within)
            for sending in still_going:
                sending.cancel()
        await self.finish()

    async def _send_claimed(self, entry: OutboxEntry, now: datetime) -> None:
        sending = {
            Attribute.REMINDER_ID: entry.id,
            Attribute.REMINDER_KIND: entry.kind.value,
            Attribute.CONFERENCE_ID: entry.conference_id,
            Attribute.REMINDER_ATTEMPT: entry.attempts + 1,
        }
        with span(SpanName.REMINDER_SEND, sending) as send:
            delivery, status = await self._send_and_settle(entry, now)
            if status is None:
                return
            outcome = {Attribute.REMINDER_STATUS: status.value}
            if delivery.channel:
                outcome[Attribute.REMINDER_CHANNEL] = delivery.channel.value
            send.set(outcome)
            _count_settled(entry, delivery, status, now)
            if status is ReminderStatus.FAILED:
                send.failed("gave-up")
            elif status is ReminderStatus.PENDING:
                send.failed("retrying")

    async def _send_and_settle(self, entry: OutboxEntry, now: datetime) -> tuple[Delivery, ReminderStatus | None]:
        """How the delivery went and the status settled (None: not recorded, so it is taken over later)."""
        try:
            async with asyncio.timeout(LONGEST_DELIVERY.total_seconds()):
                delivery = await self._deliver(entry, now)
        except asyncio.CancelledError:
            await self._put_back(entry, now)
            raise
        except TimeoutError:
            logger.warning("reminder took too long reminder=%d; trying again later", entry.id)
            delivery = Delivery.retry(f"took longer than {LONGEST_DELIVERY.total_seconds():.0f} s")
        except Exception as problem:  # a bug or an unforeseen answer must not stop the other reminders
            logger.exception("reminder failed unexpectedly reminder=%d", entry.id)
            delivery = Delivery.retry(f"unexpected {type(problem).__name__}")
        try:
            status = await self._outbox.settle(entry, delivery, now)
        except Exception:
            logger.exception("reminder not recorded reminder=%d; its claim lapses and it is taken over", entry.id)
            return delivery, None
        logger.info(
            "reminder settled reminder=%d conference=%d kind=%s status=%s channel=%s reason=%s",
            entry.id,
            entry.conference_id,
            entry.kind.value,
            status.value,
            delivery.channel.value if delivery.channel else "-",
            delivery.reason or "-",
        )
        return delivery, status

    async def _put_back(self, entry: OutboxEntry, now: datetime) -> None:
        # Teams may have taken the message just before the send was stopped: putting it back risks one repeat, not a
        # loss (the outbox's rule throughout).
        try:
            released = await self._outbox.release(entry, now)
        except Exception:
            logger.warning("reminder not put back reminder=%d; its claim lapses and it is taken over", entry.id)
            return
        if released:
            logger.info("reminder put back unsent as the bot stops reminder=%d", entry.id)

    async def _deliver(self, entry: OutboxEntry, now: datetime) -> Delivery:
        stored = await self._conferences.conference(entry.conference_id)
        if stored is None or stored.conference.cancelled:
            return Delivery(ReminderStatus.CANCELLED, reason="the conference was cancelled")
        handling = REMINDER_KINDS[entry.kind]
        if now >= entry.expires_at:
            return Delivery(ReminderStatus.EXPIRED, reason=f"too late: {handling.too_late}")
        return await handling.deliver(self, stored.conference, entry)

    async def _post_in_meeting_chat(self, conference: Conference, entry: OutboxEntry) -> Delivery:
        return await self._meeting_chats.post(conference)

    async def _send_join_early(self, conference: Conference, entry: OutboxEntry) -> Delivery:
        timezone = self._policy.timezone
        start, join_url, wording = conference.start, conference.join_url, self._wording
        card = build_join_early_card(start=start, timezone=timezone, join_url=join_url, wording=wording)
        subject, html = join_early_email(start=start, timezone=timezone, join_url=join_url, wording=wording)
        message = PersonalMessage(CardReply(card, wording.sentences.join_early.summary), subject, html)
        return await self._personal.send(conference, entry.recipient, message)

    async def _send_report_due(self, conference: Conference, entry: OutboxEntry) -> Delivery:
        timezone, reports = self._policy.timezone, self._reports
        due = report_due_date(conference, self._policy)
        kind, start, wording = conference.kind, conference.start, self._wording.sentences
        confirming = reports.wording.confirming
        button = report_shared_button(entry.conference_id, confirming)
        card = build_report_due_card(
            kind=kind, start=start, due=due, timezone=timezone, wording=wording, actions=[button]
        )
        subject, _ = report_due_email(kind=kind, start=start, due=due, timezone=timezone, wording=wording)

        async def html() -> str:
            link = await reports.link_for(StoredConference(entry.conference_id, conference), entry.recipient)
            _, body = report_due_email(
                kind=kind,
                start=start,
                due=due,
                timezone=timezone,
                wording=wording,
                confirm_link=link,
                confirming=confirming,
            )
            return body

        message = PersonalMessage(CardReply(card, wording.report_due.summary), subject, html)
        return await self._personal.send(conference, entry.recipient, message)

    async def _send_report_status(self, conference: Conference, entry: OutboxEntry) -> Delivery:
        """The report status to each of the conference's chairs (by the invitation): sent once at least one has it."""
        reports, stored = self._reports, StoredConference(entry.conference_id, conference)
        try:
            chairs = await reports.chairs.of(conference)
        except DirectoryUnavailableError as problem:
            return Delivery.retry(f"directory look-up failed: {problem}")
        if not chairs:
            return Delivery.failed("no CP Chair found in the invitation (CHAIR_USERS, CHAIR_GROUP_ID, organiser)")
        status = await reports.status.status(stored)
        card = reports.status.card([(stored, status)], at_deadline=True)
        subject, html = report_status_email(
            status,
            kind=conference.kind,
            start=conference.start,
            timezone=self._policy.timezone,
            wording=reports.wording,
            kinds=self._wording.sentences.conference_kinds,
        )
        message = PersonalMessage(card, subject, html)
        outcomes = [await self._personal.send(conference, chair.invitee.email, message) for chair in chairs]
        reached = sum(outcome.status is ReminderStatus.SENT for outcome in outcomes)
        logger.info("report status conference=%d chairs=%d reached=%d", entry.conference_id, len(outcomes), reached)
        return to_any_of(outcomes)

    async def _quorum_at_start(self, conference: Conference, entry: OutboxEntry) -> Delivery:
        return await self._quorum_at_the_door(conference, entry, recheck=False)

    async def _quorum_recheck(self, conference: Conference, entry: OutboxEntry) -> Delivery:
        return await self._quorum_at_the_door(conference, entry, recheck=True)

    async def _quorum_at_the_door(self, conference: Conference, entry: OutboxEntry, *, recheck: bool) -> Delivery:
        stored, now = StoredConference(entry.conference_id, conference), self._reports.clock()
        return await self._reports.door.check(stored, recheck=recheck, now=now, send=self._personal.send)


def _count_settled(entry: OutboxEntry, delivery: Delivery, status: ReminderStatus, now: datetime) -> None:
    kind = {Attribute.REMINDER_KIND: entry.kind.value}
    if status is ReminderStatus.SENT:
        channel = {**kind, Attribute.REMINDER_CHANNEL: delivery.channel.value if delivery.channel else "-"}
        count(MetricName.REMINDERS_SENT, channel)
        reminder_delay(now - entry.due_at, kind)
    elif status is ReminderStatus.FAILED:
        count(MetricName.REMINDERS_FAILED, {**kind, Attribute.OUTCOME: "gave-up"})
    elif status is ReminderStatus.PENDING:
        count(MetricName.REMINDERS_FAILED, {**kind, Attribute.OUTCOME: "retrying"})


@dataclass(frozen=True, slots=True)
class ChairReminding:
    """What the reports' and the chairs' reminders need besides the reminder rules: the link for e-mails, the report
    status, the chairs, and quoracy at the door."""

    confirmations: ReportConfirmations
    status: ConferenceReports
    chairs: CalendarChairs
    door: QuorumAtTheDoor
    public_base_url: str
    """Where the e-mailed link points (PUBLIC_BASE_URL); empty: e-mails carry no link."""
    wording: ReportsContent
    clock: Callable[[], datetime]

    async def link_for(self, stored: StoredConference, email: str) -> str | None:
        if not self.public_base_url:
            return None
        token = await self.confirmations.new_link(stored, email, self.clock())
        return f"{self.public_base_url}{CONFIRM_PATH}{token}"


@dataclass(frozen=True, slots=True)
class KindHandling:
    deliver: Callable[[ReminderSender, Conference, OutboxEntry], Awaitable[Delivery]]
    too_late: str
    """Why a reminder of this kind is no longer sent once its moment has passed."""


REMINDER_KINDS: Mapping[ReminderKind, KindHandling] = {
    ReminderKind.MEETING_CHAT: KindHandling(ReminderSender._post_in_meeting_chat, "it had started"),
    ReminderKind.JOIN_EARLY: KindHandling(ReminderSender._send_join_early, "it had started"),
    ReminderKind.REPORT_DUE: KindHandling(ReminderSender._send_report_due, "the report's due date had passed"),
    ReminderKind.REPORT_STATUS: KindHandling(ReminderSender._send_report_status, "the conference had started"),
    ReminderKind.QUORUM_AT_START: KindHandling(ReminderSender._quorum_at_start, "the conference was well under way"),
    ReminderKind.QUORUM_RECHECK: KindHandling(ReminderSender._quorum_recheck, "the conference was well under way"),
}
"""How each kind of reminder is sent: one entry per kind (a test checks every kind has one)."""
