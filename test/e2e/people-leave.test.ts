import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness, codeOf } from "../support/harness.js";

// People leave, links leak: coordinators list and revoke open invites (/undang, pantau invites,
// pantau revoke), remove or replace a unit's people (/anggota), admins remove coordinators (in
// Telegram and with pantau remove), people leave (/keluar). Through the real bot, the Bot API
// emulator and the CLI, on SQLite and PostgreSQL. A test may take a while: one waits out Telegram's
// failing answers as the outbox does.

const admin: EmuUser = { id: 7100, first_name: "Adi", language_code: "id" };
const coordinator: EmuUser = { id: 7101, first_name: "Budi", language_code: "id" };
const otherCoordinator: EmuUser = { id: 7102, first_name: "Wati", language_code: "id" };
const focalPoint: EmuUser = { id: 7103, first_name: "Rina", username: "rina_disparbud", language_code: "id" };
const head: EmuUser = { id: 7104, first_name: "Hendra", language_code: "id" };
const newHead: EmuUser = { id: 7105, first_name: "Joko", language_code: "id" };
const leaver: EmuUser = { id: 7106, first_name: "Dewi", language_code: "en" };
const cliCoordinator: EmuUser = { id: 7107, first_name: "Sari", username: "sari_ortala", language_code: "id" };
const latecomer: EmuUser = { id: 7108, first_name: "Tono", language_code: "id" };
const padangFocalPoint: EmuUser = { id: 7109, first_name: "Yuni", language_code: "id" };

const babar = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const sumbar = "Replikasi Inovasi 2023 Sumatera Barat";

