import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness, has } from "../support/harness.js";
import { sumbar as sumatera } from "../support/sumbar-plan.js";

// Broadcasts and nudges through the real bot and the Bot API emulator: the guided /siaran flow,
// who it reaches, the live delivery report, cancelling midway, Telegram's flood control, and
// /ingatkan. Two programs: the Bangka Barat example (4 units, a few people who join through
// invites) and a generated Sumatera Barat plan (19 regions x 5 units, 300 focal points seeded).

const babar = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const sumbar = "Replikasi Inovasi 2022 Provinsi Sumatera Barat";
const sumbarRegions: readonly string[] = sumatera.regions;
const sumbarUnits = [
  ["DINKES", "Dinas Kesehatan", "Puskesmas Ramah Lansia"],
  ["DISDIK", "Dinas Pendidikan", "Jogja Belajar Class"],
  ["DUKCAPIL", "Dinas Kependudukan dan Pencatatan Sipil", "Dukcapil Jemput Bola"],
  ["DPMPTSP", "Dinas Penanaman Modal dan PTSP", "Mal Pelayanan Publik"],
  ["KOMINFO", "Dinas Komunikasi dan Informatika", "Bank Data Kelurahan"],
] as const;
const sumbarSteps = [
  ["SK tim replikasi", "2022-01-31"],
  ["Penyusunan SOP", "2022-02-10"],
  ["Studi tiru", "2022-03-15"],
] as const;
const sumbarCode = (region: string, unit: string) => `SB${String(sumbarRegions.indexOf(region) + 1).padStart(2, "0")}-${unit}`;

function writeSumbarPlan(): string {
  const rows = ["program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot"];
  for (const region of sumbarRegions) {
    for (const [code, name, innovation] of sumbarUnits) {
      for (const [title, due] of sumbarSteps) rows.push([sumbar, region, "WIB", name, sumbarCode(region, code), innovation, "", title, due, "1"].join(","));
    }
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), "pantau-sumbar-")), "rencana-aksi-sumbar-2022.csv");
  writeFileSync(file, rows.join("\n"));
  return file;
}

const budi: EmuUser = { id: 5102, first_name: "Budi", language_code: "id" }; // coordinator of Bangka Barat
const ani: EmuUser = { id: 5106, first_name: "Ani", language_code: "id" }; // coordinator of both programs
const yusuf: EmuUser = { id: 5107, first_name: "Yusuf", language_code: "id" }; // coordinator of Kota Padang only
const rina: EmuUser = { id: 5101, first_name: "Rina", language_code: "id" }; // focal point, Disparbud
const tono: EmuUser = { id: 5103, first_name: "Tono", language_code: "id" }; // focal point, Disparbud
const kadis: EmuUser = { id: 5104, first_name: "Pak Kadis", language_code: "id" }; // head of Disparbud and of Diskop
const sari: EmuUser = { id: 5105, first_name: "Sari", language_code: "id" }; // focal point, Diskop; blocks the bot
const group = { id: -5200, type: "group" as const, title: "Tim Inovasi Babar" };

/** 3 seeded focal points per Sumatera Barat unit, 6 in Kota Padang's: 300 people. */
const sumbarPeople: { user: EmuUser; unitCode: string }[] = [];
for (const region of sumbarRegions) {
  for (const [code] of sumbarUnits) {
    const n = region === "Kota Padang" ? 6 : 3;
    for (let i = 0; i < n; i++) {
      const id = 710_000 + sumbarPeople.length;
      sumbarPeople.push({ user: { id, first_name: `PIC ${id}`, language_code: "id" }, unitCode: sumbarCode(region, code) });
    }
  }
}
const padangPeople = sumbarPeople.filter((p) => p.unitCode.startsWith(sumbarCode("Kota Padang", "")));

