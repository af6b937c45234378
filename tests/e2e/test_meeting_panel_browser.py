"""The meeting tab in headless Chromium, inside a stand-in for the Teams client that answers TeamsJS
(`tests/support/teams_host.py`): the chair's view and an attendee's, live updates, the log form and undo by
keyboard alone, the Teams themes followed live, axe-core clean; and with Teams single sign-on (a token signed by the
tests' Entra stand-in), a forged or missing token shows nothing but the expectations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from playwright.async_api import Browser, Frame

from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, Participant
from bot.domain.sessions import StartSource
from bot.store.conversations import SqlConversationDirectory
from bot.store.database import session_factory
from bot.store.meetings import SqlMeetingRecords
from bot.teams.connector_tokens import ConnectorTokens
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID, TENANT_ID
from tests.support.bot_http import conference_running, post_activity
from tests.support.entra_stand_in import APP_ID, HOST, EntraStandIn
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson
from tests.support.teams_host import TeamsHost, serious_accessibility_problems
from tests.support.token_issuer import SigningKeyPair

pytestmark = [pytest.mark.browser]

Client = TestClient[web.Request, web.Application]
PUBLIC = f"https://{HOST}"
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk", role="Presenter")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk")
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")
LATE = FakePerson("aad-late", "Pat Quinn", "pat.quinn@example-council.gov.uk")
WAIT_MS = 10_000


@dataclass
class Conference:
    client: Client
    host: TeamsHost
    service_url: str


@pytest.fixture
async def connector(fake_connector: tuple[FakeConnector, str]) -> FakeConnector:
    connector, _ = fake_connector
    people = [CHAIR, SOCIAL_WORKER, POLICE, NURSE, LATE]
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, people, organizer=CHAIR))
    return connector


async def _host(browser: Browser, client: Client) -> AsyncIterator[TeamsHost]:
    context = await browser.new_context(viewport={"width": 380, "height": 900})
    host = TeamsHost(context, str(client.make_url("")).rstrip("/"), PUBLIC)
    await host.start()
    try:
        yield host
    finally:
        await context.close()


@pytest.fixture
async def local(
    browser: Browser,
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    connector: FakeConnector,
    fake_connector: tuple[FakeConnector, str],
) -> AsyncIterator[Conference]:
    """Local mode: the tab names the viewer from the Teams context (the bot's labelled local identity)."""
    client = await aiohttp_client(create_app(make_settings(public_base_url=PUBLIC)))
    await conference_running(client, fake_connector[1], [CHAIR, SOCIAL_WORKER, POLICE, NURSE])
    async for host in _host(browser, client):
        yield Conference(client, host, fake_connector[1])


async def _text(frame: Frame, selector: str) -> str:
    return await frame.locator(selector).inner_text()


async def _chair_view(frame: Frame) -> None:
    await frame.locator("#panel-live .panel-heading").wait_for(timeout=WAIT_MS)


async def test_the_chair_sees_who_is_here_quoracy_and_the_log(local: Conference) -> None:
    _, frame = await local.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT)
    await _chair_view(frame)
    live = await _text(frame, "#panel-live")
    assert "Chair's view" in live
    assert "Quorum at" in live
    for name in ("Sam Patel", "Jo Evans", "Chris Lee"):
        assert name in live
    assert "Disconnections in this conference" in live
    assert await frame.locator("#log-form").count() == 1
    assert await frame.locator("[data-status]:visible").count() == 0, "no status line once it is drawn"
    assert await serious_accessibility_problems(frame) == []


async def test_the_chairs_panel_shows_a_join_without_a_reload(local: Conference) -> None:
    page, frame = await local.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT)
    await _chair_view(frame)
    assert "Pat Quinn" not in await _text(frame, "#panel-live")
    joined = activities.participants_event(True, [LATE], datetime.now(UTC), service_url=local.service_url)
    await post_activity(local.client, joined)
    await frame.get_by_text("Pat Quinn").first.wait_for(timeout=WAIT_MS)
    assert page.url.endswith("_cp-conference-test-host"), "the page itself was not reloaded"


