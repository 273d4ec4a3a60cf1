import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuChat, EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, Harness } from "../support/harness.js";

// Who may see and change what, through the real bot and the Bot API emulator. One world per
// database: two programs sharing a unit, program Alfa over two regions, a person in every role
// and a group chat per person (Telegram spaces messages to one group three seconds apart; one
// group each keeps the matrix quick). The named holes first, then every command and button kind
// × every role × private chat and group, each cell checking what was shown and what changed.

const alfa = "Program Alfa";
const beta = "Program Beta";

// [program, region, unit, code, initiative]: SATU-BERSAMA takes part in both programs.
const initiatives = [
  [alfa, "Kabupaten Satu", "Dinas Bersama", "SATU-BERSAMA", "Inovasi Alfa Bersama"],
  [alfa, "Kabupaten Satu", "Dinas Alfa Satu", "SATU-ALFA", "Inovasi Alfa Satu"],
  [alfa, "Kota Dua", "Dinas Alfa Dua", "DUA-ALFA", "Inovasi Alfa Dua"],
  [beta, "Kabupaten Satu", "Dinas Bersama", "SATU-BERSAMA", "Inovasi Beta Bersama"],
  [beta, "Kabupaten Satu", "Dinas Beta Satu", "SATU-BETA", "Inovasi Beta Satu"],
] as const;

function writePlan(): string {
  const rows = ["program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot"];
  for (const [program, region, unit, code, initiative] of initiatives) {
    const steps = initiative.replace("Inovasi", "Tahap");
    rows.push([program, region, "WIB", unit, code, initiative, "", `${steps} 1`, "2022-01-05", "1"].join(","));
    rows.push([program, region, "WIB", unit, code, initiative, "", `${steps} 2`, "2022-02-15", "1"].join(","));
  }
  const file = path.join(mkdtempSync(path.join(tmpdir(), "pantau-access-")), "rencana-aksi-akses.csv");
  writeFileSync(file, rows.join("\n"));
  return file;
}

type Who = "stranger" | "pic" | "head" | "coordA" | "coordB" | "coordA1";
const users: Record<Who, EmuUser> = {
  stranger: { id: 9401, first_name: "Orang Asing", language_code: "id" },
  pic: { id: 9402, first_name: "Rina", language_code: "id" },
  head: { id: 9403, first_name: "Hendra", language_code: "id" },
  coordA: { id: 9404, first_name: "Budi", language_code: "id" },
  coordB: { id: 9405, first_name: "Citra", language_code: "id" },
  coordA1: { id: 9406, first_name: "Yusuf", language_code: "id" },
};
const everyone = Object.keys(users) as Who[];
const groups = Object.fromEntries(everyone.map((who, i) => [who, { id: -1009400000 - i, type: "supergroup", title: `Grup ${who}` }])) as Record<Who, EmuChat>;
const bot = "pantau_test_bot";

// What each person must never be shown, anywhere: another program's work, another region's,
// another unit's; and in a group, nobody's notes or names. Notes carry the CATATAN marker.
const betaOnly = ["Beta", "Wati", "CATATAN-BETA"];
const regionDua = ["Alfa Dua", "DUA-ALFA", "Kota Dua", "Dodi", "CATATAN-DUA"];
const forbidden: Record<Who, string[]> = {
  stranger: ["Alfa", "Beta", "Bersama", "CATATAN", "Rina", "Wati", "Dodi"],
  pic: [...betaOnly, ...regionDua, "Alfa Satu"],
  head: [...betaOnly, ...regionDua, "Alfa Satu"],
  coordA: betaOnly,
  coordB: ["Alfa", "Rina", "Dodi", "CATATAN-ALFA", "CATATAN-DUA"],
  coordA1: [...betaOnly, ...regionDua],
};
const peopleAndSecrets = ["CATATAN", "Rina", "Wati", "Dodi", "Hendra", "start=", "PIC:"];
/** What a group must never be shown when `who` asks there (their own name greets them, nobody else's appears). */
const inGroupForbidden = (who: Who) => peopleAndSecrets.filter((word) => word !== users[who].first_name);

