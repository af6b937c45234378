"""Starting each contender as a process of its own on loopback, and reading its CPU time and peak memory from /proc
(the benchmark is for Linux, like the machines the bot is deployed on)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from harness.processes import PROJECT_ROOT, free_port, stop, wait_for_http
from harness.processes import start_bot as start_bot_process

_TICKS_PER_SECOND = os.sysconf("SC_CLK_TCK")


@dataclass
class Contender:
    name: str
    process: subprocess.Popen[bytes]
    port: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/messages"

    def cpu_seconds(self) -> float:
        """User plus system CPU time the process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS_PER_SECOND

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")

    def stop(self) -> None:
        stop(self.process)


async def start_module(name: str, module: str, workdir: Path) -> Contender:
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    with (workdir / f"{name}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", module, str(port)], cwd=PROJECT_ROOT, stdout=log, stderr=subprocess.STDOUT
        )
    await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=60, process=process)
    return Contender(name, process, port)


async def start_bot(name: str, workdir: Path, **settings: str) -> Contender:
    """`python app.py` with the given settings, in local mode (no app id), on its own SQLite file unless told."""
    port = free_port()
    workdir.mkdir(parents=True, exist_ok=True)
    process = start_bot_process(port, workdir, workdir / f"{name}.log", **settings)
    await wait_for_http(f"http://127.0.0.1:{port}/healthz", within=60, process=process)
    return Contender(name, process, port)
