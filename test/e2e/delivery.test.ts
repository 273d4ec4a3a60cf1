import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DatabaseKind, Prisma } from "../../src/db/connection.js";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { databaseKinds, examplePlan, Harness } from "../support/harness.js";

// Delivery that users can trust: escalations once per step, catch-up after downtime without a
// burst of stale reminders, no reminder lost when the process is killed mid-pass, and each
// reminder sent once by several processes sharing one PostgreSQL.

const kinds = await databaseKinds();
const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

async function join(h: Harness, user: EmuUser, ...inviteArgs: string[]): Promise<void> {
  const invite = await h.cli("invite", ...inviteArgs);
  expect(invite.code).toBe(0);
  await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
  await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Selamat bergabung"));
}

describe.each(kinds)("escalation on %s", (kind) => {
  let h: Harness;
  const pic: EmuUser = { id: 6101, first_name: "Rina", language_code: "id" };
  const head: EmuUser = { id: 6102, first_name: "Pak Kadis", language_code: "id" };
  const coordinator: EmuUser = { id: 6103, first_name: "Budi", language_code: "id" };

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    // In quiet hours: the pass the bot runs at start owes nothing, whether it reads the people
    // before or after they join (at 20:00 it raced them for the decree's H-0 reminder).
    h.clock = new Date("2022-01-07T22:00:00+07:00");
    await h.startBot();
    await join(h, pic, "--unit", "BABAR-DISPARBUD");
    await join(h, head, "--unit", "BABAR-DISPARBUD", "--role", "kepala");
    await join(h, coordinator, "--role", "koordinator");
  });
  afterAll(async () => {
    await h?.stop();
  });

  const escalations = (user: EmuUser) => h.emulator.messages(user.id).filter((m) => m.plainText?.includes("⚠️"));

  it("when a step stays overdue and unreported, then the head of unit is told once, three days after the first late day", async () => {
    // "SK tim replikasi" was due Friday 7 January 2022; the first late day is the 8th.
    await h.cli("remind", "--at", "2022-01-10T08:05:00+07:00");
    expect(escalations(head)).toHaveLength(0);
    await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00");
    const told = await h.emulator.waitForMessage(head.id, (m) => !!m.plainText?.includes("⚠️"));
    expect(told.plainText).toContain("Tahapan unit Anda terlambat dan belum dilaporkan");
    expect(told.plainText).toContain("SK tim replikasi");
    expect(told.plainText).toContain("Tenggat: Jumat, 7 Januari 2022 (lewat 4 hari)");
    // Reminded on the 10th (overdue slot of the 8th) and this morning (slot of the 11th).
    expect(told.plainText).toContain("Pengingat terkirim: 2 kali, terakhir 11 Jan 2022");
    expect(told.plainText).toContain("PIC: Rina");
    await h.cli("remind", "--at", "2022-01-11T14:00:00+07:00");
    expect(escalations(head)).toHaveLength(1);
    expect(escalations(coordinator)).toHaveLength(0);
  });

  it("when it stays silent four more days, then the coordinator is told once, and the head is not told again", async () => {
    await h.cli("remind", "--at", "2022-01-14T08:05:00+07:00");
    expect(escalations(coordinator)).toHaveLength(0);
    await h.cli("remind", "--at", "2022-01-15T08:05:00+07:00");
    const told = await h.emulator.waitForMessage(coordinator.id, (m) => !!m.plainText?.includes("⚠️"));
    expect(told.plainText).toContain("Eskalasi: tahapan terlambat tanpa laporan");
    expect(told.plainText).toContain("SK tim replikasi");
    expect(told.plainText).toContain("Dinas Pariwisata dan Kebudayaan (Kabupaten Bangka Barat)\nPIC: Rina\nKepala unit sudah diberi tahu (11 Jan 2022).");
    await h.cli("remind", "--at", "2022-01-16T08:05:00+07:00");
    expect(escalations(coordinator)).toHaveLength(1);
    expect(escalations(head)).toHaveLength(1);
  });

  it("when the focal point reports after the deadline, then that step is not escalated", async () => {
    // "Penyusunan SOP layanan" was due on the 14th: its head day would be the 18th.
    h.clock = new Date("2022-01-16T10:00:00+07:00");
    const reminder = h.emulator
      .messages(pic.id)
      .filter((m) => m.plainText?.includes("Penyusunan SOP layanan"))
      .at(-1)!;
    await h.emulator.sendText(pic, "terkendala anggaran belum cair", { replyTo: reminder.message_id });
    await h.emulator.waitForMessage(pic.id, (m) => !!m.plainText?.includes("Tersimpan"));
    await h.cli("remind", "--at", "2022-01-18T08:05:00+07:00");
    expect(escalations(head)).toHaveLength(1);
    const delivered = await h.db.delivery.count({ where: { kind: { startsWith: "escalation" }, milestone: { title: "Penyusunan SOP layanan" } } });
    expect(delivered).toBe(0);
  });
});

