"""Drawing a card with Microsoft's Adaptive Cards renderer (npm `adaptivecards`) in headless Chromium, on a page of its
own with Teams' light theme colours: for the pictures in docs/ and for checking what a reader sees."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Locator, Page

from bot.usecases.replies import CardReply
from cards import build_expectations_card, load_card_content
from harness.processes import PROJECT_ROOT
from tests.support.panel_pictures import PAGES_RECORD_KEY, draw_page_pictures
from tests.support.sample_cards import chair_only_cards, door_cards, reminder_cards, report_cards

PICTURES_DIRECTORY = PROJECT_ROOT / "docs"
PICTURE_RECORD = PICTURES_DIRECTORY / "pictures.json"
"""Which card each picture in docs/ was drawn from (a digest of its JSON), written by `make pictures`."""
README_PICTURES: dict[str, tuple[str, list[str]]] = {
    "expectations": ("expectations-card.png", ["2–3 minutes early", "camera on", "e-mail the CP Chair"]),
    "pre-meeting": ("pre-meeting-card.png", ["starts at 10:00", "between 09:57 and 09:58", "camera on"]),
    "report due review": (
        "report-due-card.png",
        ["report is due by Tuesday 17 November", "5 working days", "I have shared my report with the Chair"],
    ),
    "report status": (
        "report-status-card.png",
        ["The report deadline has passed", "3 of 6", "Outstanding: Children's social care, Education, Health", "late"],
    ),
    "summary": ("summary-card.png", ["Conference summary", "Quoracy", "Attendance", "did not return"]),
    "quorum at the start": (
        "quorum-at-start-card.png",
        ["Quorum at the start", "Not quorate", "Expected but not yet here", "Proceed while inquorate"],
    ),
    "summary from the attendance report": (
        "summary-from-report-card.png",
        ["from Teams' attendance report", "Proceeded while inquorate", "3 of 6 professionals"],
    ),
    "quorum not quorate": ("quorum-card.png", ["Quorum at", "Not quorate", "Who is here"]),
    "drop-out with chair": ("drop-out-card.png", ["You left the child protection conference", "will be logged"]),
    "chair card": ("chair-card.png", ["You are chairing the conference", "Quorum now", "Log a disconnection"]),
    "conference choice": ("conference-choice.png", ["Which conference?", "Started at 10:00: 4 agencies"]),
    "disconnect form": (
        "disconnect-form.png",
        ["Log a disconnection", "Who lost their connection", "When they dropped out (GMT)", "They have e-mailed me"],
    ),
    "disconnection log": (
        "disconnect-log.png",
        ["Disconnections in this conference", "Undo this entry", "(undone)", "Note: Lost connection"],
    ),
}
"""The sample card each README picture shows: its file in docs/, and phrases a reader must find on it."""

RENDERER = PROJECT_ROOT / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.js"
TEAMS_LIGHT_HOST_CONFIG = {
    "fontFamily": "'Segoe UI', 'Helvetica Neue', system-ui, sans-serif",
    "spacing": {"small": 8, "default": 12, "medium": 16, "large": 20, "extraLarge": 24, "padding": 16},
    "fontSizes": {"small": 12, "default": 14, "medium": 16, "large": 20, "extraLarge": 24},
    "fontWeights": {"lighter": 300, "default": 400, "bolder": 600},
    "containerStyles": {
        "default": {
            "backgroundColor": "#FFFFFF",
            "foregroundColors": {
                "default": {"default": "#242424", "subtle": "#616161"},
                "accent": {"default": "#5B5FC7", "subtle": "#5B5FC7"},
                "good": {"default": "#237B4B", "subtle": "#237B4B"},
                "attention": {"default": "#C4314B", "subtle": "#C4314B"},
                "warning": {"default": "#835C00", "subtle": "#835C00"},
            },
        },
        "emphasis": {"backgroundColor": "#F5F5F5", "foregroundColors": {"default": {"default": "#242424"}}},
        "accent": {"backgroundColor": "#E8EBFA", "foregroundColors": {"default": {"default": "#242424"}}},
    },
    "factSet": {
        "title": {"weight": "bolder", "wrap": True, "maxWidth": 170},
        "value": {"wrap": True},
        "spacing": 12,
    },
}
PAGE = """<!doctype html><html><head><meta charset="utf-8"><style>
body { margin: 0; background: #f0f0f0; }
#card { width: 560px; margin: 16px; background: #fff; border-radius: 6px; box-shadow: 0 1px 3px rgba(0,0,0,.2); }
</style></head><body><div id="card"></div></body></html>"""
# Teams renders the **bold** of card text; the renderer leaves markdown to its host, so this host does the same.
RENDER = """([card, hostConfig]) => {
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    // Teams draws a mention as the person's name, highlighted.
    result.outputHtml = escaped
      .replace(/\\*\\*(.+?)\\*\\*/g, "<strong>$1</strong>")
      .replace(/&lt;at&gt;(.+?)&lt;\\/at&gt;/g, '<span style="color:#5b5fc7;font-weight:600">$1</span>');
    result.didProcess = true;
  };
  const adaptive = new AdaptiveCards.AdaptiveCard();
  adaptive.hostConfig = new AdaptiveCards.HostConfig(hostConfig);
  adaptive.parse(card);
  document.getElementById("card").appendChild(adaptive.render());
}"""


async def draw_card(browser: Browser, card: dict[str, Any]) -> tuple[Page, Locator]:
    """The card drawn on a new page (close it when done), and the drawn card on it."""
    if not RENDERER.exists():
        raise RuntimeError("the adaptivecards package is missing: run `make test`, which runs `npm ci`")
    page = await browser.new_page(viewport={"width": 600, "height": 800}, device_scale_factor=2)
    await page.route("**/*", lambda route: route.abort())  # nothing leaves this machine
    await page.set_content(PAGE)
    await page.add_script_tag(content=RENDERER.read_text(encoding="utf-8"))
    await page.evaluate(RENDER, [json.loads(json.dumps(card)), TEAMS_LIGHT_HOST_CONFIG])
    drawn = page.locator("#card .ac-adaptiveCard")
    await drawn.wait_for(timeout=10_000)
    return page, drawn


def picture_cards() -> dict[str, dict[str, Any]]:
    """The card each README picture is drawn from, by picture name."""
    samples = {**chair_only_cards(), **reminder_cards(), **report_cards(), **door_cards()}
    samples["expectations"] = CardReply(build_expectations_card(load_card_content().expectations), "")
    return {name: samples[name].card for name in README_PICTURES}


def card_digest(card: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(card, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


async def draw_picture(browser: Browser, card: dict[str, Any], picture: Path) -> Locator:
    """Draw `card` into the PNG file `picture`; the drawn card is returned for checks (its page stays open)."""
    page, drawn = await draw_card(browser, card)
    await page.locator("#card").screenshot(path=str(picture))
    return drawn


async def redraw_readme_pictures(browser: Browser, directory: Path = PICTURES_DIRECTORY) -> None:
    """Draw every README picture into `directory` and record which card (or, for the meeting pages, which pages)
    each was drawn from."""
    record = {PAGES_RECORD_KEY: await draw_page_pictures(browser, directory)}
    for name, card in picture_cards().items():
        file_name, _ = README_PICTURES[name]
        drawn = await draw_picture(browser, card, directory / file_name)
        await drawn.page.close()
        record[file_name] = card_digest(card)
    (directory / PICTURE_RECORD.name).write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")
