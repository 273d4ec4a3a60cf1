import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";
import { kendari, kendariCsv } from "../support/kendari-plan.js";
import { sumbar, sumbarCsv } from "../support/sumbar-plan.js";

// /rekap as a coordinator reads it on a phone: one message with the answer first (progress, units
// per state, the units to call today), then lists, regions, the chart and the file on request —
// for a regency of four units, a city of 64 kelurahan and a province of nineteen regencies.

const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

/** The unit lines of a recap text: icon, name, and the rest of the line. */
const unitLines = (text: string) =>
  [...text.matchAll(/^(🟢|🔴|⛔|🔕) (.+?) [▓░]{10} (\d+)%(.*)$/gmu)].map(([, icon, name, percent, rest]) => ({
    icon: icon!,
    name: name!,
    percent: Number(percent),
    rest: rest!,
  }));

/** The units per state a summary (or a region's heading) states. */
const countsOf = (text: string) => {
  const match = /🟢 (\d+) sesuai jadwal · 🔴 (\d+) terlambat · ⛔ (\d+) terkendala · 🔕 (\d+) tanpa kabar 14 hari/.exec(text);
  if (!match) throw new Error(`no counts in: ${text}`);
  return { "🟢": Number(match[1]), "🔴": Number(match[2]), "⛔": Number(match[3]), "🔕": Number(match[4]) } as Record<string, number>;
};

