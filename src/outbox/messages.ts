import type { CalendarDate } from "../domain/dates.js";
import type { Digest } from "../services/digests.js";
import type { MilestoneView } from "../services/milestones.js";

// What goes into the outbox and what comes out of it: rows planned with a key, and messages
// for the bot layer to render (data, never sentences).

export type DeliveryKind = "reminder" | "overdue" | "nudge" | "escalation_head" | "escalation_coord" | "escalation_unreached" | "broadcast" | "digest";

/** A message to be sent once: `key` makes it so, whoever plans it and however often. */
export interface NewDelivery {
  key: string;
  kind: DeliveryKind;
  personId: number;
  milestoneId?: number;
  broadcastId?: number;
  /** A message about a whole program (a coordinator's daily summary of units nobody is reminded in, a weekly digest). */
  programId?: number;
  /** Not sent before this instant. */
  dueAt: Date;
  /** Put in cancelled, with why: a reminder a pending snooze stands for (services/snooze.ts), never planned again. */
  status?: "cancelled";
  error?: string;
}

/** Who a message goes to. */
export interface Recipient {
  personId: number;
  telegramId: number;
  language: string;
  name: string;
}

/** One step in a reminder or an escalation, as it stands when the message is sent. */
export interface StepItem {
  kind: DeliveryKind;
  milestone: MilestoneView;
  /** Days until the due date in the step's region (negative when late). */
  daysLeft: number;
  /** The unit's other focal points away today (a reminder's only). */
  away?: { name: string; lastDay: CalendarDate }[];
  /** The recipient is not a focal point of the step's unit: they get it in the stead of those away. */
  standingIn?: boolean;
}

/** A step of a reminder or a nudge, with its row: the buttons under the message name the row. */
export interface ReminderItem extends StepItem {
  deliveryId: number;
}

/** What an escalation tells about a step: how often the unit was reminded, who its focal points are, whether its head was told. */
export interface EscalatedStep extends StepItem {
  type: "step";
  remindersSent: number;
  lastReminderAt: Date | null;
  focalPoints: string[];
  /**
   * For a coordinator: when a head of the unit was sent this step's escalation (null: never),
   * how many heads the unit has who could be told, and, when all of them are away today, the
   * first one's last day away. Null in a head's own escalation.
   */
  head: { toldAt: Date | null; heads: number; awayUntil?: CalendarDate | null } | null;
}

/** Escalations owed before the person took the seat they are owed for: counted, not listed. */
export interface EarlierEscalations {
  type: "earlier";
  steps: number;
  units: number;
}

/**
 * A coordinator's daily summary of a program's units with a step overdue and nobody the bot can
 * remind (no focal point, or only ones who blocked it): their steps are not escalated one by one.
 */
export interface UnreachedUnits {
  type: "unreached";
  program: string;
  /** Units by region, regions and units by name; region null when the coordinator sees one region. */
  regions: { region: string | null; units: string[] }[];
}

/** One entry of an escalation: a step (steps of one unit come together), or a summary. */
export type EscalationItem = EscalatedStep | EarlierEscalations | UnreachedUnits;

/** A message for the bot layer to render in the recipient's language and send. */
export type OutboxMessage =
  /** `silent`: sent without a notification sound (every step far from its due date, see `remindsSilently`). */
  | { type: "reminder"; to: Recipient; items: ReminderItem[]; silent: boolean }
  | { type: "escalation"; to: Recipient; level: "head" | "coordinator"; items: EscalationItem[] }
  | {
      type: "broadcast";
      to: Recipient;
      broadcast: { id: number; text: string; photoFileId: string | null; documentId: string | null; senderName: string };
    }
  | { type: "digest"; to: Recipient; digest: Digest };

/** Why a message could not be delivered, as the sender tells it. */
export class DeliveryFailure extends Error {
  constructor(
    /** blocked: the person blocked the bot (403); failed: Telegram refused it for good; retry: a passing failure. */
    readonly reason: "blocked" | "failed" | "retry",
    message: string,
    /** Telegram asked to wait this long before sending again (a 429's retry_after). */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = "DeliveryFailure";
  }
}

/** Sends one message and says where it landed, so that a reply to it can be matched. */
export type OutboxSender = (message: OutboxMessage) => Promise<{ chatId: number; messageId: number }>;
