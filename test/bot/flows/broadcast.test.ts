import { describe, expect, it } from "vitest";
import type { Message } from "telegraf/types";
import { broadcastMessage, broadcastPress, draftOf, type BroadcastState } from "../../../src/bot/features/broadcast.js";

// The /siaran flow's transitions, without Telegram or a database.

const draft = { text: "Rapat Senin jam 9", photoFileId: null, documentId: null };
const press = (action: string, arg?: number) => ({ action, arg: arg === undefined ? undefined : String(arg) });
const audience: BroadcastState = { step: "audience", programId: 3, draft };
const units: BroadcastState = { step: "units", programId: 3, draft, selected: [11], page: 0 };

describe("the broadcast flow", () => {
  it("when the program is picked, then the flow waits for the message; the text becomes the draft", () => {
    expect(broadcastPress({ step: "program" }, press("p", 3), [])).toEqual({ to: { step: "compose", programId: 3 } });
    expect(broadcastPress({ step: "program" }, press("p"), [])).toBe("stale");
    const compose: BroadcastState = { step: "compose", programId: 3 };
    expect(broadcastMessage(compose, draft, 100)).toEqual({ to: { step: "audience", programId: 3, draft } });
    expect(broadcastMessage(compose, "empty", 100)).toEqual({ say: { notice: "empty" } });
    expect(broadcastMessage(compose, "no_caption", 100)).toEqual({ say: { notice: "no_caption" } });
    expect(broadcastMessage(compose, draft, 10)).toEqual({ say: { notice: "too_long", length: 17, max: 10 } });
    // Past the compose step a message is not the flow's.
    expect(broadcastMessage(audience, draft, 100)).toBe("pass");
  });

  it("when a message is a photo or document, then its caption is the text and the file goes with it", () => {
    const photo = { message_id: 1, date: 0, chat: { id: 1, type: "private" }, photo: [{ file_id: "small" }, { file_id: "large" }], caption: " Foto " };
    expect(draftOf(photo as unknown as Message.PhotoMessage)).toEqual({ text: "Foto", photoFileId: "large", documentId: null });
    const bare = { message_id: 2, date: 0, chat: { id: 1, type: "private" }, document: { file_id: "doc" } };
    expect(draftOf(bare as unknown as Message.DocumentMessage)).toBe("no_caption");
    expect(draftOf({ message_id: 3, date: 0, chat: { id: 1, type: "private" }, text: "   " } as unknown as Message.TextMessage)).toBe("empty");
  });

  it("when an audience is chosen, then the preview follows; silent days only from the choices offered", () => {
    expect(broadcastPress(audience, press("all"), [])).toEqual({ to: { step: "preview", programId: 3, draft, audience: { kind: "program" } } });
    expect(broadcastPress(audience, press("late"), [])).toMatchObject({ to: { audience: { kind: "overdue" } } });
    expect(broadcastPress(audience, press("sil", 14), [])).toMatchObject({ to: { audience: { kind: "silent", days: 14 } } });
    expect(broadcastPress(audience, press("sil", 3), [])).toBe("stale");
    expect(broadcastPress(audience, press("pick"), [])).toEqual({ to: { step: "units", programId: 3, draft, selected: [], page: 0 } });
  });

  it("when units are toggled, then only units in reach change the selection, and none selected is refused", () => {
    expect(broadcastPress(units, press("u", 12), [11, 12])).toEqual({ to: { ...units, selected: [11, 12] } });
    expect(broadcastPress(units, press("u", 11), [11, 12])).toEqual({ to: { ...units, selected: [] } });
    expect(broadcastPress(units, press("u", 99), [11, 12])).toEqual({ refuse: "unitOutOfReach" });
    expect(broadcastPress(units, press("pg", 2), [11, 12])).toEqual({ to: { ...units, page: 2 } });
    expect(broadcastPress({ ...units, selected: [] }, press("ok"), [11])).toEqual({ refuse: "noneSelected" });
    expect(broadcastPress(units, press("ok"), [11])).toMatchObject({ to: { step: "preview", audience: { kind: "units", unitIds: [11] } } });
  });

  it("when the preview is open, then Kirim sends it, Ubah goes back to the audience, anything else is stale", () => {
    const preview: BroadcastState = { step: "preview", programId: 3, draft, audience: { kind: "program" } };
    expect(broadcastPress(preview, press("go"), [])).toEqual({ send: preview });
    expect(broadcastPress(preview, press("chg"), [])).toEqual({ to: audience });
    expect(broadcastPress(preview, press("all"), [])).toBe("stale");
    expect(broadcastPress({ step: "compose", programId: 3 }, press("go"), [])).toBe("stale");
  });
});
