"""Forgetting one person (UK GDPR erasure, or a records officer's request): every row that names them by Entra object
id or e-mail address is deleted, or, where the row is part of another person's record (the conference's attendance
and disconnection log, the audit of chair commands), kept with the person replaced by a pseudonym and their name,
Teams id and any note about them removed. One pseudonym per request, so the conference's record still adds up (a
join still pairs with its leave) but cannot be tied back to the person.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import Delete, Update, delete, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from bot.domain.text import folded
from bot.store.models import (
    AttendanceRecord,
    ChairAuditRecord,
    ConferenceInviteeRecord,
    ConferenceRecord,
    ConversationRecord,
    DisconnectionRecord,
    ProceedDecisionRecord,
    ReminderRecord,
    ReportConfirmationRecord,
    ReportedAttendanceRecord,
    ReportLinkRecord,
    StageNoticeRecord,
)

MIN_NAME_LENGTH = 3
"""Shorter display names are not searched for in notes (they would match unrelated words)."""


@dataclass
class Forgotten:
    """What a forget request did (or, on a dry run, would do), table by table, with the rows' counts."""

    pseudonym: str
    deleted: dict[str, int] = field(default_factory=dict)
    anonymised: dict[str, int] = field(default_factory=dict)

    @property
    def anything(self) -> bool:
        return any(self.deleted.values()) or any(self.anonymised.values())


def _same(column: InstrumentedAttribute[str] | InstrumentedAttribute[str | None], value: str) -> ColumnElement[bool]:
    return func.lower(column) == value.lower()


class SqlForget:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def forget(self, *, aad_object_id: str | None, email: str | None, dry_run: bool = False) -> Forgotten:
        if not aad_object_id and not email:
            raise ValueError("an Entra object id or an e-mail address is needed")
        forgotten = Forgotten(pseudonym=f"forgotten-{uuid.uuid4().hex[:12]}")
        async with self._sessions() as session:
            if aad_object_id:
                await self._by_object_id(session, aad_object_id.strip(), forgotten)
            if email:
                await self._by_email(session, email.strip(), forgotten)
            await (session.rollback() if dry_run else session.commit())
        return forgotten

    async def _by_object_id(self, session: AsyncSession, object_id: str, forgotten: Forgotten) -> None:
        pseudonym = forgotten.pseudonym
        names = await self._names_held(session, object_id)
        changes: dict[tuple[str, str], Delete | Update] = {
            ("conversations", "deleted"): delete(ConversationRecord).where(
                _same(ConversationRecord.user_aad_object_id, object_id)
            ),
            ("stage_notices", "deleted"): delete(StageNoticeRecord).where(
                _same(StageNoticeRecord.aad_object_id, object_id)
            ),
            ("reported_attendance", "deleted"): delete(ReportedAttendanceRecord).where(
                _same(ReportedAttendanceRecord.person_key, object_id)
            ),
            ("attendance_events", "anonymised"): update(AttendanceRecord)
            .where(_same(AttendanceRecord.aad_object_id, object_id))
            .values(aad_object_id=pseudonym, display_name=None, teams_user_id=None),
            ("disconnections", "anonymised"): update(DisconnectionRecord)
            .where(_same(DisconnectionRecord.aad_object_id, object_id))
            .values(aad_object_id=pseudonym, display_name=None, note=None),
            ("disconnections (as the chair who logged them)", "anonymised"): update(DisconnectionRecord)
            .where(_same(DisconnectionRecord.logged_by, object_id))
            .values(logged_by=pseudonym),
            ("disconnections (undone by them)", "anonymised"): update(DisconnectionRecord)
            .where(_same(DisconnectionRecord.undone_by, object_id))
            .values(undone_by=pseudonym),
            ("report_confirmations (marked by them)", "anonymised"): update(ReportConfirmationRecord)
            .where(_same(ReportConfirmationRecord.marked_by, object_id))
            .values(marked_by=None),
            ("proceed_decisions (as the chair who decided)", "anonymised"): update(ProceedDecisionRecord)
            .where(_same(ProceedDecisionRecord.chair_aad_object_id, object_id))
            .values(chair_aad_object_id=""),
            ("chair_audit", "anonymised"): update(ChairAuditRecord)
            .where(_same(ChairAuditRecord.aad_object_id, object_id))
            .values(aad_object_id=pseudonym),
            ("disconnections (chair's notes naming them)", "anonymised"): update(DisconnectionRecord)
            .where(DisconnectionRecord.id.in_(await self._notes_naming(session, names)))
            .values(note=None),
        }
        for (table, how), statement in changes.items():
            await self._count(session, table, how, statement, forgotten)

    @staticmethod
    async def _notes_naming(session: AsyncSession, names: set[str]) -> list[int]:
        """The entries whose note contains one of `names`, compared as the bot compares names (case folded for all of
        Unicode, `bot.domain.text.folded`): done here rather than in SQL, whose LOWER and LIKE fold only ASCII on
        SQLite. Notes are few (kept for RETENTION_DAYS), so reading them all is cheap."""
        wanted = [folded(name) for name in names]
        if not wanted:
            return []
        notes = await session.execute(
            select(DisconnectionRecord.id, DisconnectionRecord.note).where(DisconnectionRecord.note.is_not(None))
        )
        return [entry for entry, note in notes if any(name in folded(note or "") for name in wanted)]

    @staticmethod
    async def _names_held(session: AsyncSession, object_id: str) -> set[str]:
        """The display names the bot recorded for the person, to find them in the chairs' free-text notes."""
        names: set[str] = set()
        for column, owner in (
            (AttendanceRecord.display_name, AttendanceRecord.aad_object_id),
            (DisconnectionRecord.display_name, DisconnectionRecord.aad_object_id),
        ):
            found = await session.scalars(select(column).where(_same(owner, object_id)).distinct())
            names.update(name.strip() for name in found if name and len(name.strip()) >= MIN_NAME_LENGTH)
        return names

    async def _by_email(self, session: AsyncSession, email: str, forgotten: Forgotten) -> None:
        changes: dict[tuple[str, str], Delete | Update] = {
            ("reminders", "deleted"): delete(ReminderRecord).where(_same(ReminderRecord.recipient, email)),
            ("report_confirmations", "deleted"): delete(ReportConfirmationRecord).where(
                _same(ReportConfirmationRecord.email, email)
            ),
            ("report_links", "deleted"): delete(ReportLinkRecord).where(_same(ReportLinkRecord.email, email)),
            ("reported_attendance (by address)", "deleted"): delete(ReportedAttendanceRecord).where(
                _same(ReportedAttendanceRecord.email, email)
            ),
            ("conference_invitees", "deleted"): delete(ConferenceInviteeRecord).where(
                _same(ConferenceInviteeRecord.email, email)
            ),
            ("conferences (as organiser)", "anonymised"): update(ConferenceRecord)
            .where(_same(ConferenceRecord.organiser_email, email))
            .values(organiser_email=None, organiser_name=None),
        }
        for (table, how), statement in changes.items():
            await self._count(session, table, how, statement, forgotten)

    @staticmethod
    async def _count(
        session: AsyncSession, table: str, how: str, statement: Delete | Update, forgotten: Forgotten
    ) -> None:
        result = await session.execute(statement.execution_options(synchronize_session=False))
        rows = int(getattr(result, "rowcount", 0) or 0)
        (forgotten.deleted if how == "deleted" else forgotten.anonymised)[table] = rows
