// Pantau's dashboard, a Telegram Mini App: plain JavaScript, no framework, no build step.
// Init data and theme come from window.Telegram.WebApp when a host page loaded it, else from the
// URL hash Telegram opens the page with (telegram-web-app.js is not loaded: nothing from elsewhere).
// Every value is put in with textContent; the API answers only with init data Telegram signed.
"use strict";

const json = (text) => {
  try {
    return JSON.parse(text || "null");
  } catch {
    return null;
  }
};
const webApp = window.Telegram && window.Telegram.WebApp;
const launch = new URLSearchParams(location.hash.slice(1));
const initData = (webApp && webApp.initData) || launch.get("tgWebAppData") || "";
let theme = (webApp && webApp.themeParams) || json(launch.get("tgWebAppThemeParams")) || {};
const telegramUser = json(new URLSearchParams(initData).get("user")) || {};

const app = document.getElementById("app");
let words = {};
let lang = "";
let data = null;
/** What the step on screen holds: its files still coming (abort) and the blob: URLs of those that came. */
let view = null;
/** While the server asks the page to wait (429): the end of that wait, which every call awaits. */
let pause = null;
const filters = { program: 0, region: "", query: "", overdue: false, blocked: false, silent: "", sort: "urgency" };

/** Tells Telegram the page is ready (native apps through their proxy, the web client by postMessage). */
function postEvent(type) {
  try {
    if (window.TelegramWebviewProxy) window.TelegramWebviewProxy.postEvent(type, "{}");
    else if (window.parent !== window) window.parent.postMessage(JSON.stringify({ eventType: type, eventData: {} }), "https://web.telegram.org");
  } catch {
    // Outside Telegram: nobody to tell.
  }
}

function applyTheme() {
  const root = document.documentElement;
  for (const [key, value] of Object.entries(theme)) {
    if (typeof value === "string" && /^#[0-9a-f]{3,8}$/i.test(value)) root.style.setProperty(`--tg-${key.replace(/_/g, "-")}`, value);
  }
  const bg = /^#([0-9a-f]{6})$/i.exec(theme.bg_color || "");
  if (!bg) return;
  root.classList.add("themed");
  const n = parseInt(bg[1], 16);
  const luminance = (0.299 * (n >> 16) + 0.587 * ((n >> 8) & 255) + 0.114 * (n & 255)) / 255;
  root.classList.toggle("dark", luminance < 0.5);
}

// Telegram tells of a theme change (the user switched to night mode) by calling
// Telegram.WebView.receiveEvent in its apps, and by postMessage from its web client.
function receiveEvent(type, data) {
  if (type !== "theme_changed" || !data || typeof data.theme_params !== "object") return;
  theme = data.theme_params;
  applyTheme();
}
if (!webApp) {
  window.Telegram = { WebView: { receiveEvent } };
  window.TelegramGameProxy = { receiveEvent };
  window.addEventListener("message", (e) => {
    const message = e.source === window.parent && typeof e.data === "string" ? json(e.data) : null;
    if (message) receiveEvent(message.eventType, message.eventData);
  });
}

/** An element with attributes (on… as listeners) and children (strings as text). */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "className") el.className = value;
    else if (key in el && key !== "list") el[key] = value;
    else el.setAttribute(key, value === true ? "" : value);
  }
  el.append(...nodes(children));
  return el;
}

/** Children as given (nested lists flattened, nothing for null or false). */
const nodes = (children) => children.flat(Infinity).filter((c) => c !== null && c !== undefined && c !== false);

