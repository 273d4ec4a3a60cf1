import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqliteFile } from "../../src/db/connection.js";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";

// Many people at once through the real bot and the Bot API emulator, on SQLite and PostgreSQL:
// one invite link opened by a whole office, two reports on one step at the same moment, and
// people's flows and reports while a coordinator previews and applies a large plan. Updates sent
// together reach the bot in one batch, which telegraf handles concurrently. Last, other processes
// on the SQLite file (prisma#29933: a failed COMMIT must not break later writes).

const program = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const coordinator: EmuUser = { id: 8001, first_name: "Budi", language_code: "id" };
const rina: EmuUser = { id: 8002, first_name: "Rina", language_code: "id" };
const dewi: EmuUser = { id: 8003, first_name: "Dewi", language_code: "id" };
/** Focal points of one unit who report while the coordinator imports. */
const farmers: EmuUser[] = Array.from({ length: 4 }, (_, i) => ({ id: 8010 + i, first_name: `Tani ${i + 1}`, language_code: "id" }));
/** An office whose chat group got the coordinator's link. */
const staff: EmuUser[] = Array.from({ length: 156 }, (_, i) => ({ id: 810_000 + i, first_name: `Staf ${i + 1}`, language_code: "id" }));

/** 2,400 new steps (240 units of 10) in the example program: a large plan. */
function largePlan(): Buffer {
  const rows = Array.from({ length: 2400 }, (_, i) => {
    const unit = Math.floor(i / 10) + 1;
    return `${program},Kabupaten Bangka Barat,WIB,Unit Uji ${unit},BABAR-UJI-${unit},Inovasi Uji ${unit},,Tahap ${(i % 10) + 1},2022-12-31,1`;
  });
  return Buffer.from(`program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot\n${rows.join("\n")}\n`);
}

const codeOf = (stdout: string) => /start=([\w-]+)/.exec(stdout)![1]!;
const pressable = (m: SentMessage, text: string) => {
  const found = buttons(m).find((b) => b.text.includes(text));
  if (!found) throw new Error(`no button "${text}" in: ${m.plainText}`);
  return found.callback_data;
};

