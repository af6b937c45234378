"""A fake Microsoft Graph on 127.0.0.1 for the calls the bot makes of it, in the wire format Graph documents:
`POST /v1.0/users/{id}/checkMemberGroups` (https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups:
`{"groupIds": [...]}` in, `{"value": [...]}` out, OData errors on failure) and the calendars (`fake_calendars.py`)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.support.fake_calendars import FakeCalendars


@dataclass
class FakeGraph:
    groups: dict[str, set[str]] = field(default_factory=dict)
    """Group id → the Entra object ids of its members (transitively, as Graph answers)."""
    users: set[str] = field(default_factory=set)
    """Users of the tenant; anyone else gets 404, as a guest's home account would."""
    status: int | None = None
    delay: float = 0.0
    calls: list[str] = field(default_factory=list)
    calendars: FakeCalendars = field(default_factory=FakeCalendars)
    directory: dict[str, str] = field(default_factory=dict)
    """E-mail address → Entra object id of this organisation's users (`GET /users?$filter=mail eq '…'`)."""
    chat_installations: list[dict[str, Any]] = field(default_factory=list)
    """(`POST /chats/{id}/installedApps`) each body, with `chat` added."""
    user_installations: list[dict[str, Any]] = field(default_factory=list)
    """(`POST /users/{id}/teamwork/installedApps`) each body, with `user` added."""
    on_user_installation: Callable[[str], None] | None = None
    """Told the object id each time the app is installed for someone (so a fake connector can let them be reached)."""
    installation_status: int | None = None
    """Answer installations with this error status instead (403: the permission was not granted)."""
    mail: list[dict[str, Any]] = field(default_factory=list)
    """(`POST /users/{mailbox}/sendMail`) each body, with `from` added."""
    mail_status: list[int] = field(default_factory=list)
    """Statuses for the next sendMail requests (429, 403 …), in order, instead of 202."""
    mail_refused: set[str] = field(default_factory=set)
    """Recipients whose mail Exchange refuses outright (400 ErrorInvalidRecipients), whenever it is sent."""

    attendance_reports: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    """(organiser's object id, onlineMeeting id) → its attendance reports, each a `meetingAttendanceReport` with its
    `attendanceRecords` inline, as Graph documents them."""
    attendance_status: list[int] = field(default_factory=list)
    """Statuses for the next attendance-report requests (403 without the access policy, 503 …), in order."""
    records_page_size: int = 2
    attendance_calls: list[str] = field(default_factory=list)

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_get(
            "/v1.0/users/{user_id}/onlineMeetings/{meeting_id}/attendanceReports", self._attendance_reports
        )
        app.router.add_get(
            "/v1.0/users/{user_id}/onlineMeetings/{meeting_id}/attendanceReports/{report_id}/attendanceRecords",
            self._attendance_records,
        )
        app.router.add_post("/v1.0/users/{user_id}/checkMemberGroups", self._check_member_groups)
        app.router.add_get("/v1.0/users", self._users)
        app.router.add_get("/v1.0/groups/{group_id}", self._group)
        app.router.add_post("/v1.0/chats/{chat_id}/installedApps", self._install_in_chat)
        app.router.add_post("/v1.0/users/{user_id}/teamwork/installedApps", self._install_for_user)
        app.router.add_post("/v1.0/users/{user_id}/sendMail", self._send_mail)
        self.calendars.routes(app)
        self.calendars.user_ids = lambda: set(self.directory.values())
        return app

    async def _install_in_chat(self, request: web.Request) -> web.Response:
        body = await _binding(request)
        if isinstance(body, web.Response):
            return body
        if self.installation_status is not None:
            return _odata_error(self.installation_status, "Forbidden")
        chat = request.match_info["chat_id"]
        if any(done["chat"] == chat for done in self.chat_installations):
            return _odata_error(409, "Conflict")
        self.chat_installations.append({**body, "chat": chat})
        return web.json_response({"id": f"installation-{len(self.chat_installations)}"}, status=201)

    async def _install_for_user(self, request: web.Request) -> web.Response:
        body = await _binding(request)
        if isinstance(body, web.Response):
            return body
        if self.installation_status is not None:
            return _odata_error(self.installation_status, "Forbidden")
        user = request.match_info["user_id"]
        if any(done["user"] == user for done in self.user_installations):
            return _odata_error(409, "Conflict")
        self.user_installations.append({**body, "user": user})
        if self.on_user_installation is not None:
            self.on_user_installation(user)
        return web.json_response({"id": f"installation-{len(self.user_installations)}"}, status=201)

    async def _send_mail(self, request: web.Request) -> web.Response:
        # Graph reads the action's parameters without regard to case; msgraph-sdk sends "Message", the docs "message".
        raw = await request.json()
        body = {key[:1].lower() + key[1:]: value for key, value in raw.items()} if isinstance(raw, dict) else {}
        message = body.get("message")
        if not isinstance(message, dict) or not message.get("toRecipients") or not message.get("subject"):
            return _odata_error(400, "ErrorInvalidRecipients")
        recipients = {
            str(recipient.get("emailAddress", {}).get("address", "")).lower()
            for recipient in message["toRecipients"]
            if isinstance(recipient, dict)
        }
        if recipients & self.mail_refused:
            return _odata_error(400, "ErrorInvalidRecipients")
        if self.mail_status:
            status = self.mail_status.pop(0)
            response = _odata_error(status, "ApplicationThrottled" if status == 429 else "ErrorAccessDenied")
            if status == 429:
                response.headers["Retry-After"] = "0"
            return response
        self.mail.append({**body, "from": request.match_info["user_id"]})
        return web.Response(status=202)

    def _reports_of(self, request: web.Request) -> list[dict[str, Any]] | web.Response:
        self.attendance_calls.append(request.path_qs)
        if self.attendance_status:
            status = self.attendance_status.pop(0)
            refusal = _odata_error(status, "Forbidden" if status == 403 else "ServiceUnavailable")
            if status >= 500:
                refusal.headers["Retry-After"] = "0"  # msgraph-sdk's retry handler tries again at once
            return refusal
        key = (request.match_info["user_id"], request.match_info["meeting_id"])
        if key not in self.attendance_reports:
            return _odata_error(404, "NotFound")
        return self.attendance_reports[key]

    async def _attendance_reports(self, request: web.Request) -> web.Response:
        reports = self._reports_of(request)
        if isinstance(reports, web.Response):
            return reports
        listed = [{k: v for k, v in report.items() if k != "attendanceRecords"} for report in reports]
        return web.json_response(
            {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#meetingAttendanceReports", "value": listed}
        )

    async def _attendance_records(self, request: web.Request) -> web.Response:
        reports = self._reports_of(request)
        if isinstance(reports, web.Response):
            return reports
        found = [r for r in reports if r["id"] == request.match_info["report_id"]]
        if not found:
            return _odata_error(404, "NotFound")
        report = found[0]
        records = report.get("attendanceRecords", [])
        start = int(request.query.get("$skiptoken", "0"))
        page = records[start : start + self.records_page_size]
        body: dict[str, Any] = {
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#attendanceRecords",
            "value": page,
        }
        if start + self.records_page_size < len(records):
            body["@odata.nextLink"] = str(request.url.with_query({"$skiptoken": str(start + self.records_page_size)}))
        return web.json_response(body)

    async def _users(self, request: web.Request) -> web.Response:
        """List users, filtered by address as the bot asks (`mail eq '…' or userPrincipalName eq '…'`)."""
        wanted = re.fullmatch(r"mail eq '(.*)' or userPrincipalName eq '(.*)'", request.query.get("$filter", ""))
        if wanted is None or wanted.group(1) != wanted.group(2):
            return _odata_error(400, "Request_UnsupportedQuery")
        address = wanted.group(1).replace("''", "'").lower()
        self.calls.append(f"GET /users?mail={address}")
        object_id = self.directory.get(address)
        return web.json_response(
            {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id)",
                "value": [{"id": object_id}] if object_id else [],
            }
        )

    async def _group(self, request: web.Request) -> web.Response:
        group = request.match_info["group_id"]
        if group not in self.groups:
            return _odata_error(404, "Request_ResourceNotFound")
        return web.json_response(
            {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#groups/$entity", "id": group}
        )

    async def _check_member_groups(self, request: web.Request) -> web.Response:
        user_id = request.match_info["user_id"]
        self.calls.append(user_id)
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.status is not None:
            return _odata_error(self.status, "serviceNotAvailable" if self.status >= 500 else "Forbidden")
        if user_id not in self.users:
            return _odata_error(404, "Request_ResourceNotFound")
        body = await request.json()
        wanted = body.get("groupIds") if isinstance(body, dict) else None
        if not isinstance(wanted, list) or not 1 <= len(wanted) <= 20:
            return _odata_error(400, "Request_BadRequest")
        return web.json_response(
            {
                "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(Edm.String)",
                "value": [group for group in wanted if user_id in self.groups.get(group, set())],
            }
        )


async def _binding(request: web.Request) -> dict[str, Any] | web.Response:
    body = await request.json()
    if not isinstance(body, dict) or "/appCatalogs/teamsApps/" not in str(body.get("teamsApp@odata.bind", "")):
        return _odata_error(400, "BadRequest")
    return body


def _odata_error(status: int, code: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": code, "innerError": {}}}, status=status)
