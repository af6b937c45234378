"""After a conference, the attendance Teams itself vouches for: its attendance report, fetched from Graph once Teams
has made it, kept beside the live record (join and leave events). The summary then counts from the report, and says
so; a summary already sent from the live record is sent again, once, from the report.

Run by the follow-up on every instance: each session's report is claimed before it is fetched, so two instances
never both fetch it (nor both send the updated summary). Teams makes the report a few minutes after the end; until
then, and while Graph is unavailable, the bot looks again every `LOOK_AGAIN`; after `REPORT_GIVEN_UP_AFTER` it gives
up and the live record stands.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from bot.domain.attendance_report import REPORT_GIVEN_UP_AFTER, REPORT_READY_AFTER
from bot.domain.conversations import ConversationKind
from bot.domain.sessions import MeetingSession, SummaryStatus
from bot.usecases.port_errors import AttendanceReportError, TeamsCallError, TeamsFailure
from bot.usecases.ports import (
    AttendanceReports,
    ConversationDirectory,
    MeetingDirectory,
    MeetingRecords,
    ReportedAttendanceStore,
)

logger = logging.getLogger(__name__)

LOOK_AGAIN: Final = timedelta(minutes=10)
ABANDONED_CLAIM: Final = timedelta(minutes=5)

UpdatedSummary = Callable[[MeetingSession, datetime], Awaitable[None]]


class ReportOutcome(StrEnum):
    STORED = "stored"
    NONE = "none"
    """Teams made no report in time (attendance reports off for the organiser, or no one joined)."""
    REFUSED = "refused"
    """Graph refused (the permission or the application access policy is missing): the reason says which status."""
    CHANNEL = "channel"
    """A channel meeting: Graph keeps no attendance report for those."""
    NO_MEETING = "no-meeting"
    """Teams no longer says which meeting it was (or the bot is not in its chat)."""


class AttendanceReconciler:
    def __init__(
        self,
        *,
        records: MeetingRecords,
        store: ReportedAttendanceStore,
        source: AttendanceReports,
        conversations: ConversationDirectory,
        directory: MeetingDirectory,
    ) -> None:
        self._records = records
        self._store = store
        self._source = source
        self._conversations = conversations
        self._directory = directory

    async def run_once(self, now: datetime, updated_summary: UpdatedSummary) -> None:
        waiting = await self._store.waiting(
            ended_before=now - REPORT_READY_AFTER, ended_after=now - REPORT_GIVEN_UP_AFTER, now=now
        )
        for session_id in waiting:
            if not await self._store.claim(session_id, now=now, claimed_before=now - ABANDONED_CLAIM):
                continue  # another instance has it
            session = await self._records.session(session_id)
            if session is None or session.ended_at is None:
                continue
            if await self._fetch(session, now) and session.summary_status is SummaryStatus.SENT:
                await updated_summary(session, now)

    async def _fetch(self, session: MeetingSession, now: datetime) -> bool:
        """True when the report was stored now."""
        chat = await self._conversations.find(session.conversation_id)
        if chat is None:
            return await self._settle(session, ReportOutcome.NO_MEETING, now, "the meeting chat is unknown")
        if chat.kind is ConversationKind.CHANNEL:
            return await self._settle(session, ReportOutcome.CHANNEL, now, "Graph has no reports of channel meetings")
        try:
            info = await self._directory.meeting_info(chat)
        except TeamsCallError as problem:
            if problem.failure in (TeamsFailure.MEETING_EXPIRED, TeamsFailure.NOT_IN_MEETING):
                return await self._settle(session, ReportOutcome.NO_MEETING, now, str(problem))
            await self._store.later(session.id, at=now + LOOK_AGAIN, reason=f"Teams did not say: {problem}")
            return False
        if not info.organizer_aad_object_id or not info.graph_meeting_id:
            return await self._settle(session, ReportOutcome.NO_MEETING, now, "Teams named no organiser or meeting")
        try:
            report = await self._source.report(info.organizer_aad_object_id, info.graph_meeting_id, session.started_at)
        except AttendanceReportError as problem:
            if not problem.retry:
                return await self._settle(session, ReportOutcome.REFUSED, now, str(problem))
            await self._store.later(session.id, at=now + LOOK_AGAIN, reason=str(problem))
            return False
        if report is None or not report.attendees:
            if session.ended_at is not None and now - session.ended_at >= REPORT_GIVEN_UP_AFTER - LOOK_AGAIN:
                return await self._settle(session, ReportOutcome.NONE, now, "Teams made no attendance report")
            await self._store.later(session.id, at=now + LOOK_AGAIN, reason="no attendance report yet")
            return False
        stored = await self._store.settle(session.id, outcome=ReportOutcome.STORED, now=now, report=report)
        logger.info("attendance report stored session=%d people=%d", session.id, len(report.attendees))
        return stored

    async def _settle(self, session: MeetingSession, outcome: ReportOutcome, now: datetime, reason: str) -> bool:
        await self._store.settle(session.id, outcome=outcome, now=now, reason=reason)
        logger.info("attendance report settled session=%d outcome=%s reason=%s", session.id, outcome.value, reason)
        return False