async def test_an_attendee_sees_the_expectations_and_their_deadlines_and_nothing_of_the_chairs(
    local: Conference,
) -> None:
    _, frame = await local.host.open(user=NURSE.aad_object_id, chat=MEETING_CHAT)
    await frame.locator("#panel-live .deadlines").wait_for(timeout=WAIT_MS)
    content = await frame.content()
    for chair_only in ("Chair's view", "Quorum at", "Sam Patel", "Jo Evans", "Alex Morgan", "log-form"):
        assert chair_only not in content
    assert "Your report deadlines" in await _text(frame, "#panel-live")
    assert "Joining a child protection conference online" in await _text(frame, ".expectations")
    assert await serious_accessibility_problems(frame) == []


async def test_on_the_meeting_stage_the_tab_shows_the_expectations_only(local: Conference) -> None:
    asked: list[str] = []
    local.host.context.on("request", lambda r: asked.append(r.url) if "/api/tab/" in r.url else None)
    page, frame = await local.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT, frame_context="meetingStage")
    await page.wait_for_function("window.hostCalls.includes('appInitialization.success')", timeout=WAIT_MS)
    assert asked == [], "on everyone's screen, the chair's view is not even asked for"
    assert await frame.locator("#panel-live").inner_html() == ""
    assert "Joining a child protection conference online" in await _text(frame, ".expectations")


async def test_the_stage_notifications_page_is_drawn_and_accessible(local: Conference) -> None:
    _, frame = await local.host.open(user=NURSE.aad_object_id, chat=MEETING_CHAT, path="/tab/stage")
    assert "Joining a child protection conference online" in await _text(frame, "h1")
    assert await serious_accessibility_problems(frame) == []


async def test_the_chair_logs_and_undoes_with_the_keyboard_alone(local: Conference) -> None:
    page, frame = await local.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT)
    await _chair_view(frame)
    person = frame.locator("#log-person")
    await person.focus()
    await page.keyboard.type("Chris")  # a focused list chooses by the letters typed, as a keyboard user does
    assert await person.evaluate("select => select.selectedOptions[0].textContent") == "Chris Lee"
    assert await frame.locator("#log-time").input_value() != "", "the time is filled in with now"
    await frame.locator("#log-note").focus()
    await page.keyboard.type("Lost video, e-mailed me")
    await page.keyboard.press("Shift+Tab")
    await page.keyboard.press("Space")  # they have e-mailed me
    assert await frame.locator("#log-emailed").is_checked()
    for _ in range(2):
        await page.keyboard.press("Tab")
    assert await frame.evaluate("document.activeElement.type") == "submit"
    await page.keyboard.press("Enter")
    await frame.locator("#panel-message").get_by_text("Logged: Chris Lee").wait_for(timeout=WAIT_MS)
    undo = frame.locator("button[data-undo]")
    await undo.wait_for(timeout=WAIT_MS)
    assert "Lost video, e-mailed me" in await _text(frame, "#panel-live")
    await undo.focus()
    await page.keyboard.press("Enter")
    await frame.get_by_text("(undone)").first.wait_for(timeout=WAIT_MS)


async def test_the_forms_time_says_now_until_the_chair_changes_it(local: Conference) -> None:
    opened = datetime.now(UTC) - timedelta(minutes=12)
    sent = datetime.now(UTC) - timedelta(minutes=2)
    await local.host.context.clock.set_fixed_time(opened)
    _, frame = await local.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT)
    await _chair_view(frame)
    assert await frame.locator("#log-time").input_value() == _there(opened)
    await local.host.context.clock.set_fixed_time(sent)  # the chair comes back to the form ten minutes later
    await frame.locator("#log-person").select_option(label="Chris Lee")
    await frame.locator("#log-form button[type=submit]").click()
    await (
        frame.locator("#panel-message")
        .get_by_text(f"Logged: Chris Lee lost connection at {_there(sent)}")
        .wait_for(timeout=WAIT_MS)
    )


def _there(moment: datetime) -> str:
    return moment.astimezone(ZoneInfo("Europe/London")).strftime("%H:%M")


async def test_a_form_sent_without_whom_says_so_at_the_field(local: Conference) -> None:
    _, frame = await local.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT)
    await _chair_view(frame)
    await frame.locator("#log-form button[type=submit]").click()
    error = frame.locator("#log-person-error")
    assert await error.is_visible()
    assert await frame.locator("#log-person").get_attribute("aria-invalid") == "true"
    assert await frame.evaluate("document.activeElement.id") == "log-person"


