"""The chair-only cards, the chair's form and the reminders, drawn by Microsoft's Adaptive Cards renderer (npm
`adaptivecards`) in headless Chromium.

Most go to a person's private chat, which the Agents Playground cannot open from a meeting, so the official
renderer draws them on a page of their own, with Teams' light theme colours. The checks make sure what a chair reads
is really on the drawn card. The README's pictures in docs/ are drawn by `make pictures`, never by a test (tests do
not change tracked files); a test checks they were drawn from today's cards.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from playwright.async_api import Browser

from harness.processes import PROJECT_ROOT
from tests.support.card_pictures import (
    PICTURE_RECORD,
    PICTURES_DIRECTORY,
    README_PICTURES,
    card_digest,
    draw_picture,
    picture_cards,
)
from tests.support.panel_pictures import (
    PANEL_PICTURES,
    STAGE_PICTURE,
    pages_digest,
    recorded_pages_digest,
    sample_conference,
)

pytestmark = [pytest.mark.browser]


@pytest.mark.parametrize("name", sorted(README_PICTURES))
async def test_card_is_drawn_with_what_the_reader_needs(browser: Browser, name: str, tmp_path: Path) -> None:
    file_name, phrases = README_PICTURES[name]
    picture = tmp_path / file_name
    drawn = await draw_picture(browser, picture_cards()[name], picture)
    for phrase in phrases:
        assert await drawn.get_by_text(phrase).count() > 0, phrase
    assert picture.stat().st_size > 10_000
    await drawn.page.close()


def test_the_readme_pictures_are_drawn_from_todays_cards() -> None:
    recorded = json.loads(PICTURE_RECORD.read_text(encoding="utf-8"))
    for name, card in picture_cards().items():
        file_name, _ = README_PICTURES[name]
        assert (PICTURES_DIRECTORY / file_name).is_file(), f"docs/{file_name} is missing: run `make pictures`"
        assert recorded.get(file_name) == card_digest(card), f"docs/{file_name} is out of date: run `make pictures`"


def test_pictures_are_named_for_the_readme() -> None:
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for file_name, _phrases in README_PICTURES.values():
        assert f"docs/{file_name}" in readme, f"README shows docs/{file_name}"


async def test_the_meeting_page_pictures_are_drawn_from_todays_pages() -> None:
    async with sample_conference() as conference:
        digest = await pages_digest(conference)
    assert recorded_pages_digest() == digest, "the side panel or stage pictures are out of date: run `make pictures`"
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    for file_name in [*(name for name, _ in PANEL_PICTURES.values()), STAGE_PICTURE]:
        assert (PICTURES_DIRECTORY / file_name).is_file(), f"docs/{file_name} is missing: run `make pictures`"
        assert f"docs/{file_name}" in readme, f"README shows docs/{file_name}"
