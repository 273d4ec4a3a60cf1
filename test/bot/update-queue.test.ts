import { describe, expect, it } from "vitest";
import type { PantauContext } from "../../src/bot/context.js";
import { onePersonAtATime } from "../../src/bot/update-queue.js";

const contextOf = (id: number) => ({ from: { id } }) as unknown as PantauContext;

describe("onePersonAtATime", () => {
  it("when one person's updates arrive together, then each is handled after the one before; another person's meanwhile", async () => {
    const inOrder = onePersonAtATime();
    const events: string[] = [];
    const release: Record<string, () => void> = {};
    const handle = (name: string, id: number) =>
      inOrder(contextOf(id), async () => {
        events.push(`start ${name}`);
        await new Promise<void>((resolve) => (release[name] = resolve));
        events.push(`end ${name}`);
      });

    const first = handle("a1", 1);
    const second = handle("a2", 1);
    const other = handle("b1", 2);
    await new Promise((resolve) => setTimeout(resolve, 10));
    // a2 waits for a1; b1 (someone else) does not.
    expect(events).toEqual(["start a1", "start b1"]);
    release.b1!();
    release.a1!();
    await first;
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(events).toEqual(["start a1", "start b1", "end b1", "end a1", "start a2"]);
    release.a2!();
    await Promise.all([second, other]);
    expect(events.at(-1)).toBe("end a2");
  });

  it("when a handler fails, then the person's next update is still handled", async () => {
    const inOrder = onePersonAtATime();
    const failing = inOrder(contextOf(1), () => Promise.reject(new Error("boom")));
    let handled = false;
    const next = inOrder(contextOf(1), async () => {
      handled = true;
    });
    await expect(failing).rejects.toThrow("boom");
    await next;
    expect(handled).toBe(true);
  });
});
