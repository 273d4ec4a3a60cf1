import { readFileSync } from "node:fs";
import type http from "node:http";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Telegram } from "telegraf";
import { z } from "zod";
import { FloodLimiter } from "../bot/flood-limit.js";
import type { Clock } from "../clock.js";
import type { Prisma } from "../db/connection.js";
import type { Language } from "../domain/dates.js";
import { readBody, send, sendJson, type HttpServer } from "../http/server.js";
import { catalogue, languageFromTelegram, languageOf } from "../i18n/index.js";
import type { Logger } from "../logger.js";
import { auditRead, personActor } from "../services/audit.js";
import { historyScope, reportEvidence, stepHistory } from "../services/history.js";
import { findPerson, readsDashboard, type Person } from "../services/people.js";
import { reachReport } from "../services/reach.js";
import { recap, type ProgramRecap } from "../services/recap.js";
import { scopeOf } from "../services/scope.js";
import { checkInitData } from "./init-data.js";
import { dashboardJson, stepJsonWithReports } from "./views.js";

// The dashboard (a Telegram Mini App) on Pantau's own HTTP server: the page as plain files, its
// words from the catalogue, and a read-only API. Every API call carries the init data Telegram
// gave the page (`Authorization: tma <initData>`), so no id or personal data rides in a URL, and
// each answer comes from the same services, within the same scope, as the bot's commands.

export interface MiniAppDeps {
  db: Prisma;
  logger: Logger;
  clock: Clock;
  /** The bot's Telegram client, for getFile (the file itself is downloaded here, never by the browser). */
  telegram: Pick<Telegram, "getFile">;
  botToken: string;
  apiRoot: string;
  /** How old init data may be (MINIAPP_AUTH_MAX_AGE), in seconds. */
  maxAgeSeconds: number;
  /** Real time (epoch ms) for the API's rate limits, not the business clock. */
  wallClock: () => number;
}

/**
 * How fast one person may call the API: the chat's flood rule (`FloodLimiter`, a token bucket per
 * Telegram user), judged once the init data is checked and before any database work. Data (the
 * dashboard, a step): 60 at once, then one a second; a coordinator opening 30 steps in a row stays
 * far below. Files: 120 at once (a step's photos load by themselves), then one a second, so a loop
 * downloading evidence costs one Bot API call and download a second, not as many as it can.
 */
export const apiLimits = { data: { perMinute: 60 }, files: { perMinute: 60, burst: 120 } } as const;

/** Where the page's files are: `web/miniapp` at the root, from src/miniapp and dist/miniapp alike. */
const pageDir = new URL("../../web/miniapp/", import.meta.url);

const assets: Record<string, string> = {
  "index.html": "text/html; charset=utf-8",
  "app.js": "text/javascript; charset=utf-8",
  "app.css": "text/css; charset=utf-8",
};

// The page may talk to this server only, show its own images and blob: evidence, and nothing
// from elsewhere (no CDN, no telegram-web-app.js). Telegram's web clients frame it, so framing stays allowed.
const pageSecurity = {
  "content-security-policy":
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none'",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
};

/** Personal answers: never kept by the browser or a proxy. */
function personal(res: http.ServerResponse, status: number, payload: unknown): void {
  res.setHeader("cache-control", "no-store");
  res.setHeader("x-content-type-options", "nosniff");
  sendJson(res, status, payload);
}

const stepRequest = z.object({
  step: z
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});
const fileRequest = z.object({
  report: z
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
  file: z.number().int().min(0).max(99),
});

