import type { Prisma } from "../db/connection.js";
import { pendingMigrations } from "../db/schema-engine.js";
import { databaseAnswers } from "../services/updates.js";
import type { Vitals } from "./vitals.js";

/**
 * Polling asks Telegram again at most 50 s after its last answer (the long poll's wait); twice
 * that and more without one means the loop is stuck, or Telegram unreachable.
 */
export const updatesStaleSeconds = 120;
/** The reminder pass runs every five minutes: two missed in a row is stale. */
export const passStaleSeconds = 600;
/** Probes give up after a few seconds; answer before they do. */
const databaseTimeoutMs = 5_000;

export type CheckName = "database" | "migrations" | "updates" | "reminders";

export interface Check {
  ok: boolean;
  /** Why not, or what was measured. */
  detail?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<CheckName, Check>;
}

export interface ReadinessDeps {
  db: Prisma;
  /** The migrations this code carries (read at start): all must be applied. */
  migrations: readonly string[];
  vitals: Vitals;
}

/**
 * Whether this process can do its work: the database answers, every migration of this code is
 * applied to it, updates are coming in (see `Vitals.updatesSilentSeconds`), and a reminder pass
 * succeeded within the last two intervals.
 */
export async function readiness({ db, migrations, vitals }: ReadinessDeps): Promise<Readiness> {
  const [database, pending] = await Promise.all([
    withTimeout(databaseAnswers(db), databaseTimeoutMs).then(
      (): Check => ({ ok: true }),
      (): Check => ({ ok: false, detail: "the database does not answer" }),
    ),
    withTimeout(pendingMigrations(db, migrations), databaseTimeoutMs).then(
      (names): Check => (names.length ? { ok: false, detail: `pending: ${names.join(", ")}` } : { ok: true }),
      (): Check => ({ ok: false, detail: "could not be read" }),
    ),
  ]);
  const silent = vitals.updatesSilentSeconds();
  const updates: Check =
    silent === Infinity
      ? { ok: false, detail: "receiving stopped" }
      : silent > updatesStaleSeconds
        ? { ok: false, detail: `nothing received for ${Math.round(silent)} s` }
        : { ok: true };
  const passAgo = vitals.passSilentSeconds();
  const reminders: Check = passAgo > passStaleSeconds ? { ok: false, detail: `no successful pass for ${Math.round(passAgo)} s` } : { ok: true };
  const checks = { database, migrations: pending, updates, reminders };
  return { ready: Object.values(checks).every((c) => c.ok), checks };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
