from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.web import keys

Client = TestClient[web.Request, web.Application]


async def test_healthz_is_200_when_the_database_answers(bot_client: Client) -> None:
    response = await bot_client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["mode"] == "local"


async def test_healthz_is_503_when_the_database_does_not_answer(
    bot_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ConnectionRefusedError("database down")

    monkeypatch.setattr(AsyncEngine, "connect", refuse)
    response = await bot_client.get("/healthz")
    assert response.status == 503
    assert (await response.json())["database"] == "unreachable"


def _database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise ConnectionRefusedError("database down")

    monkeypatch.setattr(AsyncEngine, "connect", refuse)


async def test_liveness_never_asks_the_database_so_an_outage_restarts_nothing(
    bot_client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    _database_down(monkeypatch)
    live = await bot_client.get("/livez")
    assert live.status == 200
    assert (await live.json())["status"] == "ok"
    for probe in ("/readyz", "/healthz"):
        ready = await bot_client.get(probe)
        assert ready.status == 503, probe
        assert (await ready.json())["database"] == "unreachable"


async def test_readiness_needs_the_schema_this_code_expects(bot_client: Client) -> None:
    ready = await bot_client.get("/readyz")
    assert ready.status == 200
    assert (await ready.json())["schema"] == "ok"
    engine = bot_client.app[keys.DATABASE]
    async with engine.begin() as connection:  # as if an older release's migrations were all that ran
        await connection.execute(text("UPDATE alembic_version SET version_num = '0010'"))
    behind = await bot_client.get("/readyz")
    assert behind.status == 503
    assert (await behind.json())["schema"] == "mismatch"
    assert (await bot_client.get("/healthz")).status == 503, "/healthz is readiness"
    assert (await bot_client.get("/livez")).status == 200


async def test_a_stopping_bot_is_not_ready_but_alive(bot_client: Client) -> None:
    bot_client.app[keys.STOPPING].set()
    try:
        ready = await bot_client.get("/readyz")
        assert ready.status == 503
        assert (await ready.json())["status"] == "stopping"
        assert (await bot_client.get("/livez")).status == 200
    finally:
        bot_client.app[keys.STOPPING].clear()
