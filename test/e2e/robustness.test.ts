import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// Polite robustness: whatever people send outside what the bot expects, they get a short
// pointer, an abandoned flow expires quietly, /batal always works, and what they type is shown
// as typed.

const pic: EmuUser = { id: 7201, first_name: "Dewi", language_code: "id" };
const coordinator: EmuUser = { id: 7202, first_name: "Budi", language_code: "id" };
const stranger: EmuUser = { id: 7203, first_name: "Orang", language_code: "id" };

const hour = 3_600_000;

describe.each(await databaseKinds())("robustness on %s", (kind) => {
  let h: Harness;
  const start = new Date("2022-01-11T09:00:00+07:00");

  /** Sends a text privately and returns the bot's next answer. */
  const ask = async (user: EmuUser, text: string) => {
    await h.emulator.sendText(user, text);
    return h.emulator.waitForMessage(user.id);
  };
  /** /lapor, then the first step: returns the percentage question. */
  const openReport = async () => {
    const pick = await ask(pic, "/lapor");
    await h.emulator.pressButton(pic, pick, buttons(pick).find((b) => b.text.includes("Penyusunan SOP layanan"))!.callback_data);
    return h.emulator.waitForMessage(pic.id);
  };
  const flowOf = async (user: EmuUser) => h.db.chatFlow.findFirst({ where: { person: { telegramId: BigInt(user.id) } } });

  beforeAll(async () => {
    h = await Harness.create(kind);
    h.clock = start;
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const code = (stdout: string) => /start=([\w-]+)/.exec(stdout)![1];
    const picInvite = await h.cli("invite", "--unit", "BABAR-DISPARBUD");
    const coordInvite = await h.cli("invite", "--role", "koordinator");
    await h.startBot();
    expect((await ask(pic, `/start ${code(picInvite.stdout)}`)).plainText).toContain("narahubung");
    expect((await ask(coordinator, `/start ${code(coordInvite.stdout)}`)).plainText).toContain("koordinator");
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when someone sends an unknown command or free text outside a flow, then they get a pointer to /bantuan", async () => {
    expect((await ask(pic, "/foo")).plainText).toContain("/bantuan");
    expect((await ask(pic, "halo, bagaimana cara melapor?")).plainText).toContain("/bantuan");
    // A stranger learns only how to join.
    expect((await ask(stranger, "halo")).plainText).toContain("belum terdaftar");
  });

  it("when a flow is left for less than a day, then it goes on; after a day the next text is outside it and its buttons are refused", async () => {
    await openReport();
    h.clock = new Date(start.getTime() + 23 * hour);
    expect((await ask(pic, "40")).plainText).toContain("catatan");
    await ask(pic, "/batal");

    const percent = await openReport();
    h.clock = new Date(h.clock.getTime() + 24 * hour + 60_000);
    // "50" would be the percentage inside the flow; a day later it is just a message.
    expect((await ask(pic, "50")).plainText).toContain("/bantuan");
    expect(await flowOf(pic)).toBeNull();
    await h.emulator.pressButton(pic, percent, buttons(percent).find((b) => b.text === "50%")!.callback_data);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("tidak berlaku");
    expect(await h.db.progressReport.count()).toBe(0);
    h.clock = start;
  });

  it("when /batal is sent outside a flow or inside any kind of flow, then it answers and the flow ends", async () => {
    expect((await ask(pic, "/batal")).plainText).toBe("Tidak ada langkah yang sedang berjalan.");

    const percent = await openReport();
    expect((await ask(pic, "/batal")).plainText).toBe("Dibatalkan.");
    expect(await flowOf(pic)).toBeNull();
    await h.emulator.pressButton(pic, percent, buttons(percent).find((b) => b.text === "25%")!.callback_data);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("tidak berlaku");

    expect((await ask(coordinator, "/siaran")).plainText).toContain("Siaran baru");
    expect((await flowOf(coordinator))?.kind).toBe("broadcast");
    expect((await ask(coordinator, "/cancel")).plainText).toBe("Dibatalkan.");
    expect(await flowOf(coordinator)).toBeNull();

    // Any other kind of flow (an import waiting for its confirmation, say) ends the same way.
    const person = await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(coordinator.id) } });
    await h.db.chatFlow.create({ data: { personId: person.id, kind: "import", state: "{}", token: "t0k3n", expiresAt: new Date(start.getTime() + hour) } });
    expect((await ask(coordinator, "/batal")).plainText).toBe("Dibatalkan.");
    expect(await flowOf(coordinator)).toBeNull();
  });

  it("when someone presses a button with data no feature knows, then the press is answered and nothing changes", async () => {
    const answer = await ask(pic, "/tugas");
    const before = h.emulator.callbackAnswers().length;
    for (const [user, data] of [
      [pic, "zz:forged"],
      [stranger, "lp"],
      [coordinator, "x".repeat(64)],
    ] as const) {
      const { callback_query_id } = await h.emulator.pressButton(user, answer, data);
      await h.answered();
      expect(h.emulator.callbackAnswers().find((a) => a.callback_query_id === callback_query_id)?.text).toContain("tidak berlaku");
    }
    expect(h.emulator.callbackAnswers().length).toBe(before + 3);
    expect(await h.db.progressReport.count()).toBe(0);
  });

  it("when a note contains <b> and &, then it is shown and stored exactly as typed", async () => {
    const percent = await openReport();
    await h.emulator.pressButton(pic, percent, buttons(percent).find((b) => b.text === "50%")!.callback_data);
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("catatan");
    const note = "Rapat <b>tim</b> & Bappeda: SOP <i>belum</i> ditandatangani";
    const confirm = await ask(pic, note);
    expect(confirm.plainText).toContain(`Catatan: ${note}`);
    expect(confirm.entities?.some((e) => e.type === "italic")).toBe(false);
    await h.emulator.pressButton(pic, confirm, buttons(confirm).find((b) => b.text.includes("Simpan"))!.callback_data);
    expect((await h.emulator.waitForMessage(pic.id)).plainText).toContain("Tersimpan");
    expect((await h.db.progressReport.findFirstOrThrow()).note).toBe(note);
  });
});
