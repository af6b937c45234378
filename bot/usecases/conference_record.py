"""The conference record for business support (`python -m bot export-record`): per conference session, attendance
(and where it came from), drop-outs, reports shared and quoracy, with a chair's decision to proceed while inquorate.

Made from what the bot stored, without asking Teams. Quoracy needs each person's address, which the stored record has
only from Teams' attendance report: from the live record alone it is left out (the chair's summary, made while Teams
could be asked, has it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from bot.domain.chairs import NamedChairs
from bot.domain.conferences import ConferenceKind
from bot.domain.sessions import MeetingSession
from bot.domain.summary import ConferenceSummary
from bot.usecases.conference_reports import ConferenceReports
from bot.usecases.ports import MeetingRecords, ReportedAttendanceStore
from bot.usecases.summaries import SummaryMaker


@dataclass(frozen=True, slots=True)
class RecordedConference:
    session: MeetingSession
    summary: ConferenceSummary
    kind: ConferenceKind | None
    """The calendar's kind, when the calendar knows the conference."""


class SessionsForRecord(MeetingRecords, Protocol):
    async def sessions_for_record(
        self, *, meeting_id: str | None = None, since: datetime | None = None
    ) -> list[MeetingSession]: ...


class ConferenceRecord:
    def __init__(
        self,
        *,
        records: SessionsForRecord,
        summaries: SummaryMaker,
        named_chairs: NamedChairs,
        reports: ConferenceReports | None = None,
        reported: ReportedAttendanceStore | None = None,
    ) -> None:
        self._records = records
        self._summaries = summaries
        self._named = named_chairs
        self._reports = reports
        self._reported = reported

    async def conferences(
        self, *, now: datetime, meeting_id: str | None = None, since: datetime | None = None
    ) -> list[RecordedConference]:
        found = []
        for session in await self._records.sessions_for_record(meeting_id=meeting_id, since=since):
            events = await self._records.attendance(session.id)
            summary = await self._summaries.summarise(session, events, {}, now, await self._chairs(session))
            stored = await self._reports.held_in(session.conversation_id, session.started_at) if self._reports else None
            found.append(RecordedConference(session, summary, stored.conference.kind if stored else None))
        return found

    async def _chairs(self, session: MeetingSession) -> frozenset[str]:
        """The named chairs among the people Teams' report lists (the only addresses the stored record has)."""
        report = await self._reported.report(session.id) if self._reported is not None else None
        if report is None:
            return frozenset()
        return frozenset(
            person.key
            for person in report.attendees
            if self._named.has_object_id(person.key) or self._named.has_principal_name(person.email)
        )
