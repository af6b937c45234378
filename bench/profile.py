"""Where a turn's CPU time goes: the bot under cProfile, once serving a few seconds of `/expectations` turns and once
starting and stopping with none; the difference of the two is the turns' own time (tottime), grouped by the library
it is spent in."""

from __future__ import annotations

import pstats
import signal
import subprocess
import sys
from pathlib import Path

from bench.connector import BenchConnector
from bench.processes import Contender
from bench.turns import run_turns
from harness.processes import PROJECT_ROOT, bot_environment, free_port, wait_for_http

Function = tuple[str, int, str]


def _library(filename: str) -> str:
    if "site-packages/" in filename:
        package = filename.split("site-packages/", 1)[1].split("/", 1)[0]
        return {"botframework": "botbuilder", "multidict": "aiohttp", "yarl": "aiohttp"}.get(package, package)
    if filename.startswith(str(PROJECT_ROOT)):
        return "this bot (bot/, cards/)"
    if filename == "~" or filename.startswith("<"):
        return "built-ins (json, sockets, copy…)"
    if "/asyncio/" in filename or filename.endswith("selectors.py"):
        return "asyncio event loop"
    if "/logging/" in filename:
        return "logging"
    if filename.endswith("/copy.py"):
        return "copy"
    return "Python standard library"


async def _profiled_run(
    workdir: Path, connector: BenchConnector, service_url: str, *, serve_turns: bool
) -> tuple[dict[Function, float], int]:
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    profile = workdir / "bot.prof"
    with (workdir / "bot.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "cProfile", "-o", str(profile), str(PROJECT_ROOT / "app.py")],
            cwd=workdir,
            env=bot_environment(port, workdir / "bot.sqlite3"),
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=60, process=process)
    turns = 0
    if serve_turns:
        bot = Contender("bot", process, port)
        turns = (await run_turns(bot, connector, service_url, concurrency=10, warm_up=0.0, measure=4)).turns
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)
    stats = pstats.Stats(str(profile))
    own_time = {function: row[2] for function, row in stats.stats.items()}  # type: ignore[attr-defined]
    return own_time, turns


async def profile_turns(workdir: Path, connector: BenchConnector, service_url: str) -> tuple[dict[str, float], int]:
    """Each library's share of the turns' CPU time (waiting in epoll left out), and how many turns there were."""
    idle, _ = await _profiled_run(workdir / "idle", connector, service_url, serve_turns=False)
    busy, turns = await _profiled_run(workdir / "busy", connector, service_url, serve_turns=True)
    by_library: dict[str, float] = {}
    for function, seconds in busy.items():
        if "poll" in function[2]:
            continue
        library = _library(function[0])
        by_library[library] = by_library.get(library, 0.0) + max(0.0, seconds - idle.get(function, 0.0))
    total = sum(by_library.values()) or 1.0
    ranked = sorted(by_library.items(), key=lambda item: -item[1])
    return {library: seconds / total for library, seconds in ranked}, turns
