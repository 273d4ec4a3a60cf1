import { describe, expect, it } from "vitest";
import type { Update } from "telegraf/types";
import { chatKeyOf, UpdateQueue, type UpdateQueueOptions } from "../../src/bot/update-queue.js";
import { createLogger } from "../../src/logger.js";

// The queue between Telegram and the bot's handlers: one chat's updates one after the other,
// chats side by side, and bounds on what is in progress, accepted, and waiting in one chat.

let nextId = 1;
const message = (chat: number, text = "/tugas"): Update =>
  ({
    update_id: nextId++,
    message: {
      message_id: nextId,
      date: 0,
      chat: { id: chat, type: chat > 0 ? "private" : "group" },
      from: { id: Math.abs(chat), is_bot: false, first_name: "Rina" },
      text,
    },
  }) as unknown as Update;
const press = (chat: number): Update =>
  ({
    update_id: nextId++,
    callback_query: {
      id: `cb${nextId}`,
      from: { id: chat, is_bot: false, first_name: "Rina" },
      chat_instance: "x",
      data: "lp",
      message: { message_id: 1, date: 0, chat: { id: chat, type: "private" } },
    },
  }) as unknown as Update;
const blocked = (chat: number): Update =>
  ({
    update_id: nextId++,
    my_chat_member: { chat: { id: chat, type: "private" }, from: { id: chat }, date: 0, old_chat_member: {}, new_chat_member: {} },
  }) as unknown as Update;

/** A handler whose updates finish only when the test says so, in any order. */
function controlled() {
  const started: Update[] = [];
  const finishers = new Map<number, () => void>();
  const handle = (update: Update) =>
    new Promise<void>((resolve) => {
      started.push(update);
      finishers.set(update.update_id, resolve);
    });
  const finish = (update: Update) => finishers.get(update.update_id)!();
  return { started, handle, finish };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));
const queueWith = (options: Partial<UpdateQueueOptions> & Pick<UpdateQueueOptions, "handle">) =>
  new UpdateQueue({ perChat: 60, logger: createLogger("silent"), ...options });

