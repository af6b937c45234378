// The meeting tab's browser code, bundled with TeamsJS into static/meeting-tab.js by `make pages` (esbuild).
// It follows the Teams theme live; on the configuration page it saves the tab when the organiser selects Save; in
// the meeting and its side panel it signs the viewer in (Teams single sign-on) and shows the live part the bot
// draws for them: the chair's view for a chair of the conference, their own report deadlines for anyone else.
// Every word on the pages is in the HTML the bot serves (from cards/content/), none here: this file only moves
// the bot's fragments into place and sends the chair's form.
import { app, authentication, pages } from "@microsoft/teams-js";

const THEMES = new Set(["default", "dark", "contrast"]);
const RETRY_FIRST_MS = 2000;
const RETRY_MOST_MS = 30000;
const NOT_A_CONFERENCE_RETRY_MS = 30000;
const CLOCK_TICK_MS = 15000;

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

function showStatus(name) {
  for (const element of document.querySelectorAll("[data-status]")) {
    element.hidden = element.dataset.status !== name;
  }
}

class SignInFailed extends Error {}
class NoConference extends Error {}

// How the bot is told who is looking: a Teams sign-on token, or (in the bot's local mode only, which the bot
// accepts from its own machine only) the viewer's id as the host gives it.
async function credentials(body, context) {
  if (body.dataset.signIn === "local") {
    return { "X-CP-Local-User": context.user?.id ?? "" };
  }
  try {
    return { Authorization: `Bearer ${await authentication.getAuthToken()}` };
  } catch {
    throw new SignInFailed();
  }
}

async function ask(body, context, path, init = {}) {
  const headers = { ...(init.headers ?? {}), ...(await credentials(body, context)) };
  const response = await fetch(path, { ...init, headers, credentials: "omit", cache: "no-store" });
  if (response.status === 401 || response.status === 403) {
    throw new SignInFailed();
  }
  if (response.status === 404) {
    throw new NoConference();
  }
  if (!response.ok) {
    throw new Error(`status ${response.status}`);
  }
  return response.json();
}

function formIsBusy(form) {
  return form !== null && (form.contains(document.activeElement) || form.dataset.dirty === "true");
}

