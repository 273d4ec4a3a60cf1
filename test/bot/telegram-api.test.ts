import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Telegram, TelegramError } from "telegraf";
import { applyApiPolicy, bulkClient, holdBulk, type ApiPolicyOptions } from "../../src/bot/telegram-api.js";
import { createLogger } from "../../src/logger.js";
import { BotApiEmulator, type EmuUser } from "../support/bot-api-emulator.js";

// Every Bot API call of Pantau goes through one policy: Telegram's limits, 429 retry_after,
// retries of 5xx answers and network errors, 403 left to the caller, migrated groups followed.
// Checked against the Bot API emulator, from the times at which its calls arrived.

const users = (n: number, from = 9000): EmuUser[] => Array.from({ length: n }, (_, i) => ({ id: from + i, first_name: `Orang ${i + 1}`, language_code: "id" }));

/** Most calls that arrived in any window of `ms` (half-open), from the emulator's log. */
function busiestWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= ms) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe("the Bot API policy", () => {
  let emulator: BotApiEmulator;
  let telegram: Telegram;
  const migrations: [number, number][] = [];

  function client(options: Partial<ApiPolicyOptions> = {}): Telegram {
    const tg = new Telegram(emulator.token, { apiRoot: emulator.apiRoot });
    applyApiPolicy(tg, {
      messagesPerSecond: 28,
      logger: createLogger("silent"),
      backoffMs: 50,
      onChatMigrated: async (from, to) => {
        migrations.push([from, to]);
      },
      ...options,
    });
    return tg;
  }

  beforeEach(async () => {
    emulator = await BotApiEmulator.start();
    telegram = client();
    migrations.length = 0;
  });
  afterEach(async () => {
    await emulator.stop();
  });

  it("when Telegram answers 429 during a broadcast, then no call is made before retry_after and everyone gets one copy", async () => {
    const people = users(60);
    for (const u of people) emulator.seedPrivateChat(u);
    emulator.injectFault("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1, times: 3 });
    const bulk = bulkClient(telegram);
    await Promise.all(people.map((u) => bulk.sendMessage(u.id, `Rapat evaluasi Jumat, ${u.first_name}`)));

    for (const u of people) expect(emulator.messages(u.id)).toHaveLength(1);
    const calls = emulator.calls("sendMessage");
    // After each pause the queue resumes at the rate, not in a burst.
    expect(
      busiestWindow(
        calls.map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(29);
    const refusals = calls.filter((c) => c.error?.error_code === 429);
    expect(refusals).toHaveLength(3);
    for (const refusal of refusals) {
      // Nothing reached Telegram between a 429 and its retry_after, but for calls already on their
      // way when the 429 was answered (300 ms for those on a machine running the suite's other
      // files: 100 ms was seen exceeded; calls are 36 ms apart at 28/s, so a policy ignoring
      // retry_after would still show some nineteen calls here).
      const early = calls.filter((c) => c.at > refusal.at + 300 && c.at < refusal.at + 1000 - 15);
      expect(early).toEqual([]);
    }
  });

  it("when many people are messaged at once, then the global rate stays within the configured limit", async () => {
    const people = users(40);
    for (const u of people) emulator.seedPrivateChat(u);
    const limited = client({ messagesPerSecond: 20 });
    const started = Date.now();
    await Promise.all(people.map((u) => limited.sendMessage(u.id, "Pengumuman")));
    const elapsed = Date.now() - started;
    const times = emulator.calls("sendMessage").map((c) => c.at);
    expect(times).toHaveLength(40);
    expect(busiestWindow(times, 1000)).toBeLessThanOrEqual(21);
    // And it is not slower than it has to be: 40 messages at 20/s take about two seconds.
    expect(elapsed).toBeGreaterThanOrEqual(1900);
  });

  it("when a person's answer is several messages, then the first five arrive together and the rest a second apart; in a group every message three seconds apart", async () => {
    const [rina] = users(1);
    emulator.seedPrivateChat(rina!);
    const group = { id: -4001, type: "group" as const, title: "Koordinator Inovasi Babar" };
    await emulator.addBotToGroup(rina!, group);
    await Promise.all([1, 2, 3, 4, 5, 6, 7].map((i) => telegram.sendMessage(rina!.id, `Pesan ${i}`)));
    await Promise.all([1, 2, 3].map((i) => telegram.sendMessage(group.id, `Rekap ${i}`)));

    const at = (chatId: number) =>
      emulator
        .calls("sendMessage")
        .filter((c) => Number(c.params.chat_id) === chatId)
        .map((c) => c.at);
    const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
    const toRina = at(rina!.id);
    // Telegram tolerates a short burst to one private chat: a person's own answer is not spaced.
    expect(toRina[4]! - toRina[0]!).toBeLessThan(500);
    for (const gap of gaps(toRina).slice(4)) expect(gap).toBeGreaterThanOrEqual(1000 - 50);
    for (const gap of gaps(at(group.id))) expect(gap).toBeGreaterThanOrEqual(3000 - 50);
    expect(emulator.messages(rina!.id).map((m) => m.text)).toEqual([1, 2, 3, 4, 5, 6, 7].map((i) => `Pesan ${i}`));
  }, 20_000);

  it("when reminders are queued for a person, then an answer to them goes before the rest of those reminders, which stay a second apart", async () => {
    const [rina] = users(1);
    emulator.seedPrivateChat(rina!);
    const bulk = bulkClient(telegram);
    const reminders = [1, 2, 3, 4].map((i) => bulk.sendMessage(rina!.id, `Pengingat ${i}`));
    await emulator.waitForMessage(rina!.id);
    await telegram.sendMessage(rina!.id, "Tugas Anda");
    await Promise.all(reminders);

    expect(emulator.messages(rina!.id).map((m) => m.text)).toEqual(["Pengingat 1", "Tugas Anda", "Pengingat 2", "Pengingat 3", "Pengingat 4"]);
    const reminderTimes = emulator
      .calls("sendMessage")
      .filter((c) => String(c.params.text).startsWith("Pengingat"))
      .map((c) => c.at);
    for (const gap of reminderTimes.slice(1).map((t, i) => t - reminderTimes[i]!)) expect(gap).toBeGreaterThanOrEqual(1000 - 50);
  }, 20_000);

  it("when a person's update is being answered, then the reminders due to them wait until the answer is sent, and others' do not", async () => {
    const [rina, dewi] = users(2);
    for (const u of [rina!, dewi!]) emulator.seedPrivateChat(u);
    const bulk = bulkClient(telegram);
    const release = holdBulk(telegram, rina!.id);
    const reminders = [1, 2].map((i) => bulk.sendMessage(rina!.id, `Pengingat ${i}`));
    await bulk.sendMessage(dewi!.id, "Pengingat Dewi");
    expect(emulator.messages(rina!.id)).toHaveLength(0);
    // The answer takes its time to make (a chart), then goes; the reminders follow it.
    await telegram.sendMessage(rina!.id, "Rekap");
    release();
    release();
    await Promise.all(reminders);
    expect(emulator.messages(rina!.id).map((m) => m.text)).toEqual(["Rekap", "Pengingat 1", "Pengingat 2"]);
  }, 20_000);

  it("when a person's updates keep being answered, then the reminders due to them wait only up to the longest hold", async () => {
    const [rina] = users(1, 9300);
    emulator.seedPrivateChat(rina!);
    const patient = client({ longestHoldMs: 300 });
    holdBulk(patient, rina!.id);
    await bulkClient(patient).sendMessage(rina!.id, "Pengingat");
    expect(emulator.messages(rina!.id).map((m) => m.text)).toEqual(["Pengingat"]);
  }, 20_000);

  it("when a broadcast fills the queue, then one chat's messages still leave a second apart and a group's three", async () => {
    // A long global queue is where spacing counted at entry into the queue goes wrong: the
    // messages wait there together and then leave one global interval apart.
    const crowd = users(80, 9100);
    const [rina] = users(1);
    for (const u of [...crowd, rina!]) emulator.seedPrivateChat(u);
    const group = { id: -4002, type: "group" as const, title: "Forum OPD Bangka Barat" };
    await emulator.addBotToGroup(rina!, group);
    const fast = client({ messagesPerSecond: 20 });
    const bulk = bulkClient(fast);
    await Promise.all([
      ...crowd.map((u) => bulk.sendMessage(u.id, "Siaran")),
      ...[1, 2, 3, 4, 5].map((i) => bulk.sendMessage(rina!.id, `Pengingat ${i}`)),
      ...[1, 2, 3].map((i) => bulk.sendMessage(group.id, `Rekap ${i}`)),
    ]);

    const at = (chatId: number) =>
      emulator
        .calls("sendMessage")
        .filter((c) => Number(c.params.chat_id) === chatId)
        .map((c) => c.at);
    const gaps = (times: number[]) => times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.min(...gaps(at(rina!.id)))).toBeGreaterThanOrEqual(1000 - 50);
    expect(Math.min(...gaps(at(group.id)))).toBeGreaterThanOrEqual(3000 - 50);
    expect(emulator.messages(rina!.id).map((m) => m.text)).toEqual([1, 2, 3, 4, 5].map((i) => `Pengingat ${i}`));
    expect(
      busiestWindow(
        emulator.calls("sendMessage").map((c) => c.at),
        1000,
      ),
    ).toBeLessThanOrEqual(21);
  }, 30_000);

  it("when Telegram answers 5xx a few times, then the call is retried and the message arrives once", async () => {
    const [rina] = users(1);
    emulator.seedPrivateChat(rina!);
    emulator.injectFault("sendMessage", { error_code: 502, description: "Bad Gateway", times: 3 });
    const sent = await telegram.sendMessage(rina!.id, "Pengingat tenggat");
    expect(sent.text).toBe("Pengingat tenggat");
    expect(emulator.messages(rina!.id)).toHaveLength(1);
    expect(emulator.calls("sendMessage")).toHaveLength(4);
  });

  it("when 5xx answers go on, then the caller gets the error after a bounded number of attempts", async () => {
    const [rina] = users(1);
    emulator.seedPrivateChat(rina!);
    emulator.injectFault("sendMessage", { error_code: 500, description: "Internal Server Error", times: 50 });
    const failing = client({ maxAttempts: 3 });
    await expect(failing.sendMessage(rina!.id, "x")).rejects.toMatchObject({ code: 500 });
    expect(emulator.calls("sendMessage")).toHaveLength(3);
  });

  it("when the person blocked the bot, then the 403 reaches the caller at once and is not retried", async () => {
    const [rina] = users(1);
    emulator.seedPrivateChat(rina!);
    await emulator.blockBot(rina!);
    const error = await telegram.sendMessage(rina!.id, "Pengingat").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TelegramError);
    expect((error as TelegramError).code).toBe(403);
    expect(emulator.calls("sendMessage")).toHaveLength(1);
  });

  it("when a group was upgraded to a supergroup, then the message goes to the new chat and the move is reported", async () => {
    const [budi] = users(1);
    const group = { id: -4002, type: "group" as const, title: "Tim Inovasi" };
    await emulator.addBotToGroup(budi!, group);
    const newId = emulator.migrateToSupergroup(budi!, group.id);
    const sent = await telegram.sendMessage(group.id, "Rekap mingguan");
    expect(sent.chat.id).toBe(newId);
    expect(emulator.messages(newId).map((m) => m.text)).toEqual(["Rekap mingguan"]);
    expect(migrations).toEqual([[group.id, newId]]);
  });
});
