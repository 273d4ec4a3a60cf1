import { createHash, timingSafeEqual } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Telegram } from "telegraf";
import type { Update } from "telegraf/types";
import type { Prisma } from "../db/connection.js";
import type { Logger } from "../logger.js";
import { claimUpdate, databaseAnswers } from "../services/updates.js";

// Webhook mode: Telegram POSTs every update to WEBHOOK_URL. Several instances behind a load
// balancer may serve that URL on one PostgreSQL database, and Telegram redelivers an update it
// thinks was lost, so every update is claimed in the database before it is handled (polling
// claims with the same function; the daily retention purge deletes claims after a week).

/** Largest update body accepted (Telegram's updates are a few kilobytes). */
export const maxBodyBytes = 1024 * 1024;

/** The updates Pantau handles; Telegram sends no others. */
export const allowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

/** Load balancers give up on a health check after a few seconds; answer before they do. */
const healthTimeoutMs = 5_000;

/**
 * Takes a claimed update in (the update queue's `accept`): resolves once it is queued, not once
 * it is handled, so that Telegram's connections are not held by one chat's slow answers.
 */
export type AcceptUpdate = (update: Update) => Promise<unknown>;

export interface WebhookServerOptions {
  accept: AcceptUpdate;
  db: Prisma;
  /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token (set with setWebhook's secret_token). */
  secret: string;
  /** The pathname of WEBHOOK_URL: only POSTs to it carry updates. */
  path: string;
  logger: Logger;
}

export interface WebhookServer {
  /** Listens on host (all interfaces by default); resolves with the bound port, rejects if it cannot. */
  listen(port: number, host?: string): Promise<number>;
  /** Rejects if the listening server fails (it then receives no more updates). */
  failed: Promise<never>;
  /** Stops accepting connections and resolves once the requests in flight are answered. */
  close(): Promise<void>;
}

/**
 * The HTTP server of webhook mode (node:http, no framework):
 * - `POST <path>` with the right secret header: one update, handled once across all instances
 *   (401 without the secret, 413 over 1 MB, 400 when it is not an update);
 * - `GET /health`: 200 `{"status":"ok"}` when the database answers, 503 otherwise;
 * - anything else: 404 (also a GET on the webhook path, which keeps the path unconfirmed).
 */
export function createWebhookServer(options: WebhookServerOptions): WebhookServer {
  const { accept, db, path, logger } = options;
  if (!options.secret) throw new Error("a webhook needs a secret token");
  const secretDigest = digest(options.secret);

  let closing = false;
  let closed: Promise<void> | null = null;
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // whoever listens to it handles it; nobody listening is fine too

  const server = http.createServer((req, res) => {
    route(req, res).catch((err: unknown) => {
      logger.error({ err }, "webhook request failed");
      reply(res, 500);
    });
  });
  // A client that never finishes its request must not hold a connection (or a shutdown) open.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  async function route(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    // Not `new URL(req.url, base)`: a request for "//host/x" would be read as another host.
    const pathname = (req.url ?? "/").split("?")[0];
    if (pathname === path && req.method === "POST") return receive(req, res);
    if (pathname === "/health" && (req.method === "GET" || req.method === "HEAD")) return health(res);
    reply(res, 404);
  }

  async function receive(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    if (!secretMatches(req.headers["x-telegram-bot-api-secret-token"])) {
      logger.warn({ from: req.socket.remoteAddress }, "webhook request without the right secret token refused");
      return reply(res, 401);
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === null) return reply(res, 413, true);
    const update = parseUpdate(body);
    if (!update) {
      logger.warn("webhook request that is not an update refused");
      return reply(res, 400);
    }
    const id = update.update_id;

    // At most once: the claim comes before the handling, and an update whose handling fails
    // (or whose process dies before or while handling it) is not handled again — Telegram's
    // redelivery is for updates it thinks were lost, and a second run could send users
    // everything twice. The bot's own error handler (bot.catch) answers users when a handler
    // throws.
    let claimed: boolean;
    try {
      claimed = await claimUpdate(db, id);
    } catch (err) {
      // Nothing was recorded: a non-2xx answer makes Telegram try again later.
      logger.error({ err, update: id }, "could not record a webhook update");
      return reply(res, 500);
    }
    if (!claimed) {
      logger.debug({ update: id }, "update already handled, skipped");
      return reply(res, 200);
    }
    try {
      await accept(update);
    } catch (err) {
      // Answered 200 all the same: the update is claimed, so a redelivery would be skipped anyway.
      logger.error({ err, update: id }, "update failed outside the bot's error handler");
    }
    reply(res, 200);
  }

