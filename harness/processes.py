"""Running the bot and other programs as real processes, on loopback, with bounded waits."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import aiohttp

from harness.waiting import wait_until

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def bot_environment(port: int, database_path: Path, **extra: str) -> dict[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key.upper() not in {"MICROSOFTAPPID", "MICROSOFTAPPPASSWORD", "DATABASE_URL", "HOST", "PORT"}
    }
    environment.update(
        HOST="127.0.0.1",
        PORT=str(port),
        DATABASE_URL=f"sqlite+aiosqlite:///{database_path}",
        PYTHONUNBUFFERED="1",
    )
    environment.update(extra)  # a test's own settings win, DATABASE_URL included
    return environment


def start_bot(port: int, workdir: Path, log_path: Path, **extra: str) -> subprocess.Popen[bytes]:
    """`python app.py` in a working directory of its own (so a developer's .env is not read)."""
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, str(PROJECT_ROOT / "app.py")],
            cwd=workdir,
            env=bot_environment(port, workdir / "bot.sqlite3", **extra),
            stdout=log,
            stderr=subprocess.STDOUT,
        )


async def wait_for_http(
    url: str, *, within: float, process: subprocess.Popen[bytes] | None = None, status: int = 200
) -> None:
    """Until `url` answers with `status` (a refused connection counts as not yet)."""

    async def answers() -> bool:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the process exited with {process.returncode} before {url} answered")
        try:
            async with aiohttp.ClientSession() as session, session.get(url) as response:
                return response.status == status
        except aiohttp.ClientError:
            return False

    await wait_until(answers, within=within, interval=0.1, what=url)


def stop(process: subprocess.Popen[bytes], *, within: float = 10.0) -> int:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=within)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=within)
    return process.returncode


def merged_environment(extra: Mapping[str, str]) -> dict[str, str]:
    return {**os.environ, **extra}
