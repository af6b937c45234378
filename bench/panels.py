"""The chairs' side panels under a morning's load: many conferences at once, a join or a leave every second across
them, every chair's panel open (held polls, as the page holds them). Measured: the time from a join or leave event's
arrival at the bot to the change showing in that conference's chair's panel, and the bot's CPU and memory meanwhile.

The panels name their viewer with local mode's identity header (the bot's sign-on check is the same few microseconds
whichever way the viewer is named); Teams' meeting and member look-ups are answered by the bench's own connector.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import time
from dataclasses import dataclass, field

import aiohttp

from bench.connector import BenchConnector
from bench.identities import BOT_ID, TENANT_ID
from bench.processes import Contender
from bench.stats import percentile
from harness.waiting import wait_until

PEOPLE_PER_CONFERENCE = 6
"""The chair and five others, of whom the first three are there from the start and the rest come and go."""


@dataclass
class PanelRun:
    conferences: int
    events: int
    seconds: float
    latencies: list[float] = field(default_factory=list)
    """Seconds from each event's arrival to its chair's panel showing it."""
    missed: int = 0
    """Events whose change no panel showed before the run ended."""
    cpu_seconds: float = 0.0
    peak_rss_mib: float = 0.0
    polls: int = 0

    def latency(self, fraction: float) -> float:
        return percentile(self.latencies, fraction) if self.latencies else float("nan")

    @property
    def cpu_share(self) -> float:
        """The bot's CPU time as a share of one core over the run."""
        return self.cpu_seconds / self.seconds if self.seconds else float("nan")


def _chat(number: int) -> str:
    return f"19:meeting_panel{number:04d}@thread.v2"


def _meeting(number: int) -> str:
    return f"MCMxOTpwYW5lbA{number:04d}"


def _person(number: int, index: int) -> dict[str, str]:
    """Person `index` of conference `number` (0 is its chair); the domains put them in different agencies."""
    domains = ["example-council.gov.uk", "example-council.gov.uk", "example.police.uk", "nhs.net", "oak.sch.uk"]
    aad = f"00000000-0000-4000-a{number:03d}-{index:012d}"
    return {
        "aad": aad,
        "id": f"29:panel-{number}-{index}",
        "name": f"Person {number}-{index}",
        "email": f"person{number}.{index}@{domains[index % len(domains)]}",
    }


def _event(number: int, name: str, value: dict[str, object], service_url: str, event_id: str) -> bytes:
    return json.dumps(
        {
            "type": "event",
            "name": f"application/vnd.microsoft.{name}",
            "id": event_id,
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime()),
            "serviceUrl": service_url,
            "channelId": "msteams",
            "from": {"id": "29:panel-organiser", "aadObjectId": _person(number, 0)["aad"]},
            "conversation": {
                "conversationType": "groupChat",
                "isGroup": True,
                "tenantId": TENANT_ID,
                "id": _chat(number),
            },
            "recipient": {"id": BOT_ID, "name": "CP Conference Bot"},
            "channelData": {"tenant": {"id": TENANT_ID}, "meeting": {"id": _meeting(number)}},
            "value": value,
        }
    ).encode()


def _members_event(number: int, indexes: list[int], joined: bool, service_url: str, event_id: str) -> bytes:
    members = [
        {
            "user": {"id": person["id"], "aadObjectId": person["aad"], "name": person["name"], "tenantId": TENANT_ID},
            "meeting": {"role": "Organizer" if index == 0 else "Attendee", "inMeeting": joined},
        }
        for index in indexes
        for person in [_person(number, index)]
    ]
    name = "meetingParticipantJoin" if joined else "meetingParticipantLeave"
    return _event(number, name, {"members": members}, service_url, event_id)


