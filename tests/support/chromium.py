"""Headless Chromium (Debian's package, driven through Playwright), for the browser tests and for `make pictures`."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from playwright.async_api import Browser, async_playwright

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@asynccontextmanager
async def headless_chromium(scratch: Path) -> AsyncIterator[Browser]:
    """Chromium with its profile and cache in `scratch`, closed on the way out."""
    chromium = shutil.which("chromium")
    if chromium is None:
        raise RuntimeError("Chromium is not installed: run `make test`, which installs it from Debian's packages")
    environment: dict[str, str | float | bool] = {
        **os.environ,
        "XDG_CONFIG_HOME": str(scratch / "xdg"),
        "XDG_CACHE_HOME": str(scratch / "xdg"),
    }
    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS, env=environment)
        try:
            yield launched
        finally:
            await launched.close()
