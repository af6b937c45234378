"""Mailbox calendars through Graph's `calendarView/delta`, and the Teams meeting chat behind a join URL.

`GET /users/{mailbox}/calendarView/delta?startDateTime=…&endDateTime=…` returns the occurrences (never series
masters) in the window, page by page (`@odata.nextLink`), ending with an `@odata.deltaLink` to resume from next time;
a later round returns only what changed, removed events as `{"id": …, "@removed": {"reason": …}}`. Times come in UTC
because of the `Prefer: outlook.timezone="UTC"` header. Application permission Calendars.Read (limit it to the
configured mailboxes with Exchange RBAC for Applications).

The subject is handed to the recogniser inside `CalendarEvent` and nowhere else; nothing here logs it.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kiota_abstractions.api_error import APIError
from kiota_abstractions.base_request_configuration import RequestConfiguration
from msgraph.generated.models.attendee import Attendee
from msgraph.generated.models.attendee_type import AttendeeType as GraphAttendeeType
from msgraph.generated.models.date_time_time_zone import DateTimeTimeZone
from msgraph.generated.models.event import Event
from msgraph.generated.models.event_type import EventType
from msgraph.generated.models.recipient import Recipient
from msgraph.generated.users.item.calendar_view.delta.delta_get_response import DeltaGetResponse
from msgraph.generated.users.item.calendar_view.delta.delta_request_builder import DeltaRequestBuilder
from msgraph.generated.users.item.online_meetings.online_meetings_request_builder import (
    OnlineMeetingsRequestBuilder,
)
from msgraph.graph_service_client import GraphServiceClient

from bot.domain.conferences import AttendeeType, CalendarChanges, CalendarEvent, Invitee
from bot.graph.people import GraphPeople
from bot.usecases.port_errors import CalendarUnavailableError, DirectoryUnavailableError, SyncRestartNeededError

logger = logging.getLogger(__name__)

PAGE_SIZE = 50
MAX_PAGES = 200
"""A runaway chain of next links (10,000 events) ends the round rather than looping for ever."""
_ATTENDANCE = {
    GraphAttendeeType.Required: AttendeeType.REQUIRED,
    GraphAttendeeType.Optional: AttendeeType.OPTIONAL,
    GraphAttendeeType.Resource: AttendeeType.RESOURCE,
}


class GraphCalendar:
    """Implements the use cases' `CalendarSource` and `MeetingChatFinder` through Microsoft Graph."""

    def __init__(self, client: GraphServiceClient, people: GraphPeople) -> None:
        self._client = client
        self._people = people

    async def changes(
        self, mailbox: str, *, delta_link: str | None, window: tuple[datetime, datetime]
    ) -> CalendarChanges:
        """Everything since `delta_link`, or (without one) every event in `window`."""
        delta = self._client.users.by_user_id(mailbox).calendar_view.delta
        configuration = _configuration(delta_link, window)
        events: list[CalendarEvent] = []
        removed: list[str] = []
        builder = delta.with_url(delta_link) if delta_link else delta
        for _ in range(MAX_PAGES):
            page = await _page(builder, configuration, mailbox)
            for item in page.value or []:
                if item.id is None:
                    continue
                if "@removed" in item.additional_data:
                    removed.append(item.id)
                elif (event := _event(item)) is not None:
                    events.append(event)
                else:
                    logger.warning("calendar event skipped: no start or end time event=%s", item.id)
            if page.odata_delta_link:
                return CalendarChanges(tuple(events), tuple(removed), page.odata_delta_link)
            if not page.odata_next_link:
                raise CalendarUnavailableError("Graph ended the round with neither a next link nor a delta link")
            builder = delta.with_url(page.odata_next_link)
            configuration = _configuration(page.odata_next_link, window)
        raise CalendarUnavailableError(f"more than {MAX_PAGES} pages in one round")

    async def chat_id(self, organiser: str, join_url: str) -> str | None:
        """The meeting chat of the online meeting with this join URL, found in its organiser's meetings (Graph names
        the organiser by object id: their address is looked up first). Needs the OnlineMeetings.Read.All permission
        and a Teams application access policy that covers the organiser."""
        try:
            organiser_id = await self._people.object_id(organiser)
        except DirectoryUnavailableError as problem:
            raise CalendarUnavailableError(f"the organiser's look-up failed: {problem}") from None
        if organiser_id is None:
            return None  # not a user of this organisation: their meetings are not Graph's to read here
        escaped = join_url.replace("'", "''")
        parameters = OnlineMeetingsRequestBuilder.OnlineMeetingsRequestBuilderGetQueryParameters(
            filter=f"JoinWebUrl eq '{escaped}'"
        )
        try:
            found = await self._client.users.by_user_id(organiser_id).online_meetings.get(
                RequestConfiguration(query_parameters=parameters)
            )
        except APIError as problem:
            raise CalendarUnavailableError(_describe(problem)) from None
        for meeting in (found.value if found else None) or []:
            if meeting.chat_info and meeting.chat_info.thread_id:
                return str(meeting.chat_info.thread_id)
        return None


