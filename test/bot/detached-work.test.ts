import { describe, expect, it } from "vitest";
import { DetachedWork } from "../../src/bot/detached-work.js";

describe("DetachedWork", () => {
  it("when work of a key is running, then a second piece of that key is refused, another key's runs, and settle waits for both", async () => {
    const work = new DetachedWork();
    const ended: string[] = [];
    let finish!: () => void;
    const slow = new Promise<void>((resolve) => (finish = resolve));
    expect(work.start("plan-upload:1", () => slow.then(() => void ended.push("first")))).toBe(true);
    expect(work.start("plan-upload:1", async () => void ended.push("second"))).toBe(false);
    expect(work.start("plan-upload:2", async () => void ended.push("other"))).toBe(true);
    const settled = work.settle(10_000);
    finish();
    expect(await settled).toBe(true);
    expect(ended.sort()).toEqual(["first", "other"]);
    // Once ended, the key is free again.
    expect(work.start("plan-upload:1", async () => undefined)).toBe(true);
  });

  it("when a piece of work rejects, then the process is not ended and its key is free again", async () => {
    const work = new DetachedWork();
    const unhandled: unknown[] = [];
    const record = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", record);
    try {
      expect(work.start("plan-upload:1", async () => Promise.reject(new Error("missed")))).toBe(true);
      expect(await work.settle(1000)).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(unhandled).toEqual([]);
      expect(work.start("plan-upload:1", async () => undefined)).toBe(true);
    } finally {
      process.off("unhandledRejection", record);
    }
  });

  it("when work outlasts the bound, then settle gives up and says so", async () => {
    const work = new DetachedWork();
    work.start("plan-upload:1", () => new Promise<void>(() => undefined));
    expect(await work.settle(50)).toBe(false);
    expect(work.size).toBe(1);
  });
});
