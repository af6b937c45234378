"""Teams meeting events as the bot understands them. Meeting titles are never read: they carry family names."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class MeetingRole(StrEnum):
    ORGANIZER = "Organizer"
    PRESENTER = "Presenter"
    ATTENDEE = "Attendee"
    UNKNOWN = "Unknown"

    @classmethod
    def parse(cls, value: object) -> MeetingRole:
        """The role Teams names, in any case; UNKNOWN for anything else."""
        wanted = value.strip().lower() if isinstance(value, str) else None
        return next((role for role in cls if role.value.lower() == wanted), cls.UNKNOWN)


@dataclass(frozen=True, slots=True)
class MeetingPlace:
    """Where a meeting event happened: the Teams meeting and its chat."""

    meeting_id: str
    conversation_id: str
    tenant_id: str | None


@dataclass(frozen=True, slots=True)
class MeetingStarted:
    place: MeetingPlace
    started_at: datetime


@dataclass(frozen=True, slots=True)
class MeetingEnded:
    place: MeetingPlace
    ended_at: datetime


@dataclass(frozen=True, slots=True)
class Participant:
    aad_object_id: str
    teams_user_id: str | None
    display_name: str | None
    role: MeetingRole


@dataclass(frozen=True, slots=True)
class ParticipantsEvent:
    place: MeetingPlace
    at: datetime
    participants: tuple[Participant, ...]
    delivery_id: str
    """Identifies this delivery of the event, so a retried delivery is recognised."""


@dataclass(frozen=True, slots=True)
class ParticipantsJoined(ParticipantsEvent):
    pass


@dataclass(frozen=True, slots=True)
class ParticipantsLeft(ParticipantsEvent):
    pass


MeetingEvent = MeetingStarted | MeetingEnded | ParticipantsJoined | ParticipantsLeft


class AttendanceKind(StrEnum):
    JOINED = "join"
    LEFT = "leave"
