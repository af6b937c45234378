"""A fake Bot Connector on 127.0.0.1 that follows the documented REST shapes and records what the bot sends.

Only Microsoft's cloud connector is faked: v3 conversations (send, create a 1:1 chat, list members) as botbuilder's
real ConnectorClient and the bot's own client call them, and the Teams meeting endpoints under v1/meetings
(https://learn.microsoft.com/microsoftteams/platform/apps-in-teams-meetings/meeting-apps-apis).
"""

from __future__ import annotations

import asyncio
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from harness.waiting import wait_until
from tests.support.activities import TENANT_ID
from tests.support.card_reading import card_text


@dataclass
class SentActivity:
    conversation_id: str
    reply_to_id: str | None
    body: dict[str, Any]
    authorization: str | None
    activity_id: str | None = None
    """The id the connector gave the activity (what a later button press names as its replyToId)."""

    @property
    def cards(self) -> list[dict[str, Any]]:
        return [
            attachment["content"]
            for attachment in self.body.get("attachments") or []
            if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive"
        ]

    @property
    def text(self) -> str:
        """What its cards say in text elements, joined by spaces."""
        return card_text(self.cards)


@dataclass(frozen=True)
class StageNotification:
    meeting_id: str
    recipients: list[str]
    page: dict[str, Any]
    """`{height, width, title, url}`, as sent."""


@dataclass(frozen=True)
class FakePerson:
    """Someone invited to a meeting: in its chat's member list, with a role and, if they are in it, present."""

    aad_object_id: str
    name: str
    email: str
    role: str = "Attendee"
    in_meeting: bool = True
    has_app: bool = True
    """Whether the bot can open a 1:1 chat with them (Teams refuses with 403 for people without the app)."""
    tenant_id: str = TENANT_ID

    @property
    def teams_user_id(self) -> str:
        return f"29:{self.aad_object_id}"

    def member(self) -> dict[str, Any]:
        return {
            "id": self.teams_user_id,
            "name": self.name,
            "aadObjectId": self.aad_object_id,
            "email": self.email,
            "userPrincipalName": self.email,
            "tenantId": self.tenant_id,
            "userRole": "user",
        }


@dataclass
class FakeMeeting:
    meeting_id: str
    conversation_id: str
    people: list[FakePerson]
    organizer: FakePerson
    scheduled_start: str = "2026-11-24T10:00:00Z"
    scheduled_end: str = "2026-11-24T11:30:00Z"


