import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { databaseKinds, Harness } from "../support/harness.js";

// One busy chat holds nobody else's answer: a person sending a burst of commands is answered
// in order, in their own chat's time, while someone else asking meanwhile is answered at once.
// A stop answers what the bot had already taken in, and a restart offered an update again (its
// confirmation failed) does not answer it twice.

let nextUser = 7400;
const newUser = (): EmuUser => ({ id: nextUser++, first_name: "Orang", language_code: "id" });
/** Commands whose answers tell them apart: how to get an invite, and "not registered". */
const burst = (n: number) => Array.from({ length: n }, (_, i) => (i % 2 === 0 ? "/start" : "halo"));
const expected = (i: number) => (i % 2 === 0 ? "tautan undangan" : "belum terdaftar");

describe.each(await databaseKinds())("busy chats on %s", (kind) => {
  let h: Harness;

  beforeAll(async () => {
    h = await Harness.create(kind);
    await h.startBot();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when someone's burst of commands is being answered, then another person's command is answered before that burst is, and the burst's answers keep their order", async () => {
    const busy = newUser();
    const other = newUser();
    const texts = burst(16);
    for (const text of texts) await h.emulator.sendText(busy, text);
    // The burst is being answered when the other person writes.
    for (let i = 0; i < 2; i++) expect((await h.emulator.waitForMessage(busy.id)).plainText).toContain(expected(i));
    await h.emulator.sendText(other, "/start");
    expect((await h.emulator.waitForMessage(other.id)).plainText).toContain("tautan undangan");
    expect(h.emulator.messages(busy.id).length).toBeLessThan(texts.length);

    await h.answered();
    const answers = h.emulator.messages(busy.id).map((m) => m.plainText ?? "");
    expect(answers).toHaveLength(texts.length);
    answers.forEach((answer, i) => expect(answer).toContain(expected(i)));
  }, 60_000);

  it("when the bot stops while a burst it took in is still being answered, then every command is answered once, before the stop ends and not again after the restart", async () => {
    const busy = newUser();
    const texts = burst(10);
    for (const text of texts) await h.emulator.sendText(busy, text);
    // Every update was fetched (Telegram forgets them once the bot asks for the next ones).
    await h.emulator.idle();
    expect(h.emulator.messages(busy.id).length).toBeLessThan(texts.length);
    await h.restartBot();
    expect(h.emulator.messages(busy.id)).toHaveLength(texts.length);

    await h.emulator.sendText(busy, "/start");
    await h.answered();
    const answers = h.emulator.messages(busy.id).map((m) => m.plainText ?? "");
    expect(answers).toHaveLength(texts.length + 1);
    answers.forEach((answer, i) => expect(answer).toContain(expected(i)));
  }, 60_000);

  it("when the bot could not confirm an update it answered and is restarted, then Telegram offering that update again does not get it answered twice", async () => {
    const person = newUser();
    // A poll that has just arrived is held: the update pushed now is fetched by it. The emulator
    // holds an empty poll for a second, so the next one may be that long (more on a busy machine).
    const polls = h.emulator.calls("getUpdates").length;
    await expect.poll(() => h.emulator.calls("getUpdates").length, { interval: 2, timeout: 10_000 }).toBeGreaterThan(polls);
    // The polls after it fail (the confirmation, and the stop's last one): Telegram keeps the update.
    h.emulator.injectFault("getUpdates", { times: 2, error_code: 429, description: "Too Many Requests: retry after 60", retry_after: 60 });
    const { update_id } = await h.emulator.sendText(person, "/start");
    expect((await h.emulator.waitForMessage(person.id)).plainText).toContain("tautan undangan");

    h.logs.length = 0;
    await h.restartBot();
    await h.emulator.handled(update_id);
    await h.answered();
    expect(h.emulator.messages(person.id)).toHaveLength(1);
    // It was offered again, and skipped.
    expect(h.logs.some((line) => line.includes("update already handled, skipped"))).toBe(true);
  }, 60_000);
});
