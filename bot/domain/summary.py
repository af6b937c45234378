"""The chair's end-of-conference summary: times, attendance, disconnections and quoracy at its lowest point."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.attendance import END_GRACE, LATE_GRACE, AttendanceEvent, PersonAttendance, present_at
from bot.domain.attendance_report import Reconciliation
from bot.domain.disconnections import Disconnection
from bot.domain.quorum import AgencyDirectory, QuorumAssessment
from bot.domain.quorum_decisions import ProceedDecision
from bot.domain.reports import ReportsStatus

Identity = tuple[str | None, str | None]
"""A person's (e-mail or UPN, home tenant id): what recognises their agency."""
NOT_COUNTED = None
"""What `identity_of` gives for someone who never counts towards quorum (a chair, business support)."""


@dataclass(frozen=True, slots=True)
class QuorumPoint:
    at: datetime
    assessment: QuorumAssessment


@dataclass(frozen=True, slots=True)
class ConferenceSummary:
    started_at: datetime
    ended_at: datetime
    people: tuple[PersonAttendance, ...]
    disconnections: tuple[Disconnection, ...]
    lowest_quorum: QuorumPoint | None
    """None when the bot has no attendance to judge by (Teams sent no join or leave events)."""
    running: bool = False
    """The conference has not ended: this is the summary so far, up to `ended_at`."""
    proceeded: ProceedDecision | None = None
    """A chair's decision to go ahead while inquorate, with their reason."""
    reports: ReportsStatus | None = None
    """Who said they had shared their report, when the calendar knows the conference."""
    from_report: Reconciliation | None = None
    """Set when attendance and quoracy were counted from Teams' attendance report (how it compares with the live
    record); None: from the join and leave events the bot received."""

    @property
    def duration(self) -> timedelta:
        return self.ended_at - self.started_at

    @property
    def dropped_out(self) -> int:
        """How many people dropped out, by the standing entries: the bot's automatic entry and the chair's entry
        for the same absence are one person's drop-out, not two."""
        return len({entry.aad_object_id.lower() for entry in self.disconnections if not entry.undone})


def lowest_quorum(
    events: list[AttendanceEvent],
    started_at: datetime,
    ended_at: datetime,
    identity_of: Callable[[str], Identity | None],
    agencies: AgencyDirectory,
) -> QuorumPoint | None:
    """Quoracy at its weakest while the conference ran: first whether it was quorate, then how many agencies were
    there. Judged from a minute after the start (people arriving on time) to a minute before the end."""
    if not events:
        return None
    first = started_at + LATE_GRACE
    last = max(first, ended_at - END_GRACE)
    moments = sorted({first, *(event.at for event in events if first < event.at <= last)})
    lowest: QuorumPoint | None = None
    for moment in moments:
        identities = (identity_of(person) for person in sorted(present_at(events, moment)))
        assessment = agencies.assess(identity for identity in identities if identity is not NOT_COUNTED)
        if lowest is None or _weakness(assessment) < _weakness(lowest.assessment):
            lowest = QuorumPoint(moment, assessment)
    return lowest


def _weakness(assessment: QuorumAssessment) -> tuple[bool, int]:
    return (assessment.quorate, len(assessment.represented))
