"""Drawing a card with Microsoft's Adaptive Cards renderer (npm `adaptivecards`) in headless Chromium, on a page of its
own with Teams' light theme colours: for the pictures in docs/ and for checking what a reader sees."""

from __future__ import annotations

import json
from typing import Any

from playwright.async_api import Browser, Locator, Page

from tests.support.processes import PROJECT_ROOT

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