/** Registers the page (GET /app and its files) and the API (POST /app/api/…). */
export function registerMiniApp(server: HttpServer, deps: MiniAppDeps): void {
  const { db, logger } = deps;
  const limits = { data: new FloodLimiter(apiLimits.data), files: new FloodLimiter(apiLimits.files) };
  for (const [file, type] of Object.entries(assets)) {
    const text = readFileSync(new URL(file, pageDir), "utf8");
    const answer: http.RequestListener = (_req, res) => {
      // Not personal, but new after an upgrade: revalidated each time.
      res.setHeader("cache-control", "no-cache");
      for (const [name, value] of Object.entries(pageSecurity)) res.setHeader(name, value);
      send(res, 200, { text, type });
    };
    server.route("GET", file === "index.html" ? "/app/" : `/app/${file}`, answer);
  }
  // The page's links are relative (it may be published under any path): /app is always /app/.
  // Relative, so a proxy's prefix stays; the hash with the init data is kept across a redirect.
  server.route("GET", "/app", (_req, res) => {
    res.writeHead(308, { location: "app/", "content-length": 0 });
    res.end();
  });
  for (const lang of ["id", "en"] as const) {
    const t = catalogue(lang);
    const text = JSON.stringify({ ...t.miniApp.page, states: t.recap.lists, statuses: t.statusNames });
    server.route("GET", `/app/strings-${lang}.json`, (_req, res) => {
      res.setHeader("cache-control", "no-cache");
      send(res, 200, { text, type: "application/json; charset=utf-8" });
    });
  }

  /**
   * The reader behind the request's init data, within their rate of `limit`, or null once the
   * request was answered with why not.
   */
  async function reader(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    limit: FloodLimiter,
  ): Promise<{ person: Person; lang: Language; now: Date } | null> {
    const now = deps.clock();
    const header = req.headers.authorization ?? "";
    const check = checkInitData(/^tma (.+)$/.exec(header)?.[1], deps.botToken, now, deps.maxAgeSeconds);
    if (!check.ok) {
      logger.info({ reason: check.reason }, "mini app request refused");
      personal(res, 401, { error: "unauthorized" });
      return null;
    }
    // Over the rate: refused before the database is asked anything (one log line per episode).
    const at = deps.wallClock();
    const verdict = limit.take(check.user.id, at);
    if (verdict !== "pass") {
      if (verdict === "notify")
        logger.warn({ user: check.user.id, path: req.url }, "mini app rate limit reached: requests refused until the person slows down");
      res.setHeader("retry-after", String(Math.max(1, Math.ceil(limit.waitMs(check.user.id, at) / 1000))));
      personal(res, 429, { error: "too_many_requests" });
      return null;
    }
    const person = await findPerson(db, check.user.id);
    if (!person || person.memberships.length === 0) {
      personal(res, 403, { error: "not_registered", lang: languageFromTelegram(check.user.languageCode) });
      return null;
    }
    const lang = languageOf(person.language);
    // What the chat shows them: a coordinator's recap, a head's unit (a focal point has /tugas).
    if (!readsDashboard(person)) {
      personal(res, 403, { error: "not_allowed", lang });
      return null;
    }
    return { person, lang, now };
  }

  async function body<T>(req: http.IncomingMessage, res: http.ServerResponse, schema: z.ZodType<T>): Promise<T | null> {
    const raw = await readBody(req, 1024);
    let parsed: unknown = null;
    try {
      parsed = raw ? JSON.parse(raw.toString("utf8")) : null;
    } catch {
      // answered below
    }
    const result = schema.safeParse(parsed);
    if (result.success) return result.data;
    personal(res, 400, { error: "bad_request" });
    return null;
  }

  server.route("POST", "/app/api/dashboard", async (req, res) => {
    const who = await reader(req, res, limits.data);
    if (!who) return;
    const { person, lang, now } = who;
    const [programs, reach] = await Promise.all([dashboardPrograms(db, person, now), reachReport(db, person, now)]);
    personal(res, 200, { ...dashboardJson(programs, reach, catalogue(lang), lang), name: person.name });
  });

  server.route("POST", "/app/api/step", async (req, res) => {
    const who = await reader(req, res, limits.data);
    if (!who) return;
    const asked = await body(req, res, stepRequest);
    if (!asked) return;
    const { person, lang, now } = who;
    const found = await stepHistory(db, historyScope(person), asked.step, now);
    if (!found) return personal(res, 404, { error: "not_found" });
    // Reading other people's reports and notes is recorded, as /riwayat records it.
    await auditRead(db, {
      actor: personActor(person, null),
      action: "history.read",
      entity: "milestone",
      entityId: found.step.id,
      targetName: found.step.title,
      programIds: [found.step.program.id],
      regionId: found.step.region.id,
      detail: { via: "miniapp", reports: found.history.entries.length + found.history.more },
      at: now,
    });
    personal(res, 200, stepJsonWithReports(found, catalogue(lang), lang));
  });

  server.route("POST", "/app/api/file", async (req, res) => {
    const who = await reader(req, res, limits.files);
    if (!who) return;
    const asked = await body(req, res, fileRequest);
    if (!asked) return;
    const { person, now } = who;
    const evidence = await reportEvidence(db, person, asked.report);
    const file = evidence?.files[asked.file];
    if (!evidence || !file) return personal(res, 404, { error: "not_found" });
    await auditRead(db, {
      actor: personActor(person, null),
      action: "evidence.read",
      entity: "report",
      entityId: evidence.reportId,
      targetName: evidence.title,
      programIds: [evidence.programId],
      regionId: evidence.regionId,
      detail: { via: "miniapp", file: asked.file + 1 },
      at: now,
    });
    await streamFile(deps, file, res);
  });
}

