// Section 2: one reminder pass over a realistic action-plan year: 50 regions in the three
// Indonesian time zones, 2,000 units, 10,000 focal points, 5,000 initiatives, 100,000 steps.
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { openPrisma, type DatabaseKind, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { favourSmallHeap } from "../../src/heap.js";
import { withScratchDatabase } from "./scratch.js";
import { addDays, daysBetween } from "../../src/domain/dates.js";
import type { OutboxSender } from "../../src/outbox/index.js";
import { candidateWindow, planPass, runReminderPass, type PassPlan, type PassResult } from "../../src/services/reminders.js";
import { MemoryPeak, timed } from "./report.js";

export interface ReminderBenchOptions {
  kind: DatabaseKind;
  milestones: number;
  /** Runs of the dry pass and of the raw query; the median is reported. */
  repeats: number;
}

export interface Scenario {
  name: string;
  now: Date;
  dryMs: number[];
  rawMs: number[];
  rawRows: number;
  realMs: number;
  planned: number;
  escalations: number;
  real: PassResult & { messages: number };
}

export interface ReminderFigures {
  kind: DatabaseKind;
  counts: Record<string, number>;
  seedMs: number;
  window: { from: string; to: string };
  plan: string[];
  scenarios: Scenario[];
  memory: { rss: number; heapUsed: number };
  memoryPhases: { name: string; rss: number; heapUsed: number }[];
}

/** The pass moment: Wednesday 15 June 2022, 09:00 WIB, 10:00 WITA, 11:00 WIT. */
export const passMoment = new Date("2022-06-15T02:00:00Z");

/** 22:00 WIB, 23:00 WITA, 00:00 WIT the night before: quiet hours everywhere. */
const quietNightBefore = new Date("2022-06-14T15:00:00Z");

/** A small deterministic generator, so that every run seeds the same data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const zones: [label: string, tz: string, regions: number][] = [
  ["WIB", "Asia/Jakarta", 27],
  ["WIB", "Asia/Pontianak", 3],
  ["WITA", "Asia/Makassar", 12],
  ["WIT", "Asia/Jayapura", 8],
];
const unitsPerRegion = 40;
const picsPerUnit = 5;
const stepsPerInitiative = 20;
const stepNames = [
  "Pembentukan tim",
  "Penyusunan SK",
  "Studi tiru",
  "Penyusunan SOP",
  "Sosialisasi internal",
  "Pengadaan perangkat",
  "Pengembangan aplikasi",
  "Uji coba",
  "Pelatihan petugas",
  "Sosialisasi publik",
  "Peluncuran",
  "Monitoring I",
  "Evaluasi I",
  "Perbaikan layanan",
  "Monitoring II",
  "Evaluasi II",
  "Penyusunan laporan",
  "Dokumentasi",
  "Replikasi ke UPT",
  "Laporan akhir",
];

async function createInChunks<T>(rows: T[], size: number, insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function seedActionPlanYear(db: Prisma, milestones: number): Promise<Record<string, number>> {
  const random = mulberry32(20220615);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(random() * (hi - lo + 1));
  const today = "2022-06-15";

  const program = await db.program.create({ data: { name: "Replikasi Inovasi Daerah 2022" } });
  const regionRows = zones.flatMap(([label, tz, n]) =>
    Array.from({ length: n }, (_, i) => ({ name: `Kabupaten ${label}-${tz.slice(5)}-${i + 1}`, timezone: tz })),
  );
  await db.region.createMany({ data: regionRows });
  const regions = await db.region.findMany({ orderBy: { id: "asc" } });
  await createInChunks(
    regions.flatMap((r, ri) =>
      Array.from({ length: unitsPerRegion }, (_, u) => ({ regionId: r.id, name: `Dinas ${u + 1} ${r.name}`, code: `R${ri + 1}-U${u + 1}` })),
    ),
    2000,
    (data) => db.unit.createMany({ data }),
  );
  const units = await db.unit.findMany({ orderBy: { id: "asc" }, select: { id: true, regionId: true } });

  // People: five focal points and one head per unit, coordinators for the program and per region.
  let telegramId = 1_000_000;
  const personRows = [
    ...units.flatMap((u) =>
      Array.from({ length: picsPerUnit + 1 }, (_, k) => ({
        telegramId: BigInt(++telegramId),
        firstName: `${k < picsPerUnit ? "PIC" : "Kepala"} ${u.id}-${k}`,
        startedAt: new Date("2022-01-05T02:00:00Z"),
      })),
    ),
    ...Array.from({ length: 3 + regions.length }, (_, k) => ({ telegramId: BigInt(++telegramId), firstName: `Koordinator ${k}` })),
  ];
  // About one focal point in a hundred has blocked the bot.
  for (const p of personRows) if (random() < 0.01) Object.assign(p, { blockedAt: new Date("2022-05-01T00:00:00Z") });
  await createInChunks(personRows, 2000, (data) => db.person.createMany({ data }));
  const persons = await db.person.findMany({ orderBy: { telegramId: "asc" }, select: { id: true } });
  const memberships: { personId: number; role: string; unitId?: number; programId?: number; regionId?: number }[] = [];
  const picsOf = new Map<number, number[]>();
  let p = 0;
  for (const u of units) {
    const pics: number[] = [];
    for (let k = 0; k < picsPerUnit; k++) {
      pics.push(persons[p]!.id);
      memberships.push({ personId: persons[p++]!.id, role: "pic", unitId: u.id });
    }
    picsOf.set(u.id, pics);
    memberships.push({ personId: persons[p++]!.id, role: "kepala", unitId: u.id });
  }
  for (let k = 0; k < 3; k++) memberships.push({ personId: persons[p++]!.id, role: "koordinator", programId: program.id });
  for (const r of regions) memberships.push({ personId: persons[p++]!.id, role: "koordinator", programId: program.id, regionId: r.id });
  // Seats taken when the people started, as an invite accepted then dates them (escalations owed
  // before a seat was taken are summarised, not sent step by step).
  const seatedAt = new Date("2022-01-05T02:00:00Z");
  await createInChunks(memberships, 2000, (data) => db.membership.createMany({ data: data.map((m) => ({ ...m, createdAt: seatedAt })) }));

  // Initiatives: two or three per unit, 2.5 on average.
  const initiativeCount = Math.round(milestones / stepsPerInitiative);
  const initiativeRows = Array.from({ length: initiativeCount }, (_, i) => ({
    programId: program.id,
    unitId: units[i % units.length]!.id,
    name: `Inovasi ${i + 1}`,
    origin: random() < 0.7 ? `Kabupaten Asal ${between(1, 200)}` : null,
  }));
  await createInChunks(initiativeRows, 2000, (data) => db.initiative.createMany({ data }));
  const initiatives = await db.initiative.findMany({ orderBy: { id: "asc" }, select: { id: true, unitId: true } });

  // Steps spread over the budget year, in plan order; the past mostly done, the future mostly not started.
  const at = (date: string, hourUtc: number) => new Date(`${date}T${String(hourUtc).padStart(2, "0")}:00:00Z`);
  const milestoneRows = initiatives.flatMap((initiative) => {
    const start = addDays("2022-01-10", between(0, 60));
    const span = daysBetween(start, addDays("2022-11-01", between(0, 45)));
    return Array.from({ length: stepsPerInitiative }, (_, k) => {
      const dueDate = addDays(start, Math.round((span * k) / (stepsPerInitiative - 1)) + between(-3, 3));
      const daysLeft = daysBetween(today, dueDate);
      const r = random();
      const [doneShare, progressShare, blockedShare] = daysLeft < 0 ? [0.7, 0.82, 0.85] : daysLeft <= 30 ? [0.15, 0.5, 0.52] : [0.03, 0.15, 0.15];
      let status = "not_started";
      let progress = 0;
      let lastReportAt: Date | null = null;
      if (r < doneShare) {
        status = "done";
        progress = 100;
        const reported = addDays(dueDate, -between(0, 5));
        lastReportAt = at(reported < today ? reported : addDays(today, -1), 3);
      } else if (r < progressShare) {
        status = "in_progress";
        progress = between(1, 9) * 10;
        lastReportAt = at(addDays(today, -between(1, 40)), between(1, 9));
      } else if (r < blockedShare) {
        status = "blocked";
        progress = between(1, 5) * 10;
        lastReportAt = at(addDays(today, -between(1, 40)), between(1, 9));
      }
      return {
        initiativeId: initiative.id,
        title: `${k + 1}. ${stepNames[k % stepNames.length]}`,
        dueDate,
        weight: pick([1, 1, 1, 2, 3]),
        position: k,
        progress,
        status,
        lastReportAt,
      };
    });
  });
  await createInChunks(milestoneRows, 2000, (data) => db.milestone.createMany({ data }));

  // One report behind every step that has progress, by one of its unit's focal points.
  const unitOf = new Map(initiatives.map((i) => [i.id, i.unitId]));
  const reported = await db.milestone.findMany({
    where: { lastReportAt: { not: null } },
    select: { id: true, initiativeId: true, progress: true, status: true, lastReportAt: true },
  });
  await createInChunks(
    reported.map((m) => ({
      milestoneId: m.id,
      personId: pick(picsOf.get(unitOf.get(m.initiativeId)!)!),
      percent: m.progress,
      status: m.status,
      note: m.status === "blocked" ? "terkendala anggaran" : null,
      source: "flow",
      createdAt: m.lastReportAt!,
    })),
    2000,
    (data) => db.progressReport.createMany({ data }),
  );

  const byStatus = await db.milestone.groupBy({ by: ["status"], _count: { _all: true } });
  return {
    regions: regions.length,
    units: units.length,
    people: personRows.length,
    "focal points": units.length * picsPerUnit,
    blocked: personRows.filter((r) => "blockedAt" in r).length,
    initiatives: initiatives.length,
    milestones: milestoneRows.length,
    ...Object.fromEntries(byStatus.map((s) => [`  ${s.status}`, s._count._all])),
    reports: reported.length,
  };
}

/** The raw query the pass rests on: open steps in the window, with their units. */
function rawQuery(kind: DatabaseKind): string {
  const [a, b] = kind === "postgresql" ? ["$1", "$2"] : ["?", "?"];
  return `SELECT m."id", i."unitId" FROM "Milestone" m JOIN "Initiative" i ON i."id" = m."initiativeId" WHERE m."status" IN ('not_started', 'in_progress', 'blocked') AND m."dueDate" >= ${a} AND m."dueDate" <= ${b}`;
}

async function explain(db: Prisma, kind: DatabaseKind, sql: string, window: { from: string; to: string }): Promise<string[]> {
  if (kind === "postgresql") {
    const rows = await db.$queryRawUnsafe<{ "QUERY PLAN": string }[]>(`EXPLAIN ANALYZE ${sql}`, window.from, window.to);
    return rows.map((r) => r["QUERY PLAN"]);
  }
  const rows = await db.$queryRawUnsafe<{ detail: string }[]>(`EXPLAIN QUERY PLAN ${sql}`, window.from, window.to);
  return rows.map((r) => r.detail);
}

/** One part of a scenario, as a process of its own runs it (see `passesInChildren`). */
type Part = { part: "dry" | "real"; name: string; now: Date };
type DryFigures = Pick<Scenario, "dryMs" | "rawMs" | "rawRows" | "planned" | "escalations">;
type RealFigures = Pick<Scenario, "realMs" | "real">;

/** The dry runs and the raw queries of a scenario: they change nothing. */
async function dryPart(db: Prisma, kind: DatabaseKind, now: Date, repeats: number): Promise<DryFigures> {
  const window = candidateWindow(await db.program.findMany(), now);
  const dry: { ms: number; value: PassPlan }[] = [];
  for (let i = 0; i < repeats; i++) dry.push(await timed(() => planPass(db, now)));
  const raw: { ms: number; value: unknown[] }[] = [];
  for (let i = 0; i < repeats; i++) raw.push(await timed(() => db.$queryRawUnsafe<unknown[]>(rawQuery(kind), window.from, window.to)));
  return {
    dryMs: dry.map((d) => d.ms),
    rawMs: raw.map((r) => r.ms),
    rawRows: raw[0]!.value.length,
    planned: dry[0]!.value.reminders.length,
    escalations: dry[0]!.value.escalations.length,
  };
}

/** The real pass of a scenario, with a sender that sends nothing: planning, the outbox and its bookkeeping, not Telegram. */
async function realPart(db: Prisma, now: Date): Promise<RealFigures> {
  let messages = 0;
  const send: OutboxSender = async (message) => ({ chatId: message.to.telegramId, messageId: ++messages });
  const real = await timed(() => runReminderPass(db, { now, send }));
  return { realMs: real.ms, real: { ...real.value, messages } };
}

export async function runReminderBench(options: ReminderBenchOptions): Promise<ReminderFigures> {
  return withScratchDatabase(options.kind, (scratch) => reminderBenchOn(scratch.url, options));
}

async function reminderBenchOn(url: string, options: ReminderBenchOptions): Promise<ReminderFigures> {
  const memory = new MemoryPeak();
  let db: Prisma | undefined;
  try {
    await applyMigrations(url);
    db = openPrisma(url);
    memory.phase("seeding");
    const seeded = await timed(() => seedActionPlanYear(db!, options.milestones));
    // PostgreSQL's autovacuum would have analysed tables this size by the time a pass runs.
    if (options.kind === "postgresql") await db.$executeRawUnsafe("ANALYZE");
    const window = candidateWindow(await db.program.findMany(), passMoment);
    const plan = await explain(db, options.kind, rawQuery(options.kind), window);
    await db.$disconnect();
    db = undefined;
    const seeding = memory.stop();
    const passes = await passesInChildren(url, options);
    return {
      kind: options.kind,
      counts: seeded.value,
      seedMs: seeded.ms,
      window,
      plan,
      scenarios: passes.scenarios,
      memory: { rss: Math.max(seeding.rss, passes.memory.rss), heapUsed: Math.max(seeding.heapUsed, passes.memory.heapUsed) },
      memoryPhases: [...memory.phases, ...passes.memoryPhases],
    };
  } finally {
    memory.stop();
    await db?.$disconnect().catch(() => undefined);
  }
}

type Passes = Pick<ReminderFigures, "scenarios" | "memory" | "memoryPhases">;

/**
 * The scenarios, each part in a process of its own as `pantau start` runs a pass: seeding a
 * hundred thousand steps leaves a heap V8 is slow to give back, and a dry run holds all a pass
 * owes (the bot never makes one), either of which the real pass's memory figures would otherwise
 * carry. Each scenario runs on the state the previous one left.
 */
async function passesInChildren(url: string, options: ReminderBenchOptions): Promise<Passes> {
  const scenarios: Scenario[] = [];
  const memoryPhases: Passes["memoryPhases"] = [];
  const plan: [string, Date, (() => Promise<unknown>)?][] = [
    ["first pass, empty outbox", passMoment],
    ["next tick, 5 min later", new Date(passMoment.getTime() + 5 * 60_000)],
    // A coordinator changes a rule that changes nothing owed: the program's plan version counts
    // up, so the next tick looks at every one of its steps again (as at a turn of the hours).
    [
      "after a rule change, every step looked at",
      new Date(passMoment.getTime() + 10 * 60_000),
      () => withClient(url, (db) => db.program.updateMany({ data: { silentFromDays: 7 } })),
    ],
    ["next day, same hour", new Date(passMoment.getTime() + 86_400_000)],
  ];
  for (const [name, now, before] of plan) {
    await before?.();
    const dry = await partInChild<DryFigures>(url, options, { part: "dry", name, now });
    const real = await partInChild<RealFigures>(url, options, { part: "real", name, now });
    scenarios.push({ name, now, ...dry.figures, ...real.figures });
    memoryPhases.push(...dry.memoryPhases, ...real.memoryPhases);
  }
  return {
    scenarios,
    memory: { rss: Math.max(...memoryPhases.map((p) => p.rss)), heapUsed: Math.max(...memoryPhases.map((p) => p.heapUsed)) },
    memoryPhases,
  };
}

async function withClient<T>(url: string, fn: (db: Prisma) => Promise<T>): Promise<T> {
  const db = openPrisma(url);
  try {
    return await fn(db);
  } finally {
    await db.$disconnect();
  }
}

type PartOutcome<T> = { figures: T; memoryPhases: Passes["memoryPhases"] };

function partInChild<T>(url: string, options: ReminderBenchOptions, part: Part): Promise<PartOutcome<T>> {
  const child = fork(fileURLToPath(import.meta.url), [], { execArgv: ["--import", "tsx"], serialization: "advanced" });
  return new Promise<PartOutcome<T>>((resolve, reject) => {
    child.once("message", (message: { outcome?: PartOutcome<T>; error?: string }) =>
      message.outcome ? resolve(message.outcome) : reject(new Error(message.error)),
    );
    child.once("exit", (code) => reject(new Error(`the passes' process ended (exit code ${code})`)));
    child.send({ url, options, part });
  });
}

/** One part of a scenario, run where `partInChild` forked this module. */
async function runPart(url: string, options: ReminderBenchOptions, part: Part): Promise<PartOutcome<DryFigures | RealFigures>> {
  const memory = new MemoryPeak();
  try {
    return await withClient(url, async (db) => {
      // Warm, as the process of `pantau start` is after its first minutes: a dry pass in the quiet
      // hours of the night before reads the same steps and owes nothing (so holds little).
      await planPass(db, quietNightBefore);
      memory.phase(`${part.name}: ${part.part === "dry" ? "dry runs, raw queries" : "real pass"}`);
      const figures = part.part === "dry" ? await dryPart(db, options.kind, part.now, options.repeats) : await realPart(db, part.now);
      memory.stop();
      return { figures, memoryPhases: memory.phases };
    });
  } finally {
    memory.stop();
  }
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  // The heap sized as bin/pantau.js sizes it for `pantau start`.
  favourSmallHeap();
  process.once("message", ({ url, options, part }: { url: string; options: ReminderBenchOptions; part: Part }) => {
    runPart(url, options, part).then(
      (outcome) => process.send!({ outcome }, () => process.exit(0)),
      (err: unknown) => process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1)),
    );
  });
}
