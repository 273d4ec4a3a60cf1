import { Markup } from "telegraf";
import type { InlineKeyboardButton, InlineKeyboardMarkup } from "telegraf/types";
import type { Catalogue } from "../i18n/index.js";

// The buttons under a reminder or a nudge (pressed: features/reminder-buttons.ts). Callback data
// is "rm:<action>:<delivery id>": the row the message went out for, which knows the step and the
// person; the server reads everything else. A step's three actions in one row; a message listing
// several steps shows their numbers (as its text numbers them, in the order of their rows), and a
// number opens that step's actions in place, with a way back.

/**
 * done, report, snooze (remind me tomorrow), open a step's actions, back to the numbers; and
 * undo, under the answer to a snooze ("rm:u:<the snooze's delivery id>").
 */
export type ReminderAction = "d" | "r" | "s" | "n" | "b" | "u";

/** The callback data a reminder's buttons carry (well within Telegram's 64 bytes). */
export const reminderButtonData = /^rm:([drsnbu]):(\d{1,12})$/;

const data = (action: ReminderAction, deliveryId: number) => `rm:${action}:${deliveryId}`;

/** Numbers on one row at most; more go on two even rows (a message lists ten steps at most). */
const numbersPerRow = 8;

/** One step's actions: ✅ Selesai, 📝 Lapor, ⏰ Besok. */
function stepActions(t: Catalogue, deliveryId: number): InlineKeyboardButton[] {
  const b = t.reminderButtons;
  return [
    Markup.button.callback(b.done, data("d", deliveryId)),
    Markup.button.callback(b.report, data("r", deliveryId)),
    Markup.button.callback(b.snooze, data("s", deliveryId)),
  ];
}

/** The keyboard of a reminder whose steps went out for these rows, in the order its text lists them. */
export function reminderKeyboard(t: Catalogue, steps: { deliveryId: number }[]): InlineKeyboardMarkup {
  if (steps.length === 1) return { inline_keyboard: [stepActions(t, steps[0]!.deliveryId)] };
  const numbers = steps.map((step, i) => Markup.button.callback(String(i + 1), data("n", step.deliveryId)));
  const rows = Math.ceil(numbers.length / numbersPerRow);
  const perRow = Math.ceil(numbers.length / rows);
  const keyboard: InlineKeyboardButton[][] = [];
  for (let i = 0; i < numbers.length; i += perRow) keyboard.push(numbers.slice(i, i + perRow));
  return { inline_keyboard: keyboard };
}

/** A listed step opened: its actions, and back to the numbers (naming the step's number). */
export function openedStepKeyboard(t: Catalogue, deliveryId: number, position: number): InlineKeyboardMarkup {
  return { inline_keyboard: [stepActions(t, deliveryId), [Markup.button.callback(t.reminderButtons.back(position), data("b", deliveryId))]] };
}

/** The undo button under the answer to a snooze. */
export function undoSnoozeKeyboard(t: Catalogue, snoozeId: number): InlineKeyboardMarkup {
  return { inline_keyboard: [[Markup.button.callback(t.reminderButtons.undo, data("u", snoozeId))]] };
}
