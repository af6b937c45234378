"""Reading the chair's fast form: `/log-disconnect @Jo Evans 10:42 lost connection, e-mailed me`.

The shape is always: who, then an optional time, then an optional note. Who is a Teams @mention or the start of
a name that belongs to exactly one person in the meeting; the time is `10:42`, `10.42`, `2.15pm` or `now`. Whatever
cannot be read this way is answered with the form instead, saying why; nothing here raises.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from typing import Literal
from zoneinfo import ZoneInfo

from bot.domain.mentions import Mention
from bot.domain.text import NOTE_LIMIT, folded

FUTURE_SLACK = timedelta(minutes=1)
"""Times are given to the minute: a time in the current minute is not in the future."""


@dataclass(frozen=True, slots=True)
class RosterPerson:
    """Someone in the meeting the chair can log: from the meeting chat's members and the attendance record."""

    aad_object_id: str
    teams_user_id: str | None
    display_name: str | None


@dataclass(frozen=True, slots=True)
class TimeOfDay:
    hour: int
    minute: int

    def __str__(self) -> str:
        return f"{self.hour:02d}:{self.minute:02d}"


@dataclass(frozen=True, slots=True)
class DisconnectRequest:
    person: RosterPerson
    time: TimeOfDay | None
    """None: now."""
    note: str | None


class FormReason(StrEnum):
    """Why the fast form could not be read; the chair is told in the content's words (`chair.yaml`)."""

    NOTE_TOO_LONG = "note_too_long"
    NOT_IN_MEETING = "not_in_meeting"
    """`detail`: the mentioned person's name, if the mention carried one."""
    SAME_NAME = "same_name"
    """`detail`: the name more than one person has."""
    NAME_STARTS = "name_starts"
    """`detail`: the word more than one person's name starts with."""
    WHO_UNCLEAR = "who_unclear"
    NOT_A_12_HOUR_TIME = "not_a_12_hour_time"
    """`detail`: what was typed."""
    NOT_A_24_HOUR_TIME = "not_a_24_hour_time"
    """`detail`: what was typed."""
    NOT_A_TIME = "not_a_time"
    """Not clock-shaped at all: the words are read as the note instead (never shown)."""


@dataclass(frozen=True, slots=True)
class NeedsForm:
    """Answer with the form: `reason` says why the fast form could not be used (None: nothing was given)."""

    reason: FormReason | None = None
    detail: str | None = None
    """What the reason is about, as it was typed or as Teams named it."""


class TimeReason(StrEnum):
    LATER_THAN_NOW = "later_than_now"
    BEFORE_START = "before_start"
    """Before the conference started."""
    BEFORE_TWELVE_HOURS = "before_twelve_hours"
    """Before the earliest a conference the bot never saw start can have begun."""
    AFTER_END = "after_end"


@dataclass(frozen=True, slots=True)
class TimeRefusal:
    """A time of day that cannot be the moment someone dropped out, and the moment it was measured against."""

    reason: TimeReason
    requested: TimeOfDay | None
    """None: `now`."""
    against: datetime


_MENTION = re.compile(r"^<at\b[^<>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_ANY_MENTION = re.compile(r"<at\b[^<>]*>(.*?)</at>", re.IGNORECASE | re.DOTALL)
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})\s*(am|pm|a\.m\.|p\.m\.)?$", re.IGNORECASE)
_HOUR_ONLY = re.compile(r"^(\d{1,2})\s*(am|pm|a\.m\.|p\.m\.)$", re.IGNORECASE)
_SEPARATORS = " ,;:-–—"


def read_request(
    arguments: str, mentions: Sequence[Mention], roster: Sequence[RosterPerson]
) -> DisconnectRequest | NeedsForm:
    """The fast form's request, or the reason to show the form. `arguments` is the text after the command, with
    markup already tidied except `<at>` mentions."""
    text = arguments.strip()
    if not text:
        return NeedsForm()
    found = (
        _person_from_mention(text, mentions, roster)
        if text.lower().startswith("<at")
        else _person_by_name(text, roster)
    )
    if isinstance(found, NeedsForm):
        return found
    person, rest = found
    time_of_day, note_text = _leading_time(rest)
    if isinstance(time_of_day, NeedsForm):
        return time_of_day
    note = _plain(note_text).strip(_SEPARATORS + ".") if note_text else ""
    if len(note) > NOTE_LIMIT:
        return NeedsForm(FormReason.NOTE_TOO_LONG)
    return DisconnectRequest(person=person, time=time_of_day, note=note or None)


def _plain(text: str) -> str:
    """Other people's mentions in a note read as their names."""
    return _ANY_MENTION.sub(lambda match: match.group(1), text)


_fold = folded


def _person_from_mention(
    text: str, mentions: Sequence[Mention], roster: Sequence[RosterPerson]
) -> tuple[RosterPerson, str] | NeedsForm:
    match = _MENTION.match(text)
    if match is None:
        return _person_by_name(text, roster)
    rest = text[match.end() :]
    mention = next((m for m in mentions if _fold(m.text) == _fold(match.group(0))), None)
    if mention is None:
        # No entity for it (a client that sent the text only): go by the name shown.
        return _person_by_name(match.group(1).strip() + rest, roster)
    person = next((p for p in roster if p.teams_user_id == mention.teams_user_id), None)
    if person is None and mention.name:
        same_name = _distinct([p for p in roster if p.display_name and _fold(p.display_name) == _fold(mention.name)])
        person = same_name[0] if len(same_name) == 1 else None
    if person is None:
        return NeedsForm(FormReason.NOT_IN_MEETING, mention.name)
    return person, rest


