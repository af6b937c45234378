"""The interfaces the use cases need from the outside world; `bot/store`, `bot/teams` and `bot/graph` implement them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Protocol

from bot.domain.attendance import AttendanceEvent
from bot.domain.attendance_report import AttendanceReport
from bot.domain.chairs import AuditEntry
from bot.domain.conferences import CalendarChanges, Conference, StoredConference, SyncPosition
from bot.domain.conversations import ConversationAddress
from bot.domain.disconnections import ChairEntry, Disconnection, Drop, LogOutcome, Notice, UndoOutcome
from bot.domain.meetings import AttendanceKind, MeetingPlace, Participant
from bot.domain.outbox import Delivery, OutboxBacklog, OutboxEntry, ReminderStatus
from bot.domain.quorum_decisions import ProceedDecision
from bot.domain.reminders import PlannedReminder
from bot.domain.report_links import LinkProblem, ReportLink
from bot.domain.reports import ConfirmOutcome, ReportConfirmation, WithdrawOutcome
from bot.domain.retention import Purged
from bot.domain.roster import ChatMember, MeetingInfo, MeetingParticipation
from bot.domain.sessions import MeetingSession, StartSource, SummaryStatus
from bot.domain.stage import StageOutcome, StagePage, StageRecipient
from bot.usecases.replies import CardReply


class ConversationDirectory(Protocol):
    """Where the bot remembers the conversations it has seen, so it can post into them later."""

    async def remember(self, address: ConversationAddress) -> None: ...

    async def find(self, conversation_id: str) -> ConversationAddress | None: ...

    async def latest(self) -> ConversationAddress | None:
        """The conversation seen most recently: its service URL, bot and tenant reach anyone else in the tenant."""
        ...


class MeetingRecords(Protocol):
    """Meeting sessions and attendance, shared by every instance of the bot."""

    async def start_session(self, place: MeetingPlace, started_at: datetime, source: StartSource) -> MeetingSession: ...

    async def end_session(self, place: MeetingPlace, ended_at: datetime) -> MeetingSession | None: ...

    async def latest_session(self, meeting_id: str) -> MeetingSession | None: ...

    async def recent_sessions(self, *, started_after: datetime, limit: int) -> list[MeetingSession]:
        """The latest session of each meeting that had one start after `started_after`, newest first, at most
        `limit` of them."""
        ...

    async def claim_card(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool: ...

    async def settle_card(self, session_id: int, now: datetime) -> None: ...

    async def release_card(self, session_id: int) -> None: ...

    async def record_attendance(
        self,
        session_id: int,
        kind: AttendanceKind,
        participants: tuple[Participant, ...],
        at: datetime,
        delivery_id: str,
    ) -> None: ...

    async def attendance(self, session_id: int) -> list[AttendanceEvent]: ...

    async def session(self, session_id: int) -> MeetingSession | None: ...

    async def sessions_to_follow_up(
        self, *, ended_since: datetime, started_since: datetime
    ) -> list[MeetingSession]: ...

    async def sessions_awaiting_summary(self, *, ended_before: datetime, claimed_before: datetime) -> list[int]: ...

    async def sessions_awaiting_chair_card(self, *, started_since: datetime, claimed_before: datetime) -> list[int]:
        """Open sessions started since `started_since` whose chairs' cards are not settled nor being sent (a claim
        older than `claimed_before` was abandoned)."""
        ...

    async def claim_chair_card(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool: ...

    async def settle_chair_card(self, session_id: int, now: datetime) -> None: ...

    async def claim_summary(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool: ...

    async def settle_summary(self, session_id: int, status: SummaryStatus | None) -> None: ...


class DisconnectionLog(Protocol):
    """Disconnection entries, automatic and logged by chairs."""

    async def record_drop(self, session_id: int, drop: Drop, notice: Notice) -> int | None: ...

    async def set_notice(self, disconnection_id: int, notice: Notice) -> None: ...

    async def for_session(self, session_id: int) -> list[Disconnection]: ...

    async def log_by_chair(self, entry: ChairEntry, now: datetime) -> tuple[LogOutcome, Disconnection]: ...

    async def undo(self, disconnection_id: int, chair_aad_object_id: str, now: datetime) -> UndoOutcome: ...

    async def entry(self, disconnection_id: int) -> Disconnection | None: ...


class MeetingDirectory(Protocol):
    """What Teams knows about a meeting, asked fresh each time. Raises TeamsCallError when Teams cannot say."""

    async def participation(self, chat: ConversationAddress, aad_object_id: str) -> MeetingParticipation: ...

    async def meeting_info(self, chat: ConversationAddress) -> MeetingInfo: ...

    async def chat_members(self, chat: ConversationAddress) -> tuple[ChatMember, ...]: ...


class StageNotifier(Protocol):
    """Teams' targeted meeting notification: a page on the meeting stage of the given people (`29:` ids, at most
    `TARGETED_RECIPIENTS_LIMIT`). Returns those Teams said it could not reach, with its error code; raises
    TeamsCallError when it refused the whole request (NOT_IN_MEETING for a 403)."""

    async def show_on_stage(
        self, chat: ConversationAddress, recipients: Sequence[str], page: StagePage
    ) -> dict[str, str]: ...


class StageNotices(Protocol):
    """Who has been shown the expectations on their stage, per session: claimed once, then settled."""

    async def claim(
        self, session_id: int, people: Sequence[StageRecipient], *, now: datetime, claimed_before: datetime
    ) -> list[StageRecipient]: ...

    async def settle(
        self, session_id: int, outcomes: dict[str, tuple[StageOutcome, str | None]], now: datetime
    ) -> None: ...

    async def abandoned(self, *, claimed_before: datetime) -> dict[int, list[StageRecipient]]: ...


class PrivateMessenger(Protocol):
    """Sends a card to one person in their 1:1 chat with the bot; TeamsCallError(NOT_REACHABLE) if Teams refuses."""

    async def send_privately(self, chat: ConversationAddress, person_id: str, reply: CardReply) -> None: ...


class ChatPoster(Protocol):
    """Posts a card into the conversation the current event came from."""

    async def __call__(self, reply: CardReply) -> None: ...


class ChairGroup(Protocol):
    """The Entra group of CP Chairs. Raises DirectoryUnavailableError when the directory cannot say."""

    async def includes(self, aad_object_id: str) -> bool: ...


class ChairAudit(Protocol):
    """Where every attempt at a chair command is written down (ids, time, command, outcome)."""

    async def record(self, entry: AuditEntry) -> None: ...


class RecordsRetention(Protocol):
    """Deletes records older than a moment: sessions with their attendance and disconnections, and the audit."""

    async def purge(self, before: datetime, *, dry_run: bool = False) -> Purged: ...


class CalendarSource(Protocol):
    """A mailbox's calendar: everything in `window` (no delta link), or what changed since the delta link."""

    async def changes(
        self, mailbox: str, *, delta_link: str | None, window: tuple[datetime, datetime]
    ) -> CalendarChanges: ...


