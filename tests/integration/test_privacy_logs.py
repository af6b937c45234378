"""The privacy audit of the logs: a whole conference (joins, a drop-out, the start and end, messages to the bot, a
chair command, the follow-up) with every logger at DEBUG, and not one display name, e-mail address, meeting title
or message text in what was logged. Logs carry ids."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from bot.logging_setup import LIBRARIES_THAT_LOG_DATA, quieten_libraries
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.integration.test_scripted_conference import CHAIR, EVERYONE, _run
from tests.support import activities
from tests.support.fake_connector import FakeConnector


@pytest.fixture(autouse=True)
def _library_levels_restored() -> Iterator[None]:
    levels = {name: logging.getLogger(name).level for name in LIBRARIES_THAT_LOG_DATA}
    yield
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


PRIVATE_TEXT = "Smith family: mother arriving late, do not mention the address"
MEETING_TITLE = "ICPC Smith"  # the title the recorded meeting-start payloads carry: a family's name


async def test_nothing_personal_is_logged_even_at_debug(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    connector, service_url = fake_connector
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=86)
    caplog.set_level(logging.DEBUG)
    quieten_libraries(logging.DEBUG)  # as `python app.py` does with LOG_LEVEL=DEBUG
    await _run(aiohttp_client, make_settings, connector, service_url, start=start, duplicated=False)
    # Messages after the conference, in its chat and privately: their text must not be logged either.
    client = await aiohttp_client(create_app(make_settings()))
    for payload in (
        activities.message(PRIVATE_TEXT, service_url=service_url, scope="meetingChat", sender=CHAIR),
        activities.message(PRIVATE_TEXT, service_url=service_url, sender=CHAIR),
        activities.message(
            f"/log-disconnect {PRIVATE_TEXT}", service_url=service_url, scope="meetingChat", sender=CHAIR
        ),
    ):
        assert (await client.post("/api/messages", json=payload)).status == 200

    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert len(caplog.records) > 20, "the run was logged"
    forbidden = [person.name for person in EVERYONE] + [person.email for person in EVERYONE]
    forbidden += [MEETING_TITLE, PRIVATE_TEXT, "Smith family", "Alex Wilber"]
    found = [word for word in forbidden if word.lower() in logged.lower()]
    assert found == [], f"logged: {found}"
