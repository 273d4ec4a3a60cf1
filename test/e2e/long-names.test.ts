import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, Harness } from "../support/harness.js";

// Names as long as a plan may give them (200 characters) in everything the bot composes: a
// merged reminder of ten steps and an escalation are split between their steps into messages
// Telegram accepts, and a refusal for length never ends a reminder.

const long = (start: string) => `${start} ${"dengan uraian kegiatan yang sangat panjang ".repeat(6)}`.slice(0, 200).trim().padEnd(200, "x");
const program = long("Replikasi Inovasi Pelayanan Publik 2022");
const region = long("Kabupaten Bangka Barat");
const unit = long("Dinas Pariwisata dan Kebudayaan");
const initiative = long("SIP Banget");
const origin = long("Kota Batu");
const steps = Array.from({ length: 10 }, (_, i) => long(`Tahapan ${i + 1}`));
const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

describe.each(await databaseKinds())("long names on %s", (kind) => {
  let h: Harness;
  const pic: EmuUser = { id: 6301, first_name: "Rina", language_code: "id" };
  const head: EmuUser = { id: 6302, first_name: "Pak Kadis", language_code: "id" };
  const coordinator: EmuUser = { id: 6303, first_name: "Budi", language_code: "id" };
  let planFile = "";

  /** What the person received that names these steps, and each message's rendered length. */
  const received = (user: EmuUser, since: number) => h.emulator.messages(user.id).slice(since);
  const named = (messages: SentMessage[]) => steps.filter((s) => messages.some((m) => m.plainText?.includes(s)));

  beforeAll(async () => {
    h = await Harness.create(kind);
    const file = join(mkdtempSync(join(tmpdir(), "pantau-long-")), "panjang.csv");
    const header = "program,pemda,opd,kode_opd,inovasi,asal,tahapan,tenggat";
    planFile = [header, ...steps.map((s) => [program, region, unit, "LONG-UNIT", initiative, origin, s, "2022-03-14"].map((c) => `"${c}"`).join(","))].join(
      "\n",
    );
    writeFileSync(file, planFile);
    const imported = await h.cli("import", file);
    expect(imported.stderr).toBe("");
    h.clock = new Date("2022-03-10T20:00:00+07:00");
    await h.startBot();
    for (const [user, args] of [
      [pic, ["--unit", "LONG-UNIT"]],
      [head, ["--unit", "LONG-UNIT", "--role", "kepala"]],
      [coordinator, ["--role", "koordinator"]],
    ] as const) {
      await h.emulator.sendText(user, `/start ${inviteCode((await h.cli("invite", ...args)).stdout)}`);
      await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Selamat bergabung"), 8000);
    }
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when ten steps with 200-character names are due at once, then the reminder comes in parts Telegram accepts, naming every step once with its buttons, and a reply to a part is about its steps", async () => {
    const since = h.emulator.messages(pic.id).length;
    const pass = await h.cli("remind", "--at", "2022-03-11T08:05:00+07:00");
    expect(pass.stdout).toContain("Terkirim 10, memblokir bot 0, gagal 0");
    const parts = received(pic, since).filter((m) => m.plainText?.startsWith("⏰"));
    expect(parts.length).toBeGreaterThan(1);
    expect(named(parts)).toEqual(steps);
    for (const s of steps) expect(parts.filter((m) => m.plainText!.includes(s))).toHaveLength(1);
    expect(await h.db.delivery.count({ where: { kind: "reminder", status: "sent" } })).toBe(10);
    // Each part carries the buttons of its own steps (the emulator refuses data over 64 bytes):
    // a part of one step its three actions, a part of several their numbers, each naming its row.
    for (const part of parts) {
      const listed = await h.db.delivery.findMany({ where: { chatId: BigInt(pic.id), messageId: part.message_id }, orderBy: { id: "asc" } });
      const data = buttons(part).map((b) => b.callback_data);
      expect(data).toEqual(listed.length === 1 ? ["d", "r", "s"].map((a) => `rm:${a}:${listed[0]!.id}`) : listed.map((d) => `rm:n:${d.id}`));
      expect(buttons(part).map((b) => b.text)).toEqual(listed.length === 1 ? ["✅ Selesai", "📝 Lapor", "⏰ Besok"] : listed.map((_, i) => String(i + 1)));
      expect(Math.max(...data.map((d) => Buffer.byteLength(d)))).toBeLessThanOrEqual(64);
    }

    // A reply to the second part asks which of its own steps the report is about.
    const second = parts[1]!;
    await h.emulator.sendText(pic, "60% draf selesai", { replyTo: second.message_id });
    const asked = await h.emulator.waitForMessage(pic.id, (m) => !!m.plainText?.includes("yang mana"), 8000);
    const offered = steps.filter((s) =>
      asked.reply_markup!.inline_keyboard.flat().some((b: { text: string }) => s.startsWith(b.text.replace(/….*$/, "").replace(/^🔴 /, ""))),
    );
    expect(offered).toEqual(steps.filter((s) => second.plainText!.includes(s)));
    await h.emulator.sendText(pic, "/batal");
    await h.emulator.waitForMessage(pic.id, (m) => !!m.plainText?.includes("Dibatalkan"), 8000);
  });

  it("when the steps stay overdue and unreported, then the head's escalation comes in parts Telegram accepts, naming every step", async () => {
    const since = h.emulator.messages(head.id).length;
    const pass = await h.cli("remind", "--at", "2022-03-18T08:05:00+07:00");
    expect(pass.stdout).toContain("gagal 0");
    const parts = received(head, since).filter((m) => m.plainText?.startsWith("⚠️"));
    expect(parts.length).toBeGreaterThan(1);
    expect(named(parts)).toEqual(steps);
    expect(parts.every((m) => m.plainText!.includes(region))).toBe(true);
    expect(await h.db.delivery.count({ where: { kind: "escalation_head", status: "sent" } })).toBe(10);
  });

  it("when Telegram refuses a reminder as too long, then it still goes out, its names shortened, and is not failed", async () => {
    h.emulator.injectFault("sendMessage", { error_code: 400, description: "Bad Request: message is too long", chatId: pic.id, times: 1 });
    const since = h.emulator.messages(pic.id).length;
    const pass = await h.cli("remind", "--at", "2022-03-21T08:05:00+07:00");
    expect(pass.stdout).toContain("gagal 0");
    const parts = received(pic, since).filter((m) => m.plainText?.startsWith("⏰"));
    const refusedOnce = parts.find((m) => m.plainText!.includes(`${steps[0]!.slice(0, 59).trimEnd()}…`));
    expect(refusedOnce?.plainText).not.toContain(steps[0]);
    // Every step is in the pass's reminders, whole or shortened.
    expect(steps.filter((step) => parts.some((m) => m.plainText!.includes(step.slice(0, 59).trimEnd())))).toEqual(steps);
    expect(await h.db.delivery.count({ where: { status: "failed" } })).toBe(0);
  });

  it("when a coordinator sends a plan moving ten steps with 200-character names, then the preview fits one message with its buttons", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    await h.emulator.waitForMessage(coordinator.id, (m) => !!m.plainText?.includes("Kirim berkas"), 8000);
    await h.emulator.sendDocument(coordinator, {
      fileName: "panjang.csv",
      mimeType: "text/csv",
      content: Buffer.from(planFile.replaceAll("2022-03-14", "2022-04-14")),
    });
    const preview = await h.emulator.waitForMessage(coordinator.id, (m) => !!m.plainText?.includes("Pratinjau impor"), 60_000);
    expect(preview.plainText).toContain("Akan diperbarui: 0 pemda, 0 OPD, 0 inovasi, 10 tahapan");
    expect(preview.plainText).toContain(`${steps[0]!.slice(0, 79).trimEnd()}…`);
    expect(preview.reply_markup!.inline_keyboard.flat().map((b: { text: string }) => b.text)).toEqual(["✅ Terapkan", "Batal"]);
    await h.emulator.sendText(coordinator, "/batal");
    await h.emulator.waitForMessage(coordinator.id, (m) => !!m.plainText?.includes("Dibatalkan"), 8000);
  });

  it("when a coordinator looks up a history or nudges with a text of 4,000 characters, then the answer quotes it shortened and arrives", async () => {
    const query = `Tahapan ${"tidak ada ".repeat(400)}`.trim();
    for (const command of ["/riwayat", "/ingatkan"]) {
      const { message_id: asked } = await h.emulator.sendText(coordinator, `${command} ${query}`);
      const answer = await h.emulator.waitForMessage(coordinator.id, (m) => m.message_id > asked, 8000);
      expect(answer.plainText).toContain(`"${query.slice(0, 99).trimEnd()}…"`);
      expect(answer.plainText).not.toContain("Maaf, terjadi kesalahan");
    }
  });

  it("when a coordinator asks /rekap and /terlambat about steps with 200-character names, then each answer is a message Telegram accepts, long lists in pages", async () => {
    h.clock = new Date("2022-03-20T09:00:00+07:00");
    await h.answered();
    const since = h.emulator.messages(coordinator.id).length;
    await h.emulator.sendText(coordinator, "/rekap");
    const recap = await h.emulator.waitForMessage(coordinator.id, (m) => !!m.plainText?.includes("Rekap"), 8000);
    expect(recap.plainText!.length).toBeLessThanOrEqual(4096);
    expect(recap.plainText).toContain(`${unit.slice(0, 79).trimEnd()}… ░░░░░░░░░░ 0% · 10 terlambat, terlama 6 hari`);

    await h.emulator.sendText(coordinator, "/terlambat");
    const first = await h.emulator.waitForMessage(coordinator.id, (m) => !!m.plainText?.includes("Tahapan terlambat"), 8000);
    expect(first.plainText).toContain("10 tahapan terlambat di 1 unit");
    const pages = Number(/Halaman 1 dari (\d+)/.exec(first.plainText!)![1]);
    expect(pages).toBeGreaterThan(1);
    const shown: string[] = [];
    let page = first;
    for (let n = 1; n <= pages; n++) {
      expect(page.plainText!.length).toBeLessThanOrEqual(4096);
      shown.push(...steps.filter((s) => page.plainText!.includes(s)));
      if (n === pages) break;
      const edits = page.edits;
      await h.emulator.pressButton(coordinator, page, buttons(page).find((b) => b.text.includes("Berikutnya"))!.callback_data);
      page = await h.emulator.waitForEdit(coordinator.id, first.message_id, (m) => m.edits > edits, 8000);
    }
    expect(shown.sort()).toEqual([...steps].sort());
    // Two answers, not a message per step.
    expect(h.emulator.messages(coordinator.id).slice(since)).toHaveLength(2);
  });
});
