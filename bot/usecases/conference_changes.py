"""Word that something a chair's side panel shows has changed in a conference (someone joined or left, the log was
written), so that open panels on this instance redraw at once instead of at their next look.

Only this instance hears it: a change that reaches another instance sharing the database shows at the panel's next
look (`PANEL_RECHECK`), so a panel is never more than that behind.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field


@dataclass(slots=True)
class _Watch:
    event: asyncio.Event = field(default_factory=asyncio.Event)
    waiting: int = 0


class ConferenceChanges:
    def __init__(self) -> None:
        self._watches: dict[str, _Watch] = {}
        self._closed = False

    def close(self) -> None:
        """The bot is stopping: wake everyone now, and let no one wait again."""
        self._closed = True
        for conversation_id in list(self._watches):
            self.changed(conversation_id)

    def changed(self, conversation_id: str) -> None:
        """Wake everyone waiting on this conference (its meeting chat's id)."""
        watch = self._watches.pop(conversation_id, None)
        if watch is not None:
            watch.event.set()

    async def wait(self, conversation_id: str, seconds: float) -> bool:
        """Until the conference changes (True) or `seconds` pass (False)."""
        if self._closed:
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
