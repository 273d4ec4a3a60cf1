import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TINY_PNG, type EmuChat, type EmuUser } from "../support/bot-api-emulator.js";
import { databaseKinds, examplePlan, Harness, has, press, codeOf } from "../support/harness.js";

// Personal data (UU PDP): the privacy notice at join and on /privasi, a person's own data as a
// file (/dataku), correcting one's name (/nama), and an admin erasing someone who left
// (/hapusdata, pantau erase). Through the real bot, the Bot API emulator and the CLI, on SQLite
// and PostgreSQL.

const admin: EmuUser = { id: 7200, first_name: "Adi", language_code: "id" };
const coordinator: EmuUser = { id: 7201, first_name: "Budi", language_code: "id" };
const rina: EmuUser = { id: 7202, first_name: "Rina", username: "rina_koperasi", language_code: "id" };
const john: EmuUser = { id: 7203, first_name: "John", language_code: "en" };
const stranger: EmuUser = { id: 7204, first_name: "Orang", language_code: "id" };
const sari: EmuUser = { id: 7205, first_name: "Sari", language_code: "id" };
const group: EmuChat = { id: -1001777000444, type: "supergroup", title: "Koordinasi Inovasi Bangka Barat" };

const unitName = "Dinas Koperasi, UKM dan Perindustrian";
const contact = "Diskominfo Kab. Bangka Barat, ppid@bangkabaratkab.go.id";

