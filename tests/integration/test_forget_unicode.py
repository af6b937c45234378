"""Forgetting finds a person's name in chairs' notes whatever its script and case, on SQLite (whose LOWER and LIKE
fold ASCII only) as on PostgreSQL: an accented capital, a Greek and a Cyrillic name."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.disconnections import ChairEntry
from bot.domain.meetings import AttendanceKind, MeetingPlace, MeetingRole, Participant
from bot.domain.sessions import StartSource
from bot.store.database import session_factory
from bot.store.disconnections import SqlDisconnectionLog
from bot.store.forget import SqlForget
from bot.store.meetings import SqlMeetingRecords
from bot.store.models import DisconnectionRecord

START = datetime(2026, 11, 30, 10, 0, tzinfo=UTC)
PLACE = MeetingPlace("meeting-unicode", "19:meeting_unicode@thread.v2", "tenant-1")


@pytest.mark.parametrize(
    ("name", "note_naming_them"),
    [
        ("Élodie Dupré", "ÉLODIE DUPRÉ rang the office"),
        ("Ζωή Παπαδοπούλου", "ΖΩΉ ΠΑΠΑΔΟΠΟΎΛΟΥ e-mailed at 10:50"),
        ("Ёлка Иванова", "спросила ЁЛКА ИВАНОВА"),
        ("Straße Weiß", "STRASSE WEISS lost signal"),
    ],
)
async def test_a_name_in_any_script_and_case_is_found_in_notes(
    engine: AsyncEngine, name: str, note_naming_them: str
) -> None:
    sessions = session_factory(engine)
    records = SqlMeetingRecords(sessions)
    log = SqlDisconnectionLog(sessions)
    session = await records.start_session(PLACE, START, StartSource.EVENT)
    person = Participant("aad-forgotten", "29:forgotten", name, MeetingRole.ATTENDEE)
    await records.record_attendance(session.id, AttendanceKind.JOINED, (person,), START, "delivery-1")
    unrelated = "lost connection, could not rejoin"
    for number, (who, note) in enumerate([("aad-other", note_naming_them), ("aad-third", unrelated)]):
        entry = ChairEntry(
            session_id=session.id,
            aad_object_id=who,
            display_name="Someone Else",
            disconnected_at=START + timedelta(minutes=5 + number),
            logged_by="aad-chair",
            emailed_chair=True,
            note=note,
            request_key=f"key-{number}",
        )
        await log.log_by_chair(entry, START + timedelta(minutes=10))

    forgotten = await SqlForget(sessions).forget(aad_object_id="aad-forgotten", email=None)

    assert forgotten.anonymised["disconnections (chair's notes naming them)"] == 1
    async with sessions() as reading:
        notes = set(await reading.scalars(select(DisconnectionRecord.note)))
    assert notes == {None, unrelated}, "only the note naming them is removed"
