"""The calendar reminders: the pre-meeting card in the meeting chat, and the private join-early and report reminders.

The meeting chat may be read by the family: the pre-meeting card names no one but the people it mentions, who are in
that chat already. No card carries the meeting's subject.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.conferences import ConferenceKind, is_teams_meeting_link
from bot.domain.mentions import Mention
from bot.domain.policy import REPORT_WORKING_DAYS
from bot.domain.reminders import join_window
from cards.clock import clock, long_day
from cards.content import ReminderWording
from cards.elements import AdaptiveCard, Element, bullet, card, container, heading, text
from cards.markup import Markdown, md, mention_label
from cards.wording.reminders import JoiningWording, ReminderContent


def mention_of(teams_user_id: str, name: str) -> Mention:
    """A mention for the bot to write: its label is the name, plain (no markup characters) and on one line."""
    return Mention(teams_user_id, mention_label(name), f"<at>{mention_label(name)}</at>")


def _tag(person: Mention) -> str:
    """The mention's text, made here from the name whatever the mention says (only a plain label reaches a card)."""
    return f"<at>{mention_label(person.name or '')}</at>"


def _join_line(start: datetime, timezone: ZoneInfo, joining: JoiningWording) -> Markdown:
    earliest, latest = join_window(start)
    return md(joining.window, earliest=clock(earliest, timezone), latest=clock(latest, timezone))


def _at_the_door(wording: ReminderWording) -> Element:
    """The expectations' points the warning repeats (`ExpectationsContent.at_the_door_points`)."""
    joining = wording.sentences.joining
    return container(
        [text(md("**{heading}**", heading=joining.at_the_door), spacing="Medium"), *map(bullet, wording.at_the_door)]
    )


def _join_button(join_url: str | None, joining: JoiningWording) -> list[Element]:
    return [{"type": "Action.OpenUrl", "title": joining.button, "url": teams_link(join_url)}] if join_url else []


def teams_link(join_url: str) -> str:
    """The join link, if it is a Teams meeting link; any other link is refused (ValueError): no card or e-mail of
    the bot's sends people to another site."""
    if not is_teams_meeting_link(join_url):
        raise ValueError("not a Teams meeting link")
    return join_url.strip()


def build_pre_meeting_card(
    *, start: datetime, timezone: ZoneInfo, invited: list[Mention], wording: ReminderWording
) -> AdaptiveCard:
    says, at = wording.sentences.pre_meeting, clock(start, timezone)
    body: list[Element] = [
        heading(md(says.heading, time=at)),
        text(_join_line(start, timezone, wording.sentences.joining)),
        _at_the_door(wording),
    ]
    if invited:
        # The mention tags are markup Teams must see; their labels carry no markup characters (`mention_label`).
        tags = Markdown(", ".join(_tag(person) for person in invited))
        body.append(text(md(says.invited, people=tags), spacing="Medium", isSubtle=True))
    result = card(body, speak=md(says.spoken, time=at))
    if invited:
        entities: list[dict[str, Any]] = [
            {
                "type": "mention",
                "text": _tag(person),
                "mentioned": {"id": person.teams_user_id, "name": mention_label(person.name or "")},
            }
            for person in invited
        ]
        result["msteams"] = {**result["msteams"], "entities": entities}
    return result


def build_join_early_card(
    *, start: datetime, timezone: ZoneInfo, join_url: str | None, wording: ReminderWording
) -> AdaptiveCard:
    says, at, joining = wording.sentences.join_early, clock(start, timezone), wording.sentences.joining
    return card(
        [
            heading(md(says.heading, time=at)),
            text(md(says.when, day=long_day(start, timezone), time=at), spacing="None", isSubtle=True),
            text(_join_line(start, timezone, joining)),
            _at_the_door(wording),
        ],
        _join_button(join_url, joining),
        speak=md(says.spoken, time=at),
    )


def build_report_due_card(
    *,
    kind: ConferenceKind,
    start: datetime,
    due: date,
    timezone: ZoneInfo,
    wording: ReminderContent,
    actions: list[Element] | None = None,
) -> AdaptiveCard:
    says, named, by = wording.report_due, wording.conference_kinds.of(kind), long_day(due, timezone)
    return card(
        [
            heading(md(says.heading, due=by)),
            text(md(says.conference, kind=named.name, day=long_day(start, timezone), time=clock(start, timezone))),
            text(md(says.share, days=REPORT_WORKING_DAYS[kind], a_kind=named.with_article)),
        ],
        actions,
        speak=md(says.spoken, due=by),
    )


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: ConferenceKind
    start: datetime
    due: date


def _deadline_line(deadline: Deadline, timezone: ZoneInfo, wording: ReminderContent) -> Markdown:
    return md(
        wording.my_deadlines.deadline,
        due=long_day(deadline.due, timezone),
        kind=wording.conference_kinds.of(deadline.kind).name,
        day=long_day(deadline.start, timezone),
        time=clock(deadline.start, timezone),
    )


def build_conference_deadline_card(deadline: Deadline, timezone: ZoneInfo, wording: ReminderContent) -> AdaptiveCard:
    """For a meeting chat: when reports for this conference are due, the same for everyone."""
    says, by = wording.conference_deadline, long_day(deadline.due, timezone)
    return card(
        [
            heading(md(says.heading, due=by)),
            text(
                md(
                    says.conference,
                    a_kind=wording.conference_kinds.of(deadline.kind).with_article,
                    day=long_day(deadline.start, timezone),
                    time=clock(deadline.start, timezone),
                    days=REPORT_WORKING_DAYS[deadline.kind],
                )
            ),
        ],
        speak=md(says.spoken, due=by),
    )


def build_my_deadlines_card(deadlines: list[Deadline], timezone: ZoneInfo, wording: ReminderContent) -> AdaptiveCard:
    """For one person: their upcoming conferences and when each report is due."""
    says = wording.my_deadlines
    if not deadlines:
        return card([heading(Markdown(says.none_heading)), text(Markdown(says.none))])
    return card(
        [
            heading(Markdown(says.heading)),
            *(bullet(_deadline_line(deadline, timezone, wording)) for deadline in deadlines),
            text(Markdown(says.rule), isSubtle=True, spacing="Medium"),
        ],
        speak=md(says.spoken, count=len(deadlines)),
    )
