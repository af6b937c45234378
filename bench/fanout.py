"""Reminder fan-out: 16,000 reminders fall due at once (2,000 conferences on one morning: each meeting chat's card and
seven invitees' join-early warnings), sent through a connector that answers 429 above 50 messages a second overall
and 7 a second to one conversation. Once straight through, once with the bot killed (SIGKILL) halfway and
restarted. Everything goes through the bot's own stores; the bot is the real `python app.py` on PostgreSQL."""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bench.connector import BenchConnector
from bench.identities import BOT_ID, TENANT_ID
from bench.processes import Contender, start_bot
from bot.domain.conferences import AttendeeType, Conference, ConferenceKind, Invitee
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.outbox import ReminderStatus
from bot.domain.reminders import MEETING_CHAT_RECIPIENT, PlannedReminder, ReminderKind
from bot.store.conferences import SqlConferences
from bot.store.conversations import SqlConversationDirectory
from bot.store.database import create_engine, migrate_to_latest, session_factory
from bot.store.models import ReminderRecord
from bot.store.reminders import SqlReminderOutbox
from harness.waiting import wait_until

SEEDED_FROM = "bench-seed@example-council.gov.uk"
"""The calendar the conferences are filed under: not one the bot syncs, so its (empty) sync leaves them be."""
SYNCED_MAILBOX = "bench-empty@example-council.gov.uk"
CONFERENCES = 2_000
INVITEES_EACH = 7
PEOPLE = 500
MARKER = rb"bench-meet-\d+"
OVERALL_PER_SECOND = 50
PER_CONVERSATION_PER_SECOND = 7


@dataclass(frozen=True, slots=True)
class FanOutRun:
    reminders: int
    killed_after: int | None
    seconds: float
    delivered: int
    unique: int
    throttled: int
    settled_sent: int
    peak_rss_mib: float

    @property
    def ideal_seconds(self) -> float:
        return self.reminders / OVERALL_PER_SECOND

    @property
    def duplicates(self) -> int:
        return self.delivered - self.unique

    @property
    def lost(self) -> int:
        return self.reminders - self.unique


def bench_connector() -> BenchConnector:
    return BenchConnector(
        overall_per_second=OVERALL_PER_SECOND,
        per_conversation_per_second=PER_CONVERSATION_PER_SECOND,
        marker_pattern=MARKER,
    )


def _person(number: int) -> dict[str, Any]:
    return {
        "id": f"29:bench-person-{number}",
        "aadObjectId": f"00000000-0000-4000-9000-{number:012d}",
        "name": f"Person {number}",
        "email": f"person{number}@agency.example.org",
        "userPrincipalName": f"person{number}@agency.example.org",
        "tenantId": TENANT_ID,
    }


def _chat(number: int) -> str:
    return f"19:meeting_fanout{number:06d}@thread.v2"


async def seed(database_url: str, connector: BenchConnector, service_url: str, *, conferences: int, seed: int) -> int:
    """The conferences, their meeting chats and their reminders, all due now; returns how many reminders."""
    engine = create_engine(database_url)
    try:
        await migrate_to_latest(engine)
        sessions = session_factory(engine)
        conversations, stored, outbox = (
            SqlConversationDirectory(sessions),
            SqlConferences(sessions),
            SqlReminderOutbox(sessions),
        )
        now = datetime.now(UTC)
        start = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
        choose = random.Random(seed)
        at_once = asyncio.Semaphore(16)

        async def one(number: int) -> None:
            people = choose.sample(range(PEOPLE), INVITEES_EACH)
            connector.members[_chat(number)] = [_person(person) for person in people]
            invitees = tuple(
                Invitee(f"person{person}@agency.example.org", f"Person {person}", AttendeeType.REQUIRED)
                for person in people
            )
            conference = Conference(
                key=f"bench-uid-{number}",
                kind=ConferenceKind.INITIAL,
                start=start,
                end=start + timedelta(hours=1, minutes=30),
                join_url=f"https://teams.microsoft.com/l/meetup-join/bench-meet-{number}",
                organiser=None,
                invitees=invitees,
                chat_id=_chat(number),
            )
            planned = [PlannedReminder(ReminderKind.MEETING_CHAT, MEETING_CHAT_RECIPIENT, now, start)] + [
                PlannedReminder(ReminderKind.JOIN_EARLY, invitee.email, now, start) for invitee in invitees
            ]
            async with at_once:
                await conversations.remember(
                    ConversationAddress(
                        conversation_id=_chat(number),
                        channel_id="msteams",
                        service_url=service_url,
                        kind=ConversationKind.MEETING_CHAT,
                        bot_id=BOT_ID,
                        tenant_id=TENANT_ID,
                        meeting_id=f"MCMxOTpt-fanout-{number}",
                    )
                )
                conference_id = await stored.save(SEEDED_FROM, f"event-{number}", conference, now)
                await outbox.reconcile(conference_id, planned, now)

        await asyncio.gather(*(one(number) for number in range(conferences)))
        return conferences * (1 + INVITEES_EACH)
    finally:
        await engine.dispose()