describe.each(kinds)("catch-up after downtime on %s", (kind) => {
  let h: Harness;
  const pic: EmuUser = { id: 6201, first_name: "Dewi", language_code: "id" };

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    h.clock = new Date("2022-01-10T22:00:00+07:00"); // quiet hours, as above
    await h.startBot();
    await join(h, pic, "--unit", "BABAR-DISPARBUD");
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when the bot was down for three days, then it sends at once one current reminder per step, not the stale ones", async () => {
    const before = h.emulator.messages(pic.id).length;
    // Down from the evening of Monday 10 January to Thursday 13 January 10:00: H-3 (11th) and
    // H-1 (13th) of the SOP fell due meanwhile, and the decree's overdue slot of the 11th.
    h.clock = new Date("2022-01-13T10:00:00+07:00");
    await h.restartBot();
    const caught = await h.emulator.waitForMessage(pic.id, (m) => !!m.plainText?.includes("Pengingat"));
    expect(caught.plainText).toContain("Pengingat: 2 tahapan");
    expect(caught.plainText).toContain("Penyusunan SOP layanan");
    expect(caught.plainText).toContain("Tenggat: Jumat, 14 Januari 2022 (1 hari lagi)");
    expect(caught.plainText).toContain("SK tim replikasi");
    expect(caught.plainText).toContain("(lewat 6 hari)");
    await h.answered();
    expect(h.emulator.messages(pic.id).length).toBe(before + 1);
    const slots = (await h.db.delivery.findMany({ where: { person: { telegramId: BigInt(pic.id) } } })).map(
      (d) => d.key.split(":")[0] + ":" + d.key.split(":")[3],
    );
    expect(slots.sort()).toEqual(["overdue:2022-01-11", "reminder:2022-01-13"]);

    // A restart at the same moment sends nothing more.
    await h.restartBot();
    await h.answered();
    expect(h.emulator.messages(pic.id).length).toBe(before + 1);
  });
});

