"""The reminder outbox and its sender, on SQLite and PostgreSQL, sending through the real Teams client to a fake Bot
Connector: exactly once across restarts and instances, moved and cancelled with the conference, never late, and
patient with throttling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

import aiohttp
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.cli.main import main
from bot.domain.conferences import AttendeeType, Conference, ConferenceKind, Invitee
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.outbox import ABANDONED_CLAIM, MAX_ATTEMPTS, Delivery, ReminderStatus
from bot.domain.reminders import ReminderKind, plan_reminders
from bot.store.conferences import SqlConferences
from bot.store.conversations import SqlConversationDirectory
from bot.store.database import session_factory
from bot.store.reminders import SqlReminderOutbox
from bot.store.retention import SqlRetention
from bot.teams.connector_api import TeamsConnectorApi
from bot.teams.connector_http import ConnectorHttp
from bot.teams.connector_tokens import ConnectorTokens
from bot.usecases import reminder_sender
from bot.usecases.reminder_sender import ChairReminding, ReminderSender
from harness.waiting import wait_until
from tests.conftest import SettingsFactory
from tests.support.activities import BOT_ID, TENANT_ID
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.reminder_policy import chair_reminding, policy_for, without_chairs_reminders
from tests.support.sample_cards import REMINDERS

CHAT = "19:meeting_outbox0000000000@thread.v2"
START = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk", has_app=False)
POLICY = policy_for("@example-council.gov.uk", ".police.uk")
CONFERENCE = Conference(
    key="uid-outbox",
    kind=ConferenceKind.INITIAL,
    start=START,
    end=START + timedelta(hours=2),
    join_url=None,
    organiser=Invitee(CHAIR.email, CHAIR.name, AttendeeType.REQUIRED),
    invitees=(
        Invitee(SOCIAL_WORKER.email, SOCIAL_WORKER.name, AttendeeType.REQUIRED),
        Invitee(POLICE.email, POLICE.name, AttendeeType.REQUIRED),
    ),
    chat_id=CHAT,
)
JOIN_EARLY_AT = START - timedelta(minutes=15)


@dataclass
class Outbox:
    conferences: SqlConferences
    outbox: SqlReminderOutbox
    connector: FakeConnector
    sender: ReminderSender
    teams: TeamsConnectorApi
    conversations: SqlConversationDirectory
    reports: ChairReminding

    def another_sender(self) -> ReminderSender:
        """A second instance of the bot (or the same after a restart): same database, same Teams."""
        return _sender(self.outbox, self.conferences, self.conversations, self.teams, self.reports)

    async def plan(self, conference: Conference = CONFERENCE, now: datetime = START - timedelta(days=7)) -> int:
        conference_id = await self.conferences.save("mailbox@example-council.gov.uk", "event-1", conference, now)
        stored = await self.conferences.conference(conference_id)
        assert stored is not None
        await self.outbox.reconcile(
            conference_id, without_chairs_reminders(plan_reminders(stored.conference, POLICY)), now
        )
        return conference_id

    async def statuses(self) -> dict[tuple[str, str], ReminderStatus]:
        return {(e.kind.value, e.recipient): e.status for e in await self.outbox.entries()}


def _sender(
    outbox: SqlReminderOutbox,
    conferences: SqlConferences,
    conversations: SqlConversationDirectory,
    teams: TeamsConnectorApi,
    reports: ChairReminding,
) -> ReminderSender:
    return ReminderSender.assemble(
        outbox=outbox,
        conferences=conferences,
        conversations=conversations,
        teams=teams,
        policy=POLICY,
        wording=REMINDERS,
        reports=reports,
    )


@pytest.fixture
async def world(
    engine: AsyncEngine, fake_connector: tuple[FakeConnector, str], make_settings: SettingsFactory
) -> AsyncIterator[Outbox]:
    connector, service_url = fake_connector
    connector.add_meeting(FakeMeeting("meeting-outbox", CHAT, [CHAIR, SOCIAL_WORKER, POLICE], organizer=CHAIR))
    sessions = session_factory(engine)
    conversations = SqlConversationDirectory(sessions)
    await conversations.remember(
        ConversationAddress(
            CHAT, "msteams", service_url, ConversationKind.MEETING_CHAT, BOT_ID, TENANT_ID, "meeting-outbox"
        )
    )
    conferences, outbox = SqlConferences(sessions), SqlReminderOutbox(sessions)
    async with aiohttp.ClientSession() as session:
        teams = TeamsConnectorApi(ConnectorHttp(session, timeout=2.0), ConnectorTokens(make_settings()))
        reports = chair_reminding(sessions, teams, POLICY)
        yield Outbox(
            conferences,
            outbox,
            connector,
            _sender(outbox, conferences, conversations, teams, reports),
            teams,
            conversations,
            reports,
        )


async def test_each_reminder_goes_once_at_its_time_and_not_before(world: Outbox) -> None:
    await world.plan()
    await world.sender.run_once(JOIN_EARLY_AT - timedelta(seconds=1))
    assert world.connector.sent == []
    await world.sender.run_once(JOIN_EARLY_AT)
    sent_to = sorted(s.conversation_id for s in world.connector.sent)  # sent at once: in either order
    assert sent_to == sorted([CHAT, f"a:personal-{SOCIAL_WORKER.aad_object_id}"])
    await world.sender.run_once(JOIN_EARLY_AT + timedelta(minutes=1))
    await world.another_sender().run_once(JOIN_EARLY_AT + timedelta(minutes=2))
    assert len(world.connector.sent) == 2, "nothing twice, whichever instance looks"
    statuses = await world.statuses()
    assert statuses[("meeting-chat", "")] is ReminderStatus.SENT
    assert statuses[("join-early", SOCIAL_WORKER.email)] is ReminderStatus.SENT
    assert statuses[("join-early", POLICE.email)] is ReminderStatus.FAILED, "no app: Teams answers 403"


async def test_the_pre_meeting_card_mentions_the_invitees_in_the_chat(world: Outbox) -> None:
    await world.plan()
    await world.sender.run_once(JOIN_EARLY_AT)
    [card] = world.connector.sent_to(CHAT)[0].cards
    entities = card["msteams"]["entities"]
    assert {entity["mentioned"]["id"] for entity in entities} == {SOCIAL_WORKER.teams_user_id, POLICE.teams_user_id}


async def test_a_send_interrupted_by_a_crash_is_taken_over_later_not_at_once(world: Outbox) -> None:
    await world.plan()
    [chat_card] = [e for e in await world.outbox.entries() if e.kind is ReminderKind.MEETING_CHAT]
    assert await world.outbox.claim(chat_card, JOIN_EARLY_AT), "an instance claimed it, then stopped"
    await world.another_sender().run_once(JOIN_EARLY_AT + timedelta(minutes=1))
    assert world.connector.sent_to(CHAT) == [], "a fresh claim is left to its instance"
    await world.another_sender().run_once(JOIN_EARLY_AT + ABANDONED_CLAIM + timedelta(seconds=1))
    assert len(world.connector.sent_to(CHAT)) == 1, "an abandoned claim is taken over"
    assert (await world.statuses())[("meeting-chat", "")] is ReminderStatus.SENT


async def test_two_instances_sending_at_once_send_each_reminder_once(world: Outbox) -> None:
    await world.plan()
    senders = [world.another_sender() for _ in range(4)]
    await asyncio.gather(*(sender.run_once(JOIN_EARLY_AT) for sender in senders))
    assert len(world.connector.sent) == 2


async def test_a_rescheduled_conference_moves_what_is_pending_and_keeps_what_was_sent(world: Outbox) -> None:
    conference_id = await world.plan()
    report_at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Thursday 3rd: due Tuesday 1st, reminded Monday 30th
    await world.sender.run_once(report_at)
    assert len(world.connector.sent_privately_to(SOCIAL_WORKER)) == 1
    later = replace(CONFERENCE, start=START + timedelta(days=7), end=START + timedelta(days=7, hours=2))
    await world.plan(later, now=report_at + timedelta(hours=1))
    entries = {(e.kind, e.recipient): e for e in await world.outbox.entries(conference_id=conference_id)}
    assert entries[(ReminderKind.MEETING_CHAT, "")].due_at == later.start - timedelta(minutes=15)
    assert entries[(ReminderKind.REPORT_DUE, SOCIAL_WORKER.email)].status is ReminderStatus.SENT
    await world.sender.run_once(JOIN_EARLY_AT)
    assert world.connector.sent_to(CHAT) == [], "not at the old time"


async def test_a_cancelled_conference_sends_nothing_more(world: Outbox) -> None:
    conference_id = await world.plan()
    await world.conferences.forget("mailbox@example-council.gov.uk", "event-1", START - timedelta(days=1))
    stored = await world.conferences.conference(conference_id)
    assert stored is not None
    assert stored.conference.cancelled
    await world.outbox.reconcile(conference_id, plan_reminders(stored.conference, POLICY), START - timedelta(days=1))
    await world.sender.run_once(START + timedelta(days=1))
    assert world.connector.sent == []
    assert set((await world.statuses()).values()) == {ReminderStatus.CANCELLED}


async def test_nothing_is_sent_once_the_conference_has_started(world: Outbox) -> None:
    await world.plan()
    await world.sender.run_once(START + timedelta(seconds=1))  # the bot was down until just after the start
    assert [s for s in world.connector.sent if "starts at" in str(s.body)] == []
    statuses = await world.statuses()
    assert statuses[("meeting-chat", "")] is ReminderStatus.EXPIRED
    assert statuses[("join-early", SOCIAL_WORKER.email)] is ReminderStatus.EXPIRED


async def test_throttling_waits_as_long_as_teams_asks_and_gives_up_after_bounded_tries(world: Outbox) -> None:
    await world.plan(replace(CONFERENCE, invitees=()))
    world.connector.throttle_sends = [60]  # longer than the bot waits within one call
    await world.sender.run_once(JOIN_EARLY_AT)
    [entry] = [e for e in await world.outbox.entries() if e.kind is ReminderKind.MEETING_CHAT]
    assert (entry.status, entry.attempts) == (ReminderStatus.PENDING, 1)
    await world.sender.run_once(JOIN_EARLY_AT + timedelta(seconds=59))
    assert world.connector.sent == [], "not before Retry-After"
    await world.sender.run_once(JOIN_EARLY_AT + timedelta(seconds=61))
    assert len(world.connector.sent) == 1

    await world.plan(replace(CONFERENCE, key="uid-other", invitees=(), start=START + timedelta(hours=3)))
    world.connector.throttle_sends = [60] * 100
    moment = START + timedelta(hours=3) - timedelta(minutes=15)
    for _ in range(MAX_ATTEMPTS + 2):
        await world.sender.run_once(moment)
        moment += timedelta(minutes=2)
    [other] = [e for e in await world.outbox.entries() if e.conference_id != entry.conference_id]
    assert other.status is ReminderStatus.FAILED
    assert other.attempts == MAX_ATTEMPTS
    assert (other.reason or "").startswith(f"gave up after {MAX_ATTEMPTS} tries")


async def test_the_purge_removes_calendar_conferences_ended_before_the_retention_limit(
    world: Outbox, engine: AsyncEngine
) -> None:
    old = await world.plan()
    later = START + timedelta(days=40)
    recent = await world.plan(replace(CONFERENCE, key="uid-recent", start=later, end=later + timedelta(hours=2)))
    retention = SqlRetention(session_factory(engine))
    limit = CONFERENCE.end + timedelta(days=1)
    counted = await retention.purge(limit, dry_run=True)
    assert (counted.conferences, counted.reminders) == (1, 5)
    await retention.purge(limit)
    assert await world.conferences.conference(old) is None
    assert {e.conference_id for e in await world.outbox.entries()} == {recent}
    async with engine.connect() as connection:
        for table in ("conference_invitees", "calendar_entries"):
            rows = (await connection.exec_driver_sql(f"SELECT conference_id FROM {table}")).all()  # noqa: S608
            assert {row[0] for row in rows} <= {recent}, table


async def test_a_reminder_moved_later_while_being_picked_up_is_not_claimed(world: Outbox) -> None:
    await world.plan()
    [chat_card, *_] = [e for e in await world.outbox.due(JOIN_EARLY_AT) if e.kind is ReminderKind.MEETING_CHAT]
    later = replace(CONFERENCE, start=START + timedelta(hours=1), end=START + timedelta(hours=3))
    await world.plan(later, now=JOIN_EARLY_AT)  # the sync moves it between the look and the claim
    assert not await world.outbox.claim(chat_card, JOIN_EARLY_AT)
    await world.sender.run_once(JOIN_EARLY_AT)
    assert world.connector.sent_to(CHAT) == []


async def test_the_administrators_listing_shows_each_reminder_and_why(
    world: Outbox, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await world.plan()
    await world.sender.run_once(JOIN_EARLY_AT)
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert await asyncio.to_thread(main, ["reminders"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:4] == ["due", "kind", "status", "via"]
    chat_line = next(line for line in lines if "(meeting chat)" in line)
    assert chat_line.split()[:5] == ["2026-12-03", "09:45", "meeting-chat", "sent", "meeting-chat"]
    police_line = next(line for line in lines if POLICE.email in line and "join-early" in line)
    assert "failed" in police_line
    assert "(not reachable in Teams: they do not have the app (403); e-mail reminders are off)" in police_line
    assert lines[-1] == "2 sent, 1 failed, 2 expired", "the report reminders were due days before"
    assert await asyncio.to_thread(main, ["reminders", "--status", "failed"]) == 0
    only_failed = capsys.readouterr().out.splitlines()
    assert len(only_failed) == 3, "the heading, the one failed reminder, the counts"


async def test_one_round_reads_a_meeting_chats_members_once(world: Outbox) -> None:
    await world.plan()
    await world.sender.run_once(JOIN_EARLY_AT)  # the card and two invitees' reminders, all from one member list
    assert [call for call in world.connector.calls if call.endswith("/members")] == [
        f"GET /v3/conversations/{CHAT}/members"
    ]


async def test_a_backlog_is_sent_in_overlapping_rounds_each_reminder_once(
    world: Outbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A round that finds a full batch hands back at once (its sends still going) so the next can start; the round
    that finds the rest waits for everything in flight."""
    monkeypatch.setattr(reminder_sender, "BATCH", 2)
    await world.plan()
    assert await world.sender.run_once(JOIN_EARLY_AT) is True, "a full batch: more may be waiting"
    rounds = 1
    while await world.sender.run_once(JOIN_EARLY_AT):
        rounds += 1
        assert rounds < 10, "the backlog drains"
    statuses = await world.statuses()
    assert not any(status.open for status in statuses.values()), "nothing left in flight or pending"
    assert len(world.connector.sent) == 2, "the chat card and the one invitee Teams lets the bot reach, once each"


