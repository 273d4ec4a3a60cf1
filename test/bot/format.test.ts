import { describe, expect, it } from "vitest";
import { messageLimit, packPages, shorten, splitMessages } from "../../src/bot/format.js";

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

describe("shorten", () => {
  const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it("when the cut falls inside an emoji, then the emoji is dropped whole and the text stays valid", () => {
    // "Rina 🌸" is 7 units: a cut at 6 (max 7 with the "…") would split the flower's surrogate pair.
    const names = Array.from({ length: 60 }, (_, i) => `Rina ${i} 🌸`).join(", ");
    for (let max = 5; max <= 420; max += 1) {
      const short = shorten(names, max);
      expect(short.length).toBeLessThanOrEqual(max);
      expect(short).not.toMatch(loneSurrogate);
      expect(short.endsWith("…")).toBe(true);
      expect(names.startsWith(short.slice(0, -1))).toBe(true);
    }
    expect(shorten("Rina 🌸🌸", 8)).toBe("Rina 🌸…");
    expect(shorten("Rina 🌸🌸", 7)).toBe("Rina…");
  });

  it("when the cut falls inside a ZWJ sequence or a flag, then the whole sequence is dropped, never a part of it", () => {
    const family = "👨‍👩‍👧"; // man, ZWJ, woman, ZWJ, girl: 8 units, one grapheme
    const flag = "🇮🇩";
    const text = `Tim ${family} ${flag} Dinas Pariwisata`;
    for (let max = 2; max < text.length; max += 1) {
      const short = shorten(text, max);
      expect(short.length).toBeLessThanOrEqual(max);
      expect(short).not.toMatch(loneSurrogate);
      const kept = short.slice(0, -1);
      // Whatever is kept of the sequences is all of them.
      if (kept.includes("👨")) expect(kept).toContain(family);
      if (kept.includes("\u{1F1EE}")) expect(kept).toContain(flag);
    }
    expect(shorten(text, 10)).toBe("Tim…");
    expect(shorten(text, 13)).toBe(`Tim ${family}…`);
  });

  it("when the text fits, then it is kept as it is", () => {
    expect(shorten("SIP Banget 🌸", 13)).toBe("SIP Banget 🌸");
  });
});

describe("packPages", () => {
  it("when items are short, then pages hold the given number, the last one the rest, and a page past the end shows the last", () => {
    const items = Array.from({ length: 32 }, (_, i) => `unit ${i}`);
    expect(packPages(items, 0, 15, 4000)).toMatchObject({ page: 0, pages: 3, start: 0, items: items.slice(0, 15) });
    expect(packPages(items, 2, 15, 4000)).toMatchObject({ page: 2, start: 30, items: ["unit 30", "unit 31"] });
    expect(packPages(items, 99, 15, 4000).page).toBe(2);
    expect(packPages(items, -1, 15, 4000).page).toBe(0);
  });

  it("when items are long, then a page holds what fits the budget, and every item is on exactly one page", () => {
    const items = Array.from({ length: 10 }, (_, i) => `${i}`.padEnd(900, "x"));
    const pages = Array.from({ length: packPages(items, 0, 15, 4000).pages }, (_, p) => packPages(items, p, 15, 4000));
    expect(pages.map((p) => p.items.length)).toEqual([4, 4, 2]);
    for (const p of pages) expect(p.items.join("\n").length).toBeLessThanOrEqual(4000);
    expect(pages.flatMap((p) => p.items)).toEqual(items);
  });

  it("when there is nothing, then there is one empty page", () => {
    expect(packPages([], 0, 15, 4000)).toEqual({ items: [], start: 0, page: 0, pages: 1 });
  });
});