describe.each(kinds)("passes after a step's reminders went out on %s", (kind) => {
  // A pass skips a step still owing what it owed at the last pass: whatever changed since
  // (someone joined, a report came, the next slot) must still be seen.
  let h: Harness;
  const first: EmuUser = { id: 6301, first_name: "Sari", language_code: "id" };
  const second: EmuUser = { id: 6302, first_name: "Andi", language_code: "id" };
  const head: EmuUser = { id: 6303, first_name: "Bu Kadis", language_code: "id" };
  const reminders = (user: EmuUser) => h.emulator.messages(user.id).filter((m) => m.plainText?.includes("Pengingat"));
  const escalations = (user: EmuUser) => h.emulator.messages(user.id).filter((m) => m.plainText?.includes("⚠️"));

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    h.clock = new Date("2022-01-10T22:00:00+07:00"); // quiet hours, as above
    await h.startBot();
    await join(h, first, "--unit", "BABAR-DISPARBUD");
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when a second focal point joins after the day's reminder went out, then the next pass reminds them of the same steps, and the first focal point is not reminded again", async () => {
    // Tuesday 11 January: the SOP's H-3 (due the 14th), and the decree (due the 7th) overdue.
    await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00");
    const sent = await h.emulator.waitForMessage(first.id, (m) => !!m.plainText?.includes("Pengingat"));
    expect(sent.plainText).toContain("Penyusunan SOP layanan");
    await h.cli("remind", "--at", "2022-01-11T08:10:00+07:00");
    expect(reminders(first)).toHaveLength(1);

    h.clock = new Date("2022-01-11T09:00:00+07:00");
    await join(h, second, "--unit", "BABAR-DISPARBUD");
    await h.cli("remind", "--at", "2022-01-11T09:05:00+07:00");
    const theirs = await h.emulator.waitForMessage(second.id, (m) => !!m.plainText?.includes("Pengingat"));
    expect(theirs.plainText).toContain("Penyusunan SOP layanan");
    expect(theirs.plainText).toContain("SK tim replikasi");
    await h.cli("remind", "--at", "2022-01-11T09:10:00+07:00");
    expect(reminders(first)).toHaveLength(1);
    expect(reminders(second)).toHaveLength(1);
  });

  it("when a head of unit joins after the day their unit's silent step was to be escalated, then the next pass counts it for them, once, rather than replaying it", async () => {
    // "SK tim replikasi", due Friday the 7th: the head's day is the 11th (08:00), when the unit had no head.
    const earlier = (user: EmuUser) => h.emulator.messages(user.id).filter((m) => m.plainText?.includes("🕓"));
    expect(escalations(head)).toHaveLength(0);
    h.clock = new Date("2022-01-11T10:00:00+07:00");
    await join(h, head, "--unit", "BABAR-DISPARBUD", "--role", "kepala");
    await h.cli("remind", "--at", "2022-01-11T10:05:00+07:00");
    const told = await h.emulator.waitForMessage(head.id, (m) => !!m.plainText?.includes("🕓"));
    expect(told.plainText).toBe("🕓 Sebelum Anda bergabung, 1 tahapan unit Anda sudah terlambat tanpa laporan. Ketik /status untuk melihat progresnya.");
    await h.cli("remind", "--at", "2022-01-11T10:10:00+07:00");
    expect(earlier(head)).toHaveLength(1);
    expect(escalations(head)).toHaveLength(0);
  });

  it("when the next slot's day comes, then both focal points get its reminder once", async () => {
    // Thursday 13 January: the SOP's H-1.
    await h.cli("remind", "--at", "2022-01-13T08:05:00+07:00");
    for (const user of [first, second]) {
      const next = await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("1 hari lagi"));
      expect(next.plainText).toContain("Penyusunan SOP layanan");
    }
    await h.cli("remind", "--at", "2022-01-13T08:10:00+07:00");
    expect(reminders(first)).toHaveLength(2);
    expect(reminders(second)).toHaveLength(2);
  });
});

// ------------------------------------------------------------------------------------------
// Whole processes: `pantau remind` killed with SIGKILL, and several of them at once.

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
}

function remind(env: NodeJS.ProcessEnv, at: string, killAfterMs?: number): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/pantau.js", "remind", "--at", at], { env: { PATH: process.env.PATH, ...env } });
    let stdout = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.on("error", reject);
    child.on("exit", (code, signal) => resolve({ code, signal, stdout }));
    if (killAfterMs !== undefined) setTimeout(() => child.kill("SIGKILL"), killAfterMs);
  });
}

const focalPoints = (n: number, from: number): EmuUser[] =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, first_name: `PIC ${i + 1}`, language_code: "id" }));