async def test_a_late_word_from_an_instance_whose_claim_was_taken_over_changes_nothing(world: Outbox) -> None:
    await world.plan()
    [chat_card] = [e for e in await world.outbox.entries() if e.kind is ReminderKind.MEETING_CHAT]
    assert await world.outbox.claim(chat_card, JOIN_EARLY_AT), "an instance claimed it, then hung"
    taken_over = JOIN_EARLY_AT + ABANDONED_CLAIM + timedelta(seconds=1)
    await world.another_sender().run_once(taken_over)
    late = await world.outbox.settle(chat_card, Delivery.retry("Teams timed out"), taken_over + timedelta(seconds=1))
    assert late is ReminderStatus.SENT, "the instance that took over has the last word"
    assert (await world.statuses())[("meeting-chat", "")] is ReminderStatus.SENT


async def test_a_send_still_going_when_the_bot_stops_is_put_back_for_the_next_instance(world: Outbox) -> None:
    await world.plan()
    world.connector.hold_sends = asyncio.Event()
    sending = asyncio.create_task(world.sender.run_once(JOIN_EARLY_AT))

    async def held_and_the_rest_settled() -> bool:
        sending = [e for e in await world.outbox.entries() if e.status is ReminderStatus.SENDING]
        return world.connector.sends_held == 2 and len(sending) == 2

    # (The police officer's reminder, which cannot reach them in Teams, settles on its own.)
    await wait_until(held_and_the_rest_settled, within=10, what="two reminders held by Teams, the rest settled")
    held = {e.id for e in await world.outbox.entries() if e.status is ReminderStatus.SENDING}
    await world.sender.stop(within=0.1)
    await asyncio.wait_for(sending, timeout=5)
    put_back = [e for e in await world.outbox.entries() if e.id in held]
    assert {e.status for e in put_back} == {ReminderStatus.PENDING}
    assert {e.attempts for e in put_back} == {0}, "a put-back send is not counted as a try"

    world.connector.hold_sends.set()
    world.connector.hold_sends = None
    world.connector.sent.clear()
    await world.another_sender().run_once(JOIN_EARLY_AT + timedelta(seconds=1))
    assert len(world.connector.sent) == 2, "taken at once by the next instance, not after the claim would lapse"


async def test_putting_back_a_claim_another_instance_took_over_changes_nothing(world: Outbox) -> None:
    await world.plan()
    [entry, *_] = await world.outbox.due(JOIN_EARLY_AT)
    assert await world.outbox.claim(entry, JOIN_EARLY_AT)
    later = JOIN_EARLY_AT + ABANDONED_CLAIM + timedelta(seconds=1)
    [abandoned] = [e for e in await world.outbox.due(later) if e.id == entry.id]
    assert await world.outbox.claim(abandoned, later)
    assert not await world.outbox.release(entry, later)
    [current] = [e for e in await world.outbox.entries() if e.id == entry.id]
    assert (current.status, current.attempts) == (ReminderStatus.SENDING, 2)
