"""A stand-in for the Teams client around the meeting tab, in headless Chromium: a host page at a Teams address that
frames the bot's tab and answers TeamsJS as Teams does (its `postMessage` protocol: `initialize`, `getContext`,
`authentication.getAuthToken`, and the `themeChange` it sends when the theme changes).

Nothing leaves the machine: Playwright serves the host page itself and hands every request for the bot's public
address to the bot on 127.0.0.1, so the tab runs at the https address and inside the frame-ancestors Teams gives it;
anything else (a CDN, telemetry) is refused.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from playwright.async_api import BrowserContext, Frame, Page, Route
from playwright.async_api import Error as PlaywrightError

from harness.processes import PROJECT_ROOT

HOST_URL = "https://teams.microsoft.com/_cp-conference-test-host"
AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
_AXE_SOURCE = (
    AXE.read_text(encoding="utf-8") if AXE.is_file() else "throw new Error('axe-core is not installed: make test');"
)

RUNTIME = {
    "apiVersion": 4,
    "hostVersionsInfo": {"adaptiveCardSchemaVersion": {"majorVersion": 1, "minorVersion": 5}},
    "isLegacyTeams": False,
    "supports": {
        "appInitialization": {},
        "authentication": {},
        "pages": {"appButton": {}, "config": {}, "tabs": {}, "backStack": {}, "fullTrust": {}},
        "teamsCore": {},
        "meeting": {},
        "dialog": {"card": {}, "url": {}},
    },
}

_HOST_PAGE = """<!DOCTYPE html>
<html lang="en-GB"><head><meta charset="utf-8"><title>Teams (test host)</title>
<style>body{margin:0} iframe{border:0;width:100%;height:100vh}</style></head>
<body><iframe id="tab" title="CP Conference Bot"></iframe>
<script>
const host = __HOST__;
const frame = document.getElementById("tab");
window.hostCalls = [];
window.addEventListener("message", (event) => {
  if (event.source !== frame.contentWindow) return;
  const message = event.data;
  if (!message || typeof message.func !== "string") return;
  window.hostCalls.push(message.func);
  const reply = (args) =>
    frame.contentWindow.postMessage({ id: message.id, uuidAsString: message.uuidAsString, args }, "*");
  switch (message.func) {
    case "initialize":
      reply([host.frameContext, "web", JSON.stringify(host.runtime), "2.58.0"]);
      break;
    case "getContext":
      reply([{ ...host.context, theme: host.theme, frameContext: host.frameContext }]);
      break;
    case "authentication.getAuthToken":
      reply(host.token ? [true, host.token] : [false, "resourceRequiresConsent"]);
      break;
    default:
      break; // registerHandler, appInitialization.success and the like need no answer
  }
});
window.setTheme = (theme) => {
  host.theme = theme;
  frame.contentWindow.postMessage({ func: "themeChange", args: [theme] }, "*");
};
frame.src = host.tabUrl;
</script></body></html>
"""


@dataclass
class TeamsHost:
    context: BrowserContext
    bot_origin: str
    """Where the bot really listens (http://127.0.0.1:…)."""
    public_origin: str
    """The bot's public address as Teams knows it (PUBLIC_BASE_URL)."""
    refused: list[str] = field(default_factory=list)
    """Requests for anywhere else, refused."""
    _page_settings: dict[str, Any] = field(default_factory=dict)

    async def start(self) -> None:
        await self.context.route("**/*", self._route)

    async def open(
        self,
        *,
        user: str,
        chat: str,
        token: str | None = None,
        theme: str = "default",
        frame_context: str = "sidePanel",
        path: str = "/tab/meeting",
    ) -> tuple[Page, Frame]:
        """The host page with the tab in it; returns the page and the tab's frame once TeamsJS has initialised."""
        self._page_settings = {
            "tabUrl": f"{self.public_origin}{path}",
            "frameContext": frame_context,
            "runtime": RUNTIME,
            "theme": theme,
            "token": token,
            "context": {
                "userObjectId": user,
                "tid": "tenant-test",
                "chatId": chat,
                "meetingId": "meeting-test",
                "entityId": "cp-conference",
                "hostClientType": "web",
                "locale": "en-gb",
                "appSessionId": "session-test",
            },
        }
        page = await self.context.new_page()
        await page.goto(HOST_URL)
        frame = await _tab_frame(page)
        await frame.wait_for_selector("body[data-host='teams']", state="attached", timeout=15_000)
        return page, frame

    async def set_theme(self, page: Page, theme: str) -> None:
        await page.evaluate("theme => window.setTheme(theme)", theme)

    async def _route(self, route: Route) -> None:
        with contextlib.suppress(PlaywrightError):  # the page closed while a held poll was being answered
            await self._answer(route)

    async def _answer(self, route: Route) -> None:
        url = route.request.url
        if url.split("?")[0] == HOST_URL:
            html = _HOST_PAGE.replace("__HOST__", json.dumps(self._page_settings))
            await route.fulfill(status=200, content_type="text/html", body=html)
            return
        if url.startswith(self.public_origin + "/"):
            target = urlsplit(url)
            forwarded = f"{self.bot_origin}{target.path}" + (f"?{target.query}" if target.query else "")
            response = await route.fetch(url=forwarded, timeout=60_000)
            await route.fulfill(response=response)
            return
        self.refused.append(url)
        await route.abort("blockedbyclient")


async def _tab_frame(page: Page) -> Frame:
    handle = await page.wait_for_selector("iframe#tab", state="attached")
    frame = await handle.content_frame() if handle is not None else None
    if frame is None:
        raise AssertionError("the tab's frame did not load")
    await frame.wait_for_load_state("load")
    return frame


async def serious_accessibility_problems(frame: Frame) -> list[dict[str, Any]]:
    """axe-core run in the tab's frame: the violations of serious or critical impact (id, impact, where)."""
    source = _AXE_SOURCE
    found: list[dict[str, Any]] = await frame.evaluate(
        source
        + """
;(async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(" ")) }));
})()"""
    )
    return found
