"""The meeting-start storm: on the hour, many conferences start together and Teams retries some deliveries (on any
instance). Every meeting must get exactly one expectations card."""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections import Counter
from dataclasses import dataclass

import aiohttp

from bench.connector import BenchConnector
from bench.identities import BOT_ID, TENANT_ID
from bench.processes import Contender

DUPLICATE_SHARE = 0.2


@dataclass(frozen=True, slots=True)
class StormRun:
    instances: int
    meetings: int
    events: int
    seconds: float
    cards: int
    meetings_with_one_card: int
    refused: int

    @property
    def exactly_once(self) -> bool:
        return self.cards == self.meetings == self.meetings_with_one_card and self.refused == 0


def chat_id(number: int) -> str:
    return f"19:meeting_storm{number:06d}@thread.v2"


def meeting_start(number: int, service_url: str) -> bytes:
    started = "2026-11-24T10:00:00.000Z"
    return json.dumps(
        {
            "type": "event",
            "name": "application/vnd.microsoft.meetingStart",
            "id": f"storm-start-{number}",
            "timestamp": started,
            "serviceUrl": service_url,
            "channelId": "msteams",
            "from": {"id": f"29:organiser-{number}", "aadObjectId": f"00000000-0000-4000-8000-{number:012d}"},
            "conversation": {
                "conversationType": "groupChat",
                "isGroup": True,
                "tenantId": TENANT_ID,
                "id": chat_id(number),
            },
            "recipient": {"id": BOT_ID, "name": "CP Conference Bot"},
            "channelData": {"tenant": {"id": TENANT_ID}, "meeting": {"id": f"MCMxOTpt{number:06d}"}},
            "value": {
                "Id": f"meeting-graph-id-{number}",
                "MeetingType": "Scheduled",
                "Title": "ICPC Bench Family",
                "StartTime": started,
            },
        }
    ).encode()


async def run_storm(
    instances: list[Contender],
    connector: BenchConnector,
    service_url: str,
    *,
    meetings: int,
    concurrency: int,
    seed: int,
) -> StormRun:
    """Every meeting's start once, a fifth of them again (to another instance where there are several), shuffled,
    `concurrency` at a time. A turn posts its card before it answers, so the last answer ends the storm."""
    shuffle = random.Random(seed)
    first_target = {number: shuffle.randrange(len(instances)) for number in range(meetings)}
    deliveries = list(first_target.items())
    for number in shuffle.sample(range(meetings), int(meetings * DUPLICATE_SHARE)):
        deliveries.append((number, (first_target[number] + 1) % len(instances)))
    shuffle.shuffle(deliveries)
    queue: asyncio.Queue[tuple[int, int]] = asyncio.Queue()
    for delivery in deliveries:
        queue.put_nowait(delivery)
    before = len(connector.arrivals)
    refused = 0

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal refused
        while not queue.empty():
            number, target = queue.get_nowait()
            async with session.post(
                instances[target].url,
                data=meeting_start(number, service_url),
                headers={"Content-Type": "application/json"},
            ) as response:
                await response.read()
                refused += response.status >= 300

    started = time.perf_counter()
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        await asyncio.gather(*(worker(session) for _ in range(concurrency)))
    arrivals = connector.arrivals[before:]
    finished = max((arrival.at for arrival in arrivals), default=time.perf_counter())
    per_meeting = Counter(arrival.conversation_id for arrival in arrivals)
    return StormRun(
        instances=len(instances),
        meetings=meetings,
        events=len(deliveries),
        seconds=finished - started,
        cards=len(arrivals),
        meetings_with_one_card=sum(1 for count in per_meeting.values() if count == 1),
        refused=refused,
    )
