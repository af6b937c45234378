"""The chair's disconnection log over HTTP, with the fake Bot Connector: who may write it, the fast form, the form
card, `/disconnects` with undo, the export and the retention purge. Whether typed in the meeting chat or the
chair's own chat, every answer goes to the asker privately: the meeting chat, which the family reads, hears none."""

from __future__ import annotations

import asyncio
import csv
import io
import logging
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient

from bot.cli.main import main
from bot.domain.chairs import AuditOutcome, ChairBasis
from bot.domain.disconnections import Disconnection, DisconnectionSource
from bot.exports.disconnection_csv import COLUMNS
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
from tests.support.fake_connector import FakeConnector, FakeMeeting, FakePerson, SentActivity
from tests.support.simulated_clock import SimulatedClock

Client = TestClient[web.Request, web.Application]
MEETING_CHAT = CONVERSATION_IDS["meetingChat"]
PERSONAL_CHAT = CONVERSATION_IDS["personal"]
LONDON = ZoneInfo("Europe/London")

CHAIR = FakePerson("aad-chair", "Alex Morgan", "alex.morgan@example-council.gov.uk", role="Organizer")
BUSINESS_SUPPORT = FakePerson("aad-support", "Pat Kaur", "pat.kaur@example-council.gov.uk", role="Presenter")
NAMED_CHAIR = FakePerson("3f2504e0-4f89-41d3-9a0c-0305e82c3301", "Sam Okafor", "sam.okafor@example-council.gov.uk")
POLICE = FakePerson("aad-police", "Jo Evans", "jo.evans@example.police.uk")
NURSE = FakePerson("aad-nurse", "Chris Lee", "chris.lee@nhs.net")
EVERYONE = [CHAIR, BUSINESS_SUPPORT, NAMED_CHAIR, POLICE, NURSE]


@pytest.fixture
async def meeting(fake_connector: tuple[FakeConnector, str]) -> FakeMeeting:
    connector, _ = fake_connector
    return connector.add_meeting(FakeMeeting(MEETING_ID, MEETING_CHAT, list(EVERYONE), organizer=CHAIR))


NAMED_CHAIRS = f"{NAMED_CHAIR.aad_object_id}, {BUSINESS_SUPPORT.email.upper()}"


@pytest.fixture
async def client(aiohttp_client: ClientFactory, make_settings: SettingsFactory, meeting: FakeMeeting) -> Client:
    """Named chairs in the meeting, and the organiser chairing too (`ORGANISER_IS_CHAIR=always`): the log's tests
    are about what each chair can do. Who chairs by default is `test_chair_commands`' and the chair check's."""
    return await aiohttp_client(create_app(make_settings(chair_users=NAMED_CHAIRS, organiser_is_chair="always")))


async def _say(
    client: Client,
    service_url: str,
    text: str,
    sender: FakePerson,
    *,
    mentioning: tuple[FakePerson, ...] = (),
    scope: Any = "meetingChat",
) -> dict[str, Any]:
    payload = activities.message(text, service_url=service_url, scope=scope, sender=sender, mentioning=mentioning)
    await post_activity(client, payload)
    return payload


def _told(connector: FakeConnector, person: FakePerson) -> str:
    """The last thing the bot told `person` privately."""
    return connector.sent_privately_to(person)[-1].text


def _meeting_chat_heard(connector: FakeConnector) -> list[str]:
    """What the meeting chat got, the start card left out (the family may read all of it)."""
    return [sent.text for sent in connector.sent_to(MEETING_CHAT) if "This conference started at" not in sent.text]


def _log(client: Client) -> SqlDisconnectionLog:
    return SqlDisconnectionLog(session_factory(client.app[keys.DATABASE]))


async def _entries(client: Client) -> list[Disconnection]:
    return [row.entry for row in await _log(client).for_export(meeting_id=MEETING_ID)]


def _clock(moment: datetime) -> str:
    return moment.astimezone(LONDON).strftime("%H:%M")


