import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, Harness, codeOf } from "../support/harness.js";

// Seats in a unit two programs share: whose seat a coordinator may list, remove or replace; a
// person removed does not take the seat back through the link they joined with; removing one
// seat keeps the messages another seat of the same person is the reason for; long lists page.
// Through the real bot and the Bot API emulator, on SQLite and PostgreSQL.

const alfa = "Program Alfa";
const beta = "Program Beta";
const longName = `Dinas ${"Pemberdayaan Masyarakat dan Desa ".repeat(6)}`.slice(0, 200).trim();

const admin: EmuUser = { id: 8200, first_name: "Adi", language_code: "id" };
// Telegram sends an empty first name for some accounts: the name shown is then the username.
const coordA: EmuUser = { id: 8201, first_name: "", username: "koord_alfa", language_code: "id" };
const coordB: EmuUser = { id: 8202, first_name: "Citra", language_code: "id" };
const pic: EmuUser = { id: 8203, first_name: "Rina", language_code: "id" };
const wholeUnitPic: EmuUser = { id: 8204, first_name: "Tono", language_code: "id" };
const removed: EmuUser = { id: 8205, first_name: "Dedi", language_code: "id" };
const newcomer: EmuUser = { id: 8206, first_name: "Eka", language_code: "id" };
const leaver: EmuUser = { id: 8207, first_name: "Fajar", language_code: "id" };

