"""The chair's end-of-conference summary card. Private to the chair: it names people and their attendance."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.attendance import PersonAttendance
from bot.domain.disconnections import Disconnection, DisconnectionSource, Notice
from bot.domain.meetings import MeetingRole
from bot.domain.summary import ConferenceSummary
from cards.clock import clock, day_and_clock, duration
from cards.elements import AdaptiveCard, Element, card, container, fact_set, heading, text
from cards.quorum import PRIVATE_FOOTER, quorum_elements

_NOTICES = {
    Notice.SENT: "reminded privately to e-mail you",
    Notice.NOT_REACHABLE: "could not be messaged privately (no app)",
    Notice.NOT_SENT: "back before a reminder was needed",
    Notice.FAILED: "the private reminder failed",
    Notice.PENDING: "private reminder not confirmed",
}


def _person_line(person: PersonAttendance, timezone: ZoneInfo) -> str:
    parts = [f"joined {clock(person.first_joined_at, timezone)}" + (" (late)" if person.joined_late else "")]
    for absence in person.absences:
        if absence.returned_at is None:
            parts.append(f"left {clock(absence.left_at, timezone)}, did not return")
        else:
            parts.append(f"away {clock(absence.left_at, timezone)}–{clock(absence.returned_at, timezone)}")
    parts.append(f"present {duration(person.time_present)}")
    return "; ".join(parts)


def _person_name(person: PersonAttendance) -> str:
    name = person.display_name or "Unnamed participant"
    return f"{name} (organiser)" if person.role is MeetingRole.ORGANIZER else name


def _what_happened(entry: Disconnection) -> str:
    if entry.source is DisconnectionSource.AUTOMATIC:
        return _NOTICES[entry.notice]
    said = "e-mailed the chair" if entry.emailed_chair else "logged by the chair"
    return f"{said}: {entry.note}" if entry.note else said


def _disconnection_facts(entries: list[Disconnection], timezone: ZoneInfo) -> list[tuple[str, str]]:
    return [
        (
            f"{clock(entry.disconnected_at, timezone)} {entry.display_name or 'Unnamed participant'}",
            _what_happened(entry),
        )
        for entry in entries
    ]


def build_summary_card(summary: ConferenceSummary, timezone: ZoneInfo) -> AdaptiveCard:
    until = "now" if summary.running else clock(summary.ended_at, timezone)
    when = f"{day_and_clock(summary.started_at, timezone)} to {until} ({duration(summary.duration)})"
    standing = [entry for entry in summary.disconnections if not entry.undone]
    late = sum(1 for person in summary.people if person.joined_late)
    left_early = sum(1 for person in summary.people if person.left_before_end)
    body: list[Element] = [
        heading("Conference so far" if summary.running else "Conference summary", size="Large"),
        text(when, isSubtle=True, spacing="Small"),
        fact_set(
            [
                ("People who joined", str(len(summary.people))),
                ("Joined late", str(late)),
                ("Left before the end", str(left_early)),
                ("Drop-outs recorded", str(len(standing))),
            ]
        ),
    ]
    quoracy: list[Element] = [text("Quoracy", weight="Bolder")]
    if summary.lowest_quorum is None:
        quoracy.append(text("Teams sent no join or leave events, so I cannot tell how quoracy went.", wrap=True))
    elif summary.lowest_quorum.assessment.quorate:
        quoracy.append(text("Quorate throughout.", color="Good"))
    else:
        quoracy.append(text(f"At its lowest, at {clock(summary.lowest_quorum.at, timezone)}:", spacing="Small"))
        quoracy.extend(quorum_elements(summary.lowest_quorum.assessment))
    body.append(container(quoracy, spacing="Medium"))

    attendance: list[Element] = [text("Attendance", weight="Bolder")]
    if summary.people:
        attendance.append(fact_set([(_person_name(p), _person_line(p, timezone)) for p in summary.people]))
    else:
        attendance.append(text("No attendance was recorded for this conference."))
    body.append(container(attendance, spacing="Medium"))

    automatic = [entry for entry in standing if entry.source is DisconnectionSource.AUTOMATIC]
    logged = [entry for entry in standing if entry.source is DisconnectionSource.CHAIR]
    drops: list[Element] = [text("Disconnections", weight="Bolder")]
    drops.append(text("Noticed by the bot (left and did not rejoin within a few minutes):", spacing="Small"))
    drops.append(fact_set(_disconnection_facts(automatic, timezone)) if automatic else text("None."))
    drops.append(text("Logged by the chair:", spacing="Small"))
    drops.append(fact_set(_disconnection_facts(logged, timezone)) if logged else text("None."))
    body.append(container(drops, spacing="Medium"))
    body.append(text(PRIVATE_FOOTER, isSubtle=True, size="Small", spacing="Medium"))
    return card(body, speak=f"Conference summary: {len(summary.people)} people joined.")
