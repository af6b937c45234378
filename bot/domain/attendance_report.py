"""Attendance as Teams itself records it: the meeting's attendance report (Graph's `meetingAttendanceReport`), which
lists everyone who joined, guests and anonymous joiners included, with each interval they were in.

The live record (join and leave events) needs extra registration, misses anonymous and some external joiners, and has
had outages; the report does not depend on it. When the report arrives it is kept beside the live record, and the
summary says which one its figures come from.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.attendance import AttendanceEvent
from bot.domain.meetings import AttendanceKind, MeetingRole

REPORT_READY_AFTER = timedelta(minutes=5)
"""Teams makes the report once the meeting has ended: it is first asked for this long after the end."""
REPORT_GIVEN_UP_AFTER = timedelta(hours=24)
"""No report by then (attendance reports switched off, a meeting Teams kept none for): the live record stands."""


class AttendeeKind(StrEnum):
    PERSON = "person"
    """Signed in: a member of the organisation or a guest, with an e-mail address."""
    ANONYMOUS = "anonymous"
    """Joined without signing in: a name they typed, no address."""


@dataclass(frozen=True, slots=True)
class ReportedAttendee:
    key: str
    """The report's identity id (an Entra object id for a signed-in person), or one the bot made for an anonymous
    joiner: unique within the report."""
    display_name: str | None
    email: str | None
    """Lower case."""
    tenant_id: str | None
    role: str | None
    intervals: tuple[tuple[datetime, datetime], ...]
    """(joined, left), in order; an interval Teams gave no times for is left out."""

    @property
    def kind(self) -> AttendeeKind:
        return AttendeeKind.PERSON if self.email else AttendeeKind.ANONYMOUS

    @property
    def present_for(self) -> timedelta:
        return sum((left - joined for joined, left in self.intervals), timedelta(0))


@dataclass(frozen=True, slots=True)
class AttendanceReport:
    report_id: str
    meeting_start: datetime | None
    meeting_end: datetime | None
    attendees: tuple[ReportedAttendee, ...]

    def as_events(self) -> list[AttendanceEvent]:
        """The report's intervals as join and leave events, so the summary counts them as it counts the live ones."""
        events = [
            AttendanceEvent(person.key, person.display_name, MeetingRole.parse(person.role), kind, at)
            for person in self.attendees
            for joined, left in person.intervals
            for kind, at in ((AttendanceKind.JOINED, joined), (AttendanceKind.LEFT, left))
        ]
        return sorted(events, key=lambda event: (event.at, event.kind is AttendanceKind.LEFT))


def closest_report(reports: list[tuple[str, datetime | None]], started_at: datetime) -> str | None:
    """Of a meeting's reports (id, meeting start), the one for the session that started at `started_at`: a recurring
    conference's meeting chat has one report per occurrence."""
    dated = [(report_id, start) for report_id, start in reports if start is not None]
    if not dated:
        return reports[0][0] if len(reports) == 1 else None
    return min(dated, key=lambda pair: abs(pair[1] - started_at))[0]


@dataclass(frozen=True, slots=True)
class Reconciliation:
    """How the report and the live record compare, for the summary's sources line."""

    reported: int
    live: int
    guests_or_external: int
    anonymous: int
    only_in_report: int


def reconcile(report: AttendanceReport, live: list[AttendanceEvent], home_tenant: str | None) -> Reconciliation:
    live_people = {event.aad_object_id.lower() for event in live}
    anonymous = sum(1 for person in report.attendees if person.kind is AttendeeKind.ANONYMOUS)
    external = sum(
        1
        for person in report.attendees
        if person.kind is AttendeeKind.PERSON and home_tenant and person.tenant_id and person.tenant_id != home_tenant
    )
    return Reconciliation(
        reported=len(report.attendees),
        live=len(live_people),
        guests_or_external=external,
        anonymous=anonymous,
        only_in_report=sum(1 for person in report.attendees if person.key.lower() not in live_people),
    )
