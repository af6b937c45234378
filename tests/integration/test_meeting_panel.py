"""The side panel's API over HTTP (local mode's labelled identity; the sign-on token is `test_page_sign_on`'s): the
chair's view for a chair of the conference and nothing of it for anyone else, held open until something changes,
the log form and undo through the same gate and log as the cards, text from Teams escaped."""

from __future__ import annotations

import asyncio
import uuid
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.exc import OperationalError

from bot.web import keys, meeting_panel
from bot.web.app_factory import create_app
from harness.waiting import wait_until
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import conference_running, post_activity
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson

Client = TestClient[web.Request, web.Application]
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk", role="Presenter")
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")
HOSTILE = FakePerson("aad-hostile", '<img src=x onerror="alert(1)"> **Bold** [link](https://evil.example)', "h@x.org")
LATE = FakePerson("aad-late", "Jo Evans", "jo.evans@example.police.uk")


@pytest.fixture
async def client(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory, fake_connector: tuple[FakeConnector, str]
) -> Client:
    connector, service_url = fake_connector
    people = [CHAIR, SOCIAL_WORKER, NURSE, HOSTILE, LATE]
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, people, organizer=CHAIR))
    client = await aiohttp_client(create_app(make_settings()))
    await conference_running(client, service_url, [CHAIR, SOCIAL_WORKER, NURSE, HOSTILE])
    return client


async def _panel(client: Client, person: FakePerson | None, seen: str = "", conversation: str = MEETING_CHAT) -> Any:
    headers = {"X-CP-Local-User": person.aad_object_id} if person else {}
    return await client.get("/api/tab/panel", params={"conversation": conversation, "seen": seen}, headers=headers)


async def _view(client: Client, person: FakePerson, seen: str = "") -> dict[str, str]:
    response = await _panel(client, person, seen)
    assert response.status == 200
    assert response.headers["Cache-Control"] == "no-store"
    return dict(await response.json())


async def _act(client: Client, person: FakePerson, value: object) -> Any:
    return await client.post(
        "/api/tab/panel/action",
        params={"conversation": MEETING_CHAT},
        json=value,
        headers={"X-CP-Local-User": person.aad_object_id},
    )


def _now_there() -> str:
    """The time now where the conference is (the settings' default zone), as the form's time input gives it."""
    return datetime.now(ZoneInfo("Europe/London")).strftime("%H:%M")


def _log_form(person: FakePerson, time: str, note: str | None = None) -> dict[str, object]:
    return {
        "action": "log-disconnect",
        "form": str(uuid.uuid4()),
        "person": person.aad_object_id,
        "time": time,
        "emailed": True,
        "note": note,
    }


async def test_a_chair_sees_attendance_quoracy_the_log_and_the_form(client: Client) -> None:
    view = await _view(client, CHAIR)
    assert view["role"] == "chair"
    live, form = view["live"], view["form"]
    assert "Quorum at" in live
    assert "Sam Patel" in live
    assert "Chris Lee" in live
    assert "Disconnections in this conference" in live
    assert "Not counted towards quorum" in live, "the chair is shown, not counted"
    assert '<label for="log-person">' in form
    assert f'value="{NURSE.aad_object_id}"' in form
    assert '<input id="log-time" name="time" type="time" required' in form


async def test_anyone_else_gets_nothing_of_the_chairs_view(client: Client) -> None:
    for person in (SOCIAL_WORKER, NURSE):
        view = await _view(client, person)
        assert view["role"] == "attendee"
        assert set(view) == {"role", "live", "version"}, "no form"
        text = view["live"]
        for chair_only in ("Quorum", "Disconnections", "Alex Morgan", "Sam Patel", "Chris Lee", "aad-"):
            assert chair_only not in text
        assert "Your report deadlines" in text


async def test_no_identity_or_no_conference_gives_no_data(client: Client) -> None:
    missing = await _panel(client, None)
    assert missing.status == 401
    assert await missing.json() == {"error": "sign-in required"}
    elsewhere = await _panel(client, CHAIR, conversation="19:meeting_unknown@thread.v2")
    assert elsewhere.status == 404
    assert "Quorum" not in await elsewhere.text()


