"""Which conference a chair command is about.

Typed in a conference's own conversation (its meeting chat, or the thread of a channel meeting), it is that
conference. Typed in the chair's 1:1 chat with the bot, it is the conference they are chairing: a running one, or
once none runs, the one they chaired most recently, for as long as the bot keeps its record. A button on one of the
chair's cards names its conference.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.domain.conversations import ConversationAddress, ConversationKind, holds_meeting
from bot.domain.quorum import AgencyDirectory
from bot.domain.sessions import STALE_AFTER, MeetingSession
from bot.usecases.chair_check import Asker, ChairCheck
from bot.usecases.meeting_people import MeetingPeople
from bot.usecases.ports import ConversationDirectory, MeetingRecords

LOOKED_AT = 50
"""Recent conferences looked through for the asker's: a council holds a handful at once, and a chair asking after
one ended asks about one of their last few."""
_AT_ONCE = 5
"""Conferences whose people are asked of Teams at the same time."""


@dataclass(frozen=True, slots=True)
class InHand:
    """The conference the command is about: its own conversation, where Teams' meeting APIs are asked about it."""

    chat: ConversationAddress


@dataclass(frozen=True, slots=True)
class Candidate:
    """A running conference the asker chairs, as the choice card shows it: when it started and how many agencies
    are in it (never its subject, which carries the family's name)."""

    chat: ConversationAddress
    started_at: datetime
    agencies: int


@dataclass(frozen=True, slots=True)
class Choose:
    """The asker chairs several running conferences: which one do they mean?"""

    candidates: tuple[Candidate, ...]


@dataclass(frozen=True, slots=True)
class NoneFound:
    """No running or recent conference that the asker chairs (or a button names one the bot no longer knows)."""


@dataclass(frozen=True, slots=True)
class NotHere:
    """Asked in a conversation that is no conference's (an ordinary group chat, a channel outside a meeting)."""


Found = InHand | Choose | NoneFound | NotHere


class ChairConferences:
    def __init__(
        self,
        *,
        records: MeetingRecords,
        conversations: ConversationDirectory,
        people: MeetingPeople,
        check: ChairCheck,
        agencies: AgencyDirectory,
        kept_for: timedelta,
    ) -> None:
        self._records = records
        self._conversations = conversations
        self._people = people
        self._check = check
        self._agencies = agencies
        self._kept_for = kept_for
        """How long the bot keeps a conference's record (RETENTION_DAYS): how far back "most recent" looks."""

    async def find(self, asker: Asker, chat: ConversationAddress | None, named: str | None, now: datetime) -> Found:
        """The conference of a command asked in `chat`, or `named` by a button (its conversation's id)."""
        if named is not None:
            return await self._named(named)
        if chat is not None and holds_meeting(chat):
            return InHand(chat)
        if chat is None or chat.kind is not ConversationKind.PERSONAL:
            return NotHere()
        return await self._chaired_by(asker, now)

    async def _named(self, conversation_id: str) -> Found:
        chat = await self._conversations.find(conversation_id)
        return InHand(chat) if chat is not None and holds_meeting(chat) else NoneFound()

    async def _chaired_by(self, asker: Asker, now: datetime) -> Found:
        sessions = await self._records.recent_sessions(started_after=now - self._kept_for, limit=LOOKED_AT)
        running = [session for session in sessions if _running(session, now)]
        chaired = await self._chaired(asker, running, invited_counts=True)
        if len(chaired) == 1:
            return InHand(chaired[0][0])
        if chaired:
            candidates = [await self._candidate(chat, session, now) for chat, session in chaired]
            return Choose(tuple(sorted(candidates, key=lambda candidate: candidate.started_at)))
        for ended in (session for session in sessions if not _running(session, now)):
            # A conference over is one the chair joined: its record says so without asking Teams, so looking back
            # through many costs a non-chair's question nothing but the database.
            found = await self._chaired(asker, [ended], invited_counts=False)
            if found:
                return InHand(found[0][0])
        return NoneFound()

    async def _chaired(
        self, asker: Asker, sessions: list[MeetingSession], *, invited_counts: bool
    ) -> list[tuple[ConversationAddress, MeetingSession]]:
        """Those of `sessions` the asker is in (joined, or with `invited_counts` invited) and chairs, with their
        conversations."""
        limit = asyncio.Semaphore(_AT_ONCE)

        async def chaired(session: MeetingSession) -> tuple[ConversationAddress, MeetingSession] | None:
            async with limit:
                chat = await self._conversations.find(session.conversation_id)
                if chat is None or not holds_meeting(chat):
                    return None
                if not await self._is_in(asker, chat, session, invited_counts):
                    return None
                if not await self._check.chairs(chat, asker):
                    return None
                return chat, session

        found = await asyncio.gather(*(chaired(session) for session in sessions))
        return [pair for pair in found if pair is not None]

    async def _is_in(
        self, asker: Asker, chat: ConversationAddress, session: MeetingSession, invited_counts: bool
    ) -> bool:
        me = (asker.aad_object_id or "").lower()
        if not me:
            return False
        if any(event.aad_object_id.lower() == me for event in await self._records.attendance(session.id)):
            return True
        return invited_counts and me in await self._people.members(chat)

    async def _candidate(self, chat: ConversationAddress, session: MeetingSession, now: datetime) -> Candidate:
        members = await self._people.members(chat)
        agencies = self._agencies.assess((member.email, member.tenant_id) for member in members.values())
        return Candidate(chat, session.started_at, len(agencies.represented))


def _running(session: MeetingSession, now: datetime) -> bool:
    return session.ended_at is None and now - session.started_at <= STALE_AFTER
