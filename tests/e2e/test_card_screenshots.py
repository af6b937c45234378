"""The chair-only cards, the chair's form and the reminders, drawn by Microsoft's Adaptive Cards renderer (npm
`adaptivecards`) in headless Chromium.

Most go to a person's private chat, which the Agents Playground cannot open from a meeting, so the official
renderer draws them on a page of their own, with Teams' light theme colours. The pictures land in docs/ for the
README; the checks make sure what a chair reads is really on the drawn card.
"""

from __future__ import annotations

import pytest
from playwright.async_api import Browser

from tests.support.card_pictures import draw_card
from tests.support.processes import PROJECT_ROOT
from tests.support.sample_cards import chair_only_cards, reminder_cards

pytestmark = [pytest.mark.browser]

PICTURES = {
    "pre-meeting": ("pre-meeting-card.png", ["starts at 10:00", "between 09:57 and 09:58", "camera on"]),
    "report due review": ("report-due-card.png", ["report is due by Tuesday 17 November", "5 working days"]),
    "summary": ("summary-card.png", ["Conference summary", "Quoracy", "Attendance", "did not return"]),
    "quorum not quorate": ("quorum-card.png", ["Quorum at", "Not quorate", "Who is here"]),
    "drop-out with chair": ("drop-out-card.png", ["You left the child protection conference", "will be logged"]),
    "disconnect form": (
        "disconnect-form.png",
        ["Log a disconnection", "Who lost their connection", "When they dropped out (GMT)", "They have e-mailed me"],
    ),
    "disconnection log": (
        "disconnect-log.png",
        ["Disconnections in this conference", "Undo this entry", "(undone)", "Note: Lost connection"],
    ),
}


@pytest.mark.parametrize("name", sorted(PICTURES))
async def test_card_is_drawn_with_what_the_reader_needs(browser: Browser, name: str) -> None:
    file_name, phrases = PICTURES[name]
    page, drawn = await draw_card(browser, {**chair_only_cards(), **reminder_cards()}[name].card)
    for phrase in phrases:
        assert await drawn.get_by_text(phrase).count() > 0, phrase
    picture = PROJECT_ROOT / "docs" / file_name
    await page.locator("#card").screenshot(path=str(picture))
    assert picture.stat().st_size > 10_000
    await page.close()


def test_pictures_are_named_for_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for file_name, _phrases in PICTURES.values():
        assert f"docs/{file_name}" in readme, f"README shows docs/{file_name}"