class MeetingChatFinder(Protocol):
    """The Teams meeting chat id behind a join URL, asked of the organiser's online meetings."""

    async def chat_id(self, organiser: str, join_url: str) -> str | None: ...


class ConferenceStore(Protocol):
    async def position(self, mailbox: str) -> SyncPosition | None: ...

    async def save_position(self, mailbox: str, position: SyncPosition, now: datetime) -> None: ...

    async def event_ids(self, mailbox: str, *, starting_from: datetime) -> set[str]: ...

    async def save(self, mailbox: str, event_id: str, conference: Conference, now: datetime) -> int: ...

    async def forget(self, mailbox: str, event_id: str, now: datetime) -> int | None: ...

    async def set_chat(self, conference_id: int, chat_id: str) -> None: ...

    async def conference(self, conference_id: int) -> StoredConference | None: ...

    async def upcoming(
        self, *, after: datetime, before: datetime, chat_id: str | None = None
    ) -> list[StoredConference]: ...


class ReminderOutbox(Protocol):
    async def reconcile(self, conference_id: int, planned: list[PlannedReminder], now: datetime) -> None: ...

    async def due(self, now: datetime, *, limit: int = 100) -> list[OutboxEntry]: ...

    async def claim(self, entry: OutboxEntry, now: datetime) -> bool: ...

    async def settle(self, entry: OutboxEntry, delivery: Delivery, now: datetime) -> ReminderStatus: ...

    async def release(self, entry: OutboxEntry, now: datetime) -> bool: ...

    async def backlog(self, now: datetime) -> OutboxBacklog: ...

    async def entries(self, *, conference_id: int | None = None) -> list[OutboxEntry]: ...


