"""What the benchmark ran on, for the results file."""

from __future__ import annotations

import os
import platform
from importlib.metadata import version
from pathlib import Path


def describe_machine() -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    memory_kib = next(
        (
            int(line.split()[1])
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return [
        f"{cpu}, {os.cpu_count()} cores, {memory_kib / 1024 / 1024:.0f} GiB",
        f"{platform.system()} {platform.release()}, Python {platform.python_version()}",
        f"botbuilder-core {version('botbuilder-core')}, aiohttp {version('aiohttp')}, "
        f"SQLAlchemy {version('SQLAlchemy')}, asyncpg {version('asyncpg')}",
    ]