def _configuration(
    delta_link: str | None, window: tuple[datetime, datetime]
) -> RequestConfiguration[DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters]:
    # A next or delta link carries its own query; only the first request of a fresh round names the window.
    parameters = (
        None
        if delta_link
        else DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters(
            start_date_time=_iso(window[0]), end_date_time=_iso(window[1])
        )
    )
    configuration = RequestConfiguration[DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters](
        query_parameters=parameters
    )
    configuration.headers.add("Prefer", 'outlook.timezone="UTC"')
    configuration.headers.add("Prefer", f"odata.maxpagesize={PAGE_SIZE}")
    return configuration


async def _page(
    builder: DeltaRequestBuilder,
    configuration: RequestConfiguration[DeltaRequestBuilder.DeltaRequestBuilderGetQueryParameters],
    mailbox: str,
) -> DeltaGetResponse:
    try:
        page = await builder.get(configuration)
    except APIError as problem:
        if problem.response_status_code == 410:
            raise SyncRestartNeededError(_describe(problem)) from None
        raise CalendarUnavailableError(_describe(problem)) from None
    except Exception as problem:  # connection refused, time-out, unreadable answer
        raise CalendarUnavailableError(type(problem).__name__) from None
    if page is None:
        raise CalendarUnavailableError("Graph returned an empty answer")
    return page


def _describe(problem: APIError) -> str:
    main_error = getattr(problem, "error", None)  # set on ODataError, Graph's error body
    code = getattr(main_error, "code", None)
    return f"Graph answered {problem.response_status_code}" + (f" ({code})" if code else "")


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _when(value: DateTimeTimeZone | None) -> datetime | None:
    if value is None or not value.date_time:
        return None
    moment = datetime.fromisoformat(value.date_time[:26])
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    try:
        zone = ZoneInfo(value.time_zone or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        zone = ZoneInfo("UTC")  # the Prefer header asks for UTC; Graph names it "UTC"
    return moment.replace(tzinfo=zone).astimezone(UTC)


def _person(recipient: Recipient | Attendee | None, attendance: AttendeeType) -> Invitee | None:
    address = recipient.email_address if recipient else None
    if address is None or not address.address:
        return None
    return Invitee(address.address.strip().lower(), (address.name or "").strip(), attendance)


def _event(item: Event) -> CalendarEvent | None:
    start, end = _when(item.start), _when(item.end)
    if start is None or end is None:
        return None
    attendees = tuple(
        person
        for attendee in item.attendees or []
        if (person := _person(attendee, _ATTENDANCE.get(attendee.type, AttendeeType.REQUIRED)))
    )
    join_url = (item.online_meeting.join_url if item.online_meeting else None) or item.online_meeting_url
    return CalendarEvent(
        event_id=item.id or "",
        ical_uid=item.i_cal_u_id or "",
        subject=item.subject or "",
        categories=tuple(item.categories or ()),
        start=start,
        end=end,
        is_cancelled=bool(item.is_cancelled),
        is_series_master=item.type is EventType.SeriesMaster,
        join_url=join_url,
        organiser=_person(item.organizer, AttendeeType.REQUIRED),
        attendees=attendees,
    )
