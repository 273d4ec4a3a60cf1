import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteFile } from "../../src/db/connection.js";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// Many people at once through the real bot and the Bot API emulator, on SQLite and PostgreSQL:
// one invite link opened by a whole office, two reports on one step at the same moment, two ✅
// Selesai under their reminders at once, and people's flows and reports while a coordinator
// previews and applies a large plan. Updates sent together reach the bot in one batch, which
// telegraf handles concurrently. Last, other processes on the SQLite file (prisma#29933: a failed
// COMMIT must not break later writes).

const program = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const coordinator: EmuUser = { id: 8001, first_name: "Budi", language_code: "id" };
/** Two pairs of focal points, each pair of one unit with one step. */
const rina: EmuUser = { id: 8002, first_name: "Rina", language_code: "id" };
const dewi: EmuUser = { id: 8003, first_name: "Dewi", language_code: "id" };
const sari: EmuUser = { id: 8004, first_name: "Sari", language_code: "id" };
const tono: EmuUser = { id: 8005, first_name: "Tono", language_code: "id" };
/** Two focal points of a third unit, who press ✅ Selesai under their reminders at once. */
const ayu: EmuUser = { id: 8006, first_name: "Ayu", language_code: "id" };
const eko: EmuUser = { id: 8007, first_name: "Eko", language_code: "id" };
/** Focal points of one unit who report while the coordinator imports. */
const farmers: EmuUser[] = Array.from({ length: 4 }, (_, i) => ({ id: 8010 + i, first_name: `Tani ${i + 1}`, language_code: "id" }));
/** An office whose chat group got the coordinator's link. */
const staff: EmuUser[] = Array.from({ length: 156 }, (_, i) => ({ id: 810_000 + i, first_name: `Staf ${i + 1}`, language_code: "id" }));

const header = "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot";

/** Three units with one step each, due the day after the harness's clock (a reminder is owed). */
const pairsPlan = [
  header,
  `${program},Kabupaten Bangka Barat,WIB,Bagian Uji Satu,BABAR-UJI-SATU,Lapor Bersama,,Rapat koordinasi,2022-01-12,1`,
  `${program},Kabupaten Bangka Barat,WIB,Bagian Uji Dua,BABAR-UJI-DUA,Lapor Berdua,,Kajian awal,2022-01-12,1`,
  `${program},Kabupaten Bangka Barat,WIB,Bagian Uji Tiga,BABAR-UJI-TIGA,Selesai Bersama,,Penetapan tim,2022-01-12,1`,
].join("\n");

/** 2,400 new steps (240 units of 10) in the example program: a large plan. */
function largePlan(): Buffer {
  const rows = Array.from({ length: 2400 }, (_, i) => {
    const unit = Math.floor(i / 10) + 1;
    return `${program},Kabupaten Bangka Barat,WIB,Unit Uji ${unit},BABAR-UJI-${unit},Inovasi Uji ${unit},,Tahap ${(i % 10) + 1},2022-12-31,1`;
  });
  return Buffer.from(`${header}\n${rows.join("\n")}\n`);
}

const codeOf = (stdout: string) => /start=([\w-]+)/.exec(stdout)![1]!;
const pressable = (m: SentMessage, text: string) => {
  const found = buttons(m).find((b) => b.text.includes(text));
  if (!found) throw new Error(`no button "${text}" in: ${m.plainText}`);
  return found.callback_data;
};
const isReminder = (m: SentMessage) => (m.plainText ?? "").startsWith("⏰");

