import type { Context } from "telegraf";
import { describe, expect, it } from "vitest";
import { answerError } from "../../src/bot/answer-error.js";
import { AppError } from "../../src/domain/errors.js";
import { catalogue } from "../../src/i18n/index.js";
import type { Logger } from "../../src/logger.js";

// One answer to anything thrown, for bot.catch and for the /impor work left running beside an update.

describe("answerError", () => {
  /** A context of a private message in Indonesian that records replies, and a logger that records errors. */
  function fakes() {
    const replies: string[] = [];
    const errors: unknown[] = [];
    const logger = { error: (...args: unknown[]) => void errors.push(args), warn: () => undefined } as unknown as Logger;
    const ctx = {
      t: catalogue("id"),
      log: logger,
      update: { update_id: 7 },
      chat: { id: 1 },
      reply: async (text: string) => void replies.push(text),
    } as unknown as Context;
    return { ctx, logger, replies, errors };
  }

  it("when a known AppError is thrown, then the person reads its message in their language and nothing is logged as an error", async () => {
    const { ctx, logger, replies, errors } = fakes();
    await answerError(ctx, new AppError("member.unknown_person", { person: "@rina" }), logger);
    expect(replies).toEqual(["Tidak ada orang @rina di Pantau. Tulis id Telegram-nya (angka) atau @username-nya."]);
    expect(errors).toEqual([]);
  });

  it("when anything else is thrown, then the person reads the generic apology and it is logged as an error", async () => {
    const { ctx, logger, replies, errors } = fakes();
    await answerError(ctx, new Error("boom"), logger);
    expect(replies).toEqual([catalogue("id").errors.generic]);
    expect(errors).toHaveLength(1);
  });
});
