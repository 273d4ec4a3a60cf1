import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { databaseKinds, Harness } from "../support/harness.js";
import { sumbar, sumbarCsv } from "../support/sumbar-plan.js";

// Escalations that are true and few, in the province of Sumatera Barat's program (19 regions,
// 95 units) where most units have nobody invited yet: a coordinator's escalations of a day are
// one message, unit by unit, saying whether each head was really told; units nobody is reminded
// in are one short summary a day; what fell due before a coordinator joined is counted, not
// replayed; and what they just asked is answered before any of it.

const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";
const has = (text: string) => (m: SentMessage) => !!m.plainText?.includes(text);

/** "SK tim replikasi" (due 15 December 2021) and six more steps due that day, per unit with a focal point. */
const extraSteps = Array.from({ length: 6 }, (_, i) => `Rapat koordinasi tim ${i + 1}`);

describe.each(await databaseKinds())("escalations in a program of nineteen regions on %s", (kind) => {
  let h: Harness;
  let dir: string;
  const padangTourism: EmuUser = { id: 6601, first_name: "Rina", language_code: "id" };
  const padangEducation: EmuUser = { id: 6602, first_name: "Sari", language_code: "id" };
  const agamHealth: EmuUser = { id: 6603, first_name: "Dodi", language_code: "id" };
  const padangTourismHead: EmuUser = { id: 6604, first_name: "Pak Kadis", language_code: "id" };
  const wati: EmuUser = { id: 6605, first_name: "Wati", language_code: "id" };
  const yanti: EmuUser = { id: 6606, first_name: "Yanti", language_code: "id" };
  const padangHealth: EmuUser = { id: 6607, first_name: "Lina", language_code: "id" };
  const codes = new Map<string, string>();

  async function join(user: EmuUser, ...inviteArgs: string[]): Promise<void> {
    const invite = await h.cli("invite", "--program", sumbar.program, ...inviteArgs);
    expect(invite.code, invite.stderr).toBe(0);
    await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
    await h.emulator.waitForMessage(user.id, has("Selamat bergabung"), 10_000);
  }
  const since = (user: EmuUser, from: number) => h.emulator.messages(user.id).slice(from);
  /** Reminder passes the running bot finished (from its /metrics). */
  const botPasses = async () => {
    const text = await (await fetch(`http://127.0.0.1:${h.http.port}/metrics`)).text();
    return Number(/pantau_reminder_pass_duration_seconds_count\{outcome="ok"\} (\d+)/.exec(text)?.[1] ?? 0);
  };

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = mkdtempSync(path.join(tmpdir(), "pantau-escalations-"));
    writeFileSync(path.join(dir, "sumbar.csv"), sumbarCsv());
    expect((await h.cli("import", path.join(dir, "sumbar.csv"))).code).toBe(0);
    // The commitments are signed everywhere: what is overdue is each unit's decree (15 December).
    await h.db.milestone.updateMany({ where: { title: "Penandatanganan komitmen replikasi" }, data: { progress: 100, status: "done" } });
    // Monday's weekly digests have tests of their own (digests.test.ts).
    await h.db.program.updateMany({ data: { digestEnabled: false } });
    for (const unit of await h.db.unit.findMany({ include: { region: true, initiatives: true } })) {
      codes.set(`${unit.region.name}|${unit.name}`, unit.code);
      if (`${unit.region.name}|${unit.name}` === "Kota Padang|Dinas Pariwisata" || `${unit.region.name}|${unit.name}` === "Kota Padang|Dinas Pendidikan") {
        await h.db.milestone.createMany({
          data: extraSteps.map((title, i) => ({ initiativeId: unit.initiatives[0]!.id, title, dueDate: "2021-12-15", position: 10 + i })),
        });
      }
    }
    h.clock = new Date("2021-12-10T09:00:00+07:00");
    await h.startBot();
    await join(padangTourism, "--unit", codes.get("Kota Padang|Dinas Pariwisata")!);
    await join(padangEducation, "--unit", codes.get("Kota Padang|Dinas Pendidikan")!);
    await join(agamHealth, "--unit", codes.get("Kabupaten Agam|Dinas Kesehatan")!);
    await join(padangTourismHead, "--unit", codes.get("Kota Padang|Dinas Pariwisata")!, "--role", "kepala");
    await join(wati, "--role", "koordinator", "--region", "Kota Padang");
    // The decree's first late day is the 16th: heads are told on the 19th, coordinators on the 23rd.
    expect((await h.cli("remind", "--at", "2021-12-19T08:05:00+07:00")).code).toBe(0);
    await h.emulator.waitForMessage(padangTourismHead.id, has("⚠️"), 10_000);
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when many steps of several units fall due to a coordinator on one day, then they get one message, unit by unit, with the day's summary of the units nobody is reminded in", async () => {
    const dry = await h.cli("remind", "--at", "2021-12-23T08:05:00+07:00", "--dry-run");
    expect(dry.stdout).toContain(`- Wati (${sumbar.program}): ringkasan unit tanpa PIC yang bisa diingatkan [escalation_unreached]`);
    expect(dry.stdout).toContain("- Wati (Dinas Pendidikan): Rapat koordinasi tim 6 [escalation_coord]");
    const before = h.emulator.messages(wati.id).length;
    expect((await h.cli("remind", "--at", "2021-12-23T08:05:00+07:00")).code).toBe(0);
    const got = since(wati, before);
    expect(got).toHaveLength(1);
    const text = got[0]!.plainText!;
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain("⚠️ Eskalasi: tahapan terlambat tanpa laporan");
    // Fourteen steps of two units (more than the ten a reminder lists): each unit named once, its steps under it.
    expect(text.match(/^Dinas Pariwisata \(Kota Padang\)$/gm)).toHaveLength(1);
    expect(text.match(/^Dinas Pendidikan \(Kota Padang\)$/gm)).toHaveLength(1);
    const [tourism, education] = [text.indexOf("Dinas Pariwisata (Kota Padang)"), text.indexOf("Dinas Pendidikan (Kota Padang)")];
    expect(text.slice(tourism, education).match(/^• /gm)).toHaveLength(7);
    expect(text.slice(education).match(/^• /gm)).toHaveLength(7);
    for (const title of ["SK tim replikasi", ...extraSteps]) expect(text.match(new RegExp(`^• ${title} — `, "gm"))).toHaveLength(2);
    expect(text).toContain("PIC: Rina");
    expect(text).toContain("PIC: Sari");
    // The region's other three units have nobody to remind: summarised, not escalated step by step.
    expect(text).toContain("🔕 3 unit dengan tahapan terlambat belum punya PIC yang bisa diingatkan");
    expect(text).toContain("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia, Dinas Kesehatan, Dinas Komunikasi dan Informatika");
    expect(text).toContain("Ketik /jangkauan");
    expect(await h.db.delivery.count({ where: { person: { telegramId: BigInt(wati.id) }, kind: "escalation_coord", status: "sent" } })).toBe(14);
  });

  it("when a unit's head was told and another unit has no head, then the coordinator's escalation says so for each, and counts the reminders really sent", async () => {
    const text = h.emulator.messages(wati.id).at(-1)!.plainText!;
    const [tourism, education] = [text.indexOf("Dinas Pariwisata (Kota Padang)"), text.indexOf("Dinas Pendidikan (Kota Padang)")];
    const told = text.slice(tourism, education);
    // Said once per unit: it is the same for all of its steps.
    expect(told).toMatch(/^PIC: Rina\nKepala unit sudah diberi tahu \(19 Des 2021\)\.$/m);
    const noHead = text.slice(education, text.indexOf("🔕"));
    expect(noHead).not.toContain("Kepala unit sudah diberi tahu");
    expect(noHead).toMatch(/^PIC: Sari\nUnit ini belum punya kepala unit di Pantau, jadi belum ada kepala yang diberi tahu\.$/m);
    // Reminded at the passes of the 19th and the 23rd (the overdue slots of the 19th and 22nd), as the outbox recorded.
    const sent = await h.db.delivery.count({
      where: {
        milestone: { title: "SK tim replikasi", initiative: { unit: { code: codes.get("Kota Padang|Dinas Pariwisata") } } },
        kind: { in: ["reminder", "overdue", "nudge"] },
        status: "sent",
      },
    });
    expect(sent).toBe(2);
    expect(told).toContain("Pengingat terkirim: 2 kali, terakhir 23 Des 2021");
  });

  it("when the day's summary went out, then a second pass and a restart that day send nothing more, and the next day brings one summary alone", async () => {
    const before = h.emulator.messages(wati.id).length;
    expect((await h.cli("remind", "--at", "2021-12-23T10:00:00+07:00")).code).toBe(0);
    h.clock = new Date("2021-12-23T11:00:00+07:00");
    await h.restartBot();
    // The pass a start makes, finished.
    await expect.poll(botPasses, { interval: 50, timeout: 30_000 }).toBe(1);
    expect(since(wati, before)).toHaveLength(0);

    expect((await h.cli("remind", "--at", "2021-12-24T08:05:00+07:00")).code).toBe(0);
    const next = since(wati, before);
    expect(next).toHaveLength(1);
    expect(next[0]!.plainText).toMatch(/^🔕 3 unit dengan tahapan terlambat belum punya PIC/);
    expect(next[0]!.plainText).not.toContain("Eskalasi");
    const summaries = await h.db.delivery.findMany({
      where: { person: { telegramId: BigInt(wati.id) }, kind: "escalation_unreached" },
      orderBy: { id: "asc" },
    });
    expect(summaries.map((d) => [d.key.split(":").at(-1), d.status])).toEqual([
      ["2021-12-23", "sent"],
      ["2021-12-24", "sent"],
    ]);
  });

  it("when the province's coordinator joins after all that and asks for the recap, then the recap comes first, then one short message counting what was owed and the units nobody is reminded in", async () => {
    h.clock = new Date("2021-12-27T09:00:00+07:00");
    await join(yanti, "--role", "koordinator");
    const before = h.emulator.messages(yanti.id).length;
    // Telegram is slow to take the answer (a Bad Gateway twice): it takes seconds, and what falls
    // due to Yanti meanwhile waits for it.
    h.emulator.injectFault("sendMessage", { error_code: 502, description: "Bad Gateway", times: 2, chatId: yanti.id });
    await h.emulator.sendText(yanti, "/rekap");
    // Another coordinator's nudge wakes the reminder pass while the recap is being made.
    await h.emulator.sendText(wati, `/ingatkan ${codes.get("Kota Padang|Dinas Pariwisata")}`);
    const summary = await h.emulator.waitForMessage(yanti.id, has("belum punya PIC"), 30_000);
    await h.answered();

    // The recap (one message, its chart behind a button), then the one summary.
    const got = since(yanti, before);
    expect(got[0]!.plainText).toContain(`Rekap ${sumbar.program}`);
    expect(got.slice(1)).toEqual([summary]);

    const text = summary.plainText!;
    expect(text.length).toBeLessThanOrEqual(4096);
    // Fifteen steps of the three units with a focal point fell due on the 23rd, before Yanti joined.
    expect(text).toContain("🕓 Sebelum Anda bergabung, 15 tahapan di 3 unit sudah terlambat tanpa laporan. Ketik /terlambat");
    expect(text).toContain("🔕 92 unit dengan tahapan terlambat belum punya PIC yang bisa diingatkan");
    expect(text).toContain(
      "Kabupaten Agam: Badan Kepegawaian dan Pengembangan Sumber Daya Manusia, Dinas Komunikasi dan Informatika, Dinas Pariwisata dan 1 lainnya",
    );
    expect(text).toContain("… dan 14 pemda lainnya");
    expect(text).not.toContain("Eskalasi");
    expect(text).not.toContain("Kepala unit sudah diberi tahu");
    expect(text).not.toContain("PIC: belum ada");
    const rows = async () =>
      (await h.db.delivery.groupBy({ by: ["kind", "status"], where: { person: { telegramId: BigInt(yanti.id) } }, _count: { _all: true } }))
        .map((r) => [r.kind, r.status, r._count._all])
        .sort();
    await expect.poll(rows, { interval: 50, timeout: 10_000 }).toEqual([
      ["escalation_coord", "sent", 15],
      ["escalation_unreached", "sent", 1],
    ]);
  }, 60_000);

  it("when a focal point joins a unit of the summary, then they are reminded, the unit leaves the summary, and its old steps are not escalated one by one", async () => {
    h.clock = new Date("2021-12-28T07:00:00+07:00");
    await join(padangHealth, "--unit", codes.get("Kota Padang|Dinas Kesehatan")!);
    const before = h.emulator.messages(wati.id).length;
    expect((await h.cli("remind", "--at", "2021-12-28T08:05:00+07:00")).code).toBe(0);
    await h.emulator.waitForMessage(padangHealth.id, has("Tahapan terlambat 13 hari"), 10_000);
    const got = since(wati, before);
    expect(got).toHaveLength(1);
    expect(got[0]!.plainText).toMatch(/^🔕 2 unit dengan tahapan terlambat belum punya PIC/);
    expect(got[0]!.plainText).toContain("Badan Kepegawaian dan Pengembangan Sumber Daya Manusia, Dinas Komunikasi dan Informatika");
    expect(
      await h.db.delivery.count({
        where: { kind: "escalation_coord", milestone: { initiative: { unit: { code: codes.get("Kota Padang|Dinas Kesehatan") } } } },
      }),
    ).toBe(0);
  });

  it("when the program keeps to working days and the region has a day off, then the summary skips that day and comes on the next working day", async () => {
    await h.db.program.updateMany({ data: { workingDaysOnly: true } });
    h.clock = new Date("2021-12-28T12:00:00+07:00");
    await h.emulator.sendText(wati, "/libur tambah 30/12/2021 Cuti kantor wali kota");
    expect((await h.emulator.waitForMessage(wati.id, has("Cuti kantor wali kota"), 10_000)).plainText).toContain("30");
    for (const at of ["2021-12-29T08:05:00+07:00", "2021-12-30T08:05:00+07:00", "2021-12-31T08:05:00+07:00"]) {
      expect((await h.cli("remind", "--at", at)).code).toBe(0);
    }
    const summaries = await h.db.delivery.findMany({
      where: { person: { telegramId: BigInt(wati.id) }, kind: "escalation_unreached" },
      orderBy: { id: "asc" },
    });
    expect(summaries.map((d) => d.key.split(":").at(-1)).filter((day) => day! > "2021-12-28")).toEqual(["2021-12-29", "2021-12-31"]);
  });
});