class ReportRecords(Protocol):
    """Report confirmations, and the links e-mailed reminders carry (`bot.store.reports`)."""

    async def confirmations(self, conference_id: int) -> list[ReportConfirmation]: ...

    async def confirmation(self, conference_id: int, email: str) -> ReportConfirmation | None: ...

    async def confirm(self, confirmation: ReportConfirmation) -> tuple[ConfirmOutcome, ReportConfirmation]:
        """Recorded once per conference and person: a repeat returns the standing confirmation, unchanged."""
        ...

    async def confirm_by_link(
        self, confirmation: ReportConfirmation, token: str
    ) -> tuple[ConfirmOutcome, ReportConfirmation] | LinkProblem:
        """As `confirm`, spending the e-mailed link's token in the same transaction (or nothing done)."""
        ...

    async def withdraw(self, conference_id: int, email: str, now: datetime) -> WithdrawOutcome: ...

    async def withdraw_by_link(
        self, conference_id: int, email: str, now: datetime, token: str
    ) -> WithdrawOutcome | LinkProblem: ...

    async def issue_link(self, link: ReportLink, now: datetime) -> str: ...

    async def link(self, token: str, now: datetime) -> ReportLink | LinkProblem: ...


class QuorumDecisions(Protocol):
    """Chairs' decisions to proceed while inquorate (`bot.store.quorum_decisions`)."""

    async def record(self, decision: ProceedDecision) -> tuple[bool, ProceedDecision]:
        """(True, it) when recorded; (False, the standing one) when the conference had one already."""
        ...

    async def of_conference(self, conference_id: int) -> ProceedDecision | None: ...

    async def in_chat(self, conversation_id: str, *, since: datetime, until: datetime) -> ProceedDecision | None: ...


class AttendanceReports(Protocol):
    """Teams' attendance report of a meeting session, from Graph; None while Teams has made none.
    AttendanceReportError when Graph cannot give it."""

    async def report(self, organizer_id: str, meeting_id: str, started_at: datetime) -> AttendanceReport | None: ...


class ReportedAttendanceStore(Protocol):
    """The attendance reports fetched, one per session (`bot.store.attendance_reports`)."""

    async def waiting(
        self, *, ended_before: datetime, ended_after: datetime, now: datetime, limit: int = 20
    ) -> list[int]: ...

    async def claim(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool: ...

    async def later(self, session_id: int, *, at: datetime, reason: str) -> None: ...

    async def settle(
        self,
        session_id: int,
        *,
        outcome: str,
        now: datetime,
        reason: str | None = None,
        report: AttendanceReport | None = None,
    ) -> bool: ...

    async def report(self, session_id: int) -> AttendanceReport | None: ...


class ChatMessenger(Protocol):
    """Posts a card into a conversation the bot is part of (proactively, outside any turn)."""

    async def post(self, chat: ConversationAddress, reply: CardReply) -> None: ...


class PersonDirectory(Protocol):
    """The Entra object id of a user of this organisation, by e-mail address; None for anyone else."""

    async def object_id(self, email: str) -> str | None: ...


class AppInstaller(Protocol):
    """Installs the bot where an administrator allowed it; InstallationError says why not."""

    async def install_in_chat(self, chat_id: str) -> None: ...

    async def install_for_user(self, object_id: str) -> None: ...


class ReminderMailer(Protocol):
    """Sends one e-mail; MailError says why not and whether to try again."""

    async def send(self, to: str, subject: str, html: str) -> None: ...


class WorkLease(Protocol):
    """One instance at a time: take or renew the named lease; False while another instance holds it."""

    async def acquire(self, name: str, holder: str, now: datetime, *, lasting: timedelta) -> bool: ...

    async def release(self, name: str, holder: str) -> None: ...


class RefusedTenantAudit(Protocol):
    """Counts activities refused because their tenant is not one the bot serves (ids only)."""

    async def record(self, tenant_id: str | None, at: datetime) -> None: ...