async def test_names_from_teams_are_text_not_markup(client: Client) -> None:
    view = await _view(client, CHAIR)
    assert "<img" not in view["live"] + view["form"]
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; **Bold** [link](https://evil.example)" in view["live"]


async def test_a_held_poll_answers_as_soon_as_someone_joins(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    _, service_url = fake_connector
    first = await _view(client, CHAIR)
    held = asyncio.create_task(_view(client, CHAIR, seen=first["version"]))
    await asyncio.sleep(0)  # let it reach the bot: whether or not it has, the answer must show the join
    await post_activity(client, activities.participants_event(True, [LATE], datetime.now(UTC), service_url=service_url))
    changed = await asyncio.wait_for(held, timeout=meeting_panel.PANEL_RECHECK - 1)
    assert changed["version"] != first["version"]
    assert "Jo Evans" in changed["live"]


async def test_an_unchanged_view_keeps_its_version(client: Client) -> None:
    first = await _view(client, SOCIAL_WORKER)
    again = await _view(client, SOCIAL_WORKER)
    assert again["version"] == first["version"]


async def test_the_chair_logs_and_undoes_from_the_panel(client: Client) -> None:
    response = await _act(client, CHAIR, _log_form(NURSE, _now_there(), note="Lost video; <b>e-mailed</b>"))
    assert response.status == 200
    assert "Logged: Chris Lee lost connection" in (await response.json())["message"]
    view = await _view(client, CHAIR)
    assert "Lost video; &lt;b&gt;e-mailed&lt;/b&gt;" in view["live"]
    assert 'data-undo="' in view["live"]
    entry = int(view["live"].split('data-undo="')[1].split('"')[0])
    undone = await _act(client, CHAIR, {"action": "undo-disconnect", "entry": entry})
    assert undone.status == 200
    after = await _view(client, CHAIR)
    assert "(undone)" in after["live"]
    assert 'data-undo="' not in after["live"]


async def test_someone_who_does_not_chair_cannot_log_or_undo(client: Client) -> None:
    response = await _act(client, NURSE, _log_form(SOCIAL_WORKER, _now_there()))
    assert response.status == 200
    assert "Logged" not in (await response.json())["message"]
    view = await _view(client, CHAIR)
    assert "Nothing logged yet" in view["live"]


@pytest.mark.parametrize(
    "value",
    [None, [], {"action": "something-else"}, {"action": "log-disconnect", "form": "not-a-uuid"}, "text"],
)
async def test_anything_but_a_form_or_an_undo_is_refused_politely(client: Client, value: object) -> None:
    response = await _act(client, CHAIR, value)
    assert response.status in (200, 400)
    body = await response.json()
    assert body.get("message") or body.get("error")
    assert "Nothing logged yet" in (await _view(client, CHAIR))["live"]


async def test_a_body_that_is_not_json_is_refused(client: Client) -> None:
    response = await client.post(
        "/api/tab/panel/action",
        params={"conversation": MEETING_CHAT},
        data=b"\xff\xfe not json",
        headers={"X-CP-Local-User": CHAIR.aad_object_id, "Content-Type": "application/json"},
    )
    assert response.status == 400


async def test_one_person_cannot_hold_the_bots_connections_without_end(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    _, service_url = fake_connector
    first = await _view(client, CHAIR)
    held = [
        asyncio.create_task(_view(client, CHAIR, seen=first["version"])) for _ in range(meeting_panel.HELD_PER_VIEWER)
    ]

    async def all_held() -> bool:
        return sum(client.app[keys.HELD_POLLS].values()) == meeting_panel.HELD_PER_VIEWER

    await wait_until(all_held, within=5, what="the polls held")
    refused = await _panel(client, CHAIR, seen=first["version"])
    assert refused.status == 429
    assert refused.headers["Retry-After"]
    assert (await _panel(client, NURSE)).status == 200, "someone else is not affected"
    await post_activity(client, activities.participants_event(True, [LATE], datetime.now(UTC), service_url=service_url))
    answers = await asyncio.wait_for(asyncio.gather(*held), timeout=meeting_panel.PANEL_RECHECK - 1)
    assert all("Jo Evans" in answer["live"] for answer in answers)
    assert client.app[keys.HELD_POLLS] == {}, "nothing is counted once answered"


async def test_a_database_that_fails_mid_poll_is_a_polite_503_with_no_data(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def gone(*_arguments: object) -> None:
        raise OperationalError("SELECT …", {"name": NURSE.name}, ConnectionError("server closed the connection"))

    panel = client.app[keys.SERVICES].chair_panel
    monkeypatch.setattr(panel, "view", gone)
    monkeypatch.setattr(panel, "act", gone)
    for response in (await _panel(client, CHAIR), await _act(client, CHAIR, _log_form(NURSE, _now_there()))):
        assert response.status == 503
        assert response.headers["Retry-After"]
        assert await response.json() == {"error": "the bot cannot answer just now"}
    assert client.app[keys.HELD_POLLS] == {}
    assert NURSE.name not in caplog.text, "the parameters never reach the log"
    assert "message withheld" in caplog.text


async def test_a_channel_meetings_tab_finds_its_conference_by_the_meeting(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    channel_meeting = ("MCMxOTpjaGFubmVsLW1lZXRpbmcjMA==", CONVERSATION_IDS["channel"])
    connector.add_meeting(FakeMeeting(channel_meeting[0], channel_meeting[1], [CHAIR, NURSE], organizer=CHAIR))
    await conference_running(client, service_url, [CHAIR, NURSE], meeting=channel_meeting, scope="channel")
    # A channel meeting's tab knows its channel and its meeting, not the thread the bot is in.
    params = {"conversation": "19:c0ffee0000000000000000000000beef@thread.tacv2", "meeting": channel_meeting[0]}
    response = await client.get("/api/tab/panel", params=params, headers={"X-CP-Local-User": CHAIR.aad_object_id})
    assert response.status == 200
    view = await response.json()
    assert view["role"] == "chair"
    assert "Chris Lee" in view["live"]
    unknown = await client.get(
        "/api/tab/panel", params={"meeting": "MCMxOTpub3QtaGVyZSMw"}, headers={"X-CP-Local-User": CHAIR.aad_object_id}
    )
    assert unknown.status == 404
