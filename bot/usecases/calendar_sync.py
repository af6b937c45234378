"""Keeps the store's conferences in step with the configured mailboxes' calendars, and the outbox with them.

Each round resumes every mailbox from its delta link. Once a day (and whenever Graph no longer accepts the link) the
window is read afresh: the window of a delta link is fixed when it is first asked for, and a fresh read also catches
any removal a lost round missed. Whatever a round touches is re-planned at once: reschedules move pending reminders,
cancellations cancel them.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta

from bot.domain.conferences import (
    CalendarChanges,
    ConferenceRecogniser,
    SyncPosition,
    chat_id_from_join_url,
    has_foreign_link,
)
from bot.domain.reminders import ReminderPolicy, plan_reminders
from bot.telemetry.recording import span
from bot.telemetry.vocabulary import Attribute, SpanName
from bot.usecases.port_errors import CalendarUnavailableError, SyncRestartNeededError
from bot.usecases.ports import CalendarSource, ConferenceStore, MeetingChatFinder, ReminderOutbox, WorkLease

logger = logging.getLogger(__name__)

FRESH_WINDOW_AFTER = timedelta(days=1)
SYNC_LEASE = "calendar-sync"


class OneInstance:
    """The lease that keeps the sync to one instance at a time: `holder` names this instance; the lease lasts a few
    sync intervals, so it lapses soon after its holder stops."""

    def __init__(self, lease: WorkLease, holder: str, interval: timedelta) -> None:
        self.lease = lease
        self.holder = holder
        self.lasting = max(3 * interval, timedelta(minutes=2))

    async def turn(self, now: datetime) -> bool:
        return await self.lease.acquire(SYNC_LEASE, self.holder, now, lasting=self.lasting)

    async def step_down(self) -> None:
        """Stopping cleanly: hand the sync over at once (a restarted instance has a new name)."""
        await self.lease.release(SYNC_LEASE, self.holder)


class CalendarSync:
    def __init__(
        self,
        *,
        mailboxes: Sequence[str],
        source: CalendarSource,
        chats: MeetingChatFinder | None,
        store: ConferenceStore,
        outbox: ReminderOutbox,
        recogniser: ConferenceRecogniser,
        policy: ReminderPolicy,
        horizon: timedelta,
        one_instance: OneInstance | None = None,
    ) -> None:
        self._one_instance = one_instance
        self._mailboxes = mailboxes
        self._source = source
        self._chats = chats
        self._store = store
        self._outbox = outbox
        self._recogniser = recogniser
        self._policy = policy
        self._horizon = horizon

    async def stop(self) -> None:
        if self._one_instance is not None:
            await self._one_instance.step_down()

    async def run_once(self, now: datetime) -> None:
        with span(SpanName.CALENDAR_SYNC, {Attribute.MAILBOXES: len(self._mailboxes)}) as round_:
            if self._one_instance is not None and not await self._one_instance.turn(now):
                logger.debug("calendar sync left to the instance holding the lease")
                round_.set({Attribute.SKIPPED: True})
                return
            failed = changed = 0
            for number, mailbox in enumerate(self._mailboxes, start=1):
                # Logs name mailboxes by their place in CALENDAR_MAILBOXES: addresses are people's names.
                try:
                    touched = await self.sync_mailbox(mailbox, now)
                except CalendarUnavailableError as problem:
                    logger.warning("calendar sync failed mailbox=#%d reason=%s", number, problem)
                    failed += 1
                    continue
                changed += touched
                logger.info("calendar synced mailbox=#%d conferences_changed=%d", number, touched)
            round_.set(
                {Attribute.MAILBOXES_FAILED: failed, Attribute.CONFERENCES_CHANGED: changed, Attribute.SKIPPED: False}
            )
            if failed:
                round_.failed("mailbox unreadable")

    async def sync_mailbox(self, mailbox: str, now: datetime) -> int:
        position = await self._store.position(mailbox)
        fresh = position is None or position.delta_link is None or now - position.window_start >= FRESH_WINDOW_AFTER
        window = (
            (now, now + self._horizon) if fresh or position is None else (position.window_start, position.window_end)
        )
        try:
            changes = await self._source.changes(
                mailbox, delta_link=None if fresh or position is None else position.delta_link, window=window
            )
        except SyncRestartNeededError:
            fresh, window = True, (now, now + self._horizon)
            changes = await self._source.changes(mailbox, delta_link=None, window=window)
        touched = await self._apply(mailbox, changes, fresh=fresh, window_start=window[0], now=now)
        for conference_id in sorted(touched):
            await self._replan(conference_id, now)
        await self._store.save_position(mailbox, SyncPosition(changes.delta_link, *window), now)
        return len(touched)

    async def _apply(
        self, mailbox: str, changes: CalendarChanges, *, fresh: bool, window_start: datetime, now: datetime
    ) -> set[int]:
        removed = set(changes.removed)
        if fresh:
            # A fresh read lists everything in the window: what the bot knew there and is not listed has gone.
            seen = {event.event_id for event in changes.events}
            removed |= await self._store.event_ids(mailbox, starting_from=window_start) - seen
        touched: set[int] = set()
        for event in changes.events:
            conference = self._recogniser.conference(event)
            if conference is None and has_foreign_link(event) and self._recogniser.kind_of(event) is not None:
                logger.warning(
                    "calendar event not treated as a conference: its join link is not a Teams meeting link event=%s",
                    event.event_id,
                )
            if conference is None:
                # Not (or no longer) a conference: a category or subject changed, or it never was one.
                if (forgotten := await self._store.forget(mailbox, event.event_id, now)) is not None:
                    touched.add(forgotten)
                continue
            conference = replace(conference, chat_id=chat_id_from_join_url(conference.join_url))
            touched.add(await self._store.save(mailbox, event.event_id, conference, now))
        for event_id in removed:
            if (forgotten := await self._store.forget(mailbox, event_id, now)) is not None:
                touched.add(forgotten)
        return touched

    async def _replan(self, conference_id: int, now: datetime) -> None:
        stored = await self._store.conference(conference_id)
        if stored is None:
            return
        conference = stored.conference
        if conference.chat_id is None and conference.join_url and conference.organiser and self._chats:
            try:
                chat_id = await self._chats.chat_id(conference.organiser.email, conference.join_url)
            except CalendarUnavailableError as problem:
                logger.warning("meeting chat look-up failed conference=%d reason=%s", conference_id, problem)
            else:
                if chat_id:
                    await self._store.set_chat(conference_id, chat_id)
        await self._outbox.reconcile(conference_id, plan_reminders(conference, self._policy), now)
