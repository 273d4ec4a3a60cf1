import type { Prisma } from "../db/connection.js";
import { AppError } from "../domain/errors.js";
import type { AuditActor } from "./audit.js";
import { changeSince, headOfAny, recordReport, reportableMilestones, type MilestoneView, type SavedReport, type StepChange } from "./milestones.js";
import type { Person } from "./people.js";

// The buttons under a reminder or a nudge (bot/features/reminder-buttons.ts) name the delivery
// row the message went out for, nothing else: who pressed, for which step, and whether that step
// is still what the reminder showed are all read here, on the server.

/** The delivery kinds that carry a step's buttons. */
const buttonKinds = ["reminder", "overdue", "nudge"];

/** The delivery a button was pressed under, as the checks read it. */
export interface PressedDelivery {
  id: number;
  personId: number;
  milestoneId: number;
  sentAt: Date;
  /** The message it went out in (with the other steps listed there, see `deliveriesForMessage`). */
  chatId: number;
  messageId: number;
}

export type PressedReminder =
  | { ok: true; delivery: PressedDelivery; step: MilestoneView }
  /** No such reminder (a button of a version since replaced, or forged data). */
  | { ok: false; reason: "stale" }
  /** The reminder went to someone else (a forged press, or a forwarded message). */
  | { ok: false; reason: "not_yours" }
  /** The presser no longer holds a seat reporting on the step (removed, or left). */
  | { ok: false; reason: "removed" }
  /** A head who stood in for focal points away: they are back and the step was reported on since (see `reportableMilestones`). */
  | { ok: false; reason: "relieved" }
  /** The step is done, someone reported on it, or an import moved its due date after the reminder was sent: `step` is how it stands now. */
  | { ok: false; reason: "changed"; change: StepChange; step: MilestoneView };

/** Whose reminder this is: the delivery when it is the person's reminder, sent; else why not. */
export async function ownReminder(
  db: Prisma,
  person: Person | null,
  deliveryId: number,
): Promise<{ ok: true; delivery: PressedDelivery } | { ok: false; reason: "stale" | "not_yours" }> {
  const row = await db.delivery.findUnique({
    where: { id: deliveryId },
    select: { id: true, kind: true, personId: true, milestoneId: true, sentAt: true, chatId: true, messageId: true },
  });
  const { milestoneId, sentAt, chatId, messageId } = row ?? {};
  if (!row || !milestoneId || !sentAt || !chatId || !messageId || !buttonKinds.includes(row.kind)) return { ok: false, reason: "stale" };
  if (!person || row.personId !== person.id) return { ok: false, reason: "not_yours" };
  return { ok: true, delivery: { id: row.id, personId: row.personId, milestoneId, sentAt, chatId: Number(chatId), messageId } };
}

/**
 * A press of one of a reminder's buttons that would change something, checked: the reminder is
 * the presser's, they still report on its step (the seat predicate of every report), and the step
 * is as the reminder showed it (not done, nobody reported on it, its due date not moved since it
 * was sent). A report undone puts the step back, so the reminder's buttons work again.
 */
export async function pressedReminder(db: Prisma, person: Person | null, deliveryId: number, now: Date): Promise<PressedReminder> {
  const own = await ownReminder(db, person, deliveryId);
  if (!own.ok) return own;
  const { delivery } = own;
  const [step] = await reportableMilestones(db, person!, [delivery.milestoneId], now);
  if (!step) return { ok: false, reason: (await headOfAny(db, person!, [delivery.milestoneId])) ? "relieved" : "removed" };
  const { revisedAt } = await db.milestone.findUniqueOrThrow({ where: { id: step.id }, select: { revisedAt: true } });
  const change = changeSince({ ...step, revisedAt }, delivery.sentAt);
  if (change) return { ok: false, reason: "changed", change, step };
  return { ok: true, delivery, step };
}

/**
 * ✅ Selesai on a checked press (`pressedReminder`): the step recorded done as a report answering
 * the reminder, on condition that the step is still as the reminder showed it when its row is
 * taken (`recordReport`'s `unchangedSince`). Of two presses at once (a double tap, a colleague or
 * a head pressing theirs) one saves; the other is refused as changed, nothing written.
 */
export async function markDone(
  db: Prisma,
  person: Person,
  pressed: { delivery: PressedDelivery; step: MilestoneView },
  now: Date,
  actor: AuditActor,
): Promise<{ ok: true; saved: SavedReport } | Extract<PressedReminder, { reason: "changed" }>> {
  const { delivery, step } = pressed;
  const input = { milestoneId: step.id, percent: 100, status: "done" as const, note: null, source: "button" as const, deliveryId: delivery.id };
  try {
    return { ok: true, saved: await recordReport(db, person, { ...input, unchangedSince: delivery.sentAt }, now, actor) };
  } catch (err) {
    if (!(err instanceof AppError && err.code === "report.changed")) throw err;
    // Worded with the step as the other press left it.
    const [current] = await reportableMilestones(db, person, [step.id], now);
    return { ok: false, reason: "changed", change: err.params.change as StepChange, step: current ?? step };
  }
}
