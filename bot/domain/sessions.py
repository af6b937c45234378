"""Sessions of a Teams meeting: when one starts, when a start event is a repeat, when an open session is stale."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

STALE_AFTER = timedelta(hours=12)
"""An open session older than this when a new start arrives lost its end event (Teams does not always send it)."""


class StartSource(StrEnum):
    EVENT = "event"
    """Teams' meeting start event."""
    PARTICIPANT = "participant"
    """No start event arrived (Teams sometimes drops them): the first participant event opened the session."""
    CHAIR = "chair"
    """Neither a start nor a participant event arrived: the chair logging a disconnection opened the session."""

    @property
    def provisional(self) -> bool:
        """The session's start time is only the first sign of it, not Teams' start event."""
        return self is not StartSource.EVENT


class SummaryStatus(StrEnum):
    SENT = "sent"
    """Delivered privately to the chair."""
    KEPT = "kept"
    """The chair could not be reached privately: kept for them to ask for with /summary."""


@dataclass(frozen=True, slots=True)
class MeetingSession:
    id: int
    meeting_id: str
    conversation_id: str
    started_at: datetime
    start_source: StartSource
    ended_at: datetime | None
    card_posted: bool
    summary_status: SummaryStatus | None = None
    card_posted_at: datetime | None = None
    """When the start card (and its alert on everyone's stage) went out: whoever joins after it missed that."""


class OpenSessionVerdict(StrEnum):
    SAME = "same"
    """The start belongs to the open session."""
    ADOPT = "adopt"
    """The open session was opened by a participant event; the late start event gives its true start time."""
    SUPERSEDE = "supersede"
    """The open session is an earlier session whose end event never came: close it and open a new one."""


def judge_start(open_session: MeetingSession, started_at: datetime, source: StartSource) -> OpenSessionVerdict:
    """What a start (from an event or a participant) means for the meeting's open session."""
    if source.provisional:
        return (
            OpenSessionVerdict.SUPERSEDE
            if started_at - open_session.started_at > STALE_AFTER
            else OpenSessionVerdict.SAME
        )
    if open_session.start_source.provisional:
        return (
            OpenSessionVerdict.ADOPT
            if abs(started_at - open_session.started_at) <= STALE_AFTER
            else OpenSessionVerdict.SUPERSEDE
        )
    # Teams repeats a start event with the same StartTime; a later StartTime is a new session of the meeting, and an
    # earlier one is a late delivery from before the open session began.
    return OpenSessionVerdict.SUPERSEDE if started_at > open_session.started_at else OpenSessionVerdict.SAME


LEAVES_AFTER_END = timedelta(minutes=10)
"""Teams may deliver participants' leave events after the meeting's end event; they still belong to that session."""


def leave_belongs_to(session: MeetingSession, at: datetime) -> bool:
    return session.ended_at is None or at <= session.ended_at + LEAVES_AFTER_END
