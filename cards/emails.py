"""The e-mail versions of the private reminders, for invitees Teams cannot reach: a subject and a short HTML body,
saying no more than the cards (no meeting subject, so no family name)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.domain.conferences import ConferenceKind
from bot.domain.policy import JOIN_EARLY, REPORT_WORKING_DAYS
from bot.domain.reminders import join_window
from cards.clock import clock, long_day
from cards.markup import Markdown
from cards.reminders import teams_link

_BOLD = ("**", "<strong>", "</strong>")


def _html(markdown: str) -> str:
    """The cards' **bold** as HTML, everything else escaped."""
    parts = escape(markdown).split(_BOLD[0])
    return "".join(part if i % 2 == 0 else f"{_BOLD[1]}{part}{_BOLD[2]}" for i, part in enumerate(parts))


def join_early_email(
    *, start: datetime, timezone: ZoneInfo, join_url: str | None, at_the_door: Sequence[Markdown]
) -> tuple[str, str]:
    earliest, latest = join_window(start)
    when = f"{long_day(start, timezone)} at {clock(start, timezone)}"
    subject = f"Child protection conference {when}: please join {JOIN_EARLY} early"
    lines = [
        f"<p>Your child protection conference starts on <strong>{when}</strong>.</p>",
        f"<p>Please join <strong>between {clock(earliest, timezone)} and {clock(latest, timezone)}</strong>, so the "
        "conference can start straight away.</p>",
        "<ul>" + "".join(f"<li>{_html(point)}</li>" for point in at_the_door) + "</ul>",
    ]
    if join_url:
        lines.append(f'<p><a href="{escape(teams_link(join_url), quote=True)}">Join the meeting</a></p>')
    return subject, "\n".join(lines)


def report_due_email(*, kind: ConferenceKind, start: datetime, due: date, timezone: ZoneInfo) -> tuple[str, str]:
    days = REPORT_WORKING_DAYS[kind]
    subject = f"Your conference report is due by {long_day(due, timezone)}"
    html = (
        f"<p>Your report for the {kind.label} child protection conference on {long_day(start, timezone)} at "
        f"{clock(start, timezone)} is due by <strong>{long_day(due, timezone)}</strong>.</p>"
        f"<p>Please share it with the CP Chair and the family by then: at least {days} working days before "
        f"{'an Initial' if kind is ConferenceKind.INITIAL else 'a Review'} conference, as the partnership's "
        "procedures ask.</p>"
    )
    return subject, html
