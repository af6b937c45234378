// The meeting tab's browser code, bundled with TeamsJS into static/meeting-tab.js by `make pages` (esbuild).
// It follows the Teams theme live and, on the configuration page, saves the tab when the organiser selects Save.
// Every word on the pages is in the HTML the bot serves (from cards/content/), none here.
import { app, pages } from "@microsoft/teams-js";

const THEMES = new Set(["default", "dark", "contrast"]);

function applyTheme(theme) {
  document.documentElement.dataset.theme = THEMES.has(theme) ? theme : "default";
}

function configure(body) {
  pages.config.registerOnSaveHandler(async (saveEvent) => {
    try {
      await pages.config.setConfig({
        entityId: body.dataset.entityId,
        contentUrl: body.dataset.contentUrl,
        suggestedDisplayName: body.dataset.tabName,
      });
      saveEvent.notifySuccess();
    } catch (problem) {
      saveEvent.notifyFailure(String(problem));
    }
  });
  pages.config.setValidityState(true);
}

async function start() {
  const body = document.body;
  try {
    await app.initialize();
  } catch {
    body.dataset.host = "none"; // opened outside Teams: the page still shows what it says
    return;
  }
  body.dataset.host = "teams";
  const context = await app.getContext();
  applyTheme(context.app.theme);
  app.registerOnThemeChangeHandler(applyTheme);
  if (body.dataset.page === "config") {
    configure(body);
  }
  app.notifySuccess();
}

start();
