"""Realistic cards beyond the command answers (the chair's, the reminders) for the renderer checks and the screenshots
in docs/: a made-up conference."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.config.agencies import load_agencies
from bot.config.settings import DEFAULT_AGENCIES_FILE
from bot.domain.attendance import AttendanceEvent, summarise_attendance
from bot.domain.attendance_report import Reconciliation
from bot.domain.conferences import ConferenceKind
from bot.domain.disconnect_request import RosterPerson
from bot.domain.disconnections import Disconnection, DisconnectionSource, Notice
from bot.domain.meetings import AttendanceKind, MeetingRole
from bot.domain.quorum import PresentPerson, QuorumSnapshot
from bot.domain.quorum_decisions import ProceedDecision
from bot.domain.reports import ConfirmOutcome, InviteeReport, Reminded, ReportConfirmation, ReportSource, ReportsStatus
from bot.domain.summary import NOT_COUNTED, ConferenceSummary, Identity, QuorumPoint, lowest_quorum
from bot.usecases.chair_cards import CHAIR_CARD_COMMANDS
from bot.usecases.replies import CardReply
from cards import load_card_content
from cards.chair_card import build_chair_card
from cards.conference_choice import ConferenceOption, build_conference_choice
from cards.disconnect_form import build_disconnect_form, build_logged_card
from cards.disconnect_log import build_disconnect_log
from cards.door import build_door_card, build_proceed_recorded_card
from cards.elements import AdaptiveCard
from cards.markup import Markdown
from cards.notices import build_drop_out_card, build_notice_card
from cards.quorum import build_quorum_card
from cards.reminders import (
    Deadline,
    build_conference_deadline_card,
    build_join_early_card,
    build_my_deadlines_card,
    build_pre_meeting_card,
    build_report_due_card,
    mention_of,
)
from cards.reports import build_confirmed_card, build_status_card, build_withdrawn_card, report_shared_button
from cards.summary import build_summary_card

CONTENT = load_card_content()
REMINDERS = CONTENT.reminder_wording
"""What the reminders say, with the expectations' points the warnings repeat, as the bundled content words them."""
CHAIR = CONTENT.chair
DROP_OUT = CONTENT.reminders.drop_out

LONDON = ZoneInfo("Europe/London")
START = datetime(2026, 11, 24, 10, 0, tzinfo=UTC)
END = START + timedelta(minutes=84)
PEOPLE = {
    "aad-chair": ("Alex Morgan", "alex.morgan@example-council.gov.uk", MeetingRole.ORGANIZER),
    "aad-sw": ("Sam Patel", "sam.patel@example-council.gov.uk", MeetingRole.PRESENTER),
    "aad-police": ("DC Jo Evans", "jo.evans@example.police.uk", MeetingRole.ATTENDEE),
    "aad-nurse": ("Chris Lee", "chris.lee@nhs.net", MeetingRole.ATTENDEE),
    "aad-teacher": ("Robin Shaw", "r.shaw@example-school.sch.uk", MeetingRole.ATTENDEE),
}


def _event(person: str, kind: AttendanceKind, minutes: float) -> AttendanceEvent:
    name, _email, role = PEOPLE[person]
    return AttendanceEvent(person, name, role, kind, START + timedelta(minutes=minutes))


EVENTS = [
    _event("aad-chair", AttendanceKind.JOINED, -3),
    _event("aad-sw", AttendanceKind.JOINED, -2),
    _event("aad-police", AttendanceKind.JOINED, 0.5),
    _event("aad-nurse", AttendanceKind.JOINED, 7),
    _event("aad-teacher", AttendanceKind.JOINED, -1),
    _event("aad-police", AttendanceKind.LEFT, 31),
    _event("aad-police", AttendanceKind.JOINED, 34),
    _event("aad-teacher", AttendanceKind.LEFT, 52),
]


def chair_entries() -> tuple[Disconnection, ...]:
    """Two entries the chair logged (one of them undone) for the made-up conference."""
    logged = Disconnection(
        3,
        1,
        "aad-teacher",
        "Robin Shaw",
        START + timedelta(minutes=52),
        DisconnectionSource.CHAIR,
        Notice.NOT_SENT,
        recorded_at=START + timedelta(minutes=58),
        logged_by="aad-chair",
        emailed_chair=True,
        note="Lost connection at school, could not rejoin; e-mailed at 10:57 and will send notes.",
    )
    mistaken = replace(
        logged,
        id=4,
        aad_object_id="aad-nurse",
        display_name="Chris Lee",
        emailed_chair=False,
        note=None,
        undone_at=START + timedelta(minutes=60),
        undone_by="aad-chair",
    )
    return (logged, mistaken)


def roster() -> list[RosterPerson]:
    return [RosterPerson(aad, f"29:{aad}", name) for aad, (name, _email, _role) in PEOPLE.items()]


