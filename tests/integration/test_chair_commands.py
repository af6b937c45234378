"""Chair commands over HTTP: asked in the chair's own chat, or typed in a conference's meeting chat (or channel
meeting), answered to the asker privately and only for a conference they chair. The meeting chat, which the family
reads, hears nothing of it: at most one neutral line when the asker cannot be reached privately."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.domain.chairs import AuditOutcome
from bot.domain.disconnections import Notice
from bot.store.audit import SqlChairAudit
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.meetings import SqlMeetingRecords
from bot.web import keys
from bot.web.app_factory import create_app
from harness.waiting import wait_until
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import conference_running, post_activity
from tests.support.card_reading import card_objects
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson

Client = TestClient[web.Request, web.Application]
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
PERSONAL_CHAT = CONVERSATION_IDS["personal"]
OTHER_MEETING = ("MCMxOTptZWV0aW5nX290aGVyLWNvbmZlcmVuY2UjMA==", "19:meeting_OtherConference00000000@thread.v2")

CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk", role="Presenter")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk", has_app=False)
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")
EVERYONE = [CHAIR, SOCIAL_WORKER, POLICE, NURSE]


@pytest.fixture
async def meeting(fake_connector: tuple[FakeConnector, str]) -> FakeMeeting:
    connector, _ = fake_connector
    return connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, list(EVERYONE), organizer=CHAIR))


@pytest.fixture
async def app(make_settings: SettingsFactory) -> web.Application:
    return create_app(make_settings())


@pytest.fixture
async def client(aiohttp_client: ClientFactory, app: web.Application, meeting: FakeMeeting) -> Client:
    return await aiohttp_client(app)


async def _wait_for_settled_notices(client: Client, *, count: int) -> None:
    """The follow-up sends each reminder and then records how it went; the summary reads what was recorded."""
    records = SqlMeetingRecords(session_factory(client.app[keys.DATABASE]))
    log = SqlDisconnectionLog(session_factory(client.app[keys.DATABASE]))

    async def settled() -> bool:
        session = await records.latest_session(MEETING_ID)
        entries = await log.for_session(session.id) if session else []
        return len(entries) >= count and all(entry.notice is not Notice.PENDING for entry in entries)

    await wait_until(settled, within=10, what=f"{count} drop-out notices recorded")


async def _ask(
    client: Client,
    service_url: str,
    command: str,
    sender: FakePerson,
    scope: Any = "meetingChat",
    *,
    meeting: tuple[str, str] | None = None,
    value: Any = None,
) -> None:
    await post_activity(
        client,
        activities.message(command, service_url=service_url, scope=scope, sender=sender, meeting=meeting, value=value),
    )


def _meeting_chat_heard(connector: FakeConnector, conversation_id: str = MEETING_CHAT) -> list[str]:
    """What the meeting chat got, the start card left out (the family may read all of it)."""
    return [sent.text for sent in connector.sent_to(conversation_id) if "This conference started at" not in sent.text]


def _in_own_chat(connector: FakeConnector) -> list[str]:
    """What the bot answered in the asker's own 1:1 chat (the turn's reply there)."""
    return [str(sent.cards[0]) if sent.cards else sent.text for sent in connector.sent_to(PERSONAL_CHAT)]


async def _audit(client: Client) -> list[tuple[str, AuditOutcome, str | None]]:
    sessions = session_factory(client.app[keys.DATABASE])
    return [(entry.command, entry.outcome, entry.meeting_id) for entry in await SqlChairAudit(sessions).entries()]


async def test_the_chair_gets_the_quorum_privately_and_the_meeting_chat_hears_nothing(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _ask(client, service_url, "/quorum", CHAIR)
    [private] = connector.sent_privately_to(CHAIR)
    card = str(private.cards[0])
    assert "Quorate" in card
    assert "Children's social care" in card
    assert "Jo Evans" in card, "the chair sees who counts for which agency"
    assert "Not counted towards quorum" in card, "the chair is there, and does not count for social care"
    assert _meeting_chat_heard(connector) == []


async def test_someone_else_is_refused_privately_and_the_meeting_chat_hears_nothing(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _ask(client, service_url, "/summary", NURSE)
    [refusal] = connector.sent_privately_to(NURSE)
    assert "Only a CP Chair can ask for the conference summary." in refusal.text
    assert "Conference" not in str(refusal.cards[0]).split("Only a CP Chair")[0], "no summary, only the refusal"
    assert _meeting_chat_heard(connector) == []
    assert await _audit(client) == [("summary", AuditOutcome.REFUSED, MEETING_ID)]


async def test_a_chair_without_the_app_gets_one_neutral_line_in_the_meeting_chat(
    client: Client, fake_connector: tuple[FakeConnector, str], meeting: FakeMeeting
) -> None:
    connector, service_url = fake_connector
    chair_without_app = FakePerson("aad-chair", "Alex Morgan", CHAIR.email, role="Organizer", has_app=False)
    meeting.people[0] = chair_without_app
    await conference_running(client, service_url, EVERYONE)
    await _ask(client, service_url, "/quorum", chair_without_app)
    [line] = _meeting_chat_heard(connector)
    assert line.startswith("I answer CP Chair commands in your own chat with CP Conference Bot")
    assert "Apps" in line
    for person in EVERYONE:
        assert person.name not in line
    assert "Quorate" not in line, "the answer itself never falls back to the meeting chat"


async def test_when_teams_cannot_say_who_chairs_the_asker_is_asked_to_try_again_privately(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    connector.meeting_api_status = 500
    await _ask(client, service_url, "/quorum", CHAIR)
    [answer] = connector.sent_privately_to(CHAIR)
    assert "Please try again" in answer.text
    assert "Quorate" not in str(answer.cards[0])
    assert _meeting_chat_heard(connector) == []


async def test_after_the_meeting_expires_the_organiser_is_known_from_how_they_joined(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    start = await conference_running(client, service_url, EVERYONE, minutes_ago=90)
    await post_activity(client, activities.meeting_ended(start + timedelta(minutes=80), service_url=service_url))
    connector.meeting_api_status = 404
    await _ask(client, service_url, "/summary", CHAIR)
    [private] = connector.sent_privately_to(CHAIR)
    assert "Conference summary" in str(private.cards[0])
    await _ask(client, service_url, "/summary", NURSE)
    [refused] = connector.sent_privately_to(NURSE)
    assert "Conference summary" not in str(refused.cards[0])


async def test_without_join_events_presence_is_asked_of_teams(
    client: Client, fake_connector: tuple[FakeConnector, str], meeting: FakeMeeting
) -> None:
    connector, service_url = fake_connector
    meeting.people[3] = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net", in_meeting=False)
    await _ask(client, service_url, "/quorum", CHAIR)
    [private] = connector.sent_privately_to(CHAIR)
    card = str(private.cards[0])
    assert "Not quorate" in card, "health is invited but not in the meeting"
    assert "Chris Lee" not in card
    assert sum(call.endswith(("/participants/aad-sw", "/participants/aad-nurse")) for call in connector.calls) == 2


@pytest.mark.parametrize("scope", ["groupChat", "channel"])
async def test_where_no_conference_is_held_the_chair_commands_say_where_they_work(
    client: Client, fake_connector: tuple[FakeConnector, str], scope: Any
) -> None:
    connector, service_url = fake_connector
    await _ask(client, service_url, "/quorum", CHAIR, scope=scope)
    [reply] = connector.sent
    assert reply.text.startswith("/quorum works in your own chat with CP Conference Bot")
    assert connector.calls == []


async def test_in_the_chairs_own_chat_the_commands_work_on_the_conference_they_are_chairing(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _ask(client, service_url, "/quorum", CHAIR, scope="personal")
    [answer] = _in_own_chat(connector)
    assert "Quorate" in answer
    assert "Jo Evans" in answer
    await _ask(client, service_url, "/summary", CHAIR, scope="personal")
    assert "Conference so far" in _in_own_chat(connector)[-1]
    assert _meeting_chat_heard(connector) == []
    assert [(command, outcome) for command, outcome, _ in await _audit(client)] == [
        ("quorum", AuditOutcome.ALLOWED),
        ("summary", AuditOutcome.ALLOWED),
    ]


async def test_after_the_conference_ends_the_chairs_own_chat_works_on_the_most_recent_one(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    start = await conference_running(client, service_url, EVERYONE, minutes_ago=90)
    await post_activity(client, activities.meeting_ended(start + timedelta(minutes=80), service_url=service_url))
    await _ask(client, service_url, "/summary", CHAIR, scope="personal")
    [answer] = _in_own_chat(connector)
    assert "Conference summary" in answer
    assert "Conference so far" not in answer


async def test_with_no_conference_to_chair_the_own_chat_says_so_and_a_non_chair_is_audited(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await _ask(client, service_url, "/quorum", CHAIR, scope="personal")
    assert "I found no conference that you are chairing" in _in_own_chat(connector)[-1]
    await conference_running(client, service_url, EVERYONE)
    await _ask(client, service_url, "/disconnects", NURSE, scope="personal")
    answer = _in_own_chat(connector)[-1]
    assert "I found no conference that you are chairing" in answer
    assert "Chris Lee" not in answer
    assert await _audit(client) == [
        ("quorum", AuditOutcome.REFUSED, None),
        ("disconnects", AuditOutcome.REFUSED, None),
    ]


async def test_chairing_two_conferences_at_once_the_chair_chooses_by_start_time_and_agencies(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    second = [CHAIR, NURSE]
    connector.add_meeting(FakeMeeting(OTHER_MEETING[0], OTHER_MEETING[1], list(second), organizer=CHAIR))
    await conference_running(client, service_url, EVERYONE, minutes_ago=40)
    await conference_running(client, service_url, second, minutes_ago=10, meeting=OTHER_MEETING)
    await _ask(client, service_url, "/quorum", CHAIR, scope="personal")
    [choice] = connector.sent_to(PERSONAL_CHAT)
    card = choice.cards[0]
    assert "Which conference?" in str(card)
    buttons = card["actions"]
    assert [button["data"]["conference"] for button in buttons] == [MEETING_CHAT, OTHER_MEETING[1]], "by start time"
    assert [button["title"].split(": ")[1] for button in buttons] == ["3 agencies", "2 agencies"]
    assert "ICPC" not in str(card), "never the meeting's subject"
    await _ask(client, service_url, "", CHAIR, scope="personal", value=buttons[1]["data"])
    answer = _in_own_chat(connector)[-1]
    assert "Chris Lee" in answer
    assert "Jo Evans" not in answer, "the quorum of the conference chosen"
    assert _meeting_chat_heard(connector) == []
    assert _meeting_chat_heard(connector, OTHER_MEETING[1]) == []


async def test_a_channel_meetings_chair_commands_are_answered_privately(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    channel_meeting = ("MCMxOTpjaGFubmVsLW1lZXRpbmcjMA==", CONVERSATION_IDS["channel"])
    connector.add_meeting(FakeMeeting(channel_meeting[0], channel_meeting[1], list(EVERYONE), organizer=CHAIR))
    await conference_running(client, service_url, EVERYONE, meeting=channel_meeting, scope="channel")
    await _ask(client, service_url, "/quorum", CHAIR, scope="channel", meeting=channel_meeting)
    [private] = connector.sent_privately_to(CHAIR)
    assert "Quorate" in str(private.cards[0])
    assert _meeting_chat_heard(connector, channel_meeting[1]) == []


async def test_a_drop_out_is_followed_up_by_the_background_task(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    meeting: FakeMeeting,
) -> None:
    connector, service_url = fake_connector
    client = await aiohttp_client(create_app(make_settings(follow_up_interval_seconds=0.2)))
    start = await conference_running(client, service_url, EVERYONE)
    left_at = start + timedelta(minutes=5)
    await post_activity(client, activities.participants_event(False, [NURSE, POLICE], left_at, service_url=service_url))
    [reminder] = await connector.wait_for_private(NURSE)
    assert "You left the conference at" in str(reminder.cards[0])
    await _wait_for_settled_notices(client, count=2)
    assert connector.refused_private_chats == [POLICE.teams_user_id], "the police officer has no app"
    await _ask(client, service_url, "/summary", CHAIR, scope="personal")
    card = _in_own_chat(connector)[-1]
    assert "Conference so far" in card
    assert "could not be messaged privately (no app)" in card
    assert "reminded privately to e-mail you" in card


async def test_with_a_named_chair_in_it_the_business_support_organiser_gets_no_chair_data(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
) -> None:
    """Business support booked the meeting (so organise it); the named chair is invited. The chair, not the
    organiser, may ask, gets the summary and is the one the drop-out reminder names."""
    connector, service_url = fake_connector
    support = FakePerson("aad-support", "Pat Kaur", "pat.kaur@example-council.gov.uk", role="Organizer")
    chair = FakePerson("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Sam Okafor", "sam.okafor@example-council.gov.uk")
    people = [support, chair, SOCIAL_WORKER, POLICE, NURSE]
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, list(people), organizer=support))
    settings = make_settings(chair_users=chair.aad_object_id, follow_up_interval_seconds=0.2, dropout_grace_minutes=1)
    client = await aiohttp_client(create_app(settings))
    start = await conference_running(client, service_url, people, minutes_ago=30)
    await _ask(client, service_url, "/quorum", support, scope="personal")
    assert "I found no conference that you are chairing" in _in_own_chat(connector)[-1]
    await _ask(client, service_url, "/summary", support)
    [refused] = connector.sent_privately_to(support)
    assert "Only a CP Chair can ask for the conference summary." in refused.text
    await _ask(client, service_url, "/quorum", chair, scope="personal")
    assert "Quorate" in _in_own_chat(connector)[-1]

    left = start + timedelta(minutes=20)
    await post_activity(client, activities.participants_event(False, [NURSE], left, service_url=service_url))
    [reminder] = await connector.wait_for_private(NURSE)
    assert "Sam Okafor" in reminder.text, "the drop-out reminder names the chair"
    assert "Pat Kaur" not in reminder.text
    await post_activity(client, activities.meeting_ended(start + timedelta(minutes=28), service_url=service_url))
    await post_activity(
        client, activities.participants_event(False, people, start + timedelta(minutes=28), service_url=service_url)
    )
    [chair_card, summary] = await connector.wait_for_private(chair, 2)
    assert "You are chairing the conference" in chair_card.text
    assert "Conference summary" in summary.text
    assert len(connector.sent_privately_to(support)) == 1, "the organiser got only the refusal: no card, no summary"
    assert _meeting_chat_heard(connector) == []


async def test_when_the_conference_starts_the_chair_gets_a_card_whose_buttons_work_on_it(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    meeting: FakeMeeting,
) -> None:
    connector, service_url = fake_connector
    client = await aiohttp_client(create_app(make_settings(follow_up_interval_seconds=0.2)))
    await conference_running(client, service_url, EVERYONE, minutes_ago=5)
    [card] = await connector.wait_for_private(CHAIR)
    buttons = {
        button["title"]: button["data"]
        for button in card_objects(card.cards[0])
        if button.get("type") == "Action.Submit"
    }
    assert list(buttons) == [
        "Quorum now",
        "Log a disconnection",
        "The disconnection log",
        "The summary so far",
        "Reports shared",
    ]
    for person in (SOCIAL_WORKER, POLICE, NURSE):
        assert connector.sent_privately_to(person) == [], f"{person.name} does not chair"
    await _ask(client, service_url, "", CHAIR, scope="personal", value=buttons["Quorum now"])
    assert "Quorate" in _in_own_chat(connector)[-1]
    await _ask(client, service_url, "", CHAIR, scope="personal", value=buttons["Log a disconnection"])
    assert "Log a disconnection" in _in_own_chat(connector)[-1]
    await _ask(client, service_url, "", NURSE, scope="personal", value=buttons["The summary so far"])
    assert "Only a CP Chair can ask for the conference summary." in _in_own_chat(connector)[-1], "forwarded, refused"
    assert _meeting_chat_heard(connector) == []
    assert len(connector.sent_privately_to(CHAIR)) == 1, "one card however many follow-up rounds ran"
