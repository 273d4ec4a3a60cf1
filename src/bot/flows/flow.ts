import { Markup, TelegramError } from "telegraf";
import type { InlineKeyboardMarkup, Message } from "telegraf/types";
import type { z } from "zod";
import type { Catalogue } from "../../i18n/index.js";
import { saveFlow, type StoredFlow } from "../../services/flows.js";
import type { Person } from "../../services/people.js";
import type { PantauContext } from "../context.js";

/** A press of a flow's button: its callback data is "<prefix>:<token>:<action>[:<arg>]". */
export interface Press {
  action: string;
  arg: string | undefined;
}

const pressPattern = /^([a-z]+):([\w-]+):(\w+)(?::([\w-]+))?$/;

/** The parts of a flow button's callback data; null for anything else. */
export function parsePress(data: string): { prefix: string; token: string; press: Press } | null {
  const match = pressPattern.exec(data);
  if (!match) return null;
  const [, prefix = "", token = "", action = "", arg] = match;
  return { prefix, token, press: { action, arg } };
}

/** A button's argument as a database id or page number; null when it is not one. */
export function idOf(arg: string | undefined): number | null {
  return arg !== undefined && /^\d{1,9}$/.test(arg) ? Number(arg) : null;
}

/** What a flow's own messages may be: typed text (never a command), a photo or a document, in the private chat. */
export type FlowMessage = Message.TextMessage | Message.PhotoMessage | Message.DocumentMessage;

/**
 * What a press handler tells the router: nothing (it answered), "stale" (not a press this step
 * takes), or a refusal to show (nothing changed, so the buttons shown keep working).
 */
export type PressResult = void | "stale" | { refuse: string };

/** "pass" when the message is not the flow's to answer (the fallback pointer to /bantuan then answers). */
export type MessageResult = void | "pass";

/** Where a flow answers a press: in place of the pressed message, or below it (its buttons removed). */
export type Place = "in-place" | "below";

/** A flow's state with the token its buttons carry. */
export interface LiveFlow<S> {
  state: S;
  token: string;
}

/**
 * The identity of a flow: the kind stored with it, the prefix of its buttons and the schema of
 * its state (nothing read back from the database is trusted before it parses).
 */
export class FlowKind<S> {
  constructor(
    readonly kind: string,
    readonly prefix: string,
    private readonly schema: z.ZodType<S>,
  ) {}

  /** The stored state, or null when it does not fit this flow (written by another version, damaged). */
  read(raw: unknown): S | null {
    const parsed = this.schema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  }

  /** Moves the person's flow to `state`: a new step with a fresh token, so older buttons go stale. */
  save(ctx: PantauContext, personId: number, state: S): Promise<string> {
    return saveFlow(ctx.deps.db, personId, this.kind, state, ctx.now);
  }

  /** The button maker of a step shown under `token`. */
  buttons(token: string) {
    return (text: string, action: string, arg?: string | number) =>
      Markup.button.callback(text, [this.prefix, token, action, ...(arg === undefined ? [] : [String(arg)])].join(":"));
  }
}

/** What a flow does with the updates the router hands it; the router has loaded, parsed and (for a press) claimed. */
export interface FlowHandlers<S, A extends { personId: number }> {
  /** Who may press the flow's buttons (answers anyone else and returns null). */
  actor(ctx: PantauContext): Promise<A | null>;
  /** What Batal (action "x", at any step) answers, and where. */
  cancel: { place: Place; text(t: Catalogue): string };
  /** A claimed press: its token was current and is spent, so this press is the only one acting. */
  press(ctx: PantauContext, actor: A, state: S, press: Press): Promise<PressResult>;
  /** A message while the flow is open; without it, every message passes. */
  message?(ctx: PantauContext, person: Person, flow: LiveFlow<S>, message: FlowMessage): Promise<MessageResult>;
}

/** The `actor` of a flow whose buttons are for the person `find` accepts (it answers anyone else). */
export function personActor(find: (ctx: PantauContext) => Promise<Person | null>) {
  return async (ctx: PantauContext) => {
    const person = await find(ctx);
    return person && { personId: person.id, person };
  };
}

/** A flow as the router holds it: its state's type hidden behind the parse of its kind. */
export interface RegisteredFlow {
  readonly kind: string;
  readonly prefix: string;
  readonly cancel: FlowHandlers<unknown, { personId: number }>["cancel"];
  /**
   * The person pressing one of its buttons, with the handler of the press over the stored state
   * (null when that does not parse); null when they may not press it (already answered).
   */
  presser(ctx: PantauContext): Promise<{ personId: number; handler(stored: StoredFlow): ((press: Press) => Promise<PressResult>) | null } | null>;
  /** The handler of a message over the stored state; null when that does not parse. */
  handler(ctx: PantauContext, person: Person, stored: StoredFlow): ((message: FlowMessage) => Promise<MessageResult>) | null;
}

/** A flow for the registry (flows/registry.ts): its kind and what it does. */
export function defineFlow<S, A extends { personId: number }>(kind: FlowKind<S>, handlers: FlowHandlers<S, A>): RegisteredFlow {
  return {
    kind: kind.kind,
    prefix: kind.prefix,
    cancel: handlers.cancel,
    async presser(ctx) {
      const actor = await handlers.actor(ctx);
      if (!actor) return null;
      return {
        personId: actor.personId,
        handler(stored) {
          const state = kind.read(stored.state);
          return state === null ? null : (press) => handlers.press(ctx, actor, state, press);
        },
      };
    },
    handler(ctx, person, stored) {
      const state = kind.read(stored.state);
      if (state === null) return null;
      const message = handlers.message;
      if (!message) return async () => "pass";
      return (msg) => message(ctx, person, { state, token: stored.token }, msg);
    },
  };
}

/** What a flow's answer carries besides its text. */
export interface AnswerExtra {
  parse_mode?: "HTML";
  reply_markup?: InlineKeyboardMarkup;
}

/**
 * Answers a valid press at once (before slow work: Telegram gives up on a press left unanswered);
 * "below" also removes the pressed message's buttons, which belong to a step now passed.
 */
export async function acknowledge(ctx: PantauContext, place: Place): Promise<void> {
  await ctx.answerCbQuery();
  if (place === "below") await ctx.editMessageReplyMarkup(undefined).catch(() => undefined);
}

/**
 * Shows a flow's answer: "in-place" replaces the message whose button was pressed (one message
 * walks through the steps, and each press costs one call against the chat's rate limit); after a
 * typed message, "below", or when the edit fails, as a new message.
 */
export async function show(ctx: PantauContext, place: Place, text: string, extra: AnswerExtra = {}): Promise<void> {
  if (place === "in-place" && ctx.callbackQuery?.message) {
    try {
      await ctx.editMessageText(text, extra);
      return;
    } catch (err) {
      if (err instanceof TelegramError && err.description.includes("message is not modified")) return;
      ctx.log.warn({ err }, "could not edit the flow's message; sending a new one");
    }
  }
  await ctx.reply(text, extra);
}