def _person_by_name(text: str, roster: Sequence[RosterPerson]) -> tuple[RosterPerson, str] | NeedsForm:
    """The longest run of leading words that is someone's whole name; failing that, the start of exactly one name."""
    named = [(person, _fold(person.display_name)) for person in roster if person.display_name]
    # No name has more words than the longest name: only that many leading words are ever tried, so the cost of
    # reading grows with the text's length, not with its square.
    longest = max((len(name.split()) for _, name in named), default=0)
    words = text.split(maxsplit=longest)
    whole = _longest_leading_match(words, named, longest, lambda name, candidate: name == candidate)
    if whole is not None:
        people, rest = whole
        if len(people) == 1:
            return people[0], rest
        return NeedsForm(FormReason.SAME_NAME, people[0].display_name)
    starting = _longest_leading_match(words, named, longest, lambda name, candidate: name.startswith(candidate + " "))
    if starting is not None:
        people, rest = starting
        if len(people) == 1:
            return people[0], rest
        return NeedsForm(FormReason.NAME_STARTS, words[0])
    return NeedsForm(FormReason.WHO_UNCLEAR)


def _longest_leading_match(
    words: list[str], named: list[tuple[RosterPerson, str]], longest: int, fits: Callable[[str, str], bool]
) -> tuple[list[RosterPerson], str] | None:
    """The people whose folded name `fits` the longest run of leading words that fits anyone (no more than `longest`,
    the most words any name has), and the words after."""
    for take in range(min(len(words), longest), 0, -1):
        candidate = _fold(" ".join(words[:take]).rstrip(_SEPARATORS))
        people = _distinct([person for person, name in named if fits(name, candidate)])
        if people:
            return people, " ".join(words[take:])
    return None


def _distinct(people: list[RosterPerson]) -> list[RosterPerson]:
    seen: dict[str, RosterPerson] = {}
    for person in people:
        seen.setdefault(person.aad_object_id.lower(), person)
    return list(seen.values())


def _leading_time(rest: str) -> tuple[TimeOfDay | NeedsForm | None, str]:
    """An optional time (`at` allowed before it) at the start of `rest`, and what follows it. None: now."""
    words = rest.strip(_SEPARATORS).split()
    start = 1 if words and words[0].lower() == "at" else 0
    for take in (2, 1):
        if len(words) < start + take:
            continue
        parsed = parse_time_of_day(" ".join(words[start : start + take]).rstrip(",;"))
        if parsed is not _NOT_A_TIME:
            return (None if parsed == "now" else parsed), " ".join(words[start + take :])
    return None, " ".join(words)


_NOT_A_TIME = NeedsForm(FormReason.NOT_A_TIME)


def parse_time_of_day(token: str) -> TimeOfDay | Literal["now"] | NeedsForm:
    """`now`; `10:42`, `10.42`, `2.15pm`, `3pm` as a time of day; something clock-shaped that is no time of day
    (`25:70`) as a NeedsForm saying so; any other text as `_NOT_A_TIME`."""
    lowered = token.strip().lower()
    if lowered == "now":
        return "now"
    clock = _CLOCK.match(lowered)
    hour_only = _HOUR_ONLY.match(lowered)
    if clock is not None:
        hour, minute, half = int(clock.group(1)), int(clock.group(2)), clock.group(3)
    elif hour_only is not None:
        hour, minute, half = int(hour_only.group(1)), 0, hour_only.group(2)
    else:
        return _NOT_A_TIME
    if half:
        if not 1 <= hour <= 12 or minute > 59:
            return NeedsForm(FormReason.NOT_A_12_HOUR_TIME, token)
        hour = hour % 12 + (12 if half.startswith("p") else 0)
    if hour > 23 or minute > 59:
        return NeedsForm(FormReason.NOT_A_24_HOUR_TIME, token)
    return TimeOfDay(hour, minute)


def when(
    requested: TimeOfDay | None,
    *,
    now: datetime,
    timezone: ZoneInfo,
    earliest: datetime,
    before_earliest: TimeReason = TimeReason.BEFORE_START,
) -> datetime | TimeRefusal:
    """The moment a requested time of day means (today in `timezone`, or yesterday for a conference that runs past
    midnight), or why it cannot be accepted: in the future, or before `earliest` (`before_earliest` says what that
    is)."""
    if requested is None:
        return now
    local_now = now.astimezone(timezone)
    wanted = time(requested.hour, requested.minute)
    today = datetime.combine(local_now.date(), wanted, tzinfo=timezone)
    moment = today if today <= now + FUTURE_SLACK else today - timedelta(days=1)
    floor = earliest.replace(second=0, microsecond=0)
    if today > now + FUTURE_SLACK and moment < floor:
        return TimeRefusal(TimeReason.LATER_THAN_NOW, requested, now)
    if moment < floor:
        return TimeRefusal(before_earliest, requested, earliest)
    return min(moment, now).astimezone(UTC)
