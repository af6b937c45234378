"""A meeting's attendance report from Microsoft Graph, as Teams made it when the meeting ended.

`GET /users/{organizer id}/onlineMeetings/{meeting id}/attendanceReports` lists the meeting's reports (one per
occurrence of a recurring meeting); `GET …/attendanceReports/{report id}/attendanceRecords` (paged) lists everyone in
one, guests and anonymous joiners included, with their join and leave intervals. Application permission
`OnlineMeetingArtifact.Read.All`, with a Teams application access policy granted to the organisers
(https://learn.microsoft.com/graph/cloud-communication-online-meeting-application-access-policy). Not for channel
meetings, which Graph does not report on.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from typing import Final

from kiota_abstractions.api_error import APIError
from msgraph.generated.models.attendance_record import AttendanceRecord
from msgraph.generated.users.item.online_meetings.item.attendance_reports.item.meeting_attendance_report_item_request_builder import (  # noqa: E501
    MeetingAttendanceReportItemRequestBuilder,
)
from msgraph.graph_service_client import GraphServiceClient

from bot.domain.attendance_report import AttendanceReport, ReportedAttendee, closest_report
from bot.domain.text import AAD_OBJECT_ID_LIMIT, DISPLAY_NAME_LIMIT, EMAIL_LIMIT, identifier, single_line
from bot.graph.errors import RETRYABLE
from bot.usecases.port_errors import AttendanceReportError

logger = logging.getLogger(__name__)

PAGES_AT_MOST: Final = 50
"""Pages of attendance records read for one report (a conference has a few dozen people at most)."""


class GraphAttendanceReports:
    """Implements the use cases' `AttendanceReports` through Microsoft Graph."""

    def __init__(self, client: GraphServiceClient) -> None:
        self._client = client

    async def report(self, organizer_id: str, meeting_id: str, started_at: datetime) -> AttendanceReport | None:
        """The report of the session that started at `started_at`; None while Teams has made none."""
        meeting = self._client.users.by_user_id(organizer_id).online_meetings.by_online_meeting_id(meeting_id)
        try:
            listed = await meeting.attendance_reports.get()
            reports = {found.id: found for found in (listed.value or [] if listed else []) if found.id}
            chosen = closest_report(
                [(rid, found.meeting_start_date_time) for rid, found in reports.items()], started_at
            )
            if chosen is None:
                return None
            records = await self._records(meeting.attendance_reports.by_meeting_attendance_report_id(chosen))
        except APIError as problem:
            status = problem.response_status_code
            if status == 404:
                return None
            logger.warning("attendance report not read status=%s", status)
            raise AttendanceReportError(
                f"Graph answered {status} to reading the attendance report", retry=status in RETRYABLE
            ) from None
        except Exception as problem:
            logger.warning("attendance report not read reason=%s", type(problem).__name__)
            raise AttendanceReportError(type(problem).__name__, retry=True) from None
        attendees = tuple(_attendee(record, index) for index, record in enumerate(records))
        found = reports[chosen]
        return AttendanceReport(
            chosen, _utc(found.meeting_start_date_time), _utc(found.meeting_end_date_time), attendees
        )

    async def _records(self, report: MeetingAttendanceReportItemRequestBuilder) -> list[AttendanceRecord]:
        request = report.attendance_records
        page = await request.get()
        found: list[AttendanceRecord] = list(page.value or []) if page else []
        pages = 1
        while page is not None and page.odata_next_link and pages < PAGES_AT_MOST:
            page = await request.with_url(page.odata_next_link).get()
            found.extend((page.value or []) if page else [])
            pages += 1
        return found


def _utc(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _attendee(record: AttendanceRecord, index: int) -> ReportedAttendee:
    identity = record.identity
    email = identifier(record.email_address, EMAIL_LIMIT)
    key = identifier(identity.id if identity else None, AAD_OBJECT_ID_LIMIT)
    intervals = tuple(
        (joined, left)
        for interval in record.attendance_intervals or []
        if (joined := _utc(interval.join_date_time)) is not None
        and (left := _utc(interval.leave_date_time)) is not None
    )
    tenant = (identity.additional_data or {}).get("tenantId") if identity else None
    if tenant is not None:
        tenant = str(tenant)  # kiota reads an unknown property that looks like a GUID as a UUID
    return ReportedAttendee(
        # An anonymous joiner's id is Teams' own for that visit: kept apart from every signed-in person's.
        key=(key or f"anonymous-{index}").lower() if email else f"anonymous-{index}",
        display_name=single_line(identity.display_name if identity else None, DISPLAY_NAME_LIMIT),
        email=email.lower() if email else None,
        tenant_id=identifier(tenant, AAD_OBJECT_ID_LIMIT),
        role=identifier(record.role, 32),
        intervals=tuple(sorted(intervals)),
    )
