"""Report confirmations, and the e-mailed links that make one: shared by every instance, each change in one
transaction (a link is spent in the same transaction as the confirmation it makes, so neither happens alone)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.report_links import LinkProblem, LinkPurpose, ReportLink, new_token, token_digest
from bot.domain.reports import ConfirmOutcome, ReportConfirmation, ReportSource, WithdrawOutcome
from bot.store.models import Base, ReportConfirmationRecord, ReportLinkRecord
from bot.store.times import utc
from bot.store.upsert import insert_ignoring_duplicates

_CONFIRMATIONS = Base.metadata.tables[ReportConfirmationRecord.__tablename__]


def _confirmation(record: ReportConfirmationRecord) -> ReportConfirmation:
    return ReportConfirmation(
        conference_id=record.conference_id,
        email=record.email,
        confirmed_at=utc(record.confirmed_at),
        source=ReportSource(record.source),
        marked_by=record.marked_by,
    )


class SqlReports:
    def __init__(self, sessions: async_sessionmaker[AsyncSession]) -> None:
        self._sessions = sessions

    async def confirmations(self, conference_id: int) -> list[ReportConfirmation]:
        """The conference's confirmations standing now (withdrawn ones left out)."""
        async with self._sessions() as session:
            records = await session.scalars(
                select(ReportConfirmationRecord)
                .where(
                    ReportConfirmationRecord.conference_id == conference_id,
                    ReportConfirmationRecord.withdrawn_at.is_(None),
                )
                .order_by(ReportConfirmationRecord.confirmed_at)
            )
            return [_confirmation(record) for record in records]

    async def confirmation(self, conference_id: int, email: str) -> ReportConfirmation | None:
        async with self._sessions() as session:
            record = await session.get(ReportConfirmationRecord, (conference_id, email))
            return _confirmation(record) if record is not None and record.withdrawn_at is None else None

    async def confirm(self, confirmation: ReportConfirmation) -> tuple[ConfirmOutcome, ReportConfirmation]:
        """Record it unless it stands already (then the standing one is returned, unchanged)."""
        async with self._sessions.begin() as session:
            return await _confirm(session, confirmation)

    async def confirm_by_link(
        self, confirmation: ReportConfirmation, token: str
    ) -> tuple[ConfirmOutcome, ReportConfirmation] | LinkProblem:
        """As `confirm`, spending the link's token in the same transaction; if it cannot be spent, the problem with
        it, and nothing recorded."""
        async with self._sessions.begin() as session:
            if problem := await _spend(session, token, LinkPurpose.CONFIRM, confirmation.confirmed_at):
                return problem
            return await _confirm(session, confirmation)

    async def withdraw(self, conference_id: int, email: str, now: datetime) -> WithdrawOutcome:
        async with self._sessions.begin() as session:
            return await _withdraw(session, conference_id, email, now)

    async def withdraw_by_link(
        self, conference_id: int, email: str, now: datetime, token: str
    ) -> WithdrawOutcome | LinkProblem:
        async with self._sessions.begin() as session:
            if problem := await _spend(session, token, LinkPurpose.WITHDRAW, now):
                return problem
            return await _withdraw(session, conference_id, email, now)

    async def issue_link(self, link: ReportLink, now: datetime) -> str:
        """A new token for `link`; only its digest is stored."""
        token = new_token()
        async with self._sessions.begin() as session:
            session.add(
                ReportLinkRecord(
                    token_digest=token_digest(token),
                    conference_id=link.conference_id,
                    email=link.email,
                    purpose=link.purpose.value,
                    issued_at=now,
                    expires_at=link.expires_at,
                )
            )
        return token

    async def link(self, token: str, now: datetime) -> ReportLink | LinkProblem:
        """What a token is for, if it can still be used (nothing is changed)."""
        async with self._sessions() as session:
            record = await session.get(ReportLinkRecord, token_digest(token))
            return _usable(record, now)


def _usable(record: ReportLinkRecord | None, now: datetime) -> ReportLink | LinkProblem:
    if record is None:
        return LinkProblem.UNKNOWN
    if record.used_at is not None:
        return LinkProblem.USED
    expires_at = utc(record.expires_at)
    if now >= expires_at:
        return LinkProblem.EXPIRED
    return ReportLink(record.conference_id, record.email, LinkPurpose(record.purpose), expires_at)


async def _spend(session: AsyncSession, token: str, purpose: LinkPurpose, now: datetime) -> LinkProblem | None:
    """Use the token up, if it is a usable one for `purpose`; else why not (the caller records nothing)."""
    spent = await session.execute(
        update(ReportLinkRecord)
        .where(
            ReportLinkRecord.token_digest == token_digest(token),
            ReportLinkRecord.purpose == purpose.value,
            ReportLinkRecord.used_at.is_(None),
            ReportLinkRecord.expires_at > now,
        )
        .values(used_at=now)
        .returning(ReportLinkRecord.token_digest)
    )
    if spent.first() is not None:
        return None
    found = _usable(await session.get(ReportLinkRecord, token_digest(token)), now)
    return found if isinstance(found, LinkProblem) else LinkProblem.UNKNOWN


async def _confirm(
    session: AsyncSession, confirmation: ReportConfirmation
) -> tuple[ConfirmOutcome, ReportConfirmation]:
    row = {
        "conference_id": confirmation.conference_id,
        "email": confirmation.email,
        "confirmed_at": confirmation.confirmed_at,
        "source": confirmation.source.value,
        "marked_by": confirmation.marked_by,
        "withdrawn_at": None,
    }
    insert = insert_ignoring_duplicates(
        session.get_bind().dialect.name, _CONFIRMATIONS, [row], key=["conference_id", "email"]
    ).returning(_CONFIRMATIONS.c.email)
    recorded = (await session.execute(insert)).first() is not None
    if not recorded:  # one withdrawn before is confirmed afresh, in place
        renewed = await session.execute(
            update(ReportConfirmationRecord)
            .where(
                ReportConfirmationRecord.conference_id == confirmation.conference_id,
                ReportConfirmationRecord.email == confirmation.email,
                ReportConfirmationRecord.withdrawn_at.is_not(None),
            )
            .values(
                confirmed_at=confirmation.confirmed_at,
                source=row["source"],
                marked_by=row["marked_by"],
                withdrawn_at=None,
            )
            .returning(ReportConfirmationRecord.email)
        )
        recorded = renewed.first() is not None
    standing = await session.get(ReportConfirmationRecord, (confirmation.conference_id, confirmation.email))
    if recorded or standing is None:
        return ConfirmOutcome.RECORDED, confirmation
    return ConfirmOutcome.ALREADY, _confirmation(standing)


async def _withdraw(session: AsyncSession, conference_id: int, email: str, now: datetime) -> WithdrawOutcome:
    withdrawn = await session.execute(
        update(ReportConfirmationRecord)
        .where(
            ReportConfirmationRecord.conference_id == conference_id,
            ReportConfirmationRecord.email == email,
            ReportConfirmationRecord.withdrawn_at.is_(None),
        )
        .values(withdrawn_at=now)
        .returning(ReportConfirmationRecord.email)
    )
    return WithdrawOutcome.WITHDRAWN if withdrawn.first() is not None else WithdrawOutcome.NOT_CONFIRMED