describe.each(await databaseKinds())("concurrent writes on %s", (kind) => {
  let h: Harness;
  let dir: string;
  /** The bot's next message to the user (containing `text`), reminders aside. */
  const reply = (user: EmuUser, text = "") => h.emulator.waitForMessage(user.id, (m) => !isReminder(m) && (m.plainText ?? "").includes(text), 60_000);
  /** Joins one after the other (the race of many at once is a test of its own). */
  const join = async (users: EmuUser[], ...inviteArgs: string[]) => {
    const code = codeOf((await h.cli("invite", ...inviteArgs)).stdout);
    for (const user of users) {
      await h.emulator.sendText(user, `/start ${code}`);
      expect((await reply(user)).plainText).toContain("Selamat bergabung");
    }
  };
  /** /lapor as far as the step's buttons. */
  const pickStep = async (user: EmuUser) => {
    await h.emulator.sendText(user, "/lapor");
    return reply(user, "Tahapan mana");
  };
  /** Answers the reminder the user got about `step` ("80%", "terkendala …"), as a reply to it. */
  const answerReminder = (user: EmuUser, step: string, text: string) => {
    const reminder = h.emulator.messages(user.id).find((m) => isReminder(m) && (m.plainText ?? "").includes(step));
    if (!reminder) throw new Error(`${user.first_name} got no reminder about ${step}`);
    return h.emulator.sendText(user, text, { replyTo: reminder.message_id });
  };
  const stepNamed = (title: string) => h.db.milestone.findFirstOrThrow({ where: { title } });
  const percentsOf = async (title: string) =>
    (await h.db.progressReport.findMany({ where: { milestone: { title } }, orderBy: { id: "asc" } })).map((r) => r.percent);

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = await mkdtemp(path.join(tmpdir(), "pantau-concurrent-"));
    await writeFile(path.join(dir, "pairs.csv"), pairsPlan);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    expect((await h.cli("import", path.join(dir, "pairs.csv"))).code).toBe(0);
    await h.startBot();
    await join([coordinator], "--role", "koordinator");
    await join([rina, dewi], "--unit", "BABAR-UJI-SATU", "--uses", "2");
    await join([sari, tono], "--unit", "BABAR-UJI-DUA", "--uses", "2");
    await join([ayu, eko], "--unit", "BABAR-UJI-TIGA", "--uses", "2");
    await join(farmers, "--unit", "BABAR-DISTANPANGAN", "--uses", String(farmers.length));
    // The H-1 reminders of the two steps, which the pairs answer.
    expect((await h.cli("remind", "--at", "2022-01-11T09:00:00+07:00")).code).toBe(0);
    await h.emulator.waitForMessage(tono.id, isReminder, 60_000);
    await h.emulator.waitForMessage(eko.id, isReminder, 60_000);
  }, 180_000);
  afterAll(async () => {
    await h?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("when 150 staff open one coordinator link for 155 at once, then all join; five more join and the 156th is refused", async () => {
    const code = codeOf((await h.cli("invite", "--role", "koordinator", "--uses", "155")).stdout);
    const office = staff.slice(0, 150);
    for (const user of office) await h.emulator.sendText(user, `/start ${code}`);
    const answers = await Promise.all(office.map(async (user) => (await reply(user)).plainText ?? ""));
    expect(answers.filter((text) => !text.includes("Selamat bergabung"))).toEqual([]);

    const late = staff.slice(150);
    for (const user of late) await h.emulator.sendText(user, `/start ${code}`);
    const lateAnswers = await Promise.all(late.map(async (user) => (await reply(user)).plainText ?? ""));
    expect(lateAnswers.filter((text) => text.includes("Selamat bergabung"))).toHaveLength(5);
    expect(lateAnswers.filter((text) => text.includes("tidak berlaku"))).toHaveLength(1);
    const invite = await h.db.invite.findFirstOrThrow({ where: { maxUses: 155 }, include: { _count: { select: { memberships: true } } } });
    expect([invite.uses, invite._count.memberships]).toEqual([155, 155]);
  }, 180_000);

  it("when two focal points report on one step at the same moment, then both are kept and the step shows the later on top of the earlier", async () => {
    await answerReminder(rina, "Rapat koordinasi", "50%");
    expect((await reply(rina)).plainText).toContain("Tersimpan");

    await Promise.all([answerReminder(rina, "Rapat koordinasi", "75%"), answerReminder(dewi, "Rapat koordinasi", "terkendala menunggu tanda tangan bupati")]);
    expect((await reply(rina)).plainText).toContain("Tersimpan");
    expect((await reply(dewi)).plainText).toContain("Tersimpan");
    // Whichever came second kept the 75% of the other: blocked at 75%, or 75% after the block.
    expect((await stepNamed("Rapat koordinasi")).progress).toBe(75);
    expect(await percentsOf("Rapat koordinasi")).toHaveLength(3);
  }, 120_000);

  it("when a lower report arrives with a higher one, then it needs a reason unless it came first", async () => {
    await Promise.all([answerReminder(sari, "Kajian awal", "80%"), answerReminder(tono, "Kajian awal", "60%")]);
    expect((await reply(sari)).plainText).toContain("Tersimpan");
    const tonoAnswer = (await reply(tono)).plainText ?? "";

    expect((await stepNamed("Kajian awal")).progress).toBe(80);
    // Saved before the 80%, or refused by the reason rule; never 60% on top of 80% without a note.
    if (tonoAnswer.includes("Tersimpan")) expect(await percentsOf("Kajian awal")).toEqual([60, 80]);
    else {
      expect(tonoAnswer).toContain("Progres turun dari 80% ke 60%");
      expect(await percentsOf("Kajian awal")).toEqual([80]);
    }
  }, 120_000);

  it("when two focal points press ✅ Selesai under their reminders at the same moment, then one records it and the other is told it is done already", async () => {
    h.clock = new Date("2022-01-11T10:00:00+07:00");
    const reminderOf = (user: EmuUser) => h.emulator.messages(user.id).find((m) => isReminder(m) && (m.plainText ?? "").includes("Penetapan tim"))!;
    const answersBefore = h.emulator.callbackAnswers().length;
    await Promise.all([ayu, eko].map((user) => h.emulator.pressButton(user, reminderOf(user), pressable(reminderOf(user), "Selesai"))));
    await h.answered(60_000);
    const alerts = h.emulator
      .callbackAnswers()
      .slice(answersBefore)
      .filter((a) => a.show_alert);
    expect(alerts.map((a) => a.text)).toEqual(["Tahapan ini sudah selesai (100%) sejak pengingat ini dikirim. Tidak ada yang diubah."]);
    const saved = [ayu, eko].flatMap((user) => h.emulator.messages(user.id).filter((m) => (m.plainText ?? "").startsWith("✅ Tersimpan")));
    expect(saved).toHaveLength(1);
    expect(await percentsOf("Penetapan tim")).toEqual([100]);
    expect(await h.db.auditLog.count({ where: { action: "report.create", targetName: "Penetapan tim" } })).toBe(1);
    h.clock = new Date("2022-01-11T09:00:00+07:00");
  }, 120_000);

  it("when focal points go on with their reports while a coordinator previews and then applies a large plan, then nothing they did is lost", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    await reply(coordinator, "Kirim berkas");
    const picks = await Promise.all(farmers.map(pickStep));
    const steps = await h.db.milestone.count();
    // A slow connection: each press is acknowledged (the buttons removed) before the report goes on,
    // so their writes come after the coordinator's file (while it is worked on, with PostgreSQL;
    // SQLite's one connection, busy with it, makes them wait).
    const slowly = (user: EmuUser, delayMs: number) =>
      h.emulator.injectFault("editMessageReplyMarkup", { chatId: user.id, delayMs, error_code: 400, description: "Bad Request: message is not modified" });
    for (const user of farmers) slowly(user, 1500);
    await Promise.all([
      h.emulator.sendDocument(coordinator, { fileName: "rencana-besar.csv", mimeType: "text/csv", content: largePlan() }),
      ...farmers.map((user, i) => h.emulator.pressButton(user, picks[i]!, buttons(picks[i]!)[0]!.callback_data)),
    ]);
    const preview = await reply(coordinator, "Pratinjau impor");
    expect(preview.plainText).toContain("Akan dibuat: 0 pemda, 240 OPD, 240 inovasi, 2400 tahapan");
    expect(await h.db.milestone.count()).toBe(steps);
    // Each one's flow moved on during the preview: the percentage buttons it sent still work.
    const percents = await Promise.all(farmers.map((user) => reply(user)));
    for (const [i, user] of farmers.entries()) {
      expect(percents[i]!.plainText).toContain("Pilih progres");
      await h.emulator.pressButton(user, percents[i]!, pressable(percents[i]!, "25%"));
    }
    const notes = await Promise.all(farmers.map((user) => reply(user)));
    for (const [i, user] of farmers.entries()) {
      expect(notes[i]!.plainText).toContain("catatan");
      await h.emulator.pressButton(user, notes[i]!, pressable(notes[i]!, "Lewati"));
    }
    const confirms = await Promise.all(farmers.map((user) => reply(user)));

    // Their reports are saved while the import runs: each waits for it, none fails.
    for (const user of farmers) slowly(user, 2500);
    await Promise.all([
      h.emulator.pressButton(coordinator, preview, pressable(preview, "Terapkan")),
      ...farmers.map((user, i) => h.emulator.pressButton(user, confirms[i]!, pressable(confirms[i]!, "Simpan"))),
    ]);
    expect((await reply(coordinator, "Impor selesai")).plainText).toContain("2400 tahapan");
    for (const user of farmers) expect((await reply(user)).plainText).toContain("Tersimpan");
    expect(await h.db.milestone.count()).toBe(steps + 2400);
    expect(await h.db.progressReport.count({ where: { person: { telegramId: { in: farmers.map((f) => BigInt(f.id)) } } } })).toBe(farmers.length);
  }, 240_000);
});

