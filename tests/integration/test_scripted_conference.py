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
from zoneinfo import ZoneInfo

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
LONDON = ZoneInfo("Europe/London")

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
    assert facts["People who dropped out"] == "1"
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


async def test_nothing_the_chair_types_or_is_told_reaches_the_meeting_chat(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    conference_start: datetime,
) -> None:
    """The whole script, with the chair at work throughout: in the meeting chat (where they should not type, but
    might) and in their own chat, by fast form and by form, listing and undoing, asking for the quorum and the
    summary; an attendee tries a chair command too. The meeting chat gets the expectations card and nothing else."""
    connector, service_url = fake_connector
    connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, list(EVERYONE), organizer=CHAIR))
    app = create_app(make_settings())
    client = await aiohttp_client(app)
    script = _script(conference_start, service_url, Cast())
    police_back = (conference_start + timedelta(minutes=31)).astimezone(LONDON).strftime("%H:%M")
    teacher_gone = (conference_start + timedelta(minutes=52)).astimezone(LONDON).strftime("%H:%M")
    note = "wifi dropped, e-mailed me"

    def said(text: str, sender: FakePerson, scope: Any, **fields: Any) -> dict[str, Any]:
        return activities.message(text, service_url=service_url, scope=scope, sender=sender, **fields)

    for payload in script[:-2]:  # up to the teacher leaving, before the end
        await _deliver(client, payload)
    at_work = [
        said("/quorum", CHAIR, "meetingChat"),
        said(f"/log-disconnect <at>{POLICE.name}</at> {police_back} {note}", CHAIR, "meetingChat", mentioning=[POLICE]),
        said(f"/log-disconnect Robin {teacher_gone} {note}", CHAIR, "personal"),
        said("/log-disconnect", CHAIR, "meetingChat"),
        said("/disconnects", CHAIR, "meetingChat"),
        said("/disconnects", CHAIR, "personal"),
        said("/summary", CHAIR, "meetingChat"),
        said("/quorum", POLICE, "meetingChat"),
        said("/log-disconnect Robin now", NURSE, "meetingChat"),  # no app: refused, with the one neutral line
    ]
    for payload in at_work:
        await _deliver(client, payload)
    form = next(sent for sent in connector.sent_privately_to(CHAIR) if "Log a disconnection" in sent.text)
    submit = {**form.cards[0]["actions"][0]["data"], "person": NURSE.aad_object_id, "time": teacher_gone}
    await _deliver(client, said("", CHAIR, "meetingChat", value=submit))  # pressed where it does not belong
    for payload in script[-2:]:
        await _deliver(client, payload)
    await app[keys.SERVICES].follow_up.run_once(datetime.now(UTC))

    in_chat = connector.sent_to(MEETING_CHAT)
    assert EXPECTATIONS_TITLE in _texts(in_chat[0].cards[0])
    neutral = [sent.text for sent in in_chat[1:]]
    assert len(neutral) == 1, "only the attendee without the app got one line, saying how to open their own chat"
    assert neutral[0].startswith("I answer CP Chair commands in your own chat with CP Conference Bot")
    # What the chat shows (the replies' addressing, which names whom Teams delivers to, is not shown).
    heard = " ".join(f"{sent.body.get('text')} {sent.body.get('summary')} {sent.cards}" for sent in in_chat)
    for word in [*(person.name for person in EVERYONE), police_back, teacher_gone, "wifi", "Quorate", "Logged"]:
        assert word not in heard, f"{word!r} reached the meeting chat"
    told_chair = " ".join(sent.text for sent in connector.sent_privately_to(CHAIR))
    assert "Quorate" in told_chair
    assert "Logged: Jo Evans" in told_chair
    assert "Conference summary" in told_chair