@dataclass
class FakeConnector:
    sent: list[SentActivity] = field(default_factory=list)
    failures_to_send: int = 0
    """Answer this many of the next sends with 500, as the real connector does when it has a bad moment."""
    meetings: dict[str, FakeMeeting] = field(default_factory=dict)
    meeting_api_status: int | None = None
    """Answer the v1/meetings endpoints with this status instead (403: app not in the meeting; 404: expired)."""
    meeting_api_delay: float = 0.0
    """Seconds to wait before answering the v1/meetings endpoints, to exercise the bot's time limits."""
    private_chats: dict[str, str] = field(default_factory=dict)
    """1:1 conversation id → the person's Teams user id, for every private chat the bot opened."""
    refused_private_chats: list[str] = field(default_factory=list)
    throttle_sends: list[float] = field(default_factory=list)
    """Retry-After seconds for the next sends, each answered 429, in order."""
    send_times: list[tuple[str, float]] = field(default_factory=list)
    """(conversation id, monotonic time) of every activity accepted, to see the bot's pacing."""
    updated: list[SentActivity] = field(default_factory=list)
    """Activities the bot replaced (PUT), with the id of the one replaced as `reply_to_id`."""
    calls: list[str] = field(default_factory=list)
    """"METHOD path" of every call to the meeting and member endpoints, in order."""
    hold_sends: asyncio.Event | None = None
    """While this is an unset Event, every send waits for it before being answered (a Teams that has stalled)."""
    sends_held: int = 0
    """How many sends are waiting on `hold_sends` now."""
    abandoned_sends: int = 0
    """Held sends whose sender had gone by the time they were released (not accepted, not in `sent`)."""
    notifications: list[StageNotification] = field(default_factory=list)
    """Every targeted meeting notification the connector accepted (202 or 207), in order."""
    notification_status: int | None = None
    """Answer targeted meeting notifications with this status instead (403: the organiser did not grant
    OnlineMeetingNotification.Send.Chat, or the app is not in the meeting)."""
    unreachable_on_stage: dict[str, str] = field(default_factory=dict)
    """`29:` id → error code: recipients a notification reaches are answered 207 with these among the failures."""
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def app(self) -> web.Application:
        app = web.Application()
        app.router.add_post("/v3/conversations", self._create_conversation)
        app.router.add_get("/v3/conversations/{conversation_id}/members", self._members)
        app.router.add_post("/v3/conversations/{conversation_id}/activities", self._send)
        app.router.add_post("/v3/conversations/{conversation_id}/activities/{activity_id}", self._send)
        app.router.add_put("/v3/conversations/{conversation_id}/activities/{activity_id}", self._update)
        app.router.add_get("/v1/meetings/{meeting_id}", self._meeting)
        app.router.add_get("/v1/meetings/{meeting_id}/participants/{aad_object_id}", self._participant)
        app.router.add_post("/v1/meetings/{meeting_id}/notification", self._notification)
        return app

    def add_meeting(self, meeting: FakeMeeting) -> FakeMeeting:
        self.meetings[meeting.meeting_id] = meeting
        return meeting

    def sent_privately_to(self, person: FakePerson) -> list[SentActivity]:
        return [
            activity
            for activity in self.sent
            if self.private_chats.get(activity.conversation_id) == person.teams_user_id
        ]

    def sent_to(self, conversation_id: str) -> list[SentActivity]:
        return [activity for activity in self.sent if activity.conversation_id == conversation_id]

    async def _meeting_api_refusal(self, request: web.Request) -> web.Response | None:
        self.calls.append(f"{request.method} {request.path}")
        if self.meeting_api_delay:
            await asyncio.sleep(self.meeting_api_delay)
        if self.meeting_api_status is not None:
            return _error(self.meeting_api_status, "Forbidden" if self.meeting_api_status == 403 else "NotFound")
        return None

    async def _meeting(self, request: web.Request) -> web.Response:
        if (refusal := await self._meeting_api_refusal(request)) is not None:
            return refusal
        meeting = self.meetings.get(request.match_info["meeting_id"])
        if meeting is None:
            return _error(404, "NotFound")
        return web.json_response(
            {
                "details": {
                    "id": meeting.meeting_id,
                    "msGraphResourceId": "graph-" + meeting.meeting_id,
                    "scheduledStartTime": meeting.scheduled_start,
                    "scheduledEndTime": meeting.scheduled_end,
                    "joinUrl": "https://teams.microsoft.com/l/meetup-join/x",
                    "title": "Not for the bot's eyes",
                    "type": "Scheduled",
                },
                "conversation": {"isGroup": True, "conversationType": "groupChat", "id": meeting.conversation_id},
                "organizer": {
                    "id": meeting.organizer.teams_user_id,
                    "aadObjectId": meeting.organizer.aad_object_id,
                    "objectId": meeting.organizer.aad_object_id,
                    "tenantId": meeting.organizer.tenant_id,
                },
            }
        )

    async def _participant(self, request: web.Request) -> web.Response:
        if (refusal := await self._meeting_api_refusal(request)) is not None:
            return refusal
        meeting = self.meetings.get(request.match_info["meeting_id"])
        wanted = request.match_info["aad_object_id"]
        person = next((p for p in meeting.people if p.aad_object_id == wanted), None) if meeting else None
        if meeting is None or person is None or request.query.get("tenantId") != person.tenant_id:
            return _error(404, "NotFound")
        return web.json_response(
            {
                "user": {**person.member(), "givenName": None, "surname": None},
                "meeting": {"role": person.role, "inMeeting": person.in_meeting},
                "conversation": {"isGroup": True, "id": meeting.conversation_id},
            }
        )

    async def _notification(self, request: web.Request) -> web.Response:
        """Targeted meeting notification, as documented: `{type: targetedMeetingNotification, value: {recipients,
        surfaces: [{surface: meetingStage, contentType: task, content: {value: {height, width, title, url}}}]}}`;
        202 with no body, 207 with `recipientsFailureInfo`, 400 for a body that is not one, 403 when refused."""
        self.calls.append(f"{request.method} {request.path}")
        if self.notification_status is not None:
            return _error(self.notification_status, "Forbidden" if self.notification_status == 403 else "Error")
        meeting = self.meetings.get(request.match_info["meeting_id"])
        if meeting is None:
            return _error(404, "NotFound")
        body = await request.json()
        value = body.get("value") or {}
        recipients, surfaces = value.get("recipients"), value.get("surfaces")
        if (
            body.get("type") != "targetedMeetingNotification"
            or not isinstance(recipients, list)
            or not 1 <= len(recipients) <= 10
            or not all(isinstance(r, str) and r.startswith("29:") for r in recipients)
            or not isinstance(surfaces, list)
            or len(surfaces) != 1
            or surfaces[0].get("surface") != "meetingStage"
            or surfaces[0].get("contentType") != "task"
            or not {"height", "width", "title", "url"} <= set((surfaces[0].get("content") or {}).get("value") or {})
        ):
            return _error(400, "BadRequest")
        self.notifications.append(
            StageNotification(meeting.meeting_id, list(recipients), surfaces[0]["content"]["value"])
        )
        failed = [r for r in recipients if r in self.unreachable_on_stage]
        if not failed:
            return web.Response(status=202)
        info = [
            {"recipientMri": r, "errorCode": self.unreachable_on_stage[r], "failureReason": "Recipient not in meeting"}
            for r in failed
        ]
        return web.json_response({"recipientsFailureInfo": info}, status=207)

    def shown_on_stage(self, person: FakePerson) -> list[StageNotification]:
        return [n for n in self.notifications if person.teams_user_id in n.recipients]

    async def _members(self, request: web.Request) -> web.Response:
        self.calls.append(f"{request.method} {request.path}")
        conversation_id = request.match_info["conversation_id"]
        meeting = next((m for m in self.meetings.values() if m.conversation_id == conversation_id), None)
        if meeting is not None:
            return web.json_response([person.member() for person in meeting.people])
        if conversation_id in self.private_chats:  # a 1:1 chat's members: the person (Teams leaves the bot out)
            wanted = self.private_chats[conversation_id]
            people = {p.teams_user_id: p for m in self.meetings.values() for p in m.people}
            if wanted in people:
                return web.json_response([people[wanted].member()])
        return _error(404, "ConversationNotFound")

    async def _create_conversation(self, request: web.Request) -> web.Response:
        body = await request.json()
        members = body.get("members") if isinstance(body, dict) else None
        if not isinstance(members, list) or len(members) != 1 or not isinstance(members[0], dict):
            return _error(400, "BadArgument")
        wanted = members[0].get("id")
        person = next(
            (
                p
                for meeting in self.meetings.values()
                for p in meeting.people
                if wanted in (p.teams_user_id, p.aad_object_id)
            ),
            None,
        )
        if person is None or not person.has_app:
            self.refused_private_chats.append(str(wanted))
            return web.json_response(
                {"error": {"code": "BotNotInConversationRoster", "message": "The bot is not part of the roster."}},
                status=403,
            )
        conversation_id = f"a:personal-{person.aad_object_id}"
        self.private_chats[conversation_id] = person.teams_user_id
        return web.json_response({"id": conversation_id}, status=201)

    async def _send(self, request: web.Request) -> web.Response:
        body = await request.json()
        if self.hold_sends is not None:
            self.sends_held += 1
            try:
                await self.hold_sends.wait()
            except asyncio.CancelledError:
                self.abandoned_sends += 1  # aiohttp cancels the handler when the sender goes away
                raise
            finally:
                self.sends_held -= 1
            if request.transport is None or request.transport.is_closing():
                # The sender went away (killed) before Teams answered: the activity was never accepted.
                self.abandoned_sends += 1
                return web.Response(status=499)
        if self.failures_to_send > 0:
            self.failures_to_send -= 1
            return web.json_response({"error": {"code": "ServiceError", "message": "Unknown"}}, status=500)
        if self.throttle_sends:
            seconds = self.throttle_sends.pop(0)
            return web.json_response(
                {"error": {"code": "TooManyRequests", "message": "Too many requests"}},
                status=429,
                headers={"Retry-After": f"{seconds:g}"},
            )
        if not isinstance(body, dict) or not body.get("type"):
            return web.json_response({"error": {"code": "BadArgument", "message": "Activity is missing"}}, status=400)
        activity_id = f"1:{next(self._ids)}"
        self.send_times.append((request.match_info["conversation_id"], time.monotonic()))
        self.sent.append(
            SentActivity(
                conversation_id=request.match_info["conversation_id"],
                reply_to_id=request.match_info.get("activity_id"),
                body=body,
                authorization=request.headers.get("Authorization"),
                activity_id=activity_id,
            )
        )
        return web.json_response({"id": activity_id}, status=201)

    async def _update(self, request: web.Request) -> web.Response:
        body = await request.json()
        activity_id = request.match_info["activity_id"]
        conversation_id = request.match_info["conversation_id"]
        if not any(sent.conversation_id == conversation_id and sent.activity_id == activity_id for sent in self.sent):
            return _error(404, "ActivityNotFound")
        self.updated.append(SentActivity(conversation_id, activity_id, body, request.headers.get("Authorization")))
        return web.json_response({"id": activity_id}, status=200)

    async def wait_for_private(self, person: FakePerson, count: int = 1, *, within: float = 10.0) -> list[SentActivity]:
        async def enough() -> bool:
            return len(self.sent_privately_to(person)) >= count

        await wait_until(enough, within=within, what=f"{count} private messages to {person.name}")
        return self.sent_privately_to(person)

    async def wait_for(self, count: int, *, within: float = 10.0) -> list[SentActivity]:
        """Wait until at least `count` activities have been sent, then return them all."""

        async def enough() -> bool:
            return len(self.sent) >= count

        await wait_until(enough, within=within, what=f"{count} activities at the fake connector")
        return self.sent


def _error(status: int, code: str) -> web.Response:
    return web.json_response({"error": {"code": code, "message": code}}, status=status)