describe.each(await databaseKinds())(
  "seats on %s",
  (kind) => {
    let h: Harness;
    let dir: string;

    const ask = async (user: EmuUser, text: string) => {
      await h.emulator.sendText(user, text);
      return h.emulator.waitForMessage(user.id, undefined, 20_000);
    };
    const next = (user: EmuUser, contains: string) => h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes(contains), 20_000);
    const press = async (user: EmuUser, message: SentMessage, text: string) => {
      const button = buttons(message).find((b) => b.text.includes(text));
      expect(button, `a button "${text}" in: ${message.plainText}`).toBeDefined();
      await h.emulator.pressButton(user, message, button!.callback_data);
    };
    const lastAlert = async () => {
      await h.answered(20_000);
      return h.emulator.callbackAnswers().at(-1)?.text ?? "";
    };
    const invite = async (...args: string[]) => {
      const made = await h.cli("invite", ...args);
      expect(made.code, made.stderr).toBe(0);
      return codeOf(made.stdout);
    };
    const join = async (user: EmuUser, code: string) => expect((await ask(user, `/start ${code}`)).plainText).toMatch(/Selamat bergabung/);
    const seatsOf = (user: EmuUser) => h.db.membership.count({ where: { person: { telegramId: BigInt(user.id) } } });
    /** A forged press of a members-list button: the list's own token, another seat's id. */
    const forge = async (user: EmuUser, list: SentMessage, action: "r" | "g", membershipId: number) => {
      const token = buttons(list)[0]!.callback_data.split(":")[1];
      await h.emulator.pressButton(user, list, `mb:${token}:${action}:${membershipId}`);
      return lastAlert();
    };
    const fits = (m: SentMessage) => {
      expect((m.plainText ?? "").length).toBeLessThanOrEqual(4096);
      expect(buttons(m).length).toBeLessThanOrEqual(100);
    };

    beforeAll(async () => {
      h = await Harness.create(kind);
      dir = await mkdtemp(path.join(tmpdir(), "pantau-seats-"));
      const file = path.join(dir, "rencana.csv");
      const rows = [
        [alfa, "SATU-BERSAMA", "Dinas Bersama", "Inovasi Alfa"],
        [beta, "SATU-BERSAMA", "Dinas Bersama", "Inovasi Beta"],
        [alfa, "SATU-ALFA", "Dinas Alfa", "Inovasi Alfa Dua"],
        [alfa, "SATU-PANJANG", longName, "Inovasi Panjang"],
      ].flatMap(([program, code, unit, initiative]) => [
        `${program},Kabupaten Satu,WIB,${unit},${code},${initiative},Tahap ${initiative} 1,2022-01-14`,
        `${program},Kabupaten Satu,WIB,${unit},${code},${initiative},Tahap ${initiative} 2,2022-02-15`,
      ]);
      await writeFile(file, ["program,pemda,zona_waktu,opd,kode_opd,inovasi,tahapan,tenggat", ...rows].join("\n"));
      const imported = await h.cli("import", file);
      expect(imported.code, imported.stderr).toBe(0);
      await h.startBot({ ADMIN_TELEGRAM_IDS: String(admin.id) });
      await join(coordA, await invite("--role", "koordinator", "--program", alfa));
      await join(coordB, await invite("--role", "koordinator", "--program", beta));
      // Rina holds a seat for each program in the shared unit; Tono the whole unit (an admin's invite).
      await join(pic, await invite("--unit", "SATU-BERSAMA", "--program", alfa));
      await join(pic, await invite("--unit", "SATU-BERSAMA", "--program", beta));
      await join(wholeUnitPic, await invite("--unit", "SATU-BERSAMA"));
    }, 120_000);
    afterAll(async () => {
      await h?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it("keeps a whole-unit seat of a shared unit from one program's coordinator, lists only their own seats, and lets an admin act on it", async () => {
      const tono = await h.db.membership.findFirstOrThrow({ where: { person: { telegramId: BigInt(wholeUnitPic.id) } } });
      const rinaBeta = await h.db.membership.findFirstOrThrow({ where: { person: { telegramId: BigInt(pic.id) }, program: { name: beta } } });

      const list = await ask(coordA, "/anggota SATU-BERSAMA");
      expect(list.plainText).toContain("1. Rina — narahubung (PIC)");
      expect(list.plainText).not.toContain("2.");
      expect(list.plainText).not.toContain("Tono");
      expect(await forge(coordA, list, "g", tono.id)).toContain("bukan bagian dari unit yang Anda koordinasi");
      const again = await ask(coordA, "/anggota SATU-BERSAMA");
      expect(await forge(coordA, again, "r", rinaBeta.id)).toContain("bukan bagian dari unit yang Anda koordinasi");
      expect(await seatsOf(wholeUnitPic)).toBe(1);
      expect(await seatsOf(pic)).toBe(2);
      expect(await h.db.invite.count({ where: { createdById: { not: null } } })).toBe(0);

      const adminList = await ask(admin, "/anggota SATU-BERSAMA");
      expect(adminList.plainText).toContain("Tono — narahubung (PIC)");
      expect(adminList.plainText).toMatch(/3\. /);
    });

    it("removes one program's seat of a focal point and still sends the other program's reminder", async () => {
      h.emulator.injectFault("sendMessage", { error_code: 502, description: "Bad Gateway", times: 6, chatId: pic.id });
      await h.cli("remind", "--at", "2022-01-11T08:05:00+07:00");
      const rina = await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(pic.id) } });
      const pending = { personId: rina.id, status: "pending" };
      expect(await h.db.delivery.count({ where: pending })).toBe(2);
      await h.db.delivery.updateMany({ where: pending, data: { lockedUntil: null } });

      const list = await ask(coordA, "/anggota SATU-BERSAMA");
      await press(coordA, list, "Hapus 1");
      const confirm = await next(coordA, "Hapus Rina");
      await press(coordA, confirm, "Ya, hapus");
      const done = await h.emulator.waitForEdit(coordA.id, confirm.message_id, (m) => !!m.plainText?.includes("tidak lagi narahubung"), 20_000);
      expect(done.plainText).toContain("1 pesan terjadwal untuknya dibatalkan");
      // The coordinator has no first name: the person removed is told their username.
      expect((await next(pic, "tidak lagi terdaftar")).plainText).toContain("koordinator @koord_alfa");

      const left = await h.db.delivery.findMany({ where: pending, include: { milestone: true } });
      expect(left.map((d) => d.milestone?.title)).toEqual(["Tahap Inovasi Beta 1"]);
      await h.cli("remind", "--at", "2022-01-11T08:10:00+07:00");
      const reminder = await next(pic, "Tahap Inovasi Beta 1");
      expect(reminder.plainText).not.toContain("Tahap Inovasi Alfa 1");
      expect(await h.db.delivery.count({ where: pending })).toBe(0);
    });

    it("refuses a removed person's own multi-use link exactly like a wrong code, and lets others (and someone who left) use it", async () => {
      const code = await invite("--unit", "SATU-ALFA", "--uses", "5");
      await join(removed, code);
      const list = await ask(coordA, "/anggota SATU-ALFA");
      await press(coordA, list, "Hapus 1");
      await press(coordA, await next(coordA, "Hapus Dedi"), "Ya, hapus");
      await next(removed, "tidak lagi terdaftar");
      expect(await seatsOf(removed)).toBe(0);
      const record = await h.db.seatRemoval.findFirstOrThrow({ where: { person: { telegramId: BigInt(removed.id) } } });
      expect(record).toMatchObject({ role: "pic", reason: "removed", actor: `telegram:${coordA.id}` });

      const refused = (await ask(removed, `/start ${code}`)).plainText;
      const wrong = (await ask(removed, "/start bukanKodeYangBenar1234567")).plainText;
      expect(refused).toBe(wrong);
      expect(await seatsOf(removed)).toBe(0);

      await join(newcomer, code);
      // Leaving was their own choice and nobody decided against them: the link still seats them.
      await join(leaver, code);
      const leave = await ask(leaver, "/keluar");
      await press(leaver, leave, "Ya, keluar");
      await h.emulator.waitForEdit(leaver.id, leave.message_id, (m) => !!m.plainText?.includes("sudah keluar"), 20_000);
      expect(await seatsOf(leaver)).toBe(0);
      await join(leaver, code);
      expect(await seatsOf(leaver)).toBe(1);
      expect((await h.db.invite.findFirstOrThrow({ where: { unit: { code: "SATU-ALFA" }, maxUses: 5 } })).uses).toBe(4);
    });

    it("refuses a removed person every link of their seat made before the removal, and a link made after it seats them again", async () => {
      const stranger = { id: 8208, first_name: "Gani", language_code: "id" } satisfies EmuUser;
      const own = await invite("--unit", "SATU-ALFA", "--uses", "3");
      const officeLink = await invite("--unit", "SATU-ALFA", "--uses", "100");
      await join(stranger, own);
      // The bot's clock on real time: the command line makes its invites on it.
      const frozen = h.clock;
      h.clock = new Date();
      try {
        const list = await ask(coordA, "/anggota SATU-ALFA");
        await press(
          coordA,
          list,
          `Hapus ${
            list
              .plainText!.split("\n")
              .find((l) => l.includes("Gani"))!
              .match(/(\d+)\./)![1]
          }`,
        );
        await press(coordA, await next(coordA, "Hapus Gani"), "Ya, hapus");
        await next(stranger, "tidak lagi terdaftar");
        const wrong = (await ask(stranger, "/start bukanKodeYangBenar1234567")).plainText;
        expect((await ask(stranger, `/start ${officeLink}`)).plainText).toBe(wrong);
        expect(await seatsOf(stranger)).toBe(0);

        await new Promise((resolve) => setTimeout(resolve, 5));
        await join(stranger, await invite("--unit", "SATU-ALFA"));
        expect(await seatsOf(stranger)).toBe(1);
        // Back in the seat: the office link answers as to any member, not as a wrong code.
        expect((await ask(stranger, `/start ${officeLink}`)).plainText).not.toBe(wrong);
      } finally {
        h.clock = frozen;
      }
    });

    it("pages forty open invites and forty people of a unit with a 200-character name", async () => {
      const unit = await h.db.unit.findUniqueOrThrow({ where: { code: "SATU-PANJANG" } });
      const now = new Date();
      const expiresAt = new Date(now.getTime() + 30 * 86_400_000);
      for (let i = 0; i < 40; i++) {
        await h.db.invite.create({ data: { codeHash: `seeded-${i}`, role: "pic", unitId: unit.id, maxUses: 150, expiresAt } });
        const person = await h.db.person.create({ data: { telegramId: BigInt(8300 + i), firstName: `Orang ${i + 1} ${"Panjang".repeat(8)}`, language: "id" } });
        await h.db.membership.create({ data: { personId: person.id, role: "pic", unitId: unit.id } });
      }

      const invites = await ask(coordA, "/undang");
      fits(invites);
      const open = Number(/Undangan terbuka \((\d+)\)/.exec(invites.plainText ?? "")?.[1]);
      expect(open).toBeGreaterThanOrEqual(40);
      expect(invites.plainText).toContain(`Halaman 1 dari ${Math.ceil(open / 10)}`);
      expect(invites.plainText).toContain("…");
      const secondInvites = await (async () => {
        await press(coordA, invites, "Berikutnya");
        return h.emulator.waitForEdit(coordA.id, invites.message_id, (m) => !!m.plainText?.includes("Halaman 2"), 20_000);
      })();
      fits(secondInvites);
      expect(secondInvites.plainText).toContain("11. ");
      expect(buttons(secondInvites).map((b) => b.text)).toContain("❌ Cabut 11");
      expect(buttons(secondInvites).map((b) => b.text)).toContain("◀️ Sebelumnya");

      const people = await ask(coordA, "/anggota SATU-PANJANG");
      fits(people);
      expect(people.plainText).toContain("Halaman 1 dari 4");
      expect(people.plainText).toContain("10. Orang 10");
      expect(people.plainText).not.toContain("11. ");
      let page = people;
      for (const n of [2, 3, 4]) {
        await press(coordA, page, "Berikutnya");
        page = await h.emulator.waitForEdit(coordA.id, people.message_id, (m) => !!m.plainText?.includes(`Halaman ${n} dari 4`), 20_000);
        fits(page);
      }
      expect(page.plainText).toContain("40. Orang 40");
      expect(buttons(page).map((b) => b.text)).not.toContain("Berikutnya ▶️");
      // A button of the last page still acts on its own person.
      await press(coordA, page, "Hapus 40");
      expect((await next(coordA, "Hapus Orang 40")).plainText).toContain("narahubung (PIC)");
    });
  },
  180_000,
);
