"""`python -m bot doctor` against a Graph double on 127.0.0.1 (local mode): one line per check, ok when the
configuration works, FAIL saying which and why (statuses and error classes, never data or secrets) when it does not,
exit status 1 on any failure."""

from __future__ import annotations

import asyncio

import pytest

from bot.cli.doctor import Finding, Verdict, _within
from bot.cli.main import main
from tests.conftest import ServerFactory
from tests.support.fake_graph import FakeGraph
from tests.support.telemetry_receiver import Receiver

MAILBOX = "cp-conferences@example-council.gov.uk"
GROUP = "0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"
SENDER = "cp-reminders@example-council.gov.uk"


async def _doctor(capsys: pytest.CaptureFixture[str]) -> tuple[int, list[str]]:
    code = await asyncio.to_thread(main, ["doctor"])
    return code, capsys.readouterr().out.splitlines()


@pytest.fixture
async def graph_url(aiohttp_server: ServerFactory, monkeypatch: pytest.MonkeyPatch) -> tuple[FakeGraph, str]:
    graph = FakeGraph(directory={SENDER: "aad-sender"}, groups={GROUP: set()})
    url = str((await aiohttp_server(graph.app())).make_url("/v1.0"))
    for name, value in {
        "DATABASE_URL": "sqlite+aiosqlite:///doctor.sqlite3",
        "GRAPH_BASE_URL": url,
        "CALENDAR_MAILBOXES": MAILBOX,
        "CHAIR_GROUP_ID": GROUP,
        "MicrosoftAppTenantId": "72f988bf-86f1-41af-91ab-2d7cd011db47",
        "REMINDER_EMAIL_FROM": SENDER,
    }.items():
        monkeypatch.setenv(name, value)
    assert await asyncio.to_thread(main, ["migrate"]) == 0
    return graph, url


async def test_a_working_configuration_is_all_ok_or_skipped(
    graph_url: tuple[FakeGraph, str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    code, lines = await _doctor(capsys)
    assert code == 0, lines
    verdicts = {line.split(":")[0].split(maxsplit=1)[1]: line.split()[0] for line in lines}
    assert verdicts == {
        "database": "ok",
        "bot token": "skip",
        "telemetry": "skip",
        "graph token": "skip",
        f"mailbox {MAILBOX}": "ok",
        f"chairs' group {GROUP}": "ok",
        f"e-mail sender {SENDER}": "ok",
        "app catalogue id": "skip",
        "public address": "skip",
    }


async def test_what_does_not_work_is_said_line_by_line_and_fails_the_run(
    graph_url: tuple[FakeGraph, str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    graph, _ = graph_url
    graph.calendars.refused_mailboxes.add(MAILBOX)  # outside the Exchange scope
    graph.groups.clear()
    graph.directory.clear()
    capsys.readouterr()
    code, lines = await _doctor(capsys)
    assert code == 1
    failed = [line for line in lines if line.startswith("FAIL")]
    assert [line.split(":")[0] for line in failed] == [
        f"FAIL  mailbox {MAILBOX}",
        f"FAIL  chairs' group {GROUP}",
        f"FAIL  e-mail sender {SENDER}",
    ]
    assert "403" in failed[0]
    assert "404" in failed[1]
    assert "not a user of this organisation" in failed[2]


async def test_a_failure_is_described_by_its_kind_never_by_what_it_carried() -> None:
    async def leaks() -> str:
        raise ValueError("client_secret=s3cr3t-value for alex.morgan@example-council.gov.uk")

    finding = await _within("graph token", leaks())
    assert finding == Finding(Verdict.FAIL, "graph token", "ValueError")


@pytest.mark.parametrize(("answer", "verdict"), [(200, "ok"), (503, "FAIL")])
async def test_where_traces_go_is_checked_without_printing_the_key(
    aiohttp_server: ServerFactory,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answer: int,
    verdict: str,
) -> None:
    collector = Receiver(status=answer)
    endpoint = str((await aiohttp_server(collector.app())).make_url("")).rstrip("/")
    key = "5e1f0c2a-7d3b-4c4e-9f60-1a2b3c4d5e6f"
    monkeypatch.setenv("DATABASE_URL", "sqlite+aiosqlite:///doctor.sqlite3")
    monkeypatch.setenv("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint)
    monkeypatch.setenv(
        "APPLICATIONINSIGHTS_CONNECTION_STRING",
        f"InstrumentationKey={key};IngestionEndpoint=https://uksouth-1.in.applicationinsights.azure.com/",
    )
    assert await asyncio.to_thread(main, ["migrate"]) == 0
    capsys.readouterr()
    code, lines = await _doctor(capsys)
    [otlp] = [line for line in lines if "otlp collector" in line]
    assert otlp.split()[0] == verdict
    assert ("HTTP 503" in otlp) is (answer == 503)
    assert [path for path, _, _ in collector.received] == ["/v1/traces"]
    assert "ok    application insights: traces and metrics to uksouth-1.in.applicationinsights.azure.com" in lines
    assert key not in "\n".join(lines)
    assert code == (1 if answer == 503 else 0)
