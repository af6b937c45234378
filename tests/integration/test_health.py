from __future__ import annotations

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient
from sqlalchemy.ext.asyncio import AsyncEngine

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