/** One unit of one program with `people` focal points and one step due in three days. */
async function seedUnit(db: Prisma, people: EmuUser[]): Promise<void> {
  const program = await db.program.create({ data: { name: "KIPP 2023 Kabupaten Bangka Barat" } });
  const region = await db.region.create({ data: { name: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" } });
  const unit = await db.unit.create({ data: { regionId: region.id, name: "Dinas Komunikasi dan Informatika", code: "BABAR-DISKOMINFO" } });
  const initiative = await db.initiative.create({ data: { programId: program.id, unitId: unit.id, name: "Proposal KIPP Diskominfo" } });
  await db.milestone.create({ data: { initiativeId: initiative.id, title: "Input data ke sistem KIPP", dueDate: "2023-03-17" } });
  for (const user of people) {
    const person = await db.person.create({ data: { telegramId: BigInt(user.id), firstName: user.first_name, startedAt: new Date() } });
    await db.membership.create({ data: { personId: person.id, role: "pic", unitId: unit.id } });
  }
}

/** A harness of its own for a describe block, on a database holding `seedUnit`'s unit with these people. */
function unitHarness(kind: DatabaseKind, people: EmuUser[]): () => Harness {
  let h: Harness | undefined;
  beforeAll(async () => {
    h = await Harness.create(kind);
    await h.cli("migrate");
    await seedUnit(h.db, people);
    for (const user of people) h.emulator.seedPrivateChat(user);
  });
  afterAll(async () => {
    await h?.stop();
  });
  return () => h!;
}

const passAt = "2023-03-14T08:05:00+07:00";

describe.each(kinds)("reminder passes killed with SIGKILL on %s", (kind) => {
  const people = focalPoints(60, 7100);
  const harness = unitHarness(kind, people);

  it("when the pass is killed twenty times at random moments, then after a restart nobody is missed and duplicates stay within the window", async () => {
    const h = harness();
    const env = { ...h.env, LOG_LEVEL: "silent", OUTBOX_LEASE_SECONDS: "1" };
    let kills = 0;
    for (let i = 0; i < 20; i++) {
      const run = await remind(env, passAt, 300 + Math.floor(Math.random() * 1500));
      if (run.signal === "SIGKILL") kills += 1;
      // Let the dead process's leases run out now and then, so later runs take its rows over.
      if (i % 4 === 3) await new Promise((resolve) => setTimeout(resolve, 1100));
    }
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const last = await remind(env, passAt);
    expect(last.code).toBe(0);

    const copies = people.map((u) => h.emulator.messages(u.id).length);
    expect(copies.filter((n) => n === 0)).toEqual([]);
    const duplicates = copies.reduce((sum, n) => sum + n - 1, 0);
    // At least once: a kill can only repeat the messages Telegram had accepted but the
    // database had not yet recorded, at most one per kill at this rate.
    expect(duplicates).toBeLessThanOrEqual(kills);
    expect(await h.db.delivery.count({ where: { status: "sent" } })).toBe(people.length);
    expect(await h.db.delivery.count({ where: { status: { not: "sent" } } })).toBe(0);
  }, 120_000);
});

describe.each(kinds.filter((k) => k === "postgresql"))("several processes on one %s", (kind) => {
  const people = focalPoints(80, 7300);
  const harness = unitHarness(kind, people);

  it("when three processes run the same pass at once, then every reminder is sent exactly once between them", async () => {
    const h = harness();
    const env = { ...h.env, LOG_LEVEL: "silent" };
    const runs = await Promise.all([remind(env, passAt), remind(env, passAt), remind(env, passAt)]);
    for (const run of runs) expect(run.code).toBe(0);
    for (const user of people) expect(h.emulator.messages(user.id)).toHaveLength(1);
    const sentBy = runs.map((r) => Number(/Terkirim (\d+)/.exec(r.stdout)?.[1] ?? 0));
    expect(sentBy.reduce((a, b) => a + b, 0)).toBe(people.length);
    expect(await h.db.delivery.count({ where: { status: "sent" } })).toBe(people.length);
  }, 60_000);
});

describe.each(kinds)("a stop during a backlog on %s", (kind) => {
  const people = focalPoints(400, 8100);
  const harness = unitHarness(kind, people);

  it("when the bot stops while 400 reminders go out, then it sends only the batch in hand, and after a restart everyone has exactly one", async () => {
    const h = harness();
    h.clock = new Date(passAt);
    // 20 a second, batches of 100: the whole backlog would fit in one pass's minute of budget.
    await h.startBot({ TELEGRAM_RATE_LIMIT: "20" });
    const delivered = () => people.filter((u) => h.emulator.messages(u.id).length > 0).length;
    const deadline = Date.now() + 30_000;
    while (delivered() < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await h.stopBot();
    const beforeRestart = delivered();
    expect(beforeRestart).toBeGreaterThanOrEqual(5);
    expect(beforeRestart).toBeLessThanOrEqual(100);
    expect(await h.db.delivery.count({ where: { status: "sent" } })).toBe(beforeRestart);

    await h.startBot();
    const settled = async () => (await h.db.delivery.count({ where: { status: "pending" } })) === 0;
    const restarted = Date.now() + 60_000;
    while (!(await settled()) && Date.now() < restarted) await new Promise((resolve) => setTimeout(resolve, 200));
    for (const user of people) expect(h.emulator.messages(user.id), `${user.id}`).toHaveLength(1);
    expect(await h.db.delivery.count({ where: { status: "sent" } })).toBe(people.length);
  }, 120_000);
});

// ------------------------------------------------------------------------------------------
// Merging: a person's reminders of one moment are one message, however many people are due.

describe.each(kinds)("many people with many steps due together on %s", (kind) => {
  const people = focalPoints(150, 7500);
  const titles = Array.from({ length: 20 }, (_, i) => `Tahapan replikasi ${i + 1}`);
  const harness = unitHarness(kind, people);

  beforeAll(async () => {
    const h = harness();
    const initiative = await h.db.initiative.findFirstOrThrow();
    // The seeded step and nineteen more, all due on the same day.
    await h.db.milestone.update({
      where: { initiativeId_title: { initiativeId: initiative.id, title: "Input data ke sistem KIPP" } },
      data: { title: titles[0] },
    });
    await h.db.milestone.createMany({
      data: titles.slice(1).map((title, i) => ({ initiativeId: initiative.id, title, dueDate: "2023-03-17", position: i + 1 })),
    });
  });

  it("when 150 focal points each have the same 20 steps due, then each gets two reminders of ten steps, not twenty of one", async () => {
    const h = harness();
    h.clock = new Date(passAt);
    // The pass at start plans 3,000 reminders; a batch holds about 200 rows at this rate.
    await h.startBot({ TELEGRAM_RATE_LIMIT: "200" });
    const planned = people.length * titles.length;
    const settled = async () => (await h.db.delivery.count()) === planned && (await h.db.delivery.count({ where: { status: "pending" } })) === 0;
    const deadline = Date.now() + 100_000;
    while (!(await settled()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    await h.emulator.idle();
    for (const user of people) {
      const got = h.emulator.messages(user.id);
      expect(
        got.map((m) => m.plainText?.split("\n")[0]),
        `${user.id}`,
      ).toEqual(["⏰ Pengingat: 10 tahapan", "⏰ Pengingat: 10 tahapan"]);
      const listed = got.flatMap((m) => titles.filter((t) => new RegExp(`\\b${t}\\n`).test(m.plainText ?? "")));
      expect(listed.sort()).toEqual([...titles].sort());
    }
    expect(await h.db.delivery.count({ where: { status: "sent" } })).toBe(planned);
  }, 150_000);
});

describe("answers in handlers on sqlite", () => {
  let h: Harness;
  const stranger: EmuUser = { id: 6301, first_name: "Tamu", language_code: "id" };

  beforeAll(async () => {
    h = await Harness.create("sqlite");
    await h.startBot();
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("when Telegram answers a reply with 429, then the bot waits retry_after and the user still gets one answer", async () => {
    h.emulator.injectFault("sendMessage", { error_code: 429, description: "Too Many Requests: retry after 1", retry_after: 1, times: 1 });
    await h.emulator.sendText(stranger, "/start");
    const answer = await h.emulator.waitForMessage(stranger.id);
    expect(answer.plainText).toContain("tautan undangan");
    const attempts = h.emulator.calls("sendMessage").filter((c) => Number(c.params.chat_id) === stranger.id);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.error?.error_code).toBe(429);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000 - 15);
    expect(h.emulator.messages(stranger.id)).toHaveLength(1);
  });

  it("when Telegram fails a reply with 502 twice, then the user still gets one answer", async () => {
    h.emulator.injectFault("sendMessage", { error_code: 502, description: "Bad Gateway", times: 2, chatId: stranger.id });
    await h.emulator.sendText(stranger, "/bantuan");
    const answer = await h.emulator.waitForMessage(stranger.id);
    expect(answer.plainText).toContain("Perintah yang bisa Anda pakai");
    expect(h.emulator.messages(stranger.id)).toHaveLength(2);
  });

  it("when a coordinators' group becomes a supergroup, then what was stored under its old id moves to the new one", async () => {
    const group = { id: -5501, type: "group" as const, title: "Koordinator Inovasi Babar" };
    await h.emulator.addBotToGroup(stranger, group);
    const person = await h.db.person.create({ data: { telegramId: 6399n, firstName: "Budi" } });
    const sent = await h.db.delivery.create({
      data: { key: "test:group-report", kind: "broadcast", personId: person.id, dueAt: new Date(), status: "sent", chatId: BigInt(group.id), messageId: 7 },
    });
    const newId = h.emulator.migrateToSupergroup(stranger, group.id);
    await h.answered();
    expect(Number((await h.db.delivery.findUniqueOrThrow({ where: { id: sent.id } })).chatId)).toBe(newId);
  });
});
