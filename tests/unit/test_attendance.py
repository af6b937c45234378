from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.domain.attendance import Absence, AttendanceEvent, PersonAttendance, summarise_attendance
from bot.domain.meetings import AttendanceKind, MeetingRole

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
END = START + timedelta(minutes=90)
JOIN, LEAVE = AttendanceKind.JOINED, AttendanceKind.LEFT


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def event(
    person: str, kind: AttendanceKind, minutes: float, role: MeetingRole = MeetingRole.ATTENDEE
) -> AttendanceEvent:
    return AttendanceEvent(f"aad-{person}", person.title(), role, kind, at(minutes))


def one(events: list[AttendanceEvent]) -> PersonAttendance:
    [person] = summarise_attendance(events, START, END)
    return person


def test_on_time_for_the_whole_meeting() -> None:
    person = one([event("ann", JOIN, -2), event("ann", LEAVE, 90)])
    assert not person.joined_late
    assert person.absences == ()
    assert not person.left_before_end
    assert person.time_present == timedelta(minutes=90)  # time before the start does not count


def test_joined_within_the_grace_minute_is_on_time_and_after_it_is_late() -> None:
    assert not one([event("ann", JOIN, 0.9)]).joined_late
    late = one([event("ann", JOIN, 7)])
    assert late.joined_late
    assert late.first_joined_at == at(7)
    assert late.time_present == timedelta(minutes=83)


def test_drop_and_rejoin() -> None:
    person = one([event("ann", JOIN, 0), event("ann", LEAVE, 30), event("ann", JOIN, 34)])
    assert person.absences == (Absence(at(30), at(34)),)
    assert person.rejoins == 1
    assert not person.left_before_end
    assert person.time_present == timedelta(minutes=86)


def test_drop_without_return() -> None:
    person = one([event("ann", JOIN, 0), event("ann", LEAVE, 41)])
    assert person.absences == (Absence(at(41), None),)
    assert person.left_before_end
    assert person.rejoins == 0


def test_leaving_as_the_meeting_ends_is_not_leaving_early() -> None:
    assert not one([event("ann", JOIN, 0), event("ann", LEAVE, 89.5)]).left_before_end


def test_a_leave_with_no_join_means_present_from_the_start() -> None:
    person = one([event("ann", LEAVE, 20)])
    assert person.first_joined_at == START
    assert not person.joined_late
    assert person.time_present == timedelta(minutes=20)
    assert person.left_before_end


def test_repeated_and_out_of_order_events_change_nothing() -> None:
    clean = one([event("ann", JOIN, 0), event("ann", LEAVE, 30), event("ann", JOIN, 34)])
    messy = one(
        [
            event("ann", JOIN, 34),
            event("ann", LEAVE, 30),
            event("ann", JOIN, 0),
            event("ann", JOIN, 0),
            event("ann", LEAVE, 30),
            event("ann", JOIN, 40),  # a repeated join while present
        ]
    )
    assert messy == clean


def test_people_are_listed_in_the_order_they_arrived_with_their_latest_role() -> None:
    people = summarise_attendance(
        [
            event("bob", JOIN, 5),
            event("ann", JOIN, -1, MeetingRole.PRESENTER),
            event("bob", JOIN, 5, MeetingRole.ORGANIZER),
        ],
        START,
        END,
    )
    assert [person.display_name for person in people] == ["Ann", "Bob"]
    assert people[1].role is MeetingRole.ORGANIZER


@pytest.mark.parametrize("minutes", [-30, 200])
def test_events_outside_the_session_are_clamped_to_it(minutes: float) -> None:
    person = one([event("ann", JOIN, minutes)])
    assert START <= person.first_joined_at <= END


events_strategy = st.lists(
    st.builds(
        AttendanceEvent,
        aad_object_id=st.sampled_from(["a", "b", "c"]),
        display_name=st.none() | st.sampled_from(["Ann", "Bob"]),
        role=st.sampled_from(list(MeetingRole)),
        kind=st.sampled_from(list(AttendanceKind)),
        at=st.integers(min_value=-60, max_value=200).map(lambda minutes: at(minutes)),
    ),
    max_size=30,
)


@given(events_strategy)
def test_invariants_hold_for_any_sequence(events: list[AttendanceEvent]) -> None:
    people = summarise_attendance(events, START, END)
    assert len(people) == len({event.aad_object_id for event in events})
    for person in people:
        assert timedelta(0) <= person.time_present <= END - START
        assert START <= person.first_joined_at <= END
        for absence in person.absences:
            assert absence.returned_at is None or absence.returned_at >= absence.left_at
        assert all(absence.returned_at is not None for absence in person.absences[:-1])
