"""The chair-only cards and the chair's form, drawn by Microsoft's Adaptive Cards renderer (npm `adaptivecards`) in
headless Chromium.

They go to a person's private chat, which the Agents Playground cannot open from a meeting, so the official
renderer draws them on a page of their own, with Teams' light theme colours. The pictures land in docs/ for the
README; the checks make sure what a chair reads is really on the drawn card.
"""

from __future__ import annotations

import json

import pytest
from playwright.async_api import Browser

from tests.support.processes import PROJECT_ROOT
from tests.support.sample_cards import chair_only_cards, reminder_cards

pytestmark = [pytest.mark.browser]

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


@pytest.mark.parametrize("name", sorted(PICTURES))
async def test_card_is_drawn_with_what_the_reader_needs(browser: Browser, name: str) -> None:
    if not RENDERER.exists():
        raise RuntimeError("the adaptivecards package is missing: run `make test`, which runs `npm ci`")
    file_name, phrases = PICTURES[name]
    card = {**chair_only_cards(), **reminder_cards()}[name].card
    page = await browser.new_page(viewport={"width": 600, "height": 800}, device_scale_factor=2)
    await page.route("**/*", lambda route: route.abort())  # nothing leaves this machine
    await page.set_content(PAGE)
    await page.add_script_tag(content=RENDERER.read_text(encoding="utf-8"))
    await page.evaluate(RENDER, [json.loads(json.dumps(card)), TEAMS_LIGHT_HOST_CONFIG])
    drawn = page.locator("#card .ac-adaptiveCard")
    await drawn.wait_for(timeout=10_000)
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
