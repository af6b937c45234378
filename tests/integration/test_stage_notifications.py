"""The expectations on the meeting stage of each person who joins after the start, through the fake connector's
targeted meeting notification (`POST v1/meetings/{id}/notification`, Microsoft's documented shape): once per person
per session, across redeliveries, rejoins, instances and restarts; failures recorded, never retried."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.domain.stage import StageOutcome, StageRecipient
from bot.store.database import session_factory
from bot.store.meetings import SqlMeetingRecords
from bot.store.stage_notices import SqlStageNotices
from bot.web import keys
from bot.web.app_factory import create_app
from harness.waiting import wait_until
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import conference_running, post_activity
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.token_issuer import LocalTokenIssuer

Client = TestClient[web.Request, web.Application]
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
BASE = "http://127.0.0.1:3978"
APP_ID = "6f1c2a3e-0000-4000-8000-000000000001"

CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk", role="Presenter")
LATE = FakePerson("aad-late", "Jo Evans", "jo.evans@example.police.uk")
LATER = FakePerson("aad-later", "Chris Lee", "chris.lee@nhs.net")


@pytest.fixture
def connector(fake_connector: tuple[FakeConnector, str]) -> FakeConnector:
    connector, _ = fake_connector
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, [CHAIR, SOCIAL_WORKER, LATE, LATER], organizer=CHAIR))
    return connector


@pytest.fixture
def service_url(fake_connector: tuple[FakeConnector, str]) -> str:
    return fake_connector[1]


@pytest.fixture
async def client(aiohttp_client: ClientFactory, make_settings: SettingsFactory, connector: FakeConnector) -> Client:
    return await aiohttp_client(create_app(make_settings(public_base_url=BASE)))


async def _join(client: Client, service_url: str, *people: FakePerson, at: datetime | None = None) -> dict[str, object]:
    payload = activities.participants_event(True, people, at or datetime.now(UTC), service_url=service_url)
    await post_activity(client, payload)
    return payload


async def _session_id(client: Client) -> int:
    session = await SqlMeetingRecords(session_factory(client.app[keys.DATABASE])).latest_session(MEETING_ID)
    assert session is not None
    return session.id


async def _outcomes(client: Client) -> dict[str, StageOutcome | None]:
    return await SqlStageNotices(session_factory(client.app[keys.DATABASE])).outcomes(await _session_id(client))


async def test_a_late_joiner_sees_the_expectations_on_their_stage(
    client: Client, connector: FakeConnector, service_url: str
) -> None:
    await conference_running(client, service_url, [CHAIR, SOCIAL_WORKER])
    assert connector.notifications == [], "those there at the start see it with the start card"
    await _join(client, service_url, LATE)
    [shown] = connector.notifications
    assert shown.meeting_id == MEETING_ID
    assert shown.recipients == [LATE.teams_user_id]
    assert shown.page["url"] == f"{BASE}/tab/stage"
    assert shown.page["title"] == "Joining a child protection conference online"
    assert int(shown.page["width"]) > 0
    assert int(shown.page["height"]) > 0
    assert await _outcomes(client) == {LATE.aad_object_id: StageOutcome.SENT}


async def test_the_stage_page_is_the_expectations_for_anyone(client: Client) -> None:
    response = await client.get("/tab/stage")
    assert response.status == 200
    page = await response.text()
    assert "Joining a child protection conference online" in page
    assert 'data-page="stage"' in page
    assert "frame-ancestors" in response.headers["Content-Security-Policy"]


async def test_a_redelivered_join_and_a_rejoin_show_it_once(
    client: Client, connector: FakeConnector, service_url: str
) -> None:
    await conference_running(client, service_url, [CHAIR])
    joined = await _join(client, service_url, LATE)
    await post_activity(client, joined)  # Teams delivers the same event again
    await post_activity(
        client, activities.participants_event(False, [LATE], datetime.now(UTC), service_url=service_url)
    )
    await _join(client, service_url, LATE)  # drops out and comes back
    assert len(connector.shown_on_stage(LATE)) == 1


async def test_someone_there_at_the_start_who_drops_out_and_returns_is_not_shown_it_again(
    client: Client, connector: FakeConnector, service_url: str
) -> None:
    await conference_running(client, service_url, [CHAIR, SOCIAL_WORKER])
    now = datetime.now(UTC)
    await post_activity(client, activities.participants_event(False, [SOCIAL_WORKER], now, service_url=service_url))
    await _join(client, service_url, SOCIAL_WORKER, LATE)
    assert [n.recipients for n in connector.notifications] == [[LATE.teams_user_id]]


async def test_several_late_joiners_in_one_event_go_in_one_call_of_at_most_ten(
    client: Client, connector: FakeConnector, service_url: str
) -> None:
    await conference_running(client, service_url, [CHAIR])
    crowd = [FakePerson(f"aad-{n:02d}", f"Person {n}", f"p{n}@example.org") for n in range(12)]
    await _join(client, service_url, *crowd)
    assert [len(n.recipients) for n in connector.notifications] == [10, 2]
    assert set(await _outcomes(client)) == {person.aad_object_id for person in crowd}


async def test_a_refusal_is_recorded_and_not_retried(
    client: Client, connector: FakeConnector, service_url: str
) -> None:
    await conference_running(client, service_url, [CHAIR])
    connector.notification_status = 403  # the organiser did not grant OnlineMeetingNotification.Send.Chat
    await _join(client, service_url, LATE)
    calls = [call for call in connector.calls if call.endswith("/notification")]
    assert len(calls) == 1
    assert await _outcomes(client) == {LATE.aad_object_id: StageOutcome.REFUSED}
    await client.app[keys.SERVICES].follow_up.run_once(datetime.now(UTC) + timedelta(hours=1))
    await _join(client, service_url, LATE)
    assert len([call for call in connector.calls if call.endswith("/notification")]) == 1, "never tried again"


async def test_a_partial_failure_records_who_it_did_not_reach(
    client: Client, connector: FakeConnector, service_url: str
) -> None:
    await conference_running(client, service_url, [CHAIR])
    connector.unreachable_on_stage[LATER.teams_user_id] = "RecipientNotInMeeting"
    await _join(client, service_url, LATE, LATER)
    assert await _outcomes(client) == {LATE.aad_object_id: StageOutcome.SENT, LATER.aad_object_id: StageOutcome.FAILED}


async def test_a_teams_that_keeps_failing_is_tried_a_bounded_number_of_times(
    client: Client, connector: FakeConnector, service_url: str
) -> None:
    await conference_running(client, service_url, [CHAIR])
    connector.notification_status = 500
    await _join(client, service_url, LATE)
    assert 1 <= len([call for call in connector.calls if call.endswith("/notification")]) <= 3
    assert await _outcomes(client) == {LATE.aad_object_id: StageOutcome.FAILED}


async def test_after_a_restart_nobody_is_shown_it_twice_and_an_abandoned_claim_is_finished(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory, connector: FakeConnector, service_url: str
) -> None:
    settings = make_settings(public_base_url=BASE)
    first = await aiohttp_client(create_app(settings))
    await conference_running(first, service_url, [CHAIR])
    await _join(first, service_url, LATE)
    session_id = await _session_id(first)
    # An instance claimed LATER and stopped before sending (killed mid-call).
    stopped_at = datetime.now(UTC) - timedelta(minutes=10)
    notices = SqlStageNotices(session_factory(first.app[keys.DATABASE]))
    await notices.claim(
        session_id,
        [StageRecipient(LATER.aad_object_id, LATER.teams_user_id)],
        now=stopped_at,
        claimed_before=stopped_at,
    )
    await first.close()

    second = await aiohttp_client(create_app(settings))  # the same database, a fresh process's worth of state
    await _join(second, service_url, LATE)
    assert len(connector.shown_on_stage(LATE)) == 1
    await second.app[keys.SERVICES].follow_up.run_once(datetime.now(UTC))
    assert len(connector.shown_on_stage(LATER)) == 1
    await second.app[keys.SERVICES].follow_up.run_once(datetime.now(UTC))
    assert len(connector.shown_on_stage(LATER)) == 1
    await wait_until(lambda: _all_settled(second), within=5, what="every claim settled")


async def _all_settled(client: Client) -> bool:
    return all(outcome is not None for outcome in (await _outcomes(client)).values())


async def test_without_a_public_address_no_notification_is_attempted(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory, connector: FakeConnector, service_url: str
) -> None:
    client = await aiohttp_client(create_app(make_settings()))
    await conference_running(client, service_url, [CHAIR])
    await _join(client, service_url, LATE)
    assert connector.notifications == []


async def test_in_azure_mode_the_start_card_opens_the_expectations_on_everyones_stage(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    connector: FakeConnector,
    service_url: str,
    issuer: LocalTokenIssuer,
) -> None:
    public = "https://cp-bot.example-council.gov.uk"
    settings = make_settings(
        app_id=APP_ID,
        app_password="not-a-real-secret",
        app_type="SingleTenant",
        app_tenant_id=activities.TENANT_ID,
        public_base_url=public,
    )
    client = await aiohttp_client(create_app(settings))
    start = activities.meeting_started(datetime.now(UTC), service_url=service_url)
    token = issuer.token(audience=APP_ID, service_url=service_url)
    response = await client.post("/api/messages", json=start, headers={"Authorization": f"Bearer {token}"})
    assert response.status == 200
    [card] = await connector.wait_for(1)
    notification = card.body["channelData"]["notification"]
    assert notification["alertInMeeting"] is True
    link = urlsplit(notification["externalResourceUrl"])
    assert (link.netloc, link.path) == ("teams.microsoft.com", f"/l/bubble/{APP_ID}")
    query = parse_qs(link.query)
    assert query["url"] == [f"{public}/tab/stage"]
    assert query["completionBotId"] == [APP_ID]
    assert card.cards, "the card itself is still in the chat"