describe.each(await databaseKinds())("/rekap on %s", (kind) => {
  let h: Harness;
  let dir: string;
  const budi: EmuUser = { id: 6501, first_name: "Budi", language_code: "id" };
  const yanti: EmuUser = { id: 6502, first_name: "Yanti", language_code: "id" };
  const sari: EmuUser = { id: 6503, first_name: "Sari", language_code: "id" };
  const yusuf: EmuUser = { id: 6504, first_name: "Yusuf", language_code: "id" };

  async function join(user: EmuUser, ...args: string[]): Promise<void> {
    const invite = await h.cli("invite", "--role", "koordinator", ...args);
    expect(invite.code).toBe(0);
    await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
    await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Selamat bergabung"));
  }

  /** Sends a command and returns everything the bot answered to it. */
  async function ask(user: EmuUser, text: string): Promise<SentMessage[]> {
    await h.answered();
    const before = h.emulator.messages(user.id).length;
    await h.emulator.sendText(user, text);
    await h.emulator.waitForMessage(user.id, undefined, 15_000);
    await h.answered();
    return h.emulator.messages(user.id).slice(before);
  }

  /** Presses a button of a message and returns the message as the press left it. */
  async function pressOn(user: EmuUser, message: SentMessage, data: string): Promise<SentMessage> {
    const edits = h.emulator.messages(user.id).find((m) => m.message_id === message.message_id)!.edits;
    await h.emulator.pressButton(user, message, data);
    return h.emulator.waitForEdit(user.id, message.message_id, (m) => m.edits > edits, 15_000);
  }

  const button = (m: SentMessage, label: string) => buttons(m).find((b) => b.text.includes(label))?.callback_data ?? "";

  /** Presses a button that must be refused: the answer says so and the message stays as it was. */
  async function refused(user: EmuUser, message: SentMessage, data: string): Promise<string | undefined> {
    const before = h.emulator.messages(user.id).find((m) => m.message_id === message.message_id)!;
    const { callback_query_id } = await h.emulator.pressButton(user, message, data);
    await h.answered();
    const after = h.emulator.messages(user.id).find((m) => m.message_id === message.message_id)!;
    expect(after.edits).toBe(before.edits);
    expect(after.plainText).toBe(before.plainText);
    return h.emulator.callbackAnswers().find((a) => a.callback_query_id === callback_query_id)?.text;
  }

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = mkdtempSync(path.join(tmpdir(), "pantau-recap-"));
    writeFileSync(path.join(dir, "sumbar.csv"), sumbarCsv());
    writeFileSync(path.join(dir, "kendari.csv"), kendariCsv());
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const imported = await h.cli("import", path.join(dir, "sumbar.csv"));
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("19 pemda, 95 OPD, 95 inovasi, 380 tahapan");
    expect((await h.cli("import", path.join(dir, "kendari.csv"))).stdout).toContain("1 pemda, 64 OPD, 64 inovasi, 256 tahapan");
    await h.startBot();
    await join(budi, "--program", "Replikasi Inovasi 2022 Kabupaten Bangka Barat");
    await join(yanti, "--program", sumbar.program);
    await join(sari, "--program", kendari.program);
    await join(yusuf, "--program", sumbar.program, "--region", "Kota Padang");

    // Kendari on 1 April 2024 (steps 1 and 2 were due 15 February and 15 March): kelurahan 01-40
    // and 61-64 did both and reported within two weeks (on track); 41-45 did the first only and
    // 46-50 nothing (late); 51-55 are stuck on step 3 (blocked); 56-60 did both but last
    // reported a month ago (silent).
    const steps = (from: number, to: number, titles: string[]) => ({
      title: { in: titles },
      initiative: { unit: { code: { in: kendari.units.slice(from - 1, to).map((u) => u.code) } } },
    });
    const [first, second, third] = [kendari.steps[0][0], kendari.steps[1][0], kendari.steps[2][0]];
    const reported = (iso: string) => ({ progress: 100, status: "done", lastReportAt: new Date(iso) });
    await h.db.milestone.updateMany({ where: steps(1, 40, [first, second]), data: reported("2024-03-25T10:00:00+08:00") });
    await h.db.milestone.updateMany({ where: steps(61, 64, [first, second]), data: reported("2024-03-30T10:00:00+08:00") });
    await h.db.milestone.updateMany({
      where: steps(61, 64, [third]),
      data: { progress: 50, status: "in_progress", lastReportAt: new Date("2024-03-30T10:00:00+08:00") },
    });
    await h.db.milestone.updateMany({ where: steps(41, 45, [first]), data: reported("2024-03-28T10:00:00+08:00") });
    await h.db.milestone.updateMany({ where: steps(51, 55, [first, second]), data: reported("2024-03-20T10:00:00+08:00") });
    await h.db.milestone.updateMany({
      where: steps(51, 55, [third]),
      data: { progress: 30, status: "blocked", lastReportAt: new Date("2024-03-28T10:00:00+08:00") },
    });
    await h.db.milestone.updateMany({ where: steps(56, 60, [first, second]), data: reported("2024-03-01T10:00:00+08:00") });

    // Sumatera Barat on 20 January 2022: Kota Padang did its first two steps and reported on
    // 18 January; the other eighteen regions have not reported anything.
    await h.db.milestone.updateMany({
      where: { title: { in: [sumbar.steps[0][0], sumbar.steps[1][0]] }, initiative: { unit: { region: { name: "Kota Padang" } } } },
      data: reported("2022-01-18T10:00:00+07:00"),
    });
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when the coordinator of 64 kelurahan asks for the recap, then one message answers first: the counts, the units to call today worst first, and a line per unit without its initiative", async () => {
    h.clock = new Date("2024-04-01T10:00:00+08:00");
    const answers = await ask(sari, "/rekap");
    expect(answers).toHaveLength(1);
    const summary = answers[0]!;
    const text = summary.plainText!;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toMatch(/^📊 Rekap Replikasi Inovasi 2024 Kota Kendari\nSenin, 1 April 2024\n▓▓▓▓▓░░░░░ 46% · 64 unit · 15 tahapan terlambat\n/);
    expect(countsOf(text)).toEqual({ "🟢": 44, "🔴": 10, "⛔": 5, "🔕": 5 });
    // The initiative is each unit's own line, never repeated under it.
    expect(text).not.toContain(kendari.initiative);

    // The units to call today: late first (longest late first), capped at ten, then the count of the rest.
    const attention = text.slice(text.indexOf("Perlu ditindaklanjuti hari ini (20)"), text.indexOf("Unit lainnya"));
    const urgent = unitLines(attention);
    expect(urgent.map((u) => u.name)).toEqual([46, 47, 48, 49, 50, 41, 42, 43, 44, 45].map((n) => `Kelurahan ${n}`));
    expect(urgent[0]!.rest).toBe(" · 2 terlambat, terlama 46 hari · belum pernah melapor");
    expect(urgent[5]!.rest).toBe(" · 1 terlambat, terlama 17 hari");
    expect(attention).toContain("… dan 10 unit lagi");
    // The others, a line each.
    const others = unitLines(text.slice(text.indexOf("Unit lainnya")));
    expect(others).toHaveLength(44);
    expect(others.every((u) => u.icon === "🟢")).toBe(true);
    expect(buttons(summary).map((b) => b.text)).toEqual([
      "🔴 Terlambat (10)",
      "⛔ Terkendala (5)",
      "🔕 Tanpa kabar (5)",
      "📋 Semua (64)",
      "📈 Grafik",
      "📥 Ekspor XLSX",
    ]);

    // The blocked and the silent ones, a press away.
    const blocked = await pressOn(sari, summary, button(summary, "Terkendala"));
    expect(unitLines(blocked.plainText!).map((u) => `${u.icon} ${u.name}${u.rest}`)).toEqual(
      [51, 52, 53, 54, 55].map((n) => `⛔ Kelurahan ${n} · 1 terkendala`),
    );
    const silent = await pressOn(sari, blocked, button(summary, "Tanpa kabar"));
    expect(unitLines(silent.plainText!).map((u) => u.rest)).toEqual(Array(5).fill(" · tanpa laporan 31 hari"));
    expect(buttons(silent).map((b) => b.text)).toEqual(["⬅️ Ringkasan"]);
    const back = await pressOn(sari, silent, button(silent, "Ringkasan"));
    expect(back.plainText).toBe(text);
  });

  it("when the kelurahan coordinator pages through all units, then each unit is on one page once and the summary's counts are the sums of the lines", async () => {
    h.clock = new Date("2024-04-01T10:00:00+08:00");
    const [summary] = await ask(sari, "/rekap");
    const counts = countsOf(summary!.plainText!);
    let page = await pressOn(sari, summary!, button(summary!, "Semua"));
    expect(page.plainText).toContain("📋 Semua — Replikasi Inovasi 2024 Kota Kendari (64 unit)");
    const seen: ReturnType<typeof unitLines> = [];
    for (let n = 1; ; n++) {
      expect(page.plainText).toContain(`Halaman ${n} dari 5`);
      expect(page.plainText!.length).toBeLessThanOrEqual(4096);
      seen.push(...unitLines(page.plainText!));
      const next = button(page, "Berikutnya");
      if (!next) break;
      page = await pressOn(sari, page, next);
    }
    expect(seen).toHaveLength(64);
    expect(new Set(seen.map((u) => u.name)).size).toBe(64);
    const tally: Record<string, number> = { "🟢": 0, "🔴": 0, "⛔": 0, "🔕": 0 };
    for (const u of seen) tally[u.icon]!++;
    expect(tally).toEqual(counts);
    // Worst first: the late ones open the list, the on-track ones close it.
    expect(seen[0]!.name).toBe("Kelurahan 46");
    expect(seen.at(-1)!.icon).toBe("🟢");
    const previous = await pressOn(sari, page, button(page, "Sebelumnya"));
    expect(previous.plainText).toContain("Halaman 4 dari 5");
  });

  it("when a recap button is forged, points elsewhere, or its coordinator's seat is gone, then it is refused and the message stays", async () => {
    h.clock = new Date("2024-04-01T10:00:00+08:00");
    const [summary] = await ask(sari, "/rekap");
    const program = Number(/^rk:[0-9a-z]+:(\d+):/.exec(button(summary!, "Semua"))![1]);
    const owner = sari.id.toString(36);
    const sumbarProgram = await h.db.program.findFirstOrThrow({ where: { name: sumbar.program } });
    const agam = await h.db.region.findFirstOrThrow({ where: { name: "Kabupaten Agam" } });
    const stale = "Tombol ini sudah tidak berlaku.";
    // Another program's recap, another program's region, and data no recap button has.
    expect(await refused(sari, summary!, `rk:${owner}:${sumbarProgram.id}:s:0`)).toBe(stale);
    expect(await refused(sari, summary!, `rk:${owner}:${program}:r${agam.id}:0`)).toBe(stale);
    expect(await refused(sari, summary!, `rk:${owner}:${program}:x:0`)).toBe(stale);
    expect(await refused(sari, summary!, `rk:${owner}:${program}:s:-1`)).toBe(stale);
    // A button of the version before buttons said whom they were shown to.
    expect(await refused(sari, summary!, `rk:${program}:s:0`)).toBe(stale);

    // The chart and the file: by button, for this program only.
    await h.emulator.pressButton(sari, summary!, button(summary!, "Grafik"));
    const chart = await h.emulator.waitForMessage(sari.id, (m) => m.method === "sendPhoto", 15_000);
    expect(chart.caption).toBe("📈 Grafik progres Replikasi Inovasi 2024 Kota Kendari");
    expect(PNG.sync.read(chart.photoBytes!).width).toBe(1000);
    await h.emulator.pressButton(sari, summary!, button(summary!, "Ekspor"));
    const file = await h.emulator.waitForMessage(sari.id, (m) => m.method === "sendDocument", 15_000);
    expect(file.document?.file_name).toMatch(/\.xlsx$/);
    expect(file.plainText).toContain("Replikasi Inovasi 2024 Kota Kendari");
    expect(await h.db.auditLog.count({ where: { action: "export.read", programId: program } })).toBe(1);

    // Sari leaves the program: her buttons show nothing any more.
    const removed = await h.cli("remove", "--person", String(sari.id), "--role", "koordinator", "--program", kendari.program);
    expect(removed.code).toBe(0);
    expect(await refused(sari, summary!, button(summary!, "Terlambat"))).toContain("tidak lagi terdaftar");
  });

  it("when the province's coordinator asks, then one message gives the counts, the units to call with their region, a line per region and a button per region", async () => {
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    const answers = await ask(yanti, "/rekap");
    expect(answers).toHaveLength(1);
    const summary = answers[0]!;
    const text = summary.plainText!;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain(`📊 Rekap ${sumbar.program}`);
    expect(text).toMatch(/░░░░░░░░░░ 3% · 95 unit di 19 pemda · 180 tahapan terlambat/);
    expect(countsOf(text)).toEqual({ "🟢": 5, "🔴": 90, "⛔": 0, "🔕": 0 });
    expect(text).toContain("Perlu ditindaklanjuti hari ini (90)");
    const urgent = unitLines(text.slice(0, text.indexOf("Per pemda")));
    expect(urgent).toHaveLength(10);
    expect(urgent[0]!.name).toBe("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia (Kabupaten Agam)");
    expect(urgent[0]!.rest).toBe(" · 2 terlambat, terlama 66 hari · belum pernah melapor");
    for (const region of sumbar.regions) expect(text).toMatch(new RegExp(`🏛 ${region} [▓░]{10} \\d+% · 5 unit`));
    expect(text).toContain("🏛 Kota Padang ▓▓▓▓▓░░░░░ 50% · 5 unit\n");
    expect(text).toContain("🏛 Kota Solok ░░░░░░░░░░ 0% · 5 unit · 🔴 5");

    const labels = buttons(summary).map((b) => b.text);
    expect(labels.slice(0, 2)).toEqual(["🔴 Terlambat (90)", "📋 Semua (95)"]);
    expect(labels).toContain("Kab. Agam");
    expect(labels).toContain("Kab. Kepulauan Mentawai");
    expect(labels.filter((l) => /^(Kab\.|Kota) /.test(l))).toHaveLength(19);
    expect(labels.slice(-2)).toEqual(["📈 Grafik", "📥 Ekspor XLSX"]);

    // A region's press shows its units, and only them.
    const padang = await pressOn(yanti, summary, button(summary, "Kota Padang"));
    expect(padang.plainText).toMatch(/^🏛 Kota Padang — Replikasi Inovasi 2021 Provinsi Sumatera Barat\n[▓░]{10} 50% · 5 unit · 0 tahapan terlambat\n/);
    expect(countsOf(padang.plainText!)).toEqual({ "🟢": 5, "🔴": 0, "⛔": 0, "🔕": 0 });
    expect(unitLines(padang.plainText!).map((u) => u.name)).toEqual(sumbar.innovations.map(([, , unit]) => unit).sort((a, b) => a.localeCompare(b)));
    expect(padang.plainText).not.toContain("Kabupaten");

    // The regions' own counts add up to the program's.
    const late = await pressOn(yanti, padang, button(summary, "Terlambat"));
    expect(late.plainText).toContain("🔴 Terlambat — Replikasi Inovasi 2021 Provinsi Sumatera Barat (90 unit)");
    expect(late.plainText).toContain("Halaman 1 dari 6");
    expect(unitLines(late.plainText!)[0]!.name).toMatch(/\((Kabupaten|Kota) [A-Za-z ]+\)$/);
  });

  it("when a region's coordinator asks, then the recap is their region's, its buttons offer no other region, and another region's button is refused", async () => {
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    const [summary] = await ask(yusuf, "/rekap");
    const text = summary!.plainText!;
    expect(text).toMatch(/[▓░]{10} 50% · 5 unit · 0 tahapan terlambat/);
    expect(countsOf(text)).toEqual({ "🟢": 5, "🔴": 0, "⛔": 0, "🔕": 0 });
    expect(text).toContain("👍 Tidak ada unit yang terlambat");
    expect(unitLines(text)).toHaveLength(5);
    expect(text).not.toContain("Kabupaten");
    // Everything fits: only the chart and the file are left to ask for.
    expect(buttons(summary!).map((b) => b.text)).toEqual(["📈 Grafik", "📥 Ekspor XLSX"]);
    const program = Number(/^rk:[0-9a-z]+:(\d+):/.exec(button(summary!, "Grafik"))![1]);
    const owner = yusuf.id.toString(36);
    const agam = await h.db.region.findFirstOrThrow({ where: { name: "Kabupaten Agam" } });
    expect(await refused(yusuf, summary!, `rk:${owner}:${program}:r${agam.id}:0`)).toBe("Tombol ini sudah tidak berlaku.");
    const padang = await h.db.region.findFirstOrThrow({ where: { name: "Kota Padang" } });
    const own = await pressOn(yusuf, summary!, `rk:${owner}:${program}:r${padang.id}:0`);
    expect(unitLines(own.plainText!)).toHaveLength(5);
  });

  it("when the province's coordinator asks /terlambat, then one page of the overdue steps under their count, the next a press away, in a group the units", async () => {
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    const [first] = await ask(yanti, "/terlambat");
    expect(first!.plainText).toMatch(/^🔴 Tahapan terlambat\n180 tahapan terlambat di 90 unit\n\n/);
    expect(first!.plainText).toContain("Halaman 1 dari 18");
    expect(first!.plainText!.match(/^ {2}Tenggat /gm)).toHaveLength(10);
    expect(buttons(first!).map((b) => b.text)).toEqual(["Berikutnya ▶️"]);
    const second = await pressOn(yanti, first!, button(first!, "Berikutnya"));
    expect(second.plainText).toContain("Halaman 2 dari 18");
    expect(buttons(second).map((b) => b.text)).toEqual(["◀️ Sebelumnya", "Berikutnya ▶️"]);
    const last = await pressOn(yanti, second, `tl:${yanti.id.toString(36)}:17`);
    expect(last.plainText).toContain("Halaman 18 dari 18");
    expect(last.plainText).toContain("terlambat 36 hari");
    expect(buttons(last).map((b) => b.text)).toEqual(["◀️ Sebelumnya"]);

    // In front of a group: units and counts, no focal points, a page at a time.
    const group = { id: -1001777000222, type: "supergroup" as const, title: "Koordinasi Replikasi Sumbar" };
    await h.emulator.addBotToGroup(yanti, group);
    await h.answered();
    await h.emulator.sendText(yanti, "/terlambat", { chat: group });
    const units = await h.emulator.waitForMessage(group.id, (m) => !!m.plainText?.includes("Tahapan terlambat"), 15_000);
    expect(units.plainText).toContain("180 tahapan terlambat di 90 unit");
    expect(units.plainText).toContain("Halaman 1 dari 6");
    expect(units.plainText).not.toContain("PIC: ");
    expect(units.plainText).toContain("tidak ditampilkan di grup");
    await h.emulator.pressButton(yanti, units, button(units, "Berikutnya"));
    const paged = await h.emulator.waitForEdit(group.id, units.message_id, (m) => m.edits > 0, 15_000);
    expect(paged.plainText).toContain("Halaman 2 dari 6");

    // Padang's coordinator presses the province's page: Yanti's page stays, and Yusuf's own answer
    // (his region has nothing late) comes as a message of its own.
    await h.emulator.pressButton(yusuf, paged, button(paged, "Sebelumnya"));
    const own = await h.emulator.waitForMessage(
      group.id,
      (m) => m.message_id > units.message_id && !!m.plainText?.includes("Tidak ada tahapan yang terlambat"),
      15_000,
    );
    expect(own.plainText).not.toContain("Halaman");
    const kept = h.emulator.messages(group.id).find((m) => m.message_id === units.message_id)!;
    expect(kept.edits).toBe(paged.edits);
    expect(kept.plainText).toContain("Halaman 2 dari 6");
  });

  it("when the province's coordinator asks /status, then the innovations come a page at a time under their count, and a search keeps its words in the page buttons", async () => {
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    const [all] = await ask(yanti, "/status");
    expect(all!.plainText).toMatch(/^📊 Progres inovasi\n95 inovasi · 180 tahapan terlambat\n\n/);
    expect(all!.plainText).toContain("Halaman 1 dari 10");
    const next = await pressOn(yanti, all!, button(all!, "Berikutnya"));
    expect(next.plainText).toContain("Halaman 2 dari 10");

    const [sip] = await ask(yanti, "/status sip banget");
    expect(sip!.plainText).toMatch(/^📊 Progres inovasi\n19 inovasi · 36 tahapan terlambat\n\n/);
    // A search shows the steps too.
    expect(sip!.plainText).toContain("Studi tiru ke daerah asal");
    const more = await pressOn(yanti, sip!, button(sip!, "Berikutnya"));
    expect(button(sip!, "Berikutnya")).toBe(`st:${yanti.id.toString(36)}:1:sip banget`);
    expect(more.plainText).toContain("19 inovasi · 36 tahapan terlambat");
    expect(more.plainText).not.toContain("Poltabes");
    expect(more.plainText!.match(/^SIP Banget — /gm)!.length).toBeGreaterThan(0);
  });

  it("when a regency's coordinator asks for the recap of four units, then one message lists every unit, and the chart comes by button with a bar per unit", async () => {
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    const answers = await ask(budi, "/rekap");
    expect(answers).toHaveLength(1);
    const text = answers[0]!.plainText!;
    expect(text).toContain("📊 Rekap Replikasi Inovasi 2022 Kabupaten Bangka Barat\nKamis, 20 Januari 2022");
    expect(text).toMatch(/🔴 Dinas Pariwisata dan Kebudayaan [▓░]{10} \d+% · \d+ terlambat, terlama \d+ hari/);
    expect(
      unitLines(text)
        .map((u) => u.name)
        .sort(),
    ).toEqual([
      "Dinas Koperasi, UKM dan Perindustrian",
      "Dinas Pariwisata dan Kebudayaan",
      "Dinas Pendidikan, Kepemudaan dan Olahraga",
      "Dinas Pertanian dan Pangan",
    ]);
    expect(text).not.toContain("Sumatera Barat");
    expect(text).not.toContain("SIP Banget");
    expect(buttons(answers[0]!).map((b) => b.text)).toEqual(["📈 Grafik", "📥 Ekspor XLSX"]);

    await h.emulator.pressButton(budi, answers[0]!, button(answers[0]!, "Grafik"));
    const photo = await h.emulator.waitForMessage(budi.id, (m) => m.method === "sendPhoto", 15_000);
    expect(photo.caption).toContain("Grafik progres Replikasi Inovasi 2022 Kabupaten Bangka Barat");
    // One bar per unit (four units): a readable picture for a phone.
    const chart = PNG.sync.read(photo.photoBytes!);
    expect(chart.width).toBe(1000);
    expect(chart.height).toBeGreaterThan(300);
    expect(chart.height).toBeLessThan(800);
  });

  it("when the province's coordinator presses the chart, then it has a bar per region, Kota Padang's drawn green", async () => {
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    const [summary] = await ask(yanti, "/rekap");
    await h.emulator.pressButton(yanti, summary!, button(summary!, "Grafik"));
    const photo = await h.emulator.waitForMessage(yanti.id, (m) => m.method === "sendPhoto", 15_000);
    const chart = PNG.sync.read(photo.photoBytes!);
    // 95 units: one bar per region (19), each row about 66 pixels high.
    expect(chart.height).toBeGreaterThan(19 * 60);
    expect(chart.height).toBeLessThan(19 * 80 + 250);
    let green = 0;
    for (let i = 0; i < chart.data.length; i += 4) if (chart.data[i]! < 60 && chart.data[i + 1]! > 140 && chart.data[i + 2]! < 100) green++;
    expect(green).toBeGreaterThan(0);
  });
});
