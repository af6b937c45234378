"""`/report-deadline` over HTTP: for the conference of a meeting chat, or privately for the person asking."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import holidays
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.domain.conferences import AttendeeType, Conference, ConferenceKind, Invitee
from bot.store.conferences import SqlConferences
from bot.store.database import session_factory
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, ServerFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS
from tests.support.bot_http import post_activity
from tests.support.card_reading import card_text
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.fake_graph import FakeGraph

Client = TestClient[web.Request, web.Application]
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk")
STRANGER = FakePerson("aad-other", "Pat Jones", "pat.jones@example-council.gov.uk")
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]


def _thursday_after_a_plain_week() -> date:
    """A Thursday at least three weeks ahead whose week before has no bank holiday: a Review's reports are then due
    exactly a week before."""
    bank_holidays = holidays.country_holidays("GB", subdiv="ENG")
    today = datetime.now(UTC).date()
    thursday = today + timedelta(days=(3 - today.weekday()) % 7 + 21)
    while any(thursday - timedelta(days=n) in bank_holidays for n in range(1, 8)):
        thursday += timedelta(days=7)
    return thursday


THURSDAY = _thursday_after_a_plain_week()


def _conference(kind: ConferenceKind) -> Conference:
    start = datetime(THURSDAY.year, THURSDAY.month, THURSDAY.day, 10, 0, tzinfo=ZoneInfo("Europe/London"))
    return Conference(
        key=f"uid-{kind.value}",
        kind=kind,
        start=start,
        end=start + timedelta(hours=2),
        join_url=None,
        organiser=Invitee(CHAIR.email, CHAIR.name, AttendeeType.REQUIRED),
        invitees=(Invitee(SOCIAL_WORKER.email, SOCIAL_WORKER.name, AttendeeType.REQUIRED),),
        chat_id=MEETING_CHAT,
    )


@pytest.fixture
async def client(
    aiohttp_client: ClientFactory,
    aiohttp_server: ServerFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
) -> Client:
    connector, _ = fake_connector
    for scope in ("meetingChat", "personal", "groupChat"):
        people = [CHAIR, SOCIAL_WORKER, STRANGER]
        connector.add_meeting(FakeMeeting(f"chat-{scope}", CONVERSATION_IDS[scope], people, organizer=CHAIR))
    graph = await aiohttp_server(FakeGraph().app())
    settings = make_settings(
        calendar_mailboxes="cp-conferences@example-council.gov.uk",
        graph_base_url=str(graph.make_url("/v1.0")),
        calendar_sync_interval_seconds=3600,
    )
    client = await aiohttp_client(create_app(settings))
    conferences = SqlConferences(session_factory(client.app[keys.DATABASE]))
    await conferences.save(
        "elsewhere@example-council.gov.uk", "event-1", _conference(ConferenceKind.REVIEW), datetime.now(UTC)
    )
    return client


async def _ask(client: Client, service_url: str, scope: Any, sender: FakePerson) -> None:
    await post_activity(
        client, activities.message("/report-deadline", service_url=service_url, scope=scope, sender=sender)
    )


async def test_in_a_meeting_chat_it_answers_for_that_conference_naming_no_one(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await _ask(client, service_url, "meetingChat", STRANGER)
    [reply] = connector.sent_to(MEETING_CHAT)
    text = card_text(reply.cards)
    due = THURSDAY - timedelta(days=7)
    assert f"Reports for this conference are due by {due:%A} {due.day} {due:%B}" in text
    assert "Review" in text
    assert SOCIAL_WORKER.name not in text


async def test_in_a_personal_chat_it_lists_the_askers_own_conferences(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await _ask(client, service_url, "personal", SOCIAL_WORKER)
    [reply] = connector.sent_to(CONVERSATION_IDS["personal"])
    text = card_text(reply.cards)
    assert "Your conference reports are due" in text
    assert f"for the Review conference on {THURSDAY:%A} {THURSDAY.day} {THURSDAY:%B} at 10:00" in text


async def test_someone_invited_to_nothing_is_told_so(client: Client, fake_connector: tuple[FakeConnector, str]) -> None:
    connector, service_url = fake_connector
    await _ask(client, service_url, "personal", STRANGER)
    [reply] = connector.sent_to(CONVERSATION_IDS["personal"])
    assert "No upcoming conferences for you" in card_text(reply.cards)


async def test_in_a_group_chat_the_list_goes_privately(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await _ask(client, service_url, "groupChat", SOCIAL_WORKER)
    [private] = connector.sent_privately_to(SOCIAL_WORKER)
    assert "Your conference reports are due" in card_text(private.cards)
    [in_group] = connector.sent_to(CONVERSATION_IDS["groupChat"])
    assert in_group.text == "I have sent your report deadlines to you privately."


async def test_without_calendar_settings_it_says_what_the_rule_is(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    client = await aiohttp_client(create_app(make_settings()))
    await _ask(client, service_url, "personal", SOCIAL_WORKER)
    [reply] = connector.sent
    assert "not set up to read the conference calendars" in card_text(reply.cards)
    assert "2 working days before an Initial conference and 5 before a Review" in card_text(reply.cards)
