"""The chair's end-of-conference summary card. Private to the chair: it names people and their attendance."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.attendance import PersonAttendance
from bot.domain.disconnections import Disconnection, DisconnectionSource, Notice
from bot.domain.meetings import MeetingRole
from bot.domain.summary import ConferenceSummary
from cards.clock import clock, day_and_clock, duration
from cards.door import proceed_line
from cards.elements import AdaptiveCard, Element, card, container, fact_set, heading, text
from cards.markup import Markdown, md
from cards.quorum import private_footer, quorum_elements
from cards.wording.chair import ChairContent, SummaryWording


def _notice(notice: Notice, wording: SummaryWording) -> str:
    match notice:
        case Notice.SENT:
            return wording.reminded
        case Notice.NOT_REACHABLE:
            return wording.not_reachable
        case Notice.NOT_SENT:
            return wording.not_needed
        case Notice.FAILED:
            return wording.reminder_failed
        case Notice.PENDING:
            return wording.reminder_unconfirmed


def _person_line(person: PersonAttendance, timezone: ZoneInfo, wording: SummaryWording) -> Markdown:
    joined = md(wording.joined, time=clock(person.first_joined_at, timezone))
    parts = [md(wording.joined_late_mark, joined=joined) if person.joined_late else joined]
    for absence in person.absences:
        if absence.returned_at is None:
            parts.append(md(wording.did_not_return, time=clock(absence.left_at, timezone)))
        else:
            left, returned = clock(absence.left_at, timezone), clock(absence.returned_at, timezone)
            parts.append(md(wording.away, left=left, returned=returned))
    parts.append(md(wording.present, length=duration(person.time_present)))
    return Markdown("; ".join(parts))


def _person_name(person: PersonAttendance, unnamed: str, wording: SummaryWording) -> Markdown:
    name = md("{name}", name=person.display_name or unnamed)
    return md(wording.organiser, name=name) if person.role is MeetingRole.ORGANIZER else name


def _what_happened(entry: Disconnection, wording: SummaryWording) -> Markdown:
    if entry.source is DisconnectionSource.AUTOMATIC:
        return Markdown(_notice(entry.notice, wording))
    said = Markdown(wording.chair_emailed if entry.emailed_chair else wording.chair_logged)
    return md(wording.with_note, said=said, note=entry.note) if entry.note else said


def _disconnection_facts(
    entries: list[Disconnection], timezone: ZoneInfo, wording: ChairContent
) -> list[tuple[str, str]]:
    return [
        (
            md(
                "{time} {name}",
                time=clock(entry.disconnected_at, timezone),
                name=entry.display_name or wording.unnamed,
            ),
            _what_happened(entry, wording.summary),
        )
        for entry in entries
    ]


def build_summary_card(summary: ConferenceSummary, timezone: ZoneInfo, wording: ChairContent) -> AdaptiveCard:
    says = wording.summary
    until = says.until_now if summary.running else clock(summary.ended_at, timezone)
    when = md(
        says.when, start=day_and_clock(summary.started_at, timezone), until=until, length=duration(summary.duration)
    )
    standing = [entry for entry in summary.disconnections if not entry.undone]
    late = sum(1 for person in summary.people if person.joined_late)
    left_early = sum(1 for person in summary.people if person.left_before_end)
    body: list[Element] = [
        heading(Markdown(says.heading_running if summary.running else says.heading_ended), size="Large"),
        text(when, isSubtle=True, spacing="Small"),
        fact_set(
            [
                (says.people_joined, str(len(summary.people))),
                (says.joined_late, str(late)),
                (says.left_early, str(left_early)),
                (says.drop_outs, str(summary.dropped_out)),
            ]
        ),
    ]
    source = summary.from_report
    if source is not None:
        from_where = md(
            says.from_report,
            reported=source.reported,
            external=source.guests_or_external,
            anonymous=source.anonymous,
            only_in_report=source.only_in_report,
            live=source.live,
        )
    else:
        from_where = Markdown(says.from_live)
    body.append(text(from_where, isSubtle=True, spacing="Small"))
    quoracy: list[Element] = [text(Markdown(says.quoracy), weight="Bolder")]
    if summary.lowest_quorum is None:
        quoracy.append(text(Markdown(says.quoracy_unknown), wrap=True))
    elif summary.lowest_quorum.assessment.quorate:
        quoracy.append(text(Markdown(says.quorate_throughout), color="Good"))
    else:
        quoracy.append(text(md(says.lowest, time=clock(summary.lowest_quorum.at, timezone)), spacing="Small"))
        quoracy.extend(quorum_elements(summary.lowest_quorum.assessment, wording.quorum))
    if summary.proceeded is not None:
        quoracy.append(text(proceed_line(summary.proceeded, timezone, wording.door), spacing="Small"))
    body.append(container(quoracy, spacing="Medium"))
    if summary.reports is not None and summary.reports.invitees:
        status = summary.reports
        lines: list[Element] = [
            text(Markdown(says.reports), weight="Bolder"),
            text(md(says.reports_shared, shared=status.shared, expected=status.expected), spacing="Small"),
        ]
        if status.outstanding:
            outstanding = ", ".join(status.outstanding_agencies)
            lines.append(text(md(says.reports_outstanding, agencies=outstanding), spacing="None"))
        body.append(container(lines, spacing="Medium"))

    attendance: list[Element] = [text(Markdown(says.attendance), weight="Bolder")]
    if summary.people:
        attendance.append(
            fact_set(
                [
                    (_person_name(person, wording.unnamed, says), _person_line(person, timezone, says))
                    for person in summary.people
                ]
            )
        )
    else:
        attendance.append(text(Markdown(says.no_attendance)))
    body.append(container(attendance, spacing="Medium"))

    automatic = [entry for entry in standing if entry.source is DisconnectionSource.AUTOMATIC]
    logged = [entry for entry in standing if entry.source is DisconnectionSource.CHAIR]
    drops: list[Element] = [text(Markdown(says.disconnections), weight="Bolder")]
    drops.append(text(Markdown(says.noticed_by_the_bot), spacing="Small"))
    drops.append(
        fact_set(_disconnection_facts(automatic, timezone, wording)) if automatic else text(Markdown(says.none))
    )
    drops.append(text(Markdown(says.logged_by_the_chair), spacing="Small"))
    drops.append(fact_set(_disconnection_facts(logged, timezone, wording)) if logged else text(Markdown(says.none)))
    body.append(container(drops, spacing="Medium"))
    body.append(private_footer(wording.quorum))
    return card(body, speak=md(says.spoken, count=len(summary.people)))
