"""The verdicts the harness prints, and `bench/RESULTS.md`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.fanout import OVERALL_PER_SECOND, PER_CONVERSATION_PER_SECOND, FanOutRun
from bench.panels import PanelRun
from bench.stats import median, spread
from bench.storm import StormRun
from bench.turns import TurnRun

BOT, ECHO, BARE = "this bot", "echo sample", "bare limit"
TRACED = "this bot, traced"
"""This bot exporting its traces and metrics over OTLP to a collector on loopback (OTEL_EXPORTER_OTLP_ENDPOINT)."""
TARGET = 5.0
PANEL_P99_TARGET = 2.0
"""Seconds: a join or leave shows in its chair's side panel within this, at the 99th percentile."""


@dataclass
class Results:
    machine: list[str]
    turns: list[TurnRun]
    turn_peaks: dict[str, float]
    shares: dict[str, float]
    profiled_turns: int
    storms: list[tuple[StormRun, float]]
    fan_outs: list[FanOutRun]
    panels: PanelRun | None
    skipped: str | None
    minutes: float

    def cell(self, contender: str, concurrency: int) -> list[TurnRun]:
        return [run for run in self.turns if run.contender == contender and run.concurrency == concurrency]

    def throughput(self, contender: str, concurrency: int) -> float:
        return median([run.per_second for run in self.cell(contender, concurrency)])

    def p99(self, contender: str, concurrency: int) -> float:
        return median([run.latency(0.99) for run in self.cell(contender, concurrency)])

    def concurrencies(self) -> list[int]:
        return sorted({run.concurrency for run in self.turns})

    def ratio_lines(self) -> list[str]:
        lines = []
        for concurrency in self.concurrencies():
            ours = self.throughput(BOT, concurrency)
            lines.append(
                f"c={concurrency}: this bot / echo sample throughput {ours / self.throughput(ECHO, concurrency):.1f}×, "
                f"echo p99 / this bot p99 {self.p99(ECHO, concurrency) / self.p99(BOT, concurrency):.1f}×, "
                f"bare limit / this bot throughput {self.throughput(BARE, concurrency) / ours:.1f}×"
            )
            if self.cell(TRACED, concurrency):
                traced = self.throughput(TRACED, concurrency)
                cpu = median([run.cpu_ms_per_turn for run in self.cell(TRACED, concurrency)]) - median(
                    [run.cpu_ms_per_turn for run in self.cell(BOT, concurrency)]
                )
                lines.append(
                    f"c={concurrency}: tracing to a collector: {traced / ours:.0%} of the untraced throughput, "
                    f"{cpu:+.2f} ms CPU per turn"
                )
        return lines

    def verdicts(self) -> list[str]:
        lines = []
        for concurrency in (10, 50):
            if not self.cell(BOT, concurrency):
                continue
            if not self.throughput(ECHO, concurrency) or not self.p99(BOT, concurrency) > 0:
                # A short (--quick) run can end before the echo sample answers a single turn at this concurrency.
                lines.append(f"NOT MEASURED: at {concurrency} concurrent, the echo sample completed no turn")
                continue
            speed = self.throughput(BOT, concurrency) / self.throughput(ECHO, concurrency)
            tail = self.p99(ECHO, concurrency) / self.p99(BOT, concurrency)
            met = "MET" if speed >= TARGET and tail >= TARGET else "NOT MET"
            lines.append(
                f"{met}: at {concurrency} concurrent, {speed:.1f}× the echo sample's throughput and a p99 "
                f"{tail:.1f}× lower (target {TARGET:.0f}× both)"
            )
        for instances in sorted({storm.instances for storm, _peak in self.storms}):
            runs = [storm for storm, _peak in self.storms if storm.instances == instances]
            met = "MET" if all(storm.exactly_once for storm in runs) else "NOT MET"
            lines.append(
                f"{met}: meeting-start storm on {instances} instance(s), {len(runs)} runs: exactly one card for each "
                f"of {runs[0].meetings} meetings ({runs[0].events} start events) in "
                f"{sum(storm.exactly_once for storm in runs)} of {len(runs)}"
            )
        if self.panels is not None:
            panels = self.panels
            p99 = panels.latency(0.99)
            met = "MET" if p99 < PANEL_P99_TARGET and panels.missed == 0 else "NOT MET"
            lines.append(
                f"{met}: side panels, {panels.conferences} open with a join or leave every second: p99 {p99:.2f} s "
                f"from the event to the chair's panel, {panels.missed} missed "
                f"(target under {PANEL_P99_TARGET:.0f} s, none)"
            )
        for fan_out in self.fan_outs:
            met = "MET" if fan_out.lost == 0 and fan_out.duplicates == 0 else "NOT MET"
            how = "killed halfway" if fan_out.killed_after else "straight through"
            lines.append(
                f"{met}: fan-out {how}: {fan_out.lost} lost, {fan_out.duplicates} duplicated of {fan_out.reminders}"
            )
        return lines


