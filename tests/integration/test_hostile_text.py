"""Hostile text and unreadable bodies, through the real endpoint (issue 14): one odd member loses none of its
neighbours, an odd note is stored cleaned, bodies that cannot be read are 4xx, card submits are bounded before any
query, request values cannot forge log lines, and a long command does not hold the event loop."""

from __future__ import annotations

import asyncio
import json
import logging
import time

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.domain.card_actions import UNDO_ACTION, Field
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.meetings import SqlMeetingRecords
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import conference_running, post_activity
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson

Client = TestClient[web.Request, web.Application]
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk")
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")
EVERYONE = [CHAIR, POLICE, NURSE]


@pytest.fixture
async def client(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    database_url: str,
) -> Client:
    connector, _ = fake_connector
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, list(EVERYONE), organizer=CHAIR))
    return await aiohttp_client(create_app(make_settings(database_url=database_url)))


def _records(client: Client) -> SqlMeetingRecords:
    return SqlMeetingRecords(session_factory(client.app[keys.DATABASE]))


async def test_one_odd_member_of_a_join_batch_loses_none_of_the_others(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    _, service_url = fake_connector
    start = await conference_running(client, service_url, [CHAIR])
    odd = [
        FakePerson("aad-surrogate", "Lone \ud800 surrogate", "a@example.org"),
        FakePerson("aad-nul", "Nul\x00 and \x1b[31m escape", "b@example.org"),
        FakePerson("aad-long-name", "L" * 5000, "c@example.org"),
        FakePerson("x" * 500, "Id too long", "d@example.org"),
        FakePerson("aad-bidi", "Jo\u202eEvans\u200b", "e@example.org"),
    ]
    payload = activities.participants_event(True, [*odd, POLICE, NURSE], start, service_url=service_url)
    await post_activity(client, payload)
    session = await _records(client).latest_session(MEETING_ID)
    assert session is not None
    names = {event.aad_object_id: event.display_name for event in await _records(client).attendance(session.id)}
    assert names[POLICE.aad_object_id] == "Jo Evans"
    assert names[NURSE.aad_object_id] == "Chris Lee"
    assert names["aad-surrogate"] == "Lone \ufffd surrogate"
    assert names["aad-nul"] == "Nul and [31m escape"
    assert names["aad-long-name"] == "L" * 256
    assert names["aad-bidi"] == "JoEvans"
    assert "x" * 500 not in names, "an id the bot cannot keep is no id"


async def test_a_note_with_odd_characters_is_stored_cleaned_not_refused(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    text = "/log-disconnect Jo Evans now e-mailed \ud83d me\x00 at once\u202e"
    await post_activity(client, activities.message(text, service_url=service_url, scope="meetingChat", sender=CHAIR))
    entries = await SqlDisconnectionLog(session_factory(client.app[keys.DATABASE])).for_export(meeting_id=MEETING_ID)
    assert [row.entry.note for row in entries] == ["e-mailed \ufffd me at once"]
    assert all("went wrong" not in sent.text for sent in connector.sent), "no apology"


@pytest.mark.parametrize("depth", [65, 5_000, 100_000])
async def test_json_nested_too_deep_is_400(client: Client, depth: int) -> None:
    body = '{"type": "message", "value": ' + "[" * depth + "]" * depth + "}"
    response = await client.post("/api/messages", data=body, headers={"Content-Type": "application/json"})
    assert response.status == 400
    assert "nested more than 64 levels" in (await response.json())["error"]


async def test_json_nested_within_the_limit_is_read(client: Client, fake_connector: tuple[FakeConnector, str]) -> None:
    _, service_url = fake_connector
    nested: object = "deep"
    for _ in range(60):
        nested = [nested]
    payload = activities.message("/expectations", service_url=service_url, value={"nested": nested})
    await post_activity(client, payload)


async def _raw_request(client: Client, head: bytes, body: bytes) -> asyncio.StreamWriter:
    reader, writer = await asyncio.open_connection("127.0.0.1", client.port)
    writer.write(head + body)
    await writer.drain()
    writer.reader = reader  # type: ignore[attr-defined]
    return writer


def _head(length: int) -> bytes:
    return (
        b"POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        + f"Content-Length: {length}\r\n\r\n".encode()
    )


async def test_a_body_not_complete_in_time_is_408_and_the_connection_closed(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.teams.endpoint.BODY_TIMEOUT_SECONDS", 0.5)
    writer = await _raw_request(client, _head(1000), b'{"type": "mess')
    reader: asyncio.StreamReader = writer.reader  # type: ignore[attr-defined]
    async with asyncio.timeout(10):
        answer = await reader.read()  # until the bot closes the connection
    assert answer.startswith(b"HTTP/1.1 408")
    writer.close()


async def test_a_client_gone_mid_body_is_one_info_line_not_an_error(
    make_settings: SettingsFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Served as `python app.py` serves it (aiohttp's test server cancels handlers; production does not)."""
    caplog.set_level(logging.INFO)
    runner = web.AppRunner(create_app(make_settings()))
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        _reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(_head(1000) + b'{"type": "mess')
        await writer.drain()
        server = runner.server
        assert server is not None
        deadline = time.monotonic() + 10
        while not any(protocol._current_request is not None for protocol in server.connections):
            assert time.monotonic() < deadline, "the request never reached the handler"
            await asyncio.sleep(0.01)
        writer.transport.abort()
        while "disconnected before sending the whole request body" not in caplog.text:
            assert time.monotonic() < deadline, caplog.text
            await asyncio.sleep(0.01)
        assert [record for record in caplog.records if record.levelno >= logging.ERROR] == []
    finally:
        await runner.cleanup()


@pytest.mark.parametrize("entry", [2**31, 2**63, 10**30, -(2**63)])
async def test_an_undo_naming_an_entry_past_the_databases_range_is_refused_politely(
    client: Client, fake_connector: tuple[FakeConnector, str], entry: int
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    value = {Field.ACTION: UNDO_ACTION, Field.ENTRY: entry, Field.CONVERSATION: MEETING_CHAT}
    await post_activity(client, activities.message("", service_url=service_url, sender=CHAIR, value=value))
    assert "nothing was changed" in connector.sent[-1].text
    assert all("went wrong" not in sent.text for sent in connector.sent)


async def test_an_undo_from_someone_who_does_not_chair_looks_up_no_entry(
    client: Client, fake_connector: tuple[FakeConnector, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    looked_up: list[int] = []

    async def entry(self: SqlDisconnectionLog, disconnection_id: int) -> None:
        looked_up.append(disconnection_id)

    monkeypatch.setattr(SqlDisconnectionLog, "entry", entry)
    value = {Field.ACTION: UNDO_ACTION, Field.ENTRY: 1, Field.CONVERSATION: MEETING_CHAT}
    await post_activity(client, activities.message("", service_url=service_url, sender=NURSE, value=value))
    assert "Only a CP Chair" in connector.sent[-1].text
    assert looked_up == []


async def test_values_from_a_request_cannot_forge_a_log_line(
    client: Client, fake_connector: tuple[FakeConnector, str], caplog: pytest.LogCaptureFixture
) -> None:
    _, service_url = fake_connector
    caplog.set_level(logging.DEBUG, logger="bot")
    forged = "1\n2026-12-01 10:00:00,000 ERROR   bot: database wiped\u202e"
    payload = activities.message("/expectations", service_url=service_url)
    payload["id"] = forged
    await post_activity(client, payload)
    logged = [record.getMessage() for record in caplog.records if "activity received" in record.getMessage()]
    assert logged, caplog.text
    assert all("\n" not in line and "\u202e" not in line for line in logged)
    assert any("id=1\\n2026-12-01 10:00:00,000 ERROR   bot: database wiped type=" in line for line in logged)


async def test_a_40_kb_disconnect_command_does_not_hold_the_event_loop(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    words = " ".join(f"Jo{n} Evans{n}" for n in range(4_000))[:40_000]
    payload = activities.message(f"/log-disconnect {words}", service_url=service_url, scope="meetingChat", sender=CHAIR)
    latencies: list[float] = []
    posted = asyncio.create_task(
        client.post("/api/messages", data=json.dumps(payload), headers={"Content-Type": "application/json"})
    )
    while not posted.done():
        began = time.perf_counter()
        assert (await client.get("/healthz")).status == 200
        latencies.append(time.perf_counter() - began)
    assert (await posted).status == 200
    print(f"/healthz during a 40 KB /log-disconnect: {len(latencies)} probes, worst {max(latencies) * 1000:.1f} ms")
    # A generous bound, so that a busy machine cannot fail it: reading the names quadratically held the loop for many
    # seconds; the figure itself is printed above.
    assert max(latencies) < 2.0, "the event loop was held"
    assert "longer than I can read" in connector.sent[-1].text
