"""The conversation directory, stored in the database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.clock import Clock, utc_now
from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.store.models import Base, ConversationRecord
from bot.store.upsert import upsert

_TABLE = Base.metadata.tables[ConversationRecord.__tablename__]


class SqlConversationDirectory:
    def __init__(self, sessions: async_sessionmaker[AsyncSession], clock: Clock = utc_now) -> None:
        self._sessions = sessions
        self._clock = clock

    async def remember(self, address: ConversationAddress) -> None:
        now = self._clock()
        values = {
            "conversation_id": address.conversation_id,
            "channel_id": address.channel_id,
            "service_url": address.service_url,
            "kind": address.kind.value,
            "bot_id": address.bot_id,
            "tenant_id": address.tenant_id,
            "meeting_id": address.meeting_id,
            "team_id": address.team_id,
            "user_aad_object_id": address.user_aad_object_id,
            "first_seen_at": now,
            "last_seen_at": now,
        }
        async with self._sessions.begin() as session:
            statement = upsert(
                session.get_bind().dialect.name,
                _TABLE,
                values,
                key=["conversation_id"],
                keep_existing=("first_seen_at",),
                # An activity that lacks an optional id (a message without meeting details) keeps the known one.
                keep_unless_given=("tenant_id", "meeting_id", "team_id", "user_aad_object_id"),
            )
            await session.execute(statement)

    async def find(self, conversation_id: str) -> ConversationAddress | None:
        async with self._sessions() as session:
            record = await session.get(ConversationRecord, conversation_id)
        return _address(record) if record is not None else None

    async def latest(self) -> ConversationAddress | None:
        async with self._sessions() as session:
            record = await session.scalar(
                select(ConversationRecord).order_by(ConversationRecord.last_seen_at.desc()).limit(1)
            )
        return _address(record) if record is not None else None


def _address(record: ConversationRecord) -> ConversationAddress:
    return ConversationAddress(
        conversation_id=record.conversation_id,
        channel_id=record.channel_id,
        service_url=record.service_url,
        kind=ConversationKind(record.kind),
        bot_id=record.bot_id,
        tenant_id=record.tenant_id,
        meeting_id=record.meeting_id,
        team_id=record.team_id,
        user_aad_object_id=record.user_aad_object_id,
    )
