"""The page an e-mailed report reminder's link opens, in Chromium: as the police officer sees it from their mail,
pressed with the keyboard, taken back, and opened again once used; no sign-in, nothing about the case, no serious
accessibility problem (axe-core)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, Page

from tests.support.report_scene import POLICE, Scene, at, conference_id, scene
from tests.support.teams_host import serious_accessibility_problems


@pytest.fixture
def database_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path}/bot.sqlite3"


async def _main_text(page: Page) -> str:
    return " ".join((await page.locator("main").inner_text()).split())


async def test_the_link_asks_then_records_once_and_can_be_taken_back(browser: Browser, scene: Scene) -> None:
    await scene.at(at(7, 9))
    number = await conference_id(scene)
    link = str(scene.client.make_url(scene.link_in_mail_to(POLICE)))
    page = await browser.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(message.text))

    opened = await page.goto(link)
    assert opened is not None
    assert opened.status == 200
    text = await _main_text(page)
    assert "Initial child protection conference on Thursday 10 December at 10:00" in text
    assert "Family" not in await page.content(), "the subject (the family's name) is never shown"
    assert await serious_accessibility_problems(page.main_frame) == []
    assert await scene.reports().confirmations(number) == [], "opening the link records nothing"

    button = page.get_by_role("button", name="I have shared my report")
    await button.focus()
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert "Thank you: your report is recorded as shared" in await _main_text(page)
    assert [c.email for c in await scene.reports().confirmations(number)] == [POLICE.email]
    assert await serious_accessibility_problems(page.main_frame) == []

    async with page.expect_navigation():
        await page.get_by_role("button", name="Withdraw my confirmation").click()
    assert "Your confirmation is withdrawn" in await _main_text(page)
    assert await scene.reports().confirmations(number) == []

    used = await page.goto(link)
    assert used is not None
    assert used.status == 410
    assert "already been used" in await _main_text(page)
    assert await page.get_by_role("button").count() == 0
    assert not [line for line in console if "Content Security Policy" in line], "the page's stylesheet loads"


__all__ = ["scene"]
