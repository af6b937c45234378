"""Reading Teams meeting event activities into the domain's meeting events.

Microsoft documents the start/end `value` keys in PascalCase (`Id`, `StartTime`, `EndTime`) and shows camelCase in
other examples, so keys are read case-insensitively. botbuilder 4.17's own event detail classes read them wrongly,
so the raw `activity.value` is parsed here. The meeting title is deliberately never read.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import TypeVar

from botbuilder.schema import Activity

from bot.domain.meetings import (
    MeetingEnded,
    MeetingPlace,
    MeetingRole,
    MeetingStarted,
    Participant,
    ParticipantsEvent,
    ParticipantsJoined,
    ParticipantsLeft,
)
from bot.domain.text import AAD_OBJECT_ID_LIMIT, DELIVERY_ID_LIMIT, TEAMS_USER_ID_LIMIT, identifier, single_line
from bot.teams.activities import meeting_id, tenant_id
from bot.teams.json_values import get_key as _get
from bot.teams.json_values import parse_time
from bot.teams.json_values import text_or_none as _text

_Participants = TypeVar("_Participants", bound=ParticipantsEvent)


class MalformedMeetingEventError(Exception):
    """The event lacks what the bot needs; the message names what (never any of the event's content)."""


def _place(activity: Activity) -> MeetingPlace:
    meeting = meeting_id(activity)
    conversation_id = _text(getattr(activity.conversation, "id", None))
    if meeting is None:
        raise MalformedMeetingEventError("no channelData.meeting.id")
    if conversation_id is None:
        raise MalformedMeetingEventError("no conversation id")
    return MeetingPlace(meeting_id=meeting, conversation_id=conversation_id, tenant_id=tenant_id(activity))


def _activity_time(activity: Activity, received_at: datetime) -> datetime:
    return parse_time(activity.timestamp) or received_at


def _event_time(activity: Activity, key: str) -> datetime:
    """The time in `value[key]`, else the activity's own timestamp."""
    moment = parse_time(_get(activity.value, key)) or parse_time(activity.timestamp)
    if moment is None:
        raise MalformedMeetingEventError(f"no {key}")
    return moment


def parse_meeting_started(activity: Activity, received_at: datetime) -> MeetingStarted:
    return MeetingStarted(place=_place(activity), started_at=_event_time(activity, "StartTime"))


def parse_meeting_ended(activity: Activity, received_at: datetime) -> MeetingEnded:
    return MeetingEnded(place=_place(activity), ended_at=_event_time(activity, "EndTime"))


def _participants(activity: Activity) -> tuple[Participant, ...]:
    members = _get(activity.value, "members")
    if not isinstance(members, list):
        raise MalformedMeetingEventError("no members list")
    participants = []
    for member in members:
        user = _get(member, "user")
        aad_object_id = identifier(_get(user, "aadObjectId"), AAD_OBJECT_ID_LIMIT)
        if aad_object_id is None:
            # Anonymous or PSTN participants have no directory id, and an id the bot could not keep is no id: nothing
            # to record about this member, and every other member of the batch is still recorded.
            continue
        participants.append(
            Participant(
                aad_object_id=aad_object_id.lower(),
                teams_user_id=identifier(_get(user, "id"), TEAMS_USER_ID_LIMIT),
                display_name=single_line(_get(user, "name")),
                role=MeetingRole.parse(_get(_get(member, "meeting"), "role")),
            )
        )
    return tuple(participants)


def _delivery_id(activity: Activity) -> str:
    """The activity id Teams repeats when it retries a delivery, or a digest of the parts that identify the event."""
    if (activity_id := _text(activity.id)) and len(activity_id) <= DELIVERY_ID_LIMIT:
        return activity_id
    identity = f"{activity.name}|{meeting_id(activity)}|{activity.timestamp}|{activity.value!r}"
    return "sha256:" + hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32]


def _participants_event(activity: Activity, event_type: type[_Participants], received_at: datetime) -> _Participants:
    return event_type(
        place=_place(activity),
        at=_activity_time(activity, received_at),
        participants=_participants(activity),
        delivery_id=_delivery_id(activity),
    )


def parse_participants_joined(activity: Activity, received_at: datetime) -> ParticipantsJoined:
    """The people who joined; `received_at` stands in for the time when Teams sends none."""
    return _participants_event(activity, ParticipantsJoined, received_at)


def parse_participants_left(activity: Activity, received_at: datetime) -> ParticipantsLeft:
    return _participants_event(activity, ParticipantsLeft, received_at)