def sample_summary(*, running: bool = False) -> ConferenceSummary:
    agencies = load_agencies(DEFAULT_AGENCIES_FILE)
    disconnections = (
        Disconnection(
            1, 1, "aad-police", "DC Jo Evans", START + timedelta(minutes=31), DisconnectionSource.AUTOMATIC, Notice.SENT
        ),
        Disconnection(
            2,
            1,
            "aad-teacher",
            "Robin Shaw",
            START + timedelta(minutes=52),
            DisconnectionSource.AUTOMATIC,
            Notice.NOT_REACHABLE,
        ),
        *chair_entries(),
    )
    summary = ConferenceSummary(
        started_at=START,
        ended_at=END,
        people=tuple(summarise_attendance(EVENTS, START, END)),
        disconnections=disconnections,
        lowest_quorum=lowest_quorum(EVENTS, START, END, _identity, agencies),
    )
    return replace(summary, running=running)


def _identity(person: str) -> Identity | None:
    """As the summary counts: the chair (the organiser here) never towards quorum."""
    name_email_role = PEOPLE[person]
    return NOT_COUNTED if name_email_role[2] is MeetingRole.ORGANIZER else (name_email_role[1], None)


def _present() -> list[PresentPerson]:
    """Everyone in the made-up conference, present (the chair shown, not counted)."""
    return [
        PresentPerson(name, email, None, person, chair=role is MeetingRole.ORGANIZER)
        for person, (name, email, role) in PEOPLE.items()
    ]


def chair_only_cards() -> dict[str, CardReply]:
    agencies = load_agencies(DEFAULT_AGENCIES_FILE)
    present = _present()
    quorate = agencies.snapshot([*present, PresentPerson("Visitor", "v@elsewhere.org", None)], START)
    not_quorate = agencies.snapshot(present[:2], START)
    nobody = agencies.snapshot([], START)
    no_attendance = replace(sample_summary(), people=(), disconnections=(), lowest_quorum=None)
    return {
        "quorum quorate": CardReply(build_quorum_card(quorate, LONDON, CHAIR.quorum), "Quorum now"),
        "quorum not quorate": CardReply(build_quorum_card(not_quorate, LONDON, CHAIR.quorum), "Quorum now"),
        "quorum nobody": CardReply(build_quorum_card(nobody, LONDON, CHAIR.quorum), "Quorum now"),
        "summary": CardReply(build_summary_card(sample_summary(), LONDON, CHAIR), "Your conference summary"),
        "summary so far": CardReply(build_summary_card(sample_summary(running=True), LONDON, CHAIR), "Summary so far"),
        "summary without attendance": CardReply(build_summary_card(no_attendance, LONDON, CHAIR), "Summary"),
        "drop-out with chair": CardReply(
            build_drop_out_card(
                left_at=START,
                timezone=LONDON,
                chair_name="Alex Morgan",
                chair_email="alex@example-council.gov.uk",
                wording=DROP_OUT,
            ),
            "You left",
        ),
        "drop-out without chair": CardReply(
            build_drop_out_card(left_at=START, timezone=LONDON, chair_name=None, chair_email=None, wording=DROP_OUT),
            "You left",
        ),
        "notice": CardReply(build_notice_card("I have sent the quorum to you privately.", detail="More."), "Notice"),
        "disconnect form": CardReply(disconnect_form(), "Log a disconnection"),
        "disconnect form with a problem": CardReply(
            disconnect_form(problem=Markdown("More than one person here is called Chris: please choose in the form.")),
            "Log",
        ),
        "disconnection logged": CardReply(build_logged_card("Robin Shaw", START, LONDON, CHAIR.form), "Logged"),
        "chair card": CardReply(
            build_chair_card(
                started_at=START,
                timezone=LONDON,
                conversation_id="19:meeting_x",
                buttons=[(command, CHAIR.chair_card.title_of(command)) for command in CHAIR_CARD_COMMANDS],
                wording=CHAIR.chair_card,
            ),
            CHAIR.chair_card.reply,
        ),
        "conference choice": CardReply(
            build_conference_choice(
                [
                    ConferenceOption("19:meeting_x", START, 4),
                    ConferenceOption("19:meeting_y", START + timedelta(minutes=30), 1),
                ],
                command="log-disconnect",
                arguments="Jo 10:42 could not rejoin",
                timezone=LONDON,
                wording=CHAIR.choice,
            ),
            CHAIR.choice.summary,
        ),
        "disconnection log": CardReply(disconnect_log(), "Disconnections"),
        "disconnection log empty": CardReply(
            build_disconnect_log(
                [],
                started_at=START,
                timezone=LONDON,
                conversation_id="19:meeting_x",
                viewer_aad_object_id="aad-chair",
                wording=CHAIR,
            ),
            "Disconnections",
        ),
    }


