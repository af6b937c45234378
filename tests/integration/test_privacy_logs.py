"""The privacy audit of the logs: a whole conference (joins, a drop-out, the start and end, messages to the bot, a
chair command, the follow-up) with every logger at DEBUG, and not one display name, e-mail address, meeting title
or message text in what was logged. Logs carry ids."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.domain.disconnections import DisconnectionSource
from bot.logs.setup import LIBRARIES_THAT_LOG_DATA, quieten_libraries
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.integration.test_scripted_conference import CHAIR, EVERYONE, Cast, _run
from tests.support import activities
from tests.support.activities import MEETING_ID
from tests.support.bot_http import post_activity
from tests.support.fake_connector import FakeConnector, FakePerson
from tests.support.report_scene import CHAIR as REPORTS_CHAIR
from tests.support.report_scene import (
    HEALTH,
    POLICE,
    SOCIAL_WORKER,
    TEACHER,
    Scene,
    play_every_part,
)


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


# Each hostile name carries one ordinary word of its own (the last), to look for in the log whatever escaping the log
# applies to the rest: markdown, HTML, bidi overrides, zero-width and control characters, a lone surrogate, scripts.
HOSTILE_CAST = Cast(
    chair=FakePerson(
        "aad-chair", "**Zelda** [Quillon](https://evil.example/x)", "zq@example-council.gov.uk", "Organizer"
    ),
    social_worker=FakePerson("aad-sw", "<b>Marisol</b>\u202eVantablack", "mv@example-council.gov.uk", role="Presenter"),
    police=FakePerson("aad-police", "Ødegård\u2066 Krzysztofik", "ok@example.police.uk"),
    nurse=FakePerson("aad-nurse", "Θεοδώρα\u200b\nINFO forged-line Papadakis", "tp@nhs.net", has_app=False),
    teacher=FakePerson("aad-teacher", "# Анастасия \ud800 Volkonskaya", "av@example-school.sch.uk"),
)
HOSTILE_WORDS = ["Quillon", "Vantablack", "Krzysztofik", "Papadakis", "Volkonskaya", "Анастасия", "Θεοδώρα"]
HOSTILE_NOTES = [
    "Tanglewood [call](https://evil.example) **now**\u202e\nERROR forged",
    "Larkspur <script>x</script>\u200b # heading\r\n- list",
]


async def test_a_conference_with_hostile_names_and_notes_logs_none_of_them_at_debug(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    connector, service_url = fake_connector
    cast = HOSTILE_CAST
    start = datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=86)
    caplog.set_level(logging.DEBUG)
    quieten_libraries(logging.DEBUG)
    await _run(aiohttp_client, make_settings, connector, service_url, start=start, duplicated=False, cast=cast)

    client = await aiohttp_client(create_app(make_settings()))
    police_dropped = (start + timedelta(minutes=31)).astimezone(ZoneInfo("Europe/London")).strftime("%H:%M")
    chair, police = cast.chair, cast.police
    # The fast form, naming the police officer by @mention, with a hostile note.
    fast = f"/log-disconnect <at>{police.name}</at> {police_dropped} {HOSTILE_NOTES[0]}"
    await post_activity(
        client,
        activities.message(fast, service_url=service_url, scope="meetingChat", sender=chair, mentioning=(police,)),
    )
    # The form, submitted with the other hostile note for the teacher.
    await post_activity(
        client, activities.message("/log-disconnect", service_url=service_url, scope="meetingChat", sender=chair)
    )
    form = connector.sent_privately_to(chair)[-1]
    [action] = form.cards[0]["actions"]
    submit = {**action["data"], "person": cast.teacher.aad_object_id, "time": police_dropped, "note": HOSTILE_NOTES[1]}
    await post_activity(
        client,
        activities.message(
            "", service_url=service_url, scope="personal", sender=chair, value=submit, reply_to_id=form.activity_id
        ),
    )
    # The list, and someone who is not the chair trying the command with a hostile note.
    for payload in (
        activities.message("/disconnects", service_url=service_url, scope="meetingChat", sender=chair),
        activities.message(fast, service_url=service_url, scope="meetingChat", sender=cast.nurse, mentioning=(police,)),
    ):
        await post_activity(client, payload)

    entries = await SqlDisconnectionLog(session_factory(client.app[keys.DATABASE])).for_export(meeting_id=MEETING_ID)
    stored = {
        row.entry.aad_object_id: row.entry.note or ""
        for row in entries
        if row.entry.source is DisconnectionSource.CHAIR
    }
    assert set(stored) == {police.aad_object_id, cast.teacher.aad_object_id}, "both hostile paths were exercised"
    assert "Tanglewood" in stored[police.aad_object_id]
    assert "Larkspur" in stored[cast.teacher.aad_object_id]

    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert len(caplog.records) > 20, "the run was logged"
    forbidden = [*HOSTILE_WORDS, "Tanglewood", "Larkspur", "forged", "evil.example"]
    forbidden += [person.email for person in cast.everyone] + [MEETING_TITLE]
    found = [word for word in forbidden if word.lower() in logged.lower()]
    assert found == [], f"logged: {found}"


async def test_reports_and_quoracy_at_the_door_log_no_names_addresses_reasons_or_tokens(
    scene: Scene, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    quieten_libraries(logging.DEBUG)
    played = await play_every_part(scene)

    logged = "\n".join(record.getMessage() + (record.exc_text or "") for record in caplog.records)
    assert "report confirmation conference=" in logged, "the run was logged"
    people = [REPORTS_CHAIR, SOCIAL_WORKER, POLICE, TEACHER, HEALTH]
    forbidden = [p.name for p in people] + [p.email for p in people] + ["ICPC Family", "Family", played.reason]
    forbidden += ["Hollyhock", played.link_token]
    found = [word for word in forbidden if word.lower() in logged.lower()]
    assert found == [], f"logged: {found}"
