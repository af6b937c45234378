"""Drop-outs, presence and quoracy over time: the rules behind the drop-out reminder and the chair's summary."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.config.agencies import load_agencies
from bot.domain.attendance import AttendanceEvent, present_at
from bot.domain.disconnections import Disconnection, DisconnectionSource, Notice, find_drops
from bot.domain.meetings import AttendanceKind, MeetingRole
from bot.domain.quorum import AgencyDirectory, PresentPerson
from bot.domain.summary import ConferenceSummary, Identity, lowest_quorum
from cards.wording.base import ContentError

START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
GRACE = timedelta(minutes=3)
JOIN, LEAVE = AttendanceKind.JOINED, AttendanceKind.LEFT
EMAILS = {
    "aad-chair": "chair@council.gov.uk",
    "aad-sw": "sw@council.gov.uk",
    "aad-police": "pc@police.uk",
    "aad-nurse": "nurse@nhs.net",
    "aad-teacher": "head@school.sch.uk",
}


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def event(person: str, kind: AttendanceKind, minutes: float) -> AttendanceEvent:
    role = MeetingRole.ORGANIZER if person == "chair" else MeetingRole.ATTENDEE
    return AttendanceEvent(f"aad-{person}", person.title(), role, kind, at(minutes), teams_user_id=f"29:{person}")


@pytest.fixture
def agencies(tmp_path: Path) -> AgencyDirectory:
    path = tmp_path / "agencies.yaml"
    path.write_text(
        """
