"""The interfaces the use cases need from the outside world; `bot/store`, `bot/teams` and `bot/graph` implement them."""

from __future__ import annotations

from typing import Protocol

from bot.domain.conversations import ConversationAddress


class ConversationDirectory(Protocol):
    """Where the bot remembers the conversations it has seen, so it can post into them later."""

    async def remember(self, address: ConversationAddress) -> None: ...

    async def find(self, conversation_id: str) -> ConversationAddress | None: ...
