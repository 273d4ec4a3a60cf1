import { createHmac, timingSafeEqual } from "node:crypto";

// A Mini App's init data, checked as Telegram specifies ("Validating data received via the Mini
// App"): the hash is an HMAC-SHA256 over the other fields, keyed with HMAC-SHA256("WebAppData",
// bot token). Only a page Telegram opened for this bot can produce it; the user in it is who
// Telegram vouches for, and nothing else in the request is trusted.

/** Seconds an `auth_date` may lie ahead of the server's clock (clocks of two machines drift). */
export const futureSkewSeconds = 60;

/** The Telegram user the init data vouches for. */
export interface InitDataUser {
  id: number;
  firstName: string | null;
  languageCode: string | undefined;
}

export type InitDataCheck = { ok: true; user: InitDataUser; authDate: Date } | { ok: false; reason: "missing" | "malformed" | "hash" | "stale" | "future" };

/** The hex hash Telegram puts in init data of these fields (everything but `hash`) for a bot. */
export function initDataHash(fields: URLSearchParams, botToken: string): string {
  const dataCheckString = [...fields.entries()]
    .filter(([key]) => key !== "hash")
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join("\n");
  const secretKey = createHmac("sha256", "WebAppData").update(botToken).digest();
  return createHmac("sha256", secretKey).update(dataCheckString).digest("hex");
}

/**
 * Checks raw init data (the query string Telegram hands the page) for the bot: the hash compared
 * in constant time, then `auth_date` no older than `maxAgeSeconds` and not ahead of `now` by more
 * than a small skew, then the user field.
 */
export function checkInitData(raw: string | undefined, botToken: string, now: Date, maxAgeSeconds: number): InitDataCheck {
  if (!raw) return { ok: false, reason: "missing" };
  const fields = new URLSearchParams(raw);
  const hash = fields.get("hash");
  if (!hash || fields.getAll("hash").length !== 1) return { ok: false, reason: "missing" };
  const expected = Buffer.from(initDataHash(fields, botToken), "hex");
  const given = /^[0-9a-f]{64}$/i.test(hash) ? Buffer.from(hash, "hex") : Buffer.alloc(0);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "hash" };

  const authDate = Number(fields.get("auth_date"));
  if (!Number.isInteger(authDate) || authDate <= 0) return { ok: false, reason: "malformed" };
  const age = now.getTime() / 1000 - authDate;
  if (age > maxAgeSeconds) return { ok: false, reason: "stale" };
  if (age < -futureSkewSeconds) return { ok: false, reason: "future" };

  let user: unknown;
  try {
    user = JSON.parse(fields.get("user") ?? "null");
  } catch {
    return { ok: false, reason: "malformed" };
  }
  if (typeof user !== "object" || user === null) return { ok: false, reason: "malformed" };
  const { id, first_name: firstName, language_code: languageCode } = user as Record<string, unknown>;
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id <= 0) return { ok: false, reason: "malformed" };
  return {
    ok: true,
    authDate: new Date(authDate * 1000),
    user: { id, firstName: typeof firstName === "string" ? firstName : null, languageCode: typeof languageCode === "string" ? languageCode : undefined },
  };
}
