import type { Digest } from "../services/digests.js";
import type { MilestoneView } from "../services/milestones.js";

// What goes into the outbox and what comes out of it: rows planned with a key, and messages
// for the bot layer to render (data, never sentences).

export type DeliveryKind = "reminder" | "overdue" | "nudge" | "escalation_head" | "escalation_coord" | "broadcast" | "digest";

/** A message to be sent once: `key` makes it so, whoever plans it and however often. */
export interface NewDelivery {
  key: string;
  kind: DeliveryKind;
  personId: number;
  milestoneId?: number;
  broadcastId?: number;
  /** A weekly digest's program. */
  programId?: number;
  /** Not sent before this instant. */
  dueAt: Date;
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
}

/** What an escalation tells about a step: how often the unit was reminded, and who they are. */
export interface EscalationItem extends StepItem {
  remindersSent: number;
  lastReminderAt: Date | null;
  focalPoints: string[];
}

/** A message for the bot layer to render in the recipient's language and send. */
export type OutboxMessage =
  /** `silent`: sent without a notification sound (every step far from its due date, see `remindsSilently`). */
  | { type: "reminder"; to: Recipient; items: StepItem[]; silent: boolean }
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
