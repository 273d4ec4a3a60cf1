import { randomBytes } from "node:crypto";
import net, { type AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunningPantau } from "../../src/app.js";
import { maxBodyBytes, registerWebhook, type AcceptUpdate } from "../../src/bot/webhook.js";
import type { Prisma } from "../../src/db/connection.js";
import { createHttpServer, type HttpServer } from "../../src/http/server.js";
import { createLogger } from "../../src/logger.js";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { unreachableDatabase } from "../support/databases.js";
import { databaseKinds, Harness } from "../support/harness.js";

// Webhook mode through its real door: `startPantau` with WEBHOOK_URL, our own HTTP server, the
// real telegraf bot answering through a Bot API emulator, on SQLite and PostgreSQL. The test
// plays Telegram and POSTs the updates itself.

const webhookPath = `/tg/${randomBytes(12).toString("hex")}`;
const webhookUrl = `https://bot.example.test${webhookPath}`;
const secret = randomBytes(24).toString("base64url");

let nextUser = 7100;
const newUser = (): EmuUser => ({ id: nextUser++, first_name: "Orang", language_code: "id" });

let nextUpdateId = 1000;

/** A private-chat text message update, as Telegram POSTs it (commands carry a bot_command entity). */
function textUpdate(user: EmuUser, text: string, updateId = nextUpdateId++): Record<string, unknown> {
  const command = /^\/[A-Za-z0-9_]+/.exec(text);
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      from: { id: user.id, is_bot: false, first_name: user.first_name, language_code: user.language_code },
      chat: { id: user.id, type: "private", first_name: user.first_name },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command[0].length }] } : {}),
    },
  };
}

interface Answer {
  status: number;
  body: string;
}

/** POSTs like Telegram does: the secret header unless told otherwise (null: no header). */
async function post(port: number, body: unknown, opts: { secret?: string | null; path?: string } = {}): Promise<Answer> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  const token = opts.secret === undefined ? secret : opts.secret;
  if (token !== null) headers["x-telegram-bot-api-secret-token"] = token;
  const res = await fetch(`http://127.0.0.1:${port}${opts.path ?? webhookPath}`, {
    method: "POST",
    headers,
    body: typeof body === "string" || Buffer.isBuffer(body) ? body : JSON.stringify(body),
  });
  return { status: res.status, body: await res.text() };
}

