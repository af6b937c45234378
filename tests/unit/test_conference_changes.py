"""Open side panels hear of a conference's changes: at once while waiting, and of one that landed between their
drawing and their waiting; never of another conference's; all at once when the bot stops."""

from __future__ import annotations

import asyncio

from bot.usecases.conference_changes import ConferenceChanges
from harness.waiting import wait_until


async def _watching(changes: ConferenceChanges, conferences: int) -> bool:
    return changes.watched >= conferences


async def test_a_waiting_panel_wakes_when_its_conference_changes() -> None:
    changes = ConferenceChanges()
    waiting = asyncio.create_task(changes.wait("chat-a", 30, since=changes.mark()))
    await wait_until(lambda: _watching(changes, 1), within=5, interval=0, what="the panel waiting")
    changes.changed("chat-a")
    assert await asyncio.wait_for(waiting, 5) is True
    assert changes.watched == 0


async def test_a_change_between_drawing_and_waiting_is_not_missed() -> None:
    changes = ConferenceChanges()
    mark = changes.mark()
    changes.changed("chat-a")
    assert await asyncio.wait_for(changes.wait("chat-a", 30, since=mark), 5) is True


async def test_another_conference_changing_does_not_wake_it() -> None:
    changes = ConferenceChanges()
    mark = changes.mark()
    changes.changed("chat-b")
    assert await changes.wait("chat-a", 0.05, since=mark) is False
    assert changes.watched == 0, "a wait that ends leaves nothing behind"


async def test_stopping_wakes_everyone_and_lets_no_one_wait() -> None:
    changes = ConferenceChanges()
    waits = [asyncio.create_task(changes.wait(f"chat-{n}", 30, since=changes.mark())) for n in range(3)]
    await wait_until(lambda: _watching(changes, 3), within=5, interval=0, what="the panels waiting")
    changes.close()
    assert await asyncio.wait_for(asyncio.gather(*waits), 5) == [True, True, True]
    assert await changes.wait("chat-x", 30, since=changes.mark()) is True
