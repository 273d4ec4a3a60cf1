import { describe, expect, it } from "vitest";
import { messageLimit, splitMessages } from "../../src/bot/format.js";

describe("splitMessages", () => {
  const fits = (parts: string[]) => parts.every((p) => p.length > 0 && p.length <= messageLimit);

  it("when one line is longer than a message, then it is cut at spaces into messages that lose no word", () => {
    const words = Array.from({ length: 2500 }, (_, i) => `kata${i}`);
    const parts = splitMessages(["Judul", words.join(" ")]);
    expect(parts.length).toBeGreaterThan(1);
    expect(fits(parts)).toBe(true);
    expect(parts.join(" ").split(/\s+/)).toEqual(["Judul", ...words]);
  });

  it("when one line has no space at all, then it is cut at the limit and nothing is lost", () => {
    const line = "x".repeat(3 * messageLimit + 5);
    const parts = splitMessages([line]);
    expect(fits(parts)).toBe(true);
    expect(parts.join("")).toBe(line);
  });

  it("when a block of many lines is too long, then it is cut between lines, keeping every line whole and in order", () => {
    const lines = Array.from({ length: 400 }, (_, i) => `${i + 1}. Dinas Pariwisata dan Kebudayaan ▓▓▓░░ ${i % 100}%`);
    const parts = splitMessages([lines.join("\n")]);
    expect(parts.length).toBeGreaterThan(1);
    expect(fits(parts)).toBe(true);
    expect(parts.join("\n")).toBe(lines.join("\n"));
  });

  it("when many short blocks are given, then they are packed into as few messages as fit, never cut", () => {
    const blocks = Array.from({ length: 300 }, (_, i) => `<b>Unit ${i}</b>\nInovasi ${i}: 50%`);
    const parts = splitMessages(blocks);
    expect(fits(parts)).toBe(true);
    expect(parts.join("\n\n")).toBe(blocks.join("\n\n"));
    expect(parts.length).toBeLessThanOrEqual(Math.ceil(blocks.join("\n\n").length / (messageLimit - 200)));
  });
});
