"""The conversation directory on SQLite and on PostgreSQL: it survives a restart and never loses a known id."""

from __future__ import annotations

import asyncio

from sqlalchemy import inspect
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.domain.conversations import ConversationAddress, ConversationKind
from bot.store.conversations import SqlConversationDirectory
from bot.store.database import create_engine, database_answers, migrate_to_latest, session_factory

MEETING = ConversationAddress(
    conversation_id="19:meeting_abc@thread.v2",
    channel_id="msteams",
    service_url="https://smba.trafficmanager.net/uk/",
    kind=ConversationKind.MEETING_CHAT,
    bot_id="28:bot",
    tenant_id="tenant-1",
    meeting_id="meeting-1",
)


async def test_addresses_survive_a_restart(database_url: str, engine: AsyncEngine) -> None:
    await SqlConversationDirectory(session_factory(engine)).remember(MEETING)
    await engine.dispose()

    restarted = create_engine(database_url)
    await migrate_to_latest(restarted)  # a second run of the migrations changes nothing
    try:
        assert await SqlConversationDirectory(session_factory(restarted)).find(MEETING.conversation_id) == MEETING
    finally:
        await restarted.dispose()


async def test_a_later_activity_updates_but_keeps_known_ids(engine: AsyncEngine) -> None:
    directory = SqlConversationDirectory(session_factory(engine))
    await directory.remember(MEETING)
    moved = ConversationAddress(
        conversation_id=MEETING.conversation_id,
        channel_id="msteams",
        service_url="https://smba.trafficmanager.net/emea/",
        kind=ConversationKind.MEETING_CHAT,
        bot_id="28:bot",
    )
    await directory.remember(moved)
    found = await directory.find(MEETING.conversation_id)
    assert found is not None
    assert found.service_url == "https://smba.trafficmanager.net/emea/"
    assert (found.tenant_id, found.meeting_id) == ("tenant-1", "meeting-1")
    assert await directory.find("19:unknown@thread.v2") is None


async def test_concurrent_first_sightings_store_one_row(engine: AsyncEngine) -> None:
    directory = SqlConversationDirectory(session_factory(engine))
    await asyncio.gather(*(directory.remember(MEETING) for _ in range(10)))
    assert await directory.find(MEETING.conversation_id) == MEETING


async def test_migrations_create_the_schema_and_the_database_answers(engine: AsyncEngine) -> None:
    async with engine.connect() as connection:
        tables = await connection.run_sync(lambda sync: inspect(sync).get_table_names())
    assert {"alembic_version", "conversations"} <= set(tables)
    assert await database_answers(engine)
