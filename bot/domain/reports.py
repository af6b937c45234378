"""Who has shared their report for a conference: each professional's confirmation, and the conference's status.

A professional confirms once per conference (pressing twice is one confirmation), from the reminder's Teams button or
the e-mail's link; a chair may mark someone the bot could not remind. A confirmation can be withdrawn. Whether it was
late is worked out from the conference as it is now: a conference that moves takes its confirmations, and their
lateness, with it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.domain.conferences import Invitee
from bot.domain.outbox import Channel, OutboxEntry, ReminderStatus
from bot.domain.quorum import AgencyDirectory
from bot.domain.reminders import ReminderKind


class ReportSource(StrEnum):
    TEAMS = "teams"
    """The button on the Teams reminder."""
    EMAIL = "email"
    """The link in the e-mail reminder."""
    CHAIR = "chair"
    """Marked by a chair (for someone the bot could not remind)."""


@dataclass(frozen=True, slots=True)
class ReportConfirmation:
    conference_id: int
    email: str
    """Lower case: the professional's identity across the calendars."""
    confirmed_at: datetime
    source: ReportSource
    marked_by: str | None = None
    """The chair's Entra object id, when a chair marked it."""


class ConfirmOutcome(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    """It was confirmed before: nothing changes (the first confirmation's time stands)."""


class WithdrawOutcome(StrEnum):
    WITHDRAWN = "withdrawn"
    NOT_CONFIRMED = "not-confirmed"


class Reminded(StrEnum):
    """Whether the bot reminded this professional about their report."""

    PENDING = "pending"
    """Not yet: the reminder is still to go."""
    TEAMS = "teams"
    EMAIL = "email"
    NOT_REACHED = "not-reached"
    """The bot had no way to reach them (no Teams, no e-mail): the chair may mark them."""
    NOT_REMINDED = "not-reminded"
    """No reminder was planned (booked too late, or a chair's own address)."""


def reminded_from(entries: Iterable[OutboxEntry]) -> dict[str, Reminded]:
    """How each professional's report reminder went, from the outbox (by their address)."""
    found: dict[str, Reminded] = {}
    for entry in entries:
        if entry.kind is not ReminderKind.REPORT_DUE:
            continue
        if entry.status.open:
            found[entry.recipient] = Reminded.PENDING
        elif entry.status is ReminderStatus.SENT:
            found[entry.recipient] = Reminded.EMAIL if entry.channel is Channel.EMAIL else Reminded.TEAMS
        elif entry.status is ReminderStatus.FAILED:
            found[entry.recipient] = Reminded.NOT_REACHED
        else:
            found[entry.recipient] = Reminded.NOT_REMINDED
    return found


def deadline_passes(due: date, timezone: ZoneInfo) -> datetime:
    """The moment a report due on `due` is late: the end of that day, local time."""
    return datetime.combine(due + timedelta(days=1), time(0, 0), tzinfo=timezone)


def is_late(confirmed_at: datetime, due: date, timezone: ZoneInfo) -> bool:
    return confirmed_at >= deadline_passes(due, timezone)


@dataclass(frozen=True, slots=True)
class InviteeReport:
    email: str
    name: str
    agency: str | None
    """The agency's name, from the agencies file."""
    confirmation: ReportConfirmation | None
    late: bool
    reminded: Reminded

    @property
    def shared(self) -> bool:
        return self.confirmation is not None


@dataclass(frozen=True, slots=True)
class ReportsStatus:
    """Each professional invited to a conference, and whether their report has been shared."""

    conference_id: int
    due: date
    invitees: tuple[InviteeReport, ...]

    @property
    def shared(self) -> int:
        return sum(1 for invitee in self.invitees if invitee.shared)

    @property
    def expected(self) -> int:
        return len(self.invitees)

    @property
    def outstanding(self) -> tuple[InviteeReport, ...]:
        return tuple(invitee for invitee in self.invitees if not invitee.shared)

    @property
    def outstanding_agencies(self) -> tuple[str, ...]:
        """The agencies (by name, once each, in the invitees' order) with a report outstanding; someone whose agency
        is unknown is named by their name."""
        names: dict[str, None] = {}
        for invitee in self.outstanding:
            names.setdefault(invitee.agency or invitee.name, None)
        return tuple(names)

    @property
    def late(self) -> int:
        return sum(1 for invitee in self.invitees if invitee.late)


def reports_status(
    conference_id: int,
    *,
    professionals: Iterable[Invitee],
    due: date,
    timezone: ZoneInfo,
    agencies: AgencyDirectory,
    confirmations: Iterable[ReportConfirmation],
    reminded: Mapping[str, Reminded],
) -> ReportsStatus:
    """The status of every professional expected to send a report for the conference (`professionals`: the reminder
    rules' own list)."""
    by_email = {confirmation.email: confirmation for confirmation in confirmations}
    invitees = []
    for person in professionals:
        confirmation = by_email.get(person.email)
        agency = agencies.agency_of(person.email, None)
        invitees.append(
            InviteeReport(
                email=person.email,
                name=person.name or person.email,
                agency=agency.name if agency is not None else None,
                confirmation=confirmation,
                late=confirmation is not None and is_late(confirmation.confirmed_at, due, timezone),
                reminded=reminded.get(person.email, Reminded.NOT_REMINDED),
            )
        )
    # By agency, then name: the order a chair reads down the list in (and the same whatever order the calendar gave).
    invitees.sort(key=lambda person: (person.agency is None, (person.agency or "").casefold(), person.name.casefold()))
    return ReportsStatus(conference_id, due, tuple(invitees))