async def test_an_attendee_is_refused_politely_and_the_attempt_audited_without_what_they_typed(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _say(client, service_url, "/log-disconnect <at>Jo Evans</at> now secret words", NURSE, mentioning=(POLICE,))
    reply = _told(connector, NURSE)
    assert _meeting_chat_heard(connector) == []
    assert "Only a CP Chair can log a disconnection." in reply
    assert "the people your Teams administrator has named as CP Chairs who are in this conference" in reply
    assert await _entries(client) == []
    [attempt] = await SqlChairAudit(session_factory(client.app[keys.DATABASE])).entries(MEETING_ID)
    assert (attempt.command, attempt.outcome, attempt.aad_object_id, attempt.basis) == (
        "log-disconnect",
        AuditOutcome.REFUSED,
        NURSE.aad_object_id,
        None,
    )
    assert "secret" not in repr(attempt)


async def test_the_organisers_fast_form_logs_one_entry_and_only_the_chair_is_told(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    start = await conference_running(client, service_url, EVERYONE)
    dropped = start + timedelta(minutes=12)
    command = f"/log-disconnect <at>Jo Evans</at> {_clock(dropped)} lost connection, e-mailed <b>me</b>"
    payload = await _say(client, service_url, command, CHAIR, mentioning=(POLICE,))
    await post_activity(client, payload)  # Teams delivers the same message again
    [entry] = await _entries(client)
    assert (entry.aad_object_id, entry.display_name, entry.source, entry.logged_by) == (
        POLICE.aad_object_id,
        "Jo Evans",
        DisconnectionSource.CHAIR,
        CHAIR.aad_object_id,
    )
    assert entry.disconnected_at == dropped.replace(second=0, microsecond=0)
    assert entry.note == "lost connection, e-mailed me"
    assert _told(connector, CHAIR).startswith(f"Logged: Jo Evans lost connection at {_clock(dropped)}.")
    assert _meeting_chat_heard(connector) == [], "no name, time or note reaches the meeting chat"


@pytest.mark.parametrize("chair", [NAMED_CHAIR, BUSINESS_SUPPORT], ids=["by object id", "by user principal name"])
async def test_a_chair_the_administrator_named_may_log(
    client: Client, fake_connector: tuple[FakeConnector, str], chair: FakePerson
) -> None:
    _, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _say(client, service_url, "/log-disconnect Chris now", chair)
    [entry] = await _entries(client)
    assert (entry.aad_object_id, entry.logged_by) == (NURSE.aad_object_id, chair.aad_object_id)
    [attempt] = await SqlChairAudit(session_factory(client.app[keys.DATABASE])).entries(MEETING_ID)
    assert (attempt.outcome, attempt.basis) == (AuditOutcome.ALLOWED, ChairBasis.NAMED)


@pytest.mark.parametrize(
    ("status", "delay", "says"),
    [
        (None, 3.0, "Teams did not tell me in time who chairs this meeting."),
        (500, 0.0, "Teams did not tell me in time who chairs this meeting."),
        (403, 0.0, "CP Conference Bot has not been added to it"),
        (404, 0.0, "Teams no longer says who organised this meeting"),
    ],
    ids=["timeout", "error", "403", "404"],
)
async def test_when_teams_cannot_say_who_chairs_the_answer_says_so_and_nothing_is_logged(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    meeting: FakeMeeting,
    fake_connector: tuple[FakeConnector, str],
    status: int | None,
    delay: float,
    says: str,
) -> None:
    connector, service_url = fake_connector
    client = await aiohttp_client(
        create_app(make_settings(chair_users=NAMED_CHAIRS, organiser_is_chair="always", teams_timeout_seconds=1))
    )
    connector.meeting_api_status = status
    connector.meeting_api_delay = delay
    await _say(client, service_url, "/log-disconnect Chris now", CHAIR)  # no join events: nothing else to go by
    reply = _told(connector, CHAIR)
    assert says in reply
    assert "Nothing was done." in reply
    assert await _entries(client) == []
    [attempt] = await SqlChairAudit(session_factory(client.app[keys.DATABASE])).entries(MEETING_ID)
    assert attempt.outcome is AuditOutcome.UNVERIFIED


async def test_after_the_meeting_expires_an_attendee_is_still_refused_and_the_organiser_still_allowed(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    start = await conference_running(client, service_url, EVERYONE, minutes_ago=90)
    await post_activity(client, activities.meeting_ended(start + timedelta(minutes=80), service_url=service_url))
    connector.meeting_api_status = 404
    await _say(client, service_url, f"/log-disconnect Jo {_clock(start + timedelta(minutes=30))}", NURSE)
    assert "Only a CP Chair can log a disconnection." in _told(connector, NURSE)
    assert await _entries(client) == []
    await _say(client, service_url, f"/log-disconnect Jo {_clock(start + timedelta(minutes=30))}", CHAIR)
    assert len(await _entries(client)) == 1


async def test_times_in_the_future_or_before_the_start_are_refused_with_the_reason(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory, meeting: FakeMeeting, fake_connector: Any
) -> None:
    """On the app's clock at 14:00, so "half an hour from now" is later today whenever the test runs (near midnight
    it would be tomorrow's early hours, which the fast form rightly reads as this morning)."""
    connector, service_url = fake_connector
    clock = SimulatedClock(datetime(2026, 3, 5, 14, 0, tzinfo=UTC))
    settings = make_settings(chair_users=NAMED_CHAIRS, organiser_is_chair="always")
    client = await aiohttp_client(create_app(settings, clock=clock))
    start = clock.now - timedelta(minutes=20)
    await post_activity(client, activities.meeting_started(start, service_url=service_url))
    await post_activity(client, activities.participants_event(True, EVERYONE, start, service_url=service_url))
    later = clock.now + timedelta(minutes=30)
    await _say(client, service_url, f"/log-disconnect Jo {_clock(later)}", CHAIR)
    assert f"{_clock(later)} is later than now" in _told(connector, CHAIR)
    earlier = start - timedelta(minutes=30)
    await _say(client, service_url, f"/log-disconnect Jo {_clock(earlier)}", CHAIR)
    assert f"{_clock(earlier)} is before the conference started ({_clock(start)})" in _told(connector, CHAIR)
    assert "Nothing was logged." in _told(connector, CHAIR)
    assert await _entries(client) == []


async def _the_form(
    client: Client, connector: FakeConnector, service_url: str, text: str, scope: Any = "meetingChat"
) -> SentActivity:
    """The form, asked for by the chair: always sent to them privately (it lists everyone who joined)."""
    await _say(client, service_url, text, CHAIR, scope=scope)
    form = connector.sent_privately_to(CHAIR)[-1] if scope != "personal" else connector.sent_to(PERSONAL_CHAT)[-1]
    assert form.cards[0]["body"][0]["text"] == "Log a disconnection"
    assert _meeting_chat_heard(connector) == []
    return form


def _submit(form: SentActivity, **inputs: Any) -> dict[str, Any]:
    [action] = form.cards[0]["actions"]
    return {**action["data"], **inputs}


async def _press(
    client: Client, service_url: str, sender: FakePerson, value: dict[str, Any], scope: Any = "personal"
) -> None:
    """A card's button pressed by `sender`: an empty message carrying the card's data."""
    await post_activity(
        client, activities.message("", service_url=service_url, scope=scope, sender=sender, value=value)
    )


async def test_the_form_logs_one_entry_however_often_it_is_submitted(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    start = await conference_running(client, service_url, EVERYONE)
    form = await _the_form(client, connector, service_url, "/log-disconnect")
    [choices] = [element for element in card_objects(form.cards[0]) if element.get("id") == "person"]
    assert {choice["title"] for choice in choices["choices"]} == {person.name for person in EVERYONE}
    dropped = start + timedelta(minutes=9)
    value = _submit(form, person=NURSE.aad_object_id, time=_clock(dropped), emailed="true", note="router failed")
    submit = activities.message(
        "", service_url=service_url, scope="personal", sender=CHAIR, value=value, reply_to_id=form.activity_id
    )
    submit["conversation"]["id"] = form.conversation_id  # pressed where it was sent: the chair's private chat
    await asyncio.gather(*(post_activity(client, {**submit, "id": f"submit-{n}"}) for n in range(3)))
    [entry] = await _entries(client)
    assert (entry.aad_object_id, entry.disconnected_at, entry.emailed_chair, entry.note) == (
        NURSE.aad_object_id,
        dropped.replace(second=0, microsecond=0),
        True,
        "router failed",
    )
    replaced = [update for update in connector.updated if update.reply_to_id == form.activity_id]
    assert replaced, "the form is replaced so it cannot be submitted again by accident"
    assert replaced[0].text.startswith(f"Logged: Chris Lee lost connection at {_clock(dropped)}.")
    assert _meeting_chat_heard(connector) == []


async def test_a_name_that_fits_two_people_answers_with_the_form_saying_why(
    client: Client, fake_connector: tuple[FakeConnector, str], meeting: FakeMeeting
) -> None:
    connector, service_url = fake_connector
    meeting.people.append(FakePerson("aad-nurse-2", "Chris Lee", "c.lee@example-school.sch.uk"))
    await conference_running(client, service_url, EVERYONE)
    form = await _the_form(client, connector, service_url, "/log-disconnect Chris Lee 10:00")
    assert "More than one person here is called Chris Lee" in form.text
    assert await _entries(client) == []


async def test_a_form_is_only_accepted_for_its_conference_and_from_a_chair(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    form = await _the_form(client, connector, service_url, "/log-disconnect")
    elsewhere = _submit(form, person=NURSE.aad_object_id, time="00:00", conversation="19:meeting_other@thread.v2")
    await _press(client, service_url, CHAIR, elsewhere)
    assert "This form belongs to another conversation" in connector.sent[-1].text
    from_attendee = _submit(form, person=NURSE.aad_object_id, time=_clock(datetime.now(UTC)))
    await _press(client, service_url, NURSE, from_attendee)
    assert "Only a CP Chair can log a disconnection." in connector.sent[-1].text
    stranger = _submit(form, person="aad-not-here", time=_clock(datetime.now(UTC)))
    await _press(client, service_url, CHAIR, stranger)
    assert "not in this meeting's list of people" in connector.sent[-1].text
    in_another_group_chat = _submit(form, person=NURSE.aad_object_id, time=_clock(datetime.now(UTC)))
    await _press(client, service_url, CHAIR, in_another_group_chat, scope="groupChat")
    assert "This form belongs to another conversation" in connector.sent[-1].text
    assert await _entries(client) == []


async def test_the_chair_sees_the_log_privately_and_can_undo_their_own_entry(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _say(client, service_url, "/log-disconnect <at>Jo Evans</at> now wifi", CHAIR, mentioning=(POLICE,))
    await _say(client, service_url, "/disconnects", CHAIR)
    assert _meeting_chat_heard(connector) == []
    [_, private] = connector.sent_privately_to(CHAIR)
    assert "Jo Evans" in private.text
    assert "Note: wifi" in private.text
    [undo] = [action for action in card_objects(private.cards[0]) if action.get("title") == "Undo this entry"]
    press = activities.message(
        "",
        service_url=service_url,
        scope="personal",
        sender=CHAIR,
        value=undo["data"],
        reply_to_id=private.activity_id,
    )
    press["conversation"]["id"] = private.conversation_id
    await post_activity(client, press)
    [entry] = await _entries(client)
    assert (entry.undone_by, entry.undone_at is not None) == (CHAIR.aad_object_id, True), "recorded, not deleted"
    [refreshed] = connector.updated
    assert "(undone)" in refreshed.text
    assert "Undo this entry" not in str(refreshed.cards)


async def test_nobody_else_sees_the_log_or_undoes_an_entry(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _say(client, service_url, "/log-disconnect Jo now", CHAIR)
    await _say(client, service_url, "/disconnects", NURSE)
    [refused] = connector.sent_privately_to(NURSE)
    assert "Only a CP Chair can see the disconnection log." in refused.text
    assert "Jo" not in refused.text
    [entry] = await _entries(client)
    forged = {"action": "undo-disconnect", "entry": entry.id, "conversation": MEETING_CHAT}
    await _press(client, service_url, NURSE, forged, scope="personal")
    await _press(client, service_url, NAMED_CHAIR, forged, scope="personal")
    assert "Only the chair who logged an entry can undo it" in connector.sent[-1].text
    [still] = await _entries(client)
    assert still.undone_at is None


async def test_an_undo_naming_another_meeting_changes_nothing(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    """The chair of one meeting, pressing undo with data claiming the entry belongs to another meeting they chair."""
    connector, service_url = fake_connector
    other_chat = "19:meeting_OtherConference0000@thread.v2"
    connector.add_meeting(FakeMeeting("other-meeting", other_chat, list(EVERYONE), organizer=CHAIR))
    await conference_running(client, service_url, EVERYONE)
    await _say(client, service_url, "/log-disconnect Jo now", CHAIR)
    elsewhere = activities.message("/expectations", service_url=service_url, scope="meetingChat", sender=CHAIR)
    elsewhere["conversation"]["id"] = other_chat
    elsewhere["channelData"]["meeting"]["id"] = "other-meeting"
    await post_activity(client, elsewhere)
    [entry] = await _entries(client)
    forged = {"action": "undo-disconnect", "entry": entry.id, "conversation": other_chat}
    await _press(client, service_url, CHAIR, forged, scope="personal")
    assert "I could not find that entry, so nothing was changed." in connector.sent[-1].text
    [still] = await _entries(client)
    assert still.undone_at is None


@pytest.mark.parametrize("scope", ["groupChat", "channel"])
@pytest.mark.parametrize("command", ["/log-disconnect Jo 10:42", "/disconnects"])
async def test_where_no_conference_is_held_the_commands_say_where_they_work(
    client: Client, fake_connector: tuple[FakeConnector, str], scope: Any, command: str
) -> None:
    connector, service_url = fake_connector
    await _say(client, service_url, command, CHAIR, scope=scope)
    [reply] = connector.sent
    assert reply.text.startswith(f"/{command.split()[0][1:]} works in your own chat with CP Conference Bot")
    assert connector.calls == []


async def test_in_the_chairs_own_chat_the_chair_logs_by_name_and_by_form_lists_and_undoes(
    client: Client, fake_connector: tuple[FakeConnector, str]
) -> None:
    connector, service_url = fake_connector
    start = await conference_running(client, service_url, EVERYONE)
    dropped = start + timedelta(minutes=7)
    await _say(client, service_url, f"/log-disconnect Jo {_clock(dropped)} could not rejoin", CHAIR, scope="personal")
    assert connector.sent_to(PERSONAL_CHAT)[-1].text.startswith("Logged: Jo Evans lost connection at")
    form = await _the_form(client, connector, service_url, "/log-disconnect", scope="personal")
    await _press(client, service_url, CHAIR, _submit(form, person=NURSE.aad_object_id, time=_clock(dropped)))
    await _say(client, service_url, "/disconnects", CHAIR, scope="personal")
    log_card = connector.sent_to(PERSONAL_CHAT)[-1]
    assert "Jo Evans" in log_card.text
    assert "Chris Lee" in log_card.text
    assert "Note: could not rejoin" in log_card.text
    undo = [action for action in card_objects(log_card.cards[0]) if action.get("title") == "Undo this entry"]
    await _press(client, service_url, CHAIR, undo[0]["data"])
    assert sum(entry.undone_at is not None for entry in await _entries(client)) == 1
    assert _meeting_chat_heard(connector) == []
    assert connector.sent_privately_to(CHAIR) == [], "answered in the chair's chat, never in another"


async def test_the_export_has_the_entries_for_business_support(
    client: Client, fake_connector: tuple[FakeConnector, str], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    _, service_url = fake_connector
    await conference_running(client, service_url, EVERYONE)
    await _say(
        client, service_url, '/log-disconnect <at>Jo Evans</at> now =HYPERLINK("x")', CHAIR, mentioning=(POLICE,)
    )
    monkeypatch.setenv("DATABASE_URL", client.app[keys.SETTINGS].database_url)
    assert await asyncio.to_thread(main, ["export-disconnects", "--meeting", MEETING_ID]) == 0
    [row] = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["person_name"], row["source"], row["logged_by"]) == ("Jo Evans", "chair", CHAIR.aad_object_id)
    assert row["note"] == '\'=HYPERLINK("x")', "a spreadsheet never runs a note as a formula"


async def test_the_background_purge_removes_conferences_past_the_retention_time(
    aiohttp_client: ClientFactory,
    make_settings: SettingsFactory,
    fake_connector: tuple[FakeConnector, str],
    meeting: FakeMeeting,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _, service_url = fake_connector
    caplog.set_level(logging.INFO, logger="bot.usecases.retention")
    client = await aiohttp_client(create_app(make_settings(retention_days=30, purge_interval_seconds=0.2)))
    await post_activity(
        client, activities.meeting_started(datetime.now(UTC) - timedelta(days=31), service_url=service_url)
    )
    records = SqlMeetingRecords(session_factory(client.app[keys.DATABASE]))

    async def purged() -> bool:
        deleted = any("sessions=1" in record.getMessage() for record in caplog.records)
        return deleted and await records.latest_session(MEETING_ID) is None

    await wait_until(purged, within=10, what="the background purge of a conference 31 days old")


async def test_acceptance_a_scripted_meeting_from_refusal_to_purge(
    client: Client, fake_connector: tuple[FakeConnector, str], monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    """Issue 4's acceptance, in one meeting: an attendee is refused and audited; the chair's fast form and form each
    write one entry with the right person and time; /disconnects shows them; the export and the summary contain
    them; after the retention period they are gone."""
    connector, service_url = fake_connector
    start = await conference_running(client, service_url, EVERYONE, minutes_ago=40)
    audit = SqlChairAudit(session_factory(client.app[keys.DATABASE]))

    await _say(client, service_url, "/log-disconnect <at>Jo Evans</at> now", NURSE, mentioning=(POLICE,))
    assert "Only a CP Chair can log a disconnection." in _told(connector, NURSE)
    assert [entry.outcome for entry in await audit.entries(MEETING_ID)] == [AuditOutcome.REFUSED]

    police_dropped = start + timedelta(minutes=12)
    await _say(
        client, service_url, f"/log-disconnect <at>Jo Evans</at> {_clock(police_dropped)}", CHAIR, mentioning=(POLICE,)
    )
    form = await _the_form(client, connector, service_url, "/log-disconnect")
    nurse_dropped = start + timedelta(minutes=25)
    value = _submit(form, person=NURSE.aad_object_id, time=_clock(nurse_dropped), emailed="true", note="no signal")
    for _ in range(2):
        await post_activity(
            client,
            activities.message(
                "",
                service_url=service_url,
                scope="personal",
                sender=CHAIR,
                value=value,
                reply_to_id=form.activity_id,
            ),
        )
    entries = await _entries(client)
    assert [(entry.aad_object_id, entry.disconnected_at) for entry in entries] == [
        (POLICE.aad_object_id, police_dropped.replace(second=0, microsecond=0)),
        (NURSE.aad_object_id, nurse_dropped.replace(second=0, microsecond=0)),
    ]

    await _say(client, service_url, "/disconnects", CHAIR)
    log_card = connector.sent_privately_to(CHAIR)[-1]
    assert "Jo Evans" in log_card.text
    assert "Chris Lee" in log_card.text
    assert "Note: no signal" in log_card.text
    assert f"Meeting reference for business support's export: {MEETING_ID}" in log_card.text

    monkeypatch.setenv("DATABASE_URL", client.app[keys.SETTINGS].database_url)
    assert await asyncio.to_thread(main, ["export-disconnects", "--meeting", MEETING_ID, "--format", "json"]) == 0
    exported = capsys.readouterr().out
    assert '"person_name": "Jo Evans"' in exported
    assert '"person_name": "Chris Lee"' in exported

    await _say(client, service_url, "/summary", CHAIR)
    summary = str(connector.sent_privately_to(CHAIR)[-1].cards)
    assert "Jo Evans" in summary
    assert "e-mailed the chair: no signal" in summary

    await client.app[keys.SERVICES].retention.run_once(datetime.now(UTC) + timedelta(days=31))
    assert await _entries(client) == []
    assert await audit.entries(MEETING_ID) == []
    assert await asyncio.to_thread(main, ["export-disconnects", "--meeting", MEETING_ID]) == 0
    assert capsys.readouterr().out.strip() == ",".join(COLUMNS)


async def test_a_chair_command_runs_on_the_apps_clock(
    aiohttp_client: ClientFactory, make_settings: SettingsFactory, meeting: FakeMeeting, fake_connector: Any
) -> None:
    """Turns read the clock the app was given, like the background work: `now` in a chair's command is its time."""
    connector, service_url = fake_connector
    clock = SimulatedClock(datetime(2026, 3, 5, 9, 40, 30, tzinfo=UTC))
    client = await aiohttp_client(
        create_app(make_settings(chair_users=NAMED_CHAIRS, organiser_is_chair="always"), clock=clock)
    )
    start = datetime(2026, 3, 5, 9, 0, tzinfo=UTC)
    await post_activity(client, activities.meeting_started(start, service_url=service_url))
    await _say(client, service_url, "/log-disconnect <at>Jo Evans</at> now", CHAIR, mentioning=(POLICE,))
    [entry] = await _entries(client)
    assert entry.disconnected_at == clock.now
    [recorded] = await _log(client).for_export(meeting_id=MEETING_ID)
    assert recorded.entry.recorded_at == clock.now
    assert _told(connector, CHAIR).startswith("Logged: Jo Evans lost connection at 09:40.")
