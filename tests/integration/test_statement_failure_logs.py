"""A database statement that fails leaves no name or note in the log, on PostgreSQL: a value too long for its column
(the columns are narrowed for the test, since what enters is already bounded to them), and a connection terminated
with `pg_terminate_backend` while the statement waits on a lock (as in a failover). SQLAlchemy would put the
statement's parameters in its error message, and the turn-error line writes the error."""

from __future__ import annotations

import asyncio
import logging
import time

import asyncpg
import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.engine import make_url

from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.bot_http import conference_running
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson

Client = TestClient[web.Request, web.Application]
CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk")
NURSE = FakePerson("aad-nurse", "Chrysanthemum Leewood", "chris.lee@nhs.net")
NOTE = "Smith family home visit overran"


@pytest.fixture
async def client(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    postgres_url: str,
) -> Client:
    connector, _ = fake_connector
    connector.add_meeting(
        FakeMeeting(MEETING_ID, CONVERSATION_IDS["meetingChat"], [CHAIR, POLICE, NURSE], organizer=CHAIR)
    )
    return await aiohttp_client(create_app(make_settings(database_url=postgres_url)))


async def _admin(postgres_url: str) -> asyncpg.Connection:
    url = make_url(postgres_url)
    return await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password, database=url.database
    )


def _logged(caplog: pytest.LogCaptureFixture) -> str:
    return "\n".join(record.getMessage() + "\n" + (record.exc_text or "") for record in caplog.records)


def _assert_nothing_personal(caplog: pytest.LogCaptureFixture) -> None:
    logged = _logged(caplog)
    assert "turn failed" in logged, "the statement did fail"
    for private in (POLICE.name, NURSE.name, NOTE, "Smith"):
        assert private not in logged, f"{private!r} was logged"


async def test_values_too_long_for_their_columns_leave_no_name_or_note_in_the_log(
    client: Client, fake_connector: tuple[FakeConnector, str], postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _, service_url = fake_connector
    start = await conference_running(client, service_url, [CHAIR])
    admin = await _admin(postgres_url)
    try:
        await admin.execute(
            "ALTER TABLE attendance_events ALTER COLUMN display_name TYPE varchar(12) USING left(display_name, 12)"
        )
        await admin.execute("ALTER TABLE disconnections ALTER COLUMN note TYPE varchar(4)")
    finally:
        await admin.close()
    caplog.set_level(logging.DEBUG)
    joined = activities.participants_event(True, [POLICE, NURSE], start, service_url=service_url)
    assert (await client.post("/api/messages", json=joined)).status in (200, 500)
    _assert_nothing_personal(caplog)
    assert "sqlstate=22001" in _logged(caplog)
    assert "table=attendance_events" in _logged(caplog)
    caplog.clear()
    text = f"/log-disconnect Alex Morgan now {NOTE}"
    logged = activities.message(text, service_url=service_url, scope="meetingChat", sender=CHAIR)
    assert (await client.post("/api/messages", json=logged)).status == 200
    _assert_nothing_personal(caplog)
    assert "table=disconnections" in _logged(caplog)


async def test_a_connection_terminated_mid_statement_leaves_no_name_in_the_log(
    client: Client, fake_connector: tuple[FakeConnector, str], postgres_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    _, service_url = fake_connector
    start = await conference_running(client, service_url, [CHAIR])
    database = make_url(postgres_url).database
    locker, admin = await _admin(postgres_url), await _admin(postgres_url)
    caplog.set_level(logging.DEBUG)
    try:
        transaction = locker.transaction()
        await transaction.start()
        await locker.execute("LOCK TABLE attendance_events IN ACCESS EXCLUSIVE MODE")
        joined = activities.participants_event(True, [POLICE, NURSE], start, service_url=service_url)
        posted = asyncio.create_task(client.post("/api/messages", json=joined))
        deadline = time.monotonic() + 20
        waiting: list[int] = []
        while not waiting:
            assert time.monotonic() < deadline, "the join never waited on the lock"
            rows = await admin.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock' AND pid <> $2",
                database,
                locker.get_server_pid(),
            )
            waiting = [row["pid"] for row in rows]
            await asyncio.sleep(0.02)
        for pid in waiting:
            await admin.execute("SELECT pg_terminate_backend($1)", pid)
        response = await posted
        await transaction.rollback()
    finally:
        await locker.close()
        await admin.close()
    assert response.status in (200, 500)
    _assert_nothing_personal(caplog)
