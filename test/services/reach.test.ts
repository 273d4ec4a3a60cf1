import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { createInvite, resolveInviteTarget } from "../../src/services/invites.js";
import { findPerson, type Person } from "../../src/services/people.js";
import { reachReport, recordPrivateChatStatus } from "../../src/services/reach.js";

const day = 86_400_000;
const created = new Date("2023-01-02T02:00:00Z");

describe("reach and coordinator invites", () => {
  let scratch: ScratchDatabase;
  let db: Prisma;
  let ids: { sumbar: number; kipp: number; padang: number; agam: number; bukittinggi: number };

  /** A person holding coordinator memberships (program, region or null). */
  const coordinator = async (telegramId: number, ...scopes: [number, number | null][]): Promise<Person> => {
    await db.person.create({
      data: {
        telegramId: BigInt(telegramId),
        firstName: `Koordinator ${telegramId}`,
        memberships: { create: scopes.map(([programId, regionId]) => ({ role: "koordinator", programId, regionId })) },
      },
    });
    return (await findPerson(db, telegramId))!;
  };

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    const sumbar = await db.program.create({ data: { name: "Replikasi 2023 Sumatera Barat" } });
    const kipp = await db.program.create({ data: { name: "KIPP 2023" } });
    const padang = await db.region.create({ data: { name: "Kota Padang", timezone: "Asia/Jakarta" } });
    const agam = await db.region.create({ data: { name: "Kabupaten Agam", timezone: "Asia/Jakarta" } });
    const bukittinggi = await db.region.create({ data: { name: "Kota Bukittinggi", timezone: "Asia/Jakarta" } });
    const units = [
      { region: padang.id, name: "Dinas Kependudukan", code: "PDG-DUKCAPIL" },
      { region: padang.id, name: "Dinas Kesehatan", code: "PDG-DINKES" },
      { region: agam.id, name: "Dinas Kesehatan", code: "AGAM-DINKES" },
      { region: bukittinggi.id, name: "Dinas Pendidikan", code: "BKT-DISDIK" },
    ];
    for (const u of units) {
      const unit = await db.unit.create({ data: { regionId: u.region, name: u.name, code: u.code } });
      await db.initiative.create({ data: { programId: sumbar.id, unitId: unit.id, name: `Inovasi ${u.code}` } });
    }
    const dinkes = await db.unit.findUniqueOrThrow({ where: { code: "PDG-DINKES" } });
    await db.initiative.create({ data: { programId: kipp.id, unitId: dinkes.id, name: "Proposal Dinkes" } });
    ids = { sumbar: sumbar.id, kipp: kipp.id, padang: padang.id, agam: agam.id, bukittinggi: bukittinggi.id };
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  it("resolves units by code, name or part of it, within the coordinator's regions only", async () => {
    const padangOnly = await coordinator(1, [ids.sumbar, ids.padang]);
    expect(await resolveInviteTarget(db, padangOnly, "pdg-dukcapil", "pic")).toMatchObject({ kind: "unit", unit: { code: "PDG-DUKCAPIL" } });
    expect(await resolveInviteTarget(db, padangOnly, "kesehatan", "kepala")).toMatchObject({ kind: "unit", unit: { code: "PDG-DINKES" } });
    expect(await resolveInviteTarget(db, padangOnly, "AGAM-DINKES", "pic")).toMatchObject({ kind: "not_found" });

    const whole = await coordinator(2, [ids.sumbar, null]);
    const both = await resolveInviteTarget(db, whole, "Dinas Kesehatan", "pic");
    expect(both.kind).toBe("ambiguous");
    expect(both.kind === "ambiguous" && both.units.map((u) => u.code).sort()).toEqual(["AGAM-DINKES", "PDG-DINKES"]);
    const near = await resolveInviteTarget(db, whole, "Dinas Kesehatan Hewan", "pic");
    expect(near.kind === "not_found" && near.suggestions.map((u) => u.code).sort()).toEqual(["AGAM-DINKES", "PDG-DINKES"]);
    expect(await resolveInviteTarget(db, await coordinator(3), "PDG-DINKES", "pic")).toEqual({ kind: "no_program" });
  });

  it("keeps coordinator invites within the inviter's program and regions", async () => {
    const twoRegions = await coordinator(10, [ids.sumbar, ids.padang], [ids.sumbar, ids.agam]);
    expect(await resolveInviteTarget(db, twoRegions, "", "koordinator")).toEqual({ kind: "choose_region", regions: ["Kabupaten Agam", "Kota Padang"] });
    expect(await resolveInviteTarget(db, twoRegions, "agam", "koordinator")).toMatchObject({ kind: "program", region: "Kabupaten Agam" });
    expect(await resolveInviteTarget(db, twoRegions, "PDG-DUKCAPIL", "koordinator")).toMatchObject({ kind: "program", region: "Kota Padang" });
    expect((await resolveInviteTarget(db, twoRegions, "Bukittinggi", "koordinator")).kind).toBe("not_found");

    const both = await coordinator(11, [ids.sumbar, null], [ids.kipp, null]);
    expect(await resolveInviteTarget(db, both, "", "koordinator")).toEqual({
      kind: "choose_program",
      programs: ["KIPP 2023", "Replikasi 2023 Sumatera Barat"],
    });
    expect(await resolveInviteTarget(db, both, "kipp", "koordinator")).toMatchObject({ kind: "program", program: "KIPP 2023", region: null });
    // A unit in both programs does not say which.
    expect((await resolveInviteTarget(db, both, "PDG-DINKES", "koordinator")).kind).toBe("choose_program");
    expect(await resolveInviteTarget(db, both, "BKT-DISDIK", "koordinator")).toMatchObject({ program: "Replikasi 2023 Sumatera Barat", region: null });
  });

  it("reports units without a focal point, idle invites and blocked members, by region", async () => {
    const whole = await coordinator(20, [ids.sumbar, null]);
    const invite = (unitCode: string, now = created) => createInvite(db, { role: "pic", unitCode, actor: { kind: "system" }, now });
    await invite("PDG-DUKCAPIL");
    await invite("AGAM-DINKES", new Date(created.getTime() - 30 * day));
    await invite("PDG-DINKES", new Date(created.getTime() - 30 * day));
    const revoked = await invite("BKT-DISDIK");
    await db.invite.update({ where: { id: revoked.id }, data: { revokedAt: created } });
    // PDG-DINKES got its focal point another way; she then blocked the bot.
    const dinkes = await db.unit.findUniqueOrThrow({ where: { code: "PDG-DINKES" } });
    await db.person.create({
      data: { telegramId: 30n, firstName: "Rina", username: "rina", memberships: { create: { role: "pic", unitId: dinkes.id } } },
    });
    await recordPrivateChatStatus(db, 30, "kicked", created);
    await recordPrivateChatStatus(db, 30, "kicked", new Date(created.getTime() + day));
    await recordPrivateChatStatus(db, 99, "kicked", created); // unknown to Pantau: nothing happens

    const [report] = (await reachReport(db, whole, created)).filter((p) => p.name === "Replikasi 2023 Sumatera Barat");
    expect(report!.multiRegion).toBe(true);
    expect(report!.regions.map((r) => r.region)).toEqual(["Kabupaten Agam", "Kota Bukittinggi", "Kota Padang"]);
    const [agam, bukittinggi, padang] = report!.regions;
    expect(agam!.unitsWithoutFocalPoint.map((u) => u.code)).toEqual(["AGAM-DINKES"]);
    expect(agam!.expiredInvites.map((i) => i.unitCode)).toEqual(["AGAM-DINKES"]);
    expect(bukittinggi!.pendingInvites).toEqual([]);
    expect(padang!.unitsWithoutFocalPoint.map((u) => u.code)).toEqual(["PDG-DUKCAPIL"]);
    expect(padang!.pendingInvites.map((i) => i.unitCode)).toEqual(["PDG-DUKCAPIL"]);
    expect(padang!.expiredInvites).toEqual([]);
    expect(padang!.blocked).toEqual([expect.objectContaining({ name: "Rina (@rina)", role: "pic", where: "Dinas Kesehatan", since: created })]);

    const padangOnly = await coordinator(21, [ids.sumbar, ids.padang]);
    const [own] = (await reachReport(db, padangOnly, created)).filter((p) => p.name === "Replikasi 2023 Sumatera Barat");
    expect(own!.multiRegion).toBe(false);
    expect(own!.regions.map((r) => r.region)).toEqual(["Kota Padang"]);

    await recordPrivateChatStatus(db, 30, "member", created);
    const [after] = await reachReport(db, padangOnly, created);
    expect(after!.regions.flatMap((r) => r.blocked)).toEqual([]);
  });
});
