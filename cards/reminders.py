"""The calendar reminders: the pre-meeting card in the meeting chat, and the private join-early and report reminders.

The meeting chat may be read by the family: the pre-meeting card names no one but the people it mentions, who are in
that chat already. No card carries the meeting's subject.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.domain.conferences import ConferenceKind, is_teams_meeting_link
from bot.domain.mentions import Mention
from bot.domain.policy import JOIN_EARLY, JOIN_EARLY_SPOKEN, REPORT_WORKING_DAYS
from bot.domain.reminders import join_window
from cards.clock import clock, long_day
from cards.elements import AdaptiveCard, Element, bullet, card, container, heading, text
from cards.markup import Markdown, md, mention_label


def mention_of(teams_user_id: str, name: str) -> Mention:
    """A mention for the bot to write: its label is the name, plain (no markup characters) and on one line."""
    return Mention(teams_user_id, mention_label(name), f"<at>{mention_label(name)}</at>")


def _tag(person: Mention) -> str:
    """The mention's text, made here from the name whatever the mention says (only a plain label reaches a card)."""
    return f"<at>{mention_label(person.name or '')}</at>"


def _join_line(start: datetime, timezone: ZoneInfo) -> Markdown:
    earliest, latest = join_window(start)
    return md(
        "Please join **between {earliest} and {latest}**, {early} early, so the conference can start straight away.",
        early=JOIN_EARLY,
        earliest=clock(earliest, timezone),
        latest=clock(latest, timezone),
    )


def _at_the_door(points: Sequence[Markdown]) -> Element:
    """The expectations' points the warning repeats (`ExpectationsContent.at_the_door_points`)."""
    return container([text(Markdown("**At the door**"), spacing="Medium"), *(bullet(point) for point in points)])


def _join_button(join_url: str | None) -> list[Element]:
    return [{"type": "Action.OpenUrl", "title": "Join the meeting", "url": teams_link(join_url)}] if join_url else []


def teams_link(join_url: str) -> str:
    """The join link, if it is a Teams meeting link; any other link is refused (ValueError): no card or e-mail of
    the bot's sends people to another site."""
    if not is_teams_meeting_link(join_url):
        raise ValueError("not a Teams meeting link")
    return join_url.strip()


def build_pre_meeting_card(
    *, start: datetime, timezone: ZoneInfo, invited: list[Mention], at_the_door: Sequence[Markdown]
) -> AdaptiveCard:
    body: list[Element] = [
        heading(f"The child protection conference starts at {clock(start, timezone)}"),
        text(_join_line(start, timezone)),
        _at_the_door(at_the_door),
    ]
    if invited:
        # The mention tags are markup Teams must see; their labels carry no markup characters (`mention_label`).
        tags = Markdown("Invited: " + ", ".join(_tag(person) for person in invited))
        body.append(text(tags, spacing="Medium", isSubtle=True))
    result = card(
        body, speak=f"The conference starts at {clock(start, timezone)}. Please join {JOIN_EARLY_SPOKEN} early."
    )
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
    *, start: datetime, timezone: ZoneInfo, join_url: str | None, at_the_door: Sequence[Markdown]
) -> AdaptiveCard:
    return card(
        [
            heading(f"Your child protection conference starts at {clock(start, timezone)}"),
            text(f"{long_day(start, timezone)}, {clock(start, timezone)}.", spacing="None", isSubtle=True),
            text(_join_line(start, timezone)),
            _at_the_door(at_the_door),
        ],
        _join_button(join_url),
        speak=f"Your conference starts at {clock(start, timezone)}. Please join {JOIN_EARLY_SPOKEN} early.",
    )


def build_report_due_card(*, kind: ConferenceKind, start: datetime, due: date, timezone: ZoneInfo) -> AdaptiveCard:
    days = REPORT_WORKING_DAYS[kind]
    return card(
        [
            heading(f"Your conference report is due by {long_day(due, timezone)}"),
            text(
                f"For the {kind.label} child protection conference on {long_day(start, timezone)} at "
                f"{clock(start, timezone)}."
            ),
            text(
                md(
                    "Please share your report with **the CP Chair and the family** by then: at least **{days} working "
                    "days** before {kind} conference, as the partnership's procedures ask.",
                    days=days,
                    kind="an Initial" if kind is ConferenceKind.INITIAL else "a Review",
                )
            ),
        ],
        speak=f"Your conference report is due by {long_day(due, timezone)}.",
    )


@dataclass(frozen=True, slots=True)
class Deadline:
    kind: ConferenceKind
    start: datetime
    due: date


def _deadline_line(deadline: Deadline, timezone: ZoneInfo) -> Markdown:
    return md(
        "**{due}** for the {kind} conference on {day} at {time}",
        due=long_day(deadline.due, timezone),
        kind=deadline.kind.label,
        day=long_day(deadline.start, timezone),
        time=clock(deadline.start, timezone),
    )


def build_conference_deadline_card(deadline: Deadline, timezone: ZoneInfo) -> AdaptiveCard:
    """For a meeting chat: when reports for this conference are due, the same for everyone."""
    days = REPORT_WORKING_DAYS[deadline.kind]
    return card(
        [
            heading(f"Reports for this conference are due by {long_day(deadline.due, timezone)}"),
            text(
                md(
                    "This is {kind} conference on {day} at {time}: reports go to **the CP Chair and the family** at "
                    "least **{days} working days** before it.",
                    kind="an Initial" if deadline.kind is ConferenceKind.INITIAL else "a Review",
                    day=long_day(deadline.start, timezone),
                    time=clock(deadline.start, timezone),
                    days=days,
                )
            ),
        ],
        speak=f"Reports for this conference are due by {long_day(deadline.due, timezone)}.",
    )


def build_my_deadlines_card(deadlines: list[Deadline], timezone: ZoneInfo) -> AdaptiveCard:
    """For one person: their upcoming conferences and when each report is due."""
    if not deadlines:
        return card(
            [
                heading("No upcoming conferences for you"),
                text(
                    "I found no conference you are invited to in the conference calendars for the next weeks. "
                    "If you expected one, check with whoever booked it that the invitation went to this address.",
                ),
            ]
        )
    return card(
        [
            heading("Your conference reports are due"),
            *(bullet(_deadline_line(deadline, timezone)) for deadline in deadlines),
            text(
                md(
                    "Reports go to **the CP Chair and the family**: {initial} working days before an Initial "
                    "conference, {review} before a Review.",
                    initial=REPORT_WORKING_DAYS[ConferenceKind.INITIAL],
                    review=REPORT_WORKING_DAYS[ConferenceKind.REVIEW],
                ),
                isSubtle=True,
                spacing="Medium",
            ),
        ],
        speak=f"You have {len(deadlines)} upcoming conference reports.",
    )
