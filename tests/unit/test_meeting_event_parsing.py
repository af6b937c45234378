"""The meeting event parsers, given anything at all in an event's value and channelData: an event or
MalformedMeetingEventError, never another exception (property-based)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from datetime import UTC, datetime
from typing import Any

import pytest
from botbuilder.schema import Activity
from hypothesis import given
from hypothesis import strategies as st

from bot.teams.meeting_events import (
    MalformedMeetingEventError,
    parse_meeting_ended,
    parse_meeting_started,
    parse_participants_joined,
    parse_participants_left,
)
from tests.support import activities

PARSERS: list[Callable[[Activity, datetime], object]] = [
    parse_meeting_started,
    parse_meeting_ended,
    parse_participants_joined,
    parse_participants_left,
]
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=15,
)
keyed = st.dictionaries(
    st.sampled_from(["Id", "id", "StartTime", "startTime", "EndTime", "members", "user", "meeting", "role"])
    | st.text(max_size=8),
    json_values,
    max_size=5,
)


@pytest.mark.parametrize("parse", PARSERS)
@given(
    value=keyed | json_values,
    channel_data=keyed | json_values,
    timestamp=st.none() | st.datetimes(timezones=st.just(UTC)).map(datetime.isoformat),
)
def test_any_value_parses_or_is_malformed(
    parse: Callable[[Activity, datetime], object], value: Any, channel_data: Any, timestamp: str | None
) -> None:
    payload = activities.meeting_event("meetingStart", {}, datetime(2026, 11, 24, tzinfo=UTC), service_url="http://x/")
    payload.update(value=value, channelData=channel_data, timestamp=timestamp)
    activity = Activity().deserialize(payload)
    with suppress(MalformedMeetingEventError):  # anything else fails the test
        parse(activity, datetime(2026, 11, 24, 10, tzinfo=UTC))
