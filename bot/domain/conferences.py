"""Child protection conferences as the calendar shows them, and how the bot recognises one among other events.

The subject of a calendar event often carries the family's name. It is read here only to recognise the event and its
kind, and is never part of a `Conference`: nothing downstream can store or log it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from urllib.parse import unquote, urlsplit


class ConferenceKind(StrEnum):
    INITIAL = "initial"
    REVIEW = "review"


class AttendeeType(StrEnum):
    REQUIRED = "required"
    OPTIONAL = "optional"
    RESOURCE = "resource"


@dataclass(frozen=True, slots=True)
class Invitee:
    email: str
    """Lower case; the invitee's identity across mailboxes."""
    name: str
    attendance: AttendeeType


@dataclass(frozen=True, slots=True)
class CalendarEvent:
    """One event (or one occurrence of a series) as read from a mailbox's calendar."""

    event_id: str
    ical_uid: str
    subject: str = field(repr=False)
    """Read only to recognise the conference: it often carries the family's name, so it is never shown."""
    categories: tuple[str, ...]
    start: datetime
    end: datetime
    is_cancelled: bool
    is_series_master: bool
    join_url: str | None
    organiser: Invitee | None
    attendees: tuple[Invitee, ...]


@dataclass(frozen=True, slots=True)
class Conference:
    """What the bot keeps of a conference found in a calendar: times, where to join, who is invited. No subject."""

    key: str
    """The event's iCalUId: the same in every invitee's calendar, different for each occurrence of a series."""
    kind: ConferenceKind
    start: datetime
    end: datetime
    join_url: str | None
    organiser: Invitee | None
    invitees: tuple[Invitee, ...]
    cancelled: bool = False
    chat_id: str | None = None
    """The Teams meeting chat (`19:meeting_…@thread.v2`), once looked up from the join URL."""

    @property
    def people(self) -> tuple[Invitee, ...]:
        """Everyone invited who is a person (rooms and equipment left out), the organiser included, once each."""
        seen: dict[str, Invitee] = {}
        for person in (*((self.organiser,) if self.organiser else ()), *self.invitees):
            if person.attendance is not AttendeeType.RESOURCE and person.email and person.email not in seen:
                seen[person.email] = person
        return tuple(seen.values())


@dataclass(frozen=True)
class ConferenceRecogniser:
    """An event is a conference when it has one of `categories` or its subject matches `subject_pattern`; its kind
    comes from the kind patterns, searched in the categories first and then in the subject. An event whose kind cannot
    be told (neither, or both in the same place) is not treated as a conference."""

    categories: frozenset[str] = field(default_factory=frozenset)
    """Outlook category names, compared without regard to case."""
    subject_pattern: re.Pattern[str] | None = None
    initial_pattern: re.Pattern[str] = re.compile(r"\b(initial|ICPC)\b", re.IGNORECASE)
    review_pattern: re.Pattern[str] = re.compile(r"\b(review|RCPC)\b", re.IGNORECASE)

    def kind_of(self, event: CalendarEvent) -> ConferenceKind | None:
        if event.is_series_master:
            return None  # the occurrences are the conferences
        wanted = {category.casefold() for category in self.categories}
        in_category = any(category.casefold() in wanted for category in event.categories)
        in_subject = self.subject_pattern is not None and self.subject_pattern.search(event.subject) is not None
        if not (in_category or in_subject):
            return None
        for text in (" ".join(event.categories), event.subject):
            initial = self.initial_pattern.search(text) is not None
            review = self.review_pattern.search(text) is not None
            if initial != review:
                return ConferenceKind.INITIAL if initial else ConferenceKind.REVIEW
            if initial and review:
                return None
        return None

    def conference(self, event: CalendarEvent) -> Conference | None:
        """The conference this event is, or None. An event whose join link is not a Teams meeting link is none,
        whatever its category or subject: the bot sends no one to another site."""
        kind = self.kind_of(event)
        if kind is None or has_foreign_link(event):
            return None
        return Conference(
            key=event.ical_uid or event.event_id,
            kind=kind,
            start=event.start,
            end=event.end,
            join_url=event.join_url,
            organiser=event.organiser,
            invitees=event.attendees,
            cancelled=event.is_cancelled,
        )


@dataclass(frozen=True, slots=True)
class CalendarChanges:
    """One round of a mailbox's calendar sync: events added or changed, events removed, where to resume."""

    events: tuple[CalendarEvent, ...]
    removed: tuple[str, ...]
    """Event ids the calendar no longer has (Graph's `@removed`)."""
    delta_link: str


@dataclass(frozen=True, slots=True)
class StoredConference:
    id: int
    conference: Conference


@dataclass(frozen=True, slots=True)
class SyncPosition:
    """Where a mailbox's sync stands: the delta link to resume from and the window that link covers."""

    delta_link: str | None
    window_start: datetime
    window_end: datetime


TEAMS_MEETING_HOSTS = frozenset(
    {
        "teams.microsoft.com",  # the public cloud, and GCC
        "teams.cloud.microsoft",  # the public cloud's newer address
        "gov.teams.microsoft.us",  # GCC High
        "dod.teams.microsoft.us",  # DoD
        "teams.microsoftonline.cn",  # operated by 21Vianet
    }
)
"""Where Teams meeting join links live, in the public and national clouds."""
_MEETING_PATHS = ("/l/meetup-join/", "/meet/")


def is_teams_meeting_link(url: str) -> bool:
    """Whether `url` is an https Teams meeting join link: one of Teams' own hosts (no user, no other port) and a
    meeting path (`/l/meetup-join/…`, or the newer `/meet/<id>`)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return False
    return (
        parts.scheme == "https"
        and parts.hostname in TEAMS_MEETING_HOSTS
        and parts.username is None
        and parts.password is None
        and port in (None, 443)
        and parts.path.startswith(_MEETING_PATHS)
        and url.isprintable()
        and " " not in url.strip()
    )


def has_foreign_link(event: CalendarEvent) -> bool:
    """The event has a join link, and it is not a Teams meeting link."""
    return event.join_url is not None and not is_teams_meeting_link(event.join_url)


_CLASSIC_JOIN_URL = re.compile(r"/l/meetup-join/(19(?:%3a|:)meeting_[^/?#]+?(?:%40|@)thread\.v2)", re.IGNORECASE)


def chat_id_from_join_url(join_url: str | None) -> str | None:
    """The meeting chat id inside a classic Teams join URL (`…/l/meetup-join/19%3ameeting_…%40thread.v2/0?…`).
    Newer short join URLs (`…/meet/123?p=…`) do not carry it: Graph has to be asked."""
    if not join_url:
        return None
    match = _CLASSIC_JOIN_URL.search(join_url)
    return unquote(match.group(1)) if match else None
