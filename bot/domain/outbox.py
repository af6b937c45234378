"""The reminder outbox: what state each owed reminder is in, and how a failed attempt is retried.

Every reminder is one row, unique per (conference, kind, recipient). A sender claims a due row before sending and
settles it afterwards, so restarts and several instances never send one twice; a claim left by an instance that
stopped is taken over after `ABANDONED_CLAIM`. A delivery never runs longer than `LONGEST_DELIVERY` (the sender cuts
it short and retries later), so a claim older than that belongs to an instance that is gone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from bot.domain.reminders import ReminderKind

MAX_ATTEMPTS: Final = 5
FIRST_RETRY: Final = timedelta(seconds=30)
LONGEST_RETRY: Final = timedelta(minutes=30)
LONGEST_DELIVERY: Final = timedelta(seconds=60)
ABANDONED_CLAIM: Final = LONGEST_DELIVERY + timedelta(seconds=30)


class ReminderStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"
    """The conference was cancelled, or the person is no longer invited."""
    EXPIRED = "expired"
    """Its moment had passed before it could go out (never a join-early warning after the start)."""
    SKIPPED = "skipped"
    """Not needed when its moment came (a quorum recheck for a conference quorate by then)."""

    @property
    def open(self) -> bool:
        return self in (ReminderStatus.PENDING, ReminderStatus.SENDING)


class Channel(StrEnum):
    MEETING_CHAT = "meeting-chat"
    TEAMS = "teams"
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class OutboxEntry:
    id: int
    conference_id: int
    kind: ReminderKind
    recipient: str
    status: ReminderStatus
    due_at: datetime
    expires_at: datetime
    attempts: int
    channel: Channel | None = None
    reason: str | None = None
    settled_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class OutboxBacklog:
    """Reminders whose time has come and that are not sent yet (pending and due, or claimed and not yet settled)."""

    waiting: int
    oldest_due_at: datetime | None

    def lag(self, now: datetime) -> timedelta:
        """How long the oldest of them has waited."""
        return max(now - self.oldest_due_at, timedelta(0)) if self.oldest_due_at else timedelta(0)


@dataclass(frozen=True, slots=True)
class Delivery:
    """How one attempt went. `retry_after` is set when the attempt may be repeated (throttling, a passing fault)."""

    status: ReminderStatus
    channel: Channel | None = None
    reason: str | None = None
    """A short explanation for an administrator; ids at most, never a name or message text."""
    retry_after: timedelta | None = None

    @classmethod
    def sent(cls, channel: Channel) -> Delivery:
        return cls(ReminderStatus.SENT, channel)

    @classmethod
    def failed(cls, reason: str, *, channel: Channel | None = None) -> Delivery:
        return cls(ReminderStatus.FAILED, channel, reason)

    @classmethod
    def retry(cls, reason: str, *, after: timedelta | None = None, channel: Channel | None = None) -> Delivery:
        return cls(ReminderStatus.PENDING, channel, reason, after or FIRST_RETRY)


def settle(delivery: Delivery, attempts: int, now: datetime) -> tuple[ReminderStatus, datetime, str | None]:
    """The row's next status, its next attempt time and the reason kept: a retry past MAX_ATTEMPTS becomes failed."""
    if delivery.status is not ReminderStatus.PENDING:
        return delivery.status, now, delivery.reason
    if attempts >= MAX_ATTEMPTS:
        return ReminderStatus.FAILED, now, f"gave up after {attempts} tries: {delivery.reason}"
    backoff = min(FIRST_RETRY * 2 ** max(attempts - 1, 0), LONGEST_RETRY)
    return ReminderStatus.PENDING, now + max(backoff, delivery.retry_after or timedelta(0)), delivery.reason


def to_any_of(deliveries: list[Delivery]) -> Delivery:
    """One reminder to several people (a conference's chairs): sent once any of them has it; else how the first went
    (so it is retried only when nobody got it, and nobody gets it twice)."""
    sent = [delivery for delivery in deliveries if delivery.status is ReminderStatus.SENT]
    return sent[0] if sent else deliveries[0]