const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(await databaseKinds())("broadcasts and nudges on %s", (kind) => {
  let h: Harness;

  /** The broadcasts a person received (text or caption under the header). */
  const copies = (user: EmuUser) => h.emulator.messages(user.id).filter(has("Pesan dari koordinator"));

  async function join(user: EmuUser, ...inviteArgs: string[]) {
    const invite = await h.cli("invite", ...inviteArgs);
    expect(invite.code, invite.stderr).toBe(0);
    await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
    await h.emulator.waitForMessage(user.id, has("Selamat bergabung"));
  }

  async function press(user: EmuUser, message: SentMessage, label: string) {
    const button = buttons(message).find((b) => b.text === label);
    expect(
      button,
      `no button "${label}" in: ${buttons(message)
        .map((b) => b.text)
        .join(" | ")}`,
    ).toBeDefined();
    await h.emulator.pressButton(user, message, button!.callback_data);
  }

  /** A report through /lapor: the step, a percentage, no note, save. */
  async function report(user: EmuUser, title: string, percent: number) {
    await h.emulator.sendText(user, "/lapor");
    const pick = await h.emulator.waitForMessage(user.id, (m) => buttons(m).some((b) => b.text.includes(title)));
    await h.emulator.pressButton(user, pick, buttons(pick).find((b) => b.text.includes(title))!.callback_data);
    await press(user, await h.emulator.waitForMessage(user.id, (m) => buttons(m).some((b) => b.text === `${percent}%`)), `${percent}%`);
    await press(user, await h.emulator.waitForMessage(user.id, (m) => buttons(m).some((b) => b.text === "Lewati")), "Lewati");
    await press(user, await h.emulator.waitForMessage(user.id, has("Simpan?")), "✅ Simpan");
    await h.emulator.waitForMessage(user.id, has("Tersimpan"));
  }

  /** /siaran (picking `program` when asked), the message, and the audience question it leads to. */
  async function compose(user: EmuUser, send: () => Promise<unknown>, program?: string): Promise<SentMessage> {
    await h.emulator.sendText(user, "/siaran");
    if (program) {
      const pick = await h.emulator.waitForMessage(user.id, has("Siaran untuk program mana?"));
      await press(user, pick, program);
      await h.emulator.waitForEdit(user.id, pick.message_id, has("Siaran baru"));
    } else {
      await h.emulator.waitForMessage(user.id, has("Siaran baru"));
    }
    await send();
    return h.emulator.waitForMessage(user.id, has("Kirim ke siapa?"));
  }

  /**
   * Presses a button of the flow's message and returns that message once the step it leads to
   * reads `shows` (the flow goes on in the same message, up to the delivery report).
   */
  async function step(user: EmuUser, message: SentMessage, label: string, shows: string, timeoutMs = 10_000): Promise<SentMessage> {
    await press(user, message, label);
    return h.emulator.waitForEdit(user.id, message.message_id, has(shows), timeoutMs);
  }

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const imported = await h.cli("import", writeSumbarPlan());
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("Dibuat: 1 program, 19 pemda, 95 OPD, 95 inovasi, 285 tahapan");
    // Scheduled reminders and escalations off: what people receive here is broadcasts and nudges only.
    await h.db.program.updateMany({ data: { reminderOffsets: "", overdueMaxReminders: 0, escalationEnabled: false } });

    const units = new Map((await h.db.unit.findMany()).map((u) => [u.code, u.id]));
    await h.db.person.createMany({
      data: sumbarPeople.map(({ user }) => ({
        telegramId: BigInt(user.id),
        firstName: user.first_name,
        language: "id",
        startedAt: new Date("2022-01-03T09:00:00+07:00"),
      })),
    });
    const persons = new Map((await h.db.person.findMany()).map((p) => [Number(p.telegramId), p.id]));
    await h.db.membership.createMany({ data: sumbarPeople.map((p) => ({ personId: persons.get(p.user.id)!, role: "pic", unitId: units.get(p.unitCode)! })) });
    for (const { user } of sumbarPeople) h.emulator.seedPrivateChat(user);

    h.clock = new Date("2022-01-18T10:00:00+07:00");
    await h.startBot();
    await join(budi, "--role", "koordinator", "--program", babar);
    await join(ani, "--role", "koordinator", "--program", babar);
    await join(ani, "--role", "koordinator", "--program", sumbar);
    await join(yusuf, "--role", "koordinator", "--program", sumbar, "--region", "Kota Padang");
    await join(rina, "--unit", "BABAR-DISPARBUD");
    await join(tono, "--unit", "BABAR-DISPARBUD");
    await join(kadis, "--unit", "BABAR-DISPARBUD", "--role", "kepala");
    await join(kadis, "--unit", "BABAR-DISKOPUKMPERIN", "--role", "kepala");
    await join(sari, "--unit", "BABAR-DISKOPUKMPERIN");
    // Dinas Pertanian has an invite nobody used; Dinas Pendidikan has none.
    expect((await h.cli("invite", "--unit", "BABAR-DISTANPANGAN")).code).toBe(0);

    // Diskop last reported on 20 January, Disparbud on 26 January (both its late steps done).
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    await report(sari, "SK tim replikasi", 50);
    h.clock = new Date("2022-01-26T09:00:00+07:00");
    await Promise.all([report(rina, "SK tim replikasi", 100), report(tono, "Penyusunan SOP layanan", 100)]);
    h.clock = new Date("2022-02-01T10:00:00+07:00");
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("when a coordinator broadcasts a text to the whole program, then each person gets one copy and the report counts the one who blocked the bot", async () => {
    const text = "Rapat evaluasi replikasi Jumat, 4 Februari 2022 pukul 09.00 di aula Setda. Mohon <hadir> & bawa data progres.";
    const ask = await compose(budi, () => h.emulator.sendText(budi, text));
    const shown = await step(budi, ask, "Semua unit program", "Pratinjau siaran");
    expect(shown.plainText).toContain(`Pratinjau siaran — ${babar}`);
    expect(shown.plainText).toContain("Mohon <hadir> & bawa data progres.");
    expect(shown.plainText).toContain(
      "Unit (4): Dinas Koperasi, UKM dan Perindustrian, Dinas Pariwisata dan Kebudayaan, Dinas Pendidikan, Kepemudaan dan Olahraga, Dinas Pertanian dan Pangan",
    );
    // Pak Kadis heads two of the units and is counted once.
    expect(shown.plainText).toContain("Akan sampai ke 4 orang di 2 unit.");
    expect(shown.plainText).toContain("2 unit belum ada yang membuka bot: Dinas Pendidikan, Kepemudaan dan Olahraga, Dinas Pertanian dan Pangan");
    expect(shown.plainText).not.toContain("memblokir");

    // Sari blocks the bot before the coordinator presses Kirim, twice (a double tap).
    await h.emulator.blockBot(sari);
    await press(budi, shown, "✅ Kirim");
    const done = await step(budi, shown, "✅ Kirim", "Status: ✅ selesai");
    expect(done.plainText).toContain(`Laporan siaran — ${babar}`);
    expect(done.plainText).toMatch(
      /Penerima: 4 orang\n\n✅ Terkirim: 3\n❌ Gagal: 0\n🚫 Memblokir bot: 1\n⏳ Menunggu: 0\n\nBelum ada yang membuka bot di 2 unit:\n• Dinas Pendidikan, Kepemudaan dan Olahraga — belum diundang\n• Dinas Pertanian dan Pangan — undangan belum dipakai$/,
    );
    expect(buttons(done)).toEqual([]);

    for (const person of [rina, tono, kadis]) {
      const got = copies(person);
      expect(got, person.first_name).toHaveLength(1);
      expect(got[0]!.plainText).toBe(`📢 Pesan dari koordinator (Budi)\n\n${text}`);
    }
    expect(copies(sari)).toHaveLength(0);
    expect((await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(sari.id) } })).blockedAt).not.toBeNull();
    // The second press of Kirim was refused: one broadcast, one report.
    expect(h.emulator.messages(budi.id).filter(has("Laporan siaran"))).toHaveLength(1);
    expect(h.emulator.callbackAnswers().some((a) => a.text?.includes("tidak berlaku"))).toBe(true);
    const stored = await h.db.broadcast.findMany();
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ status: "done", text, reportChatId: BigInt(budi.id), reportMessageId: done.message_id });
    expect(stored[0]!.finishedAt).not.toBeNull();
  });

  it("when a coordinator sends a photo to chosen units, then only the people of those units get it", async () => {
    const ask = await compose(budi, () => h.emulator.sendPhoto(budi, { caption: "Contoh papan informasi layanan SIP Banget" }));
    let chooser = await step(budi, ask, "Pilih unit…", "Ketuk unit");
    expect(buttons(chooser).map((b) => b.text)).toEqual([
      "Dinas Koperasi, UKM dan Perindustrian",
      "Dinas Pariwisata dan Kebudayaan",
      "Dinas Pendidikan, Kepemudaan dan Olahraga",
      "Dinas Pertanian dan Pangan",
      "Selesai (0)",
      "Batal",
    ]);
    await press(budi, chooser, "Dinas Koperasi, UKM dan Perindustrian");
    chooser = await h.emulator.waitForEdit(budi.id, chooser.message_id, has("Dipilih: 1 unit"));
    await press(budi, chooser, "Dinas Pertanian dan Pangan");
    chooser = await h.emulator.waitForEdit(budi.id, chooser.message_id, has("Dipilih: 2 unit"));
    expect(
      buttons(chooser)
        .filter((b) => b.text.startsWith("✅ "))
        .map((b) => b.text),
    ).toEqual(["✅ Dinas Koperasi, UKM dan Perindustrian", "✅ Dinas Pertanian dan Pangan"]);
    await press(budi, chooser, "✅ Dinas Pertanian dan Pangan");
    chooser = await h.emulator.waitForEdit(budi.id, chooser.message_id, has("Dipilih: 1 unit"));
    const shown = await step(budi, chooser, "Selesai (1)", "Pratinjau siaran");
    expect(shown.plainText).toContain("[foto] Contoh papan informasi layanan SIP Banget");
    expect(shown.plainText).toContain("Unit (1): Dinas Koperasi, UKM dan Perindustrian");
    expect(shown.plainText).toContain("Akan sampai ke 1 orang di 1 unit.");
    expect(shown.plainText).toContain("1 orang memblokir bot dan tidak akan dikirimi.");
    const done = await step(budi, shown, "✅ Kirim", "Status: ✅ selesai");
    expect(done.plainText).toContain("Penerima: 2 orang\n\n✅ Terkirim: 1\n❌ Gagal: 0\n🚫 Memblokir bot: 1\n⏳ Menunggu: 0");

    const photo = copies(kadis).at(-1)!;
    expect(photo.photo).toBe(true);
    expect(photo.plainText).toBe("📢 Pesan dari koordinator (Budi)\n\nContoh papan informasi layanan SIP Banget");
    expect(copies(kadis)).toHaveLength(2);
    for (const person of [rina, tono, sari]) expect(h.emulator.messages(person.id).some((m) => m.photo)).toBe(false);
  });

  it("when the audience is units with overdue steps or units silent for N days, then the right units are picked", async () => {
    // 1 February: Diskop's decree (due 31 Jan, 50%) and Disdikpora's (due 28 Jan) are late;
    // Disparbud's late steps are done. Disparbud reported 6 days ago, Diskop 12 days ago.
    const ask = await compose(budi, () => h.emulator.sendText(budi, "Mohon segera laporkan progres tahapan yang terlambat."));
    let shown = await step(budi, ask, "🔴 Unit dengan tahapan terlambat", "Pratinjau siaran");
    expect(shown.plainText).toContain("Penerima: unit dengan tahapan terlambat");
    expect(shown.plainText).toContain("Unit (2): Dinas Koperasi, UKM dan Perindustrian, Dinas Pendidikan, Kepemudaan dan Olahraga\n");
    expect(shown.plainText).toContain("Akan sampai ke 1 orang di 1 unit.");

    shown = await step(budi, await step(budi, shown, "↩️ Ganti penerima", "Kirim ke siapa?"), "🔕 7 hari", "Pratinjau siaran");
    expect(shown.plainText).toContain(
      "Unit (3): Dinas Koperasi, UKM dan Perindustrian, Dinas Pendidikan, Kepemudaan dan Olahraga, Dinas Pertanian dan Pangan\n",
    );

    shown = await step(budi, await step(budi, shown, "↩️ Ganti penerima", "Kirim ke siapa?"), "🔕 14 hari", "Pratinjau siaran");
    expect(shown.plainText).toContain("Unit (2): Dinas Pendidikan, Kepemudaan dan Olahraga, Dinas Pertanian dan Pangan\n");
    expect(shown.plainText).toContain("Belum ada orang yang bisa dikirimi");
    expect(buttons(shown).map((b) => b.text)).toEqual(["↩️ Ganti penerima", "Batal"]);

    shown = await step(budi, await step(budi, shown, "↩️ Ganti penerima", "Kirim ke siapa?"), "🔴 Unit dengan tahapan terlambat", "Pratinjau siaran");
    const before = { rina: copies(rina).length, tono: copies(tono).length, kadis: copies(kadis).length };
    const done = await step(budi, shown, "✅ Kirim", "Status: ✅ selesai");
    expect(done.plainText).toContain("✅ Terkirim: 1");
    expect(copies(kadis)).toHaveLength(before.kadis + 1);
    expect(copies(kadis).at(-1)!.plainText).toContain("Mohon segera laporkan progres");
    expect(copies(rina)).toHaveLength(before.rina);
    expect(copies(tono)).toHaveLength(before.tono);
    const sent = await h.db.broadcast.findFirstOrThrow({ orderBy: { id: "desc" } });
    const unitIds = (await h.db.unit.findMany({ where: { code: { in: ["BABAR-DISKOPUKMPERIN", "BABAR-DISDIKPORA"] } } })).map((u) => u.id).sort();
    expect(JSON.parse(sent.audience) as { kind: string; unitIds: number[] }).toMatchObject({ kind: "overdue", unitIds: expect.arrayContaining(unitIds) });
    expect((JSON.parse(sent.audience) as { unitIds: number[] }).unitIds).toHaveLength(2);
  });

  it("when a focal point, a group, a stale or forged button, or a region-limited coordinator tries, then nothing is queued", async () => {
    const deliveries = await h.db.delivery.count();
    const broadcasts = await h.db.broadcast.count();

    await h.emulator.sendText(rina, "/siaran");
    expect((await h.emulator.waitForMessage(rina.id, has("peran"))).plainText).toContain("bukan untuk peran Anda");
    const rinaPerson = await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(rina.id) } });
    expect(await h.db.chatFlow.findUnique({ where: { personId: rinaPerson.id } })).toBeNull();

    await h.emulator.addBotToGroup(budi, group);
    await h.emulator.sendText(budi, "/siaran", { chat: group });
    const inGroup = await h.emulator.waitForMessage(group.id);
    expect(inGroup.plainText).toContain("chat pribadi");
    expect(buttons(inGroup)).toEqual([]);

    // A message too long to fit under the header, and a photo without a caption, are refused.
    await h.emulator.sendText(budi, "/siaran");
    await h.emulator.waitForMessage(budi.id, has("Siaran baru"));
    await h.emulator.sendText(budi, "a".repeat(4057));
    expect((await h.emulator.waitForMessage(budi.id)).plainText).toBe(
      "Pesan terlalu panjang untuk satu pesan: 4057 karakter, paling banyak 4056. Persingkat lalu kirim lagi.",
    );
    await h.emulator.sendPhoto(budi);
    expect((await h.emulator.waitForMessage(budi.id)).plainText).toContain("Tambahkan keterangan (caption)");
    await h.emulator.sendText(budi, "/batal");
    expect((await h.emulator.waitForMessage(budi.id)).plainText).toBe("Dibatalkan.");

    // An audience question answered after a newer /siaran replaced it.
    const stale = await compose(budi, () => h.emulator.sendText(budi, "Pesan pertama"));
    await compose(budi, () => h.emulator.sendText(budi, "Pesan kedua"));
    await press(budi, stale, "Semua unit program");
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)).toMatchObject({ text: "Tombol ini sudah tidak berlaku.", show_alert: true });
    // Someone else's finished broadcast: a focal point and a region-limited coordinator may not cancel it.
    const first = await h.db.broadcast.findFirstOrThrow({ orderBy: { id: "asc" } });
    await h.emulator.pressButton(rina, h.emulator.messages(rina.id).at(-1)!, `bcx:${first.id}`);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("bukan untuk peran Anda");

    // Kota Padang's coordinator sees and reaches Kota Padang only.
    const ask = await compose(yusuf, () => h.emulator.sendText(yusuf, "Rapat koordinasi Kota Padang"));
    await h.emulator.pressButton(yusuf, ask, `bcx:${first.id}`);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toBe("Anda tidak bisa membatalkan siaran ini.");
    let chooser = await step(yusuf, ask, "Pilih unit…", "Ketuk unit");
    expect(buttons(chooser).map((b) => b.text)).toEqual([...sumbarUnits.map(([, name]) => name).sort((a, b) => a.localeCompare(b)), "Selesai (0)", "Batal"]);
    const agam = await h.db.unit.findUniqueOrThrow({ where: { code: sumbarCode("Kabupaten Agam", "DINKES") } });
    const token = buttons(chooser)[0]!.callback_data.split(":")[1];
    await h.emulator.pressButton(yusuf, chooser, `bc:${token}:u:${agam.id}`);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toBe("Unit ini di luar program atau wilayah Anda.");
    // A refused press changes nothing: the chooser's buttons, as shown, still work.
    await press(yusuf, chooser, "Selesai (0)");
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toBe("Pilih minimal satu unit.");
    await press(yusuf, chooser, "Dinas Kesehatan");
    chooser = await h.emulator.waitForEdit(yusuf.id, chooser.message_id, has("Dipilih: 1 unit"));
    const shown = await step(yusuf, chooser, "Selesai (1)", "Pratinjau siaran");
    expect(shown.plainText).toContain("Unit (1): Dinas Kesehatan\n");
    expect(shown.plainText).toContain("Akan sampai ke 6 orang di 1 unit.");
    expect((await step(yusuf, shown, "Batal", "Siaran dibatalkan")).plainText).toBe("Siaran dibatalkan. Tidak ada yang dikirim.");
    expect(buttons(h.emulator.messages(yusuf.id).find((m) => m.message_id === shown.message_id)!)).toEqual([]);

    // Another region's unit is not there for a nudge either.
    await h.emulator.sendText(yusuf, `/ingatkan ${agam.code}`);
    expect((await h.emulator.waitForMessage(yusuf.id)).plainText).toBe(`Tidak ada unit atau tahapan "${agam.code}" di program Anda.`);

    await h.answered();
    expect(await h.db.delivery.count()).toBe(deliveries);
    expect(await h.db.broadcast.count()).toBe(broadcasts);
    expect((await h.db.broadcast.findUniqueOrThrow({ where: { id: first.id } })).status).toBe("done");
    expect(copies(rina)).toHaveLength(1);
  });

  it("when a coordinator nudges a unit, then each focal point gets one message with its due steps, and not twice within the hour", async () => {
    await h.emulator.sendText(yusuf, "/ingatkan Dinas Kesehatan");
    const answer = await h.emulator.waitForMessage(yusuf.id);
    expect(answer.plainText).toBe(
      "👋 Diingatkan sekarang: 6 narahubung, 2 tahapan Dinas Kesehatan (Kota Padang) yang terlambat atau jatuh tempo dalam 14 hari.",
    );
    const dinkes = padangPeople.filter((p) => p.unitCode === sumbarCode("Kota Padang", "DINKES"));
    for (const { user } of dinkes) {
      const nudge = await h.emulator.waitForMessage(user.id, has("Pengingat: 2 tahapan"));
      expect(nudge.plainText).toContain("SK tim replikasi");
      expect(nudge.plainText).toContain("Penyusunan SOP");
      expect(nudge.plainText).not.toContain("Studi tiru");
    }
    const received = (u: EmuUser) => h.emulator.messages(u.id).filter(has("tahapan")).length;
    expect(dinkes.map(({ user }) => received(user))).toEqual(dinkes.map(() => 1));

    await h.emulator.sendText(yusuf, `/ingatkan ${sumbarCode("Kota Padang", "DINKES")}`);
    expect((await h.emulator.waitForMessage(yusuf.id)).plainText).toBe(
      "Dinas Kesehatan (Kota Padang) sudah diingatkan dalam jam ini; tidak ada yang dikirim lagi.",
    );
    await sleep(500);
    expect(dinkes.map(({ user }) => received(user))).toEqual(dinkes.map(() => 1));
    // Other units of Kota Padang were not nudged.
    const other = padangPeople.find((p) => p.unitCode === sumbarCode("Kota Padang", "DISDIK"))!;
    expect(received(other.user)).toBe(0);
  });

  it("when a coordinator nudges one step, then its focal points get it once per hour; a unit without focal point and unclear names are explained", async () => {
    const nudges = (u: EmuUser) => h.emulator.messages(u.id).filter(has("Koordinator mengingatkan tahapan ini"));
    await h.emulator.sendText(budi, "/ingatkan studi tiru ke kota batu");
    expect((await h.emulator.waitForMessage(budi.id)).plainText).toBe(
      "👋 Diingatkan sekarang: 2 narahubung Dinas Pariwisata dan Kebudayaan (Kabupaten Bangka Barat) tentang tahapan Studi tiru ke Kota Batu.",
    );
    for (const person of [rina, tono]) {
      const nudge = await h.emulator.waitForMessage(person.id, has("Koordinator mengingatkan tahapan ini"));
      expect(nudge.plainText).toContain("Tahapan: Studi tiru ke Kota Batu");
      expect(nudge.plainText).toContain("Tenggat: Jumat, 18 Februari 2022 (17 hari lagi)");
    }
    await h.emulator.sendText(budi, "/ingatkan Studi tiru ke Kota Batu");
    expect((await h.emulator.waitForMessage(budi.id)).plainText).toContain("sudah diingatkan dalam jam ini");
    await sleep(500);
    expect(nudges(rina)).toHaveLength(1);
    // An hour later it may be asked again.
    h.clock = new Date("2022-02-01T11:05:00+07:00");
    await h.emulator.sendText(budi, "/ingatkan BABAR-DISPARBUD Studi tiru");
    expect((await h.emulator.waitForMessage(budi.id)).plainText).toContain("Diingatkan sekarang: 2 narahubung");
    await h.emulator.waitForMessage(rina.id, has("Koordinator mengingatkan tahapan ini"));
    expect(nudges(rina)).toHaveLength(2);
    h.clock = new Date("2022-02-01T10:00:00+07:00");

    const queued = await h.db.delivery.count({ where: { kind: "nudge" } });
    await h.emulator.sendText(budi, "/ingatkan BABAR-DISTANPANGAN");
    expect((await h.emulator.waitForMessage(budi.id)).plainText).toBe(
      "Dinas Pertanian dan Pangan (Kabupaten Bangka Barat) belum punya narahubung (PIC) yang membuka bot (undangannya belum dipakai). Undang dengan /undang BABAR-DISTANPANGAN atau pantau invite --unit BABAR-DISTANPANGAN.",
    );
    await h.emulator.sendText(budi, "/ingatkan SK tim replikasi");
    const ambiguous = await h.emulator.waitForMessage(budi.id);
    expect(ambiguous.plainText).toContain("cocok dengan lebih dari satu unit atau tahapan");
    expect(ambiguous.plainText).toContain("• SK tim replikasi — Dinas Pariwisata dan Kebudayaan (BABAR-DISPARBUD)");
    expect(ambiguous.plainText).toContain("/ingatkan KODE-UNIT judul tahapan");
    await h.emulator.sendText(ani, "/ingatkan Dinas Kesehatan");
    const many = await h.emulator.waitForMessage(ani.id);
    expect(many.plainText).toContain(`• ${sumbarCode("Kabupaten Agam", "DINKES")} — Dinas Kesehatan (Kabupaten Agam)`);
    await h.emulator.sendText(budi, "/ingatkan Dinas Perhubungan");
    expect((await h.emulator.waitForMessage(budi.id)).plainText).toContain('Tidak ada unit atau tahapan "Dinas Perhubungan" di program Anda.');
    await h.emulator.sendText(rina, "/ingatkan BABAR-DISPARBUD");
    expect((await h.emulator.waitForMessage(rina.id)).plainText).toContain("bukan untuk peran Anda");
    await h.answered();
    expect(await h.db.delivery.count({ where: { kind: "nudge" } })).toBe(queued);
  });

  it("when a coordinator of two programs looks at many units, then the chooser is paged", async () => {
    const ask = await compose(ani, () => h.emulator.sendText(ani, "Uji halaman"), sumbar);
    let chooser = await step(ani, ask, "Pilih unit…", "Ketuk unit");
    expect(chooser.plainText).toContain("Halaman 1 dari 12");
    expect(buttons(chooser).filter((b) => b.text.includes(" · "))).toHaveLength(8);
    expect(buttons(chooser)[0]!.text).toBe("Dinas Kependudukan dan Pencatatan Sipil · Kabupaten Agam");
    await press(ani, chooser, "Berikutnya ▶️");
    chooser = await h.emulator.waitForEdit(ani.id, chooser.message_id, has("Halaman 2 dari 12"));
    expect(buttons(chooser).map((b) => b.text)).toContain("◀️ Sebelumnya");
    expect(buttons(chooser).some((b) => b.text.includes("Kabupaten Dharmasraya"))).toBe(true);
    expect((await step(ani, chooser, "Batal", "Siaran dibatalkan")).plainText).toContain("Tidak ada yang dikirim");
  });

  it("when Telegram answers 429 during a broadcast to 300 people, then everyone gets one copy and nothing is called before retry_after", async () => {
    const ask = await compose(ani, () => h.emulator.sendText(ani, "Batas akhir unggah bukti dukung: Senin, 14 Februari 2022."), sumbar);
    const shown = await step(ani, ask, "Semua unit program", "Pratinjau siaran");
    expect(shown.plainText).toContain("Akan sampai ke 300 orang di 95 unit.");
    expect(shown.plainText).toContain("dan 83 lainnya");

    const before = h.emulator.calls().length;
    const started = Date.now();
    for (const [i, times] of [
      [40, 1],
      [41, 1],
      [150, 2],
      [260, 1],
    ] as const) {
      h.emulator.injectFault("sendMessage", {
        error_code: 429,
        description: "Too Many Requests: retry after 1",
        retry_after: 1,
        times,
        chatId: sumbarPeople[i]!.user.id,
      });
    }
    const done = await step(ani, shown, "✅ Kirim", "Status: ✅ selesai", 60_000);
    const took = Date.now() - started;
    expect(done.plainText).toContain("Penerima: 300 orang\n\n✅ Terkirim: 300\n❌ Gagal: 0\n🚫 Memblokir bot: 0\n⏳ Menunggu: 0");
    // The report was edited as it went, with the counts of the moment, and not more than every two seconds or so.
    const edits = h.emulator.calls("editMessageText").filter((c) => c.params.message_id === done.message_id && !c.error && c.at >= started);
    const midway = edits
      .map((c) => /Terkirim: (\d+)/.exec(String(c.params.text))?.[1])
      .map(Number)
      .filter((n) => n > 0 && n < 300);
    expect(midway.length).toBeGreaterThan(0);
    expect(edits.length).toBeLessThanOrEqual(Math.ceil(took / 2000) + 2);
    for (const { user } of sumbarPeople) {
      const got = copies(user).filter(has("Batas akhir unggah bukti dukung"));
      expect(got, `${user.id}`).toHaveLength(1);
    }
    const calls = h.emulator
      .calls()
      .slice(before)
      .filter((c) => c.method !== "getUpdates");
    const refusals = calls.filter((c) => c.error?.error_code === 429);
    expect(refusals).toHaveLength(5);
    for (const refusal of refusals) {
      // Nothing reached Telegram between a 429 and its retry_after, but a call already on its way.
      const early = calls.filter((c) => c.at > refusal.at + 100 && c.at < refusal.at + 1000 - 15);
      expect(early.map((c) => `${c.method} +${c.at - refusal.at}ms`)).toEqual([]);
    }
  }, 90_000);

  it("when Telegram refuses one person's copy with 429 longer than the client retries, then it is sent once retry_after has passed and the report finishes", async () => {
    const text = "Undangan rapat evaluasi Kota Padang, Selasa pukul 10.00.";
    const ask = await compose(yusuf, () => h.emulator.sendText(yusuf, text));
    const shown = await step(yusuf, ask, "Semua unit program", "Pratinjau siaran");
    expect(shown.plainText).toContain("Akan sampai ke 30 orang di 5 unit.");
    // More refusals in a row than the client's own retries: the outbox is told to wait.
    const refused = padangPeople[7]!.user;
    h.emulator.injectFault("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1, times: 12, chatId: refused.id });
    const done = await step(yusuf, shown, "✅ Kirim", "Status: ✅ selesai", 60_000);
    expect(done.plainText).toContain("Penerima: 30 orang\n\n✅ Terkirim: 30\n❌ Gagal: 0\n🚫 Memblokir bot: 0\n⏳ Menunggu: 0");
    for (const { user } of padangPeople) expect(copies(user).filter(has(text)), `${user.id}`).toHaveLength(1);
    expect(h.emulator.calls("sendMessage").filter((c) => Number(c.params.chat_id) === refused.id && c.error?.error_code === 429)).toHaveLength(12);
  }, 90_000);

  it("when the coordinator presses Batalkan midway, then nobody else gets it and the report says how many got it before", async () => {
    // Three messages a second: the broadcast to Kota Padang's 30 focal points takes ten seconds.
    await h.restartBot({ TELEGRAM_RATE_LIMIT: "3" });
    const text = "Mohon kirim foto kegiatan sosialisasi hari ini.";
    const ask = await compose(yusuf, () => h.emulator.sendText(yusuf, text));
    const shown = await step(yusuf, ask, "Semua unit program", "Pratinjau siaran");
    expect(shown.plainText).toContain("Akan sampai ke 30 orang di 5 unit.");
    const got = () => padangPeople.filter(({ user }) => copies(user).some(has(text)));

    const report = await step(yusuf, shown, "✅ Kirim", "Status: ⏳ sedang dikirim");
    expect(buttons(report).map((b) => b.text)).toEqual(["⛔ Batalkan siaran"]);
    const deadline = Date.now() + 10_000;
    while (got().length < 3 && Date.now() < deadline) await sleep(20);
    await press(yusuf, report, "⛔ Batalkan siaran");
    const cancelled = await h.emulator.waitForEdit(yusuf.id, report.message_id, has("Status: ⛔ dibatalkan"));
    const atCancel = got().length;
    expect(h.emulator.callbackAnswers().at(-1)?.text).toContain("Siaran dibatalkan");
    expect(buttons(cancelled)).toEqual([]);

    // What was already on its way to Telegram (one message at this rate) may land; nothing else.
    await sleep(2000);
    const reached = got().length;
    expect(reached).toBeGreaterThanOrEqual(3);
    expect(reached).toBeLessThanOrEqual(atCancel + 1);
    expect(reached).toBeLessThan(30);
    for (const { user } of padangPeople) expect(copies(user).filter(has(text)).length).toBeLessThanOrEqual(1);

    const stored = await h.db.broadcast.findFirstOrThrow({ where: { text } });
    expect(stored.status).toBe("cancelled");
    expect(await h.db.delivery.count({ where: { broadcastId: stored.id, status: "sent" } })).toBe(reached);
    expect(await h.db.delivery.count({ where: { broadcastId: stored.id, status: "cancelled" } })).toBe(30 - reached);
    // The cancel is filed where the broadcast was: Kota Padang's coordinator reads both in its trail.
    const trail = await h.db.auditLog.findMany({ where: { entity: "broadcast", entityId: String(stored.id) }, orderBy: { id: "asc" } });
    expect(trail.map((r) => r.action)).toEqual(["broadcast.create", "broadcast.cancel"]);
    expect(trail[1]).toMatchObject({ programId: trail[0]!.programId, regionId: trail[0]!.regionId, targetName: trail[0]!.targetName });
    expect(trail[1]!.regionId).not.toBeNull();
    const final = h.emulator.messages(yusuf.id).find((m) => m.message_id === report.message_id)!;
    expect(final.plainText).toContain(`✅ Terkirim: ${reached}`);
    expect(final.plainText).toContain(`⛔ Dibatalkan: ${30 - reached} tidak dikirim (${reached} sudah terkirim sebelum dibatalkan)`);
    // The cancel button of a finished broadcast does nothing more.
    await h.emulator.pressButton(yusuf, report, `bcx:${stored.id}`);
    await h.answered();
    expect(h.emulator.callbackAnswers().at(-1)?.text).toBe("Siaran ini sudah selesai atau sudah dibatalkan.");
    expect(got()).toHaveLength(reached);
  }, 60_000);
});
