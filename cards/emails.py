"""The e-mail versions of the private reminders, for invitees Teams cannot reach: a subject and a short HTML body,
saying no more than the cards (no meeting subject, so no family name), in `reminders.yaml`'s words."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.domain.conferences import ConferenceKind
from bot.domain.policy import REPORT_WORKING_DAYS
from bot.domain.quorum import QuorumSnapshot
from bot.domain.reminders import join_window
from bot.domain.reports import ReportsStatus
from cards.clock import clock, long_day
from cards.content import ReminderWording
from cards.html_text import Html, html_filled, html_text
from cards.quorum import quorum_verdict
from cards.reminders import teams_link
from cards.reports import status_line
from cards.wording.chair import ChairContent
from cards.wording.reminders import ConferenceKinds, ReminderContent
from cards.wording.reports import ConfirmingWording, ReportsContent


def _paragraph(wording: str, **values: object) -> str:
    """One paragraph of the wording, with the bot's own values (days and times, never a name) filled in."""
    return f"<p>{html_text(wording.format(**values))}</p>"


def join_early_email(
    *, start: datetime, timezone: ZoneInfo, join_url: str | None, wording: ReminderWording
) -> tuple[str, str]:
    says, earliest_latest = wording.sentences.join_early_email, join_window(start)
    when = says.when.format(day=long_day(start, timezone), time=clock(start, timezone))
    lines = [
        _paragraph(says.starts, when=when),
        _paragraph(
            says.window, earliest=clock(earliest_latest[0], timezone), latest=clock(earliest_latest[1], timezone)
        ),
        "<ul>" + "".join(f"<li>{html_text(point)}</li>" for point in wording.at_the_door) + "</ul>",
    ]
    if join_url:
        link = escape(teams_link(join_url), quote=True)
        lines.append(f'<p><a href="{link}">{escape(wording.sentences.joining.button)}</a></p>')
    return says.subject.format(when=when), "\n".join(lines)


def report_due_email(
    *,
    kind: ConferenceKind,
    start: datetime,
    due: date,
    timezone: ZoneInfo,
    wording: ReminderContent,
    confirm_link: str | None = None,
    confirming: ConfirmingWording | None = None,
) -> tuple[str, str]:
    """The report reminder; with `confirm_link` (the bot's own https page), a paragraph asking them to confirm there
    once they have shared their report."""
    says, named, by = wording.report_due_email, wording.conference_kinds.of(kind), long_day(due, timezone)
    html = _paragraph(
        says.due, kind=named.name, day=long_day(start, timezone), time=clock(start, timezone), due=by
    ) + _paragraph(says.share, days=REPORT_WORKING_DAYS[kind], a_kind=named.with_article)
    if confirm_link is not None and confirming is not None:
        anchor = Html(f'<a href="{escape(confirm_link, quote=True)}">{escape(confirming.link_title)}</a>')
        html += f"<p>{html_filled(confirming.email_link, link=anchor)}</p>"
    return says.subject.format(due=by), html


def report_status_email(
    status: ReportsStatus,
    *,
    kind: ConferenceKind,
    start: datetime,
    timezone: ZoneInfo,
    wording: ReportsContent,
    kinds: ConferenceKinds,
) -> tuple[str, str]:
    """The chairs' report status, for a chair Teams cannot reach: the card's words, names escaped."""
    says, named = wording.status, kinds.of(kind)
    when = {"kind": named.name, "day": long_day(start, timezone), "time": clock(start, timezone)}
    subject = says.deadline_heading.replace("**", "").format(**when)
    if not status.invitees:
        return subject, _paragraph(says.nobody_expected)
    lines = [
        f"<p>{html_filled(says.counts, shared=status.shared, expected=status.expected)}</p>",
        f"<p>{html_filled(says.outstanding, agencies=', '.join(status.outstanding_agencies))}</p>"
        if status.outstanding
        else _paragraph(says.all_shared),
        f"<p>{html_filled(says.due, due=long_day(status.due, timezone))}</p>",
        "<ul>"
        + "".join(
            f"<li>{html_filled(template, **values)}</li>"
            for template, values in (status_line(invitee, timezone, says) for invitee in status.invitees)
        )
        + "</ul>",
    ]
    return subject, "\n".join(lines)


def door_email(
    snapshot: QuorumSnapshot,
    expected: Sequence[tuple[str, str]],
    *,
    recheck: bool,
    timezone: ZoneInfo,
    wording: ChairContent,
) -> tuple[str, str]:
    """Quoracy at the start, for a chair Teams cannot reach: the verdict and who is expected (the card's words)."""
    says, at = wording.door, clock(snapshot.at, timezone)
    subject = (says.recheck_heading if recheck else says.heading).replace("**", "").format(time=at)
    lines = [f"<p><strong>{quorum_verdict(snapshot.assessment, wording.quorum, html_filled)}</strong></p>"]
    if expected:
        people = Html(
            ", ".join(html_filled(says.expected_person, name=name, agency=agency) for name, agency in expected)
        )
        lines.append(f"<p>{html_filled(says.expected, people=people)}</p>")
    else:
        lines.append(_paragraph(says.everyone_here))
    return subject, "\n".join(lines)
