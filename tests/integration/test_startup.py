"""The bot as a process: `python app.py` serves /healthz; a bad setting stops it with one line naming it."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest

from tests.support.processes import PROJECT_ROOT, bot_environment, free_port, start_bot, stop, wait_for_http


async def test_app_py_serves_health_in_announced_local_mode(tmp_path: Path) -> None:
    port = free_port()
    log_path = tmp_path / "bot.log"
    process = start_bot(port, tmp_path, log_path)
    try:
        await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=30, process=process)
        async with aiohttp.ClientSession() as session, session.get(f"http://127.0.0.1:{port}/healthz") as response:
            assert (await response.json())["mode"] == "local"
    finally:
        exit_code = await asyncio.to_thread(stop, process)
    assert exit_code == 0, "SIGTERM ends the bot cleanly"
    log = log_path.read_text(encoding="utf-8")
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


def test_an_unreachable_database_stops_start_up_with_one_clear_line(tmp_path: Path) -> None:
    closed_port = free_port()
    result = _run_app(tmp_path, DATABASE_URL=f"postgresql://nobody:hunter2@127.0.0.1:{closed_port}/bot")
    assert result.returncode == 1
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith("error: cannot start:")
    assert f"127.0.0.1:{closed_port}" in last_line
    assert "hunter2" not in result.stderr
    assert "Traceback" not in result.stderr


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
