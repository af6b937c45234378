"""Which reminders a conference needs, and when each is due.

- The pre-meeting card in the meeting chat, `lead_time` before the start.
- The same warning privately to each professional invitee, at the same moment.
- A report reminder to each professional invitee, `report_reminder_working_days` working days before their report is
  due (at `report_reminder_at`, local time).
- Once the due date has passed, the report status to the conference's chairs, privately (`status_due_at`).
- At the scheduled start, quoracy to the chairs, privately; again `quorum_recheck` later while it is not quorate.

Reports are due 2 working days before an Initial conference and 5 before a Review (the partnership's procedures).

Professionals are the invitees whose e-mail belongs to a known agency; the family's own addresses never get a
reminder. Every reminder has a moment after which it is pointless: a join-early warning after the start, a report
reminder after the day the report was due.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import Final
from zoneinfo import ZoneInfo

from bot.domain.conferences import Conference, Invitee
from bot.domain.policy import JOIN_BY_MINUTES, JOIN_FROM_MINUTES, REPORT_WORKING_DAYS
from bot.domain.quorum_decisions import DOOR_CHECK_LASTS
from bot.domain.working_days import WorkingDays

JOIN_FROM: Final = timedelta(minutes=JOIN_FROM_MINUTES)
JOIN_BY: Final = timedelta(minutes=JOIN_BY_MINUTES)
"""The guidance: aim to arrive 2–3 minutes early (`bot.domain.policy`)."""


class ReminderKind(StrEnum):
    MEETING_CHAT = "meeting-chat"
    """The pre-meeting card, posted into the meeting chat."""
    JOIN_EARLY = "join-early"
    """The same warning, privately to one invitee."""
    REPORT_DUE = "report-due"
    REPORT_STATUS = "report-status"
    """Once the report deadline has passed: each chair privately, who has shared their report."""
    QUORUM_AT_START = "quorum-start"
    """At the scheduled start: each chair privately, whether the conference is quorate and who is not yet in."""
    QUORUM_RECHECK = "quorum-recheck"
    """A few minutes later, only if it is still not quorate."""


MEETING_CHAT_RECIPIENT: Final = ""
"""The recipient of a meeting-chat reminder: the chat, not a person."""
CHAIRS_RECIPIENT: Final = ""
"""The recipient of the report status: the conference's chairs, as the invitation shows them when it is sent."""


@dataclass(frozen=True, slots=True)
class PlannedReminder:
    kind: ReminderKind
    recipient: str
    """An invitee's e-mail (lower case), or MEETING_CHAT_RECIPIENT."""
    due_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class ReminderPolicy:
    timezone: ZoneInfo
    working_days: WorkingDays
    is_professional: Callable[[str], bool]
    """Whether an e-mail address belongs to a partner agency's professional."""
    lead_time: timedelta = timedelta(minutes=15)
    report_reminder_working_days: int = 1
    report_reminder_at: time = time(9, 0)
    not_reminded: frozenset[str] = field(default_factory=frozenset)
    """E-mail addresses (lower case) never reminded about reports: the chairs, who receive the reports."""
    quorum_recheck: timedelta = timedelta(minutes=5)
    """How long after the start quoracy is checked again while not quorate; zero: not again."""


def join_window(start: datetime) -> tuple[datetime, datetime]:
    """When to join: from 3 minutes before the start until 2 minutes before."""
    return start - JOIN_FROM, start - JOIN_BY


def report_due_date(conference: Conference, policy: ReminderPolicy) -> date:
    conference_day = conference.start.astimezone(policy.timezone).date()
    return policy.working_days.before(conference_day, REPORT_WORKING_DAYS[conference.kind])


def professionals(conference: Conference, policy: ReminderPolicy) -> list[Invitee]:
    """The invitees who are asked to join early and to send a report: agency staff, not the organiser."""
    organiser = conference.organiser.email if conference.organiser else None
    return [
        person for person in conference.people if person.email != organiser and policy.is_professional(person.email)
    ]


def report_writers(conference: Conference, policy: ReminderPolicy) -> list[Invitee]:
    """The professionals expected to share a report: every professional invited but the chairs, who receive them."""
    return [person for person in professionals(conference, policy) if person.email not in policy.not_reminded]


def status_due_at(conference: Conference, policy: ReminderPolicy) -> datetime:
    """When the chairs hear who has shared their report: the first working day after the due date, at the report
    reminders' hour (the deadline has passed by then, and it is still before the conference)."""
    due = report_due_date(conference, policy)
    next_day = due + timedelta(days=1)
    while not policy.working_days.is_working_day(next_day):
        next_day += timedelta(days=1)
    return datetime.combine(next_day, policy.report_reminder_at, tzinfo=policy.timezone)


def plan_reminders(conference: Conference, policy: ReminderPolicy) -> list[PlannedReminder]:
    """Every reminder the conference needs now; none for a cancelled one."""
    if conference.cancelled:
        return []
    join_early_at = conference.start - policy.lead_time
    planned = [PlannedReminder(ReminderKind.MEETING_CHAT, MEETING_CHAT_RECIPIENT, join_early_at, conference.start)]
    due = report_due_date(conference, policy)
    remind_on = (
        policy.working_days.before(due, policy.report_reminder_working_days)
        if policy.report_reminder_working_days > 0
        else due
    )
    remind_at = datetime.combine(remind_on, policy.report_reminder_at, tzinfo=policy.timezone)
    due_day_over = datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=policy.timezone)
    for person in professionals(conference, policy):
        planned.append(PlannedReminder(ReminderKind.JOIN_EARLY, person.email, join_early_at, conference.start))
    for person in report_writers(conference, policy):
        planned.append(PlannedReminder(ReminderKind.REPORT_DUE, person.email, remind_at, due_day_over))
    if report_writers(conference, policy):
        status_at = min(status_due_at(conference, policy), conference.start)
        planned.append(PlannedReminder(ReminderKind.REPORT_STATUS, CHAIRS_RECIPIENT, status_at, conference.start))
    door_lasts = timedelta(minutes=DOOR_CHECK_LASTS)
    start = conference.start
    planned.append(PlannedReminder(ReminderKind.QUORUM_AT_START, CHAIRS_RECIPIENT, start, start + door_lasts))
    if policy.quorum_recheck > timedelta(0):
        recheck = start + policy.quorum_recheck
        planned.append(PlannedReminder(ReminderKind.QUORUM_RECHECK, CHAIRS_RECIPIENT, recheck, recheck + door_lasts))
    return planned
