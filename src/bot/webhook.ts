import { createHash, timingSafeEqual } from "node:crypto";
import type http from "node:http";
import type { Telegram } from "telegraf";
import type { Update } from "telegraf/types";
import type { Prisma } from "../db/connection.js";
import { readBody, send, type HttpServer } from "../http/server.js";
import type { Logger } from "../logger.js";
import { claimUpdate } from "../services/updates.js";

// Webhook mode: Telegram POSTs every update to WEBHOOK_URL. Several instances behind a load
// balancer may serve that URL on one PostgreSQL database, and Telegram redelivers an update it
// thinks was lost, so every update is claimed in the database before it is handled (polling
// claims with the same function; the daily retention purge deletes claims after a week).

/** Largest update body accepted (Telegram's updates are a few kilobytes). */
export const maxBodyBytes = 1024 * 1024;

/** The updates Pantau handles; Telegram sends no others. */
export const allowedUpdates = ["message", "edited_message", "callback_query", "my_chat_member"] as const;

/**
 * Takes a claimed update in (the update queue's `accept`): resolves once it is queued, not once
 * it is handled, so that Telegram's connections are not held by one chat's slow answers.
 */
export type AcceptUpdate = (update: Update) => Promise<unknown>;

export interface WebhookOptions {
  accept: AcceptUpdate;
  db: Prisma;
  /** Telegram sends it in X-Telegram-Bot-Api-Secret-Token (set with setWebhook's secret_token). */
  secret: string;
  /** The pathname of WEBHOOK_URL: only POSTs to it carry updates. */
  path: string;
  logger: Logger;
}

/**
 * Registers `POST <path>` on Pantau's HTTP server: with the right secret header, one update,
 * handled once across all instances (401 without the secret, 413 over 1 MB, 400 when it is not
 * an update, 500 when the database cannot record it, so that Telegram tries again). Any other
 * method on the path is 404, like every unknown path, which keeps the path unconfirmed.
 */
export function registerWebhook(server: HttpServer, options: WebhookOptions): void {
  const { accept, db, logger } = options;
  if (!options.secret) throw new Error("a webhook needs a secret token");
  const secretDigest = digest(options.secret);

  const secretMatches = (header: string | string[] | undefined): boolean => {
    if (typeof header !== "string") return false;
    // Digests have equal lengths, so the comparison reveals neither the secret nor its length.
    return timingSafeEqual(digest(header), secretDigest);
  };

  server.route("POST", options.path, async (req: http.IncomingMessage, res: http.ServerResponse) => {
    if (!secretMatches(req.headers["x-telegram-bot-api-secret-token"])) {
      logger.warn({ from: req.socket.remoteAddress }, "webhook request without the right secret token refused");
      return send(res, 401);
    }
    const body = await readBody(req, maxBodyBytes);
    if (body === null) return send(res, 413, undefined, true);
    const update = parseUpdate(body);
    if (!update) {
      logger.warn("webhook request that is not an update refused");
      return send(res, 400);
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
      return send(res, 500);
    }
    if (!claimed) {
      logger.debug({ update: id }, "update already handled, skipped");
      return send(res, 200);
    }
    try {
      await accept(update);
    } catch (err) {
      // Answered 200 all the same: the update is claimed, so a redelivery would be skipped anyway.
      logger.error({ err, update: id }, "update failed outside the bot's error handler");
    }
    send(res, 200);
  });
}

/**
 * Tells Telegram where to send updates, once the server listens. The webhook is not deleted
 * at stop: other instances may still serve it.
 */
export async function setWebhook(telegram: Pick<Telegram, "setWebhook">, url: string, secret: string): Promise<void> {
  await telegram.setWebhook(url, { secret_token: secret, allowed_updates: [...allowedUpdates], drop_pending_updates: false });
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

function digest(text: string): Buffer {
  return createHash("sha256").update(text, "utf8").digest();
}