function nowInZone(zone) {
  const format = new Intl.DateTimeFormat("en-GB", { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  return format.format(new Date());
}

class Panel {
  constructor(body, context, where) {
    this.body = body;
    this.context = context;
    this.query = new URLSearchParams(where).toString();
    this.live = document.getElementById("panel-live");
    this.formPlace = document.getElementById("panel-form");
    this.message = document.getElementById("panel-message");
    this.version = "";
    this.pendingForm = null;
    this.formVersion = "";
    this.formPlace.addEventListener("submit", (event) => this.submit(event));
    this.formPlace.addEventListener("input", (event) => {
      if (!event.target.form) return;
      event.target.form.dataset.dirty = "true";
      if (event.target.name === "time") event.target.dataset.edited = "true";
    });
    // Until the chair changes it, the time says now (a form opened at 10:05 and sent at 10:40 means 10:40).
    setInterval(() => this.fillTime(), CLOCK_TICK_MS);
    this.formPlace.addEventListener("focusout", () => setTimeout(() => this.placeForm(), 0));
    this.live.addEventListener("click", (event) => this.undo(event));
  }

  async run() {
    let wait = RETRY_FIRST_MS;
    showStatus("loading");
    for (;;) {
      try {
        const drawn = await ask(this.body, this.context, `/api/tab/panel?${this.query}&seen=${encodeURIComponent(this.version)}`);
        this.draw(drawn);
        showStatus("");
        wait = RETRY_FIRST_MS;
      } catch (problem) {
        if (problem instanceof SignInFailed) {
          this.clear();
          showStatus("sign-in-failed");
          return;
        }
        if (problem instanceof NoConference) {
          this.clear();
          showStatus("not-a-conference");
          await sleep(NOT_A_CONFERENCE_RETRY_MS);
          continue;
        }
        showStatus("offline");
        await sleep(wait);
        wait = Math.min(wait * 2, RETRY_MOST_MS);
      }
    }
  }

  clear() {
    this.version = "";
    this.live.replaceChildren();
    this.formPlace.replaceChildren();
    this.body.dataset.role = "";
  }

  draw(drawn) {
    this.body.dataset.role = drawn.role;
    if (drawn.role !== "chair") {
      // No longer a chair of it (or never was): nothing of the chair's view stays, not even a half-filled form.
      this.formPlace.replaceChildren();
      this.formVersion = "";
    }
    if (drawn.version === this.version) return;
    this.version = drawn.version;
    this.live.innerHTML = drawn.live; // the bot's own HTML: every name and note in it is escaped there
    this.pendingForm = drawn.form ?? "";
    this.placeForm();
  }

  // The form is redrawn only when the people who can be logged change, and never under a chair filling it in.
  placeForm() {
    if (this.pendingForm === null || this.pendingForm === this.formVersion) return;
    const form = this.formPlace.querySelector("form");
    if (formIsBusy(form)) return;
    this.formPlace.innerHTML = this.pendingForm;
    this.formVersion = this.pendingForm;
    this.fillTime();
  }

  fillTime() {
    const time = this.formPlace.querySelector("input[name=time]");
    if (time && time.dataset.edited !== "true") time.value = nowInZone(this.body.dataset.zone);
  }

  async send(value) {
    const drawn = await ask(this.body, this.context, `/api/tab/panel/action?${this.query}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(value),
    });
    this.message.innerHTML = drawn.message; // escaped by the bot
  }

  async submit(event) {
    event.preventDefault();
    const form = event.target;
    const fields = form.elements;
    this.fillTime();
    let firstWrong = null;
    for (const name of ["person", "time"]) {
      const wrong = !fields[name].value;
      const error = form.querySelector(`[data-error-for=${name}]`);
      error.hidden = !wrong;
      fields[name].setAttribute("aria-invalid", String(wrong));
      if (wrong && firstWrong === null) firstWrong = fields[name];
    }
    if (firstWrong !== null) {
      firstWrong.focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      await this.send({
        action: this.body.dataset.logAction,
        form: crypto.randomUUID(),
        person: fields.person.value,
        time: fields.time.value,
        emailed: fields.emailed.checked,
        note: fields.note.value,
      });
      form.reset();
      form.dataset.dirty = "false";
      delete fields.time.dataset.edited;
      this.fillTime();
      this.placeForm(); // people who joined while it was being filled in
    } catch (problem) {
      this.failed(problem);
    } finally {
      button.disabled = false;
    }
  }

  async undo(event) {
    const button = event.target.closest("button[data-undo]");
    if (!button) return;
    button.disabled = true;
    try {
      await this.send({ action: this.body.dataset.undoAction, entry: Number(button.dataset.undo) });
    } catch (problem) {
      this.failed(problem);
      button.disabled = false;
    }
  }

  failed(problem) {
    showStatus(problem instanceof SignInFailed ? "sign-in-failed" : "offline");
  }
}

function sleep(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

// Where the tab is: the meeting chat's id, and the meeting's (a channel meeting's tab has only the latter).
function placeOf(context) {
  const where = {};
  if (context.chat?.id) where.conversation = context.chat.id;
  if (context.meeting?.id) where.meeting = context.meeting.id;
  return where;
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
  // The stage is everyone's screen: it shows the expectations only, whoever shared it.
  if (body.dataset.page === "meeting" && context.page?.frameContext !== "meetingStage") {
    const where = placeOf(context);
    if (Object.keys(where).length > 0) {
      await new Panel(body, context, where).run();
    } else {
      showStatus("not-a-conference");
    }
  }
}

start();
