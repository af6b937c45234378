"""The meeting side panel's live parts as HTML: the chair's view (quoracy and who is here, the disconnection log,
the log form) and an attendee's own report deadlines, in the same words as the chair's cards and the reminders.

Everything that came from Teams (names, notes) is escaped by `html_filled`; the page's script only swaps these
fragments in, and adds no words of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.domain.disconnect_request import RosterPerson
from bot.domain.disconnections import Disconnection, DisconnectionSource
from bot.domain.quorum import QuorumSnapshot
from bot.domain.reports import ReportsStatus
from bot.domain.text import NOTE_LIMIT
from cards.clock import clock, day_and_clock, long_day
from cards.disconnect_log import entry_source
from cards.html_text import Html, html_filled, html_plain, html_text
from cards.quorum import quorum_verdict, who_is_here
from cards.reminders import Deadline
from cards.reports import status_line
from cards.wording.chair import ChairContent, QuorumWording
from cards.wording.pages import PanelWording
from cards.wording.reminders import ReminderContent
from cards.wording.reports import StatusWording


def _facts(rows: Sequence[tuple[str, str]]) -> str:
    return (
        "<dl>" + "".join(f"<dt>{html_plain(term)}</dt><dd>{html_plain(value)}</dd>" for term, value in rows) + "</dl>"
    )


def quorum_html(
    snapshot: QuorumSnapshot | None, timezone: ZoneInfo, wording: QuorumWording, panel: PanelWording
) -> str:
    if snapshot is None:
        return f'<section class="quorum">\n<p>{html_text(panel.quorum_unavailable)}</p>\n</section>'
    assessment = snapshot.assessment
    verdict = quorum_verdict(assessment, wording, html_filled)
    represented = ", ".join(agency.name for agency in assessment.represented) or wording.none_recognised
    parts = [
        f'<h2 id="quorum-heading">{html_filled(wording.heading, time=clock(snapshot.at, timezone))}</h2>',
        f'<p class="verdict {"good" if assessment.quorate else "attention"}" data-verdict>{verdict}</p>',
        _facts([(wording.agencies_present, represented)]),
    ]
    if assessment.unrecognised_people:
        parts.append(
            f'<p class="subtle">{html_filled(wording.unrecognised_people, count=assessment.unrecognised_people)}</p>'
        )
    people, not_counted = who_is_here(snapshot, wording)
    if people:
        parts += [f"<h3>{html_text(wording.who_is_here)}</h3>", _facts(people)]
    if not_counted:
        parts += [f"<h3>{html_text(wording.not_counted)}</h3>", _facts(not_counted)]
    if not people and not not_counted:
        parts.append(f"<p>{html_text(wording.nobody_yet)}</p>")
    return '<section aria-labelledby="quorum-heading" class="quorum">\n' + "\n".join(parts) + "\n</section>"


def _entry_html(entry: Disconnection, timezone: ZoneInfo, viewer: str, wording: ChairContent) -> str:
    says = wording.log
    title = html_filled(
        says.entry, time=clock(entry.disconnected_at, timezone), name=entry.display_name or wording.unnamed
    )
    if entry.undone:
        title = html_filled(says.undone_entry, entry=title)
    heading_id = f"entry-{entry.id}"
    lines = [f'<p id="{heading_id}">{title}</p>', f'<p class="subtle">{html_text(entry_source(entry, says))}</p>']
    if entry.note:
        lines.append(f"<p>{html_filled(says.note, note=entry.note)}</p>")
    if entry.undone_at is not None:
        lines.append(f'<p class="subtle">{html_filled(says.undone_at, time=clock(entry.undone_at, timezone))}</p>')
    elif entry.source is DisconnectionSource.CHAIR and entry.logged_by == viewer:
        lines.append(
            f'<button type="button" data-undo="{entry.id}" aria-describedby="{heading_id}">'
            f"{html_text(says.undo)}</button>"
        )
    return "<li>" + "".join(lines) + "</li>"


def log_html(
    entries: Sequence[Disconnection],
    started_at: datetime | None,
    timezone: ZoneInfo,
    viewer: str,
    wording: ChairContent,
) -> str:
    says = wording.log
    parts = [f'<h2 id="log-heading">{html_text(says.title)}</h2>']
    if started_at is not None:
        parts.append(f'<p class="subtle">{html_filled(says.started, when=day_and_clock(started_at, timezone))}</p>')
    if entries:
        parts.append('<ul class="log">' + "".join(_entry_html(e, timezone, viewer, wording) for e in entries) + "</ul>")
    else:
        parts.append(f"<p>{html_text(says.nothing_yet)}</p>")
    return '<section aria-labelledby="log-heading" class="log">\n' + "\n".join(parts) + "\n</section>"


def form_html(roster: Sequence[RosterPerson], zone: str, wording: ChairContent, panel: PanelWording) -> str:
    """The log form. It changes only when the people who can be logged change, so a chair's half-filled form is not
    redrawn under them; the page fills the time in."""
    says = wording.form
    people = sorted(
        roster, key=lambda person: ((person.display_name or wording.unnamed).casefold(), person.aad_object_id)
    )
    options = "".join(
        f'<option value="{escape(person.aad_object_id, quote=True)}">'
        f"{html_plain(person.display_name or wording.unnamed)}</option>"
        for person in people
    )
    return "\n".join(
        [
            '<form id="log-form" class="log-form" aria-labelledby="form-heading" novalidate>',
            f'<h2 id="form-heading">{html_text(says.title)}</h2>',
            f'<label for="log-person">{html_text(says.who)}</label>',
            f'<select id="log-person" name="person" required aria-describedby="log-person-error">'
            f'<option value="">{html_text(says.choose)}</option>{options}</select>',
            '<p id="log-person-error" class="field-error" data-error-for="person" hidden>'
            f"{html_text(says.choose_error)}</p>",
            f'<label for="log-time">{html_filled(says.when, zone=zone)}</label>',
            '<input id="log-time" name="time" type="time" required aria-describedby="log-time-hint log-time-error">',
            f'<p id="log-time-hint" class="subtle">{html_filled(panel.when_hint, zone=zone)}</p>',
            f'<p id="log-time-error" class="field-error" data-error-for="time" hidden>{html_text(says.when_error)}</p>',
            '<div class="check"><input id="log-emailed" name="emailed" type="checkbox">'
            f'<label for="log-emailed">{html_text(says.emailed)}</label></div>',
            f'<label for="log-note">{html_text(says.note)}</label>',
            f'<textarea id="log-note" name="note" rows="3" maxlength="{NOTE_LIMIT}" aria-describedby="log-note-hint">'
            "</textarea>",
            f'<p id="log-note-hint" class="subtle">{html_text(says.note_example)}</p>',
            f'<button type="submit">{html_text(says.submit)}</button>',
            f'<p class="subtle">{html_text(says.footer)}</p>',
            "</form>",
        ]
    )


def chair_live_html(
    *,
    snapshot: QuorumSnapshot | None,
    entries: Sequence[Disconnection],
    started_at: datetime | None,
    viewer: str,
    timezone: ZoneInfo,
    wording: ChairContent,
    panel: PanelWording,
    reports: str = "",
) -> str:
    """What changes as the conference runs: quoracy and who is here, the reports shared (`reports_html`), the log."""
    return "\n".join(
        part
        for part in (
            f'<h1 class="panel-heading">{html_text(panel.chair_heading)}</h1>',
            f'<p class="subtle">{html_text(panel.chair_intro)}</p>',
            quorum_html(snapshot, timezone, wording.quorum, panel),
            reports,
            log_html(entries, started_at, timezone, viewer, wording),
        )
        if part
    )


def reports_html(status: ReportsStatus | None, timezone: ZoneInfo, wording: StatusWording) -> str:
    """Who has shared their report (the chairs' status card's words); nothing when the calendar does not know the
    conference or no report is expected."""
    if status is None or not status.invitees:
        return ""
    lines = "".join(
        f"<li>{html_filled(template, **values)}</li>"
        for template, values in (status_line(invitee, timezone, wording) for invitee in status.invitees)
    )
    outstanding = (
        html_filled(wording.outstanding, agencies=", ".join(status.outstanding_agencies))
        if status.outstanding
        else html_text(wording.all_shared)
    )
    return (
        '<section aria-labelledby="reports-heading" class="reports">\n'
        f'<h2 id="reports-heading">{html_filled(wording.counts, shared=status.shared, expected=status.expected)}</h2>\n'
        f"<p>{outstanding}</p>\n<ul>{lines}</ul>\n</section>"
    )


def deadlines_html(
    deadlines: Sequence[Deadline] | None, timezone: ZoneInfo, wording: ReminderContent, panel: PanelWording
) -> Html:
    """An attendee's own upcoming report deadlines, or why they cannot be shown."""
    says = wording.my_deadlines
    parts = [
        '<section aria-labelledby="deadlines-heading" class="deadlines">',
        f'<h2 id="deadlines-heading">{html_text(panel.deadlines_heading)}</h2>',
    ]
    if deadlines is None:
        parts.append(f"<p>{html_text(panel.deadlines_unknown)}</p>")
    elif not deadlines:
        parts.append(f"<p>{html_text(says.none)}</p>")
    else:
        lines = "".join(
            "<li>"
            + html_filled(
                says.deadline,
                due=long_day(deadline.due, timezone),
                kind=wording.conference_kinds.of(deadline.kind).name,
                day=long_day(deadline.start, timezone),
                time=clock(deadline.start, timezone),
            )
            + "</li>"
            for deadline in deadlines
        )
        parts += [f"<ul>{lines}</ul>", f'<p class="subtle">{html_text(says.rule)}</p>']
    return Html("\n".join(parts) + "\n</section>")