describe.each(await databaseKinds())("concurrent writes on %s", (kind) => {
  let h: Harness;
  const reply = (user: EmuUser, predicate?: (m: SentMessage) => boolean) => h.emulator.waitForMessage(user.id, predicate, 60_000);
  const join = async (users: EmuUser[], ...inviteArgs: string[]) => {
    const code = codeOf((await h.cli("invite", ...inviteArgs)).stdout);
    for (const user of users) await h.emulator.sendText(user, `/start ${code}`);
    for (const user of users) expect((await reply(user)).plainText).toContain("Selamat bergabung");
  };
  /** /lapor as far as the step's buttons. */
  const pickStep = async (user: EmuUser) => {
    await h.emulator.sendText(user, "/lapor");
    return reply(user);
  };
  /** /lapor up to the confirmation of `percent` (without a note) or of "terkendala" with `reason`. */
  const confirmation = async (user: EmuUser, step: string, answer: { percent: number } | { reason: string }) => {
    const pick = await pickStep(user);
    await h.emulator.pressButton(user, pick, pressable(pick, step));
    const percent = await reply(user);
    if ("reason" in answer) {
      await h.emulator.pressButton(user, percent, pressable(percent, "Terkendala"));
      await reply(user);
      await h.emulator.sendText(user, answer.reason);
    } else {
      await h.emulator.sendText(user, `${answer.percent}%`);
      const note = await reply(user);
      await h.emulator.pressButton(user, note, pressable(note, "Lewati"));
    }
    return reply(user);
  };
  const stepNamed = (title: string) => h.db.milestone.findFirstOrThrow({ where: { title, initiative: { name: "SIP Banget" } } });

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    await h.startBot();
    await join([coordinator], "--role", "koordinator");
    await join([rina, dewi], "--unit", "BABAR-DISPARBUD", "--uses", "2");
    await join(farmers, "--unit", "BABAR-DISTANPANGAN", "--uses", String(farmers.length));
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
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

  it("when two focal points save reports on one step at the same moment, then both are kept and the step shows the later on top of the earlier", async () => {
    const first = await confirmation(rina, "SK tim replikasi", { percent: 50 });
    await h.emulator.pressButton(rina, first, pressable(first, "Simpan"));
    expect((await reply(rina)).plainText).toContain("Tersimpan");

    const up = await confirmation(rina, "SK tim replikasi", { percent: 75 });
    const stuck = await confirmation(dewi, "SK tim replikasi", { reason: "menunggu tanda tangan bupati" });
    await Promise.all([h.emulator.pressButton(rina, up, pressable(up, "Simpan")), h.emulator.pressButton(dewi, stuck, pressable(stuck, "Simpan"))]);
    expect((await reply(rina)).plainText).toContain("Tersimpan");
    expect((await reply(dewi)).plainText).toContain("Tersimpan");

    // Whichever came second kept the 75% of the other: blocked at 75%, or 75% after the block.
    const step = await stepNamed("SK tim replikasi");
    expect(step.progress).toBe(75);
    expect(await h.db.progressReport.count({ where: { milestoneId: step.id } })).toBe(3);
  }, 120_000);

  it("when a lower report arrives with a higher one, then it needs a reason unless it came first", async () => {
    const high = await confirmation(rina, "Penyusunan SOP layanan", { percent: 80 });
    const low = await confirmation(dewi, "Penyusunan SOP layanan", { percent: 60 });
    await Promise.all([h.emulator.pressButton(rina, high, pressable(high, "Simpan")), h.emulator.pressButton(dewi, low, pressable(low, "Simpan"))]);
    expect((await reply(rina)).plainText).toContain("Tersimpan");
    const dewiAnswer = (await reply(dewi)).plainText ?? "";

    const step = await stepNamed("Penyusunan SOP layanan");
    expect(step.progress).toBe(80);
    const saved = (await h.db.progressReport.findMany({ where: { milestoneId: step.id }, orderBy: { id: "asc" } })).map((r) => r.percent);
    // Saved before the 80%, or refused with the reason rule; never 60% on top of 80% without a note.
    if (dewiAnswer.includes("Tersimpan")) expect(saved).toEqual([60, 80]);
    else {
      expect(dewiAnswer).toContain("Progres turun dari 80% ke 60% tanpa alasan");
      expect(saved).toEqual([80]);
    }
  }, 120_000);

  it("when focal points go on with their reports while a coordinator previews and then applies a large plan, then nothing they did is lost", async () => {
    await h.emulator.sendText(coordinator, "/impor");
    expect((await reply(coordinator)).plainText).toContain("Kirim berkas");
    const picks = await Promise.all(farmers.map(pickStep));
    const steps = await h.db.milestone.count();
    // A slow connection: each press is acknowledged (the buttons removed) before the report goes on,
    // so their writes come while the coordinator's file is being worked on.
    const slowly = (user: EmuUser, delayMs: number) =>
      h.emulator.injectFault("editMessageReplyMarkup", { chatId: user.id, delayMs, error_code: 400, description: "Bad Request: message is not modified" });
    for (const user of farmers) slowly(user, 1500);
    await Promise.all([
      h.emulator.sendDocument(coordinator, { fileName: "rencana-besar.csv", mimeType: "text/csv", content: largePlan() }),
      ...farmers.map((user, i) => h.emulator.pressButton(user, picks[i]!, buttons(picks[i]!)[0]!.callback_data)),
    ]);
    const preview = await reply(coordinator);
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
    expect((await reply(coordinator, (m) => (m.plainText ?? "").includes("Impor selesai"))).plainText).toContain("2400 tahapan");
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
  const committed = () => spawnSync("sqlite3", [sqliteFile(h.database.url), "SELECT group_concat(percent) FROM (SELECT percent FROM ProgressReport ORDER BY id);"]).stdout.toString().trim();

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
