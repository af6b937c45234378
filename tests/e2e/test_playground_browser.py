"""The Agents Playground's own web page in headless Chromium: type, read the card, press its button.

The README's picture of the card (docs/expectations-card.png) is drawn by `make pictures`; this test changes no
tracked file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page, Route

from tests.support.playground import Playground, running_playground

pytestmark = [pytest.mark.e2e, pytest.mark.browser]

STEP_MS = 20_000
EXPECTATIONS_TITLE = "Joining a child protection conference online"


async def _loopback_only(route: Route) -> None:
    """The page asks a CDN for fonts; nothing leaves this machine."""
    if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1")):
        await route.continue_()
    else:
        await route.abort()


async def _type_message(page: Page, text: str) -> None:
    box = page.get_by_role("textbox").last
    await box.wait_for(timeout=STEP_MS)
    await box.fill(text)
    await page.get_by_role("button", name="Send Message").click()


async def test_a_person_asks_for_help_then_presses_the_button_for_the_expectations(
    browser: Browser, tmp_path: Path
) -> None:
    playground: Playground
    async with running_playground(tmp_path) as playground:
        page = await browser.new_page(viewport={"width": 1280, "height": 1000})
        await page.route("**/*", _loopback_only)
        await page.goto(playground.url)

        await _type_message(page, "help")
        button = page.get_by_role("button", name="Show the expectations").last
        await button.wait_for(timeout=STEP_MS)
        await button.click()

        card = page.locator(".ac-adaptiveCard", has_text=EXPECTATIONS_TITLE).last
        await card.wait_for(timeout=STEP_MS)
        for phrase in ("2–3 minutes early", "camera on", "e-mail the CP Chair", "5 working days"):
            assert await card.get_by_text(phrase).count() > 0, phrase

        await card.screenshot(path=str(tmp_path / "expectations-card.png"))
        await page.screenshot(path=str(tmp_path / "playground.png"))
    assert (tmp_path / "expectations-card.png").stat().st_size > 10_000
