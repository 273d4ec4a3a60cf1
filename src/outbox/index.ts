// The outbox: every message that matters (reminders, nudges, escalations, broadcast parts,
// weekly digests) goes out through the Delivery table, and what it guarantees is written in this
// folder:
//
// - Planned once (enqueue.ts): a row per message with a unique key; planning it again, from
//   another pass, process or instance, adds nothing.
// - Claimed under a lease (claim.ts): one conditional UPDATE takes due rows that are free or
//   whose lease ran out, so of two senders exactly one gets a row; the lease is renewed while
//   the batch's messages wait for their turn. What someone just asked for (broadcasts, nudges)
//   is claimed first, and a person's due rows are claimed together, so their reminders of one
//   moment are one message (at most ten steps, split only for length) whatever the batch size,
//   and their escalations of a level one message (split only for length).
// - Sent and marked after Telegram answered (dispatch.ts): sent, blocked (403), failed, or
//   free again after a backoff; a 429 is sent again once its retry_after has passed, within
//   the same dispatch. A message is composed as it goes: a step done meanwhile, or a digest no
//   longer owed (compose.ts), is cancelled instead. At least once: a crash between Telegram's
//   answer and the mark repeats only the messages in flight.
// - Cancelled means not sent (cancel.ts): a row is read again right before its message goes;
//   one cancelled meanwhile (a broadcast stopped, a person removed) is left out, and only a
//   few broadcast messages wait at the sender at once, so a cancel stops all but those.
// - A broadcast is done when nothing of it is pending (progress.ts), and its counts are read
//   from the rows; so is the backlog (what is due and not sent) that monitoring reads.
//
// The bot layer renders an OutboxMessage (bot/outbox-sender.ts) and edits the live delivery
// report (bot/delivery-report.ts); this folder returns data, never sentences.

export { moveChat } from "./chats.js";
export { batchSizeFor, maxRowsOfOne } from "./claim.js";
export { cancelPending } from "./cancel.js";
export { dispatchOutbox, type DeliveryOutcome, type DispatchOptions, type DispatchResult } from "./dispatch.js";
export { enqueue, enqueueBroadcast, isUniqueViolation } from "./enqueue.js";
export {
  DeliveryFailure,
  type DeliveryKind,
  type EscalatedStep,
  type EscalationItem,
  type NewDelivery,
  type OutboxMessage,
  type OutboxSender,
  type Recipient,
  type ReminderItem,
  type StepItem,
  type UnreachedUnits,
} from "./messages.js";
export { deliveryCounts, outboxBacklog, type Backlog, type DeliveryCounts } from "./progress.js";
