"""Word that something a chair's side panel shows has changed in a conference (someone joined or left, the log was
written), so that open panels on this instance redraw at once instead of at their next look.

A panel takes a `mark()` before it draws and waits `since` it: a change that lands between the drawing and the
waiting is not missed. Only this instance hears of its own changes: one that reaches another instance sharing the
database shows at the panel's next look (`PANEL_RECHECK`), so a panel is never more than that behind.
"""

from __future__ import annotations

import asyncio
import itertools
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Final

REMEMBERED_CONFERENCES: Final = 10_000
"""Conferences whose latest change is remembered (the least recently changed are forgotten first; a panel on a
forgotten one simply waits for its next look)."""


@dataclass(slots=True)
class _Watch:
    event: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: int = 0


class ConferenceChanges:
    def __init__(self) -> None:
        self._watches: dict[str, _Watch] = {}
        self._sequence = itertools.count(1)
        self._latest = 0
        self._changed_at: OrderedDict[str, int] = OrderedDict()
        self._closed = False

    def mark(self) -> int:
        """Where things stand now: pass it to `wait` to hear of any change after it."""
        return self._latest

    def changed(self, conversation_id: str) -> None:
        """Wake everyone waiting on this conference (its meeting chat's id)."""
        self._latest = next(self._sequence)
        self._changed_at[conversation_id] = self._latest
        self._changed_at.move_to_end(conversation_id)
        while len(self._changed_at) > REMEMBERED_CONFERENCES:
            self._changed_at.popitem(last=False)
        watch = self._watches.pop(conversation_id, None)
        if watch is not None:
            watch.event.set()

    def close(self) -> None:
        """The bot is stopping: wake everyone now, and let no one wait again."""
        self._closed = True
        for watch in self._watches.values():
            watch.event.set()
        self._watches.clear()

    async def wait(self, conversation_id: str, seconds: float, *, since: int) -> bool:
        """Until the conference changes after `since` (True, at once if it already has) or `seconds` pass (False)."""
        if self._closed or self._changed_at.get(conversation_id, 0) > since:
            return True
        watch = self._watches.setdefault(conversation_id, _Watch())
        watch.waiting += 1
        try:
            async with asyncio.timeout(seconds):
                await watch.event.wait()
        except TimeoutError:
            return False
        finally:
            watch.waiting -= 1
            if watch.waiting == 0 and self._watches.get(conversation_id) is watch:
                del self._watches[conversation_id]
        return True

    @property
    def watched(self) -> int:
        """How many conferences someone is waiting on."""
        return len(self._watches)
