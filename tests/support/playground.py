"""The Microsoft 365 Agents Playground (npm @microsoft/m365agentsplayground) as a real Teams client for tests.

It runs as its own Node process on 127.0.0.1 (a preload keeps it off other interfaces), forwards Teams-shaped
activities to the bot, hosts a mock Bot Connector for the bot's replies and streams them over a websocket.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import subprocess
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

from harness.processes import PROJECT_ROOT, free_port, start_bot, stop, wait_for_http
from harness.waiting import wait_until
from tests.support.node_tools import node_executable, require_package

PRELOAD = PROJECT_ROOT / "tests" / "e2e" / "loopback-preload.cjs"
CARD = "application/vnd.microsoft.card.adaptive"

Message = dict[str, Any]


def cards_in(message: Message) -> list[dict[str, Any]]:
    return [
        attachment["content"]
        for attachment in message.get("attachments") or []
        if attachment.get("contentType") == CARD
    ]


@dataclass
class Playground:
    port: int
    session: aiohttp.ClientSession
    config: dict[str, Any] = field(default_factory=dict)
    received: list[tuple[str, Message]] = field(default_factory=list)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def service_url(self) -> str:
        return f"{self.url}/_connector"

    @property
    def bot(self) -> dict[str, Any]:
        bot: dict[str, Any] = self.config["bot"]
        return bot

    def bot_mention(self) -> dict[str, Any]:
        return {"mentioned": {"id": self.bot["id"]}, "text": f"<at>{self.bot['name']}</at>"}

    async def send(self, conversation_id: str, text: str, *, mention_bot: bool = False) -> None:
        body: dict[str, Any] = {"from": {"id": "user-id-0"}, "text": text, "textFormat": "plain"}
        if mention_bot:
            body["text"] = f"<at>{self.bot['name']}</at> {text}"
            body["mentions"] = [self.bot_mention()]
        async with self.session.post(
            f"{self.url}/_conversation/v1/conversations/{conversation_id}/messages", json=body
        ) as response:
            assert response.status == 200, await response.text()

    async def send_activity(self, activity: dict[str, Any]) -> None:
        """A custom activity, forwarded to the bot unchanged (how meeting chats are simulated)."""
        async with self.session.post(f"{self.url}/_internal/v1/customActivities", json=activity) as response:
            assert response.status == 200, await response.text()

    async def wait_for_card(
        self, conversation_prefix: str, matches: Callable[[dict[str, Any]], bool], *, within: float = 15.0
    ) -> dict[str, Any]:
        """The first card the bot sent to a conversation (the id may gain a `;messageid=` suffix) that matches."""
        found: list[dict[str, Any]] = []

        async def arrived() -> bool:
            for conversation_id, message in self.received:
                if conversation_id.startswith(conversation_prefix):
                    found.extend(card for card in cards_in(message) if matches(card))
            return bool(found)

        await wait_until(arrived, within=within, what=f"a card in conversation {conversation_prefix}")
        return found[0]


async def _read_stream(websocket: aiohttp.ClientWebSocketResponse, playground: Playground) -> None:
    async for frame in websocket:
        if frame.type != aiohttp.WSMsgType.TEXT:
            continue
        event = json.loads(frame.data)
        if event.get("action") == "createMessage":
            playground.received.append((str(event.get("actionConversationId", "")), event["message"]))


def start_playground(cli: Path, bot_port: int, port: int, workdir: Path) -> subprocess.Popen[bytes]:
    """The Playground's CLI pointed at the bot, without a browser, its log in `workdir`."""
    with (workdir / "playground.log").open("wb") as log:
        return subprocess.Popen(
            [
                node_executable(),
                "-r",
                str(PRELOAD),
                str(cli),
                "--app-endpoint",
                f"http://127.0.0.1:{bot_port}/api/messages",
                "--channel-id",
                "msteams",
                "--port",
                str(port),
                "--service-url",
                f"http://127.0.0.1:{port}/_connector",
                "--disable-telemetry",
            ],
            cwd=workdir,
            env={**os.environ, "TEAMSAPPTESTER_BROWSER": "none"},
            stdout=log,
            stderr=subprocess.STDOUT,
        )


@contextlib.asynccontextmanager
async def running_playground(workdir: Path, **bot_settings: str) -> AsyncIterator[Playground]:
    """The bot (`python app.py`, local mode, with any extra settings) and the Agents Playground in front of it, both on
    loopback."""
    cli = require_package("@microsoft/m365agentsplayground") / "cli.js"
    bot_port, playground_port = free_port(), free_port()
    bot = start_bot(bot_port, workdir, workdir / "bot.log", **bot_settings)
    playground_dir = workdir / "playground"
    playground_dir.mkdir()
    client = start_playground(cli, bot_port, playground_port, playground_dir)
    reader: asyncio.Task[None] | None = None
    try:
        await wait_for_http(f"http://127.0.0.1:{bot_port}/healthz", within=30, process=bot)
        await wait_for_http(f"http://127.0.0.1:{playground_port}/_debug/ping", within=30, process=client)
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as session:
            playground = Playground(port=playground_port, session=session)
            async with session.get(f"{playground.url}/_internal/v1/config") as response:
                playground.config = (await response.json())["config"]
            websocket = await session.ws_connect(f"{playground.url}/_ws_conversation/v1/conversations/stream")
            reader = asyncio.create_task(_read_stream(websocket, playground))
            try:
                yield playground
            finally:
                await websocket.close()
                reader.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await reader
    finally:
        await asyncio.to_thread(stop, client)
        await asyncio.to_thread(stop, bot)
