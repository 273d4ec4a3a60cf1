import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { wallClock } from "../../src/clock.js";
import { migrationNames } from "../../src/db/schema-engine.js";
import { createHttpServer } from "../../src/http/server.js";
import { createLogger } from "../../src/logger.js";
import { registerMonitoring } from "../../src/monitoring/endpoints.js";
import { Metrics } from "../../src/monitoring/metrics.js";
import { Vitals } from "../../src/monitoring/vitals.js";
import { enqueue } from "../../src/outbox/index.js";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { unreachableDatabase } from "../support/databases.js";
import { databaseKinds, examplePlan, Harness } from "../support/harness.js";

// Pantau's own HTTP server in polling mode (health, readiness, metrics) and the admins' /sistem,
// through the real bot polling the Bot API emulator, on SQLite and PostgreSQL. Ids are long and
// distinctive so that finding one in /metrics cannot be a coincidence.

const admin: EmuUser = { id: 918273001, first_name: "Dewi", language_code: "id" };
const adminEn: EmuUser = { id: 918273002, first_name: "Ann", language_code: "en" };
const focalPoint: EmuUser = { id: 918273003, first_name: "Rina", language_code: "id" };
const stranger: EmuUser = { id: 918273004, first_name: "Orang", language_code: "id" };
const everyone = [admin, adminEn, focalPoint, stranger];

interface Answer {
  status: number;
  body: string;
  type: string | null;
}