def disconnect_form(problem: Markdown | None = None) -> AdaptiveCard:
    return build_disconnect_form(
        people=roster(),
        now=START + timedelta(minutes=53),
        timezone=LONDON,
        form_id="7d1f0a3c-6a57-4c1e-9c3e-1f2b3c4d5e6f",
        conversation_id="19:meeting_x",
        wording=CHAIR,
        problem=problem,
    )


def disconnect_log() -> AdaptiveCard:
    automatic = sample_summary().disconnections[:2]
    return build_disconnect_log(
        [*automatic, *chair_entries()],
        started_at=START,
        timezone=LONDON,
        conversation_id="19:meeting_x",
        viewer_aad_object_id="aad-chair",
        wording=CHAIR,
        meeting_id="MCMxOTptZWV0aW5nX05qRTFOV0l6TkRVdE1EUTRNeTAwTVRWakxUazNaVGN0T0dVek1qTTNaV0ZrWXpSa0B0aHJlYWQudjIjMA==",
    )


def reminder_cards() -> dict[str, CardReply]:
    invited = [
        mention_of("29:aad-sw", "Sam Patel"),
        mention_of("29:aad-police", "Jo Evans"),
        mention_of("29:aad-n", "Chris Lee"),
    ]
    join_url = "https://teams.microsoft.com/l/meetup-join/19%3ameeting_x%40thread.v2/0"
    return {
        "pre-meeting": CardReply(
            build_pre_meeting_card(start=START, timezone=LONDON, invited=invited, wording=REMINDERS),
            "Starts soon",
        ),
        "pre-meeting without mentions": CardReply(
            build_pre_meeting_card(start=START, timezone=LONDON, invited=[], wording=REMINDERS), "Starts soon"
        ),
        "join early": CardReply(
            build_join_early_card(start=START, timezone=LONDON, join_url=join_url, wording=REMINDERS), "Soon"
        ),
        "join early without a link": CardReply(
            build_join_early_card(start=START, timezone=LONDON, join_url=None, wording=REMINDERS), "Soon"
        ),
        "report due initial": CardReply(
            build_report_due_card(
                kind=ConferenceKind.INITIAL,
                start=START,
                due=date(2026, 11, 20),
                timezone=LONDON,
                wording=REMINDERS.sentences,
            ),
            "Report due",
        ),
        "deadline of this conference": CardReply(
            build_conference_deadline_card(
                Deadline(ConferenceKind.INITIAL, START, date(2026, 11, 20)), LONDON, REMINDERS.sentences
            ),
            "Due",
        ),
        "my deadlines": CardReply(
            build_my_deadlines_card(
                [
                    Deadline(ConferenceKind.INITIAL, START, date(2026, 11, 20)),
                    Deadline(ConferenceKind.REVIEW, START + timedelta(days=9), date(2026, 11, 26)),
                ],
                LONDON,
                REMINDERS.sentences,
            ),
            "Due",
        ),
        "my deadlines none": CardReply(build_my_deadlines_card([], LONDON, REMINDERS.sentences), "Due"),
        "report due review": CardReply(
            build_report_due_card(
                kind=ConferenceKind.REVIEW,
                start=START,
                due=date(2026, 11, 17),
                timezone=LONDON,
                wording=REMINDERS.sentences,
                actions=[report_shared_button(7, CONTENT.reports.confirming)],
            ),
            "Report due",
        ),
    }


def _invitee(
    name: str, email: str, agency: str | None, shared_at: datetime | None, reminded: Reminded, **how: object
) -> InviteeReport:
    source = how.get("source", ReportSource.TEAMS)
    confirmation = (
        ReportConfirmation(7, email, shared_at, ReportSource(str(source)), marked_by=None)
        if shared_at is not None
        else None
    )
    return InviteeReport(email, name, agency, confirmation, bool(how.get("late", False)), reminded)


def sample_reports_status() -> ReportsStatus:
    """A conference three days away: four professionals, one shared, one shared late, one marked, one not reached."""
    due = date(2026, 11, 20)
    return ReportsStatus(
        7,
        due,
        (
            _invitee("Sam Patel", "sam.patel@example-council.gov.uk", "Children's social care", None, Reminded.TEAMS),
            _invitee("Robin Shaw", "r.shaw@example-school.sch.uk", "Education", None, Reminded.EMAIL),
            _invitee(
                "Chris Lee",
                "chris.lee@nhs.net",
                "Health",
                datetime(2026, 11, 21, 8, 30, tzinfo=UTC),
                Reminded.EMAIL,
                late=True,
            ),
            _invitee("Ria Shah", "ria.shah@nhs.net", "Health", None, Reminded.NOT_REACHED),
            _invitee(
                "DC Jo Evans",
                "jo.evans@example.police.uk",
                "Police",
                datetime(2026, 11, 18, 14, 5, tzinfo=UTC),
                Reminded.EMAIL,
            ),
            _invitee(
                "Pat Doe",
                "pat.doe@example-charity.org.uk",
                None,
                datetime(2026, 11, 19, 11, 0, tzinfo=UTC),
                Reminded.NOT_REMINDED,
                source=ReportSource.CHAIR,
            ),
        ),
    )


