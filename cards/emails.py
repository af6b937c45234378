"""The e-mail versions of the private reminders, for invitees Teams cannot reach: a subject and a short HTML body,
saying no more than the cards (no meeting subject, so no family name), in `reminders.yaml`'s words."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from zoneinfo import ZoneInfo

from bot.domain.conferences import ConferenceKind
from bot.domain.policy import REPORT_WORKING_DAYS
from bot.domain.reminders import join_window
from cards.clock import clock, long_day
from cards.content import ReminderWording
from cards.html_text import html_text
from cards.reminders import teams_link
from cards.wording.reminders import ReminderContent


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
    *, kind: ConferenceKind, start: datetime, due: date, timezone: ZoneInfo, wording: ReminderContent
) -> tuple[str, str]:
    says, named, by = wording.report_due_email, wording.conference_kinds.of(kind), long_day(due, timezone)
    html = _paragraph(
        says.due, kind=named.name, day=long_day(start, timezone), time=clock(start, timezone), due=by
    ) + _paragraph(says.share, days=REPORT_WORKING_DAYS[kind], a_kind=named.with_article)
    return says.subject.format(due=by), html
