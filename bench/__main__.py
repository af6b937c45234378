"""`make bench`: every benchmark, then `bench/RESULTS.md`. About 20 minutes; needs the PostgreSQL on this machine
(TEST_POSTGRES_URL) for the storm's several instances and the reminder fan-out.

`python -m bench [--quick]`: --quick runs one of each, small, to check the harness (not for the results file).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from aiohttp import web

from bench.connector import BenchConnector
from bench.fanout import CONFERENCES, FanOutRun, bench_connector, run_fan_out
from bench.machine import describe_machine
from bench.otlp_collector import OtlpCollector
from bench.panels import PanelRun, run_panels
from bench.processes import Contender, start_bot, start_module
from bench.profile import profile_turns
from bench.quiet_graph import quiet_graph
from bench.report import TRACED, Results, write_results
from bench.storm import StormRun, run_storm
from bench.turns import TurnRun, run_turns
from harness.databases import fresh_postgres_database, postgres_unreachable_reason

RESULTS = Path(__file__).with_name("RESULTS.md")
CONCURRENCY = (1, 10, 50)

Starter = Callable[[Path], Awaitable[Contender]]


@asynccontextmanager
async def serving(app: web.Application) -> AsyncIterator[str]:
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}/"
    finally:
        await runner.cleanup()


def contenders(collector_url: str) -> dict[str, Starter]:
    return {
        "this bot": lambda work: start_bot("this bot", work / "bot"),
        TRACED: lambda work: start_bot(TRACED, work / "traced", OTEL_EXPORTER_OTLP_ENDPOINT=collector_url),
        "echo sample": lambda work: start_module("echo sample", "bench.contenders.echo_sample", work),
        "bare limit": lambda work: start_module("bare limit", "bench.contenders.bare_handler", work),
    }


def say(line: str) -> None:
    print(line, flush=True)


async def turn_benchmark(work: Path, runs: int, measure: float) -> tuple[list[TurnRun], dict[str, float]]:
    """Contenders alternated (A B C A B C …), each a fresh process per run, every concurrency in each run."""
    results: list[TurnRun] = []
    peaks: dict[str, float] = {}
    connector, collector = BenchConnector(), OtlpCollector()
    async with serving(connector.app()) as service_url, serving(collector.app()) as collector_url:
        for run in range(runs):
            for name, start in contenders(collector_url).items():
                contender = await start(work / f"turns-{run}")
                try:
                    for concurrency in CONCURRENCY:
                        result = await run_turns(
                            contender, connector, service_url, concurrency=concurrency, warm_up=1.0, measure=measure
                        )
                        results.append(result)
                        say(
                            f"  run {run + 1} {name:12} c={concurrency:<3} {result.per_second:7.0f} turns/s "
                            f"p50 {result.latency(0.5):6.1f} ms  p99 {result.latency(0.99):6.1f} ms  "
                            f"{result.cpu_ms_per_turn:5.2f} ms CPU/turn  failures {result.failures}"
                        )
                    peaks[name] = max(peaks.get(name, 0.0), contender.peak_rss_mib())
                finally:
                    contender.stop()
        say(f"  the traced contender sent {collector.exports} OTLP exports ({collector.bytes_received / 1e6:.1f} MB)")
    return results, peaks


async def storm_benchmark(work: Path, runs: int, meetings: int, postgres: bool) -> list[tuple[StormRun, float]]:
    """One instance on SQLite and, with PostgreSQL, two instances on one database, alternated."""
    results: list[tuple[StormRun, float]] = []
    connector = BenchConnector()
    async with serving(connector.app()) as service_url:
        for run in range(runs):
            instance = await start_bot("storm", work / f"storm-{run}-sqlite")
            try:
                result = await run_storm(
                    [instance], connector, service_url, meetings=meetings, concurrency=50, seed=run
                )
                results.append((result, instance.peak_rss_mib()))
            finally:
                instance.stop()
            say(f"  run {run + 1} SQLite, 1 instance: {result.cards} cards in {result.seconds:.1f} s")
            if not postgres:
                continue
            async with fresh_postgres_database() as database_url:
                instances = [
                    await start_bot("storm", work / f"storm-{run}-pg-{n}", DATABASE_URL=database_url) for n in range(2)
                ]
                try:
                    result = await run_storm(
                        instances, connector, service_url, meetings=meetings, concurrency=50, seed=run
                    )
                    results.append((result, max(instance.peak_rss_mib() for instance in instances)))
                finally:
                    for instance in instances:
                        instance.stop()
            say(f"  run {run + 1} PostgreSQL, 2 instances: {result.cards} cards in {result.seconds:.1f} s")
    return results


async def fan_out_benchmark(work: Path, conferences: int) -> list[FanOutRun]:
    results: list[FanOutRun] = []
    async with serving(quiet_graph()) as graph_url:
        for kill in (False, True):
            connector = bench_connector()
            async with serving(connector.app()) as service_url, fresh_postgres_database() as database_url:
                total = conferences * 8
                result = await run_fan_out(
                    database_url,
                    graph_url + "v1.0",
                    connector,
                    service_url,
                    work / f"fan-out-{'kill' if kill else 'straight'}",
                    conferences=conferences,
                    kill_after=total // 2 if kill else None,
                    within=900,
                )
            results.append(result)
            say(
                f"  {'killed halfway' if kill else 'straight through'}: {result.unique}/{result.reminders} in "
                f"{result.seconds:.0f} s (ideal {result.ideal_seconds:.0f} s), duplicates {result.duplicates}, "
                f"lost {result.lost}, 429s {result.throttled}"
            )
    return results


async def panel_benchmark(work: Path, conferences: int, seconds: float) -> PanelRun:
    connector = BenchConnector()
    async with serving(connector.app()) as service_url:
        bot = await start_bot("panels", work / "panels")
        try:
            result = await run_panels(bot, connector, service_url, conferences=conferences, seconds=seconds)
        finally:
            bot.stop()
    say(
        f"  {result.conferences} conferences, {result.events} joins and leaves in {result.seconds:.0f} s: shown in "
        f"the chair's panel after p50 {result.latency(0.5) * 1000:.0f} ms, p99 {result.latency(0.99) * 1000:.0f} ms "
        f"(missed {result.missed}); CPU {result.cpu_share:.0%} of a core, peak RSS {result.peak_rss_mib:.0f} MiB"
    )
    return result


async def main(quick: bool) -> int:
    started = time.perf_counter()
    no_postgres = await postgres_unreachable_reason()
    with tempfile.TemporaryDirectory(prefix="cp-bench-") as temporary:
        work = Path(temporary)
        say("Turn throughput and latency")
        turns, turn_peaks = await turn_benchmark(work, runs=1 if quick else 3, measure=1.0 if quick else 4.0)
        say("Where a turn's time goes")
        connector = BenchConnector()
        async with serving(connector.app()) as service_url:
            shares, profiled_turns = await profile_turns(work / "profile", connector, service_url)
        say("Meeting-start storm")
        storms = await storm_benchmark(
            work, runs=1 if quick else 3, meetings=100 if quick else 1000, postgres=no_postgres is None
        )
        say("Chairs' side panels")
        panels = await panel_benchmark(work, conferences=10 if quick else 50, seconds=15 if quick else 120)
        fan_outs: list[FanOutRun] = []
        if no_postgres is None:
            say("Reminder fan-out")
            fan_outs = await fan_out_benchmark(work, conferences=25 if quick else CONFERENCES)
        else:
            say(f"Reminder fan-out skipped: {no_postgres}")
    results = Results(
        machine=describe_machine(),
        turns=turns,
        turn_peaks=turn_peaks,
        shares=shares,
        profiled_turns=profiled_turns,
        storms=storms,
        fan_outs=fan_outs,
        panels=panels,
        skipped=no_postgres,
        minutes=(time.perf_counter() - started) / 60,
    )
    verdicts = results.verdicts()
    for line in verdicts:
        say(line)
    if quick:
        say("(--quick: bench/RESULTS.md left as it was)")
    else:
        write_results(RESULTS, results)
        say(f"Written to {RESULTS}")
    return 0 if all(line.startswith("MET") for line in verdicts) else 1


if __name__ == "__main__":
    arguments = argparse.ArgumentParser(description=__doc__)
    arguments.add_argument("--quick", action="store_true", help="one small run of each, to check the harness")
    sys.exit(asyncio.run(main(arguments.parse_args().quick)))