const notRegistered = "Anda belum terdaftar";
const notAllowed = "bukan untuk peran Anda";
const noAccess = "tidak punya akses";
const stale = "sudah tidak berlaku";
const code = (text: string) => /start=([\w-]{20,})/.exec(text)?.[1] ?? "";
/** What a message shows: its text and the labels of its buttons. */
const text = (m: SentMessage) => [m.plainText ?? m.text ?? m.caption ?? "", ...buttons(m).map((b) => b.text)].join("\n");
const has = (s: string) => (m: SentMessage) => text(m).includes(s);

/** Tables a cell may change; everything else must stay exactly as it was. */
type Table = "report" | "milestone" | "membership" | "invite" | "broadcast" | "rules" | "delivery" | "flow" | "evidence";

describe.each(await databaseKinds())("access on %s", (kind) => {
  let h: Harness;
  const ids = { betaReport: 0, alfaReport: 0, betaStep: 0, alfaStep: 0, broadcast: 0 };

  async function snapshot(): Promise<Record<Table, string>> {
    const db = h.db;
    const json = (rows: unknown) => JSON.stringify(rows, (_k, v) => (typeof v === "bigint" ? String(v) : v));
    const [report, milestone, membership, invite, broadcast, rules, delivery, flow, evidence] = await Promise.all([
      db.progressReport.findMany({ orderBy: { id: "asc" }, select: { id: true, percent: true, status: true, note: true, undoneAt: true } }),
      db.milestone.findMany({ orderBy: { id: "asc" }, select: { id: true, progress: true, status: true, lastReportAt: true } }),
      db.membership.findMany({ orderBy: { id: "asc" } }),
      db.invite.findMany({
        orderBy: { id: "asc" },
        select: { id: true, role: true, unitId: true, programId: true, regionId: true, uses: true, revokedAt: true },
      }),
      db.broadcast.findMany({ orderBy: { id: "asc" }, select: { id: true, status: true } }),
      db.program.findMany({ orderBy: { id: "asc" }, omit: { createdAt: true, updatedAt: true } }),
      // Rows queued, not their status: the outbox sends what was queued while later cells run.
      db.delivery.findMany({ where: { kind: { in: ["nudge", "broadcast"] } }, orderBy: { id: "asc" }, select: { id: true, key: true } }),
      db.chatFlow.findMany({ orderBy: { id: "asc" }, select: { personId: true, kind: true, token: true } }),
      db.evidence.count(),
    ]);
    return {
      report: json(report),
      milestone: json(milestone),
      membership: json(membership),
      invite: json(invite),
      broadcast: json(broadcast),
      rules: json(rules),
      delivery: json(delivery),
      flow: json(flow),
      evidence: json(evidence),
    };
  }

  /** Sends something as `who` and waits until the bot has handled it; returns what the bot showed them. */
  async function act(who: Who, chat: EmuChat | null, send: () => Promise<unknown>) {
    const chats = [users[who].id, groups[who].id];
    const before = chats.map((id) => h.emulator.messages(id).length);
    const answersBefore = h.emulator.callbackAnswers().length;
    await send();
    // Handled: every update fetched and answered.
    await h.answered(60_000);
    const messages = chats.flatMap((id, i) => h.emulator.messages(id).slice(before[i]));
    const answers = h.emulator
      .callbackAnswers()
      .slice(answersBefore)
      .map((a) => a.text ?? "");
    const inGroup = chat && chat.type !== "private" ? [...messages.filter((m) => m.chat_id === chat.id).map(text), ...answers].join("\n") : "";
    return { messages, answers, all: [...messages.map(text), ...answers].join("\n"), inGroup };
  }

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", writePlan())).code).toBe(0);
    const cliInvite = async (...args: string[]) => code((await h.cli("invite", ...args)).stdout);
    const coordA = await cliInvite("--role", "koordinator", "--program", alfa);
    const coordB = await cliInvite("--role", "koordinator", "--program", beta);
    const coordA1 = await cliInvite("--role", "koordinator", "--program", alfa, "--region", "Kabupaten Satu");
    await h.startBot();
    for (const [who, invite] of [
      ["coordA", coordA],
      ["coordB", coordB],
      ["coordA1", coordA1],
    ] as const) {
      await h.emulator.sendText(users[who], `/start ${invite}`);
      await h.emulator.waitForMessage(users[who].id, has("Selamat bergabung"), 20_000);
    }
    await h.emulator.sendText(users.stranger, "/start");
    await h.emulator.waitForMessage(users.stranger.id, undefined, 20_000);
    for (const who of everyone) await h.emulator.addBotToGroup(users[who], groups[who]);

    // Program Beta's own focal point in the shared unit and Kota Dua's (admin invites, seeded),
    // each with a report and a note no outsider may read; a Beta broadcast still going.
    const db = h.db;
    const unit = (c: string) => db.unit.findUniqueOrThrow({ where: { code: c } });
    const step = (title: string) => db.milestone.findFirstOrThrow({ where: { title } });
    const wati = await db.person.create({ data: { telegramId: 9410n, firstName: "Wati", startedAt: h.clock } });
    const dodi = await db.person.create({ data: { telegramId: 9411n, firstName: "Dodi", startedAt: h.clock } });
    const programB = await db.program.findUniqueOrThrow({ where: { name: beta } });
    await db.membership.create({ data: { personId: wati.id, role: "pic", unitId: (await unit("SATU-BERSAMA")).id, programId: programB.id } });
    await db.membership.create({ data: { personId: dodi.id, role: "pic", unitId: (await unit("DUA-ALFA")).id } });
    ids.betaStep = (await step("Tahap Beta Bersama 1")).id;
    ids.alfaStep = (await step("Tahap Alfa Bersama 1")).id;
    const at = new Date("2022-01-10T10:00:00+07:00");
    const report = (milestoneId: number, personId: number, note: string) =>
      db.progressReport.create({ data: { milestoneId, personId, percent: 30, status: "in_progress", note, source: "reply", createdAt: at } });
    const betaReport = await report(ids.betaStep, wati.id, "CATATAN-BETA anggaran Beta");
    ids.betaReport = betaReport.id;
    await db.evidence.create({
      data: { reportId: betaReport.id, kind: "document", fileId: "beta-file", fileUniqueId: "beta-file-u", fileName: "Beta.pdf", chatId: 9410n, messageId: 1 },
    });
    await report((await step("Tahap Alfa Dua 1")).id, dodi.id, "CATATAN-DUA dari Kota Dua");
    ids.broadcast = (
      await db.broadcast.create({
        data: { programId: programB.id, createdById: wati.id, text: "Siaran Beta", audience: '{"kind":"program","unitIds":[]}', status: "sending" },
      })
    ).id;
    await h.answered(30_000);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
  });

  it("when a coordinator of Alfa invites a focal point and a head for the shared unit, then they see, are reminded of and report on Alfa's steps only", async () => {
    for (const [who, role] of [
      ["pic", ""],
      ["head", " kepala"],
    ] as const) {
      await h.emulator.sendText(users.coordA, `/undang SATU-BERSAMA${role}`);
      const link = await h.emulator.waitForMessage(users.coordA.id, has("start="), 20_000);
      await h.emulator.sendText(users[who], `/start ${code(text(link))}`);
      expect(text(await h.emulator.waitForMessage(users[who].id, has("Selamat bergabung"), 20_000))).toContain("Dinas Bersama");
    }
    const invites = await h.db.invite.findMany({ where: { createdBy: { telegramId: BigInt(users.coordA.id) } }, include: { program: true } });
    expect(invites.map((i) => i.program?.name)).toEqual([alfa, alfa]);

    // Its own report on Alfa's step, with a note.
    await h.emulator.sendText(users.pic, "/lapor");
    const pick = await h.emulator.waitForMessage(users.pic.id, has("Tahapan mana"), 20_000);
    expect(
      buttons(pick)
        .map((b) => b.text)
        .join(" "),
    ).toContain("Tahap Alfa Bersama 1");
    expect(
      buttons(pick)
        .map((b) => b.text)
        .join(" "),
    ).not.toContain("Beta");
    // A press forged with the flow's live token for Beta's step of the same unit is refused.
    const token = buttons(pick)[0]!.callback_data.split(":")[1];
    const forged = await act("pic", null, () => h.emulator.pressButton(users.pic, pick, `lp:${token}:m:${ids.betaStep}`));
    expect(forged.answers.join(" ")).toContain(noAccess);
    expect(forged.all).not.toContain("Beta");

    await h.emulator.sendText(users.pic, "/lapor");
    const again = await h.emulator.waitForMessage(users.pic.id, has("Tahapan mana"), 20_000);
    await h.emulator.pressButton(users.pic, again, buttons(again).find((b) => b.text.includes("Tahap Alfa Bersama 1"))!.callback_data);
    const percent = await h.emulator.waitForMessage(users.pic.id, has("Pilih progres sekarang"), 20_000);
    await h.emulator.pressButton(users.pic, percent, buttons(percent).find((b) => b.text === "50%")!.callback_data);
    await h.emulator.waitForMessage(users.pic.id, has("catatan"), 20_000);
    await h.emulator.sendText(users.pic, "CATATAN-ALFA dari Rina");
    const confirm = await h.emulator.waitForMessage(users.pic.id, has("Simpan?"), 20_000);
    await h.emulator.pressButton(users.pic, confirm, buttons(confirm).find((b) => b.text.includes("Simpan"))!.callback_data);
    await h.emulator.waitForMessage(users.pic.id, has("Tersimpan"), 20_000);
    ids.alfaReport = (await h.db.progressReport.findFirstOrThrow({ where: { note: { startsWith: "CATATAN-ALFA" } } })).id;

    // Reminders: the overdue step of Alfa, never Beta's step of the same unit.
    expect((await h.cli("remind", "--at", h.clock.toISOString())).code).toBe(0);
    const reminded = await h.db.delivery.findMany({ where: { person: { telegramId: BigInt(users.pic.id) } }, include: { milestone: true } });
    expect(reminded.map((d) => d.milestone?.title)).toContain("Tahap Alfa Bersama 1");
    expect(reminded.map((d) => d.milestone?.title)).not.toContain("Tahap Beta Bersama 1");
    await h.answered(30_000);
  }, 120_000);

  it("when a coordinator of Alfa asks for the shared unit's history, then only Alfa's reports are listed", async () => {
    const shown = await act("coordA", null, () => h.emulator.sendText(users.coordA, "/riwayat SATU-BERSAMA 01/01/2022 31/01/2022"));
    expect(shown.all).toContain("CATATAN-ALFA");
    expect(shown.all).not.toContain("CATATAN-BETA");
    expect(shown.all).not.toContain("Wati");
    const other = await act("coordB", null, () => h.emulator.sendText(users.coordB, "/riwayat SATU-BERSAMA 01/01/2022 31/01/2022"));
    expect(other.all).toContain("CATATAN-BETA");
    expect(other.all).not.toContain("CATATAN-ALFA");
    expect(other.all).not.toContain("Rina");
  }, 60_000);

  it("when a coordinator asks for the history or the overdue steps in a group, then the group gets counts and unit names, no notes or names", async () => {
    const history = await act("coordA", groups.coordA, () =>
      h.emulator.sendText(users.coordA, `/riwayat@${bot} SATU-BERSAMA 01/01/2022 31/01/2022`, { chat: groups.coordA }),
    );
    expect(history.all).toContain("1 laporan");
    expect(history.all).toContain("chat pribadi");
    const overdue = await act("coordA", groups.coordA, () => h.emulator.sendText(users.coordA, `/terlambat@${bot}`, { chat: groups.coordA }));
    expect(overdue.all).toContain("Dinas Alfa Dua");
    expect(overdue.all).toContain("1 tahapan terlambat");
    for (const shown of [history, overdue]) for (const word of inGroupForbidden("coordA")) expect(shown.inGroup).not.toContain(word);
  }, 60_000);

  // ------------------------------------------------------------------------------------------
  // The matrix. A cell's expectation: what the person must be shown (a string, or a refusal),
  // and the tables it may change (anything else unchanged).

  type Expect = { shows: string | string[]; may?: Table[] } | "refused";
  type Cell = Partial<Record<Who, Expect>> & { default: Expect };
  type Row = { name: string; run: (who: Who, chat: EmuChat) => Promise<unknown>; private: Cell; group: Cell };

  const coords = (e: Expect): Partial<Record<Who, Expect>> => ({ coordA: e, coordB: e, coordA1: e });
  const send = (command: string) => (who: Who, chat: EmuChat) =>
    h.emulator.sendText(users[who], chat.type === "private" ? command : command.replace(/^(\/\w+)/, `$1@${bot}`), chat.type === "private" ? {} : { chat });
  const press = (data: () => string) => (who: Who, chat: EmuChat) => {
    const last = h.emulator.messages(chat.id).at(-1)!;
    return h.emulator.pressButton(users[who], { chat_id: chat.id, message_id: last.message_id }, data());
  };
  const personal = { shows: "chat pribadi" };

  const rows: Row[] = [
    {
      name: "/start",
      run: send("/start"),
      private: { default: { shows: "sudah terdaftar" }, stranger: { shows: "undangan" } },
      group: { default: { shows: "sudah terdaftar" }, stranger: { shows: "undangan" } },
    },
    { name: "/bantuan", run: send("/bantuan"), private: { default: { shows: "/bantuan" } }, group: { default: { shows: "/bantuan" } } },
    { name: "/tugas", run: send("/tugas"), private: { default: "refused", pic: { shows: "Tahap Alfa Bersama 2" } }, group: { default: personal } },
    {
      name: "/lapor",
      run: send("/lapor"),
      private: { default: "refused", pic: { shows: "Tahap Alfa Bersama 2", may: ["flow"] } },
      group: { default: personal },
    },
    {
      name: "/status",
      run: send("/status"),
      private: {
        default: { shows: "Inovasi Alfa Bersama" },
        stranger: "refused",
        coordB: { shows: ["Inovasi Beta Bersama", "Inovasi Beta Satu"] },
        coordA: { shows: ["Inovasi Alfa Dua", "Inovasi Alfa Satu"] },
        coordA1: { shows: "Inovasi Alfa Satu" },
      },
      group: {
        default: { shows: "Inovasi Alfa Bersama" },
        stranger: "refused",
        coordB: { shows: "Inovasi Beta Satu" },
        coordA: { shows: "Inovasi Alfa Dua" },
        coordA1: { shows: "Inovasi Alfa Satu" },
      },
    },
    {
      name: "/rekap",
      run: send("/rekap"),
      private: { default: "refused", coordA: { shows: "Dinas Alfa Dua" }, coordB: { shows: "Dinas Beta Satu" }, coordA1: { shows: "Dinas Alfa Satu" } },
      group: { default: "refused", coordA: { shows: "Dinas Alfa Dua" }, coordB: { shows: "Dinas Beta Satu" }, coordA1: { shows: "Dinas Alfa Satu" } },
    },
    {
      name: "/terlambat",
      run: send("/terlambat"),
      private: {
        default: "refused",
        coordA: { shows: ["Tahap Alfa Dua 1", "Dodi"] },
        coordB: { shows: ["Tahap Beta Satu 1", "Wati"] },
        coordA1: { shows: ["Tahap Alfa Satu 1", "Rina"] },
      },
      group: { default: "refused", ...coords({ shows: "tahapan terlambat" }) },
    },
    {
      name: "/riwayat",
      run: send("/riwayat SATU-BERSAMA 01/01/2022 31/01/2022"),
      private: {
        default: "refused",
        head: { shows: "CATATAN-ALFA" },
        coordA: { shows: "CATATAN-ALFA" },
        coordA1: { shows: "CATATAN-ALFA" },
        coordB: { shows: "CATATAN-BETA" },
      },
      group: { default: "refused", head: { shows: "1 laporan" }, ...coords({ shows: "1 laporan" }) },
    },
    { name: "/jangkauan", run: send("/jangkauan"), private: { default: "refused", ...coords({ shows: "Jangkauan" }) }, group: { default: personal } },
    {
      name: "/undang",
      run: send("/undang SATU-BERSAMA"),
      private: { default: "refused", ...coords({ shows: "start=", may: ["invite"] }) },
      group: { default: "refused", ...coords({ shows: "pesan pribadi", may: ["invite"] }) },
    },
    {
      name: "/siaran",
      run: send("/siaran"),
      private: { default: "refused", ...coords({ shows: "Siaran baru", may: ["flow"] }) },
      group: { default: { shows: "chat pribadi" } },
    },
    {
      name: "/ingatkan",
      run: send("/ingatkan SATU-BERSAMA"),
      private: {
        default: "refused",
        coordA: { shows: "Diingatkan", may: ["delivery"] },
        coordA1: { shows: "Dinas Bersama" },
        // Beta's focal point in the shared unit is Wati alone; Rina is Alfa's.
        coordB: { shows: "Dinas Bersama", may: ["delivery"] },
      },
      group: { default: "refused", ...coords({ shows: "Dinas Bersama", may: ["delivery"] }) },
    },
    {
      name: "/aturan",
      run: send("/aturan"),
      private: { default: "refused", coordA: { shows: alfa }, coordB: { shows: beta }, coordA1: { shows: "hanya lihat" } },
      group: { default: "refused", coordA: { shows: alfa }, coordB: { shows: beta }, coordA1: { shows: "hanya lihat" } },
    },
    {
      name: "/libur",
      run: send("/libur"),
      private: { default: "refused", coordA: { shows: alfa }, coordB: { shows: beta }, coordA1: { shows: alfa } },
      group: { default: "refused", coordA: { shows: alfa }, coordB: { shows: beta }, coordA1: { shows: alfa } },
    },
    { name: "/ekspor", run: send("/ekspor"), private: { default: "refused", ...coords({ shows: "Rekap" }) }, group: { default: personal } },
    { name: "/impor", run: send("/impor"), private: { default: "refused", ...coords({ shows: "Kirim berkas", may: ["flow"] }) }, group: { default: personal } },
    { name: "/bahasa", run: send("/bahasa"), private: { default: { shows: "Bahasa" }, stranger: "refused" }, group: { default: personal } },
    {
      name: "/ringkasan",
      run: send("/ringkasan"),
      private: { default: "refused", head: { shows: alfa }, coordA: { shows: alfa }, coordB: { shows: beta }, coordA1: { shows: alfa } },
      group: { default: personal },
    },
    { name: "/batal", run: send("/batal"), private: { default: { shows: "Tidak ada langkah" } }, group: { default: { shows: "Tidak ada langkah" } } },
    // Buttons pressed with data made up or taken from someone else: none may act out of scope.
    {
      name: "undo another program's report",
      run: press(() => `un:${ids.betaReport}`),
      // Anyone registered may have reported (a head stands in for focal points away): only the reporter undoes.
      private: { default: { shows: "Hanya pelapornya" }, stranger: "refused" },
      group: { default: { shows: "Hanya pelapornya" }, stranger: "refused" },
    },
    {
      name: "evidence of another program's report",
      run: press(() => `hb:${ids.betaReport}`),
      private: {
        default: "refused",
        head: { shows: "tidak ditemukan" },
        coordA: { shows: "tidak ditemukan" },
        coordA1: { shows: "tidak ditemukan" },
        coordB: { shows: "Mengirim 1 berkas" },
      },
      group: { default: "refused", head: { shows: "chat pribadi" }, ...coords({ shows: "chat pribadi" }) },
    },
    {
      name: "cancel another's broadcast",
      run: press(() => `bcx:${ids.broadcast}`),
      private: { default: "refused", ...coords({ shows: "tidak bisa membatalkan" }), coordB: { shows: "Siaran dibatalkan", may: ["broadcast", "delivery"] } },
      group: { default: "refused", ...coords({ shows: "tidak bisa membatalkan" }), coordB: { shows: "Siaran dibatalkan", may: ["broadcast", "delivery"] } },
    },
    {
      name: "report step button",
      run: press(() => `lp:forged-token:m:${ids.betaStep}`),
      // A head may hold a report flow too (from a reminder's 📝 Lapor, standing in): the token decides.
      private: { default: { shows: stale }, stranger: "refused" },
      group: { default: { shows: stale }, stranger: "refused" },
    },
    {
      name: "broadcast button",
      run: press(() => "bc:forged-token:send"),
      private: { default: "refused", ...coords({ shows: stale }) },
      group: { default: "refused", ...coords({ shows: stale }) },
    },
    {
      name: "plan upload button",
      run: press(() => "pu:forged-token:ok"),
      private: { default: "refused", ...coords({ shows: stale }) },
      group: { default: "refused", ...coords({ shows: stale }) },
    },
    {
      name: "language button",
      run: press(() => "lang:id"),
      private: { default: { shows: "memang sudah" }, stranger: "refused" },
      group: { default: { shows: "memang sudah" }, stranger: "refused" },
    },
  ];

  for (const where of ["private", "group"] as const) {
    it.each(rows.map((r) => [r.name, r] as const))(
      `in a ${where} chat, %s: every role is shown its own and changes only what it may`,
      async (_name, row) => {
        for (const who of everyone) {
          const chat: EmuChat = where === "private" ? { id: users[who].id, type: "private" } : groups[who];
          const expected = row[where][who] ?? row[where].default;
          const before = await snapshot();
          const shown = await act(who, chat, () => row.run(who, chat));
          const after = await snapshot();
          const label = `${row.name} by ${who} in a ${where} chat`;

          if (expected === "refused") {
            expect(shown.all, label).toContain(who === "stranger" ? notRegistered : notAllowed);
          } else {
            for (const s of [expected.shows].flat()) expect(shown.all, label).toContain(s);
          }
          for (const word of forbidden[who]) expect(shown.all, `${label} shows "${word}"`).not.toContain(word);
          if (where === "group") {
            for (const word of inGroupForbidden(who)) expect(shown.inGroup, `${label} shows "${word}" in a group`).not.toContain(word);
            expect(
              shown.messages.some((m) => m.chat_id === chat.id && (m.method === "sendDocument" || !!m.document)),
              label,
            ).toBe(false);
          }
          const may = expected === "refused" ? [] : (expected.may ?? []);
          for (const table of Object.keys(before) as Table[]) {
            if (!may.includes(table)) expect(after[table], `${label} changed ${table}`).toEqual(before[table]);
          }

          // Back to the world every cell starts from: no flow open, the Beta broadcast still going.
          await h.db.chatFlow.deleteMany();
          await h.db.broadcast.update({ where: { id: ids.broadcast }, data: { status: "sending", finishedAt: null } });
          await h.db.person.updateMany({ data: { language: "id" } });
        }
      },
      240_000,
    );
  }

  it("when everything is done, then no message anyone ever got (reminders and nudges included) showed them what is not theirs", () => {
    for (const who of everyone) {
      const got = h.emulator.messages(users[who].id).map(text).join("\n");
      for (const word of forbidden[who]) expect(got, `${who} was shown "${word}"`).not.toContain(word);
      const group = h.emulator.messages(groups[who].id).map(text).join("\n");
      for (const word of [...forbidden[who], ...inGroupForbidden(who)]) expect(group, `${who}'s group was shown "${word}"`).not.toContain(word);
    }
  });
});