@pytest.mark.parametrize("theme", ["dark", "contrast", "default"])
async def test_the_tab_follows_the_teams_theme_live(local: Conference, theme: str) -> None:
    page, frame = await local.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT, theme="default")
    await _chair_view(frame)
    light = await frame.evaluate("getComputedStyle(document.body).backgroundColor")
    await local.host.set_theme(page, "dark" if theme == "default" else theme)
    if theme == "default":
        await local.host.set_theme(page, "default")
    await frame.wait_for_function(f"document.documentElement.dataset.theme === '{theme}'", timeout=WAIT_MS)
    shown = await frame.evaluate("getComputedStyle(document.body).backgroundColor")
    assert (shown == light) is (theme == "default")
    assert await serious_accessibility_problems(frame) == [], f"readable in the {theme} theme too"


# Teams single sign-on: the token TeamsJS hands the tab, signed by the tests' Entra stand-in.


@pytest.fixture
async def azure(
    browser: Browser,
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    connector: FakeConnector,
    fake_connector: tuple[FakeConnector, str],
    entra: EntraStandIn,
    monkeypatch: pytest.MonkeyPatch,
) -> AsyncIterator[Conference]:
    async def connector_token(self: ConnectorTokens) -> str:
        return "Bearer connector-token"  # Microsoft's token service is out of reach here

    monkeypatch.setattr(ConnectorTokens, "authorization", connector_token)
    settings = make_settings(
        app_id=APP_ID, app_password="secret", app_type="SingleTenant", app_tenant_id=TENANT_ID, public_base_url=PUBLIC
    )
    client = await aiohttp_client(create_app(settings, entra_authority=entra.base))
    await _seed_conference(client, fake_connector[1])
    async for host in _host(browser, client):
        yield Conference(client, host, fake_connector[1])


async def _seed_conference(client: Client, service_url: str) -> None:
    """A running conference as the bot records one from Teams' events (which need Teams' own tokens to arrive)."""
    sessions = session_factory(client.app[keys.DATABASE])
    chat = ConversationAddress(
        MEETING_CHAT, "msteams", service_url, ConversationKind.MEETING_CHAT, f"28:{APP_ID}", TENANT_ID, MEETING_ID
    )
    await SqlConversationDirectory(sessions).remember(chat)
    records = SqlMeetingRecords(sessions)
    start = datetime.now(UTC) - timedelta(minutes=15)
    session = await records.start_session(MeetingPlace(MEETING_ID, MEETING_CHAT, TENANT_ID), start, StartSource.EVENT)
    joined = tuple(
        Participant(p.aad_object_id, p.teams_user_id, p.name, MeetingRole.parse(p.role))
        for p in (CHAIR, SOCIAL_WORKER, NURSE)
    )
    await records.record_attendance(session.id, AttendanceKind.JOINED, joined, start, "seed")


async def test_with_a_valid_token_the_chair_sees_the_chairs_view(azure: Conference, entra: EntraStandIn) -> None:
    _, frame = await azure.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT, token=entra.token())
    await _chair_view(frame)
    assert "Sam Patel" in await _text(frame, "#panel-live")


@pytest.mark.parametrize("token", ["forged", "missing", "another-app"])
async def test_a_forged_or_missing_token_shows_nothing_but_the_expectations(
    azure: Conference, entra: EntraStandIn, token: str
) -> None:
    tokens = {
        "forged": entra.token(key=SigningKeyPair.make([])),
        "missing": None,
        "another-app": entra.token(aud="api://elsewhere.example/00000000-0000-0000-0000-000000000000"),
    }
    answers: list[int] = []
    azure.host.context.on("response", lambda r: answers.append(r.status) if "/api/tab/panel" in r.url else None)
    _, frame = await azure.host.open(user=CHAIR.aad_object_id, chat=MEETING_CHAT, token=tokens[token])
    await frame.locator("[data-status='sign-in-failed']").wait_for(state="visible", timeout=WAIT_MS)
    assert await frame.locator("#panel-live").inner_html() == ""
    assert await frame.locator("#panel-form").inner_html() == ""
    assert "Sam Patel" not in await frame.content()
    assert "Joining a child protection conference online" in await _text(frame, ".expectations")
    if token != "missing":
        assert answers
        assert set(answers) == {401}
