import { describe, expect, it } from "vitest";
import { pickedStep, withPendingFile, type PendingReply } from "../../../src/bot/features/reminder-reply.js";
import type { EvidenceInput } from "../../../src/services/milestones.js";

// The question a reply to a reminder of several steps may raise: which step it is about. Its
// answers, without Telegram or a database.

const sk = { id: 11, title: "Penetapan SK tim replikasi", deliveryId: 101 };
const sop = { id: 12, title: "Penyusunan SOP layanan", deliveryId: 102 };
const pending: PendingReply = { step: "pick", reminder: 500, steps: [sk, sop], percent: 50, status: "in_progress", note: null, evidence: [] };
const photo = (n: number): EvidenceInput => ({
  kind: "photo",
  fileId: `f${n}`,
  fileUniqueId: `u${n}`,
  fileName: null,
  mimeType: "image/jpeg",
  chatId: 1,
  messageId: n,
});

describe("the pending reply", () => {
  it("when a step's button is pressed, then the reply goes to that step with its delivery; any other press is stale", () => {
    expect(pickedStep(pending, { type: "press", press: { action: "m", arg: "12" } })).toEqual(sop);
    expect(pickedStep(pending, { type: "press", press: { action: "m", arg: "13" } })).toBe("stale");
    expect(pickedStep(pending, { type: "press", press: { action: "m", arg: "x1" } })).toBe("stale");
    expect(pickedStep(pending, { type: "press", press: { action: "ok", arg: "12" } })).toBe("stale");
  });

  it("when a text names one of the steps, then it is the answer; a text naming none or both passes", () => {
    expect(pickedStep(pending, { type: "text", text: "yang SOP" })).toEqual(sop);
    expect(pickedStep(pending, { type: "text", text: "SK-nya" })).toEqual(sk);
    expect(pickedStep(pending, { type: "text", text: "terima kasih" })).toBe("pass");
    expect(pickedStep(pending, { type: "text", text: "SK dan SOP" })).toBe("pass");
  });

  it("when files come while it waits, then each is kept once, up to the limit of a report", () => {
    const one = withPendingFile(pending, photo(1));
    expect(one).toEqual({ ...pending, evidence: [photo(1)] });
    expect(withPendingFile(one as PendingReply, photo(1))).toEqual(one);
    const full = { ...pending, evidence: Array.from({ length: 10 }, (_, i) => photo(i)) };
    expect(withPendingFile(full, photo(99))).toBe("full");
  });
});
