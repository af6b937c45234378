"""Who was at a conference and when: derived from participant join and leave events, whatever order they came in.

Teams delivers these events at least once and not always in order: a repeated join while present, a repeated leave
while absent, and a leave with no join before it (the person was there before the bot heard of them) all have to give
a sensible record.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.meetings import AttendanceKind, MeetingRole

LATE_GRACE = timedelta(minutes=1)
"""Joining within this time after the actual start is on time."""

END_GRACE = timedelta(minutes=1)
"""Leaving within this time before the end is leaving with everyone else."""


@dataclass(frozen=True, slots=True)
class AttendanceEvent:
    aad_object_id: str
    display_name: str | None
    role: MeetingRole
    kind: AttendanceKind
    at: datetime
    teams_user_id: str | None = None
    """The person's id for this bot in Teams (`29:…`), used to message them privately."""


@dataclass(frozen=True, slots=True)
class Absence:
    left_at: datetime
    returned_at: datetime | None
    """None: never came back."""


@dataclass(frozen=True, slots=True)
class PersonAttendance:
    aad_object_id: str
    display_name: str | None
    role: MeetingRole
    first_joined_at: datetime
    joined_late: bool
    absences: tuple[Absence, ...]
    """Every time the person left before the end, and when (if) they came back."""
    left_before_end: bool
    """Their last absence lasted until the end: they never came back."""
    time_present: timedelta

    @property
    def rejoins(self) -> int:
        return sum(1 for absence in self.absences if absence.returned_at is not None)


def _order(event: AttendanceEvent) -> tuple[datetime, int]:
    # At the same instant a join comes before a leave, so a momentary visit counts as one.
    return (event.at, 0 if event.kind is AttendanceKind.JOINED else 1)


def summarise_attendance(
    events: list[AttendanceEvent], started_at: datetime, ended_at: datetime
) -> list[PersonAttendance]:
    """Each person's attendance in a session that ran from `started_at` to `ended_at` (or until now, if running)."""
    by_person: dict[str, list[AttendanceEvent]] = defaultdict(list)
    for event in events:
        by_person[event.aad_object_id].append(event)
    summaries = [_person(sorted(own, key=_order), started_at, ended_at) for own in by_person.values()]
    return sorted(summaries, key=lambda person: (person.first_joined_at, (person.display_name or "").lower()))


def _person(events: list[AttendanceEvent], started_at: datetime, ended_at: datetime) -> PersonAttendance:
    latest = events[-1]
    present_since: datetime | None = None
    first_joined_at: datetime | None = None
    time_present = timedelta(0)
    absences: list[Absence] = []
    for event in events:
        at = min(max(event.at, started_at), ended_at)
        if event.kind is AttendanceKind.JOINED:
            if present_since is not None:
                continue  # a repeated join while present
            present_since = at
            if first_joined_at is None:
                first_joined_at = at
            if absences and absences[-1].returned_at is None:
                absences[-1] = Absence(absences[-1].left_at, at)
        else:
            if present_since is None:
                if first_joined_at is not None:
                    continue  # a repeated leave while absent
                # A leave with no join before it: they were there from the start, before the bot heard of them.
                present_since = first_joined_at = started_at
            time_present += at - present_since
            present_since = None
            if at < ended_at - END_GRACE:
                absences.append(Absence(left_at=at, returned_at=None))
    if present_since is not None:
        time_present += ended_at - present_since
    # Every person has at least one event, and either kind sets first_joined_at.
    first_joined_at = first_joined_at or started_at
    return PersonAttendance(
        aad_object_id=latest.aad_object_id,
        display_name=next((event.display_name for event in reversed(events) if event.display_name), None),
        role=next((event.role for event in reversed(events) if event.role is not MeetingRole.UNKNOWN), latest.role),
        first_joined_at=first_joined_at,
        joined_late=first_joined_at > started_at + LATE_GRACE,
        absences=tuple(absences),
        left_before_end=bool(absences) and absences[-1].returned_at is None,
        time_present=time_present,
    )


def present_at(events: list[AttendanceEvent], at: datetime) -> set[str]:
    """The Entra ids of everyone in the meeting at `at`. Someone whose first event is a leave was there before the
    bot heard of them."""
    last_seen: dict[str, AttendanceEvent] = {}
    first_seen: dict[str, AttendanceEvent] = {}
    for event in sorted(events, key=_order):
        first_seen.setdefault(event.aad_object_id, event)
        if event.at <= at:
            last_seen[event.aad_object_id] = event
    present = {person for person, event in last_seen.items() if event.kind is AttendanceKind.JOINED}
    present |= {
        person for person, event in first_seen.items() if person not in last_seen and event.kind is AttendanceKind.LEFT
    }
    return present


def joined_as_organiser(events: list[AttendanceEvent]) -> list[str]:
    """The Entra ids Teams gave the organiser's role in these events, first seen first: who organised the meeting,
    when Teams can no longer be asked."""
    return list(dict.fromkeys(event.aad_object_id for event in events if event.role is MeetingRole.ORGANIZER))
