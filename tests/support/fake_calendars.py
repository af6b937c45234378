"""Mailbox calendars for the fake Graph, in the wire format Graph documents for
`GET /users/{id}/calendarView/delta` (https://learn.microsoft.com/graph/api/event-delta) and
`GET /users/{id}/onlineMeetings?$filter=JoinWebUrl eq '…'`.

A first request names the window (startDateTime, endDateTime) and gets every occurrence in it, `page_size` per page
(`@odata.nextLink` … `$skiptoken`), the last page carrying an `@odata.deltaLink` (`$deltatoken`). A request with the
delta token gets what changed since: changed events in full, deleted ones (and ones moved out of the window) as
`{"id": …, "@removed": {"reason": "deleted"}}`. Series masters never appear, as in calendarView.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

from aiohttp import web


@dataclass(frozen=True)
class GraphEvent:
    id: str
    ical_uid: str
    subject: str
    start: datetime
    end: datetime
    organiser: tuple[str, str]
    """(e-mail, name)"""
    attendees: tuple[tuple[str, str, str], ...] = ()
    """(e-mail, name, required|optional|resource)"""
    categories: tuple[str, ...] = ()
    join_url: str | None = None
    is_cancelled: bool = False
    type: str = "singleInstance"
    series_master_id: str | None = None

    @classmethod
    def in_meeting_chat(
        cls,
        chat_id: str,
        start: datetime,
        organiser: tuple[str, str],
        attendees: tuple[tuple[str, str, str], ...] = (),
        *,
        event_id: str = "event-1",
    ) -> GraphEvent:
        """A two-hour conference whose Teams join link names `chat_id`, as Outlook writes it."""
        return cls(
            id=event_id,
            ical_uid=f"uid-{event_id}",
            subject="RCPC Family",
            start=start,
            end=start + timedelta(hours=2),
            organiser=organiser,
            attendees=attendees,
            join_url="https://teams.microsoft.com/l/meetup-join/"
            + chat_id.replace(":", "%3a").replace("@", "%40")
            + "/0",
        )

    def wire(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "@odata.etag": f'W/"{abs(hash(self)) % 10**8}"',
            "id": self.id,
            "iCalUId": self.ical_uid,
            "subject": self.subject,
            "categories": list(self.categories),
            "start": {"dateTime": _graph_time(self.start), "timeZone": "UTC"},
            "end": {"dateTime": _graph_time(self.end), "timeZone": "UTC"},
            "isCancelled": self.is_cancelled,
            "type": self.type,
            "seriesMasterId": self.series_master_id,
            "isOnlineMeeting": self.join_url is not None,
            "onlineMeeting": {"joinUrl": self.join_url} if self.join_url else None,
            "organizer": {"emailAddress": {"name": self.organiser[1], "address": self.organiser[0]}},
            "attendees": [
                {
                    "type": kind,
                    "status": {"response": "none", "time": "0001-01-01T00:00:00Z"},
                    "emailAddress": {"name": name, "address": address},
                }
                for address, name, kind in self.attendees
            ],
        }
        return body


def _graph_time(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.0000000")


def _parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)


@dataclass
class _Round:
    window: tuple[datetime, datetime]
    items: list[dict[str, Any]]
    delta_token: str


@dataclass
class FakeCalendars:
    events: dict[str, dict[str, GraphEvent]] = field(default_factory=dict)
    """Mailbox → event id → event."""
    online_meetings: dict[str, str] = field(default_factory=dict)
    """Join URL → meeting chat thread id."""
    page_size: int = 2
    throttle_next: list[int] = field(default_factory=list)
    """Retry-After seconds for the next requests, answered 429 each, in order."""
    expire_delta_tokens: bool = False
    """Answer any delta token with 410 Gone (syncStateNotFound), as Graph does for old tokens."""
    refused_mailboxes: set[str] = field(default_factory=set)
    """Mailboxes outside the application's scope (Exchange RBAC for Applications): 403 ErrorAccessDenied."""
    down: bool = False
    """Graph having a bad day: every calendar read is answered 500 (which msgraph's client does not retry; its
    retries of 503s wait 3 s each, too slow for the suite, and end the same way)."""
    requests: list[str] = field(default_factory=list)
    user_ids: Callable[[], set[str]] | None = None
    """The directory's object ids: online meetings are asked of a user by id, as Graph documents (any other is 404)."""
    _changes: list[tuple[int, str, str]] = field(default_factory=list)
    """(sequence, mailbox, event id) of every change."""
    _sequence: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _last: int = 0
    _pages: dict[str, tuple[_Round, int]] = field(default_factory=dict)
    _windows: dict[str, tuple[str, datetime, datetime, int]] = field(default_factory=dict)

    def routes(self, app: web.Application) -> None:
        # msgraph-sdk asks for `delta()`, Graph's own links say `delta`: Graph answers both.
        app.router.add_get("/v1.0/users/{mailbox}/calendarView/delta", self._delta)
        app.router.add_get("/v1.0/users/{mailbox}/calendarView/delta()", self._delta)
        app.router.add_get("/v1.0/users/{user}/onlineMeetings", self._online_meetings)

    # -- changing the calendars, as people do in Outlook --

    def put(self, mailbox: str, event: GraphEvent) -> None:
        self.events.setdefault(mailbox.lower(), {})[event.id] = event
        self._changed(mailbox, event.id)

    def change(self, mailbox: str, event_id: str, **changes: Any) -> None:
        self.put(mailbox, replace(self.events[mailbox.lower()][event_id], **changes))

    def delete(self, mailbox: str, event_id: str) -> None:
        del self.events[mailbox.lower()][event_id]
        self._changed(mailbox, event_id)

    def _changed(self, mailbox: str, event_id: str) -> None:
        self._last = next(self._sequence)
        self._changes.append((self._last, mailbox.lower(), event_id))

    # -- the wire --

    async def _delta(self, request: web.Request) -> web.Response:
        mailbox = request.match_info["mailbox"].lower()
        self.requests.append(f"GET {request.path_qs}")
        if self.throttle_next:
            seconds = self.throttle_next.pop(0)
            return _odata_error(429, "ApplicationThrottled", headers={"Retry-After": str(seconds)})
        if mailbox in self.refused_mailboxes:
            return _odata_error(403, "ErrorAccessDenied")
        if self.down:
            return _odata_error(500, "InternalServerError")
        query = request.query
        if "$skiptoken" in query:
            found = self._pages.pop(query["$skiptoken"], None)
            if found is None:
                return _odata_error(400, "InvalidSkipToken")
            return self._page(request, *found)
        if "$deltatoken" in query:
            if self.expire_delta_tokens:
                return _odata_error(410, "SyncStateNotFound")
            known = self._windows.get(query["$deltatoken"])
            if known is None or known[0] != mailbox:
                return _odata_error(400, "InvalidDeltaToken")
            _, start, end, since = known
            changed = {event_id for sequence, box, event_id in self._changes if box == mailbox and sequence > since}
            items = []
            for event_id in sorted(changed):
                event = self.events.get(mailbox, {}).get(event_id)
                if event is not None and _overlaps(event, start, end):
                    items.append(event.wire())
                else:
                    items.append({"id": event_id, "@removed": {"reason": "deleted"}})
            return self._page(request, self._round(mailbox, start, end, items), 0)
        try:
            start, end = _parse_time(query["startDateTime"]), _parse_time(query["endDateTime"])
        except (KeyError, ValueError):
            return _odata_error(400, "ErrorInvalidParameter")
        if request.headers.getall("Prefer", []) and not any(
            'outlook.timezone="UTC"' in value for value in request.headers.getall("Prefer")
        ):
            return _odata_error(400, "the bot always asks for UTC")
        items = [
            event.wire()
            for event in sorted(self.events.get(mailbox, {}).values(), key=lambda e: (e.start, e.id))
            if event.type != "seriesMaster" and _overlaps(event, start, end)
        ]
        return self._page(request, self._round(mailbox, start, end, items), 0)

    def _round(self, mailbox: str, start: datetime, end: datetime, items: list[dict[str, Any]]) -> _Round:
        token = f"d{len(self._windows) + 1}"
        self._windows[token] = (mailbox, start, end, self._last)
        return _Round((start, end), items, token)

    def _page(self, request: web.Request, round_: _Round, offset: int) -> web.Response:
        page = round_.items[offset : offset + self.page_size]
        base = str(request.url.with_query(None))
        body: dict[str, Any] = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(event)",
            "value": page,
        }
        if offset + self.page_size < len(round_.items):
            token = f"s{len(self._pages) + len(self.requests)}"
            self._pages[token] = (round_, offset + self.page_size)
            body["@odata.nextLink"] = f"{base}?$skiptoken={token}"
        else:
            body["@odata.deltaLink"] = f"{base}?$deltatoken={round_.delta_token}"
        return web.json_response(body)

    async def _online_meetings(self, request: web.Request) -> web.Response:
        self.requests.append(f"GET {request.path_qs}")
        if self.user_ids is not None and request.match_info["user"] not in self.user_ids():
            return _odata_error(404, "UnknownError")
        wanted = request.query.get("$filter", "")
        prefix = "JoinWebUrl eq '"
        if not wanted.startswith(prefix) or not wanted.endswith("'"):
            return _odata_error(400, "BadRequest")
        join_url = wanted[len(prefix) : -1].replace("''", "'")
        thread = self.online_meetings.get(join_url)
        value = (
            [
                {
                    "id": "MSo1N2Y5ZGFjYy03MWJmLTQ3NDMtYjQxMy01M2EdFGkdRWHJlQ",
                    "joinWebUrl": join_url,
                    "chatInfo": {"threadId": thread, "messageId": "0"},
                }
            ]
            if thread
            else []
        )
        return web.json_response(
            {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#onlineMeetings", "value": value}
        )


def _overlaps(event: GraphEvent, start: datetime, end: datetime) -> bool:
    return event.start < end and event.end > start


def _odata_error(status: int, code: str, *, headers: dict[str, str] | None = None) -> web.Response:
    return web.json_response(
        {"error": {"code": code, "message": code, "innerError": {}}}, status=status, headers=headers
    )