  async function health(res: http.ServerResponse): Promise<void> {
    try {
      await withTimeout(databaseAnswers(db), healthTimeoutMs);
      replyJson(res, 200, { status: "ok" });
    } catch (err) {
      logger.warn({ err }, "health check: the database does not answer");
      replyJson(res, 503, { status: "unavailable" });
    }
  }

  function secretMatches(header: string | string[] | undefined): boolean {
    if (typeof header !== "string") return false;
    // Digests have equal lengths, so the comparison reveals neither the secret nor its length.
    return timingSafeEqual(digest(header), secretDigest);
  }

  function reply(res: http.ServerResponse, status: number, closeConnection = false): void {
    send(res, status, undefined, closeConnection);
  }

  function replyJson(res: http.ServerResponse, status: number, payload: unknown): void {
    send(res, status, JSON.stringify(payload));
  }

  function send(res: http.ServerResponse, status: number, body: string | undefined, closeConnection = false): void {
    if (res.headersSent || res.destroyed) return;
    // While closing, or after a refused body, the connection is not kept alive.
    if (closing || closeConnection) res.setHeader("connection", "close");
    if (body !== undefined) res.setHeader("content-type", "application/json");
    res.writeHead(status, { "content-length": body === undefined ? 0 : Buffer.byteLength(body) });
    res.end(body);
  }

  return {
    failed,
    listen(port, host = "0.0.0.0") {
      return new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          server.on("error", (err) => {
            logger.error({ err }, "the webhook server failed");
            fail(err);
          });
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      closing = true;
      closed ??= new Promise<void>((resolve) => {
        // The callback runs once every connection has ended (or at once, with an error, when
        // the server was not listening).
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

export interface WebhookSettings {
  /** WEBHOOK_URL: Telegram POSTs here; its pathname is the path the server answers on. */
  url: string;
  secret: string;
  port: number;
  host?: string;
}

/** A started webhook server and the port it listens on. */
export type RunningWebhook = WebhookServer & { port: number };

/**
 * Starts webhook mode: listens on `settings.port`, then tells Telegram where to send updates.
 * The webhook is not deleted on close: other instances may still serve it.
 */
export async function startWebhook(
  telegram: Pick<Telegram, "setWebhook">,
  accept: AcceptUpdate,
  settings: WebhookSettings,
  deps: { db: Prisma; logger: Logger },
): Promise<RunningWebhook> {
  const server = createWebhookServer({ accept, db: deps.db, logger: deps.logger, secret: settings.secret, path: webhookPath(settings.url) });
  const port = await server.listen(settings.port, settings.host);
  try {
    await telegram.setWebhook(settings.url, {
      secret_token: settings.secret,
      allowed_updates: [...allowedUpdates],
      drop_pending_updates: false,
    });
  } catch (err) {
    await server.close();
    throw err;
  }
  return { ...server, port };
}

/** The path a webhook URL points at ("/" when it names none). */
export function webhookPath(url: string): string {
  return new URL(url).pathname || "/";
}

function parseUpdate(body: Buffer): Update | null {
  let value: unknown;
  try {
    value = JSON.parse(body.toString("utf8"));
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return null;
  const id = (value as { update_id?: unknown }).update_id;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return null;
  return value as Update;
}

/** The body, or null once it is longer than `limit` (the rest is not kept). */
function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(req.headers["content-length"]) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.resume();
      resolve(null);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
