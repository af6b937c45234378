"""The interfaces the use cases need from the outside world; `bot/store`, `bot/teams` and `bot/graph` implement them."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from bot.domain.conversations import ConversationAddress
from bot.domain.meetings import AttendanceKind, MeetingPlace, Participant
from bot.domain.sessions import MeetingSession, StartSource
from bot.usecases.replies import CardReply


class ConversationDirectory(Protocol):
    """Where the bot remembers the conversations it has seen, so it can post into them later."""

    async def remember(self, address: ConversationAddress) -> None: ...

    async def find(self, conversation_id: str) -> ConversationAddress | None: ...


class MeetingRecords(Protocol):
    """Meeting sessions and attendance, shared by every instance of the bot."""

    async def start_session(self, place: MeetingPlace, started_at: datetime, source: StartSource) -> MeetingSession: ...

    async def end_session(self, place: MeetingPlace, ended_at: datetime) -> MeetingSession | None: ...

    async def latest_session(self, meeting_id: str) -> MeetingSession | None: ...

    async def claim_card(self, session_id: int) -> bool: ...

    async def release_card(self, session_id: int) -> None: ...

    async def record_attendance(
        self,
        session_id: int,
        kind: AttendanceKind,
        participants: tuple[Participant, ...],
        at: datetime,
        delivery_id: str,
    ) -> None: ...


class ChatPoster(Protocol):
    """Posts a card into the conversation the current event came from."""

    async def __call__(self, reply: CardReply) -> None: ...