def _turn_table(results: Results) -> list[str]:
    lines = [
        "| contender | concurrent | turns/s | p50 ms | p95 ms | p99 ms | CPU ms/turn | failures |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for contender in (BOT, TRACED, ECHO, BARE):
        for concurrency in results.concurrencies():
            runs = results.cell(contender, concurrency)
            if not runs:
                continue
            lines.append(
                f"| {contender} | {concurrency} | {spread([r.per_second for r in runs], 0)} "
                f"| {spread([r.latency(0.5) for r in runs])} | {spread([r.latency(0.95) for r in runs])} "
                f"| {spread([r.latency(0.99) for r in runs])} | {spread([r.cpu_ms_per_turn for r in runs], 2)} "
                f"| {sum(r.failures for r in runs)} |"
            )
    return lines


def _panel_lines(panels: PanelRun | None) -> list[str]:
    if panels is None:
        return ["Not run."]
    return [
        f"{panels.conferences} conferences running at once, each chair's side panel open (a held poll, as the page "
        f"holds it, {panels.polls} answered in all), and a join or a leave every second across them for "
        f"{panels.seconds:.0f} s ({panels.events} events). Time from sending the event to the bot to the chair's panel "
        "receiving a view that shows it (who is here), SQLite, one instance:",
        "",
        "| events | p50 ms | p95 ms | p99 ms | max ms | missed | bot CPU (share of a core) | peak RSS MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {panels.events} | {panels.latency(0.5) * 1000:.0f} | {panels.latency(0.95) * 1000:.0f} | "
        f"{panels.latency(0.99) * 1000:.0f} | {max(panels.latencies, default=float('nan')) * 1000:.0f} | "
        f"{panels.missed} | {panels.cpu_share:.0%} | {panels.peak_rss_mib:.0f} |",
        "",
        "A join or leave wakes the conference's held polls on the instance that receives it; each panel also looks "
        "again every 5 s while held (for changes that reach another instance), which is most of the CPU here.",
    ]


def write_results(path: Path, results: Results) -> None:
    runs = max((len(results.cell(BOT, c)) for c in results.concurrencies()), default=0)
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC in {results.minutes:.1f} minutes. "
        "Do not edit: run `make bench` again.",
        "",
        "## Machine and commands",
        "",
        *[f"- {line}" for line in results.machine],
        "- `make bench` (which runs `python -m bench`); `python -m bench --quick` checks the harness in two minutes "
        "without writing this file. PostgreSQL at `TEST_POSTGRES_URL` (default: the local server) for the storm's "
        "second configuration and the fan-out.",
        "- Every contender runs as a process of its own; the load generator and the fake Bot Connector share one "
        "process (one clock for latency); all on 127.0.0.1.",
        "",
        "## Verdicts",
        "",
        *[f"- {line}" for line in results.verdicts()],
        "",
        "## 1. Turn throughput and latency (`/expectations`, reply card received by the connector)",
        "",
        f"Closed loop: each of N clients sends the next message when the last is answered; 1 s warm-up, then "
        f"measured. {runs} runs per cell, contenders alternated (this bot, traced, echo sample, bare limit, again …), "
        "each run a fresh process. Figures are medians with (min–max). The bot runs as `make run` does: local mode, "
        "SQLite, INFO logging with aiohttp's access log (traced: the same, exporting its traces and metrics over "
        "OTLP/HTTP to a collector on 127.0.0.1 that accepts everything); the echo sample as Microsoft's Python "
        "samples are written (`CloudAdapter.process`, a `TeamsActivityHandler`, the same card); the bare limit parses "
        "the JSON and posts the card with one shared session.",
        "",
        *_turn_table(results),
        "",
        "Ratios (of medians):",
        "",
        *[f"- {line}" for line in results.ratio_lines()],
        "",
        "Peak resident memory: "
        + ", ".join(f"{name} {peak:.0f} MiB" for name, peak in sorted(results.turn_peaks.items()))
        + ".",
        "",
        "### Where this bot's turn time goes",
        "",
        f"cProfile over {results.profiled_turns} turns at 10 concurrent (the profile of a start and stop with no "
        "turns subtracted; waiting in epoll left out). Share of CPU time by where it is spent:",
        "",
        "| where | share |",
        "|---|---:|",
        *[f"| {library} | {share:.0%} |" for library, share in results.shares.items() if share >= 0.005],
        "",
        "msrest is botbuilder's (de)serialiser: reading the inbound activity into botbuilder's models and writing "
        "the reply's (the card itself is passed through as JSON); aiohttp is the HTTP server for the inbound request "
        "and the kept-alive client for the reply; `copy` is botbuilder deep-copying the reply activity (not its "
        "card); logging is the INFO log and access log. What the bot does itself (parsing the command, choosing "
        "the card, remembering the conversation) is the small share it shows.",
        "",
        "## 2. Meeting-start storm",
        "",
        "Start events for 1,000 different meetings plus 200 duplicates (Teams' retries: on another instance where "
        "there are two), shuffled, 50 at a time. Time from the first event sent to the last card received.",
        "",
        "| database | instances | events | cards | meetings with exactly one card | refused | seconds | peak RSS MiB |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
        *[
            f"| {'SQLite' if storm.instances == 1 else 'PostgreSQL'} | {storm.instances} | {storm.events} | "
            f"{storm.cards} | {storm.meetings_with_one_card} | {storm.refused} | {storm.seconds:.1f} | {peak:.0f} |"
            for storm, peak in results.storms
        ],
        "",
        "## 3. Reminder fan-out",
        "",
    ]
    if results.fan_outs:
        lines += [
            f"16,000 reminders due at once (2,000 conferences: each meeting chat's card and seven invitees' "
            f"join-early warnings, invitees drawn from 500 people), PostgreSQL, through a connector that answers 429 "
            f"(Retry-After: 1) above {OVERALL_PER_SECOND} messages a second overall or "
            f"{PER_CONVERSATION_PER_SECOND} a second to one conversation. Time from the bot's start to the last "
            "message accepted; the ideal is 16,000 / 50 = 320 s.",
            "",
            "| run | reminders | delivered | distinct | duplicates | lost | sent in the outbox | 429s | seconds "
            "| ideal s | peak RSS MiB |",
            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
            *[
                f"| {'SIGKILL halfway, restarted' if run.killed_after else 'straight through'} | {run.reminders} | "
                f"{run.delivered} | {run.unique} | {run.duplicates} | {run.lost} | {run.settled_sent} | "
                f"{run.throttled} | {run.seconds:.0f} | {run.ideal_seconds:.0f} | {run.peak_rss_mib:.0f} |"
                for run in results.fan_outs
            ],
        ]
    else:
        lines.append(f"Skipped: {results.skipped}.")
    lines += ["", "## 4. The chairs' side panels", "", *_panel_lines(results.panels)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
