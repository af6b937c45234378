"""Turn throughput and latency: closed-loop clients send `/expectations` messages to a contender, which replies with
a card to the bench connector; latency is request sent → card received by the connector, on one clock."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any

import aiohttp

from bench.connector import BenchConnector
from bench.identities import BOT_ID, TENANT_ID
from bench.processes import Contender
from bench.stats import percentile

CONVERSATIONS = 20
"""Personal chats the messages come from: the bot remembers each conversation once, as it would in Teams."""


@dataclass(frozen=True, slots=True)
class TurnRun:
    contender: str
    concurrency: int
    turns: int
    seconds: float
    latencies_ms: tuple[float, ...]
    failures: int
    cpu_ms_per_turn: float
    load_generator_busy: float
    """The share of one core the load generator and connector used while measuring: near 1 means they, not the
    contender, were the limit."""

    @property
    def per_second(self) -> float:
        return self.turns / self.seconds

    def latency(self, fraction: float) -> float:
        return percentile(self.latencies_ms, fraction)


def _message(activity_id: str, number: int, service_url: str) -> dict[str, Any]:
    user = f"29:bench-user-{number % CONVERSATIONS}"
    return {
        "type": "message",
        "id": activity_id,
        "timestamp": "2026-11-24T10:00:00.000Z",
        "serviceUrl": service_url,
        "channelId": "msteams",
        "from": {
            "id": user,
            "name": "Bench User",
            "aadObjectId": f"00000000-0000-4000-8000-{number % CONVERSATIONS:012d}",
        },
        "conversation": {
            "conversationType": "personal",
            "tenantId": TENANT_ID,
            "id": f"a:bench-{number % CONVERSATIONS}",
        },
        "recipient": {"id": BOT_ID, "name": "CP Conference Bot"},
        "locale": "en-GB",
        "text": "/expectations",
        "textFormat": "plain",
        "entities": [{"type": "clientInfo", "locale": "en-GB", "country": "GB", "platform": "Web"}],
        "channelData": {"tenant": {"id": TENANT_ID}},
    }


async def run_turns(
    contender: Contender,
    connector: BenchConnector,
    service_url: str,
    *,
    concurrency: int,
    warm_up: float,
    measure: float,
) -> TurnRun:
    """Keep `concurrency` requests in flight for `warm_up + measure` seconds; count only the measured part."""
    ids = itertools.count()
    sent: dict[str, float] = {}
    failures = 0
    deadline_warm = time.perf_counter() + warm_up
    deadline_end = deadline_warm + measure
    measured: list[str] = []

    async def client(session: aiohttp.ClientSession) -> None:
        nonlocal failures
        while time.perf_counter() < deadline_end:
            number = next(ids)
            activity_id = f"bench-{number}"
            body = json.dumps(_message(activity_id, number, service_url)).encode()
            sent[activity_id] = now = time.perf_counter()
            async with session.post(contender.url, data=body, headers={"Content-Type": "application/json"}) as response:
                await response.read()
                if response.status >= 300:
                    failures += 1
            if now >= deadline_warm and time.perf_counter() <= deadline_end:
                measured.append(activity_id)

    connection_limit = aiohttp.TCPConnector(limit=concurrency)
    async with aiohttp.ClientSession(connector=connection_limit, timeout=aiohttp.ClientTimeout(total=60)) as session:
        workers = [asyncio.create_task(client(session)) for _ in range(concurrency)]
        await asyncio.sleep(max(0.0, deadline_warm - time.perf_counter()))  # the warm-up: start counting CPU after it
        cpu_before, own_before = contender.cpu_seconds(), time.process_time()
        await asyncio.gather(*workers)
        cpu_after, own_after = contender.cpu_seconds(), time.process_time()
    latencies = tuple(
        (connector.reply_arrived[activity_id] - sent[activity_id]) * 1000
        for activity_id in measured
        if activity_id in connector.reply_arrived
    )
    lost = len(measured) - len(latencies)
    return TurnRun(
        contender=contender.name,
        concurrency=concurrency,
        turns=len(latencies),
        seconds=measure,
        latencies_ms=latencies,
        failures=failures + lost,
        cpu_ms_per_turn=(cpu_after - cpu_before) * 1000 / max(1, len(latencies)),
        load_generator_busy=(own_after - own_before) / (time.perf_counter() - deadline_warm),
    )
