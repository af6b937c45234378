"""`python -m bot db current|history|upgrade|downgrade REV` on SQLite and PostgreSQL: where the schema is, every
migration, and moving it down (all the way to nothing) and back up, each step a real Alembic migration under the
bot's own settings; a revision the migrations do not have is refused and changes nothing."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import inspect

from bot.cli.main import main
from bot.store.database import create_engine, latest_revision


async def _db(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    code = await asyncio.to_thread(main, ["db", *arguments])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


async def _tables(database_url: str) -> set[str]:
    engine = create_engine(database_url)
    try:
        async with engine.connect() as connection:
            return set(await connection.run_sync(lambda sync: inspect(sync).get_table_names()))
    finally:
        await engine.dispose()


async def test_the_schema_is_moved_down_to_nothing_and_back_up(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    head = latest_revision()
    assert (await _db(["current"], capsys))[1].endswith("at <base> (no tables) (this release expects " + head + ")\n")
    code, said = await _db(["upgrade"], capsys)
    assert code == 0
    assert said.endswith(f"at {head} (up to date)\n")
    assert {"report_confirmations", "proceed_decisions", "reported_attendance"} <= await _tables(database_url)

    code, said = await _db(["downgrade", "-1"], capsys)
    assert code == 0
    assert "at 0011 (this release expects" in said
    assert "proceed_decisions" not in await _tables(database_url)
    code, said = await _db(["downgrade", "base"], capsys)
    assert code == 0
    assert "at <base>" in said
    assert await _tables(database_url) <= {"alembic_version"}, "every migration's downgrade runs"
    code, said = await _db(["upgrade", "0011"], capsys)
    assert "at 0011" in said
    code, said = await _db(["upgrade", "head"], capsys)
    assert said.endswith(f"at {head} (up to date)\n")


async def test_history_lists_every_migration_and_a_wrong_revision_changes_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    code, said = await _db(["history"], capsys)
    assert code == 0
    lines = said.splitlines()
    assert lines[0].startswith(f"0011 -> {latest_revision()} (head): ")
    assert lines[-1].startswith("<base> -> 0001")
    await _db(["upgrade"], capsys)
    code, said = await _db(["downgrade", "no-such-revision"], capsys)
    assert code != 0
    assert "cannot migrate" in said
    assert (await _db(["current"], capsys))[1].endswith("(up to date)\n")
