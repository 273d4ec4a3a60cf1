import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPrisma, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { personActor } from "../../src/services/audit.js";
import { awayStatus, endAway, setAway } from "../../src/services/leave.js";
import { findPerson, type Person } from "../../src/services/people.js";
import { databaseKinds } from "../support/databases.js";

// /cuti from two places at once (two phones, or two bot instances behind a webhook, each on its
// own connection): one leave at a time per person, and /cuti selesai ends the person's leave
// whatever rows a race of before left. On a real database of each kind.

describe.each(await databaseKinds())("leave set from two places at once on %s", (kind) => {
  let scratch: ScratchDatabase;
  /**
   * Two clients, two processes' connections, on PostgreSQL. SQLite's driver waits for another
   * connection's lock synchronously, holding this process still: there both go through one.
   */
  let one: Prisma;
  let two: Prisma;
  let unitId: number;
  const now = new Date("2022-01-05T09:00:00+07:00");
  const zone = "Asia/Jakarta";

  /** A focal point of the unit, as the bot finds them. */
  const focalPoint = async (telegramId: number): Promise<Person> => {
    const row = await one.person.create({ data: { telegramId: BigInt(telegramId), firstName: `Staf ${telegramId}` } });
    await one.membership.create({ data: { personId: row.id, role: "pic", unitId } });
    return (await findPerson(one, telegramId))!;
  };
  const covering = (person: Person, day: string) => one.leave.count({ where: { personId: person.id, firstDay: { lte: day }, lastDay: { gte: day } } });

  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    await applyMigrations(scratch.url);
    one = openPrisma(scratch.url);
    two = kind === "postgresql" ? openPrisma(scratch.url) : one;
    const region = await one.region.create({ data: { name: "Kabupaten Bangka Barat", timezone: zone } });
    unitId = (await one.unit.create({ data: { regionId: region.id, name: "Dinas Pariwisata dan Kebudayaan", code: "BABAR-DISPARBUD" } })).id;
  });
  afterAll(async () => {
    await one?.$disconnect();
    if (two !== one) await two?.$disconnect();
    await scratch?.drop();
  });

  it("when a person declares leave from two places at the same moment, then they have one leave, and /cuti selesai brings them back", async () => {
    const people = await Promise.all([8401, 8402, 8403, 8404, 8405].map(focalPoint));
    const results = await Promise.all(
      people.flatMap((person) => [
        setAway(one, person, "2022-01-08", now, personActor(person, null), zone),
        setAway(two, person, "2022-01-12", now, personActor(person, null), zone),
      ]),
    );
    expect(results.map((r) => r.kind)).toEqual(Array(10).fill("set"));
    for (const person of people) {
      expect(await covering(person, "2022-01-05")).toBe(1);
      // The later of the two presses decides the last day.
      expect((await awayStatus(one, person, now, zone)).lastDay).toMatch(/^2022-01-(08|12)$/);
      expect(await endAway(one, person, now, personActor(person, null), zone)).toBe(true);
      expect(await awayStatus(one, person, now, zone)).toEqual({ today: "2022-01-05", lastDay: null });
    }
  });

  it("when two leaves cover today (left by an earlier race), then /cuti selesai ends both, each in the audit trail", async () => {
    const person = await focalPoint(8410);
    const at = new Date("2022-01-03T09:00:00+07:00");
    await one.leave.createMany({
      data: [
        { personId: person.id, firstDay: "2022-01-03", lastDay: "2022-01-08", createdAt: at, updatedAt: at },
        { personId: person.id, firstDay: "2022-01-03", lastDay: "2022-01-12", createdAt: at, updatedAt: at },
      ],
    });
    expect(await endAway(one, person, now, personActor(person, null), zone)).toBe(true);
    expect(await awayStatus(one, person, now, zone)).toEqual({ today: "2022-01-05", lastDay: null });
    expect(await one.leave.findMany({ where: { personId: person.id }, select: { firstDay: true, lastDay: true }, orderBy: { id: "asc" } })).toEqual([
      { firstDay: "2022-01-03", lastDay: "2022-01-04" },
      { firstDay: "2022-01-03", lastDay: "2022-01-04" },
    ]);
    expect(await one.auditLog.count({ where: { action: "leave.end", actorTelegramId: BigInt(8410) } })).toBe(2);
    expect(await endAway(one, person, now, personActor(person, null), zone)).toBe(false);
  });
});
