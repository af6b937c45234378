"""A meeting's chat members and details, remembered for a short while: for the chairs' side panels, which redraw
often, so that fifty open panels do not become fifty calls to Teams for every join.

A participant's role is never remembered (the organiser can change it); names of people who join come from the join
events themselves, so a member list a minute old loses nothing the panel shows.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Final, Generic, TypeVar

from bot.domain.conversations import ConversationAddress
from bot.domain.roster import ChatMember, MeetingInfo, MeetingParticipation
from bot.usecases.ports import MeetingDirectory

REMEMBERED_FOR: Final = 60.0
"""Seconds a meeting's member list and details are reused."""
REMEMBERED_MEETINGS: Final = 256
"""At most this many meetings are remembered (the least recently used go first)."""

_T = TypeVar("_T")


class _Remembered(Generic[_T]):
    def __init__(self, seconds: float, limit: int, monotonic: Callable[[], float]) -> None:
        self._seconds = seconds
        self._limit = limit
        self._monotonic = monotonic
        self._values: OrderedDict[str, tuple[float, _T]] = OrderedDict()

    async def get(self, key: str, ask: Callable[[], Awaitable[_T]]) -> _T:
        now = self._monotonic()
        found = self._values.get(key)
        if found is not None and now - found[0] < self._seconds:
            self._values.move_to_end(key)
            return found[1]
        value = await ask()  # a failure is not remembered: the next look asks again
        self._values[key] = (now, value)
        self._values.move_to_end(key)
        while len(self._values) > self._limit:
            self._values.popitem(last=False)
        return value


class CachingDirectory:
    def __init__(
        self,
        directory: MeetingDirectory,
        *,
        seconds: float = REMEMBERED_FOR,
        limit: int = REMEMBERED_MEETINGS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._directory = directory
        self._members: _Remembered[tuple[ChatMember, ...]] = _Remembered(seconds, limit, monotonic)
        self._details: _Remembered[MeetingInfo] = _Remembered(seconds, limit, monotonic)

    async def participation(self, chat: ConversationAddress, aad_object_id: str) -> MeetingParticipation:
        return await self._directory.participation(chat, aad_object_id)

    async def meeting_info(self, chat: ConversationAddress) -> MeetingInfo:
        return await self._details.get(chat.conversation_id, lambda: self._directory.meeting_info(chat))

    async def chat_members(self, chat: ConversationAddress) -> tuple[ChatMember, ...]:
        return await self._members.get(chat.conversation_id, lambda: self._directory.chat_members(chat))
