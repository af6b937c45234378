"""Headless Chromium for the browser tests (Debian's package, driven through Playwright)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from playwright.async_api import Browser

from tests.support.chromium import headless_chromium


@pytest.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Browser]:
    async with headless_chromium(tmp_path) as launched:
        yield launched
