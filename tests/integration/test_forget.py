"""`python -m bot forget`, on SQLite and PostgreSQL: after a conference (attendance, logged disconnections with
notes, a refused chair command, private chats) and calendar invitations with reminders, one person is forgotten:
nothing in any table names them any more, everyone else's records are untouched, and the command says what it did."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import select

from bot.cli.main import main
from bot.domain.conferences import AttendeeType, Conference, ConferenceKind, Invitee
from bot.domain.reminders import plan_reminders
from bot.store.conferences import SqlConferences
from bot.store.database import session_factory
from bot.store.models import Base
from bot.store.reminders import SqlReminderOutbox
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import conference_running, post_activity
from tests.support.card_reading import card_objects
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.reminder_policy import policy_for

Client = TestClient[web.Request, web.Application]
CHAIR = FakePerson("aad-chair-0001", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
NURSE = FakePerson("aad-nurse-0002", "Chris Lee", "chris.lee@nhs.net")
POLICE = FakePerson("aad-police-0003", "Jo Evans", "jo.evans@example.police.uk")
NOTE = "signal lost near Chris's home"
NOTE_NAMING_THEM = "chris lee phoned to say Jo lost signal"
START = datetime.now(UTC) + timedelta(days=3)


@pytest.fixture
async def client(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    database_url: str,
) -> Client:
    connector, service_url = fake_connector
    everyone = [CHAIR, NURSE, POLICE]
    connector.add_meeting(FakeMeeting(MEETING_ID, CONVERSATION_IDS["meetingChat"], everyone, organizer=CHAIR))
    client = await aiohttp_client(create_app(make_settings(database_url=database_url)))
    await conference_running(client, service_url, everyone)
    for text, sender, scope in [
        (f"/log-disconnect Chris Lee now {NOTE}", CHAIR, "meetingChat"),
        (f"/log-disconnect Jo Evans now {NOTE_NAMING_THEM}", CHAIR, "meetingChat"),
        ("/summary", NURSE, "meetingChat"),
        ("/expectations", NURSE, "personal"),
        ("/expectations", CHAIR, "personal"),
    ]:
        payload = activities.message(text, service_url=service_url, scope=scope, sender=sender)  # type: ignore[arg-type]
        if scope == "personal":
            payload["conversation"]["id"] = f"a:personal-{sender.aad_object_id}"
        await post_activity(client, payload)
    # Conferences in the calendar: one inviting the nurse, with reminders planned; one the nurse organised.
    sessions = session_factory(client.app[keys.DATABASE])
    conferences, outbox = SqlConferences(sessions), SqlReminderOutbox(sessions)
    policy = policy_for("@example-council.gov.uk", "nhs.net")
    for number, organiser, invited in [(1, CHAIR, NURSE), (2, NURSE, CHAIR)]:
        conference = Conference(
            key=f"uid-forget-{number}",
            kind=ConferenceKind.REVIEW,
            start=START,
            end=START + timedelta(hours=1),
            join_url=None,
            organiser=Invitee(organiser.email, organiser.name, AttendeeType.REQUIRED),
            invitees=(Invitee(invited.email, invited.name, AttendeeType.REQUIRED),),
            chat_id=None,
        )
        conference_id = await conferences.save("cp@example-council.gov.uk", f"event-{number}", conference, START)
        await outbox.reconcile(conference_id, plan_reminders(conference, policy), START - timedelta(days=7))
    return client


async def _everything_stored(client: Client) -> str:
    """Every value of every row of every table, as one text to search."""
    values: list[str] = []
    async with session_factory(client.app[keys.DATABASE])() as session:
        for table in Base.metadata.sorted_tables:
            for row in (await session.execute(select(table))).all():
                values.extend(str(value) for value in row)
    return "\n".join(values)


async def _forget(monkeypatch: pytest.MonkeyPatch, client: Client, *arguments: str) -> None:
    monkeypatch.setenv("DATABASE_URL", client.app[keys.SETTINGS].database_url)
    assert await asyncio.to_thread(main, ["forget", *arguments]) == 0


async def test_forgetting_a_person_leaves_nothing_that_names_them(
    client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await _everything_stored(client)
    for trace in (NURSE.aad_object_id, NURSE.name, NURSE.email, NOTE, NOTE_NAMING_THEM):
        assert trace in before, f"the test's data should hold {trace!r} before"

    await _forget(monkeypatch, client, "--user", NURSE.aad_object_id.upper(), "--email", NURSE.email)

    after = await _everything_stored(client)
    for trace in (NURSE.aad_object_id, NURSE.name, NURSE.email, NOTE, NOTE_NAMING_THEM):
        assert trace not in after
    for kept in (CHAIR.aad_object_id, CHAIR.name, CHAIR.email, POLICE.aad_object_id, POLICE.name):
        assert kept in after, "everyone else's records stay"
    said = capsys.readouterr().out
    assert "attendance_events: 1 row(s) anonymised" in said
    assert "reminders: 2 row(s) deleted" in said
    assert "disconnections: 1 row(s) anonymised" in said
    assert "disconnections (chair's notes naming them): 1 row(s) anonymised" in said
    assert "chair_audit: 1 row(s) anonymised" in said
    assert "conversations: 1 row(s) deleted" in said
    assert "conference_invitees: 1 row(s) deleted" in said
    assert "conferences (as organiser): 1 row(s) anonymised" in said
    assert "next calendar sync learns them again" in said


async def test_the_conference_record_still_adds_up_after_forgetting(
    client: Client, monkeypatch: pytest.MonkeyPatch, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await _forget(monkeypatch, client, "--user", NURSE.aad_object_id)
    await post_activity(
        client, activities.message("/summary", service_url=service_url, scope="meetingChat", sender=CHAIR)
    )
    summary = connector.sent_privately_to(CHAIR)[-1]
    facts = {
        fact["title"]: fact["value"] for fact in card_objects(summary.cards[0]) if "title" in fact and "value" in fact
    }
    assert NURSE.name not in str(summary.body)
    assert facts["People who joined"] == "3", "the forgotten person still counts"
    assert facts["People who dropped out"] == "2"
    assert "Unnamed participant" in facts


async def test_a_dry_run_counts_and_changes_nothing(
    client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await _everything_stored(client)
    await _forget(monkeypatch, client, "--user", NURSE.aad_object_id, "--email", NURSE.email, "--dry-run")
    assert await _everything_stored(client) == before
    said = capsys.readouterr().out
    assert "attendance_events: 1 row(s) would be anonymised" in said
    assert "dry run: nothing was changed" in said


async def test_someone_never_seen_is_said_to_have_nothing_held(
    client: Client, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    before = await _everything_stored(client)
    await _forget(monkeypatch, client, "--user", "aad-nobody")
    assert await _everything_stored(client) == before
    assert "nothing held about this person" in capsys.readouterr().out


def test_forget_needs_someone_to_forget(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["forget"]) == 2
    assert "say who" in capsys.readouterr().err
