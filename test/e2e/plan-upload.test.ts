import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readCsvTable } from "../../src/files/plan-file.js";
import type { EmuChat, EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";
import { workbookBytes } from "../support/plan-xlsx.js";

// /impor through the real bot and the Bot API emulator: a coordinator sends the action plan as
// a file, sees a dry-run preview, confirms; nothing changes before the confirm or on an error.

const coordinator: EmuUser = { id: 6101, first_name: "Budi", language_code: "id" };
const focalPoint: EmuUser = { id: 6102, first_name: "Rina", language_code: "id" };
const padang: EmuUser = { id: 6103, first_name: "Yusuf", language_code: "id" };
const group: EmuChat = { id: -610100, type: "group", title: "Tim Inovasi Babar" };

const xlsxMime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const program = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

/** The example plan with "SK tim replikasi" moved from 7 to 21 January and one new step. */
async function changedPlanXlsx(): Promise<Buffer> {
  const [header, ...rows] = readCsvTable(readFileSync(examplePlan));
  const due = header!.indexOf("tenggat");
  const step = header!.indexOf("tahapan");
  expect(rows[0]![step]).toBe("SK tim replikasi");
  const moved = rows.map((cells, r) => (r === 0 ? cells.map((c, i) => (i === due ? "2022-01-21" : c)) : cells));
  const added = rows[0]!.map((c, i) => (i === step ? "Sosialisasi layanan ke masyarakat" : i === due ? "30 Juni 2022" : c));
  return workbookBytes([header!, ...moved, added]);
}

describe.each(await databaseKinds())("plan upload (/impor) on %s", (kind) => {
  let h: Harness;
  let steps = 0;

  const skDue = async () => (await h.db.milestone.findFirstOrThrow({ where: { title: "SK tim replikasi", initiative: { name: "SIP Banget" } } })).dueDate;
  const answerFor = (id: string) =>
    vi.waitFor(() => {
      const answer = h.emulator.callbackAnswers().find((a) => a.callback_query_id === id);
      if (!answer) throw new Error("not answered yet");
      return answer;
    });
  const reply = (user: EmuUser, predicate?: (m: SentMessage) => boolean) => h.emulator.waitForMessage(user.id, predicate, 8000);

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    steps = await h.db.milestone.count();
    const coord = inviteCode((await h.cli("invite", "--role", "koordinator")).stdout);
    const pic = inviteCode((await h.cli("invite", "--unit", "BABAR-DISPARBUD")).stdout);
    await h.startBot();
    await h.emulator.sendText(coordinator, `/start ${coord}`);
    await h.emulator.sendText(focalPoint, `/start ${pic}`);
    await reply(coordinator);
    await reply(focalPoint);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when a coordinator sends a changed plan, then the preview counts it, nothing changes before Terapkan, and a resend is unchanged", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    expect((await reply(coordinator)).plainText).toContain("Kirim berkas CSV atau XLSX");

    const file = await changedPlanXlsx();
    await h.emulator.sendDocument(coordinator, { fileName: "rencana-aksi.xlsx", mimeType: xlsxMime, content: file });
    const preview = await reply(coordinator);
    expect(preview.plainText).toContain("Pratinjau impor");
    expect(preview.plainText).toContain("Akan dibuat: 0 pemda, 0 OPD, 0 inovasi, 1 tahapan");
    expect(preview.plainText).toContain("Akan diperbarui: 0 pemda, 0 OPD, 0 inovasi, 1 tahapan");
    expect(preview.plainText).toContain(`Tidak berubah: ${steps - 1} tahapan`);
    expect(preview.plainText).toContain("Sosialisasi layanan ke masyarakat");
    expect(preview.plainText).toMatch(/SK tim replikasi.*7 Jan 2022 → 21 Jan 2022/);
    expect(buttons(preview).map((b) => b.text)).toEqual(["✅ Terapkan", "Batal"]);
    // A preview is a dry run.
    expect(await h.db.milestone.count()).toBe(steps);
    expect(await skDue()).toBe("2022-01-07");

    // A forged button (wrong token) changes nothing.
    const apply = buttons(preview).find((b) => b.text.includes("Terapkan"))!.callback_data;
    const forged = await h.emulator.pressButton(coordinator, preview, apply.replace(/^pu:[\w-]+:/, "pu:palsu123:"));
    expect((await answerFor(forged.callback_query_id)).text).toContain("tidak berlaku");
    expect(await h.db.milestone.count()).toBe(steps);

    await h.emulator.pressButton(coordinator, preview, apply);
    const done = await reply(coordinator);
    expect(done.plainText).toContain("Impor selesai");
    expect(done.plainText).toContain("Dibuat: 0 pemda, 0 OPD, 0 inovasi, 1 tahapan");
    expect(done.plainText).toContain("Diperbarui: 0 pemda, 0 OPD, 0 inovasi, 1 tahapan");
    expect(await h.db.milestone.count()).toBe(steps + 1);
    expect(await skDue()).toBe("2022-01-21");
    expect((await h.db.milestone.findFirstOrThrow({ where: { title: "Sosialisasi layanan ke masyarakat" } })).dueDate).toBe("2022-06-30");

    // The same (now stale) button again: refused, nothing imported twice.
    const stale = await h.emulator.pressButton(coordinator, preview, apply);
    expect((await answerFor(stale.callback_query_id)).text).toContain("tidak berlaku");

    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator);
    await h.emulator.sendDocument(coordinator, { fileName: "rencana-aksi.xlsx", mimeType: xlsxMime, content: file });
    const again = await reply(coordinator);
    expect(again.plainText).toContain(`Tidak berubah: ${steps + 1} tahapan`);
    expect(again.plainText).toContain("tidak ada yang perlu diterapkan");
    expect(buttons(again)).toEqual([]);
    expect(await h.db.milestone.count()).toBe(steps + 1);
  });

  it("when a file has bad rows or rows of another program, then the errors name the rows and nothing changes", async () => {
    const before = await h.db.milestone.findMany({ orderBy: { id: "asc" }, select: { id: true, dueDate: true, weight: true } });
    const header = "program,pemda,opd,inovasi,tahapan,tenggat";
    const base = `${program},Kabupaten Bangka Barat,Dinas Pariwisata dan Kebudayaan,SIP Banget`;
    const bad = [header, `${base},SK tim replikasi,31 Februari 2022`, `${base},,2022-05-01`].join("\n");

    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator);
    await h.emulator.sendDocument(coordinator, { fileName: "rencana.csv", mimeType: "text/csv", content: Buffer.from(bad) });
    const rejected = await reply(coordinator);
    expect(rejected.plainText).toContain("Berkas ditolak: 2 kesalahan");
    expect(rejected.plainText).toContain("Baris 2, kolom tenggat");
    expect(rejected.plainText).toContain("Baris 3, kolom tahapan");

    // Still waiting for a file: one for a program the coordinator does not have is refused.
    const other = [header, `${base},SK tim replikasi,2022-01-21`, `KIPP 2023,Kabupaten Bangka Barat,Bagian Organisasi,Proposal A,Verifikasi,2022-03-01`].join(
      "\n",
    );
    await h.emulator.sendDocument(coordinator, { fileName: "rencana.csv", mimeType: "text/csv", content: Buffer.from(other) });
    const refused = await reply(coordinator);
    expect(refused.plainText).toContain("Berkas ditolak: 1 kesalahan");
    expect(refused.plainText).toMatch(/Baris 3, kolom program: program "KIPP 2023" belum ada; program baru hanya bisa dibuat admin/);

    // A photo or a Word document is not a plan.
    await h.emulator.sendDocument(coordinator, { fileName: "rencana.docx", mimeType: "application/msword", content: Buffer.from("PK") });
    expect((await reply(coordinator)).plainText).toContain("bukan berkas rencana aksi");

    await h.emulator.sendText(coordinator, "/batal");
    expect((await reply(coordinator)).plainText).toContain("Dibatalkan");
    expect(await h.db.program.count()).toBe(1);
    expect(await h.db.milestone.findMany({ orderBy: { id: "asc" }, select: { id: true, dueDate: true, weight: true } })).toEqual(before);
  });

  it("when a coordinator limited to one region sends rows of other regions or programs, or changes a shared region, then those rows are refused", async () => {
    const sumbar = "Replikasi Inovasi Sumatera Barat 2021";
    const header = "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot";
    const padangRow = `${sumbar},Kota Padang,WIB,Dinas Kesehatan,PDG-DINKES,Ayo Ceting,Kota Padang,SK tim replikasi`;
    const agamRow = `${sumbar},Kabupaten Agam,WIB,Dinas Pariwisata,AGAM-DISPAR,SIP Banget,Kota Batu,SK tim replikasi`;
    // The province's program also has a unit in Kabupaten Bangka Barat: that region is shared.
    const babarRow = `${sumbar},Kabupaten Bangka Barat,WIB,Bappeda,BABAR-BAPPEDA,Satu Data,Kota Padang,SK tim replikasi`;
    const path = join(mkdtempSync(join(tmpdir(), "pantau-upload-")), "sumbar.csv");
    writeFileSync(path, [header, `${padangRow},2022-01-21,1`, `${agamRow},2022-01-21,1`, `${babarRow},2022-01-21,1`].join("\n"));
    expect((await h.cli("import", path)).code).toBe(0);
    const code = inviteCode((await h.cli("invite", "--role", "koordinator", "--program", sumbar, "--region", "Kota Padang")).stdout);
    await h.emulator.sendText(padang, `/start ${code}`);
    await reply(padang);
    const before = await h.db.milestone.findMany({ orderBy: { id: "asc" }, select: { id: true, dueDate: true } });

    await h.emulator.sendText(padang, "/impor");
    expect((await reply(padang)).plainText).toContain("hanya pemda Kota Padang");
    const file = [
      header,
      `${padangRow},2022-02-01,1`,
      `${agamRow},2022-02-01,1`,
      `${program},Kabupaten Bangka Barat,WIB,Dinas Pariwisata dan Kebudayaan,BABAR-DISPARBUD,SIP Banget,Kota Batu,SK tim replikasi,2022-02-01,1`,
    ].join("\n");
    await h.emulator.sendDocument(padang, { fileName: "padang.csv", mimeType: "text/csv", content: Buffer.from(file) });
    const refused = await reply(padang);
    expect(refused.plainText).toContain("Berkas ditolak: 2 kesalahan");
    expect(refused.plainText).toContain('Baris 3, kolom pemda: Anda tidak mengoordinasi pemda "Kabupaten Agam"');
    expect(refused.plainText).toContain(`Baris 4, kolom program: Anda bukan koordinator program "${program}"`);
    expect(refused.plainText).not.toContain("Baris 2");

    // The Bangka Barat coordinator may not move the shared region to another time zone.
    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator);
    const wita = [
      header,
      `${program},Kabupaten Bangka Barat,WITA,Dinas Pariwisata dan Kebudayaan,BABAR-DISPARBUD,SIP Banget,Kota Batu,SK tim replikasi,2022-01-21,1`,
    ].join("\n");
    await h.emulator.sendDocument(coordinator, { fileName: "babar.csv", mimeType: "text/csv", content: Buffer.from(wita) });
    expect((await reply(coordinator)).plainText).toContain('Baris 2, kolom zona_waktu: pemda "Kabupaten Bangka Barat" dipakai program lain juga');

    await h.emulator.sendText(padang, "/batal");
    await h.emulator.sendText(coordinator, "/batal");
    await reply(padang);
    await reply(coordinator);
    expect(await h.db.milestone.findMany({ orderBy: { id: "asc" }, select: { id: true, dueDate: true } })).toEqual(before);
    expect((await h.db.region.findUniqueOrThrow({ where: { name: "Kabupaten Bangka Barat" } })).timezone).toBe("Asia/Jakarta");
  });

  it("when a file is larger than the 10 MB limit, then it is refused naming the limit, without being downloaded", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator);
    const downloads = h.emulator.calls("getFile").length;
    const big = Buffer.alloc(10 * 1024 * 1024 + 1, "a");
    await h.emulator.sendDocument(coordinator, { fileName: "rencana.csv", mimeType: "text/csv", content: big });
    const refused = await reply(coordinator);
    expect(refused.plainText).toContain("Berkas ini terlalu besar (10.0 MB); batas berkas rencana aksi 10 MB");
    expect(h.emulator.calls("getFile")).toHaveLength(downloads);
    await h.emulator.sendText(coordinator, "/batal");
    await reply(coordinator);
  });

  /** A CSV of `count` new steps of SIP Banget, named "<name> 1", "<name> 2", …. */
  const manySteps = (count: number, name = "Langkah") =>
    Buffer.from(
      [
        "program,pemda,opd,inovasi,tahapan,tenggat",
        ...Array.from({ length: count }, (_, i) => `${program},Kabupaten Bangka Barat,Dinas Pariwisata dan Kebudayaan,SIP Banget,${name} ${i + 1},2022-06-30`),
      ].join("\n"),
    );

  it("when a plan has more than 10,000 steps, then it is refused naming the cap, and nothing changes", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator);
    await h.emulator.sendDocument(coordinator, { fileName: "rencana.csv", mimeType: "text/csv", content: manySteps(10_001) });
    const refused = await reply(coordinator, (m) => m.plainText?.includes("ditolak") ?? false);
    expect(refused.plainText).toContain("lebih dari 10.000 tahapan, batas satu impor");
    expect(await h.db.milestone.count({ where: { title: { startsWith: "Langkah " } } })).toBe(0);
    await h.emulator.sendText(coordinator, "/batal");
    await reply(coordinator);
  });

  it("while a plan of 10,000 steps is read and previewed, another user's /tugas is answered first", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator);
    await h.emulator.sendDocument(coordinator, { fileName: "rencana.csv", mimeType: "text/csv", content: manySteps(10_000) });
    // The bot has taken the file's update before the focal point writes.
    await vi.waitFor(() => expect(h.emulator.pendingUpdates()).toBe(0), { timeout: 10_000 });
    await h.emulator.sendText(focalPoint, "/tugas");
    const tasks = await h.emulator.waitForMessage(focalPoint.id, (m) => m.plainText?.includes("SIP Banget") ?? false, 60_000);
    const preview = await h.emulator.waitForMessage(coordinator.id, (m) => m.plainText?.includes("Pratinjau impor") ?? false, 120_000);
    expect(preview.plainText).toContain("Akan dibuat: 0 pemda, 0 OPD, 0 inovasi, 10000 tahapan");
    // Ordering, not timing: the answer to /tugas went out before the preview.
    const sends = h.emulator.calls("sendMessage");
    const sentAt = (m: SentMessage) => sends.findIndex((c) => c.params.chat_id === m.chat_id && c.params.text === m.text);
    expect(sentAt(tasks)).toBeLessThan(sentAt(preview));
    await h.emulator.sendText(coordinator, "/batal");
    await reply(coordinator);
    expect(await h.db.milestone.count({ where: { title: { startsWith: "Langkah " } } })).toBe(0);
  }, 180_000);

  /** The coordinator's messages from the bot after the first `from`, once `predicate` holds for one. */
  const messagesUntil = (from: number, predicate: (m: SentMessage) => boolean, timeout: number) =>
    vi.waitFor(
      () => {
        const sent = h.emulator.messages(coordinator.id).slice(from);
        if (!sent.some(predicate)) throw new Error("not yet");
        return sent;
      },
      { timeout, interval: 100 },
    );
  const says = (text: string) => (m: SentMessage) => m.plainText?.includes(text) ?? false;

  it("when a coordinator sends a second file while the first is still read, then they are asked to wait and the plan is imported once", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator);
    const from = h.emulator.messages(coordinator.id).length;
    await h.emulator.sendDocument(coordinator, { fileName: "rencana-1.csv", mimeType: "text/csv", content: manySteps(3000, "Tahap ganda") });
    await h.emulator.sendDocument(coordinator, { fileName: "rencana-2.csv", mimeType: "text/csv", content: manySteps(3000, "Tahap ganda") });
    const sent = await messagesUntil(from, says("Pratinjau impor"), 120_000);
    expect(sent.find(says("masih membaca berkas Anda sebelumnya"))).toBeDefined();
    // One preview, of the first file; the second was never read.
    const previews = sent.filter(says("Pratinjau impor"));
    expect(previews).toHaveLength(1);
    expect(previews[0]!.plainText).toContain("rencana-1.csv");
    expect(previews[0]!.plainText).toContain("Akan dibuat: 0 pemda, 0 OPD, 0 inovasi, 3000 tahapan");

    await h.emulator.pressButton(coordinator, previews[0]!, buttons(previews[0]!).find((b) => b.text.includes("Terapkan"))!.callback_data);
    const done = await messagesUntil(from, says("Impor selesai"), 120_000);
    expect(done.filter(says("Impor selesai"))).toHaveLength(1);
    expect(await h.db.milestone.count({ where: { title: { startsWith: "Tahap ganda " } } })).toBe(3000);
    expect(await h.db.chatFlow.count()).toBe(0);
  }, 240_000);

  it("when the bot is stopped while an import is being applied, then the stop waits: the import completes and the coordinator is told", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator);
    const from = h.emulator.messages(coordinator.id).length;
    await h.emulator.sendDocument(coordinator, { fileName: "rencana.csv", mimeType: "text/csv", content: manySteps(5000, "Tahap berhenti") });
    const preview = (await messagesUntil(from, says("Pratinjau impor"), 120_000)).find(says("Pratinjau impor"))!;
    const applying = () => h.logs.filter((line) => line.includes("applying an action plan from Telegram")).length;
    const started = applying();
    await h.emulator.pressButton(coordinator, preview, buttons(preview).find((b) => b.text.includes("Terapkan"))!.callback_data);
    await vi.waitFor(() => expect(applying()).toBe(started + 1), { timeout: 30_000, interval: 20 });
    // As SIGTERM would: the stop returns only once the apply has ended and been answered.
    await h.restartBot();
    expect(h.emulator.messages(coordinator.id).slice(from).filter(says("Impor selesai"))).toHaveLength(1);
    expect(await h.db.milestone.count({ where: { title: { startsWith: "Tahap berhenti " } } })).toBe(5000);
    expect(await h.db.chatFlow.count()).toBe(0);
  }, 240_000);

  it("when a focal point asks, or the coordinator asks in a group, then /impor is refused", async () => {
    await h.emulator.sendText(focalPoint, "/impor");
    // The bot's scheduler runs meanwhile: the focal point's reminder can come before the answer.
    expect((await reply(focalPoint, (m) => !m.plainText?.startsWith("⏰"))).plainText).toContain("bukan untuk peran Anda");
    await h.emulator.sendText(coordinator, "/import", { chat: group });
    expect((await h.emulator.waitForMessage(group.id, undefined, 8000)).plainText).toContain("chat pribadi");
    expect(await h.db.chatFlow.count()).toBe(0);
  });
});