/**
 * The programs the dashboard shows: those the person coordinates, as /rekap shows them (the same
 * scope, so the same numbers), then those in which they only head a unit, with that unit alone.
 */
async function dashboardPrograms(db: Prisma, person: Person, now: Date): Promise<ProgramRecap[]> {
  const [coordinated, headed] = await Promise.all([recap(db, scopeOf(person, "koordinator"), now), recap(db, scopeOf(person, "kepala"), now)]);
  return [...coordinated, ...headed.filter((p) => !coordinated.some((c) => c.id === p.id))];
}

/**
 * How long a file may take from the Bot API to the phone, its download included: a stalled
 * server or a reader gone quiet must not hold the request (and a shutdown waiting for it) open.
 */
const fileTimeoutMs = 120_000;

const imageTypes: Record<string, string> = { jpg: "image/jpeg", jpeg: "image/jpeg", png: "image/png", webp: "image/webp" };

/**
 * Fetches a file from the Bot API and streams it on. Its download URL holds the bot token: it is
 * built here, used once and never logged (errors are logged without it). A document goes as an
 * attachment of no particular type, so nothing a focal point uploaded runs as this site's page.
 */
async function streamFile(deps: MiniAppDeps, file: { kind: "photo" | "document"; fileId: string; fileName: string | null }, res: http.ServerResponse) {
  let path: string;
  try {
    path = (await deps.telegram.getFile(file.fileId)).file_path ?? "";
  } catch (err) {
    deps.logger.warn({ err }, "mini app could not get a file from the Bot API");
    return personal(res, 502, { error: "file_unavailable" });
  }
  let upstream: Response;
  try {
    upstream = await fetch(`${deps.apiRoot}/file/bot${deps.botToken}/${path}`, { signal: AbortSignal.timeout(fileTimeoutMs) });
  } catch (err) {
    // Only the error's name: a message may quote the URL, and the URL holds the token.
    deps.logger.warn({ error: err instanceof Error ? err.name : "unknown" }, "mini app could not download a file");
    return personal(res, 502, { error: "file_unavailable" });
  }
  if (!upstream.ok || !upstream.body) {
    deps.logger.warn({ status: upstream.status }, "mini app could not fetch a file");
    return personal(res, 502, { error: "file_unavailable" });
  }
  const extension = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? "";
  const type = file.kind === "photo" ? (imageTypes[extension] ?? "image/jpeg") : "application/octet-stream";
  const name = file.fileName ?? `${file.kind === "photo" ? "foto" : "berkas"}${extension ? `.${extension}` : ""}`;
  const length = upstream.headers.get("content-length");
  res.writeHead(200, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "content-disposition": `${file.kind === "photo" ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(name)}`,
    ...(length ? { "content-length": length } : {}),
  });
  await pipeline(Readable.fromWeb(upstream.body), res).catch((err: unknown) => {
    deps.logger.warn({ error: err instanceof Error ? err.name : "unknown" }, "mini app file stream broke off");
    res.destroy();
  });
}