async def _count(engine: AsyncEngine, *statuses: ReminderStatus) -> int:
    """Reminders in the outbox with one of these statuses."""
    async with session_factory(engine)() as session:
        counted = await session.scalar(
            select(func.count()).where(ReminderRecord.status.in_([status.value for status in statuses]))
        )
        return int(counted or 0)


def bot_settings(database_url: str, graph_url: str) -> dict[str, str]:
    return {
        "DATABASE_URL": database_url,
        "CALENDAR_MAILBOXES": SYNCED_MAILBOX,
        "GRAPH_BASE_URL": graph_url,
        "CALENDAR_SYNC_INTERVAL_SECONDS": "3600",
        "REMINDER_SEND_INTERVAL_SECONDS": "1",
    }


async def run_fan_out(
    database_url: str,
    graph_url: str,
    connector: BenchConnector,
    service_url: str,
    workdir: Path,
    *,
    conferences: int = CONFERENCES,
    kill_after: int | None,
    within: float,
) -> FanOutRun:
    reminders = await seed(database_url, connector, service_url, conferences=conferences, seed=kill_after or 0)
    before = len(connector.arrivals)
    throttled_before = connector.throttled

    def delivered_so_far() -> int:
        return len(connector.arrivals) - before

    outbox = create_engine(database_url)
    bot: Contender = await start_bot("fan-out", workdir / "first", **bot_settings(database_url, graph_url))
    started = time.perf_counter()
    peak = 0.0
    try:
        if kill_after is not None:

            async def halfway() -> bool:
                return delivered_so_far() >= kill_after

            await wait_until(halfway, within=within, interval=0.05, what=f"{kill_after} reminders delivered")
            # A crash comes at any moment, not just as a message arrives: up to a second more, at random.
            await asyncio.sleep(random.Random(kill_after).random())
            peak = bot.peak_rss_mib()
            bot.process.kill()
            bot.process.wait(timeout=10)
            bot = await start_bot("fan-out", workdir / "restarted", **bot_settings(database_url, graph_url))

        async def all_settled() -> bool:
            return await _count(outbox, ReminderStatus.PENDING, ReminderStatus.SENDING) == 0

        await wait_until(all_settled, within=within, interval=0.5, what="every reminder settled")
        finished = max((arrival.at for arrival in connector.arrivals[before:]), default=time.perf_counter())
        peak = max(peak, bot.peak_rss_mib())
        sent = await _count(outbox, ReminderStatus.SENT)
    finally:
        bot.stop()
        await outbox.dispose()
    arrivals = connector.arrivals[before:]
    distinct = {(arrival.conversation_id, arrival.marker) for arrival in arrivals}
    return FanOutRun(
        reminders=reminders,
        killed_after=kill_after,
        seconds=finished - started,
        delivered=len(arrivals),
        unique=len(distinct),
        throttled=connector.throttled - throttled_before,
        settled_sent=sent,
        peak_rss_mib=peak,
    )