describe.each(await databaseKinds())(
  "people leaving and invites revoked on %s",
  (kind) => {
    let h: Harness;
    let dir: string;

    const ask = async (user: EmuUser, text: string) => {
      await h.emulator.sendText(user, text);
      return h.emulator.waitForMessage(user.id, undefined, 20_000);
    };
    const next = (user: EmuUser, contains: string) => h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes(contains), 20_000);
    /** The confirmation a button press replaced with its outcome. */
    const edited = (user: EmuUser, message: SentMessage, contains: string) =>
      h.emulator.waitForEdit(user.id, message.message_id, (m) => !!m.plainText?.includes(contains), 20_000);
    /** The number a list gives the line naming `name`. */
    const numberOf = (message: SentMessage, name: string) => new RegExp(`(\\d+)\\. ${name}`).exec(message.plainText ?? "")?.[1] ?? "?";
    const press = async (user: EmuUser, message: SentMessage, text: string) => {
      const button = buttons(message).find((b) => b.text.includes(text));
      expect(button, `a button "${text}" in: ${message.plainText}`).toBeDefined();
      await h.emulator.pressButton(user, message, button!.callback_data);
    };
    /** The alert the bot answered the last button press with. */
    const lastAlert = async () => {
      await h.answered(20_000);
      return h.emulator.callbackAnswers().at(-1)?.text ?? "";
    };
    const joinByCli = async (user: EmuUser, ...inviteArgs: string[]) => {
      const made = await h.cli("invite", ...inviteArgs);
      expect(made.code, made.stderr).toBe(0);
      expect((await ask(user, `/start ${codeOf(made.stdout)}`)).plainText).toMatch(/Selamat bergabung|Welcome/);
    };
    const seatsOf = (user: EmuUser) => h.db.membership.count({ where: { person: { telegramId: BigInt(user.id) } } });

    beforeAll(async () => {
      h = await Harness.create(kind);
      dir = await mkdtemp(path.join(tmpdir(), "pantau-leave-"));
      expect((await h.cli("import", examplePlan)).code).toBe(0);
      const sumbarFile = path.join(dir, "sumbar.csv");
      await writeFile(
        sumbarFile,
        "program,pemda,zona_waktu,opd,kode_opd,inovasi,tahapan,tenggat\n" +
          `${sumbar},Kota Padang,WIB,Dinas Kependudukan dan Pencatatan Sipil,PDG-DISDUKCAPIL,Dukcapil Jemput Bola,SK tim,2023-02-01\n`,
      );
      expect((await h.cli("import", sumbarFile)).code).toBe(0);
      await h.startBot({ ADMIN_TELEGRAM_IDS: String(admin.id) });
      await joinByCli(coordinator, "--role", "koordinator", "--program", babar);
      await joinByCli(otherCoordinator, "--role", "koordinator", "--program", sumbar);
      await joinByCli(focalPoint, "--unit", "BABAR-DISPARBUD");
      await joinByCli(head, "--unit", "BABAR-DISPARBUD", "--role", "kepala");
      await joinByCli(leaver, "--unit", "BABAR-DISTANPANGAN");
      await joinByCli(padangFocalPoint, "--unit", "PDG-DISDUKCAPIL");
    }, 120_000);
    afterAll(async () => {
      await h?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("lists a program's open invites with who made them, and a revoked code is refused exactly like a wrong one", async () => {
      const made = await ask(coordinator, "/undang BABAR-DISKOPUKMPERIN");
      const code = codeOf(made.plainText);
      expect(code).not.toBe("");
      await h.emulator.waitForMessage(coordinator.id, (m) => m.method === "sendPhoto", 20_000);
      await ask(otherCoordinator, "/undang PDG-DISDUKCAPIL kepala");
      await h.emulator.waitForMessage(otherCoordinator.id, (m) => m.method === "sendPhoto", 20_000);

      // Open: this invite, and the program's coordinator invite (five uses, one used) from the CLI.
      const list = await ask(coordinator, "/undang");
      expect(list.plainText).toContain("Undangan terbuka (2)");
      expect(list.plainText).toContain(
        "Dinas Koperasi, UKM dan Perindustrian (BABAR-DISKOPUKMPERIN) — narahubung (PIC)\n   dipakai 0 dari 1, berlaku sampai Selasa, 25 Januari 2022, dibuat oleh Budi",
      );
      expect(list.plainText).toContain(`${babar} — koordinator\n   dipakai 1 dari 5`);
      expect(list.plainText).toContain("dibuat oleh admin (baris perintah)");
      // Another program's invite is not this coordinator's to see.
      expect(list.plainText).not.toContain("PDG-DISDUKCAPIL");

      await press(coordinator, list, `Cabut ${numberOf(list, "Dinas Koperasi")}`);
      const confirm = await next(coordinator, "Cabut undangan");
      expect(await h.db.invite.count({ where: { revokedAt: { not: null } } })).toBe(0);
      await press(coordinator, confirm, "Ya, cabut");
      expect((await edited(coordinator, confirm, "sudah dicabut")).plainText).toContain("BABAR-DISKOPUKMPERIN");
      expect((await next(coordinator, "Undangan terbuka (1)")).plainText).not.toContain("BABAR-DISKOPUKMPERIN");
      // The confirmation pressed again (a double tap) revokes nothing more.
      await press(coordinator, confirm, "Ya, cabut");
      expect(await lastAlert()).toContain("tidak berlaku");
      expect(await h.db.auditLog.count({ where: { action: "invite.revoke", actorTelegramId: BigInt(coordinator.id) } })).toBe(1);

      const refused = (await ask(latecomer, `/start ${code}`)).plainText;
      const wrong = (await ask(latecomer, "/start bukanKodeYangBenar1234567")).plainText;
      expect(refused).toBe(wrong);
      expect(await seatsOf(latecomer)).toBe(0);
      expect((await ask(coordinator, "/undang daftar")).plainText).toContain("Undangan terbuka (1)");
    });

    it("keeps a coordinator of another program out of this one's invites and people, forged buttons too", async () => {
      expect((await h.cli("invite", "--unit", "BABAR-DISDIKPORA")).code).toBe(0);
      const babarInvite = await h.db.invite.findFirstOrThrow({ where: { unit: { code: "BABAR-DISDIKPORA" }, revokedAt: null } });
      const rinaSeat = await h.db.membership.findFirstOrThrow({ where: { person: { telegramId: BigInt(focalPoint.id) } } });

      const list = await ask(otherCoordinator, "/undang");
      expect(list.plainText).toContain("PDG-DISDUKCAPIL");
      expect(list.plainText).not.toContain("BABAR-DISDIKPORA");
      expect(list.plainText).not.toContain(babar);
      expect((await ask(otherCoordinator, "/anggota BABAR-DISPARBUD")).plainText).toContain('Tidak ada unit "BABAR-DISPARBUD"');

      // Her own list's token, with this program's invite and focal point put in.
      const token = buttons(list)[0]!.callback_data.split(":")[1];
      await h.emulator.pressButton(otherCoordinator, list, `iv:${token}:r:${babarInvite.id}`);
      expect(await lastAlert()).toContain("bukan dari program atau unit yang Anda koordinasi");
      const members = await ask(otherCoordinator, "/anggota PDG-DISDUKCAPIL");
      expect(members.plainText).toContain("Yuni — narahubung (PIC)");
      const membersToken = buttons(members)[0]!.callback_data.split(":")[1];
      await h.emulator.pressButton(otherCoordinator, members, `mb:${membersToken}:r:${rinaSeat.id}`);
      expect(await lastAlert()).toContain("bukan bagian dari unit yang Anda koordinasi");

      expect((await h.db.invite.findUniqueOrThrow({ where: { id: babarInvite.id } })).revokedAt).toBeNull();
      expect(await seatsOf(focalPoint)).toBe(1);
      expect(await h.db.auditLog.count({ where: { actorTelegramId: BigInt(otherCoordinator.id), action: { in: ["invite.revoke", "member.remove"] } } })).toBe(
        0,
      );
    });

    it("stops a removed focal point's pending reminder, flow and buttons, and keeps their past reports in /riwayat", async () => {
      // A report, with its undo button, and a /lapor left open at its first step.
      await h.emulator.sendText(focalPoint, "/lapor");
      const pick = await next(focalPoint, "Tahapan mana");
      await press(focalPoint, pick, "Penyusunan SOP layanan");
      await press(focalPoint, await next(focalPoint, "Progres terakhir"), "50%");
      await press(focalPoint, await next(focalPoint, "catatan"), "Lewati");
      await press(focalPoint, await next(focalPoint, "Simpan?"), "Simpan");
      const saved = await next(focalPoint, "Tersimpan");
      await h.emulator.sendText(focalPoint, "/lapor");
      const openFlow = await next(focalPoint, "Tahapan mana");

      // The morning's reminder fails on a passing Telegram error: it waits in the outbox to be retried.
      h.emulator.injectFault("sendMessage", { error_code: 502, description: "Bad Gateway", times: 6, chatId: focalPoint.id });
      const pass = await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00");
      expect(pass.stdout).toContain("dicoba lagi nanti 2");
      const rina = await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(focalPoint.id) } });
      // Its backoff is over by the next pass.
      expect((await h.db.delivery.updateMany({ where: { personId: rina.id, status: "pending" }, data: { lockedUntil: null } })).count).toBe(2);

      const list = await ask(coordinator, "/anggota BABAR-DISPARBUD");
      expect(list.plainText).toContain("Dinas Pariwisata dan Kebudayaan (BABAR-DISPARBUD)");
      expect(list.plainText).toMatch(/1\. Rina \(@rina_disparbud\) — narahubung \(PIC\), sejak \d+ \w+ \d{4}/);
      expect(list.plainText).toMatch(/2\. Hendra — kepala unit/);
      await press(coordinator, list, "Hapus 1");
      const confirm = await next(coordinator, "Hapus Rina");
      await press(coordinator, confirm, "Ya, hapus");
      const done = await edited(coordinator, confirm, "tidak lagi narahubung (PIC)");
      expect(done.plainText).toContain("2 pesan terjadwal untuknya dibatalkan");

      const notice = await next(focalPoint, "Anda tidak lagi terdaftar sebagai narahubung (PIC)");
      expect(notice.plainText).toContain("Dinas Pariwisata dan Kebudayaan");
      expect(notice.plainText).toContain("koordinator Budi");
      expect(notice.plainText).toContain("laporan Anda yang lalu tetap tersimpan");
      await h.answered(20_000);
      expect(h.emulator.menuFor({ type: "chat", chat_id: focalPoint.id }).map((c) => c.command)).not.toContain("lapor");
      const audit = await h.db.auditLog.findFirstOrThrow({ where: { action: "member.remove", actorTelegramId: BigInt(coordinator.id) } });
      expect(JSON.parse(audit.detail!)).toMatchObject({ person: focalPoint.id, cancelled: 2 });
      expect(JSON.parse(audit.before!)).toMatchObject({ role: "pic", where: "Dinas Pariwisata dan Kebudayaan" });

      // Old buttons: the open /lapor and the undo of the report.
      await h.emulator.pressButton(focalPoint, openFlow, buttons(openFlow)[0]!.callback_data);
      expect(await lastAlert()).toContain("tidak lagi terdaftar");
      await h.emulator.pressButton(focalPoint, saved, buttons(saved)[0]!.callback_data);
      expect(await lastAlert()).toContain("tidak lagi terdaftar");
      expect(await h.db.progressReport.count({ where: { personId: rina.id, undoneAt: null } })).toBe(1);
      expect((await ask(focalPoint, "/tugas")).plainText).toContain("tidak lagi terdaftar");

      // The next pass sends her nothing.
      const sentBefore = h.emulator.messages(focalPoint.id).length;
      await h.cli("remind", "--at", "2022-01-11T08:10:00+07:00");
      await h.answered(20_000);
      expect(h.emulator.messages(focalPoint.id)).toHaveLength(sentBefore);
      expect(await h.db.delivery.count({ where: { personId: rina.id, status: "pending" } })).toBe(0);

      const history = await ask(coordinator, "/riwayat BABAR-DISPARBUD 01/01/2022 15/01/2022");
      expect(history.plainText).toContain("Rina");
      expect(history.plainText).toContain("Penyusunan SOP layanan");
    });

    it("replaces a head of unit: the old one is told, and the fresh invite link seats the new one", async () => {
      const list = await ask(coordinator, "/anggota pariwisata");
      expect(list.plainText).not.toContain("Rina");
      await press(coordinator, list, `Ganti ${numberOf(list, "Hendra")}`);
      const confirm = await next(coordinator, "Ganti Hendra");
      await press(coordinator, confirm, "Ya, ganti");
      await edited(coordinator, confirm, "Hendra tidak lagi kepala unit");
      const invite = await next(coordinator, "Undangan kepala unit");
      expect(invite.plainText).toContain("Dinas Pariwisata dan Kebudayaan (BABAR-DISPARBUD)");
      await h.emulator.waitForMessage(coordinator.id, (m) => m.method === "sendPhoto", 20_000);
      await next(head, "tidak lagi terdaftar sebagai kepala unit");

      expect((await ask(newHead, `/start ${codeOf(invite.plainText)}`)).plainText).toContain("kepala unit");
      const seated = await h.db.membership.findMany({ where: { unit: { code: "BABAR-DISPARBUD" } }, include: { person: true } });
      expect(seated.map((m) => [m.person.firstName, m.role])).toEqual([["Joko", "kepala"]]);
    });

    it("lets a person leave their unit after a confirmation, in their language", async () => {
      const confirm = await ask(leaver, "/leave");
      expect(confirm.plainText).toContain("Leave your role as focal point (PIC) of Dinas Pertanian dan Pangan?");
      await press(leaver, confirm, "Cancel");
      await edited(leaver, confirm, "You stay registered");
      expect(await seatsOf(leaver)).toBe(1);

      const again = await ask(leaver, "/keluar");
      await press(leaver, again, "Yes, leave");
      await edited(leaver, again, "You have left your role");
      expect(await seatsOf(leaver)).toBe(0);
      expect(await h.db.auditLog.count({ where: { action: "member.leave", actorTelegramId: BigInt(leaver.id) } })).toBe(1);
      expect((await ask(leaver, "/status")).plainText).toContain("no longer registered");
    });

    it("lets only an admin remove a coordinator, who then sees nothing", async () => {
      expect((await ask(coordinator, "/anggota koordinator")).plainText).toContain("hanya bisa dihapus oleh admin");
      expect((await ask(admin, "/bantuan")).plainText).toContain("/anggota");

      const list = await ask(admin, "/anggota koordinator");
      expect(list.plainText).toContain(`Wati — koordinator, ${sumbar}`);
      await press(admin, list, `Hapus ${numberOf(list, "Wati")}`);
      const confirm = await next(admin, "Hapus Wati");
      await press(admin, confirm, "Ya, hapus");
      await edited(admin, confirm, "Wati tidak lagi koordinator");
      expect((await next(otherCoordinator, "tidak lagi terdaftar sebagai koordinator")).plainText).toContain("admin Pantau");

      for (const command of ["/rekap", "/undang", "/anggota PDG-DISDUKCAPIL"]) {
        const answer = (await ask(otherCoordinator, command)).plainText ?? "";
        expect(answer).toContain("tidak lagi terdaftar");
        expect(answer).not.toContain("PDG");
      }
      expect(await h.db.auditLog.count({ where: { action: "member.remove", actorTelegramId: BigInt(admin.id) } })).toBe(1);
      // The admin holds no seat: other commands are not for that role (nothing says they left one).
      expect((await ask(admin, "/rekap")).plainText).toContain("bukan untuk peran Anda");
    });

    it("lists, revokes and removes on the command line", async () => {
      const listed = await h.cli("invites", "--program", babar);
      expect(listed.code, listed.stderr).toBe(0);
      const line = listed.stdout.split("\n").find((l) => l.includes("BABAR-DISDIKPORA"))!;
      expect(line).toMatch(
        /^#\d+ narahubung \(PIC\) — Dinas Pendidikan.* \(BABAR-DISDIKPORA\): dipakai 0 dari 1, berlaku sampai .*, dibuat oleh admin \(baris perintah\)$/,
      );
      expect(listed.stdout).not.toContain("BABAR-DISKOPUKMPERIN");
      expect(listed.stdout).not.toContain("PDG-");
      const id = /^#(\d+)/.exec(line)![1]!;
      const revoked = await h.cli("revoke", id);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(revoked.stdout).toContain(`Undangan #${id}`);
      expect((await h.cli("revoke", id)).stderr).toContain("sudah tidak terbuka");
      expect((await h.cli("invites", "--unit", "BABAR-DISDIKPORA")).stdout).toBe("Tidak ada undangan terbuka.");

      // A code may begin with "-": it is read as the code, never as an option.
      expect((await h.cli("revoke", "-8unknownCodeOf22chars")).stderr).toContain("Tidak ada undangan -8unknownCodeOf22chars.");
      // By its code, as it leaked.
      const made = await h.cli("invite", "--role", "koordinator", "--program", babar);
      const byCode = await h.cli("revoke", codeOf(made.stdout));
      expect(byCode.code, byCode.stderr).toBe(0);
      expect((await ask(latecomer, `/start ${codeOf(made.stdout)}`)).plainText).toContain("tidak berlaku");

      await joinByCli(cliCoordinator, "--role", "koordinator", "--program", babar);
      await joinByCli(cliCoordinator, "--unit", "BABAR-DISTANPANGAN");
      const ambiguous = await h.cli("remove", "--person", "@sari_ortala");
      expect(ambiguous.code).toBe(1);
      expect(ambiguous.stderr).toContain("memegang beberapa peran");
      expect(ambiguous.stderr).toContain(`- koordinator: ${babar}`);
      expect(await seatsOf(cliCoordinator)).toBe(2);
      expect((await h.cli("remove", "--person", "@nobody_here")).stderr).toContain("Tidak ada orang @nobody_here");

      const removed = await h.cli("remove", "--person", "@sari_ortala", "--role", "koordinator");
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toContain(`tidak lagi koordinator untuk ${babar}`);
      await next(cliCoordinator, "tidak lagi terdaftar sebagai koordinator");
      expect((await ask(cliCoordinator, "/rekap")).plainText).toContain("bukan untuk peran Anda");
      expect(await h.db.auditLog.count({ where: { action: "member.remove", actorKind: "cli" } })).toBe(1);
    });
  },
  120_000,
);
