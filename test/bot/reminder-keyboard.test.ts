import { describe, expect, it } from "vitest";
import { openedStepKeyboard, reminderButtonData, reminderKeyboard, undoSnoozeKeyboard } from "../../src/bot/reminder-keyboard.js";
import { catalogue } from "../../src/i18n/index.js";

// The buttons under a reminder: one step's three actions in a row; a merged reminder's steps as
// numbers (never a wall of buttons), a number opening its step's actions with a way back.

const id = catalogue("id");
const en = catalogue("en");
const steps = (n: number) => Array.from({ length: n }, (_, i) => ({ deliveryId: 2_000_000_000 + i }));
const rows = (keyboard: ReturnType<typeof reminderKeyboard>) => keyboard.inline_keyboard.map((row) => row.map((b) => b.text));
const data = (keyboard: ReturnType<typeof reminderKeyboard>) => keyboard.inline_keyboard.flat().map((b) => ("callback_data" in b ? b.callback_data : ""));

describe("reminderKeyboard", () => {
  it("when a reminder lists one step, then one row of its three actions, in the person's language", () => {
    expect(rows(reminderKeyboard(id, steps(1)))).toEqual([["✅ Selesai", "📝 Lapor", "⏰ Besok"]]);
    expect(rows(reminderKeyboard(en, steps(1)))).toEqual([["✅ Done", "📝 Report", "⏰ Tomorrow"]]);
    expect(data(reminderKeyboard(id, steps(1)))).toEqual(["rm:d:2000000000", "rm:r:2000000000", "rm:s:2000000000"]);
  });

  it("when a reminder lists up to eight steps, then their numbers on one row; nine or ten, on two even rows", () => {
    expect(rows(reminderKeyboard(id, steps(3)))).toEqual([["1", "2", "3"]]);
    expect(rows(reminderKeyboard(id, steps(8)))).toHaveLength(1);
    expect(rows(reminderKeyboard(id, steps(9)))).toEqual([
      ["1", "2", "3", "4", "5"],
      ["6", "7", "8", "9"],
    ]);
    expect(rows(reminderKeyboard(id, steps(10))).map((r) => r.length)).toEqual([5, 5]);
    expect(data(reminderKeyboard(id, steps(3)))).toEqual(["rm:n:2000000000", "rm:n:2000000001", "rm:n:2000000002"]);
  });

  it("when a step of a merged reminder is opened, then its actions and a back button naming its number", () => {
    const opened = openedStepKeyboard(id, 2_000_000_001, 2);
    expect(rows(opened)).toEqual([["✅ Selesai", "📝 Lapor", "⏰ Besok"], ["⬅️ Kembali (tahapan 2)"]]);
    expect(data(opened).at(-1)).toBe("rm:b:2000000001");
    expect(rows(openedStepKeyboard(en, 1, 7))[1]).toEqual(["⬅️ Back (step 7)"]);
  });

  it("whatever the row id, the data is well within Telegram's 64 bytes and read back by the handler's pattern", () => {
    const all = [
      ...data(reminderKeyboard(id, steps(10))),
      ...data(openedStepKeyboard(id, 999_999_999_999, 10)),
      ...data(undoSnoozeKeyboard(id, 999_999_999_999)),
    ];
    for (const d of all) {
      expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);
      expect(d).toMatch(reminderButtonData);
    }
  });
});