/** One value of a metric in Prometheus's text format, by its exact labels; undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split("\n")) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const got = Object.fromEntries([...(m[2] ?? "").matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    const wanted = Object.entries(labels);
    if (wanted.length === Object.keys(got).length && wanted.every(([k, v]) => got[k] === v)) return Number(m[3]);
  }
  return undefined;
}

describe.each(await databaseKinds())("health, metrics and /sistem on %s", (kind) => {
  let h: Harness;

  async function request(pathname: string, method = "GET", port = h.http.port): Promise<Answer> {
    const res = await fetch(`http://127.0.0.1:${port}${pathname}`, { method });
    return { status: res.status, body: await res.text(), type: res.headers.get("content-type") };
  }
  const metrics = async () => (await request("/metrics")).body;

  /** Asks until `check` holds (the outbox marks a row right after Telegram answered). */
  async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
    const until = wallClock() + timeoutMs;
    for (;;) {
      const value = await read();
      if (check(value)) return value;
      if (wallClock() > until) throw new Error(`still not so after ${timeoutMs} ms: ${JSON.stringify(value).slice(0, 3000)}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function ask(user: EmuUser, text: string): Promise<string> {
    const before = h.emulator.messages(user.id).length;
    await h.emulator.sendText(user, text);
    await h.answered();
    const sent = h.emulator.messages(user.id).slice(before);
    expect(sent, text).toHaveLength(1);
    return sent[0]!.plainText ?? "";
  }

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const invite = await h.cli("invite", "--unit", "BABAR-DISPARBUD");
    const code = /start=([A-Za-z0-9_-]+)/.exec(invite.stdout)?.[1] ?? "";
    await h.startBot({ ADMIN_TELEGRAM_IDS: `${admin.id},${adminEn.id}` });
    await h.emulator.sendText(focalPoint, `/start ${code}`);
    expect((await h.emulator.waitForMessage(focalPoint.id)).plainText).toContain("narahubung");
    await h.answered();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when the bot polls, then its HTTP server listens on 127.0.0.1 alone, /healthz is 200, and any other path is 404", async () => {
    expect(h.http.host).toBe("127.0.0.1");
    const started = h.logs.filter((l) => l.includes("Pantau started")).at(-1) ?? "";
    expect(started).toContain('"mode":"polling"');
    expect(started).toContain(`"listen":"127.0.0.1:${h.http.port}"`);

    const alive = await request("/healthz");
    expect(alive.status).toBe(200);
    expect(alive.type).toBe("application/json");
    expect(JSON.parse(alive.body)).toEqual({ status: "ok" });
    expect((await request("/healthz?probe=1", "HEAD")).status).toBe(200);
    for (const pathname of ["/", "/health", "/healthz/x", "//example.test/healthz"]) expect((await request(pathname)).status, pathname).toBe(404);
    expect((await request("/healthz", "POST")).status).toBe(404);
  });

  it("when everything works, then /readyz is 200 and names each check", async () => {
    const ready = await request("/readyz");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toEqual({
      status: "ready",
      checks: { database: { ok: true }, migrations: { ok: true }, updates: { ok: true }, reminders: { ok: true } },
    });
  });

  it("when a migration of this code is not applied to the database, then /readyz is 503 naming it, and 200 once it is", async () => {
    const [latest] = await h.db.$queryRawUnsafe<{ migration_name: string }[]>('SELECT migration_name FROM "_prisma_migrations" ORDER BY migration_name DESC');
    const name = latest!.migration_name;
    const rename = (from: string, to: string) => h.db.$executeRaw`UPDATE "_prisma_migrations" SET migration_name = ${to} WHERE migration_name = ${from}`;
    await rename(name, `${name}_elsewhere`);
    try {
      const answer = await request("/readyz");
      expect(answer.status).toBe(503);
      const body = JSON.parse(answer.body) as { status: string; failing: string[]; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(body.status).toBe("not ready");
      expect(body.failing).toEqual(["migrations"]);
      expect(body.checks.migrations).toEqual({ ok: false, detail: `pending: ${name}` });
      expect(body.checks.database).toEqual({ ok: true });
    } finally {
      await rename(`${name}_elsewhere`, name);
    }
    expect((await request("/readyz")).status).toBe(200);
  });

  it("when no reminder pass succeeded for ten minutes, then /readyz is 503 naming the reminders, and 200 again when time is back", async () => {
    h.wallShiftMs = 11 * 60_000;
    try {
      // The poll under way when time jumped counts as two minutes silent until the next one
      // comes back (within a second at the emulator).
      const answer = await eventually(
        () => request("/readyz"),
        (a) => a.body.includes('"failing":["reminders"]'),
      );
      expect(answer.status).toBe(503);
      const body = JSON.parse(answer.body) as { failing: string[]; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(body.failing).toEqual(["reminders"]);
      expect(body.checks.reminders!.detail).toMatch(/^no successful pass for \d+ s$/);
      expect(body.checks.updates).toEqual({ ok: true });
    } finally {
      h.wallShiftMs = 0;
    }
    expect((await request("/readyz")).status).toBe(200);
  });

  it("when the database does not answer, then /readyz is 503 naming it, /healthz stays 200 and /metrics still answers", async () => {
    const db = unreachableDatabase(kind);
    const logger = createLogger("silent");
    const vitals = new Vitals(wallClock, "polling");
    const server = createHttpServer(logger);
    registerMonitoring(server, {
      db,
      migrations: await migrationNames(kind),
      vitals,
      metrics: new Metrics({ db, clock: () => h.clock, vitals, logger }),
      logger,
    });
    const port = await server.listen(0, "127.0.0.1");
    try {
      const answer = await request("/readyz", "GET", port);
      expect(answer.status).toBe(503);
      const body = JSON.parse(answer.body) as { failing: string[]; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(body.failing).toEqual(["database", "migrations"]);
      expect(body.checks.database).toEqual({ ok: false, detail: "the database does not answer" });
      expect((await request("/healthz", "GET", port)).status).toBe(200);
      const text = (await request("/metrics", "GET", port)).body;
      expect(sample(text, "pantau_outbox_due_messages")).toBeNaN();
    } finally {
      await server.close();
      await db.$disconnect().catch(() => undefined);
    }
  });

  it("when Telegram says another process polls the token, then polling stops and /readyz is 503 naming the updates", async () => {
    h.emulator.injectFault("getUpdates", {
      error_code: 409,
      description: "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    });
    const answer = await eventually(
      () => request("/readyz"),
      (a) => a.status === 503,
    );
    const body = JSON.parse(answer.body) as { failing: string[]; checks: Record<string, { ok: boolean; detail?: string }> };
    expect(body.failing).toEqual(["updates"]);
    expect(body.checks.updates).toEqual({ ok: false, detail: "receiving stopped" });
    const text = await metrics();
    expect(sample(text, "pantau_telegram_errors_total", { method: "getUpdates", code: "409" })).toBe(1);
  });

  it("when a reminder pass sends, then /metrics counts the messages by kind and outcome and times the pass", async () => {
    // The focal point joined after the first pass: the next start's pass reminds them (H-3, 08:00).
    await h.restartBot({ ADMIN_TELEGRAM_IDS: `${admin.id},${adminEn.id}` });
    await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("Pengingat"));
    // Its rows are marked sent once Telegram answered, a moment after the message arrived.
    const text = await eventually(
      metrics,
      (t) => sample(t, "pantau_reminder_pass_duration_seconds_count", { outcome: "ok" }) === 1 && sample(t, "pantau_outbox_due_messages") === 0,
    );
    const sent = await h.db.delivery.count({ where: { kind: "reminder", status: "sent" } });
    expect(sent).toBeGreaterThan(0);
    expect(sample(text, "pantau_messages_total", { kind: "reminder", outcome: "sent" })).toBe(sent);
    expect(sample(text, "pantau_reminder_pass_last_success_timestamp_seconds")).toBeGreaterThan(wallClock() / 1000 - 60);
    expect(sample(text, "pantau_build_info", { version: "0.1.0" })).toBe(1);
    expect(sample(text, "pantau_outbox_due_messages")).toBe(0);
    expect(sample(text, "pantau_outbox_oldest_due_age_seconds")).toBe(0);
    expect(sample(text, "pantau_backup_last_success_timestamp_seconds")).toBe(0);
    // The process's own metrics, prefixed too.
    expect(sample(text, "pantau_process_resident_memory_bytes")).toBeGreaterThan(0);
  });

  it("when a user sends a command, then /metrics counts the update and its duration by type", async () => {
    const before = await metrics();
    const count = (t: string) => sample(t, "pantau_update_duration_seconds_count", { type: "message" }) ?? 0;
    expect(await ask(focalPoint, "/tugas")).toContain("Tahapan terbuka");
    const after = await metrics();
    expect(count(after)).toBe(count(before) + 1);
    expect(sample(after, "pantau_update_duration_seconds_sum", { type: "message" })).toBeGreaterThan(0);
    expect(sample(after, "pantau_updates_queued")).toBe(0);
  });

  it("when Telegram refuses a call or asks to wait, then /metrics counts the error by code and the wait in seconds", async () => {
    h.emulator.injectFault("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1, chatId: focalPoint.id });
    // Answered all the same, once the second asked for has passed.
    expect(await ask(focalPoint, "/tugas")).toContain("Tahapan terbuka");
    const text = await metrics();
    expect(sample(text, "pantau_telegram_errors_total", { method: "sendMessage", code: "429" })).toBe(1);
    expect(sample(text, "pantau_telegram_rate_limited_total")).toBe(1);
    expect(sample(text, "pantau_telegram_rate_limit_wait_seconds_total")).toBe(1);
  });

  it("when messages wait in the outbox and a backup was made, then /metrics and the admin's /sistem show the depth, the oldest age and the backup", async () => {
    const rina = await h.db.person.findFirstOrThrow({ where: { telegramId: BigInt(focalPoint.id) } });
    const step = await h.db.milestone.findFirstOrThrow({ where: { title: "Penyusunan SOP layanan" } });
    // A nudge due two hours ago that no pass has sent yet (the harness runs none by itself).
    await enqueue(h.db, [
      { key: "test:waiting-nudge", kind: "nudge", personId: rina.id, milestoneId: step.id, dueAt: new Date(h.clock.getTime() - 2 * 3600_000) },
    ]);
    const file = path.join(mkdtempSync(path.join(os.tmpdir(), "pantau-backup-")), "cadangan.jsonl.gz");
    expect((await h.cli("backup", file)).code).toBe(0);

    const text = await metrics();
    expect(sample(text, "pantau_outbox_due_messages")).toBe(1);
    expect(sample(text, "pantau_outbox_oldest_due_age_seconds")).toBe(7200);
    expect(sample(text, "pantau_backup_last_success_timestamp_seconds")).toBeGreaterThan(wallClock() / 1000 - 60);

    const status = await ask(admin, "/sistem");
    const people = await h.db.person.count();
    expect(status.split("\n")).toEqual([
      "🖥 Sistem Pantau",
      `Versi 0.1.0 · basis data ${kind === "sqlite" ? "SQLite" : "PostgreSQL"}`,
      expect.stringMatching(/^Berjalan selama .+ \(proses ini\)\.$/),
      "Antrean kirim: 1 pesan jatuh tempo, yang tertua menunggu 2 jam 0 menit.",
      expect.stringMatching(/^Putaran pengingat terakhir \(proses ini\): Selasa, 11 Januari 2022 pukul 09\.00, berhasil, \d+,\d detik\.$/),
      expect.stringMatching(/^Cadangan terakhir \(admin\): .* pukul \d\d\.\d\d, cadangan\.jsonl\.gz\.$/),
      "Cadangan harian mati: BACKUP_DIR tidak diatur.",
      `Orang terdaftar: 1 (dikenal bot: ${people}) · unit: 4.`,
    ]);
    rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it("when an English-speaking admin asks /system, then the same status comes in English", async () => {
    const status = await ask(adminEn, "/system");
    expect(status).toContain("🖥 Pantau system");
    expect(status).toContain(`Version 0.1.0 · database ${kind === "sqlite" ? "SQLite" : "PostgreSQL"}`);
    expect(status).toContain("Send queue: 1 message due, the oldest waiting 2 h 0 min.");
    expect(status).toMatch(/Last reminder pass \(this process\): Tuesday, 11 January 2022 at 09:00, succeeded/);
    expect(status).toContain("People registered: 1");
  });

  it("when someone who is not an admin asks /sistem, then they are refused as for any command not theirs", async () => {
    expect(await ask(focalPoint, "/sistem")).toContain("Perintah ini bukan untuk peran Anda");
    expect(await ask(stranger, "/sistem")).toContain("belum terdaftar");
    expect(await ask(stranger, "/system")).not.toContain("Sistem");
  });

  it("when an admin asks /bantuan, then /sistem is listed; a focal point's /bantuan does not list it", async () => {
    expect(await ask(admin, "/bantuan")).toContain("/sistem — Keadaan sistem");
    expect(await ask(adminEn, "/help")).toContain("/system — System status");
    expect(await ask(focalPoint, "/bantuan")).not.toContain("sistem");
  });

  it("after all of it, /metrics shows no person's or chat's id anywhere", async () => {
    const text = await metrics();
    for (const user of everyone) expect(text).not.toContain(String(user.id));
    // No label value is id-like: only short fixed words, codes and bucket bounds.
    const values = [...text.matchAll(/\{([^}]*)\}/g)].flatMap((m) => [...m[1]!.matchAll(/(\w+)="([^"]*)"/g)].map((x) => `${x[1]}=${x[2]}`));
    expect(values.length).toBeGreaterThan(10);
    expect(values.filter((v) => /=-?\d{5,}$/.test(v))).toEqual([]);
    for (const name of new Set(values.map((v) => v.split("=")[0]))) expect(name).not.toMatch(/chat|person|user|update|telegram|^id$/i);
  });
});
