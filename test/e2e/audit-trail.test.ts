import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli } from "../../src/cli.js";
import type { EmuUser } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, Harness, has, press, codeOf } from "../support/harness.js";

// The audit trail (issue 11 §2): a sequence of real actions through the CLI and the bot writes
// one row each with who (and their name then), from where, what, the target, the program and
// region, and before and after, stamped with the app's clock; `pantau audit` filters and writes
// a CSV that parses back; /jejak shows a coordinator their region's entries and no one else's.

const program = "Program Jejak 2022";
const header = "program,pemda,zona_waktu,opd,kode_opd,inovasi,tahapan,tenggat,bobot";
const plan = (sopDue: string) =>
  [
    header,
    `${program},Kabupaten Satu,WIB,Dinas Satu,SATU-DINAS,Inovasi Satu,Penyusunan SOP layanan,${sopDue},2`,
    `${program},Kabupaten Satu,WIB,Dinas Satu,SATU-DINAS,Inovasi Satu,Peluncuran aplikasi,2022-02-01,1`,
    `${program},Kota Dua,WITA,Dinas Dua,DUA-DINAS,Inovasi Dua,Studi tiru,2022-01-20,1`,
  ].join("\n");

const rina: EmuUser = { id: 8101, first_name: "Rina", username: "rina_satu", language_code: "id" };
const budi: EmuUser = { id: 8102, first_name: "Budi", language_code: "id" };
const dewi: EmuUser = { id: 8103, first_name: "Dewi", language_code: "id" };

