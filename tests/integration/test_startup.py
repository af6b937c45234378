"""The bot as a process: `python app.py` serves /healthz; a bad setting stops it with one line naming it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from sqlalchemy.engine import make_url

from harness.databases import fresh_postgres_database, postgres_unreachable_reason
from harness.processes import PROJECT_ROOT, bot_environment, free_port, start_bot, stop, wait_for_http
from tests.support import activities
from tests.support.tcp_proxy import TcpRelay

TOKEN = "q3Kf8JmVxY2nT0pL7sW9aB4cD6eF1gH5iJ3kL8mN0oP"


async def test_app_py_serves_health_in_announced_local_mode(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "bot.log"
    process = start_bot(port, tmp_path, log_path)
    try:
        await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=30, process=process)
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert (await response.json())["mode"] == "local"
        # A report link's token is a credential: the access log must not keep it, nor query strings.
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/reports/confirm/{TOKEN}") as response:
                assert response.status == 404
            async with session.get(f"http://127.0.0.1:{port}/healthz?who=Quillon") as response:
                assert response.status == 200
    finally:
        exit_code = await asyncio.to_thread(stop, process)
    assert exit_code == 0, "SIGTERM ends the bot cleanly"
    log = log_path.read_text(encoding="utf-8")
    assert "GET /reports/confirm/(token) 404" in log, "requests are in the access log"
    assert TOKEN not in log
    assert "Quillon" not in log
    assert "LOCAL MODE" in log
    assert "WITHOUT authentication" in log
    assert log.count("Calendar reminders are off: CALENDAR_MAILBOXES is not set") == 1, "said once"
    assert (tmp_path / "bot.sqlite3").exists()


@pytest.mark.parametrize(
    ("setting", "value", "first_words"),
    [
        ("PORT", "eighty", "error: bad setting PORT:"),
        ("TIMEZONE", "Europe/Atlantis", "error: bad setting TIMEZONE:"),
        ("MicrosoftAppType", "Anyone", "error: bad setting MicrosoftAppType:"),
        ("DATABASE_URL", "oracle://db", "error: bad setting DATABASE_URL:"),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_clear_line(
    tmp_path: Path, setting: str, value: str, first_words: str
) -> None:
    result = _run_app(tmp_path, **{setting: value})
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(first_words)


def test_package_command_needs_a_bot_id(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bot", "package"],
        cwd=tmp_path,
        env=bot_environment(free_port(), tmp_path / "bot.sqlite3", PYTHONPATH=str(PROJECT_ROOT)),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "set MicrosoftAppId or pass --bot-id" in result.stderr


def _run_app(tmp_path: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    environment = bot_environment(free_port(), tmp_path / "bot.sqlite3")
    environment.update(settings)
    return subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "app.py")],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


async def test_an_unreachable_database_is_waited_for_with_503s_and_a_clear_reason(tmp_path: Path) -> None:
    """The bot starts although PostgreSQL does not answer yet: /healthz and /api/messages are 503, the log says why
    (without the password), and once the database answers it migrates and serves, with no restart."""
    reason = await postgres_unreachable_reason()
    if reason:
        pytest.skip(reason)
    port, relay = free_port(), TcpRelay(free_port(), ("127.0.0.1", 5432))
    log_path = tmp_path / "bot.log"
    async with fresh_postgres_database() as url:
        through_relay = make_url(url).set(host="127.0.0.1", port=relay.port, password="hunter2")
        process = start_bot(port, tmp_path, log_path, DATABASE_URL=through_relay.render_as_string(hide_password=False))
        try:
            await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=30, process=process, status=503)
            async with (
                aiohttp.ClientSession() as session,
                session.post(
                    f"http://127.0.0.1:{port}/api/messages",
                    json=activities.message("/expectations", service_url="http://127.0.0.1:9/"),
                ) as response,
            ):
                assert response.status == 503
                assert response.headers["Retry-After"]
            await relay.open()
            await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=30, process=process)
        finally:
            exit_code = await asyncio.to_thread(stop, process)
            await relay.close()
    assert exit_code == 0
    log = log_path.read_text(encoding="utf-8")
    assert f"127.0.0.1:{relay.port}" in log
    assert "is not reachable (ConnectionRefusedError" in log
    assert "database ready" in log
    assert "hunter2" not in log
    assert "Traceback" not in log


async def test_a_port_in_use_stops_start_up_with_one_clear_line(tmp_path: Path) -> None:
    port = free_port()
    first = start_bot(port, tmp_path, tmp_path / "first.log")
    try:
        await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=30, process=first)
        second_dir = tmp_path / "second"
        second_dir.mkdir()
        result = await asyncio.to_thread(_run_app, second_dir, PORT=str(port))
    finally:
        await asyncio.to_thread(stop, first)
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("error: cannot start:")
    assert "address already in use" in last_line
    assert "listening on http" not in result.stderr, "the bot must not claim to listen when it could not bind"


def test_a_broken_agencies_file_stops_start_up_with_one_clear_line(tmp_path: Path) -> None:
    broken = tmp_path / "agencies.yaml"
    broken.write_text("agencies: []\n", encoding="utf-8")
    result = _run_app(tmp_path, AGENCIES_FILE=str(broken))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith(f"error: AGENCIES_FILE {broken}: ")


async def test_log_format_json_writes_one_json_object_per_line_with_the_ids_as_fields(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "bot.log"
    process = start_bot(port, tmp_path, log_path, LOG_FORMAT="json")
    try:
        await wait_for_http(f"http://127.0.0.1:{port}/livez", within=30, process=process)
        link = f"http://127.0.0.1:{port}/reports/confirm/{TOKEN}"
        async with aiohttp.ClientSession() as session, session.get(link) as response:
            assert response.status == 404
    finally:
        exit_code = await asyncio.to_thread(stop, process)
    assert exit_code == 0
    lines = [line for line in log_path.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert all({"time", "level", "logger", "message"} <= set(record) for record in records)
    assert any("LOCAL MODE" in record["message"] for record in records), "the banner too, as one object"
    [access] = [record for record in records if "/reports/confirm" in record["message"]]
    assert access["logger"] == "aiohttp.access"
    assert access["message"].startswith("GET /reports/confirm/(token) 404")
    assert TOKEN not in log_path.read_text(encoding="utf-8")
