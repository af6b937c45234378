"""Disconnections: people who dropped out of a conference and did not come straight back.

The guidance: "If you lose connectivity and cannot re-join the meeting due to an IT issue you should e-mail the CP
Chair to explain, and this will be logged." The bot notices drops itself (automatic entries, with a private reminder
of what the guidance asks) and the chair logs the e-mails they receive (chair entries, which the chair who logged them
can undo: the undo is recorded, nothing is deleted before the retention time).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.domain.attendance import AttendanceEvent, present_at
from bot.domain.meetings import AttendanceKind, MeetingRole


class DisconnectionSource(StrEnum):
    AUTOMATIC = "automatic"
    """Found by the bot from leave events with no rejoin in time."""
    CHAIR = "chair"
    """Logged by a CP Chair."""


class Notice(StrEnum):
    """What became of the private message to the person who dropped out."""

    PENDING = "pending"
    SENT = "sent"
    NOT_REACHABLE = "unreachable"
    """Teams would not let the bot message them privately (they do not have the app)."""
    NOT_SENT = "not-sent"
    """Deliberately not sent: they had already rejoined, they are the organiser, or the bot never saw the chat."""
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Disconnection:
    id: int
    session_id: int
    aad_object_id: str
    display_name: str | None
    disconnected_at: datetime
    source: DisconnectionSource
    notice: Notice
    recorded_at: datetime | None = None
    logged_by: str | None = None
    """The Entra id of the chair who logged it (chair entries)."""
    emailed_chair: bool | None = None
    note: str | None = None
    undone_at: datetime | None = None
    undone_by: str | None = None

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


@dataclass(frozen=True, slots=True)
class ChairEntry:
    """A disconnection a chair logs: who, when, whether they e-mailed the chair, the chair's note."""

    session_id: int
    aad_object_id: str
    display_name: str | None
    disconnected_at: datetime
    logged_by: str
    emailed_chair: bool | None
    note: str | None
    request_key: str
    """The message or form that asked for it: the same request never logs twice."""


class LogOutcome(StrEnum):
    LOGGED = "logged"
    REPEATED_REQUEST = "repeated-request"
    """This message or form has already logged its entry."""
    ALREADY_LOGGED = "already-logged"
    """An entry for the same person at the same minute is already in the log (and not undone)."""


class UndoOutcome(StrEnum):
    UNDONE = "undone"
    ALREADY_UNDONE = "already-undone"
    NOT_FOUND = "not-found"
    NOT_YOURS = "not-yours"
    """Only the chair who logged an entry can undo it; automatic entries cannot be undone."""


@dataclass(frozen=True, slots=True)
class Drop:
    """A leave that was not followed by a rejoin within the grace time, while the conference carried on."""

    aad_object_id: str
    teams_user_id: str | None
    display_name: str | None
    role: MeetingRole
    left_at: datetime
    still_away: bool
    """Not back at the time of the check: worth a private message."""


def find_drops(
    events: list[AttendanceEvent], *, ended_at: datetime | None, now: datetime, grace: timedelta
) -> list[Drop]:
    """Leaves that count as drops by `now`.

    A leave counts once `grace` has passed without the person rejoining, and only if the conference carried on: it
    had not ended by then and someone else was still in it (so that everyone leaving at the end, even when Teams
    never sends the end event, is not mistaken for a row of drops).
    """
    ordered = sorted(events, key=lambda event: (event.at, 0 if event.kind is AttendanceKind.JOINED else 1))
    drops: list[Drop] = []
    for index, event in enumerate(ordered):
        if event.kind is not AttendanceKind.LEFT:
            continue
        deadline = event.at + grace
        if deadline > now or (ended_at is not None and ended_at <= deadline):
            continue
        later = ordered[index + 1 :]
        returned_at = next(
            (e.at for e in later if e.aad_object_id == event.aad_object_id and e.kind is AttendanceKind.JOINED), None
        )
        if returned_at is not None and returned_at <= deadline:
            continue
        if not present_at(events, deadline) - {event.aad_object_id}:
            continue
        drops.append(
            Drop(
                aad_object_id=event.aad_object_id,
                teams_user_id=event.teams_user_id,
                display_name=event.display_name,
                role=event.role,
                left_at=event.at,
                still_away=returned_at is None,
            )
        )
    return drops