describe("the update queue", () => {
  it("when one chat sends several updates, then they are handled one after the other, in order, while another chat's go on beside them", async () => {
    const { started, handle, finish } = controlled();
    const queue = queueWith({ handle });
    const rina = [message(101, "/lapor"), message(101, "60"), message(101, "catatan")];
    const budi = message(202, "/rekap");
    for (const u of [...rina, budi]) expect(await queue.accept(u)).toBe("queued");
    await tick();
    expect(started).toEqual([rina[0], budi]);
    finish(budi);
    finish(rina[0]!);
    await tick();
    expect(started).toEqual([rina[0], budi, rina[1]]);
    finish(rina[1]!);
    await tick();
    finish(rina[2]!);
    await queue.idle();
    expect(started).toEqual([rina[0], budi, rina[1], rina[2]]);
    expect(queue.size).toBe(0);
  });

  it("when more chats write than may be handled at once, then the rest wait their turn and start as others finish", async () => {
    const { started, handle, finish } = controlled();
    const queue = queueWith({ handle, concurrency: 2 });
    const updates = [message(1), message(2), message(3)];
    for (const u of updates) await queue.accept(u);
    await tick();
    expect(started).toEqual(updates.slice(0, 2));
    finish(updates[1]!);
    await tick();
    expect(started).toEqual(updates);
  });

  it("when a chat's line is full, then its next update is dropped (a press answered without a word) and other chats and blocks are still taken", async () => {
    const { handle } = controlled();
    const dropped: Update[] = [];
    const queue = queueWith({ handle, perChat: 2, onDrop: async (u) => void dropped.push(u) });
    // One in progress, two waiting: the line is full.
    for (let i = 0; i < 3; i++) expect(await queue.accept(message(7))).toBe("queued");
    const extra = press(7);
    expect(await queue.accept(extra)).toBe("dropped");
    expect(dropped).toEqual([extra]);
    expect(await queue.accept(blocked(7))).toBe("queued");
    expect(await queue.accept(message(8))).toBe("queued");
  });

  it("when the flood verdict refuses an update as it arrives, then it is dropped without entering its chat's line", async () => {
    const { started, handle } = controlled();
    const dropped: Update[] = [];
    const refused = press(9);
    const queue = queueWith({ handle, admit: (u) => u !== refused, onDrop: async (u) => void dropped.push(u) });
    expect(await queue.accept(refused)).toBe("dropped");
    expect(await queue.accept(message(9))).toBe("queued");
    await tick();
    expect(dropped).toEqual([refused]);
    expect(started).toHaveLength(1);
    expect(queue.size).toBe(1);
  });

  it("when the queue holds all it may, then accepting waits until an update was handled", async () => {
    const { handle, finish } = controlled();
    const queue = queueWith({ handle, capacity: 2 });
    const first = message(1);
    await queue.accept(first);
    await queue.accept(message(2));
    let third: string | undefined;
    const accepting = queue.accept(message(3)).then((a) => (third = a));
    await tick();
    expect(third).toBeUndefined();
    finish(first);
    await accepting;
    expect(third).toBe("queued");
  });

  it("when accepting waits and the poller stops, then the update is not taken (Telegram keeps it)", async () => {
    const { handle } = controlled();
    const queue = queueWith({ handle, capacity: 1 });
    await queue.accept(message(1));
    const stop = new AbortController();
    const accepting = queue.accept(message(2), stop.signal);
    stop.abort();
    expect(await accepting).toBe("closed");
    expect(queue.size).toBe(1);
  });

  it("when the poller waits for room (before it claims an update), then it is told once there is room, or that it stopped first", async () => {
    const { handle, finish } = controlled();
    const queue = queueWith({ handle, capacity: 1 });
    const first = message(1);
    await queue.accept(first);
    let told: boolean | undefined;
    const waiting = queue.room(new AbortController().signal).then((r) => (told = r));
    await tick();
    expect(told).toBeUndefined();
    finish(first);
    await waiting;
    expect(told).toBe(true);

    await queue.accept(message(2));
    const stop = new AbortController();
    const stopped = queue.room(stop.signal);
    stop.abort();
    expect(await stopped).toBe(false);
  });

  it("when drained, then what was taken in is handled and nothing more is taken; past the grace what had not started is given up", async () => {
    const handled: number[] = [];
    const queue = queueWith({ handle: async (u) => void handled.push(u.update_id) });
    const updates = [message(1), message(1), message(2)];
    for (const u of updates) await queue.accept(u);
    expect(await queue.drain(1000)).toEqual({ discarded: [], running: 0 });
    expect(handled.sort((a, b) => a - b)).toEqual(updates.map((u) => u.update_id).sort((a, b) => a - b));
    expect(await queue.accept(message(3))).toBe("closed");

    const { handle } = controlled();
    const stuck = queueWith({ handle });
    const waiting = [message(4), message(4)];
    for (const u of waiting) await stuck.accept(u);
    expect(await stuck.drain(10)).toEqual({ discarded: [waiting[1]!.update_id], running: 1 });
  });

  it("when a handler throws, then the failure is logged and the chat's next update is handled", async () => {
    const handled: number[] = [];
    const queue = queueWith({
      handle: async (u) => {
        if (handled.push(u.update_id) === 1) throw new Error("boom");
      },
    });
    await queue.accept(message(5));
    await queue.accept(message(5));
    await queue.idle();
    expect(handled).toHaveLength(2);
  });

  it("when an update is queued, then its chat is told from then until it is handled, or given up at a drain", async () => {
    const { handle, finish } = controlled();
    const queued: number[] = [];
    const released: number[] = [];
    const queue = queueWith({
      handle,
      concurrency: 1,
      onQueued: (update) => {
        queued.push(update.update_id);
        return () => released.push(update.update_id);
      },
    });
    const [first, second] = [message(101, "/rekap"), message(202, "/tugas")];
    await queue.accept(first);
    await queue.accept(second);
    await tick();
    expect(queued).toEqual([first.update_id, second.update_id]);
    expect(released).toEqual([]);
    // Past the grace the waiting one is given up; the one in progress goes on.
    expect((await queue.drain(0)).discarded).toEqual([second.update_id]);
    expect(released).toEqual([second.update_id]);
    finish(first);
    await tick();
    expect(released).toEqual([second.update_id, first.update_id]);
  });

  it("keys an update by its chat: a message, a button under a message, a block", () => {
    expect(chatKeyOf(message(-300, "/rekap"))).toBe("chat:-300");
    expect(chatKeyOf(press(9))).toBe("chat:9");
    expect(chatKeyOf(blocked(9))).toBe("chat:9");
  });
});