describe.each(await databaseKinds())("the audit trail on %s", (kind) => {
  let h: Harness;
  let dir: string;
  const at = (iso: string) => (h.clock = new Date(iso));
  const rows = (action: string) => h.db.auditLog.findMany({ where: { action }, orderBy: { id: "asc" } });
  const json = (text: string | null) => (text === null ? null : JSON.parse(text));
  const ask = async (user: EmuUser, text: string, answerHas?: string) => {
    await h.answered(20_000);
    const seen = new Set(h.emulator.messages(user.id).map((m) => m.message_id));
    await h.emulator.sendText(user, text);
    const answer = await h.emulator.waitForMessage(user.id, (m) => !seen.has(m.message_id) && (!answerHas || has(answerHas)(m)), 20_000);
    await h.answered(20_000);
    return answer;
  };

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = await mkdtemp(path.join(tmpdir(), "pantau-audit-"));
    await writeFile(path.join(dir, "plan.csv"), plan("2022-01-14"));
    await writeFile(path.join(dir, "plan-moved.csv"), plan("2022-01-21"));
  }, 60_000);
  afterAll(async () => {
    await h?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("when a sequence of real actions happens, then each writes one row with who, from where, what, before and after, at the app's clock", async () => {
    // Import, then a re-import that moves one due date: one row per program and region each.
    at("2022-01-03T02:00:00Z");
    expect((await h.cliOnClock("import", path.join(dir, "plan.csv"))).code).toBe(0);
    at("2022-01-04T02:00:00Z");
    expect((await h.cliOnClock("import", path.join(dir, "plan-moved.csv"))).code).toBe(0);
    const imports = await rows("plan.import");
    expect(imports).toHaveLength(4);
    const moved = imports.at(-2)!;
    expect(moved).toMatchObject({ actorKind: "cli", origin: "cli", targetName: `${program} — Kabupaten Satu`, createdAt: new Date("2022-01-04T02:00:00Z") });
    expect(moved.actorName).toBeTruthy(); // the operating-system user
    expect(json(moved.detail)).toMatchObject({
      file: "plan-moved.csv",
      created: 0,
      updated: 1,
      steps: [{ kind: "updated", step: "Penyusunan SOP layanan", before: { dueDate: "2022-01-14", weight: 2 }, after: { dueDate: "2022-01-21", weight: 2 } }],
      more: 0,
    });
    expect(json(imports[0]!.detail).steps).toHaveLength(2);
    expect(imports.every((r) => r.programId !== null && r.regionId !== null)).toBe(true);

    // People join: a focal point of Dinas Satu, a coordinator of the program, one of Kota Dua.
    const pic = codeOf((await h.cliOnClock("invite", "--unit", "SATU-DINAS")).stdout);
    const coord = codeOf((await h.cliOnClock("invite", "--role", "koordinator")).stdout);
    const regional = codeOf((await h.cliOnClock("invite", "--role", "koordinator", "--region", "Kota Dua")).stdout);
    await h.startBot();
    at("2022-01-11T02:00:00Z");
    expect((await ask(rina, `/start ${pic}`)).plainText).toContain("Selamat bergabung");
    expect((await ask(budi, `/start ${coord}`)).plainText).toContain("Selamat bergabung");
    expect((await ask(dewi, `/start ${regional}`)).plainText).toContain("Selamat bergabung");
    expect((await rows("invite.accept")).at(0)).toMatchObject({
      actorKind: "person",
      actorTelegramId: BigInt(rina.id),
      actorName: "Rina",
      actorRole: "pic",
      actorSeat: "Dinas Satu",
      origin: "private",
      chatId: BigInt(rina.id),
    });

    // A report through /lapor, then its undo.
    at("2022-01-11T07:05:00Z");
    const confirm = await h.draftReport(rina, "Penyusunan SOP layanan", "50%", "Draf SOP selesai");
    await h.emulator.pressButton(rina, confirm, press("Simpan")(confirm));
    const saved = await h.emulator.waitForMessage(rina.id, has("Tersimpan"), 20_000);
    await h.answered(20_000);
    const [report] = await rows("report.create");
    expect(report).toMatchObject({ actorName: "Rina", actorRole: "pic", origin: "private", targetName: "Penyusunan SOP layanan", createdAt: h.clock });
    expect(json(report!.before)).toEqual({ progress: 0, status: "not_started" });
    expect(json(report!.after)).toEqual({ progress: 50, status: "in_progress" });
    at("2022-01-11T07:10:00Z");
    await h.emulator.pressButton(rina, saved, press("Urungkan")(saved));
    await h.emulator.waitForEdit(rina.id, saved.message_id, has("diurungkan"), 20_000);
    await h.answered(20_000);
    const [undo] = await rows("report.undo");
    expect(undo).toMatchObject({ actorName: "Rina", createdAt: h.clock });
    expect(json(undo!.before)).toEqual({ progress: 50, status: "in_progress" });
    expect(json(undo!.after)).toEqual({ progress: 0, status: "not_started" });

    // A nudge, a language change, a block and an unblock.
    at("2022-01-11T07:20:00Z");
    expect((await ask(budi, "/ingatkan SATU-DINAS")).plainText).toContain("Dinas Satu");
    const [nudge] = await rows("nudge.create");
    expect(nudge).toMatchObject({ actorName: "Budi", actorRole: "koordinator", entity: "unit", targetName: "Dinas Satu", createdAt: h.clock });
    expect(json(nudge!.detail)).toMatchObject({ steps: ["Penyusunan SOP layanan"], people: 1 });
    at("2022-01-11T07:25:00Z");
    await ask(rina, "/bahasa en");
    const [language] = await rows("person.language");
    expect(language).toMatchObject({ actorName: "Rina", createdAt: h.clock });
    expect([json(language!.before), json(language!.after)]).toEqual([{ language: "id" }, { language: "en" }]);
    at("2022-01-11T07:30:00Z");
    await h.emulator.blockBot(rina);
    await h.answered(20_000);
    await h.emulator.unblockBot(rina);
    await h.answered(20_000);
    const [blocked] = await rows("person.block");
    expect(blocked).toMatchObject({ actorTelegramId: BigInt(rina.id), origin: "private", createdAt: h.clock, programId: imports[0]!.programId });
    expect(json(blocked!.after)).toEqual({ blocked: true });
    expect(await rows("person.unblock")).toHaveLength(1);

    // A focal point may not read the trail.
    expect((await ask(rina, "/audit", "not for your role")).plainText).toContain("not for your role");

    // Bulk reads: the export in Telegram and on the command line; then a backup and a removal.
    at("2022-01-11T08:00:00Z");
    await h.emulator.sendText(budi, "/ekspor");
    await h.emulator.waitForMessage(budi.id, (m) => m.method === "sendDocument", 20_000);
    await h.answered(20_000);
    expect((await h.cliOnClock("export", path.join(dir, "rekap.csv"))).code).toBe(0);
    expect((await rows("export.read")).map((r) => [r.actorKind, r.origin, r.targetName])).toEqual([
      ["person", "private", program],
      ["cli", "cli", program],
    ]);
    expect((await h.cliOnClock("backup", path.join(dir, "backup.jsonl.gz"))).code).toBe(0);
    expect(await rows("database.backup")).toEqual([expect.objectContaining({ actorKind: "cli", targetName: "backup.jsonl.gz", createdAt: h.clock })]);
    at("2022-01-11T08:30:00Z");
    // Run as deploy/pantau runs it: as the user pantau, saying which admin called it.
    const quiet = () => undefined;
    const env = { ...h.env, PANTAU_OS_USER: "andi.diskominfo" };
    expect(await runCli(["remove", "--person", String(rina.id)], { stdout: quiet, stderr: quiet, env, clock: () => h.clock })).toBe(0);
    const [removal] = await rows("member.remove");
    expect(removal).toMatchObject({ actorKind: "cli", actorName: "andi.diskominfo", targetName: "Rina (@rina_satu)", createdAt: h.clock });
    expect(json(removal!.before)).toMatchObject({ role: "pic", where: "Dinas Satu" });

    // Every row of this test carries the app's clock, never the database's (it is 2022 here).
    expect(await h.db.auditLog.count({ where: { createdAt: { gt: new Date("2023-01-01T00:00:00Z") } } })).toBe(0);
  }, 240_000);

  it("when an auditor runs pantau audit, then since, until, program and actor filter, and the CSV parses back", async () => {
    const all = await h.cliOnClock("audit");
    expect(all.code).toBe(0);
    expect(all.stdout).toContain("Sebelum → sesudah");
    expect(all.stdout).toContain("Penyusunan SOP layanan: 2022-01-14/2 → 2022-01-21/2");
    expect(all.stdout).toMatch(/Rina \[8101\] pic\s+Telegram \(pribadi\)\s+report\.create/);
    expect(all.stdout).toContain("progress: 0 → 50");
    const total = await h.db.auditLog.count();
    expect(all.stdout).toContain(`${total} catatan.`);

    const byRina = await h.cliOnClock("audit", "--actor", "@rina_satu");
    const rinaRows = await h.db.auditLog.count({ where: { actorTelegramId: BigInt(rina.id) } });
    expect(byRina.stdout).toContain(`${rinaRows} catatan.`);
    expect(byRina.stdout).not.toContain("plan.import");
    expect((await h.cliOnClock("audit", "--actor", String(budi.id))).stdout).toContain("nudge.create");
    const cli = await h.cliOnClock("audit", "--actor", "cli");
    expect(cli.stdout).not.toContain("report.create");
    expect(cli.stdout).toContain("member.remove");

    // 11 January only, in DEFAULT_TIMEZONE (WIB): the imports of the 3rd and 4th are out.
    // Exact times with their zone: 14:30–14:59 WIB holds Rina's block (07:30 UTC) and nothing else.
    const afternoon = await h.cliOnClock("audit", "--since", "2022-01-11T14:30+07:00", "--until", "2022-01-11T14:59+07:00");
    expect(afternoon.code, afternoon.stderr).toBe(0);
    expect(afternoon.stdout).toContain("person.block");
    expect(afternoon.stdout).not.toContain("nudge.create");
    const day = await h.cliOnClock("audit", "--since", "11/01/2022", "--until", "2022-01-11");
    expect(day.stdout).not.toContain("plan.import");
    expect(day.stdout).toContain("report.undo");
    expect((await h.cliOnClock("audit", "--until", "2022-01-03")).stdout).toContain("2 catatan.");
    expect((await h.cliOnClock("audit", "--program", program)).stdout).toContain("plan.import");

    const csvFile = path.join(dir, "jejak.csv");
    const written = await h.cliOnClock("audit", "--program", program, "--csv", csvFile);
    expect(written.code).toBe(0);
    const parsed = parse(await readFile(csvFile), { bom: true, columns: true }) as Record<string, string>[];
    const inProgram = await h.db.auditLog.count({ where: { programId: { not: null } } });
    expect(parsed).toHaveLength(inProgram);
    expect(written.stdout).toContain(`${inProgram} catatan jejak ditulis`);
    const reported = parsed.find((r) => r.aksi === "report.create")!;
    expect(reported).toMatchObject({ nama_pelaku: "Rina", id_telegram: String(rina.id), asal: "private", sasaran: "Penyusunan SOP layanan", program });
    expect(JSON.parse(reported.sesudah!)).toEqual({ progress: 50, status: "in_progress" });
    expect(reported.waktu_utc).toBe("2022-01-11T07:05:00.000Z");

    // Bad input: a clear message in Indonesian, exit code 1, nothing written.
    for (const args of [
      ["--since", "kemarin"],
      // An exact time without its zone would be read in the server's zone, not the auditor's.
      ["--since", "2022-01-11T08:00"],
      ["--program", "Tidak Ada"],
      ["--actor", "@siapa"],
    ]) {
      const bad = await h.cliOnClock("audit", ...args);
      expect(bad.code).toBe(1);
      expect(bad.stderr).toMatch(/tidak dikenali|Tidak ada program|Tidak ada orang/);
    }
  }, 120_000);

  it("when coordinators ask /jejak, then the program's coordinator reads sentences and pages, and a region's coordinator sees only their region", async () => {
    const budiView = await ask(budi, "/jejak");
    const text = budiView.plainText!;
    expect(text).toContain("Jejak perubahan");
    expect(text).toContain("Budi (Koordinator Program Jejak 2022) mengingatkan Dinas Satu sekarang (1 orang)");
    expect(text).toContain("Admin (baris perintah");
    expect(text).toContain("mengeluarkan Rina (@rina_satu) (narahubung (PIC), Dinas Satu)");
    expect(text).toContain("Sel, 11 Jan 2022 14.05 WIB — Rina (PIC Dinas Satu) melaporkan 50% (berjalan) untuk 'Penyusunan SOP layanan'");
    // Newest first, ten to a page: the imports are on the older page.
    expect(text).not.toContain("memuat rencana aksi");
    const older = buttons(budiView).find((b) => b.text.includes("Lebih lama"))!;
    await h.emulator.pressButton(budi, budiView, older.callback_data);
    const page2 = await h.emulator.waitForEdit(budi.id, budiView.message_id, (m) => !!m.plainText?.includes("memuat rencana aksi"), 20_000);
    expect(page2.plainText).toContain(
      `memuat rencana aksi ${program} — Kabupaten Satu: 0 tahapan baru, 1 diubah ('Penyusunan SOP layanan' tenggat 2022-01-14 → 2022-01-21)`,
    );
    expect(page2.plainText).toContain("Rina (PIC Dinas Satu) bergabung sebagai narahubung (PIC) di Dinas Satu");
    expect(buttons(page2).map((b) => b.text)).toContain("Lebih baru ▶️");

    const dewiView = (await ask(dewi, "/jejak")).plainText!;
    expect(dewiView).toContain(`Dewi (Koordinator ${program} — Kota Dua) bergabung`);
    expect(dewiView).toContain(`memuat rencana aksi ${program} — Kota Dua`);
    for (const other of ["Dinas Satu", "Penyusunan SOP", "Rina", "Kabupaten Satu"]) expect(dewiView).not.toContain(other);
  }, 120_000);
});