describe("SQLite with a sqlite3 shell on the bot's file", () => {
  let h: Harness;
  const shells: ChildProcessWithoutNullStreams[] = [];
  /** The bot's next message to the user containing `text` (reminders may come in between). */
  const reply = (user: EmuUser, text: string) => h.emulator.waitForMessage(user.id, (m) => (m.plainText ?? "").includes(text), 60_000);
  /** A `sqlite3` shell on the bot's file, typed these commands; resolves once it printed `ready`. */
  const shell = (commands: string, ready: string) => {
    const child = spawn("sqlite3", [sqliteFile(h.database.url)]);
    shells.push(child);
    let printed = "";
    const started = new Promise<void>((resolve) =>
      child.stdout.on("data", (chunk: Buffer) => {
        printed += chunk.toString();
        if (printed.includes(ready)) resolve();
      }),
    );
    child.stdin.write(commands);
    return started.then(() => child);
  };
  const quit = (child: ChildProcessWithoutNullStreams, last = "") =>
    new Promise<number | null>((resolve) => {
      child.once("exit", resolve);
      child.stdin.end(`${last}.quit\n`);
    });
  /** /lapor on the unit's first step up to the confirmation of `percent`. */
  const confirmation = async (user: EmuUser, percent: number) => {
    await h.emulator.sendText(user, "/lapor");
    const pick = await reply(user, "Tahapan mana");
    await h.emulator.pressButton(user, pick, buttons(pick)[0]!.callback_data);
    await reply(user, "Pilih progres");
    await h.emulator.sendText(user, `${percent}`);
    const note = await reply(user, "catatan");
    await h.emulator.pressButton(user, note, pressable(note, "Lewati"));
    return reply(user, "Simpan?");
  };
  /** Presses Simpan; the bot's answer. */
  const save = async (user: EmuUser, confirm: SentMessage) => {
    await h.emulator.pressButton(user, confirm, pressable(confirm, "Simpan"));
    return (await h.emulator.waitForMessage(user.id, (m) => !(m.plainText ?? "").startsWith("⏰"), 60_000)).plainText ?? "";
  };
  /** The reports' percentages as a new process reads them from the file. */
  const committed = () =>
    spawnSync("sqlite3", [sqliteFile(h.database.url), "SELECT group_concat(percent) FROM (SELECT percent FROM ProgressReport ORDER BY id);"])
      .stdout.toString()
      .trim();

  beforeAll(async () => {
    h = await Harness.create("sqlite");
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    await h.startBot();
    const code = codeOf((await h.cli("invite", "--unit", "BABAR-DISPARBUD")).stdout);
    await h.emulator.sendText(rina, `/start ${code}`);
    await reply(rina, "Selamat bergabung");
  }, 120_000);
  afterAll(async () => {
    for (const child of shells) child.kill();
    await h?.stop();
  });

  it("when one shell holds a read transaction (as a backup does) and another the write lock for two seconds, then reports wait, are committed, and later ones too", async () => {
    const reader = await shell("BEGIN;\nSELECT 'reading', count(*) FROM Milestone;\n", "reading");
    expect(await save(rina, await confirmation(rina, 20))).toContain("Tersimpan");
    const ready = await confirmation(rina, 40);
    const writer = await shell("BEGIN IMMEDIATE;\nUPDATE Program SET name = name;\nSELECT 'locked';\n.shell sleep 2\nCOMMIT;\n", "locked");
    expect(await save(rina, ready)).toContain("Tersimpan");
    expect(await quit(writer)).toBe(0);
    expect(await quit(reader, "COMMIT;\n")).toBe(0);
    expect(await save(rina, await confirmation(rina, 60))).toContain("Tersimpan");
    expect(committed()).toBe("20,40,60");
  }, 120_000);
});
