"""The chair's summary of a conference session, from what the store recorded and who Teams says people are."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from bot.domain.attendance import AttendanceEvent, summarise_attendance
from bot.domain.attendance_report import AttendanceReport, reconcile
from bot.domain.quorum import AgencyDirectory
from bot.domain.reports import ReportsStatus
from bot.domain.roster import ChatMember
from bot.domain.sessions import MeetingSession
from bot.domain.summary import NOT_COUNTED, ConferenceSummary, Identity, lowest_quorum
from bot.usecases.conference_reports import ConferenceReports
from bot.usecases.ports import DisconnectionLog, QuorumDecisions, ReportedAttendanceStore

DECIDED_BEFORE_START = timedelta(hours=1)
"""A decision to proceed recorded this long before the meeting started (from the quorum card at the scheduled start,
before anyone started the meeting) belongs to that session."""


class SummaryMaker:
    def __init__(
        self,
        log: DisconnectionLog,
        agencies: AgencyDirectory,
        *,
        decisions: QuorumDecisions | None = None,
        reports: ConferenceReports | None = None,
        reported: ReportedAttendanceStore | None = None,
    ) -> None:
        """Quoracy in the summary counts as the quorum card does: chairs and no-agency people never. With the
        calendar (`decisions`, `reports`), it says whether a chair proceeded while inquorate, and who had shared their
        report."""
        self._log = log
        self._agencies = agencies
        self._decisions = decisions
        self._reports = reports
        self._reported = reported
        """Teams' attendance reports, when they are fetched: attendance is counted from one once it is there."""

    async def summarise(
        self,
        session: MeetingSession,
        events: list[AttendanceEvent],
        members: dict[str, ChatMember],
        now: datetime,
        chairs: frozenset[str] = frozenset(),
    ) -> ConferenceSummary:
        """The session's summary from its attendance `events`; a session still running is summarised up to `now`.
        `chairs` (Entra ids, lower case) are in the attendance but never counted towards quorum."""
        ended_at = session.ended_at or max(now, session.started_at)
        report = await self._reported.report(session.id) if self._reported is not None else None
        reported = {person.key: person for person in report.attendees} if report is not None else {}
        live = events
        if report is not None and report.attendees:
            events = report.as_events()

        def identity(aad_object_id: str) -> Identity | None:
            member = members.get(aad_object_id)
            attendee = reported.get(aad_object_id)
            email = member.email if member else attendee.email if attendee else None
            if aad_object_id.lower() in chairs or self._agencies.non_agency_of(email, aad_object_id) is not None:
                return NOT_COUNTED
            if member is not None:
                return (email, member.tenant_id)
            return (email, attendee.tenant_id) if attendee else (None, None)

        return ConferenceSummary(
            started_at=session.started_at,
            ended_at=ended_at,
            people=tuple(summarise_attendance(events, session.started_at, ended_at)),
            disconnections=tuple(await self._log.for_session(session.id)),
            lowest_quorum=lowest_quorum(events, session.started_at, ended_at, identity, self._agencies),
            running=session.ended_at is None,
            proceeded=await self._decisions.in_chat(
                session.conversation_id, since=session.started_at - DECIDED_BEFORE_START, until=ended_at
            )
            if self._decisions is not None
            else None,
            reports=await self._reports_of(session),
            from_report=reconcile(report, live, _home_tenant(members, report))
            if report is not None and report.attendees
            else None,
        )

    async def _reports_of(self, session: MeetingSession) -> ReportsStatus | None:
        if self._reports is None:
            return None
        stored = await self._reports.held_in(session.conversation_id, session.started_at)
        return await self._reports.status(stored) if stored is not None else None


def _home_tenant(members: dict[str, ChatMember], report: AttendanceReport) -> str | None:
    """The organisation most of the meeting chat's members belong to (the council's); without the members (the
    record, made offline), most of those signed in to the meeting."""
    tenants = Counter(member.tenant_id for member in members.values() if member.tenant_id) or Counter(
        person.tenant_id for person in report.attendees if person.tenant_id
    )
    return tenants.most_common(1)[0][0] if tenants else None
