import { describe, expect, it } from "vitest";
import type { Update } from "telegraf/types";
import { FloodGuard, FloodLimiter, type FloodVerdict } from "../../src/bot/flood-limit.js";

const second = 1000;
const minute = 60 * second;

/** The verdicts on `count` updates of one person, `gapMs` apart from `start`. */
function send(limiter: FloodLimiter, key: number, count: number, start: number, gapMs: number): FloodVerdict[] {
  return Array.from({ length: count }, (_, i) => limiter.take(key, start + i * gapMs));
}
const tally = (verdicts: FloodVerdict[]) => ({
  pass: verdicts.filter((v) => v === "pass").length,
  notify: verdicts.filter((v) => v === "notify").length,
  drop: verdicts.filter((v) => v === "drop").length,
});

describe("FloodLimiter", () => {
  it("when a group's limit has a short burst, then only the burst passes at once and the rest at the minute's rate", () => {
    const limiter = new FloodLimiter({ perMinute: 20, burst: 5 });
    const verdicts = send(limiter, -100, 60, 0, 100);
    expect(verdicts.slice(0, 5)).toEqual(["pass", "pass", "pass", "pass", "pass"]);
    // 60 over 5.9 s: the burst, then one every three seconds.
    expect(tally(verdicts).pass).toBe(5 + Math.floor(5900 / 3000));
    expect(limiter.take(-100, 5900 + 3 * second)).toBe("pass");
  });

  it("when a person sends 300 updates within a minute, then 30 pass at once, about 30 more over the minute, one notice, the rest dropped", () => {
    const limiter = new FloodLimiter({ perMinute: 30 });
    const verdicts = send(limiter, 1, 300, 0, 200);
    expect(verdicts.slice(0, 30).every((v) => v === "pass")).toBe(true);
    expect(verdicts.find((v) => v !== "pass")).toBe("notify");
    const counts = tally(verdicts);
    expect(counts.notify).toBe(1);
    // 300 updates over 59.8 s: the 30 at once plus one every two seconds after the first drop.
    expect(counts.pass).toBeGreaterThanOrEqual(55);
    expect(counts.pass).toBeLessThanOrEqual(60);
    expect(counts.drop).toBe(300 - counts.pass - 1);
  });

  it("when a script floods for an hour, then it gets one notice and passes at the limit's rate, never more", () => {
    const limiter = new FloodLimiter({ perMinute: 60 });
    const counts = tally(send(limiter, 1, 36_000, 0, 100));
    expect(counts.notify).toBe(1);
    expect(counts.pass).toBeLessThanOrEqual(60 + 60 * 60);
    expect(counts.pass).toBeGreaterThan(60 * 59);
  });

  it("when a flooding person stops, then they pass again at once, and a new flood after a quiet minute gets a new notice", () => {
    const limiter = new FloodLimiter({ perMinute: 20 });
    expect(tally(send(limiter, 1, 100, 0, 10)).notify).toBe(1);
    // One token back after three seconds: answered again, still the same episode.
    expect(limiter.take(1, 4 * second)).toBe("pass");
    expect(tally(send(limiter, 1, 50, 4 * second + 10, 10))).toEqual({ pass: 0, notify: 0, drop: 50 });
    // A full minute's refill ends the episode.
    const later = 2 * minute;
    expect(tally(send(limiter, 1, 30, later, 10))).toEqual({ pass: 20, notify: 1, drop: 9 });
  });

  it("when people use the bot fast but like people (a 10-photo album, quick taps, a long flow), then nothing is dropped", () => {
    const limiter = new FloodLimiter({ perMinute: 60 });
    const album = send(limiter, 1, 10, 0, 5);
    const taps = send(limiter, 1, 20, 2 * second, 400);
    const flow = send(limiter, 1, 120, 12 * second, 1500);
    expect(tally([...album, ...taps, ...flow]).pass).toBe(150);
  });

  it("when a person is refused, then the wait it names ends at their next token, not before", () => {
    const limiter = new FloodLimiter({ perMinute: 60 });
    send(limiter, 1, 60, 0, 0);
    expect(limiter.take(1, 250)).toBe("notify");
    const wait = limiter.waitMs(1, 250);
    expect(wait).toBe(750);
    expect(limiter.take(1, 250 + wait - 1)).toBe("drop");
    expect(limiter.take(1, 250 + wait)).toBe("pass");
    // Someone with tokens left, or never seen, has nothing to wait for.
    expect(limiter.waitMs(2, 0)).toBe(0);
    limiter.take(2, 0);
    expect(limiter.waitMs(2, 0)).toBe(0);
  });

  it("when one person floods, then others are not affected", () => {
    const limiter = new FloodLimiter({ perMinute: 20 });
    send(limiter, 1, 500, 0, 1);
    expect(send(limiter, 2, 20, 0, 1).every((v) => v === "pass")).toBe(true);
  });

  it("when a hundred thousand different people write, then at most maxPeople are tracked, the longest idle forgotten first", () => {
    const limiter = new FloodLimiter({ perMinute: 10, maxPeople: 1000 });
    // Person 1 floods and stays in its episode while everyone else writes once.
    send(limiter, 1, 20, 0, 1);
    let most = 0;
    for (let id = 2; id < 100_000; id++) {
      limiter.take(id, 100 + id / 1000);
      if (id % 500 === 0) limiter.take(1, 100 + id / 1000);
      most = Math.max(most, limiter.size);
    }
    expect(most).toBe(1000);
    // Still remembered (recently seen): still dropped, no second notice.
    expect(limiter.take(1, 200)).toBe("drop");
  });
});

describe("FloodGuard", () => {
  let nextId = 1;
  const text = (person: number, chat: number, body: string) =>
    ({
      update_id: nextId++,
      message: {
        message_id: nextId,
        date: 0,
        text: body,
        from: { id: person, is_bot: false, first_name: "Rina" },
        chat: { id: chat, type: chat < 0 ? "group" : "private" },
      },
    }) as unknown as Update;
  const blocked = (person: number) =>
    ({
      update_id: nextId++,
      my_chat_member: { chat: { id: person, type: "private" }, from: { id: person }, date: 0, old_chat_member: {}, new_chat_member: {} },
    }) as unknown as Update;

  it("when updates arrive, then each is judged once by its person's limit, a group's commands by the group's too, and a block never", () => {
    const guard = new FloodGuard(10);
    // Eight people each send one command to a group: its burst of five passes, the rest drop.
    const commands = Array.from({ length: 8 }, (_, i) => guard.judge(text(100 + i, -500, "/rekap"), 0));
    expect(tally(commands)).toEqual({ pass: 5, notify: 0, drop: 3 });
    // Chatter in the group is only the person's own business.
    expect(guard.judge(text(100, -500, "terima kasih"), 0)).toBe("pass");
    // One person over their limit: ten pass, one notice, then drops; Telegram's block notice still passes.
    const flood = Array.from({ length: 12 }, () => text(7, 7, "halo"));
    expect(tally(flood.map((u) => guard.judge(u, 0)))).toEqual({ pass: 10, notify: 1, drop: 1 });
    expect(guard.judge(blocked(7), 0)).toBe("pass");
    // The verdict is kept for the middleware, which acts on it without judging again.
    expect(guard.verdictOf(flood[10]!)).toBe("notify");
    expect(guard.verdictOf(text(7, 7, "belum dinilai"))).toBeUndefined();
  });
});