describe.each(await databaseKinds())("personal data on %s", (kind) => {
  let h: Harness;
  let dir: string;
  const rinaInvites = { pic: "", kepala: "" };

  const ask = async (user: EmuUser, text: string, chat?: EmuChat) => {
    await h.emulator.sendText(user, text, chat ? { chat } : {});
    const answer = await h.emulator.waitForMessage(chat?.id ?? user.id, undefined, 20_000);
    await h.emulator.idle(20_000);
    return answer;
  };
  const personRow = (user: EmuUser) => h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(user.id) } });
  /** The alert the bot answered the last button press with. */
  const lastAlert = async () => {
    await h.answered(20_000);
    return h.emulator.callbackAnswers().at(-1)?.text ?? "";
  };
  const auditOf = (action: string) => h.db.auditLog.findMany({ where: { action }, orderBy: { id: "asc" } });

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = await mkdtemp(path.join(tmpdir(), "pantau-pdp-"));
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    rinaInvites.pic = codeOf((await h.cli("invite", "--unit", "BABAR-DISKOPUKMPERIN")).stdout);
    rinaInvites.kepala = codeOf((await h.cli("invite", "--unit", "BABAR-DISKOPUKMPERIN", "--role", "kepala")).stdout);
    await h.startBot({ ADMIN_TELEGRAM_IDS: String(admin.id), PRIVACY_CONTACT: contact });
    const budi = codeOf((await h.cli("invite", "--role", "koordinator")).stdout);
    expect((await ask(coordinator, `/start ${budi}`)).plainText).toContain("Selamat bergabung");
    await h.emulator.addBotToGroup(coordinator, group);
  }, 120_000);
  afterAll(async () => {
    await h?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("when someone accepts an invite, then the welcome carries the short privacy notice in their language", async () => {
    const joined = await ask(rina, `/start ${rinaInvites.pic}`);
    expect(joined.plainText).toContain("Selamat bergabung");
    expect(joined.plainText).toContain("Pantau menyimpan nama, id Telegram, peran dan laporan Anda");
    expect(joined.plainText).toContain("/privasi");
    expect(joined.plainText).toContain("/dataku");

    const english = await ask(john, `/start ${codeOf((await h.cli("invite", "--unit", "BABAR-DISTANPANGAN")).stdout)}`);
    expect(english.plainText).toContain("Welcome");
    expect(english.plainText).toContain("Type /privacy for the details, /mydata for a copy of your data.");
  });

  it("when a stranger asks /privasi, then they read what is stored, why, for how long and the controller's contact; the menu offers it", async () => {
    const notice = (await ask(stranger, "/privasi")).plainText!;
    for (const part of [
      "Pengendali data",
      contact,
      "Yang disimpan",
      "id Telegram, nama, username dan bahasa",
      "id berkas bukti dukung",
      "Untuk apa",
      "Berapa lama",
      "PIC <unit>",
      "/dataku",
      "/nama",
    ]) {
      expect(notice).toContain(part);
    }
    const english = (await ask(john, "/privacy")).plainText!;
    expect(english).toContain("Data controller");
    expect(english).toContain(contact);
    expect(english).toContain("For how long");
    expect(await h.db.person.count({ where: { telegramId: BigInt(stranger.id) } })).toBe(0);

    expect(h.emulator.menuFor().map((c) => c.command)).toEqual(expect.arrayContaining(["privasi", "dataku"]));
    expect(h.emulator.menuFor(undefined, "en").map((c) => c.command)).toEqual(expect.arrayContaining(["privacy", "mydata"]));
    expect((await ask(stranger, "/bantuan")).plainText).toContain("/privasi");
  });

  it("when a focal point who reported asks /dataku, then one readable JSON file holds their person row, seats, reports with notes and evidence, messages and audit rows", async () => {
    await h.draftReport(rina, "Studi tiru ke Yogyakarta", "50%", "Jadwal studi tiru disepakati");
    await h.emulator.sendPhoto(rina, { content: TINY_PNG });
    const confirm = await h.emulator.waitForMessage(rina.id, has("Bukti dukung: 1 berkas"), 20_000);
    await h.emulator.pressButton(rina, confirm, press("Simpan")(confirm));
    await h.emulator.waitForMessage(rina.id, has("Tersimpan"), 20_000);
    await h.emulator.idle(20_000);

    const answer = await ask(rina, "/dataku");
    expect(answer.method).toBe("sendDocument");
    expect(answer.plainText).toContain("Semua data Anda yang disimpan Pantau");
    expect(answer.document?.file_name).toBe(`pantau-data-${rina.id}-2022-01-11.json`);
    const text = answer.document!.bytes!.toString("utf8");
    expect(text).toContain('\n  "person": {'); // indented: readable as it is
    const data = JSON.parse(text);
    expect(data.controller).toBe(contact);
    expect(data.person).toMatchObject({ telegramId: String(rina.id), firstName: "Rina", username: "rina_koperasi", language: "id" });
    expect(data.memberships).toEqual([expect.objectContaining({ role: "pic", unit: `${unitName} (BABAR-DISKOPUKMPERIN)` })]);
    const evidence = await h.db.evidence.findFirstOrThrow();
    expect(data.reports).toEqual([
      expect.objectContaining({
        step: "Studi tiru ke Yogyakarta",
        unit: unitName,
        percent: 50,
        note: "Jadwal studi tiru disepakati",
        evidence: [expect.objectContaining({ kind: "photo", fileId: evidence.fileId })],
      }),
    ]);
    const actions = data.processing.auditTrail.map((a: { action: string }) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["invite.accept", "report.create", "person.data_access"]));
    expect(Array.isArray(data.processing.messagesToYou)).toBe(true);
    // The request is recorded in the database too.
    expect(await auditOf("person.data_access")).toEqual([
      expect.objectContaining({ actorTelegramId: BigInt(rina.id), origin: "private", entityId: String((await personRow(rina)).id) }),
    ]);

    const english = await ask(john, "/mydata");
    expect(english.plainText).toContain("All the data Pantau stores about you");
    expect(JSON.parse(english.document!.bytes!.toString("utf8")).person.firstName).toBe("John");
  });

  it("when /dataku is asked in a group, then the group gets a button to the private chat and no file; a stranger is told nothing is stored", async () => {
    const pointer = await ask(rina, "/dataku", group);
    expect(pointer.method).toBe("sendMessage");
    expect(pointer.reply_markup?.inline_keyboard?.flat()[0]?.url).toContain("?start=dataku");
    expect(h.emulator.messages(group.id).some((m) => m.method === "sendDocument")).toBe(false);

    expect((await ask(stranger, "/dataku")).plainText).toBe("Pantau tidak menyimpan data apa pun tentang Anda.");
    expect(await h.db.person.count({ where: { telegramId: BigInt(stranger.id) } })).toBe(0);
  });

  it("when a person sets their name with /nama, then recaps and histories show it, an audit row keeps before and after, and joining again keeps it", async () => {
    expect((await ask(rina, "/nama")).plainText).toContain("Nama Anda di rekap dan daftar: Rina");
    expect((await ask(rina, `/nama ${"x".repeat(65)}`)).plainText).toContain("paling panjang 64 karakter");
    expect((await ask(rina, "/nama Rina\nMarlina")).plainText).toContain("satu baris");
    expect((await personRow(rina)).firstName).toBe("Rina");

    const set = await ask(rina, "/nama  Rina   Marlina, S.E. ");
    expect(set.plainText).toContain("Nama Anda sekarang Rina Marlina, S.E. di rekap");
    expect(await personRow(rina)).toMatchObject({ firstName: "Rina Marlina, S.E.", lastName: null, username: "rina_koperasi" });
    const [rename] = await auditOf("person.rename");
    // The trail names the actor as they are called when the row is written: the new name.
    expect(rename).toMatchObject({ actorTelegramId: BigInt(rina.id), actorName: "Rina Marlina, S.E." });
    expect([JSON.parse(rename!.before!), JSON.parse(rename!.after!)]).toEqual([{ name: "Rina" }, { name: "Rina Marlina, S.E." }]);

    const history = (await ask(coordinator, "/riwayat BABAR-DISKOPUKMPERIN 01/01/2022 11/01/2022")).plainText!;
    expect(history).toContain("Rina Marlina, S.E.");

    // A second seat through another invite: Telegram still says "Rina", the chosen name stays.
    expect((await ask(rina, `/start ${rinaInvites.kepala}`)).plainText).toContain("kepala unit");
    expect((await personRow(rina)).firstName).toBe("Rina Marlina, S.E.");

    const english = await ask(john, "/name John Doe");
    expect(english.plainText).toContain("Your name is now John Doe");
  });

  it("when an admin erases someone who still holds seats, then it is refused; once they left, the bot and the CLI erase them and their reports read PIC <unit>", async () => {
    const refused = await ask(admin, "/hapusdata @rina_koperasi");
    expect(refused.plainText).toContain("masih terdaftar di 2 kursi");
    const cliRefused = await h.cli("erase", "--person", String(rina.id));
    expect(cliRefused.code).toBe(1);
    expect(cliRefused.stderr).toContain("masih terdaftar di 2 kursi");
    expect((await ask(coordinator, "/hapusdata 7202")).plainText).toContain("bukan untuk peran Anda");
    expect((await personRow(rina)).erasedAt).toBeNull();

    // A reminder reaches her (two weeks before "SK tim replikasi"): its record counts for a step
    // still open after she left.
    expect((await h.cli("remind", "--at", "2022-01-17T08:05:00+07:00")).code).toBe(0);
    const rinaId = (await personRow(rina)).id;
    const sent = await h.db.delivery.count({ where: { personId: rinaId, status: "sent", milestone: { status: { not: "done" } } } });
    expect(sent).toBeGreaterThan(0);
    for (const role of ["pic", "kepala"]) expect((await h.cli("remove", "--person", "@rina_koperasi", "--role", role)).code).toBe(0);
    // A confirmation asked again makes the older one stale: it erases nothing.
    const older = await ask(admin, "/hapusdata @rina_koperasi");
    const confirm = await ask(admin, "/hapusdata @rina_koperasi");
    expect(confirm.plainText).toContain("Hapus data pribadi Rina Marlina, S.E. (@rina_koperasi)?");
    expect(confirm.plainText).toContain("1 laporannya tetap");
    await h.emulator.pressButton(admin, older, press("Hapus data")(older));
    expect(await lastAlert()).toBe("Tombol ini sudah tidak berlaku.");
    expect((await personRow(rina)).erasedAt).toBeNull();
    // Rows as the audit trail's migration left those written before it: a rename with both names
    // in its detail, and a seat removal naming her beside her Telegram id.
    const migrated = { actorKind: "person", origin: "telegram", createdAt: h.clock };
    await h.db.auditLog.createMany({
      data: [
        {
          ...migrated,
          action: "person.rename",
          entity: "person",
          entityId: String((await personRow(rina)).id),
          detail: JSON.stringify({ before: "Rina Marlina", after: "Rina M." }),
        },
        {
          ...migrated,
          action: "member.remove",
          entity: "membership",
          entityId: "999",
          detail: JSON.stringify({ person: rina.id, name: "Rina Marlina", role: "pic", unitId: null }),
        },
      ],
    });
    await h.emulator.pressButton(admin, confirm, press("Hapus data")(confirm));
    const done = await h.emulator.waitForEdit(admin.id, confirm.message_id, has("dihapus"), 20_000);
    expect(done.plainText).toContain(`Data pribadi #${rina.id} dihapus. 1 laporan tetap`);
    // The flow ended with it: the same button pressed again is stale too.
    await h.emulator.pressButton(admin, confirm, press("Hapus data")(confirm));
    expect(await lastAlert()).toBe("Tombol ini sudah tidak berlaku.");

    const row = await personRow(rina);
    expect(row).toMatchObject({ firstName: null, lastName: null, username: null, nameChosenAt: null, telegramId: BigInt(rina.id) });
    expect(row.erasedAt).not.toBeNull();
    expect(await h.db.progressReport.count({ where: { personId: row.id } })).toBe(1);
    expect(await h.db.evidence.count()).toBe(1);
    // Records an open step still needs stay, without the chat they went to.
    const kept = await h.db.delivery.findMany({ where: { personId: row.id, status: "sent" } });
    expect(kept).toHaveLength(sent);
    expect(kept.every((d) => d.chatId === null && d.messageId === null && d.error === null)).toBe(true);
    const [erased] = await auditOf("person.erase");
    expect(erased).toMatchObject({ actorTelegramId: BigInt(admin.id), entityId: String(row.id), targetName: null });
    expect(erased!.detail).not.toContain("Rina");
    // Nor does the rest of the trail keep her name: what she did, what was done to her (her seat's removal).
    const trail = await h.db.auditLog.findMany();
    expect(trail.filter((r) => r.actorPersonId === row.id).length).toBeGreaterThan(0);
    expect(trail.filter((r) => JSON.stringify(r, (_, v) => (typeof v === "bigint" ? String(v) : v)).includes("Rina"))).toEqual([]);

    // Every view names the report's seat instead (the reminder pass escalated to the coordinator too).
    await h.emulator.sendText(coordinator, "/riwayat BABAR-DISKOPUKMPERIN 01/01/2022 11/01/2022");
    const history = (await h.emulator.waitForMessage(coordinator.id, has("Riwayat laporan"), 20_000)).plainText!;
    expect(history).toContain(`PIC ${unitName}`);
    expect(history).not.toContain("Rina");
    const file = path.join(dir, `rekap-${kind}.csv`);
    expect((await h.cli("export", file)).code).toBe(0);
    const csv = await readFile(file, "utf8");
    expect(csv).toContain(`PIC ${unitName}`);
    expect(csv).not.toContain("Rina");

    // Once is enough; the kept Telegram id still refuses the invite she was removed from.
    const again = await h.cli("erase", "--person", String(rina.id));
    expect(again.code).toBe(1);
    expect(again.stderr).toContain("sudah dihapus");
    await h.emulator.sendText(rina, `/start ${rinaInvites.pic}`);
    await h.emulator.waitForMessage(rina.id, has("tidak berlaku"), 20_000);
    expect((await h.cli("erase", "--person", "@nobody")).stderr).toContain("Tidak ada orang @nobody");
  });

  it("when the CLI erases someone who left, then it prints the outcome and writes an audit row naming the CLI", async () => {
    expect((await h.cli("remove", "--person", String(john.id))).code).toBe(0);
    const erased = await h.cli("erase", "--person", String(john.id));
    expect(erased.code, erased.stderr).toBe(0);
    expect(erased.stdout).toContain(`Data pribadi #${john.id} dihapus. 0 laporan tetap`);
    expect(await personRow(john)).toMatchObject({ firstName: null, username: null });
    expect((await auditOf("person.erase")).at(-1)).toMatchObject({ actorKind: "cli", entityId: String((await personRow(john)).id) });
  });

  it("when a coordinator removed someone, then the coordinator's /dataku keeps what they did but not the removed person's name or id", async () => {
    expect((await ask(sari, `/start ${codeOf((await h.cli("invite", "--unit", "BABAR-DISPARBUD")).stdout)}`)).plainText).toContain("Selamat bergabung");
    const list = await ask(coordinator, "/anggota BABAR-DISPARBUD");
    await h.emulator.pressButton(coordinator, list, press("Hapus 1")(list));
    const confirm = await h.emulator.waitForMessage(coordinator.id, has("Hapus Sari"), 20_000);
    await h.emulator.pressButton(coordinator, confirm, press("Ya, hapus")(confirm));
    await h.emulator.waitForEdit(coordinator.id, confirm.message_id, has("tidak lagi"), 20_000);
    await h.emulator.idle(20_000);

    const text = (await ask(coordinator, "/dataku")).document!.bytes!.toString("utf8");
    const removal = JSON.parse(text).processing.auditTrail.find((a: { action: string }) => a.action === "member.remove");
    expect(removal).toMatchObject({
      actor: { kind: "person", telegramId: String(coordinator.id) },
      entity: "membership",
      target: null,
      before: expect.objectContaining({ role: "pic" }),
    });
    expect(text).not.toContain("Sari");
    expect(text).not.toContain(String(sari.id));
  });

  it("when an admin asks /bantuan and no backup was made, then its foot says so and that daily backups are off; others do not see it", async () => {
    await h.emulator.sendText(admin, "/bantuan");
    const help = (await h.emulator.waitForMessage(admin.id, has("Perintah yang bisa Anda pakai"), 20_000)).plainText!;
    expect(help).toContain("Cadangan terakhir (admin): belum ada.");
    expect(help).toContain("Cadangan harian mati: BACKUP_DIR tidak diatur.");
    await h.emulator.sendText(coordinator, "/bantuan");
    expect((await h.emulator.waitForMessage(coordinator.id, has("Perintah yang bisa Anda pakai"), 20_000)).plainText).not.toContain("Cadangan");
  });
});
