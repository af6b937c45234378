"""Quoracy at the door, on the simulated clock, on SQLite and PostgreSQL: at the scheduled start the chair hears
privately whether the conference is quorate, what is missing and who is expected but not yet in; a few minutes later
again, only while it is still not quorate and no chair has decided; a chair who proceeds while inquorate records why,
and the summary says so. Nothing of it reaches the meeting chat."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta
from typing import Any

import pytest

from bot.cli.main import main
from bot.domain.outbox import ReminderStatus
from bot.domain.reminders import ReminderKind
from bot.store.database import session_factory
from bot.store.reminders import SqlReminderOutbox
from bot.web import keys
from tests.support import activities
from tests.support.card_reading import card_text
from tests.support.fake_connector import FakePerson, SentActivity
from tests.support.report_scene import (
    CHAIR,
    CHAT_ID,
    POLICE,
    SOCIAL_WORKER,
    START,
    TEACHER,
    Scene,
    buttons,
)


@pytest.fixture
async def scene(scene: Scene) -> Scene:
    """The reports' conference a few minutes before its start, the chair and the social worker in the meeting."""
    await scene.at(START - timedelta(minutes=5))  # every reminder before the start has gone
    started = START - timedelta(minutes=2)
    await scene.meeting(activities.meeting_started(started, service_url=scene.service_url))
    await _join(scene, [CHAIR, SOCIAL_WORKER], started)
    return scene


async def _join(scene: Scene, people: list[FakePerson], at: Any) -> None:
    await scene.meeting(activities.participants_event(True, people, at, service_url=scene.service_url))


def _door_cards(scene: Scene) -> list[SentActivity]:
    return [s for s in scene.private(CHAIR) if "Quorum at the start" in s.text or "Still not quorate" in s.text]


async def _entry(scene: Scene, kind: ReminderKind) -> Any:
    outbox = SqlReminderOutbox(session_factory(scene.client.app[keys.DATABASE]))
    [entry] = [e for e in await outbox.entries() if e.kind is kind]
    return entry


async def test_at_the_start_the_chair_hears_privately_and_records_proceeding_while_inquorate(
    scene: Scene, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await scene.at(START)
    [door] = _door_cards(scene)
    text = door.text
    assert "Quorum at the start (10:00)" in text
    assert "Not quorate" in text
    assert "Expected but not yet here: Jo Evans (Police), Kim Lee (Education), Ria Shah (Health)" in text
    assert not [s for s in scene.private(SOCIAL_WORKER) if "Quorum" in s.text], "the chair's alone"
    assert not [s for s in scene.connector.sent_to(CHAT_ID) if "Quorum" in s.text], "never in the meeting chat"
    [proceed] = buttons(door.cards[0])
    assert proceed["title"] == "Proceed while inquorate"

    # Pressed without a reason: asked for one, nothing recorded.
    await scene.at(START + timedelta(minutes=1))
    await scene.press(CHAIR, door, {**proceed["data"], "reason": "  "})
    assert "Please give your reason" in scene.private(CHAIR)[-1].text
    # Someone who does not chair cannot record it, whatever they send.
    await scene.say(SOCIAL_WORKER, "hello")
    own_chat = SentActivity(f"a:personal-{SOCIAL_WORKER.aad_object_id}", None, {}, None, activity_id="1:999")
    await scene.press(SOCIAL_WORKER, own_chat, {**proceed["data"], "reason": "I say so"})
    assert "Only a CP Chair of this conference" in scene.private(SOCIAL_WORKER)[-1].text

    await scene.at(START + timedelta(minutes=2))
    reason = "Police report received; officer on a late shift"
    await scene.press(CHAIR, door, {**proceed["data"], "reason": reason})
    assert f"You proceeded while inquorate at 10:02. Your reason: {reason}" in card_text([scene.last_update()])
    await scene.press(CHAIR, door, {**proceed["data"], "reason": "again"})
    assert "already recorded proceeding while inquorate at 10:02" in scene.private(CHAIR)[-1].text

    # The chair's side panel shows the reports too (an attendee's does not).
    looked = await scene.client.get(
        "/api/tab/panel", params={"conversation": CHAT_ID}, headers={"X-CP-Local-User": CHAIR.aad_object_id}
    )
    panel = (await looked.json())["live"]
    assert "0 of 4" in panel
    assert "Outstanding: Children&#x27;s social care, Education, Health, Police" in panel
    assert "Jo Evans (Police): <strong>outstanding</strong>" in panel
    attendee = await scene.client.get(
        "/api/tab/panel", params={"conversation": CHAT_ID}, headers={"X-CP-Local-User": SOCIAL_WORKER.aad_object_id}
    )
    assert "Outstanding" not in (await attendee.json())["live"]

    # Five minutes in: still not quorate, but a chair has decided: nothing more.
    await scene.at(START + timedelta(minutes=5))
    assert len(_door_cards(scene)) == 1
    recheck = await _entry(scene, ReminderKind.QUORUM_RECHECK)
    assert (recheck.status, recheck.reason) == (ReminderStatus.SKIPPED, "a chair has already decided to proceed")

    # The summary says so, with the reports.
    await scene.meeting(activities.meeting_ended(START + timedelta(hours=1), service_url=scene.service_url))
    await scene.at(START + timedelta(hours=1, minutes=3))
    await scene.clock.completed_run("follow-up")
    [summary] = [s for s in scene.private(CHAIR) if "Conference summary" in s.text]
    assert f"Proceeded while inquorate at 10:02. Reason: {reason}" in summary.text
    assert "0 of 4 professionals invited said they had shared their report" in summary.text
    assert not [s for s in scene.connector.sent_to(CHAT_ID) if "inquorate" in s.text]

    # And the record for business support.
    monkeypatch.setenv("DATABASE_URL", database_url)
    assert await asyncio.to_thread(main, ["export-record", "--since", "2026-12-10", "--format", "json"]) == 0
    [row] = json.loads(capsys.readouterr().out)["conferences"]
    assert (row["kind"], row["proceeded_while_inquorate_at"], row["proceed_reason"]) == (
        "initial",
        "2026-12-10T10:02:00+00:00",
        reason,
    )
    assert (row["reports_expected"], row["reports_shared"]) == (4, 0)
    assert row["reports_outstanding"] == "Children's social care; Education; Health; Police"


async def test_no_recheck_once_it_is_quorate_and_a_second_word_while_it_is_not(scene: Scene) -> None:
    await scene.at(START)
    assert len(_door_cards(scene)) == 1
    await _join(scene, [POLICE], START + timedelta(minutes=1))
    await scene.at(START + timedelta(minutes=5))
    [_, again] = _door_cards(scene)
    assert "Still not quorate (10:05)" in again.text
    assert "Expected but not yet here: Kim Lee (Education), Ria Shah (Health)" in again.text
    assert "Jo Evans" not in again.text.split("Expected")[1]


async def test_a_conference_quorate_by_the_recheck_hears_nothing_more(scene: Scene) -> None:
    await scene.at(START)
    await _join(scene, [POLICE, TEACHER], START + timedelta(minutes=2))
    await scene.at(START + timedelta(minutes=5))
    assert len(_door_cards(scene)) == 1
    recheck = await _entry(scene, ReminderKind.QUORUM_RECHECK)
    assert (recheck.status, recheck.reason) == (ReminderStatus.SKIPPED, "quorate by then")