/** A catalogue string with its {placeholders} filled. */
const say = (key, values) => String(words[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => String(values?.[name] ?? ""));

function bar(percent, late) {
  const fill = h("span");
  fill.style.width = `${Math.max(0, Math.min(100, percent))}%`;
  return h(
    "div",
    { className: "row" },
    h("div", { className: late ? "bar late" : "bar", role: "presentation" }, fill),
    h("span", { className: "pct" }, `${percent}%`),
  );
}

/** Lets go of the step on screen: its files still coming are dropped, those that came freed. */
function closeView() {
  if (!view) return;
  view.abort.abort();
  for (const url of view.urls) URL.revokeObjectURL(url);
  view = null;
}

function show(...children) {
  closeView();
  app.replaceChildren(...nodes(children));
  window.scrollTo(0, 0);
}

async function loadWords(language) {
  if (language === lang) return;
  const res = await fetch(`strings-${language}.json`);
  words = await res.json();
  lang = language;
  document.documentElement.lang = language;
  document.title = words.title;
}

/** Waits out a 429's Retry-After, saying so above the page; calls made meanwhile wait with it. */
function waitOut(res) {
  if (!pause) {
    const seconds = Math.min(300, Math.max(1, Math.ceil(Number(res.headers.get("retry-after")) || 1)));
    const note = h("p", { className: "note busy", id: "busy", role: "status" }, say("tooMany", { seconds }));
    app.before(note);
    pause = new Promise((resolve) => setTimeout(resolve, seconds * 1000)).then(() => {
      note.remove();
      pause = null;
    });
  }
  return pause;
}

/** A call to Pantau's API with the init data; asked to wait (429), it waits and asks again. */
async function api(path, body, signal) {
  for (;;) {
    if (pause) await pause;
    const res = await fetch(`api/${path}`, {
      method: "POST",
      headers: { authorization: `tma ${initData}`, "content-type": "application/json" },
      body: JSON.stringify(body || {}),
      cache: "no-store",
      signal,
    });
    if (res.status !== 429) return res;
    await waitOut(res);
  }
}

/**
 * Whether an answer ends what the dashboard showed: its sign-in expired (MINIAPP_AUTH_MAX_AGE;
 * reopening it from the bot signs in again) or the person's seat is gone. The data goes too.
 */
function ended(res) {
  if (res.status !== 401 && res.status !== 403) return false;
  if (data) {
    data = null;
    refuse(res.status === 401 ? "expired" : "accessLost");
  }
  return true;
}

/** Shows why there is nothing to see, and a way to try again when it may pass. */
function refuse(key, retry) {
  show(
    h("h1", null, words.title),
    h("p", { className: "note", id: "refusal", "data-reason": key }, say(key)),
    retry ? h("button", { className: "primary", onclick: retry }, say("retry")) : null,
  );
}

async function start() {
  applyTheme();
  await loadWords(/^en/i.test(telegramUser.language_code || "") ? "en" : "id");
  postEvent("web_app_ready");
  postEvent("web_app_expand");
  if (!initData) return refuse("needTelegram");
  show(h("p", { className: "note" }, say("loading")));
  let res;
  try {
    res = await api("dashboard");
  } catch {
    return refuse("failed", start);
  }
  const body = await res.json().catch(() => ({}));
  if (body.lang) await loadWords(body.lang);
  if (res.status === 401) return refuse("unauthorized");
  if (res.status === 403) return refuse(body.error === "not_allowed" ? "notAllowed" : "notRegistered");
  if (!res.ok) return refuse("failed", start);
  data = body;
  renderDashboard();
}

// ------------------------------------------------------------------------------ the program

const stateLabel = (state) =>
  state === "silent" ? say("silentLabel", { days: data.silentAfterDays }) : state === "on_track" ? say("onTrack") : words.states[state];

function unitFacts(u) {
  const facts = [];
  if (u.overdue) facts.push(h("span", { className: "late" }, say("overdue", { n: u.overdue })));
  if (u.blocked) facts.push(h("span", { className: "blocked" }, say("blocked", { n: u.blocked })));
  facts.push(u.lastReport ? say("lastReport", { date: u.lastReport }) : say("neverReported"));
  return h(
    "p",
    { className: "facts" },
    facts.flatMap((f, i) => (i ? [" · ", f] : [f])),
  );
}

function reachLine(reach) {
  if (!reach) return null;
  const people = reach.focalPoints.length
    ? [
        `${say("focalPoints")}: `,
        reach.focalPoints.flatMap((f, i) => [i ? ", " : "", f.name, f.blocked ? h("span", { className: "late" }, ` (${say("blockedBot")})`) : ""]),
      ]
    : [h("span", { className: "late" }, say("noFocalPoint"))];
  return h("p", { className: "facts" }, people, reach.pendingInvites ? ` · ${say("pendingInvites", { n: reach.pendingInvites })}` : "");
}

function unitCard(u) {
  return h(
    "details",
    { className: "card unit", "data-unit": u.code },
    h("summary", null, h("h3", null, u.name), bar(u.progress, u.overdue > 0), unitFacts(u)),
    reachLine(u.reach),
    u.initiatives.map((i) =>
      h(
        "div",
        null,
        h("p", null, h("b", null, i.name), ` — ${i.progress}%`),
        h(
          "ul",
          { className: "steps" },
          i.steps.map((s) =>
            h(
              "li",
              null,
              h("button", { className: "link", onclick: () => openStep(s.id) }, s.title),
              h("p", { className: s.daysLate ? "facts late" : "facts" }, `${say("due", { date: s.due })} · ${s.progressText}`),
            ),
          ),
        ),
      ),
    ),
  );
}

const sorters = {
  urgency: (a, b) => a.urgency - b.urgency,
  name: (a, b) => a.name.localeCompare(b.name),
  progress: (a, b) => a.progress - b.progress || a.urgency - b.urgency,
  silence: (a, b) => (b.daysSinceReport ?? Infinity) - (a.daysSinceReport ?? Infinity) || a.urgency - b.urgency,
};

function chosenUnits(program) {
  const query = filters.query.trim().toLowerCase();
  const silent = Number(filters.silent);
  return program.units
    .filter(
      (u) =>
        (!filters.region || String(u.regionId) === filters.region) &&
        (!query || u.name.toLowerCase().includes(query) || u.code.toLowerCase().includes(query)) &&
        (!filters.overdue || u.overdue > 0) &&
        (!filters.blocked || u.blocked > 0) &&
        (!silent || (u.open && (u.daysSinceReport === null || u.daysSinceReport >= silent))),
    )
    .sort(sorters[filters.sort]);
}

function filterForm(program) {
  const set = (key) => (e) => {
    filters[key] = e.target.type === "checkbox" ? e.target.checked : e.target.value;
    renderUnits(program);
  };
  const multiRegion = program.regions.length > 1;
  return h(
    "details",
    { className: "card", open: filters.region || filters.query || filters.overdue || filters.blocked || filters.silent },
    h("summary", null, h("b", null, say("filters"))),
    h(
      "div",
      { className: "filters" },
      multiRegion
        ? h(
            "select",
            { "aria-label": say("region"), id: "f-region", onchange: set("region") },
            h("option", { value: "" }, say("allRegions")),
            program.regions.map((r) => h("option", { value: String(r.id), selected: String(r.id) === filters.region }, r.name)),
          )
        : null,
      h("input", { type: "search", id: "f-query", placeholder: say("search"), "aria-label": say("search"), value: filters.query, oninput: set("query") }),
      h("label", null, h("input", { type: "checkbox", id: "f-overdue", checked: filters.overdue, onchange: set("overdue") }), say("overdueOnly")),
      h("label", null, h("input", { type: "checkbox", id: "f-blocked", checked: filters.blocked, onchange: set("blocked") }), say("blockedOnly")),
      h("label", null, say("silentDays"), h("input", { type: "number", id: "f-silent", min: "1", max: "365", value: filters.silent, oninput: set("silent") })),
      h(
        "label",
        null,
        say("sort"),
        h(
          "select",
          { id: "f-sort", onchange: set("sort") },
          ["urgency", "name", "progress", "silence"].map((key) =>
            h("option", { value: key, selected: key === filters.sort }, say(`sort${key[0].toUpperCase()}${key.slice(1)}`)),
          ),
        ),
      ),
    ),
  );
}

function renderUnits(program) {
  const units = chosenUnits(program);
  const list = document.getElementById("units");
  const groups = [];
  // A province's units under their region (regions by name), each region's in the chosen order.
  const byRegion = program.regions.length > 1;
  if (byRegion) units.sort((a, b) => a.region.localeCompare(b.region) || sorters[filters.sort](a, b));
  for (const u of units) {
    const key = byRegion ? u.region : "";
    if (!groups.length || groups.at(-1).key !== key) groups.push({ key, units: [] });
    groups.at(-1).units.push(u);
  }
  list.replaceChildren(
    ...nodes([
      h("p", { className: "note", id: "shown" }, say("shown", { shown: units.length, total: program.units.length })),
      units.length ? null : h("p", null, say("noMatch")),
      groups.map((g) => [g.key ? h("h2", null, g.key) : null, g.units.map(unitCard)]),
    ]),
  );
}

function renderDashboard() {
  if (!data.programs.length) return show(h("h1", null, say("title")), h("p", { className: "note" }, say("noPrograms")));
  const program = data.programs[filters.program] || data.programs[0];
  const multiRegion = program.regions.length > 1;
  show(
    data.programs.length > 1
      ? h(
          "select",
          {
            "aria-label": say("title"),
            onchange: (e) => {
              filters.program = Number(e.target.value);
              filters.region = "";
              renderDashboard();
            },
          },
          data.programs.map((p, i) => h("option", { value: String(i), selected: p === program }, p.name)),
        )
      : null,
    h("h1", { id: "program" }, program.name),
    h("p", { className: "note" }, say("asOf", { date: program.today })),
    h(
      "section",
      { className: "card", id: "total", "data-progress": program.progress, "data-overdue": program.overdue },
      bar(program.progress, program.overdue > 0),
      h("p", null, say(multiRegion ? "total" : "totalOneRegion", { units: program.units.length, regions: program.regions.length, overdue: program.overdue })),
      h(
        "div",
        { className: "chips" },
        ["late", "blocked", "silent", "on_track"].map((s) =>
          h("span", { className: `chip ${s}`, "data-state": s, "data-count": program.counts[s] }, `${stateLabel(s)}: ${program.counts[s]}`),
        ),
      ),
    ),
    multiRegion
      ? h(
          "section",
          { id: "regions" },
          program.regions.map((r) =>
            h(
              "div",
              { className: "region", "data-region": r.name, "data-progress": r.progress },
              h(
                "button",
                {
                  className: "link",
                  onclick: () => {
                    filters.region = String(r.id);
                    renderDashboard();
                    document.getElementById("units").scrollIntoView();
                  },
                },
                r.name,
              ),
              bar(r.progress, r.overdue > 0),
            ),
          ),
        )
      : null,
    filterForm(program),
    h("section", { id: "units" }),
  );
  renderUnits(program);
}

// ------------------------------------------------------------------------------ one step

async function openStep(id) {
  const scroll = window.scrollY;
  show(h("p", { className: "note" }, say("loading")));
  const back = () => {
    renderDashboard();
    window.scrollTo(0, scroll);
  };
  const backButton = h("button", { onclick: back }, say("back"));
  const res = await api("step", { step: id }).catch(() => null);
  if (res && ended(res)) return;
  if (!res || !res.ok) return show(backButton, h("p", { className: "note" }, say(res && res.status === 404 ? "stepGone" : "failed")));
  const { step, reports, more } = await res.json();
  const held = { abort: new AbortController(), urls: new Set() };
  show(
    backButton,
    h(
      "section",
      { className: "card", id: "step" },
      h("h1", null, step.title),
      h("p", { className: "facts" }, `${step.initiative} · ${step.unit} · ${step.region}`),
      h("p", { className: step.daysLate ? "late" : null }, say("due", { date: step.due }), step.daysLate ? ` · ${say("daysLate", { n: step.daysLate })}` : ""),
      bar(step.progress, step.daysLate > 0),
      h("p", null, words.statuses[step.status]),
    ),
    h("h2", null, say("reports")),
    reports.length ? null : h("p", { className: "note" }, say("noReports")),
    reports.map((r) =>
      h(
        "div",
        { className: "report", "data-report": r.id },
        h("p", null, h("b", null, r.progressText), r.undone ? h("span", { className: "late" }, ` (${say("undone")})`) : ""),
        h("p", { className: "facts" }, `${r.at} · ${r.reporter}`),
        r.note ? h("p", { className: "quote" }, r.note) : null,
        r.files.map((f) => evidence(r.id, f, held)),
      ),
    ),
    more ? h("p", { className: "note" }, say("moreReports", { n: more })) : null,
  );
  view = held;
}

/** How long a download's blob: URL outlives its click: the browser has taken the file by then. */
const downloadGraceMs = 5000;

/**
 * A report's file, fetched through Pantau's server: a photo shown, a document downloaded on a
 * press. Its blob: URL belongs to the step's view (`held`), freed when the view closes.
 */
function evidence(reportId, file, held) {
  const { signal } = held.abort;
  const fetchFile = async () => {
    const res = await api("file", { report: reportId, file: file.index }, signal);
    if (!res.ok) throw res;
    const blob = await res.blob();
    // The view closed while the file came: nothing is kept.
    if (signal.aborted) throw new Error("closed");
    const url = URL.createObjectURL(blob);
    held.urls.add(url);
    return url;
  };
  /** Puts why the file is missing in place of `el`, unless the view closed or the whole dashboard ended. */
  const failed = (el) => (err) => {
    if (signal.aborted || (err instanceof Response && ended(err))) return;
    el.replaceWith(h("p", { className: "note" }, say("fileFailed")));
  };
  if (file.kind === "photo") {
    const img = h("img", { className: "photo", alt: say("photo", { n: file.index + 1 }) });
    fetchFile().then((url) => (img.src = url), failed(img));
    return img;
  }
  const name = file.name || `${file.index + 1}`;
  const button = h("button", {
    onclick: () =>
      fetchFile().then((url) => {
        h("a", { href: url, download: name }).click();
        setTimeout(() => {
          URL.revokeObjectURL(url);
          held.urls.delete(url);
        }, downloadGraceMs);
      }, failed(button)),
  });
  button.textContent = say("download", { name });
  return h("p", null, button);
}

// Not even the words came (the connection dropped): say so in both languages, with a retry.
start().catch(() => {
  const retry = h("button", { className: "primary", onclick: () => location.reload() }, "↻");
  app.replaceChildren(
    h("p", { className: "note", id: "refusal", "data-reason": "offline" }, "Dasbor tidak bisa dimuat. / The dashboard could not be loaded."),
    retry,
  );
});