class _Panel:
    """One chair's open panel: polls held open as the page holds them, each answer checked against what is awaited."""

    def __init__(self, number: int, bot_origin: str) -> None:
        self.number = number
        self._url = f"{bot_origin}/api/tab/panel"
        self._headers = {"X-CP-Local-User": _person(number, 0)["aad"]}
        self.version = ""
        self.live = ""
        self.awaited: list[tuple[str, bool, float]] = []
        """(name, whether it should be shown, when its event was sent)."""
        self.latencies: list[float] = []
        self.polls = 0
        self.ready = asyncio.Event()

    async def run(self, session: aiohttp.ClientSession, stop: asyncio.Event) -> None:
        while not stop.is_set():
            params = {"conversation": _chat(self.number), "seen": self.version}
            try:
                async with session.get(self._url, params=params, headers=self._headers) as response:
                    body = await response.json()
            except (aiohttp.ClientError, TimeoutError):
                await asyncio.sleep(0.1)
                continue
            arrived = time.perf_counter()
            self.polls += 1
            if response.status != 200 or body.get("role") != "chair":
                raise RuntimeError(f"panel {self.number}: {response.status} {body}")
            self.version = body["version"]
            # Who is here (the log below may name someone who left, once the bot notices they did not come back).
            self.live = body["live"].split('<section aria-labelledby="log-heading"')[0]
            self.ready.set()
            still: list[tuple[str, bool, float]] = []
            for name, shown, sent in self.awaited:
                if (name in self.live) is shown:
                    self.latencies.append(arrived - sent)
                else:
                    still.append((name, shown, sent))
            self.awaited = still


async def run_panels(
    bot: Contender,
    connector: BenchConnector,
    service_url: str,
    *,
    conferences: int,
    seconds: float,
    events_per_second: float = 1.0,
) -> PanelRun:
    bot_origin = f"http://127.0.0.1:{bot.port}"
    for number in range(conferences):
        connector.organisers[_meeting(number)] = _person(number, 0)["aad"]
        connector.members[_chat(number)] = [
            {
                "id": person["id"],
                "name": person["name"],
                "aadObjectId": person["aad"],
                "email": person["email"],
                "userPrincipalName": person["email"],
                "tenantId": TENANT_ID,
            }
            for index in range(PEOPLE_PER_CONFERENCE)
            for person in [_person(number, index)]
        ]
    connection = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connection, timeout=timeout) as session:

        async def post(body: bytes) -> None:
            async with session.post(bot.url, data=body, headers={"Content-Type": "application/json"}) as answer:
                if answer.status >= 300:
                    raise RuntimeError(f"the bot answered {answer.status}")

        start = time.strftime("%Y-%m-%dT%H:%M:%S.000Z", time.gmtime())
        for number in range(conferences):
            await post(_event(number, "meetingStart", {"Id": "x", "StartTime": start}, service_url, f"s{number}"))
            await post(_members_event(number, [0, 1, 2, 3], True, service_url, f"j{number}"))
        panels = [_Panel(number, bot_origin) for number in range(conferences)]
        stop = asyncio.Event()
        watchers = [asyncio.create_task(panel.run(session, stop)) for panel in panels]
        await asyncio.wait_for(asyncio.gather(*(panel.ready.wait() for panel in panels)), timeout=120)
        present = {number: {0, 1, 2, 3} for number in range(conferences)}
        cpu_before, began = bot.cpu_seconds(), time.perf_counter()
        events = 0
        interval = 1.0 / events_per_second
        while time.perf_counter() - began < seconds:
            number = events % conferences
            # Each conference's comers and goers (4 and 5) take turns: someone arrives, someone leaves.
            index = 4 + (events // conferences) % 2
            joining = index not in present[number]
            person = _person(number, index)["name"]
            panels[number].awaited.append((person, joining, time.perf_counter()))
            await post(_members_event(number, [index], joining, service_url, f"e{events}"))
            (present[number].add if joining else present[number].discard)(index)
            events += 1
            await asyncio.sleep(max(0.0, began + events * interval - time.perf_counter()))
        elapsed = time.perf_counter() - began
        cpu = bot.cpu_seconds() - cpu_before

        async def caught_up() -> bool:
            return not any(panel.awaited for panel in panels)

        with contextlib.suppress(TimeoutError):  # what is still awaited then counts as missed
            await wait_until(caught_up, within=10, what="the panels showing the last events")
        stop.set()
        for watcher in watchers:
            watcher.cancel()
        await asyncio.gather(*watchers, return_exceptions=True)
    return PanelRun(
        conferences=conferences,
        events=events,
        seconds=elapsed,
        latencies=[latency for panel in panels for latency in panel.latencies],
        missed=sum(len(panel.awaited) for panel in panels),
        cpu_seconds=cpu,
        peak_rss_mib=bot.peak_rss_mib(),
        polls=sum(panel.polls for panel in panels),
    )
