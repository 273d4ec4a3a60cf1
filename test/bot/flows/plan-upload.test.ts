import { describe, expect, it } from "vitest";
import type { Message } from "telegraf/types";
import { isPlanFile, uploadMessage, uploadPress } from "../../../src/bot/features/plan-upload.js";

// The /impor flow's transitions, without Telegram or a database.

const chat = { id: 1, type: "private" };
const document = (file_name: string, file_size = 1000, mime_type?: string) =>
  ({ message_id: 5, date: 0, chat, document: { file_id: "doc", file_unique_id: "u", file_name, file_size, mime_type } }) as unknown as Message.DocumentMessage;

describe("the plan upload flow", () => {
  it("when a CSV or XLSX arrives, then it is previewed; other files, photos and text are answered", () => {
    expect(uploadMessage(document("rencana.xlsx"))).toEqual({ preview: { fileId: "doc", fileName: "rencana.xlsx" } });
    expect(uploadMessage(document("sk.pdf"))).toEqual({ say: { notice: "wrong_type", name: "sk.pdf" } });
    expect(uploadMessage(document("rencana.csv", 11 * 1024 * 1024))).toEqual({ say: { notice: "too_big", bytes: 11 * 1024 * 1024 } });
    expect(uploadMessage({ message_id: 6, date: 0, chat, photo: [] } as unknown as Message.PhotoMessage)).toEqual({ say: { notice: "wrong_type", name: "" } });
    expect(uploadMessage({ message_id: 7, date: 0, chat, text: "halo" } as unknown as Message.TextMessage)).toEqual({ say: { notice: "waiting_file" } });
  });

  it("when a file has no extension, then its type decides", () => {
    expect(isPlanFile("rencana", "text/csv")).toBe(true);
    expect(isPlanFile("rencana", "application/pdf")).toBe(false);
    expect(isPlanFile("rencana.docx", "text/csv")).toBe(false);
  });

  it("when Terapkan is pressed at the preview, then the file previewed is applied; before a preview it is stale", () => {
    const confirm = { step: "confirm" as const, fileId: "doc", fileName: "rencana.xlsx" };
    expect(uploadPress(confirm, { action: "ok", arg: undefined })).toEqual({ apply: confirm });
    expect(uploadPress({ step: "file" }, { action: "ok", arg: undefined })).toBe("stale");
    expect(uploadPress(confirm, { action: "go", arg: undefined })).toBe("stale");
  });
});