agencies:
  - {key: social-care, name: Children's social care, email_domains: [council.gov.uk]}
  - {key: police, name: Police, email_domains: [police.uk]}
  - {key: health, name: Health, email_domains: [nhs.net]}
  - {key: education, name: Education, email_domains: [school.sch.uk]}
quorum: {required: [social-care], minimum_other_agencies: 2}
""",
        encoding="utf-8",
    )
    return load_agencies(path)


def identity(aad_object_id: str) -> Identity:
    return (EMAILS.get(aad_object_id), None)


def test_a_leave_becomes_a_drop_only_after_the_grace_time() -> None:
    events = [event("chair", JOIN, 0), event("police", JOIN, 0), event("police", LEAVE, 20)]
    assert find_drops(events, ended_at=None, now=at(22), grace=GRACE) == []
    [drop] = find_drops(events, ended_at=None, now=at(23), grace=GRACE)
    assert (drop.aad_object_id, drop.left_at, drop.still_away, drop.teams_user_id) == (
        "aad-police",
        at(20),
        True,
        "29:police",
    )


def test_rejoining_within_the_grace_time_is_no_drop() -> None:
    events = [event("chair", JOIN, 0), event("police", JOIN, 0), event("police", LEAVE, 20), event("police", JOIN, 22)]
    assert find_drops(events, ended_at=None, now=at(60), grace=GRACE) == []


def test_rejoining_after_the_grace_time_is_a_drop_but_needs_no_reminder() -> None:
    events = [event("chair", JOIN, 0), event("police", JOIN, 0), event("police", LEAVE, 20), event("police", JOIN, 30)]
    [drop] = find_drops(events, ended_at=None, now=at(60), grace=GRACE)
    assert not drop.still_away


def test_leaving_at_the_end_is_no_drop_even_without_an_end_event() -> None:
    events = [
        event("chair", JOIN, 0),
        event("police", JOIN, 0),
        event("police", LEAVE, 90),
        event("chair", LEAVE, 90.5),
    ]
    assert find_drops(events, ended_at=None, now=at(120), grace=GRACE) == []
    assert find_drops(events[:3], ended_at=at(91), now=at(120), grace=GRACE) == [], "the end came within the grace"


def test_present_at_counts_people_seen_first_leaving_as_there_from_before() -> None:
    events = [event("chair", JOIN, 0), event("police", LEAVE, 30), event("nurse", JOIN, 10)]
    assert present_at(events, at(5)) == {"aad-chair", "aad-police"}
    assert present_at(events, at(40)) == {"aad-chair", "aad-nurse"}


@given(
    st.lists(
        st.tuples(st.sampled_from(["chair", "police", "nurse"]), st.sampled_from([JOIN, LEAVE]), st.integers(0, 90)),
        max_size=30,
    )
)
def test_drops_are_always_leaves_that_the_grace_time_has_passed(raw: list[tuple[str, AttendanceKind, int]]) -> None:
    events = [event(person, kind, minutes) for person, kind, minutes in raw]
    now = at(100)
    leaves = {(e.aad_object_id, e.at) for e in events if e.kind is LEAVE}
    for drop in find_drops(events, ended_at=None, now=now, grace=GRACE):
        assert (drop.aad_object_id, drop.left_at) in leaves
        assert drop.left_at + GRACE <= now


def test_quoracy_at_its_lowest_point(agencies: AgencyDirectory) -> None:
    events = [
        event("chair", JOIN, 0),
        event("police", JOIN, 0),
        event("nurse", JOIN, 0),
        event("police", LEAVE, 30),
        event("police", JOIN, 32),
        event("nurse", LEAVE, 50),
    ]
    lowest = lowest_quorum(events, START, at(90), identity, agencies)
    assert lowest is not None
    assert lowest.at == at(30)
    assert not lowest.assessment.quorate
    assert [agency.key for agency in lowest.assessment.represented] == ["social-care", "health"]


def test_quorate_throughout(agencies: AgencyDirectory) -> None:
    events = [event(p, JOIN, 0) for p in ("chair", "police", "nurse", "teacher")] + [event("teacher", LEAVE, 40)]
    lowest = lowest_quorum(events, START, at(90), identity, agencies)
    assert lowest is not None
    assert lowest.assessment.quorate
    assert len(lowest.assessment.represented) == 3, "the lowest point is after the teacher left"


def test_no_attendance_means_no_judgement(agencies: AgencyDirectory) -> None:
    assert lowest_quorum([], START, at(90), identity, agencies) is None


def test_a_snapshot_names_who_counts_for_which_agency(agencies: AgencyDirectory) -> None:
    snapshot = agencies.snapshot(
        [
            PresentPerson("Sam Worker", "sw@council.gov.uk", None),
            PresentPerson("Pat Constable", "pc@police.uk", None),
            PresentPerson("Visitor", "someone@elsewhere.org", None),
        ],
        at(10),
    )
    assert [(agency.key, names) for agency, names in snapshot.by_agency] == [
        ("social-care", ("Sam Worker",)),
        ("police", ("Pat Constable",)),
    ]
    assert snapshot.unrecognised == ("Visitor",)
    assert not snapshot.assessment.quorate


def _with_non_agency(tmp_path: Path) -> AgencyDirectory:
    path = tmp_path / "with-support.yaml"
    path.write_text(
        """
agencies:
  - {key: social-care, name: Children's social care, email_domains: [council.gov.uk]}
  - {key: police, name: Police, email_domains: [police.uk]}
  - {key: health, name: Health, email_domains: [nhs.net]}
non_agency:
  - {name: Business support, people: [Support.Team@council.gov.uk, 0b1c2d3e-0000-4000-8000-0000000000bb]}
quorum: {required: [social-care], minimum_other_agencies: 2}
""",
        encoding="utf-8",
    )
    return load_agencies(path)


def test_chairs_and_business_support_are_shown_but_never_counted(tmp_path: Path) -> None:
    agencies = _with_non_agency(tmp_path)
    snapshot = agencies.snapshot(
        [
            PresentPerson("Alex Chair", "chair@council.gov.uk", None, "aad-chair", chair=True),
            PresentPerson("Pat Support", "support.team@council.gov.uk", None, "aad-support"),
            PresentPerson("Minute Taker", "mt@council.gov.uk", None, "0b1c2d3e-0000-4000-8000-0000000000BB"),
            PresentPerson("Pat Constable", "pc@police.uk", None, "aad-police"),
            PresentPerson("Chris Nurse", "cn@nhs.net", None, "aad-nurse"),
        ],
        at(10),
    )
    assert not snapshot.assessment.quorate, "no one from children's social care counts: the chair and support do not"
    assert [agency.key for agency in snapshot.assessment.missing_required] == ["social-care"]
    assert snapshot.chairs == ("Alex Chair",)
    assert [(group.name, names) for group, names in snapshot.not_agencies] == [
        ("Business support", ("Minute Taker", "Pat Support"))
    ]
    with_social_worker = agencies.snapshot(
        [
            PresentPerson("Sam Worker", "sw@council.gov.uk", None),
            PresentPerson("Pat Constable", "pc@police.uk", None),
            PresentPerson("Chris Nurse", "cn@nhs.net", None),
        ],
        at(10),
    )
    assert with_social_worker.assessment.quorate


def test_a_non_agency_entry_that_is_neither_an_address_nor_an_id_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "agencies: [{key: a, name: A}]\nnon_agency: [{name: Minute takers, people: [minutes]}]\n"
        "quorum: {required: [], minimum_other_agencies: 0}\n",
        encoding="utf-8",
    )
    with pytest.raises(ContentError, match="non_agency: Minute takers: 'minutes' is neither an e-mail address"):
        load_agencies(path)


def test_the_summary_counts_a_drop_out_once_per_person() -> None:
    def entry(person: str, source: DisconnectionSource, minute: int, *, undone: bool = False) -> Disconnection:
        return Disconnection(
            id=minute,
            session_id=1,
            aad_object_id=person,
            display_name=person,
            disconnected_at=at(minute),
            source=source,
            notice=Notice.SENT,
            undone_at=at(60) if undone else None,
        )

    entries = (
        entry("aad-police", DisconnectionSource.AUTOMATIC, 20),
        entry("AAD-POLICE", DisconnectionSource.CHAIR, 21),  # the chair logged the same absence
        entry("aad-nurse", DisconnectionSource.CHAIR, 30, undone=True),
    )
    summary = ConferenceSummary(START, at(90), (), entries, None)
    assert summary.dropped_out == 1
