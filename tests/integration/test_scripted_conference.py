"""The acceptance script of the meetings issue, end to end over HTTP with the fake Bot Connector.

A conference starts; people join, one drops and rejoins, one drops and never returns, one joins late; it ends. The
meeting chat gets exactly one expectations card and nothing else; the one who dropped out gets a private reminder;
the chair gets a private summary whose figures match the script. Replayed with every event delivered twice, some
at the same moment, the outcome is the same.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.config.settings import Settings
from bot.web import keys
from bot.web.app_factory import create_app
from tests.conftest import ClientFactory, SettingsFactory
from tests.support import activities
from tests.support.activities import CONVERSATION_IDS, MEETING_ID
from tests.support.card_reading import card_objects
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson

Client = TestClient[web.Request, web.Application]
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
EXPECTATIONS_TITLE = "Joining a child protection conference online"

CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
SOCIAL_WORKER = FakePerson("aad-sw", "Sam Patel", "sam.patel@example-council.gov.uk", role="Presenter")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk")
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net", has_app=False)
TEACHER = FakePerson("aad-teacher", "Robin Shaw", "r.shaw@example-school.sch.uk")
EVERYONE = [CHAIR, SOCIAL_WORKER, POLICE, NURSE, TEACHER]


@dataclass(frozen=True)
class Cast:
    """Who plays each part in the script (another test gives them hostile names)."""

    chair: FakePerson = CHAIR
    social_worker: FakePerson = SOCIAL_WORKER
    police: FakePerson = POLICE
    nurse: FakePerson = NURSE
    teacher: FakePerson = TEACHER

    @property
    def everyone(self) -> list[FakePerson]:
        return [self.chair, self.social_worker, self.police, self.nurse, self.teacher]


def _script(start: datetime, service_url: str, cast: Cast) -> list[dict[str, Any]]:
    def at(minutes: float) -> datetime:
        return start + timedelta(minutes=minutes)

    def join(person: FakePerson, minutes: float) -> dict[str, Any]:
        return activities.participants_event(True, [person], at(minutes), service_url=service_url)

    def leave(people: list[FakePerson], minutes: float) -> dict[str, Any]:
        return activities.participants_event(False, people, at(minutes), service_url=service_url)

    return [
        join(cast.chair, -3),
        join(cast.social_worker, -2),
        join(cast.teacher, -1),
        activities.meeting_started(at(0), service_url=service_url),
        join(cast.police, 0.5),
        join(cast.nurse, 7),  # late
        leave([cast.police], 31),  # drops …
        join(cast.police, 33),  # … and is back within the grace time
        leave([cast.teacher], 52),  # drops and never returns
        activities.meeting_ended(at(84), service_url=service_url),
        leave([cast.chair, cast.social_worker, cast.police, cast.nurse], 84),
    ]


async def _run(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    connector: FakeConnector,
    service_url: str,
    *,
    start: datetime,
    duplicated: bool,
    cast: Cast = Cast(),
) -> dict[str, Any]:
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, cast.everyone, organizer=cast.chair))
    app = create_app(make_settings())
    client = await aiohttp_client(app)
    script = _script(start, service_url, cast)
    if not duplicated:
        for payload in script:
            await _deliver(client, payload)
    else:
        for payload in script:
            # The same delivery twice at once, and again later (Teams retries with the same activity id).
            await asyncio.gather(_deliver(client, payload), _deliver(client, payload))
        for payload in reversed(script):
            if payload["name"].endswith(("meetingStart", "meetingEnd")):
                await _deliver(client, payload)

    # What the background follow-up does on its next round; twice at once, as two instances would.
    now = datetime.now(UTC)
    follow_up = app[keys.SERVICES].follow_up
    rounds = 2 if duplicated else 1
    await asyncio.gather(*(follow_up.run_once(now) for _ in range(rounds)))
    [summary] = connector.sent_privately_to(cast.chair)
    [reminder] = connector.sent_privately_to(cast.teacher)
    await client.close()
    return {"summary": summary.cards[0], "reminder": reminder.cards[0], "connector": connector}


async def _deliver(client: Client, payload: dict[str, Any]) -> None:
    response = await client.post("/api/messages", json=payload)
    assert response.status == 200, await response.text()


def _texts(card: dict[str, Any]) -> str:
    return "\n".join(
        node[key] for node in card_objects(card) for key in ("text", "title", "value") if isinstance(node.get(key), str)
    )


def _facts(card: dict[str, Any]) -> dict[str, str]:
    return {
        fact["title"]: fact["value"]
        for node in card_objects(card)
        if node.get("type") == "FactSet"
        for fact in node["facts"]
    }


@pytest.fixture
def conference_start() -> datetime:
    """The conference ended two minutes ago: its summary is due and its drops are recent."""
    return datetime.now(UTC).replace(second=0, microsecond=0) - timedelta(minutes=86)


@pytest.fixture
async def plain_run(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    conference_start: datetime,
) -> dict[str, Any]:
    connector, service_url = fake_connector
    return await _run(aiohttp_client, make_settings, connector, service_url, start=conference_start, duplicated=False)


async def test_the_meeting_chat_gets_exactly_one_card_and_nothing_about_anyone(plain_run: dict[str, Any]) -> None:
    connector: FakeConnector = plain_run["connector"]
    in_chat = connector.sent_to(MEETING_CHAT)
    assert len(in_chat) == 1
    assert EXPECTATIONS_TITLE in _texts(in_chat[0].cards[0])
    for person in EVERYONE:
        assert person.name not in str(in_chat[0].body), "no one's name or attendance in the family-visible chat"


async def test_only_the_one_who_never_returned_is_reminded(plain_run: dict[str, Any]) -> None:
    connector: FakeConnector = plain_run["connector"]
    reminder = _texts(plain_run["reminder"])
    assert "e-mail the CP Chair, Alex Morgan (alex.morgan@example-council.gov.uk)" in reminder
    assert "will be logged" in reminder
    for person in (SOCIAL_WORKER, POLICE, NURSE):
        assert connector.sent_privately_to(person) == [], f"{person.name} did not drop out for long"
    assert connector.refused_private_chats == [], "nobody without the app needed a message"


async def test_the_chair_summary_matches_the_script(plain_run: dict[str, Any]) -> None:
    summary = plain_run["summary"]
    facts = _facts(summary)
    assert facts["People who joined"] == "5"
    assert facts["Joined late"] == "1"
    assert facts["Left before the end"] == "1"
    assert facts["Drop-outs recorded"] == "1"
    assert "(1 h 24 min)" in _texts(summary)
    assert "(late)" in facts["Chris Lee"]
    assert "did not return" in facts["Robin Shaw"]
    assert "away " in facts["Jo Evans"]
    assert "present 1 h 24 min" in facts["Alex Morgan (organiser)"]
    assert any(
        title.endswith("Robin Shaw") and value == "reminded privately to e-mail you" for title, value in facts.items()
    )
    # Social care with police and education from the first minute, health from the seventh: never below quorum.
    assert "Quorate throughout." in _texts(summary)


async def test_a_duplicated_replay_gives_the_same_result(
    plain_run: dict[str, Any],
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    aiohttp_server: Any,
    tmp_path: Any,
    conference_start: datetime,
) -> None:
    connector = FakeConnector()
    server = await aiohttp_server(connector.app())

    def separate_database(**overrides: Any) -> Settings:
        return make_settings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'replay.sqlite3'}", **overrides)

    replay = await _run(
        aiohttp_client,
        separate_database,
        connector,
        str(server.make_url("/")),
        start=conference_start,
        duplicated=True,
    )
    assert replay["summary"] == plain_run["summary"]
    assert replay["reminder"] == plain_run["reminder"]
    assert len(connector.sent_to(MEETING_CHAT)) == 1
    assert len(connector.sent_privately_to(CHAIR)) == 1
    assert len(connector.sent_privately_to(TEACHER)) == 1
