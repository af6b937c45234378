"""A fake Microsoft Graph on 127.0.0.1 for the calls the bot makes of it, in the wire format Graph documents:
`POST /v1.0/users/{id}/checkMemberGroups` (https://learn.microsoft.com/graph/api/directoryobject-checkmembergroups:
`{"groupIds": [...]}` in, `{"value": [...]}` out, OData errors on failure) and the calendars (`fake_calendars.py`)."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

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
    """E-mail address → Entra object id of this organisation's users (`GET /users/{address}`)."""

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v1.0/users/{user_id}/checkMemberGroups", self._check_member_groups)
        app.router.add_get("/v1.0/users/{user_id}", self._user)
        self.calendars.routes(app)
        return app

    async def _user(self, request: web.Request) -> web.Response:
        address = request.match_info["user_id"].lower()
        self.calls.append(f"GET /users/{address}")
        object_id = self.directory.get(address)
        if object_id is None:
            return _odata_error(404, "Request_ResourceNotFound")
        return web.json_response(
            {"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users(id)/$entity", "id": object_id}
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


def _odata_error(status: int, code: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": code, "innerError": {}}}, status=status)
