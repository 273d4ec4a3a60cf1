import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { AppError } from "../../src/domain/errors.js";
import { acceptInvite, createInvite } from "../../src/services/invites.js";

const day = 86_400_000;
const created = new Date("2022-01-03T02:00:00Z");
const user = (id: number) => ({ id, firstName: `User ${id}`, language: "id" });

describe("invites", () => {
  let scratch: ScratchDatabase;
  let db: Prisma;

  beforeAll(async () => {
    scratch = await createScratchDatabase("sqlite");
    await applyMigrations(scratch.url);
    db = openPrisma(scratch.url);
    const region = await db.region.create({ data: { name: "Kota Kendari", timezone: "Asia/Makassar" } });
    await db.unit.create({ data: { regionId: region.id, name: "Kelurahan Lepo-Lepo", code: "KDI-LEPO" } });
    await db.program.create({ data: { name: "Replikasi Sumedang 2024 Kota Kendari" } });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await scratch?.drop();
  });

  const refused = (p: Promise<unknown>) => expect(p).rejects.toSatisfy((e) => e instanceof AppError && e.code === "invite.refused");

  it("gives codes that differ every time and are long enough not to be guessed", async () => {
    const codes = new Set<string>();
    for (let i = 0; i < 20; i++) codes.add((await createInvite(db, { role: "pic", unitCode: "KDI-LEPO", actor: { kind: "system" }, now: created })).code);
    expect(codes.size).toBe(20);
    for (const code of codes) expect(code).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // Only hashes are stored.
    const stored = await db.invite.findMany();
    for (const code of codes) expect(stored.some((s) => s.codeHash === code)).toBe(false);
  });

  it("accepts a code within its validity and refuses it after it expires", async () => {
    const invite = await createInvite(db, { role: "pic", unitCode: "kdi-lepo", days: 7, maxUses: 5, actor: { kind: "system" }, now: created });
    expect(invite.target).toBe("Kelurahan Lepo-Lepo");
    await expect(acceptInvite(db, invite.code, user(1), null, new Date(created.getTime() + 6 * day))).resolves.toMatchObject({
      role: "pic",
      alreadyMember: false,
    });
    await refused(acceptInvite(db, invite.code, user(2), null, new Date(created.getTime() + 7 * day + 1)));
    expect(await db.person.count({ where: { telegramId: 2n } })).toBe(0);
  });

  it("refuses a code once its uses are spent, and does not spend a use on someone already a member", async () => {
    const invite = await createInvite(db, { role: "kepala", unitCode: "KDI-LEPO", maxUses: 1, actor: { kind: "system" }, now: created });
    await acceptInvite(db, invite.code, user(10), null, created);
    await expect(acceptInvite(db, invite.code, user(10), null, created)).resolves.toMatchObject({ alreadyMember: true });
    await refused(acceptInvite(db, invite.code, user(11), null, created));
    expect(await db.membership.count({ where: { role: "kepala" } })).toBe(1);
  });

  it("lets only one of two people racing for the last use in", async () => {
    const invite = await createInvite(db, { role: "pic", unitCode: "KDI-LEPO", maxUses: 1, actor: { kind: "system" }, now: created });
    const results = await Promise.allSettled([acceptInvite(db, invite.code, user(20), null, created), acceptInvite(db, invite.code, user(21), null, created)]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect(await db.membership.count({ where: { person: { telegramId: { in: [20n, 21n] } } } })).toBe(1);
  });

  it("refuses wrong and malformed codes the same way", async () => {
    await refused(acceptInvite(db, "AAAAAAAAAAAAAAAAAAAAAA", user(30), null, created));
    await refused(acceptInvite(db, "x", user(30), null, created));
    await refused(acceptInvite(db, "'; DROP TABLE Invite; --", user(30), null, created));
  });

  it("names the unknown unit or program, and asks which program when there are several", async () => {
    await expect(createInvite(db, { role: "pic", unitCode: "NOPE", actor: { kind: "system" }, now: created })).rejects.toMatchObject({
      code: "invite.unknown_unit",
    });
    await expect(createInvite(db, { role: "koordinator", programName: "Nope", actor: { kind: "system" }, now: created })).rejects.toMatchObject({
      code: "invite.unknown_program",
    });
    const single = await createInvite(db, { role: "koordinator", actor: { kind: "system" }, now: created });
    expect(single.target).toBe("Replikasi Sumedang 2024 Kota Kendari");
    const kipp = await db.program.create({ data: { name: "KIPP 2024" } });
    await expect(createInvite(db, { role: "koordinator", actor: { kind: "system" }, now: created })).rejects.toMatchObject({ code: "invite.choose_program" });
    // A region with no unit in the program would give a coordinator who sees nothing.
    await expect(
      createInvite(db, { role: "koordinator", programName: "KIPP 2024", regionName: "Kota Kendari", actor: { kind: "system" }, now: created }),
    ).rejects.toMatchObject({
      code: "invite.unknown_region",
    });
    const lepo = await db.unit.findUniqueOrThrow({ where: { code: "KDI-LEPO" } });
    await db.initiative.create({ data: { programId: kipp.id, unitId: lepo.id, name: "Bank data kelurahan" } });
    const regional = await createInvite(db, {
      role: "koordinator",
      programName: "KIPP 2024",
      regionName: "Kota Kendari",
      actor: { kind: "system" },
      now: created,
    });
    expect(regional.target).toBe("KIPP 2024 — Kota Kendari");
  });
});
