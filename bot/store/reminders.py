"""The reminder outbox in the database: planned, claimed, settled. Unique per (conference, kind, recipient)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.outbox import (
    ABANDONED_CLAIM,
    Channel,
    Delivery,
    OutboxBacklog,
    OutboxEntry,
    ReminderStatus,
    settle,
)
from bot.domain.reminders import PlannedReminder, ReminderKind
from bot.store.models import Base, ReminderRecord
from bot.store.times import utc
from bot.store.upsert import insert_ignoring_duplicates

_TABLE = Base.metadata.tables[ReminderRecord.__tablename__]


class SqlReminderOutbox:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def reconcile(self, conference_id: int, planned: list[PlannedReminder], now: datetime) -> None:
        """Make the conference's rows match the plan: new reminders are added, open ones move with the conference,
        open ones no longer planned are cancelled (and come back if planned again). Sent and failed rows stay."""
        wanted = {(reminder.kind.value, reminder.recipient): reminder for reminder in planned}
        async with self._sessions.begin() as session:
            dialect = session.get_bind().dialect.name
            if wanted:
                rows = [
                    {
                        "conference_id": conference_id,
                        "kind": reminder.kind.value,
                        "recipient": reminder.recipient,
                        "status": ReminderStatus.PENDING.value,
                        "due_at": reminder.due_at,
                        "expires_at": reminder.expires_at,
                        "next_attempt_at": reminder.due_at,
                        "attempts": 0,
                    }
                    for reminder in wanted.values()
                ]
                await session.execute(
                    insert_ignoring_duplicates(dialect, _TABLE, rows, key=["conference_id", "kind", "recipient"])
                )
            existing = await session.scalars(
                select(ReminderRecord).where(ReminderRecord.conference_id == conference_id).with_for_update()
            )
            for record in existing:
                reminder = wanted.get((record.kind, record.recipient))
                status = ReminderStatus(record.status)
                if reminder is None:
                    if status is ReminderStatus.PENDING:
                        record.status, record.settled_at = ReminderStatus.CANCELLED.value, now
                        record.reason = "no longer needed: the conference was cancelled or the person uninvited"
                    continue
                revived = status is ReminderStatus.CANCELLED or (
                    status is ReminderStatus.EXPIRED and reminder.expires_at > now
                )
                if revived:
                    record.status, record.settled_at, record.reason = ReminderStatus.PENDING.value, None, None
                    record.attempts = 0
                    status = ReminderStatus.PENDING
                if status is ReminderStatus.PENDING and (
                    utc(record.due_at) != reminder.due_at or utc(record.expires_at) != reminder.expires_at
                ):
                    record.due_at, record.expires_at = reminder.due_at, reminder.expires_at
                    record.next_attempt_at = max(reminder.due_at, utc(record.next_attempt_at))

    async def due(self, now: datetime, *, limit: int = 100) -> list[OutboxEntry]:
        """Rows whose time has come, oldest first, including claims abandoned by an instance that stopped."""
        async with self._sessions() as session:
            records = await session.scalars(
                select(ReminderRecord)
                .where(
                    or_(
                        and_(
                            ReminderRecord.status == ReminderStatus.PENDING.value,
                            ReminderRecord.due_at <= now,
                            ReminderRecord.next_attempt_at <= now,
                        ),
                        and_(
                            ReminderRecord.status == ReminderStatus.SENDING.value,
                            ReminderRecord.claimed_at < now - ABANDONED_CLAIM,
                        ),
                    )
                )
                .order_by(ReminderRecord.due_at, ReminderRecord.id)
                .limit(limit)
            )
            return [_entry(record) for record in records]

    async def claim(self, entry: OutboxEntry, now: datetime) -> bool:
        """Take the row for this instance; False when another instance (or a cancellation) got there first."""
        return await self._update_one(
            entry.id,
            [
                ReminderRecord.status == entry.status.value,
                ReminderRecord.attempts == entry.attempts,
                # Not if a sync has just moved it later (a rescheduled conference).
                ReminderRecord.due_at <= now,
            ],
            status=ReminderStatus.SENDING.value,
            claimed_at=now,
            attempts=ReminderRecord.attempts + 1,
        )

    async def _update_one(self, reminder_id: int, conditions: list[ColumnElement[bool]], **values: object) -> bool:
        """Update the row if it still meets `conditions`; whether it did."""
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(ReminderRecord)
                .where(ReminderRecord.id == reminder_id, *conditions)
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            return bool(getattr(result, "rowcount", 0) == 1)

    async def settle(self, entry: OutboxEntry, delivery: Delivery, now: datetime) -> ReminderStatus:
        """Record how the send that claimed `entry` went, in one conditional statement: the moment between Teams
        taking a reminder and the outbox knowing (when a crash would repeat it) is kept as short as it can be. A
        claim another instance has since taken over is left to that instance."""
        attempts = entry.attempts + 1  # the claim counted this attempt
        status, next_attempt_at, reason = settle(delivery, attempts, now)
        values: dict[str, object] = {"status": status.value, "reason": reason}
        if delivery.channel is not None:
            values["channel"] = delivery.channel.value
        if status is ReminderStatus.PENDING:
            values.update(next_attempt_at=next_attempt_at, claimed_at=None)
        else:
            values["settled_at"] = now
        async with self._sessions.begin() as session:
            result = await session.execute(
                update(ReminderRecord)
                .where(
                    ReminderRecord.id == entry.id,
                    ReminderRecord.status == ReminderStatus.SENDING.value,
                    ReminderRecord.attempts == attempts,
                )
                .values(**values)
                .execution_options(synchronize_session=False)
            )
            if getattr(result, "rowcount", 0) == 1:
                return status
            current = await session.scalar(select(ReminderRecord.status).where(ReminderRecord.id == entry.id))
        return ReminderStatus(current) if current is not None else ReminderStatus.CANCELLED

    async def release(self, entry: OutboxEntry, now: datetime) -> bool:
        """Put back a row this instance claimed but stopped sending (the bot is shutting down), due again at once and
        with the attempt uncounted, so another instance takes it now rather than when the claim would lapse. False
        when the claim was no longer this instance's."""
        return await self._update_one(
            entry.id,
            [ReminderRecord.status == ReminderStatus.SENDING.value, ReminderRecord.attempts == entry.attempts + 1],
            status=ReminderStatus.PENDING.value,
            claimed_at=None,
            attempts=entry.attempts,
            next_attempt_at=now,
        )

    async def backlog(self, now: datetime) -> OutboxBacklog:
        """What has come due and is not sent yet: due and pending (a retry waiting its turn included), or being sent."""
        async with self._sessions() as session:
            waiting, oldest = (
                await session.execute(
                    select(func.count(), func.min(ReminderRecord.due_at)).where(
                        or_(
                            and_(ReminderRecord.status == ReminderStatus.PENDING.value, ReminderRecord.due_at <= now),
                            ReminderRecord.status == ReminderStatus.SENDING.value,
                        )
                    )
                )
            ).one()
        return OutboxBacklog(waiting, utc(oldest) if oldest is not None else None)

    async def entries(self, *, conference_id: int | None = None) -> list[OutboxEntry]:
        """Every row, by due time: for an administrator's listing and for tests."""
        query = select(ReminderRecord).order_by(ReminderRecord.due_at, ReminderRecord.id)
        if conference_id is not None:
            query = query.where(ReminderRecord.conference_id == conference_id)
        async with self._sessions() as session:
            return [_entry(record) for record in await session.scalars(query)]


def _entry(record: ReminderRecord) -> OutboxEntry:
    return OutboxEntry(
        id=record.id,
        conference_id=record.conference_id,
        kind=ReminderKind(record.kind),
        recipient=record.recipient,
        status=ReminderStatus(record.status),
        due_at=utc(record.due_at),
        expires_at=utc(record.expires_at),
        attempts=record.attempts,
        channel=Channel(record.channel) if record.channel else None,
        reason=record.reason,
        settled_at=utc(record.settled_at) if record.settled_at else None,
    )
