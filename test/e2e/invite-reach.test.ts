import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import jsQRModule from "jsqr";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuChat, EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { databaseKinds, examplePlan, Harness } from "../support/harness.js";

// /undang (/invite) and /jangkauan (/reach) through the real bot and the Bot API emulator, and
// `pantau invite --qr`: coordinators make invite links and QR codes within their reach, and see
// who the bot cannot reach yet.

const coordinator: EmuUser = { id: 7001, first_name: "Budi", language_code: "id" };
const focalPoint: EmuUser = { id: 7002, first_name: "Rina", username: "rina_disparbud", language_code: "id" };
const head: EmuUser = { id: 7003, first_name: "Hendra", language_code: "id" };
const padangCoordinator: EmuUser = { id: 7004, first_name: "Wati", language_code: "id" };
const sumbarCoordinator: EmuUser = { id: 7005, first_name: "Andi", language_code: "en" };
const newCoordinator: EmuUser = { id: 7006, first_name: "Sari", language_code: "id" };
const padangDeputy: EmuUser = { id: 7007, first_name: "Yuni", language_code: "id" };
const neverOpened: EmuUser = { id: 7008, first_name: "Dodi", language_code: "id" };
const bigCoordinator: EmuUser = { id: 7009, first_name: "Agus", language_code: "id" };
const group: EmuChat = { id: -100777, type: "group", title: "Tim Replikasi Babar" };

const babar = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const sumbar = "Replikasi Inovasi 2023 Sumatera Barat";
const big = "KIPP 2024 Nasional";
const linkPattern = /https:\/\/t\.me\/pantau_test_bot\?start=([A-Za-z0-9_-]{20,})/;
const linkOf = (text: string | undefined) => linkPattern.exec(text ?? "")?.[0] ?? "";

// jsqr is CommonJS: its function is the module and also its `default`.
const jsQR = jsQRModule.default;

/** The text a QR code in a PNG holds. */
function decodeQr(png: Buffer): string | undefined {
  const image = PNG.sync.read(png);
  return jsQR(new Uint8ClampedArray(image.data.buffer, image.data.byteOffset, image.data.length), image.width, image.height)?.data;
}

