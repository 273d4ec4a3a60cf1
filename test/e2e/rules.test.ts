import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { databaseKinds, examplePlan, Harness } from "../support/harness.js";

// /aturan (/rules) through the real bot and the Bot API emulator: coordinators read a program's
// reminder rules, coordinators of the whole program change them, and the reminder pass obeys.

const coordinator: EmuUser = { id: 6001, first_name: "Budi", language_code: "id" };
const englishCoordinator: EmuUser = { id: 6002, first_name: "Anna", language_code: "en" };
const regionCoordinator: EmuUser = { id: 6003, first_name: "Wati", language_code: "id" };
const focalPoint: EmuUser = { id: 6004, first_name: "Rina", language_code: "id" };

const program = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

describe.each(await databaseKinds())("program rules on %s", (kind) => {
  let h: Harness;

  /** Sends a command and returns the bot's answer. */
  const ask = async (user: EmuUser, text: string) => {
    await h.emulator.sendText(user, text);
    return (await h.emulator.waitForMessage(user.id)).plainText ?? "";
  };
  /** Joins with a fresh invite made by `pantau invite <inviteArgs>`. */
  const join = async (user: EmuUser, ...inviteArgs: string[]) => {
    const invite = await h.cli("invite", ...inviteArgs);
    expect(invite.code).toBe(0);
    await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
    expect((await h.emulator.waitForMessage(user.id)).plainText).toMatch(user.language_code === "en" ? /Welcome/ : /Selamat bergabung/);
  };
  /** The program's rule columns, without its timestamps. */
  const stored = async (name = program) => {
    // The plan version is the database's bookkeeping of changes for the reminder pass.
    const { id: _id, createdAt: _c, updatedAt: _u, planVersion: _v, ...rules } = await h.db.program.findUniqueOrThrow({ where: { name } });
    return rules;
  };
  const ruleChanges = () => h.db.auditLog.findMany({ where: { action: "program.rules" }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    h = await Harness.create(kind);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    await h.startBot();
    await join(coordinator, "--role", "koordinator");
    await join(englishCoordinator, "--role", "koordinator");
    await join(regionCoordinator, "--role", "koordinator", "--region", "Kabupaten Bangka Barat");
  });
  afterAll(async () => {
    await h?.stop();
  });

  it("shows a coordinator the default rules in plain Indonesian, with how to change each", async () => {
    const text = await ask(coordinator, "/aturan");
    expect(text).toContain(`Aturan pengingat — ${program}`);
    expect(text).toContain("Pengingat: H-14, H-7, H-3, H-1 dan hari H pukul 08.00 waktu setempat");
    expect(text).toContain("Saat terlambat: setiap 3 hari, paling banyak 10 kali");
    expect(text).toContain("Hanya hari kerja: tidak");
    expect(text).toContain("Jam tenang: 21.00–06.00");
    expect(text).toContain("Eskalasi: ke kepala unit setelah 3 hari tanpa laporan, ke koordinator 4 hari kemudian");
    for (const example of [
      "/aturan pengingat 14,7,3,1,0",
      "/aturan jam 8",
      "/aturan terlambat 3 10",
      "/aturan harikerja ya",
      "/aturan tenang 21-6",
      "/aturan eskalasi 3 4",
    ]) {
      expect(text).toContain(example);
    }
    expect(text).not.toContain("hanya lihat");
  });

  it("shows the same rules in English to a coordinator whose Telegram speaks English", async () => {
    expect((await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(englishCoordinator.id) } })).language).toBe("en");
    const text = await ask(englishCoordinator, "/rules");
    expect(text).toContain(`Reminder rules — ${program}`);
    expect(text).toContain("Reminders: D-14, D-7, D-3, D-1 and on the due date at 08:00 local time");
    expect(text).toContain("When overdue: every 3 days, at most 10 times");
    expect(text).toContain("Working days only: no");
    expect(text).toContain("Quiet hours: 21:00–06:00");
    expect(text).toContain("Escalation: to the head of unit after 3 days without a report, to the coordinators 4 days later");
    expect(text).toContain("/rules hour 8");
    expect(text).not.toContain("Pengingat");
  });

  it("applies each change, answers with the new value and who is logged, and records it in the audit log", async () => {
    const before = await stored();
    const changes: [string, Partial<typeof before>, string][] = [
      ["/aturan pengingat 10, 5, 0", { reminderOffsets: "10,5,0" }, "Pengingat: H-10, H-5 dan hari H pukul 08.00 waktu setempat"],
      ["/aturan jam 7", { sendHour: 7 }, "Pengingat: H-10, H-5 dan hari H pukul 07.00 waktu setempat"],
      ["/aturan terlambat 2 5", { overdueEveryDays: 2, overdueMaxReminders: 5 }, "Saat terlambat: setiap 2 hari, paling banyak 5 kali"],
      ["/aturan harikerja ya", { workingDaysOnly: true }, "Hanya hari kerja: ya"],
      ["/aturan tenang 22-5", { quietStartHour: 22, quietEndHour: 5 }, "Jam tenang: 22.00–05.00"],
      ["/aturan tenang mati", { quietStartHour: 0, quietEndHour: 0 }, "Jam tenang: tidak ada"],
      ["/aturan eskalasi mati", { escalationEnabled: false }, "Eskalasi: mati"],
      ["/aturan eskalasi nyala", { escalationEnabled: true }, "Eskalasi: ke kepala unit setelah 3 hari tanpa laporan, ke koordinator 4 hari kemudian"],
      [
        "/aturan eskalasi 2 5",
        { escalateHeadAfterDays: 2, escalateCoordAfterDays: 5 },
        "Eskalasi: ke kepala unit setelah 2 hari tanpa laporan, ke koordinator 5 hari kemudian",
      ],
    ];
    let expected = { ...before };
    for (const [command, columns, line] of changes) {
      const answer = await ask(coordinator, command);
      expect(answer, command).toContain(`Aturan ${program} diubah`);
      expect(answer, command).toContain(line);
      expect(answer, command).toContain("dicatat atas nama Budi");
      expected = { ...expected, ...columns };
      expect(await stored(), command).toEqual(expected);
    }

    const english = await ask(englishCoordinator, "/rules workingdays no");
    expect(english).toContain("Working days only: no");
    expect(english).toContain("logged under Anna's name");
    expect((await stored()).workingDaysOnly).toBe(false);

    const logged = await ruleChanges();
    expect(logged).toHaveLength(changes.length + 1);
    expect(logged[0]!.actorTelegramId).toBe(BigInt(coordinator.id));
    expect(logged[0]!.entity).toBe("program");
    expect(logged[0]!.entityId).toBe(String((await h.db.program.findUniqueOrThrow({ where: { name: program } })).id));
    expect(JSON.parse(logged[0]!.detail!)).toMatchObject({ rule: "offsets" });
    expect(JSON.parse(logged[0]!.before!)).toEqual({ reminderOffsets: "14,7,3,1,0" });
    expect(JSON.parse(logged[0]!.after!)).toEqual({ reminderOffsets: "10,5,0" });
    expect(logged.at(-1)!.actorTelegramId).toBe(BigInt(englishCoordinator.id));
    expect(JSON.parse(logged.at(-1)!.before!)).toEqual({ workingDaysOnly: true });
    expect(JSON.parse(logged.at(-1)!.after!)).toEqual({ workingDaysOnly: false });
  });

  it("says when a value is already set, and then logs nothing", async () => {
    const count = (await ruleChanges()).length;
    const answer = await ask(coordinator, "/aturan jam 7");
    expect(answer).toContain("tidak ada yang diubah");
    expect(answer).toContain("pukul 07.00");
    expect(await ruleChanges()).toHaveLength(count);
  });

  it("allows quiet hours over the send hour, and says reminders then wait for the quiet hours to end", async () => {
    const answer = await ask(coordinator, "/aturan tenang 6-10");
    expect(answer).toContain("Jam tenang: 06.00–10.00");
    expect(answer).toContain("Jam kirim 07.00 ada di dalam jam tenang");
    expect(answer).toContain("pukul 10.00");
    expect(await stored()).toMatchObject({ quietStartHour: 6, quietEndHour: 10 });
    // The overview says so too.
    expect(await ask(coordinator, "/aturan")).toContain("Jam kirim 07.00 ada di dalam jam tenang");
    expect(await ask(coordinator, "/aturan tenang 21-6")).not.toContain("di dalam jam tenang");
  });

  /** Sends each command and expects a refusal saying what is accepted, with nothing stored or logged. */
  const expectRefusals = async (user: EmuUser, refusals: [string, string][], nothingChanged = "Tidak ada yang diubah") => {
    const before = await stored();
    const logged = (await ruleChanges()).length;
    for (const [command, accepted] of refusals) {
      const answer = await ask(user, command);
      expect(answer, command).toContain(accepted);
      expect(answer, command).toContain(nothingChanged);
    }
    expect(await stored()).toEqual(before);
    expect(await ruleChanges()).toHaveLength(logged);
  };

  it("refuses bad reminder days and hours with what is accepted, and changes nothing", async () => {
    await expectRefusals(coordinator, [
      ["/aturan pengingat 61", "angka 0 sampai 60"],
      ["/aturan pengingat 1,2,3,4,5,6,7,8,9", "paling banyak 8 angka"],
      ["/aturan pengingat", "/aturan pengingat 14,7,3,1,0"],
      ["/aturan pengingat -1", "angka 0 sampai 60"],
      ["/aturan jam 24", "jam bulat 0 sampai 23"],
      ["/aturan jam pagi", "jam bulat 0 sampai 23"],
      ["/aturan jam 8 pagi", "jam bulat 0 sampai 23"],
    ]);
    await expectRefusals(englishCoordinator, [["/rules hour 25", "a whole hour from 0 to 23"]], "Nothing was changed");
  });

  it("refuses bad overdue, working-day, quiet-hour and escalation values, and unknown rules, changing nothing", async () => {
    await expectRefusals(coordinator, [
      ["/aturan terlambat 0 10", "setiap berapa hari (1 sampai 30)"],
      ["/aturan terlambat 3 61", "paling banyak berapa kali (0 sampai 60)"],
      ["/aturan terlambat 3", "/aturan terlambat 3 10"],
      ["/aturan harikerja mungkin", "Tulis ya atau tidak"],
      ["/aturan tenang 21-25", "/aturan tenang 21-6 atau /aturan tenang mati"],
      ["/aturan tenang 21", "/aturan tenang 21-6 atau /aturan tenang mati"],
      ["/aturan eskalasi 3", "/aturan eskalasi 3 4"],
      ["/aturan eskalasi 31 4", "dua angka hari (0 sampai 30)"],
      ["/aturan apaini 3", 'Aturan "apaini" tidak dikenal'],
    ]);
  });

  it("lets a region-limited coordinator see the rules but not change them, and a focal point neither", async () => {
    await join(focalPoint, "--unit", "BABAR-DISPARBUD");
    const before = await stored();
    const logged = (await ruleChanges()).length;

    const view = await ask(regionCoordinator, "/aturan");
    expect(view).toContain("Pengingat: H-10, H-5 dan hari H pukul 07.00 waktu setempat");
    expect(view).toContain("hanya lihat");
    expect(view).toContain("hanya koordinator seluruh program yang bisa mengubahnya");
    expect(view).not.toContain("/aturan jam 8");
    const refused = await ask(regionCoordinator, "/aturan jam 9");
    expect(refused).toContain("Maaf");
    expect(refused).toContain("hanya koordinator seluruh program yang bisa mengubahnya");

    expect(await ask(focalPoint, "/aturan")).toContain("bukan untuk peran Anda");
    expect(await ask(focalPoint, "/aturan jam 9")).toContain("bukan untuk peran Anda");

    expect(await stored()).toEqual(before);
    expect(await ruleChanges()).toHaveLength(logged);
  });

  it("sends the H-2 reminder at 09:00 local after /aturan pengingat 2 and /aturan jam 9, not at 08:00", async () => {
    // Back to the other defaults, so that only the two changes under test matter.
    for (const command of ["/aturan terlambat 3 10", "/aturan harikerja tidak", "/aturan tenang 21-6", "/aturan eskalasi 3 4"]) await ask(coordinator, command);
    expect(await ask(coordinator, "/aturan pengingat 2")).toContain("Pengingat: H-2 pukul 07.00 waktu setempat");
    expect(await ask(coordinator, "/aturan jam 9")).toContain("Pengingat: H-2 pukul 09.00 waktu setempat");

    const sop = (m: { plainText?: string }) => !!m.plainText?.includes("Penyusunan SOP layanan");
    // "Penyusunan SOP layanan" is due on Friday 14 January 2022 in Asia/Jakarta: H-2 is Wednesday 12 January.
    const early = await h.cli("remind", "--at", "2022-01-12T08:05:00+07:00");
    expect(early.code).toBe(0);
    expect(h.emulator.messages(focalPoint.id).filter(sop)).toHaveLength(0);

    const onTime = await h.cli("remind", "--at", "2022-01-12T09:05:00+07:00");
    expect(onTime.stdout).toMatch(/Terkirim [1-9]/);
    const reminder = await h.emulator.waitForMessage(focalPoint.id, sop);
    expect(reminder.plainText).toContain("Pengingat tenggat (H-2)");
    expect(reminder.plainText).toContain("Tenggat: Jumat, 14 Januari 2022 (2 hari lagi)");
    const step = await h.db.milestone.findFirstOrThrow({ where: { title: "Penyusunan SOP layanan", initiative: { name: "SIP Banget" } } });
    const deliveries = await h.db.delivery.findMany({ where: { milestoneId: step.id } });
    expect(deliveries.map((d) => d.dueAt.toISOString())).toEqual(["2022-01-12T02:00:00.000Z"]);
  });

  it("asks a coordinator of several programs to name one, and changes only the one named", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "pantau-rules-"));
    const file = path.join(dir, "kipp.csv");
    await writeFile(
      file,
      "program,pemda,zona_waktu,opd,kode_opd,inovasi,tahapan,tenggat\n" +
        "KIPP 2023 Kabupaten Bangka Barat,Kabupaten Bangka Barat,WIB,Dinas Pariwisata dan Kebudayaan,BABAR-DISPARBUD,Proposal SIP Banget,Verifikasi proposal,2023-03-01\n",
    );
    try {
      expect((await h.cli("import", file)).code).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    const kipp = "KIPP 2023 Kabupaten Bangka Barat";
    await h.emulator.sendText(coordinator, `/start ${inviteCode((await h.cli("invite", "--role", "koordinator", "--program", kipp)).stdout)}`);
    expect((await h.emulator.waitForMessage(coordinator.id)).plainText).toContain(kipp);
    const before = { replication: await stored(), kipp: await stored(kipp) };

    const both = await ask(coordinator, "/aturan");
    expect(both).toContain(`Aturan pengingat — ${program}`);
    expect(both).toContain(`Aturan pengingat — ${kipp}`);
    expect(both).toContain("tambahkan nama program");

    const which = await ask(coordinator, "/aturan jam 10");
    expect(which).toContain("Aturan program mana?");
    expect(which).toContain(kipp);
    const unknown = await ask(coordinator, "/aturan jam 10 Program Lain");
    expect(unknown).toContain('Program "Program Lain" tidak ada di antara program Anda');
    expect({ replication: await stored(), kipp: await stored(kipp) }).toEqual(before);

    const changed = await ask(coordinator, "/aturan jam 10 kipp 2023");
    expect(changed).toContain(`Aturan ${kipp} diubah`);
    expect(changed).toContain("pukul 10.00");
    expect(await stored(kipp)).toEqual({ ...before.kipp, sendHour: 10 });
    expect(await stored()).toEqual(before.replication);
  });
});
