"""Teams-shaped inbound activities, as Teams (and the Agents Playground) post them to /api/messages."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Literal, Protocol

TENANT_ID = "72f988bf-86f1-41af-91ab-2d7cd011db47"
BOT_ID = "28:6f1c2a3e-0000-4000-8000-000000000001"
BOT_NAME = "CP Conference Bot"
USER_ID = "29:1a2b3c-user"
USER_AAD_ID = "0b1c2d3e-0000-4000-8000-0000000000aa"
MEETING_ID = "MCMxOTptZWV0aW5nX05qRTFOV0l6TkRVdE1EUTRNeTAwTVRWakxUazNaVGN0T0dVek1qTTNaV0ZrWXpSa0B0aHJlYWQudjIjMA=="

Scope = Literal["personal", "groupChat", "meetingChat", "channel"]

CONVERSATION_IDS: dict[Scope, str] = {
    "personal": "a:1pErSoNaLcHaT-x9",
    "groupChat": "19:5b1e0e7e6b8d4b0c9f1e2d3c4b5a6978@thread.v2",
    "meetingChat": "19:meeting_NjE1NWIzNDUtMDQ4My00MTVjLTk3ZTctOGUzMjM3ZWFkYzRk@thread.v2",
    "channel": "19:c0ffee0000000000000000000000beef@thread.tacv2;messageid=1700000000000",
}

_ids = itertools.count(1_700_000_000_001)


class Person(Protocol):
    """Someone in a meeting, as the fake connector's FakePerson describes them."""

    @property
    def aad_object_id(self) -> str: ...
    @property
    def teams_user_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def role(self) -> str: ...


def _conversation(scope: Scope) -> dict[str, Any]:
    conversation_type = "groupChat" if scope == "meetingChat" else scope
    conversation: dict[str, Any] = {
        "conversationType": conversation_type,
        "tenantId": TENANT_ID,
        "id": CONVERSATION_IDS[scope],
    }
    if scope != "personal":
        conversation["isGroup"] = True
    return conversation


def _channel_data(scope: Scope) -> dict[str, Any]:
    data: dict[str, Any] = {"tenant": {"id": TENANT_ID}}
    if scope == "meetingChat":
        data["meeting"] = {"id": MEETING_ID}
    if scope == "channel":
        data["team"] = {"id": "19:teamid0000@thread.tacv2"}
        data["channel"] = {"id": "19:c0ffee0000000000000000000000beef@thread.tacv2"}
    return data


def bot_mention() -> dict[str, Any]:
    return {"type": "mention", "text": f"<at>{BOT_NAME}</at>", "mentioned": {"id": BOT_ID, "name": BOT_NAME}}


def activity(
    activity_type: str,
    *,
    service_url: str,
    scope: Scope = "personal",
    meeting: tuple[str, str] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """An activity in `scope`'s conversation, or with `meeting` (its meeting id and its conversation's id), in that
    meeting's own conversation (its chat, or for scope "channel", the thread of a channel meeting)."""
    conversation, channel_data = _conversation(scope), _channel_data(scope)
    if meeting is not None:
        channel_data["meeting"] = {"id": meeting[0]}
        conversation["id"] = meeting[1]
    return {
        "type": activity_type,
        "id": str(next(_ids)),
        "timestamp": "2026-11-24T10:00:00.000Z",
        "localTimestamp": "2026-11-24T10:00:00.000+00:00",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {"id": USER_ID, "name": "Alex Wilber", "aadObjectId": USER_AAD_ID},
        "conversation": conversation,
        "recipient": {"id": BOT_ID, "name": BOT_NAME},
        "locale": "en-GB",
        "channelData": channel_data,
        **fields,
    }


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def meeting_event(
    name: str,
    value: dict[str, Any],
    at: datetime,
    *,
    service_url: str,
    meeting: tuple[str, str] | None = None,
    scope: Scope = "meetingChat",
) -> dict[str, Any]:
    payload = activity(
        "event",
        service_url=service_url,
        scope=scope,
        meeting=meeting,
        name=f"application/vnd.microsoft.{name}",
        value=value,
    )
    payload["timestamp"] = _iso(at)
    payload.pop("from")
    payload["from"] = {"id": USER_ID, "aadObjectId": USER_AAD_ID}
    return payload


def meeting_started(
    at: datetime, *, service_url: str, meeting: tuple[str, str] | None = None, scope: Scope = "meetingChat"
) -> dict[str, Any]:
    value = {"Id": "meeting-graph-id", "MeetingType": "Scheduled", "Title": "ICPC Smith", "StartTime": _iso(at)}
    return meeting_event("meetingStart", value, at, service_url=service_url, meeting=meeting, scope=scope)


def meeting_ended(
    at: datetime, *, service_url: str, meeting: tuple[str, str] | None = None, scope: Scope = "meetingChat"
) -> dict[str, Any]:
    value = {"Id": "meeting-graph-id", "MeetingType": "Scheduled", "Title": "ICPC Smith", "EndTime": _iso(at)}
    return meeting_event("meetingEnd", value, at, service_url=service_url, meeting=meeting, scope=scope)


def participants_event(
    joined: bool,
    people: Sequence[Person],
    at: datetime,
    *,
    service_url: str,
    meeting: tuple[str, str] | None = None,
    scope: Scope = "meetingChat",
) -> dict[str, Any]:
    members = [
        {
            "user": {
                "id": person.teams_user_id,
                "aadObjectId": person.aad_object_id,
                "name": person.name,
                "tenantId": TENANT_ID,
                "userRole": "user",
            },
            "meeting": {"role": person.role, "inMeeting": joined},
        }
        for person in people
    ]
    name = "meetingParticipantJoin" if joined else "meetingParticipantLeave"
    return meeting_event(name, {"members": members}, at, service_url=service_url, meeting=meeting, scope=scope)


def message(
    text: str,
    *,
    service_url: str,
    scope: Scope = "personal",
    mention_bot: bool | None = None,
    value: Any = None,
    sender: Person | None = None,
    mentioning: Sequence[Person] = (),
    reply_to_id: str | None = None,
    meeting: tuple[str, str] | None = None,
) -> dict[str, Any]:
    """A message as Teams sends it; in shared scopes the bot's @mention leads the text, as Teams requires. People in
    `mentioning` get Teams' mention entities (their `<at>Name</at>` is expected in `text`); `reply_to_id` is set on a
    card's button press, naming the card's activity."""
    if mention_bot is None:
        mention_bot = scope != "personal"
    entities: list[dict[str, Any]] = [
        {
            "type": "clientInfo",
            "locale": "en-GB",
            "country": "GB",
            "platform": "Web",
            "timezone": "Europe/London",
        }
    ]
    if mention_bot:
        text = f"<at>{BOT_NAME}</at> {text}"
        entities.append(bot_mention())
    entities += [
        {
            "type": "mention",
            "text": f"<at>{person.name}</at>",
            "mentioned": {"id": person.teams_user_id, "name": person.name},
        }
        for person in mentioning
    ]
    fields: dict[str, Any] = {"text": text, "textFormat": "plain", "entities": entities}
    if value is not None:
        fields["value"] = value
    if reply_to_id is not None:
        fields["replyToId"] = reply_to_id
    if sender is not None:
        fields["from"] = {"id": sender.teams_user_id, "name": sender.name, "aadObjectId": sender.aad_object_id}
    return activity("message", service_url=service_url, scope=scope, meeting=meeting, **fields)