describe.each(await databaseKinds())("invites and reach on %s", (kind) => {
  let h: Harness;
  let dir: string;

  const ask = async (user: EmuUser, text: string) => {
    await h.emulator.sendText(user, text);
    return h.emulator.waitForMessage(user.id);
  };
  const join = async (user: EmuUser, link: string) => (await ask(user, `/start ${linkPattern.exec(link)![1]}`)).plainText ?? "";
  /** Joins with a fresh invite made by `pantau invite <inviteArgs>`. */
  const joinByCli = async (user: EmuUser, ...inviteArgs: string[]) => {
    const made = await h.cli("invite", ...inviteArgs);
    expect(made.code, made.stderr).toBe(0);
    expect(await join(user, linkOf(made.stdout))).toContain("Selamat bergabung");
  };
  /** Every message of the answer to /jangkauan (several when it is long). */
  const reachOf = async (user: EmuUser, command = "/jangkauan") => {
    const before = h.emulator.messages(user.id).length;
    await h.emulator.sendText(user, command);
    await h.emulator.waitForMessage(user.id);
    await h.answered();
    const answer = h.emulator.messages(user.id).slice(before);
    for (const _ of answer.slice(1)) await h.emulator.waitForMessage(user.id);
    return answer;
  };
  const plain = (messages: SentMessage[]) => messages.map((m) => m.plainText ?? "").join("\n");

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = await mkdtemp(path.join(tmpdir(), "pantau-invite-"));
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const sumbarFile = path.join(dir, "sumbar.csv");
    await writeFile(
      sumbarFile,
      "program,pemda,zona_waktu,opd,kode_opd,inovasi,tahapan,tenggat\n" +
        `${sumbar},Kota Padang,WIB,Dinas Kependudukan dan Pencatatan Sipil,PDG-DISDUKCAPIL,Dukcapil Jemput Bola,SK tim,2023-02-01\n` +
        `${sumbar},Kota Padang,WIB,Dinas Penanaman Modal dan PTSP,PDG-DPMPTSP,Mal Pelayanan Publik,SK tim,2023-02-01\n` +
        `${sumbar},Kabupaten Agam,WIB,Dinas Pendidikan,AGAM-DISDIK,Sekolah Digital,SK tim,2023-02-01\n`,
    );
    expect((await h.cli("import", sumbarFile)).code).toBe(0);
    // A program of 240 units in four regions, for a report longer than one Telegram message.
    const bigFile = path.join(dir, "big.csv");
    const rows = Array.from({ length: 240 }, (_, i) => {
      const region = ["Provinsi Aceh", "Provinsi Bali", "Provinsi Jambi", "Provinsi Riau"][i % 4];
      return `${big},${region},WIB,Dinas Pelayanan Terpadu Nomor ${i + 1},BIG-UNIT-${String(i + 1).padStart(3, "0")},Inovasi ${i + 1},Proposal,2024-05-01`;
    });
    await writeFile(bigFile, `program,pemda,zona_waktu,opd,kode_opd,inovasi,tahapan,tenggat\n${rows.join("\n")}\n`);
    expect((await h.cli("import", bigFile)).code).toBe(0);

    await h.startBot();
    await joinByCli(coordinator, "--role", "koordinator", "--program", babar);
    await joinByCli(padangCoordinator, "--role", "koordinator", "--program", sumbar, "--region", "Kota Padang");
    const andi = await h.cli("invite", "--role", "koordinator", "--program", sumbar);
    expect(await join(sumbarCoordinator, linkOf(andi.stdout))).toContain("Welcome");
    await joinByCli(bigCoordinator, "--role", "koordinator", "--program", big);
  });
  afterAll(async () => {
    await h?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives a coordinator the deep link of a focal point invite, who, how many and until when, then its QR code", async () => {
    const answer = await ask(coordinator, "/undang BABAR-DISPARBUD");
    const link = linkOf(answer.plainText);
    expect(link).not.toBe("");
    expect(answer.plainText).toContain("narahubung (PIC)");
    expect(answer.plainText).toContain("Dinas Pariwisata dan Kebudayaan (BABAR-DISPARBUD)");
    expect(answer.plainText).toContain("1 orang");
    // Made on Tuesday 11 January 2022, 09:00 WIB; valid 14 days.
    expect(answer.plainText).toContain("Selasa, 25 Januari 2022");

    const photo = await h.emulator.waitForMessage(coordinator.id);
    expect(photo.method).toBe("sendPhoto");
    expect(photo.caption).toContain("Dinas Pariwisata dan Kebudayaan");
    expect(photo.caption).toContain("narahubung");
    const image = PNG.sync.read(photo.photoBytes!);
    // Large enough to print: at least 8 pixels per module of a version-4 code with its quiet zone.
    expect(image.width).toBeGreaterThanOrEqual(8 * 41);
    expect(decodeQr(photo.photoBytes!)).toBe(link);

    // Whoever opens the link joins that unit as its focal point.
    expect(await join(focalPoint, link)).toContain("narahubung (PIC)");
    const member = await h.db.membership.findFirstOrThrow({ where: { person: { telegramId: BigInt(focalPoint.id) } }, include: { unit: true } });
    expect(member.role).toBe("pic");
    expect(member.unit?.code).toBe("BABAR-DISPARBUD");
    expect((await h.db.invite.findFirstOrThrow({ where: { id: member.inviteId! } })).createdById).not.toBeNull();
  });

  it("invites the head of a unit named by part of its name, and the head then sees the unit's status", async () => {
    const answer = await ask(coordinator, "/undang pariwisata kepala");
    expect(answer.plainText).toContain("kepala unit");
    expect(answer.plainText).toContain("Dinas Pariwisata dan Kebudayaan");
    const photo = await h.emulator.waitForMessage(coordinator.id);
    expect(decodeQr(photo.photoBytes!)).toBe(linkOf(answer.plainText));

    expect(await join(head, linkOf(answer.plainText))).toContain("kepala unit");
    const status = (await ask(head, "/status")).plainText ?? "";
    expect(status).toContain("SIP Banget");
    expect(status).not.toContain("Aksi Tali Intan");
  });

  it("lists close matches for an ambiguous or unknown unit and creates nothing", async () => {
    const invites = await h.db.invite.count();
    const ambiguous = (await ask(coordinator, "/undang Dinas")).plainText ?? "";
    expect(ambiguous).toContain("cocok dengan beberapa unit");
    expect(ambiguous).toContain("BABAR-DISTANPANGAN");
    expect(ambiguous).not.toContain("PDG-");
    const unknown = (await ask(coordinator, "/undang Dinas Pertanian Pangan Perikanan")).plainText ?? "";
    expect(unknown).toContain('Tidak ada unit "Dinas Pertanian Pangan Perikanan"');
    expect(unknown).toContain("BABAR-DISTANPANGAN");
    expect(unknown).toContain("kode unit");
    expect((await ask(coordinator, "/undang")).plainText).toContain("Contoh: /undang BABAR-DISPARBUD");
    expect(await h.db.invite.count()).toBe(invites);
  });

  it("refuses a focal point, and keeps a region-limited coordinator to their region", async () => {
    const invites = await h.db.invite.count();
    expect((await ask(focalPoint, "/undang BABAR-DISPARBUD")).plainText).toContain("bukan untuk peran Anda");
    const elsewhere = (await ask(padangCoordinator, "/undang AGAM-DISDIK")).plainText ?? "";
    expect(elsewhere).toContain('Tidak ada unit "AGAM-DISDIK"');
    expect(elsewhere).not.toContain("start=");
    expect((await ask(padangCoordinator, "/undang BABAR-DISPARBUD")).plainText).toContain("Tidak ada unit");
    expect(await h.db.invite.count()).toBe(invites);

    const own = await ask(padangCoordinator, "/undang PDG-DISDUKCAPIL");
    expect(linkOf(own.plainText)).not.toBe("");
    expect((await h.emulator.waitForMessage(padangCoordinator.id)).method).toBe("sendPhoto");
  });

  it("invites coordinators no wider than the inviter: the program, and the inviter's region", async () => {
    const program = await ask(coordinator, "/undang koordinator");
    expect(program.plainText).toContain(babar);
    await h.emulator.waitForMessage(coordinator.id);
    expect(await join(newCoordinator, linkOf(program.plainText))).toContain("koordinator");

    const regional = await ask(padangCoordinator, "/undang koordinator");
    expect(regional.plainText).toContain(`${sumbar} — Kota Padang`);
    await h.emulator.waitForMessage(padangCoordinator.id);
    expect(await join(padangDeputy, linkOf(regional.plainText))).toContain("Kota Padang");
    const deputy = await h.db.membership.findFirstOrThrow({ where: { person: { telegramId: BigInt(padangDeputy.id) } }, include: { region: true } });
    expect(deputy.role).toBe("koordinator");
    expect(deputy.region?.name).toBe("Kota Padang");

    // A region-limited coordinator cannot widen an invite to another region.
    expect((await ask(padangCoordinator, "/undang Kabupaten Agam koordinator")).plainText).not.toContain("start=");
    // A coordinator of the whole program may invite one for a region (English answer for Andi).
    const agam = await ask(sumbarCoordinator, "/invite Kabupaten Agam coordinator");
    expect(agam.plainText).toContain(`${sumbar} — Kabupaten Agam`);
    expect(agam.plainText).toContain("valid until Tuesday, 25 January 2022");
    await h.emulator.waitForMessage(sumbarCoordinator.id);
  });

  it("in a group, posts no link and sends the invite privately", async () => {
    await h.emulator.addBotToGroup(coordinator, group);
    await h.emulator.sendText(coordinator, "/undang BABAR-DISTANPANGAN", { chat: group });
    const notice = await h.emulator.waitForMessage(group.id);
    expect(notice.plainText).toContain("pesan pribadi");
    expect(notice.plainText).toContain("Dinas Pertanian dan Pangan");

    const privately = await h.emulator.waitForMessage(coordinator.id);
    const link = linkOf(privately.plainText);
    expect(link).not.toBe("");
    const photo = await h.emulator.waitForMessage(coordinator.id);
    expect(decodeQr(photo.photoBytes!)).toBe(link);
    await h.answered();
    for (const m of h.emulator.messages(group.id)) {
      expect(m.text ?? m.caption ?? "").not.toContain("start=");
      expect(m.photo).toBeFalsy();
    }
  });

  it("in a group, asks a coordinator who never opened the bot privately to do so, and withdraws the invite", async () => {
    // Named coordinator by an admin straight in the database; never wrote to the bot.
    const program = await h.db.program.findUniqueOrThrow({ where: { name: babar } });
    await h.db.person.create({
      data: { telegramId: BigInt(neverOpened.id), firstName: neverOpened.first_name, memberships: { create: { role: "koordinator", programId: program.id } } },
    });
    const invites = await h.db.invite.count({ where: { revokedAt: null } });
    await h.emulator.sendText(neverOpened, "/undang BABAR-DISKOPUKMPERIN", { chat: group });
    const notice = await h.emulator.waitForMessage(group.id);
    expect(notice.plainText).toContain("@pantau_test_bot");
    expect(notice.plainText).toContain("tekan Mulai");
    expect(notice.plainText).not.toContain("start=");
    expect(await h.db.invite.count({ where: { revokedAt: null } })).toBe(invites);
  });

  it("writes the QR code of the printed link with pantau invite --qr", async () => {
    const file = path.join(dir, "undangan.png");
    const made = await h.cli("invite", "--unit", "BABAR-DISPARBUD", "--qr", file);
    expect(made.code, made.stderr).toBe(0);
    const link = linkOf(made.stdout);
    expect(link).not.toBe("");
    expect(made.stdout).toContain(file);
    expect(decodeQr(await readFile(file))).toBe(link);

    const nowhere = await h.cli("invite", "--unit", "BABAR-DISPARBUD", "--qr", path.join(dir, "no-such-dir", "x.png"));
    expect(nowhere.code).toBe(1);
    expect(linkOf(nowhere.stdout)).not.toBe("");
    expect(nowhere.stderr).toContain("tidak bisa disimpan");
  });

  it("lists units without a focal point and invites not used yet", async () => {
    // A second invite for a unit that has its focal point already.
    expect(linkOf((await ask(coordinator, "/undang BABAR-DISPARBUD")).plainText)).not.toBe("");
    await h.emulator.waitForMessage(coordinator.id);
    const text = plain(await reachOf(coordinator));
    expect(text).toContain(`Jangkauan — ${babar}`);
    expect(text).toMatch(/Unit tanpa narahubung \(PIC\) \(3\):/);
    for (const code of ["BABAR-DISTANPANGAN", "BABAR-DISKOPUKMPERIN", "BABAR-DISDIKPORA"]) expect(text).toContain(code);
    expect(text).not.toMatch(/• Dinas Pariwisata dan Kebudayaan \(BABAR-DISPARBUD\)\n/);
    expect(text).toContain("Undangan belum dipakai");
    expect(text).toMatch(/Dinas Pertanian dan Pangan \(BABAR-DISTANPANGAN\) — narahubung \(PIC\), dibuat 11 Jan 2022, berlaku sampai 25 Jan 2022/);
    expect(text).toMatch(/Dinas Pariwisata dan Kebudayaan \(BABAR-DISPARBUD\) — narahubung \(PIC\), dibuat 11 Jan 2022, berlaku sampai 25 Jan 2022/);
    // The invite withdrawn in the group is not waiting for anyone.
    expect(text).not.toContain("BABAR-DISKOPUKMPERIN) — narahubung");
    expect(text).not.toContain("Memblokir bot");
    expect(text).not.toContain("Kota Padang");
  });

  it("lists a focal point who blocked the bot, and not after they unblock it and write again", async () => {
    await h.emulator.blockBot(focalPoint);
    await h.answered();
    expect((await h.db.person.findUniqueOrThrow({ where: { telegramId: BigInt(focalPoint.id) } })).blockedAt).toEqual(h.clock);
    const blocked = plain(await reachOf(coordinator));
    expect(blocked).toContain("Memblokir bot (1):");
    expect(blocked).toContain("Rina (@rina_disparbud) — narahubung (PIC), Dinas Pariwisata dan Kebudayaan, sejak 11 Jan 2022");

    await h.emulator.unblockBot(focalPoint);
    await h.emulator.sendText(focalPoint, "/tugas");
    await h.emulator.waitForMessage(focalPoint.id);
    const after = plain(await reachOf(coordinator));
    expect(after).not.toContain("Memblokir bot");
    expect(after).not.toContain("Rina");
  });

  it("shows invites that expired unused while their seat is still empty", async () => {
    const saved = h.clock;
    h.clock = new Date("2022-01-27T09:00:00+07:00");
    try {
      const text = plain(await reachOf(coordinator));
      expect(text).toContain("Undangan kedaluwarsa tanpa dipakai");
      expect(text).toMatch(/Dinas Pertanian dan Pangan \(BABAR-DISTANPANGAN\) — narahubung \(PIC\), dibuat 11 Jan 2022, kedaluwarsa 25 Jan 2022/);
      // The unit got its focal point another way: its lapsed invite is not news.
      expect(text).not.toMatch(/BABAR-DISPARBUD\) — narahubung \(PIC\), dibuat 11 Jan 2022/);
      expect(text).toMatch(/Undangan kedaluwarsa tanpa dipakai \(1\)/);
    } finally {
      h.clock = saved;
    }
  });

  it("groups a program over several regions by region, and keeps a region-limited coordinator to theirs", async () => {
    const whole = plain(await reachOf(sumbarCoordinator, "/reach"));
    expect(whole).toContain(`Reach — ${sumbar}`);
    expect(whole).toContain("Kabupaten Agam\nUnits without a focal point (1):\n• Dinas Pendidikan (AGAM-DISDIK)");
    expect(whole).toContain("Kota Padang\nUnits without a focal point (2):");
    expect(whole.indexOf("Kabupaten Agam")).toBeLessThan(whole.indexOf("Kota Padang"));

    const regional = plain(await reachOf(padangCoordinator));
    expect(regional).toContain("PDG-DISDUKCAPIL");
    expect(regional).not.toContain("AGAM-DISDIK");
    expect(regional).not.toContain("Kabupaten Agam");
  });

  it("splits a long report into messages within Telegram's limit, losing no unit", async () => {
    const messages = await reachOf(bigCoordinator);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect((m.plainText ?? "").length).toBeLessThanOrEqual(4096);
    const text = plain(messages);
    for (let i = 1; i <= 240; i++) expect(text).toContain(`BIG-UNIT-${String(i).padStart(3, "0")}`);
    expect(text).toContain("Provinsi Aceh");
    expect(text).toContain("Provinsi Riau");
  });
});
