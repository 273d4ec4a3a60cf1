import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// The core loop of Pantau through its real doors: the CLI and the real telegraf bot polling a
// Bot API emulator, on a real SQLite file and a real PostgreSQL database.

const focalPoint: EmuUser = { id: 5001, first_name: "Rina", username: "rina_disparbud", language_code: "id" };
const coordinator: EmuUser = { id: 5002, first_name: "Budi", language_code: "id" };
const stranger: EmuUser = { id: 5003, first_name: "Orang", language_code: "id" };
const latecomer: EmuUser = { id: 5004, first_name: "Sari", language_code: "id" };

const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

describe.each(await databaseKinds())("core loop on %s", (kind) => {
  let h: Harness;
  let picCode = "";
  let coordCode = "";

  beforeAll(async () => {
    h = await Harness.create(kind);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("imports the example action plan, and a second import changes nothing", async () => {
    const first = await h.cli("import", examplePlan);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/Dibuat: 1 program, 1 pemda, 4 OPD, 4 inovasi, \d+ tahapan/);
    const steps = Number(/4 inovasi, (\d+) tahapan/.exec(first.stdout)?.[1]);
    expect(steps).toBeGreaterThanOrEqual(20);

    const again = await h.cli("import", examplePlan);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain("Dibuat: 0 program, 0 pemda, 0 OPD, 0 inovasi, 0 tahapan");
    expect(again.stdout).toContain(`Tidak berubah: ${steps} tahapan`);
    expect(await h.db.milestone.count()).toBe(steps);
  });

  it("prints invite links for a focal point and a coordinator, and refuses an unknown unit", async () => {
    const pic = await h.cli("invite", "--unit", "BABAR-DISPARBUD");
    expect(pic.code).toBe(0);
    expect(pic.stdout).toContain("Dinas Pariwisata dan Kebudayaan");
    expect(pic.stdout).toMatch(/https:\/\/t\.me\/pantau_test_bot\?start=[A-Za-z0-9_-]{20,}/);
    picCode = inviteCode(pic.stdout);

    const coord = await h.cli("invite", "--role", "koordinator");
    expect(coord.code).toBe(0);
    expect(coord.stdout).toContain("Replikasi Inovasi 2022 Kabupaten Bangka Barat");
    coordCode = inviteCode(coord.stdout);
    expect(coordCode).not.toBe(picCode);

    const unknown = await h.cli("invite", "--unit", "BABAR-TIDAKADA");
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("BABAR-TIDAKADA");
    expect(await h.db.invite.count()).toBe(2);
  });

  it("starts the bot and registers the command menu", async () => {
    await h.startBot();
    // Before anyone joins, the menu is a stranger's, in Indonesian and in English.
    expect(h.emulator.menuFor().map((c) => c.command)).toContain("bantuan");
    expect(h.emulator.menuFor(undefined, "en").map((c) => c.command)).toContain("help");
    expect(h.emulator.menuFor().map((c) => c.command)).not.toContain("lapor");
  });

  it("tells a stranger nothing but how to get an invite", async () => {
    await h.emulator.sendText(stranger, "/tugas");
    expect((await h.emulator.waitForMessage(stranger.id)).plainText).toContain("belum terdaftar");
    await h.emulator.sendText(stranger, "/rekap");
    const refused = await h.emulator.waitForMessage(stranger.id);
    expect(refused.plainText).toContain("belum terdaftar");
    expect(refused.plainText).not.toContain("Dinas");
    await h.emulator.sendText(stranger, "/start");
    expect((await h.emulator.waitForMessage(stranger.id)).plainText).toContain("tautan undangan");
    await h.emulator.sendText(stranger, "/start bukanKodeYangBenar123");
    const wrong = await h.emulator.waitForMessage(stranger.id);
    expect(wrong.plainText).toContain("tidak berlaku");
    expect(wrong.plainText).not.toContain("Dinas");
  });

  it("binds the focal point to the unit named in the invite, and the used invite is then refused", async () => {
    await h.emulator.sendText(focalPoint, `/start ${picCode}`);
    const joined = await h.emulator.waitForMessage(focalPoint.id);
    expect(joined.plainText).toContain("Dinas Pariwisata dan Kebudayaan");
    expect(joined.plainText).toContain("narahubung");

    await h.emulator.sendText(latecomer, `/start ${picCode}`);
    expect((await h.emulator.waitForMessage(latecomer.id)).plainText).toContain("tidak berlaku");

    await h.emulator.sendText(coordinator, `/start ${coordCode}`);
    expect((await h.emulator.waitForMessage(coordinator.id)).plainText).toContain("koordinator");
    // Each now has the menu of their role in their own chat.
    await h.answered();
    expect(h.emulator.menuFor({ type: "chat", chat_id: focalPoint.id }).map((c) => c.command)).toContain("lapor");
    expect(h.emulator.menuFor({ type: "chat", chat_id: coordinator.id }).map((c) => c.command)).toContain("rekap");
  });

  it("lists the focal point's open steps, soonest first, with Indonesian dates", async () => {
    await h.emulator.sendText(focalPoint, "/tugas");
    const list = await h.emulator.waitForMessage(focalPoint.id);
    expect(list.plainText).toContain("Penyusunan SOP layanan");
    expect(list.plainText).toContain("Jumat, 14 Januari 2022 (3 hari lagi)");
    // Only the focal point's own unit.
    expect(list.plainText).not.toContain("Sibakul");
    const dates = [...(list.plainText ?? "").matchAll(/Tenggat \w+, (\d+ \w+ 2022)/g)].map((m) => m[1]);
    expect(dates.length).toBeGreaterThan(1);
  });

  it("records a report through /lapor with buttons, a typed note and a confirmation", async () => {
    await h.emulator.sendText(focalPoint, "/lapor");
    const pick = await h.emulator.waitForMessage(focalPoint.id);
    const sop = buttons(pick).find((b) => b.text.includes("Penyusunan SOP layanan"));
    expect(sop).toBeDefined();
    await h.emulator.pressButton(focalPoint, pick, sop!.callback_data);

    const percent = await h.emulator.waitForMessage(focalPoint.id);
    expect(percent.plainText).toContain("Progres terakhir: 0%");
    await h.emulator.pressButton(focalPoint, percent, buttons(percent).find((b) => b.text === "50%")!.callback_data);

    expect((await h.emulator.waitForMessage(focalPoint.id)).plainText).toContain("catatan");
    await h.emulator.sendText(focalPoint, "Draf SOP sudah dibahas <b>tim</b>");

    const confirm = await h.emulator.waitForMessage(focalPoint.id);
    expect(confirm.plainText).toContain("Progres: 50%");
    expect(confirm.plainText).toContain("Draf SOP sudah dibahas <b>tim</b>"); // shown as typed, not as markup
    const save = buttons(confirm).find((b) => b.text.includes("Simpan"))!;
    await h.emulator.pressButton(focalPoint, confirm, save.callback_data);
    expect((await h.emulator.waitForMessage(focalPoint.id)).plainText).toContain("Tersimpan");

    const step = await h.db.milestone.findFirstOrThrow({ where: { title: "Penyusunan SOP layanan", initiative: { name: "SIP Banget" } } });
    expect(step.progress).toBe(50);
    expect(step.status).toBe("in_progress");
    const reports = await h.db.progressReport.findMany({ where: { milestoneId: step.id } });
    expect(reports).toHaveLength(1);
    expect(reports[0]!.note).toBe("Draf SOP sudah dibahas <b>tim</b>");
    expect(reports[0]!.source).toBe("flow");

    // Pressing Save again (a replay) records nothing more.
    await h.emulator.pressButton(focalPoint, confirm, save.callback_data);
    await h.answered();
    expect(await h.db.progressReport.count()).toBe(1);
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("tidak berlaku");
  });

  it("refuses forged buttons: a stranger's press and a step of another unit change nothing", async () => {
    await h.emulator.sendText(focalPoint, "/lapor");
    const pick = await h.emulator.waitForMessage(focalPoint.id);
    const token = buttons(pick)[0]!.callback_data.split(":")[1];
    const otherUnit = await h.db.milestone.findFirstOrThrow({ where: { initiative: { unit: { code: { not: "BABAR-DISPARBUD" } } } } });

    await h.emulator.pressButton(stranger, pick, `lp:${token}:m:${otherUnit.id}`);
    await h.emulator.pressButton(focalPoint, pick, `lp:${token}:m:${otherUnit.id}`);
    await h.answered();
    const answers = h.emulator.callbackAnswers().slice(-2);
    expect(answers[0]!.text).toContain("belum terdaftar");
    expect(answers[1]!.text).toContain("tidak punya akses");
    expect((await h.db.milestone.findUniqueOrThrow({ where: { id: otherUnit.id } })).progress).toBe(0);
    expect(await h.db.progressReport.count()).toBe(1);
    await h.emulator.sendText(focalPoint, "/batal");
    expect((await h.emulator.waitForMessage(focalPoint.id)).plainText).toBe("Dibatalkan.");
  });

  it("sends the focal point one message listing both steps due, once, and a second pass sends nothing", async () => {
    const dry = await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00", "--dry-run");
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain("Penyusunan SOP layanan");
    expect(h.emulator.calls("sendMessage").filter((c) => String(c.params.text).includes("Pengingat"))).toHaveLength(0);

    const pass = await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00");
    expect(pass.code).toBe(0);
    expect(pass.stdout).toMatch(/Terkirim 2/);
    // H-3 of the SOP and the overdue decree are due at the same moment: one message, not two pings.
    const reminder = await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("Penyusunan SOP layanan"));
    expect(reminder.plainText).toContain("Pengingat: 2 tahapan");
    expect(reminder.plainText).toContain("SK tim replikasi");
    expect(reminder.plainText).toContain("SIP Banget · Dinas Pariwisata dan Kebudayaan");
    expect(reminder.plainText).toContain("Tenggat: Jumat, 14 Januari 2022 (3 hari lagi)");
    expect(reminder.plainText).toContain("Progres terakhir: 50%");
    const sent = h.emulator.messages(focalPoint.id).length;

    const second = await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00");
    expect(second.stdout).toContain("Tidak ada pengingat");
    expect(h.emulator.messages(focalPoint.id)).toHaveLength(sent);
    // The coordinator is not a focal point and gets no reminder.
    expect(h.emulator.messages(coordinator.id).some((m) => m.plainText?.includes("Pengingat"))).toBe(false);
  });

  it("asks which step a reply to a reminder listing several steps is about when it names none, then records the reply kept", async () => {
    const reminder = h.emulator.messages(focalPoint.id).find((m) => m.plainText?.includes("Pengingat: 2 tahapan"))!;
    await h.emulator.sendText(focalPoint, "sudah selesai", { replyTo: reminder.message_id });
    const pick = await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("yang mana"));
    expect(pick.plainText).toContain("Balasan Anda: selesai (100%)");
    const choices = buttons(pick).filter((b) => b.text !== "Batal");
    expect(choices.map((b) => b.text.replace(/^🔴 /, "").split(" · ")[0]).sort()).toEqual(["Penyusunan SOP layanan", "SK tim replikasi"]);
    await h.emulator.pressButton(focalPoint, pick, choices.find((b) => b.text.includes("SK tim"))!.callback_data);
    expect((await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("Tersimpan"))).plainText).toContain("SK tim replikasi");
    expect((await h.db.milestone.findFirstOrThrow({ where: { title: "SK tim replikasi", initiative: { name: "SIP Banget" } } })).status).toBe("done");
  });

  it("records a plain-language reply to a reminder against that reminder's step", async () => {
    const pass = await h.cli("remind", "--at", "2022-01-13T08:05:00+07:00");
    expect(pass.stdout).toMatch(/Terkirim 1/);
    const reminder = await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("Pengingat tenggat (H-1)"));
    expect(reminder.plainText).toContain("Inovasi: SIP Banget — replikasi dari Kota Batu");
    expect(reminder.plainText).toContain("Tahapan: Penyusunan SOP layanan");
    expect(reminder.plainText).toContain("Tenggat: Jumat, 14 Januari 2022 (1 hari lagi)");
    await h.emulator.sendText(focalPoint, "75% SOP tinggal tanda tangan", { replyTo: reminder.message_id });
    const confirmation = await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("Tersimpan"));
    expect(confirmation.plainText).toContain("Penyusunan SOP layanan");
    expect(confirmation.plainText).toContain("75%");
    expect(confirmation.plainText).toContain("SOP tinggal tanda tangan");

    await h.emulator.sendText(focalPoint, "ok siap", { replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(focalPoint.id)).plainText).toContain("belum paham");
    await h.emulator.sendText(focalPoint, "terkendala", { replyTo: reminder.message_id });
    expect((await h.emulator.waitForMessage(focalPoint.id)).plainText).toContain("Apa kendalanya?");

    const step = await h.db.milestone.findFirstOrThrow({ where: { title: "Penyusunan SOP layanan", initiative: { name: "SIP Banget" } } });
    expect(step.progress).toBe(75);
    const last = await h.db.progressReport.findFirstOrThrow({ where: { milestoneId: step.id }, orderBy: { id: "desc" } });
    expect(last.source).toBe("reply");
    expect(last.deliveryId).not.toBeNull();
  });

  it("gives the coordinator a recap with progress bars and the overdue steps with days late", async () => {
    await h.emulator.sendText(coordinator, "/rekap");
    const recap = await h.emulator.waitForMessage(coordinator.id);
    expect(recap.plainText).toContain("Rekap Replikasi Inovasi 2022 Kabupaten Bangka Barat");
    expect(recap.plainText).toMatch(/Dinas Pariwisata dan Kebudayaan [▓░]{10} \d+%/);
    expect(recap.plainText).toContain("Dinas Koperasi, UKM dan Perindustrian");
    // Then the same recap as a chart, on request.
    await h.emulator.pressButton(coordinator, recap, buttons(recap).find((b) => b.text.includes("Grafik"))!.callback_data);
    const chart = await h.emulator.waitForMessage(coordinator.id);
    expect(chart.method).toBe("sendPhoto");

    h.clock = new Date("2022-01-20T09:00:00+07:00");
    await h.emulator.sendText(coordinator, "/terlambat");
    const late = await h.emulator.waitForMessage(coordinator.id);
    expect(late.plainText).toContain("Penyusunan SOP layanan");
    expect(late.plainText).toContain("terlambat 6 hari");
    expect(late.plainText).toContain("PIC: Rina");

    // A focal point may not see the program recap.
    await h.emulator.sendText(focalPoint, "/rekap");
    expect((await h.emulator.waitForMessage(focalPoint.id)).plainText).toContain("bukan untuk peran Anda");
  });

  it("marks a focal point who blocked the bot, skips them, and reminds them again once they write", async () => {
    // Telegram tells the bot at once (my_chat_member): the person is marked and not even tried.
    await h.emulator.blockBot(focalPoint);
    await h.answered();
    const person = await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(focalPoint.id) } });
    expect(person.blockedAt).not.toBeNull();
    const sentBefore = h.emulator.calls("sendMessage").length;
    const blocked = await h.cli("remind", "--at", "2022-01-14T08:05:00+07:00");
    expect(blocked.stdout).not.toContain("Terkirim 1");
    expect(h.emulator.calls("sendMessage").filter((c) => Number(c.params.chat_id) === focalPoint.id).length).toBe(
      h.emulator
        .calls("sendMessage")
        .slice(0, sentBefore)
        .filter((c) => Number(c.params.chat_id) === focalPoint.id).length,
    );
    expect((await h.cli("remind", "--at", "2022-01-15T08:05:00+07:00", "--dry-run")).stdout).not.toContain("Rina");

    await h.emulator.unblockBot(focalPoint);
    await h.emulator.sendText(focalPoint, "/tugas");
    await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("Tahapan terbuka"));
    const back = await h.cli("remind", "--at", "2022-01-15T08:05:00+07:00");
    expect(back.stdout).toMatch(/Terkirim [1-9]/);
    const overdue = await h.emulator.waitForMessage(focalPoint.id, (m) => !!m.plainText?.includes("Tahapan terlambat 1 hari"));
    expect(overdue.plainText).toContain("Penyusunan SOP layanan");
  });

  it("never writes the bot token into the logs", () => {
    expect(h.logs.length).toBeGreaterThan(0);
    expect(h.logs.join("")).not.toContain(h.emulator.token.split(":")[1]);
  });
});
