import type { Prisma } from "../db/connection.js";
import { daysBetween } from "../domain/dates.js";
import { remindsSilently } from "../domain/reminder-plan.js";
import { digestFor } from "../services/digests.js";
import { toView } from "../services/milestones.js";
import { unitMembersFilter } from "../services/scope.js";
import type { Claimed } from "./claim.js";
import type { DeliveryKind, EscalationItem, OutboxMessage, Recipient } from "./messages.js";
import { personName } from "../domain/text.js";

// A group of claimed rows as the message the bot layer renders: steps as they stand when the
// message goes out (not when it was planned), an escalation with the unit's history.

function recipient(row: Claimed): Recipient {
  return { personId: row.person.id, telegramId: Number(row.person.telegramId), language: row.person.language, name: row.person.firstName ?? "" };
}

async function escalationItems(db: Prisma, rows: Claimed[], now: Date): Promise<EscalationItem[]> {
  const items: EscalationItem[] = [];
  for (const row of rows) {
    const milestone = toView(row.milestone!, now);
    const [reminders, last, pics] = await Promise.all([
      db.delivery.count({ where: { milestoneId: milestone.id, kind: { in: ["reminder", "overdue", "nudge"] }, status: "sent" } }),
      db.delivery.findFirst({
        where: { milestoneId: milestone.id, kind: { in: ["reminder", "overdue", "nudge"] }, status: "sent" },
        orderBy: { sentAt: "desc" },
      }),
      db.membership.findMany({ where: unitMembersFilter(["pic"], [milestone.unit.id], [milestone.program.id]), include: { person: true } }),
    ]);
    items.push({
      kind: row.kind as DeliveryKind,
      milestone,
      daysLeft: daysBetween(milestone.today, milestone.dueDate),
      remindersSent: reminders,
      lastReminderAt: last?.sentAt ?? null,
      focalPoints: pics.map((p) => personName(p.person) ?? `@${p.person.telegramId}`),
    });
  }
  return items;
}

/**
 * The message a group of rows (one person's, of one kind) makes at `now`; a step message's items
 * follow its rows' order. Null for a digest no longer owed (see `digestFor`).
 */
export async function composeMessage(db: Prisma, rows: Claimed[], now: Date): Promise<OutboxMessage | null> {
  const first = rows[0]!;
  const to = recipient(first);
  if (first.kind === "digest") {
    const { personId, programId, dueAt } = first;
    const digest = programId === null ? null : await digestFor(db, { personId, programId, dueAt }, now);
    return digest && { type: "digest", to, digest };
  }
  if (first.kind === "broadcast") {
    const b = first.broadcast!;
    return {
      type: "broadcast",
      to,
      broadcast: { id: b.id, text: b.text, photoFileId: b.photoFileId, documentId: b.documentId, senderName: b.createdBy.firstName ?? "" },
    };
  }
  if (first.kind.startsWith("escalation")) {
    return { type: "escalation", to, level: first.kind === "escalation_head" ? "head" : "coordinator", items: await escalationItems(db, rows, now) };
  }
  const items = rows.map((r) => {
    const milestone = toView(r.milestone!, now);
    return { kind: r.kind as DeliveryKind, milestone, daysLeft: daysBetween(milestone.today, milestone.dueDate) };
  });
  // One urgent step (or a program that wants sound) makes the whole message sound.
  const silent = items.every((item, i) => remindsSilently(item.kind, item.daysLeft, rows[i]!.milestone!.initiative.program.silentFromDays));
  return { type: "reminder", to, items, silent };
}
