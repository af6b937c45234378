"""Keeping the address of every conversation the bot sees, so later features can post into it proactively."""

from __future__ import annotations

import logging

from bot.domain.conversations import ConversationAddress
from bot.usecases.ports import ConversationDirectory

logger = logging.getLogger(__name__)


class ConversationRecorder:
    """Stores conversation addresses; skips the database write when nothing changed since this process last saw it."""

    def __init__(self, directory: ConversationDirectory, *, cache_size: int = 10_000) -> None:
        self._directory = directory
        self._recent: dict[str, ConversationAddress] = {}
        self._cache_size = cache_size

    async def saw(self, address: ConversationAddress) -> None:
        if self._recent.get(address.conversation_id) == address:
            return
        await self._directory.remember(address)
        if len(self._recent) >= self._cache_size:
            self._recent.pop(next(iter(self._recent)))
        self._recent[address.conversation_id] = address
        logger.debug("conversation remembered conversation=%s kind=%s", address.conversation_id, address.kind)