def report_cards() -> dict[str, CardReply]:
    """The report cards: the reminder with its button, what pressing it answers, and the chairs' status."""
    reports, kinds = CONTENT.reports, CONTENT.reminders.conference_kinds
    status = sample_reports_status()
    confirmation = ReportConfirmation(
        7, "sam.patel@example-council.gov.uk", START - timedelta(days=5), ReportSource.TEAMS
    )
    late = replace(confirmation, confirmed_at=START - timedelta(days=1))
    nobody = ReportsStatus(8, date(2026, 11, 20), ())
    odd = [replace(invitee, name="*Pat* <b>Doe</b> [x](https://example.com)") for invitee in status.invitees]
    odd_names = replace(status, invitees=tuple(odd))

    def confirmed(outcome: ConfirmOutcome, standing: ReportConfirmation) -> AdaptiveCard:
        return build_confirmed_card(
            outcome,
            standing,
            kind=ConferenceKind.INITIAL,
            start=START,
            due=date(2026, 11, 20),
            timezone=LONDON,
            wording=reports,
            kinds=kinds,
        )

    def status_card(statuses: list[tuple[ReportsStatus, ConferenceKind, datetime]], at_deadline: bool) -> AdaptiveCard:
        return build_status_card(statuses, timezone=LONDON, wording=reports, kinds=kinds, at_deadline=at_deadline)

    return {
        "report due with its button": CardReply(
            build_report_due_card(
                kind=ConferenceKind.INITIAL,
                start=START,
                due=date(2026, 11, 20),
                timezone=LONDON,
                wording=REMINDERS.sentences,
                actions=[report_shared_button(7, reports.confirming)],
            ),
            "Report due",
        ),
        "report confirmed": CardReply(confirmed(ConfirmOutcome.RECORDED, confirmation), "Recorded"),
        "report confirmed late, again": CardReply(confirmed(ConfirmOutcome.ALREADY, late), "Recorded"),
        "report withdrawn": CardReply(
            build_withdrawn_card(
                True, 7, kind=ConferenceKind.INITIAL, start=START, timezone=LONDON, wording=reports, kinds=kinds
            ),
            "Withdrawn",
        ),
        "report status": CardReply(status_card([(status, ConferenceKind.INITIAL, START)], True), "Reports"),
        "report status with names that look like markup": CardReply(
            status_card([(odd_names, ConferenceKind.INITIAL, START)], False), "Reports"
        ),
        "report status of several": CardReply(
            status_card(
                [(status, ConferenceKind.INITIAL, START), (nobody, ConferenceKind.REVIEW, START + timedelta(days=2))],
                False,
            ),
            "Reports",
        ),
    }


def door_cards() -> dict[str, CardReply]:
    """Quoracy at the start, the decision to proceed, and the summary that records it (from Teams' report)."""
    agencies = load_agencies(DEFAULT_AGENCIES_FILE)
    present = _present()
    not_quorate = agencies.snapshot(present[:2], START)
    quorate = agencies.snapshot(present, START)
    expected = [("Robin Shaw", "Education"), ("DC Jo Evans", "Police")]
    decision = ProceedDecision(
        7, "19:meeting_x@thread.v2", START + timedelta(minutes=3), "aad-chair", "Police report received", ("Police",)
    )
    summary = replace(
        sample_summary(),
        lowest_quorum=QuorumPoint(START + timedelta(minutes=1), not_quorate.assessment),
        proceeded=decision,
        reports=sample_reports_status(),
        from_report=Reconciliation(reported=6, live=4, guests_or_external=1, anonymous=1, only_in_report=2),
    )

    def door(snapshot: QuorumSnapshot, people: list[tuple[str, str]], recheck: bool) -> AdaptiveCard:
        return build_door_card(snapshot, people, conference_id=7, recheck=recheck, timezone=LONDON, wording=CHAIR)

    return {
        "quorum at the start": CardReply(door(not_quorate, expected, False), "Quorum at the start"),
        "quorum at the start, quorate": CardReply(door(quorate, [], False), "Quorum at the start"),
        "quorum still not quorate": CardReply(door(not_quorate, expected[:1], True), "Still not quorate"),
        "proceeding recorded": CardReply(
            build_proceed_recorded_card(decision, recorded=True, timezone=LONDON, wording=CHAIR), "Recorded"
        ),
        "summary from the attendance report": CardReply(build_summary_card(summary, LONDON, CHAIR), "Summary"),
    }
