"""Contract tests: meeting event payloads as Teams sends them (PascalCase and camelCase), read into domain events."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.schema import Activity

from bot.domain.meetings import MeetingRole
from bot.teams.json_values import parse_time
from bot.teams.meeting_events import (
    MalformedMeetingEventError,
    parse_meeting_ended,
    parse_meeting_started,
    parse_participants_joined,
    parse_participants_left,
)
from tests.support.payloads import recorded

MEETING_ID = "MCMxOTptZWV0aW5nX05qRTFOV0l6TkRVQHRocmVhZC52MiMw"
RECEIVED = datetime(2026, 11, 24, 10, 30, tzinfo=UTC)
"""When the bot received the event, by its clock: stands in only where the event says nothing of its time."""


def payload(name: str) -> dict[str, Any]:
    return recorded(name, "https://smba.trafficmanager.net/uk/")


def activity(name: str) -> Activity:
    return Activity().deserialize(payload(name))


@pytest.mark.parametrize("name", ["meeting-start-pascal.json", "meeting-start-camel.json"])
def test_start_in_both_casings(name: str) -> None:
    event = parse_meeting_started(activity(name), RECEIVED)
    assert event.place.meeting_id == MEETING_ID
    assert event.place.conversation_id == "19:meeting_NjE1NWIzNDU@thread.v2"
    assert event.place.tenant_id == "72f988bf-86f1-41af-91ab-2d7cd011db47"
    assert event.started_at == datetime(2026, 11, 24, 10, 0, 5, 101912, tzinfo=UTC)


@pytest.mark.parametrize("name", ["meeting-end-pascal.json", "meeting-end-camel.json"])
def test_end_in_both_casings(name: str) -> None:
    event = parse_meeting_ended(activity(name), RECEIVED)
    assert event.place.meeting_id == MEETING_ID
    assert event.ended_at == datetime(2026, 11, 24, 11, 15, 1, 200000, tzinfo=UTC)


def test_the_title_is_never_read() -> None:
    event = parse_meeting_started(activity("meeting-start-pascal.json"), RECEIVED)
    assert "Smith" not in repr(event)


def test_join_reads_the_directory_id_name_and_role() -> None:
    event = parse_participants_joined(activity("participant-join.json"), RECEIVED)
    [jane] = event.participants
    assert jane.aad_object_id == "0b1c2d3e-0000-4000-8000-0000000000aa"  # directory ids compared in lower case
    assert jane.teams_user_id == "29:1jane"
    assert jane.display_name == "Jane Doe"
    assert jane.role is MeetingRole.ATTENDEE
    assert event.at == datetime(2026, 11, 24, 10, 3, 40, tzinfo=UTC)
    assert event.delivery_id == "f:5a3f0c1e-join"


def test_leave_is_read_like_a_join() -> None:
    event = parse_participants_left(activity("participant-leave.json"), RECEIVED)
    assert [participant.display_name for participant in event.participants] == ["Jane Doe"]


def test_participants_without_a_directory_id_are_skipped() -> None:
    raw = payload("participant-join.json")
    raw["value"]["members"].append({"user": {"id": "29:anonymous", "name": "Guest"}, "meeting": {"role": "Attendee"}})
    assert len(parse_participants_joined(Activity().deserialize(raw), RECEIVED).participants) == 1


def test_a_retried_delivery_without_an_id_gets_the_same_delivery_id() -> None:
    raw = payload("participant-join.json")
    del raw["id"]
    first = parse_participants_joined(Activity().deserialize(raw), RECEIVED).delivery_id
    assert first == parse_participants_joined(Activity().deserialize(raw), RECEIVED).delivery_id
    assert first.startswith("sha256:")


@pytest.mark.parametrize(
    ("name", "damage"),
    [
        ("meeting-start-pascal.json", lambda raw: raw["channelData"].pop("meeting")),
        ("meeting-start-pascal.json", lambda raw: raw.update(channelData=None)),
        ("participant-join.json", lambda raw: raw.update(value={"members": "everyone"})),
        ("participant-join.json", lambda raw: raw.update(value=None)),
        ("participant-leave.json", lambda raw: raw["channelData"].update(meeting={"id": 7})),
    ],
)
def test_malformed_events_are_refused_with_a_reason(name: str, damage: Any) -> None:
    raw = payload(name)
    damage(raw)
    parse = parse_meeting_started if "start" in name else parse_participants_joined
    with pytest.raises(MalformedMeetingEventError):
        parse(Activity().deserialize(raw), RECEIVED)


def test_a_start_without_a_start_time_falls_back_to_the_activity_time() -> None:
    raw = payload("meeting-start-camel.json")
    raw["value"]["startTime"] = "not a time"
    assert parse_meeting_started(Activity().deserialize(raw), RECEIVED).started_at == datetime(
        2026, 11, 24, 10, 0, 7, 478000, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-11-24T10:00:05Z", datetime(2026, 11, 24, 10, 0, 5, tzinfo=UTC)),
        ("2026-11-24T10:00:05", datetime(2026, 11, 24, 10, 0, 5, tzinfo=UTC)),
        ("2026-11-24T11:00:05+01:00", datetime(2026, 11, 24, 10, 0, 5, tzinfo=UTC)),
        ("", None),
        ("yesterday", None),
        (12, None),
        (None, None),
    ],
)
def test_parse_time(value: object, expected: datetime | None) -> None:
    assert parse_time(value) == expected
