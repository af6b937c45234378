"""The attendance reports fetched from Graph, one per session: claimed by one instance at a time, tried again later
while Teams has made none, settled once (stored, or why there is none)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.attendance_report import AttendanceReport, ReportedAttendee
from bot.store.models import AttendanceReportRecord, Base, MeetingSessionRecord, ReportedAttendanceRecord
from bot.store.times import utc
from bot.store.upsert import insert_ignoring_duplicates

_REPORTS = Base.metadata.tables[AttendanceReportRecord.__tablename__]


class SqlAttendanceReports:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def waiting(
        self, *, ended_before: datetime, ended_after: datetime, now: datetime, limit: int = 20
    ) -> list[int]:
        """Sessions that ended in (ended_after, ended_before] whose report is not settled and is due a look."""
        async with self._sessions() as session:
            rows = await session.scalars(
                select(MeetingSessionRecord.id)
                .outerjoin(AttendanceReportRecord, AttendanceReportRecord.session_id == MeetingSessionRecord.id)
                .where(
                    MeetingSessionRecord.ended_at.is_not(None),
                    MeetingSessionRecord.ended_at <= ended_before,
                    MeetingSessionRecord.ended_at > ended_after,
                    AttendanceReportRecord.settled_at.is_(None),
                    or_(
                        AttendanceReportRecord.next_attempt_at.is_(None), AttendanceReportRecord.next_attempt_at <= now
                    ),
                )
                .order_by(MeetingSessionRecord.ended_at)
                .limit(limit)
            )
            return list(rows)

    async def claim(self, session_id: int, *, now: datetime, claimed_before: datetime) -> bool:
        """This instance fetches the report now; False when another has it (or it is settled, or not due)."""
        async with self._sessions.begin() as session:
            row = {"session_id": session_id, "claimed_at": now, "attempts": 1}
            insert = insert_ignoring_duplicates(
                session.get_bind().dialect.name, _REPORTS, [row], key=["session_id"]
            ).returning(_REPORTS.c.session_id)
            if (await session.execute(insert)).first() is not None:
                return True
            claimed = await session.execute(
                update(AttendanceReportRecord)
                .where(
                    AttendanceReportRecord.session_id == session_id,
                    AttendanceReportRecord.settled_at.is_(None),
                    or_(
                        AttendanceReportRecord.claimed_at.is_(None), AttendanceReportRecord.claimed_at < claimed_before
                    ),
                    or_(
                        AttendanceReportRecord.next_attempt_at.is_(None), AttendanceReportRecord.next_attempt_at <= now
                    ),
                )
                .values(claimed_at=now, attempts=AttendanceReportRecord.attempts + 1)
                .returning(AttendanceReportRecord.session_id)
            )
            return claimed.first() is not None

    async def later(self, session_id: int, *, at: datetime, reason: str) -> None:
        """Not yet: let go of the claim, and look again at `at`."""
        async with self._sessions.begin() as session:
            await session.execute(
                update(AttendanceReportRecord)
                .where(AttendanceReportRecord.session_id == session_id, AttendanceReportRecord.settled_at.is_(None))
                .values(claimed_at=None, next_attempt_at=at, reason=reason[:256])
            )

    async def settle(
        self,
        session_id: int,
        *,
        outcome: str,
        now: datetime,
        reason: str | None = None,
        report: AttendanceReport | None = None,
    ) -> bool:
        """Settle it for good, with the report when there is one; False when it was settled already."""
        async with self._sessions.begin() as session:
            settled = await session.execute(
                update(AttendanceReportRecord)
                .where(AttendanceReportRecord.session_id == session_id, AttendanceReportRecord.settled_at.is_(None))
                .values(
                    settled_at=now,
                    claimed_at=None,
                    outcome=outcome,
                    reason=reason[:256] if reason else None,
                    report_id=report.report_id if report else None,
                )
                .returning(AttendanceReportRecord.session_id)
            )
            if settled.first() is None:
                return False
            if report is not None:
                await session.execute(
                    delete(ReportedAttendanceRecord).where(ReportedAttendanceRecord.session_id == session_id)
                )
                session.add_all(
                    ReportedAttendanceRecord(
                        session_id=session_id,
                        person_key=person.key[:128],
                        display_name=person.display_name,
                        email=person.email,
                        tenant_id=person.tenant_id,
                        role=person.role,
                        intervals=[[joined.isoformat(), left.isoformat()] for joined, left in person.intervals],
                    )
                    for person in _unique(report.attendees)
                )
            return True

    async def report(self, session_id: int) -> AttendanceReport | None:
        """The stored report of a session, if Teams' report was fetched."""
        async with self._sessions() as session:
            state = await session.get(AttendanceReportRecord, session_id)
            if state is None or state.report_id is None:
                return None
            people = await session.scalars(
                select(ReportedAttendanceRecord)
                .where(ReportedAttendanceRecord.session_id == session_id)
                .order_by(ReportedAttendanceRecord.person_key)
            )
            attendees = tuple(
                ReportedAttendee(
                    key=person.person_key,
                    display_name=person.display_name,
                    email=person.email,
                    tenant_id=person.tenant_id,
                    role=person.role,
                    intervals=tuple(
                        (utc(datetime.fromisoformat(joined)), utc(datetime.fromisoformat(left)))
                        for joined, left in person.intervals
                    ),
                )
                for person in people
            )
        return AttendanceReport(state.report_id, None, None, attendees)

    async def outcome(self, session_id: int) -> tuple[str | None, str | None, int]:
        """(outcome, reason, attempts): for tests and operators."""
        async with self._sessions() as session:
            state = await session.get(AttendanceReportRecord, session_id)
            return (state.outcome, state.reason, state.attempts) if state is not None else (None, None, 0)


def _unique(attendees: tuple[ReportedAttendee, ...]) -> list[ReportedAttendee]:
    """One row per person: a report that lists someone twice has their intervals joined."""
    merged: dict[str, ReportedAttendee] = {}
    for person in attendees:
        key = person.key[:128]
        if key in merged:
            earlier = merged[key]
            person = ReportedAttendee(
                key,
                earlier.display_name,
                earlier.email,
                earlier.tenant_id,
                earlier.role,
                tuple(sorted((*earlier.intervals, *person.intervals))),
            )
        merged[key] = person
    return list(merged.values())
