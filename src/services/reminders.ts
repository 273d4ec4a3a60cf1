import type { Prisma } from "../db/connection.js";
import { currentSlot, parseOffsets, type ReminderSlot } from "../domain/reminder-plan.js";
import { toView, type MilestoneView } from "./milestones.js";

/** One reminder owed to one focal point for one step. */
export interface PlannedReminder {
  /** Idempotency key: step, person and slot. */
  key: string;
  personId: number;
  telegramId: number;
  language: string;
  personName: string;
  milestone: MilestoneView;
  slot: ReminderSlot;
}

/** Why a message could not be delivered, as the sender tells it. */
export class DeliveryFailure extends Error {
  constructor(
    readonly reason: "blocked" | "failed",
    message: string,
  ) {
    super(message);
    this.name = "DeliveryFailure";
  }
}

/** Sends a reminder and says where it landed, so a reply to it can be matched. */
export type ReminderSender = (reminder: PlannedReminder) => Promise<{ chatId: number; messageId: number }>;

export interface PassResult {
  planned: PlannedReminder[];
  sent: number;
  blocked: number;
  failed: number;
}

/** Reminders owed at `now` and not yet delivered, soonest due first. */
export async function planReminders(db: Prisma, now: Date): Promise<PlannedReminder[]> {
  const rows = await db.milestone.findMany({
    where: { status: { not: "done" }, initiative: { unit: { memberships: { some: { role: "pic" } } } } },
    include: {
      initiative: {
        include: {
          program: true,
          unit: { include: { region: true, memberships: { where: { role: "pic" }, include: { person: true } } } },
        },
      },
    },
    orderBy: [{ dueDate: "asc" }, { id: "asc" }],
  });
  const owed: PlannedReminder[] = [];
  for (const row of rows) {
    const { program, unit } = row.initiative;
    const rules = {
      offsets: parseOffsets(program.reminderOffsets),
      overdueEveryDays: program.overdueEveryDays,
      overdueMaxReminders: program.overdueMaxReminders,
      sendHour: program.sendHour,
    };
    const slot = currentSlot(row.dueDate, rules, unit.region.timezone, now);
    if (!slot) continue;
    const view = toView(row, now);
    const people = new Map(unit.memberships.map((m) => [m.person.id, m.person]));
    for (const person of people.values()) {
      if (person.blockedAt) continue;
      owed.push({
        key: `${slot.kind}:${row.id}:${person.id}:${slot.date}`,
        personId: person.id,
        telegramId: Number(person.telegramId),
        language: person.language,
        personName: person.firstName ?? "",
        milestone: view,
        slot,
      });
    }
  }
  const done = new Set<string>();
  for (let i = 0; i < owed.length; i += 500) {
    const keys = owed.slice(i, i + 500).map((r) => r.key);
    for (const d of await db.delivery.findMany({ where: { key: { in: keys } }, select: { key: true } })) done.add(d.key);
  }
  return owed.filter((r) => !done.has(r.key));
}

/**
 * One reminder pass: plans what is owed at `now` and, unless `dryRun`, sends it. Each
 * reminder is first claimed by inserting its key (unique), so a second pass, a restart or a
 * second process never sends it again; a claim whose send failed for a passing reason is
 * released so the next pass retries it.
 */
export async function runReminderPass(db: Prisma, options: { now: Date; dryRun?: boolean; send?: ReminderSender }): Promise<PassResult> {
  const planned = await planReminders(db, options.now);
  const result: PassResult = { planned, sent: 0, blocked: 0, failed: 0 };
  if (options.dryRun || !options.send) return result;
  for (const reminder of planned) {
    let claim: { id: number };
    try {
      claim = await db.delivery.create({
        data: {
          key: reminder.key,
          kind: reminder.slot.kind,
          personId: reminder.personId,
          milestoneId: reminder.milestone.id,
          dueAt: reminder.slot.at,
        },
      });
    } catch (err) {
      if ((err as { code?: string }).code === "P2002") continue; // claimed by another pass
      throw err;
    }
    let where: { chatId: number; messageId: number };
    try {
      where = await options.send(reminder);
    } catch (err) {
      if (err instanceof DeliveryFailure && err.reason === "blocked") {
        await db.$transaction([
          db.delivery.update({ where: { id: claim.id }, data: { status: "blocked", error: err.message, attempts: 1 } }),
          db.person.update({ where: { id: reminder.personId }, data: { blockedAt: new Date() } }),
        ]);
        result.blocked += 1;
      } else {
        await db.delivery.delete({ where: { id: claim.id } });
        result.failed += 1;
      }
      continue;
    }
    // Sent: the claim stays whatever happens to this bookkeeping, so it is never sent twice.
    await db.delivery.update({
      where: { id: claim.id },
      data: { status: "sent", chatId: BigInt(where.chatId), messageId: where.messageId, sentAt: new Date(), attempts: 1 },
    });
    result.sent += 1;
  }
  return result;
}

/** The step a reminder message was about, when a focal point replies to it. */
export async function deliveryForMessage(db: Prisma, chatId: number, messageId: number) {
  return db.delivery.findFirst({ where: { chatId: BigInt(chatId), messageId, milestoneId: { not: null } } });
}