async function get(port: number, pathname: string): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${port}${pathname}`);
  return { status: res.status, body: await res.text() };
}

/** A port nobody listens on right now (the config wants 1–65535, so 0 is not an option). */
async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "0.0.0.0", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const webhookEnv = (port: number): NodeJS.ProcessEnv => ({ WEBHOOK_URL: webhookUrl, WEBHOOK_SECRET: secret, PORT: String(port) });

function captureLogger(): { logger: ReturnType<typeof createLogger>; lines: string[] } {
  const lines: string[] = [];
  const sink = new Writable({
    write: (chunk, _encoding, done) => {
      lines.push(String(chunk));
      done();
    },
  });
  return { logger: createLogger("debug", sink), lines };
}

const neverCalled: AcceptUpdate = () => Promise.reject(new Error("the bot must not see this update"));

/** Pantau's HTTP server with the webhook route alone, on a free port of 127.0.0.1. */
async function webhookServer(accept: AcceptUpdate, db: Prisma, logger: ReturnType<typeof createLogger>): Promise<{ server: HttpServer; bound: number }> {
  const server = createHttpServer(logger);
  registerWebhook(server, { accept, db, secret, path: webhookPath, logger });
  return { server, bound: await server.listen(0, "127.0.0.1") };
}

describe.each(await databaseKinds())("webhook mode on %s", (kind) => {
  let h: Harness;
  let first: RunningPantau | null = null;
  let port = 0;

  beforeAll(async () => {
    h = await Harness.create(kind);
    port = await freePort();
    first = await h.startInstance(webhookEnv(port));
  });
  afterAll(async () => {
    await first?.stop();
    await h?.stop();
  });

  it("when started with WEBHOOK_URL, then it sets the webhook with the URL, the secret and the update types, and never polls", async () => {
    const calls = h.emulator.calls("setWebhook");
    expect(calls).toHaveLength(1);
    expect(calls[0]!.params).toMatchObject({
      url: webhookUrl,
      secret_token: secret,
      allowed_updates: ["message", "edited_message", "callback_query", "my_chat_member"],
      drop_pending_updates: false,
    });
    expect(h.emulator.calls("getUpdates")).toHaveLength(0);

    // Listening on every interface (a proxy elsewhere forwards Telegram's calls), the port told.
    const started = h.logs.find((l) => l.includes("Pantau started")) ?? "";
    expect(started).toContain('"mode":"webhook"');
    expect(started).toContain('"webhook":"bot.example.test"');
    expect(started).toContain(`"listen":"0.0.0.0:${port}"`);
    const logs = h.logs.join("");
    expect(logs).not.toContain(secret);
    expect(logs).not.toContain(webhookPath);
    expect(logs).not.toContain(h.emulator.token.split(":")[1]);
  });

  it("when a stranger sends /start through the webhook, then the bot answers in Indonesian how to get an invite", async () => {
    const stranger = newUser();
    h.emulator.seedPrivateChat(stranger);
    expect((await post(port, textUpdate(stranger, "/start"))).status).toBe(200);
    expect((await h.emulator.waitForMessage(stranger.id)).plainText).toContain("tautan undangan");

    expect((await post(port, textUpdate(stranger, "halo"))).status).toBe(200);
    expect((await h.emulator.waitForMessage(stranger.id)).plainText).toContain("belum terdaftar");
  });

  it("when the secret header is missing or wrong, then the answer is 401 and the bot does nothing", async () => {
    const user = newUser();
    h.emulator.seedPrivateChat(user);
    const wrongCase = secret.toUpperCase() === secret ? secret.toLowerCase() : secret.toUpperCase();
    const attempts = [null, "salah", `${secret}x`, wrongCase].map((token) => ({ token, update: textUpdate(user, "/start") }));
    const refused = [];
    for (const { token, update } of attempts) refused.push((await post(port, update, { secret: token })).status);
    expect(refused).toEqual([401, 401, 401, 401]);

    // The next genuine update is answered, and its answer is the only message in the chat.
    expect((await post(port, textUpdate(user, "halo"))).status).toBe(200);
    expect((await h.emulator.waitForMessage(user.id)).plainText).toContain("belum terdaftar");
    expect(h.emulator.messages(user.id)).toHaveLength(1);
    // Refused updates were not even recorded.
    const ids = attempts.map(({ update }) => BigInt(update.update_id as number));
    expect(await h.db.processedUpdate.count({ where: { updateId: { in: ids } } })).toBe(0);
  });

  it("when Telegram redelivers an update, one after the other or at the same time, then it is answered once", async () => {
    const user = newUser();
    h.emulator.seedPrivateChat(user);

    const update = textUpdate(user, "/start");
    expect((await post(port, update)).status).toBe(200);
    expect((await post(port, update)).status).toBe(200);
    await first!.handled();
    expect(h.emulator.messages(user.id)).toHaveLength(1);

    const concurrent = textUpdate(user, "halo");
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(port, concurrent)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
    await first!.handled();
    const sent = h.emulator.messages(user.id);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.plainText).toContain("belum terdaftar");
    expect(
      await h.db.processedUpdate.count({ where: { updateId: { in: [BigInt(update.update_id as number), BigInt(concurrent.update_id as number)] } } }),
    ).toBe(2);
  });

  it("when one person sends many updates, then their answers keep the order they were sent in, and another person's answer does not wait for them", async () => {
    const busy = newUser();
    const other = newUser();
    for (const user of [busy, other]) h.emulator.seedPrivateChat(user);
    const texts = Array.from({ length: 12 }, (_, i) => (i % 2 === 0 ? "/start" : "halo"));
    for (const text of texts) expect((await post(port, textUpdate(busy, text))).status).toBe(200);
    expect((await post(port, textUpdate(other, "/start"))).status).toBe(200);
    expect((await h.emulator.waitForMessage(other.id)).plainText).toContain("tautan undangan");
    // The other person had their answer while the first person's were still on their way.
    expect(h.emulator.messages(busy.id).length).toBeLessThan(texts.length);

    await first!.handled();
    const answers = h.emulator.messages(busy.id).map((m) => m.plainText ?? "");
    expect(answers).toHaveLength(texts.length);
    answers.forEach((answer, i) => expect(answer).toContain(i % 2 === 0 ? "tautan undangan" : "belum terdaftar"));
  }, 30_000);

  it("when the request is not an update, then it is refused with 400 or 413 and nothing is recorded", async () => {
    const before = await h.db.processedUpdate.count();
    expect((await post(port, "{not json")).status).toBe(400);
    expect((await post(port, "")).status).toBe(400);
    expect((await post(port, [1, 2])).status).toBe(400);
    expect((await post(port, { message: {} })).status).toBe(400);
    expect((await post(port, { update_id: "77" })).status).toBe(400);
    expect((await post(port, { update_id: 1.5 })).status).toBe(400);
    expect((await post(port, { update_id: -3 })).status).toBe(400);

    const huge = { ...textUpdate(newUser(), "halo"), padding: "x".repeat(maxBodyBytes) };
    expect((await post(port, huge)).status).toBe(413);
    // Without the secret the size does not matter: 401 first.
    expect((await post(port, huge, { secret: null })).status).toBe(401);
    expect(await h.db.processedUpdate.count()).toBe(before);
  });

  it("when something else is asked, then the answer is 404", async () => {
    expect((await post(port, textUpdate(newUser(), "/start"), { path: "/" })).status).toBe(404);
    expect((await post(port, textUpdate(newUser(), "/start"), { path: `${webhookPath}/x` })).status).toBe(404);
    expect((await get(port, webhookPath)).status).toBe(404);
    expect((await get(port, "/")).status).toBe(404);
    expect((await get(port, "//bot.example.test/healthz")).status).toBe(404);
    expect((await get(port, "/health")).status).toBe(404);
  });

  it("when a load balancer asks /healthz and /readyz on the webhook's port, then both are 200", async () => {
    const alive = await get(port, "/healthz");
    expect(alive.status).toBe(200);
    expect(JSON.parse(alive.body)).toEqual({ status: "ok" });
    const ready = await get(port, "/readyz?probe=1");
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: "ready", checks: { database: { ok: true }, updates: { ok: true } } });
  });

  it("when the database does not answer, then an update gets 500 so that Telegram retries it", async () => {
    const db = unreachableDatabase(kind);
    const { logger, lines } = captureLogger();
    const { server, bound } = await webhookServer(neverCalled, db, logger);
    try {
      expect((await post(bound, textUpdate(newUser(), "/start"))).status).toBe(500);
      expect(lines.join("")).toContain("could not record a webhook update");
    } finally {
      await server.close();
      await db.$disconnect().catch(() => undefined);
    }
  });

  it("when the bot throws outside its error handler, then the answer is still 200 and a redelivery is skipped (at most once)", async () => {
    const { logger, lines } = captureLogger();
    let calls = 0;
    const failing: AcceptUpdate = () => {
      calls++;
      return Promise.reject(new Error("boom"));
    };
    const { server, bound } = await webhookServer(failing, h.db, logger);
    try {
      const update = textUpdate(newUser(), "/start");
      expect((await post(bound, update)).status).toBe(200);
      expect((await post(bound, update)).status).toBe(200);
      expect(calls).toBe(1);
      expect(lines.join("")).toContain("update failed outside the bot's error handler");
    } finally {
      await server.close();
    }
  });

  it("when stopped, then it answers the request in flight before closing", async () => {
    const { logger } = captureLogger();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const inside = new Promise<void>((resolve) => (entered = resolve));
    const slow: AcceptUpdate = async () => {
      entered();
      await gate;
    };
    const { server, bound } = await webhookServer(slow, h.db, logger);
    const answer = post(bound, textUpdate(newUser(), "/start"));
    await inside;
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    // Closing waits; new connections are refused meanwhile.
    await expect(get(bound, "/healthz")).rejects.toThrow();
    expect(closed).toBe(false);
    release();
    expect((await answer).status).toBe(200);
    await closing;
    expect(closed).toBe(true);
  });

  it("when two instances share the database and both receive the same updates, then each is answered once", async () => {
    const secondPort = await freePort();
    const second = await h.startInstance(webhookEnv(secondPort));
    try {
      expect(h.emulator.calls("setWebhook")).toHaveLength(2);
      const users = Array.from({ length: 4 }, newUser);
      for (const user of users) h.emulator.seedPrivateChat(user);
      const updates = users.map((user) => textUpdate(user, "/start"));
      const answers = await Promise.all(updates.flatMap((u) => [post(port, u), post(secondPort, u), post(port, u), post(secondPort, u)]));
      expect(answers.every((a) => a.status === 200)).toBe(true);
      await Promise.all([first!.handled(), second.handled()]);
      for (const user of users) {
        expect(h.emulator.messages(user.id)).toHaveLength(1);
        expect(h.emulator.messages(user.id)[0]!.plainText).toContain("tautan undangan");
      }
    } finally {
      await second.stop();
    }
    // One instance stopping leaves the webhook set for the others, and they go on answering.
    expect(h.emulator.calls("deleteWebhook")).toHaveLength(0);
    const user = newUser();
    h.emulator.seedPrivateChat(user);
    expect((await post(port, textUpdate(user, "halo"))).status).toBe(200);
    expect((await h.emulator.waitForMessage(user.id)).plainText).toContain("belum terdaftar");
  });

  it("when the port is taken, then starting rejects", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "0.0.0.0", () => resolve()));
    const takenPort = (taken.address() as AddressInfo).port;
    try {
      await expect(h.startInstance(webhookEnv(takenPort))).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });
});
