"""Deleting what has been kept long enough: conference sessions (with their attendance and disconnection entries),
the audit of chair commands, conferences read from calendars (with their invitees, mailbox copies and reminders),
and the daily counts of activities refused from other tenants."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.retention import Purged
from bot.store.models import (
    AttendanceRecord,
    AttendanceReportRecord,
    Base,
    CalendarEntryRecord,
    ChairAuditRecord,
    ConferenceInviteeRecord,
    ConferenceRecord,
    DisconnectionRecord,
    MeetingSessionRecord,
    ProceedDecisionRecord,
    RefusedTenantRecord,
    ReminderRecord,
    ReportConfirmationRecord,
    ReportedAttendanceRecord,
    ReportLinkRecord,
    StageNoticeRecord,
)


class SqlRetention:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def purge(self, before: datetime, *, dry_run: bool = False) -> Purged:
        """Delete sessions that started before `before` with everything recorded about them, and audit entries older
        than that. With `dry_run`, only count. Deletes children explicitly rather than trusting each database's
        foreign-key cascade."""
        old_sessions = select(MeetingSessionRecord.id).where(MeetingSessionRecord.started_at < before)
        old_conferences = select(ConferenceRecord.id).where(ConferenceRecord.end_at < before)
        # Children before their sessions, so the deletes hold whatever the foreign keys say.
        targets: dict[str, tuple[type[Base], ColumnElement[bool]]] = {
            "attendance": (AttendanceRecord, AttendanceRecord.session_id.in_(old_sessions)),
            "disconnections": (DisconnectionRecord, DisconnectionRecord.session_id.in_(old_sessions)),
            "stage_notices": (StageNoticeRecord, StageNoticeRecord.session_id.in_(old_sessions)),
            "reported_attendance": (ReportedAttendanceRecord, ReportedAttendanceRecord.session_id.in_(old_sessions)),
            "attendance_reports": (AttendanceReportRecord, AttendanceReportRecord.session_id.in_(old_sessions)),
            "sessions": (MeetingSessionRecord, MeetingSessionRecord.started_at < before),
            "audit": (ChairAuditRecord, ChairAuditRecord.at < before),
            "reminders": (ReminderRecord, ReminderRecord.conference_id.in_(old_conferences)),
            "report_confirmations": (
                ReportConfirmationRecord,
                ReportConfirmationRecord.conference_id.in_(old_conferences),
            ),
            "report_links": (ReportLinkRecord, ReportLinkRecord.conference_id.in_(old_conferences)),
            "proceed_decisions": (ProceedDecisionRecord, ProceedDecisionRecord.conference_id.in_(old_conferences)),
            "invitees": (ConferenceInviteeRecord, ConferenceInviteeRecord.conference_id.in_(old_conferences)),
            "copies": (CalendarEntryRecord, CalendarEntryRecord.conference_id.in_(old_conferences)),
            "conferences": (ConferenceRecord, ConferenceRecord.end_at < before),
            "refused_tenant_days": (RefusedTenantRecord, RefusedTenantRecord.last_at < before),
        }
        counted = (
            "attendance",
            "disconnections",
            "sessions",
            "audit",
            "reminders",
            "conferences",
            "refused_tenant_days",
        )
        async with self._sessions.begin() as session:
            counts = Purged(**{name: await _count(session, *targets[name]) for name in counted})
            if dry_run or counts.total == 0:
                return counts
            for model, condition in targets.values():
                await session.execute(delete(model).where(condition))
            return counts


async def _count(session: AsyncSession, model: type[Base], condition: ColumnElement[bool]) -> int:
    total = await session.scalar(select(func.count()).select_from(model).where(condition))
    return int(total or 0)
