import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// The guided report survives a restart in the middle, and refuses bad input without saving.

const pic: EmuUser = { id: 6001, first_name: "Dewi", language_code: "id" };

describe.each(await databaseKinds())("/lapor on %s", (kind) => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const invite = await h.cli("invite", "--unit", "BABAR-DISTANPANGAN");
    await h.startBot();
    await h.emulator.sendText(pic, `/start ${/start=([\w-]+)/.exec(invite.stdout)![1]}`);
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("Dinas Pertanian dan Pangan");
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("continues after the bot restarts between two steps, and refuses a percentage out of range", async () => {
    await h.emulator.sendText(pic, "/lapor");
    const pick = await h.emulator.waitForMessage(pic.id);
    const first = buttons(pick)[0]!;
    await h.emulator.pressButton(pic, pick, first.callback_data);
    const percent = await h.emulator.waitForMessage(pic.id);
    expect(buttons(percent).map((b) => b.text)).toContain("75%");

    await h.restartBot();

    await h.emulator.sendText(pic, "150");
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("0 sampai 100");
    await h.emulator.sendText(pic, "80%");
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("catatan");
    const noteAsk = h.emulator.messages(pic.id).at(-1)!;
    await h.emulator.pressButton(pic, noteAsk, buttons(noteAsk).find((b) => b.text === "Lewati")!.callback_data);
    const confirm = await h.emulator.waitForMessage(pic.id);
    expect(confirm.plainText).toContain("Progres: 80%");
    // A double tap on a slow connection: both presses arrive in one batch, one report is saved.
    const save = buttons(confirm).find((b) => b.text.includes("Simpan"))!.callback_data;
    await h.emulator.pressButton(pic, confirm, save);
    await h.emulator.pressButton(pic, confirm, save);
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("Tersimpan");
    await h.answered();
    expect(h.emulator.messages(pic.id).filter((m) => m.plainText?.includes("Tersimpan"))).toHaveLength(1);
    const reports = await h.db.progressReport.findMany();
    expect(reports.map((r) => r.percent)).toEqual([80]);
  });

  it("requires a reason for a blocked step, and /batal leaves the flow without saving", async () => {
    await h.emulator.sendText(pic, "/lapor");
    const pick = await h.emulator.waitForMessage(pic.id);
    await h.emulator.pressButton(pic, pick, buttons(pick)[1]!.callback_data);
    const percent = await h.emulator.waitForMessage(pic.id);
    await h.emulator.pressButton(pic, percent, buttons(percent).find((b) => b.text.includes("Terkendala"))!.callback_data);
    const reason = await h.emulator.waitForMessage(pic.id);
    expect(reason.plainText).toContain("kendalanya");
    expect(buttons(reason).some((b) => b.text === "Lewati")).toBe(false);
    await h.emulator.sendText(pic, "/batal");
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toBe("Dibatalkan.");
    // Free text after the flow ended is not taken as a note.
    await h.emulator.sendText(pic, "anggaran belum cair");
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("/bantuan");
    expect(await h.db.progressReport.count()).toBe(1);
  });

  it("when a flow's stored state cannot be read, then it ends with an apology, by message or by button, and nothing is saved", async () => {
    await h.emulator.sendText(pic, "/lapor");
    const pick = await h.emulator.waitForMessage(pic.id);
    await h.db.chatFlow.updateMany({ data: { state: JSON.stringify({ step: "percent", milestoneId: "tujuh" }) } });
    await h.emulator.sendText(pic, "60");
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("tidak bisa dilanjutkan");
    expect(await h.db.chatFlow.count()).toBe(0);
    await h.emulator.pressButton(pic, pick, buttons(pick)[0]!.callback_data);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("sudah tidak berlaku");

    await h.emulator.sendText(pic, "/lapor");
    const again = await h.emulator.waitForMessage(pic.id);
    await h.db.chatFlow.updateMany({ data: { state: "{not json" } });
    await h.emulator.pressButton(pic, again, buttons(again)[0]!.callback_data);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)).toMatchObject({ text: expect.stringContaining("tidak bisa dilanjutkan"), show_alert: true });
    expect(await h.db.chatFlow.count()).toBe(0);
    expect(await h.db.progressReport.count()).toBe(1);
  });
});
