import type { Prisma } from "../db/connection.js";
import { daysBetween, localDate, localHour } from "../domain/dates.js";
import { normalize } from "../domain/text.js";
import { audit } from "./audit.js";
import { enqueue, type NewDelivery } from "./outbox.js";
import type { Person } from "./people.js";
import {
  coordinatedProgram,
  coordinatedPrograms,
  coordinatesProgram,
  coordinatesWholeProgram,
  coversProgram,
  programUnits,
  reachFilter,
  unitMembersFilter,
  type CoordinatedProgram,
  type ScopeUnit,
} from "./scope.js";

// Broadcasts and nudges: a coordinator's own messages to the units of their program (only
// their region's units when their membership names one). Everything here returns data; the
// bot layer words it.

type Db = Pick<Prisma, "program" | "unit" | "milestone" | "membership" | "invite" | "progressReport" | "delivery" | "broadcast">;

/** Who a broadcast goes to. `units` are chosen by hand; the others are worked out when sending. */
export type Audience = { kind: "program" } | { kind: "overdue" } | { kind: "silent"; days: number } | { kind: "units"; unitIds: number[] };

/** The "silent for N days" choices offered. */
export const silentDayChoices = [7, 14, 30] as const;

/** A unit of the audience where nobody has opened the bot: its invite is unused, or it has none. */
export interface UnreachedUnit {
  id: number;
  name: string;
  code: string;
  region: string;
  /** An invite for a focal point or head is waiting to be used. */
  invited: boolean;
}

/** What a broadcast to some units would reach. */
export interface AudienceSummary {
  units: number;
  /** People who will get it: focal points and heads of the units, each once, not blocked. */
  people: number;
  /** Units with at least one of those people. */
  unitsReached: number;
  unreached: UnreachedUnit[];
  /** Focal points and heads of the units who blocked the bot (they are not sent to). */
  blocked: number;
  recipientIds: number[];
}

const memberRoles: ("pic" | "kepala")[] = ["pic", "kepala"];

/**
 * The units an audience stands for at `now`, within the coordinator's reach: all of them; those
 * with a step overdue in their region; those with an open step and no report on any of their
 * steps for `days` days; or the chosen ones (units out of reach are dropped).
 */
export async function audienceUnits(db: Db, scope: CoordinatedProgram, audience: Audience, now: Date): Promise<ScopeUnit[]> {
  const units = await programUnits(db, scope);
  if (audience.kind === "program") return units;
  if (audience.kind === "units") {
    const chosen = new Set(audience.unitIds);
    return units.filter((u) => chosen.has(u.id));
  }
  const byId = new Map(units.map((u) => [u.id, u]));
  const open = await db.milestone.findMany({
    where: { status: { not: "done" }, initiative: { programId: scope.id, unitId: { in: [...byId.keys()] } } },
    select: { dueDate: true, initiative: { select: { unitId: true } } },
  });
  if (audience.kind === "overdue") {
    const late = new Set(open.filter((m) => m.dueDate < localDate(now, byId.get(m.initiative.unitId)!.timezone)).map((m) => m.initiative.unitId));
    return units.filter((u) => late.has(u.id));
  }
  const withOpenSteps = new Set(open.map((m) => m.initiative.unitId));
  const reports = await db.progressReport.findMany({
    where: {
      createdAt: { gte: new Date(now.getTime() - audience.days * 86_400_000) },
      undoneAt: null,
      milestone: { initiative: { programId: scope.id, unitId: { in: [...withOpenSteps] } } },
    },
    select: { milestone: { select: { initiative: { select: { unitId: true } } } } },
  });
  const reported = new Set(reports.map((r) => r.milestone.initiative.unitId));
  return units.filter((u) => withOpenSteps.has(u.id) && !reported.has(u.id));
}

/** Units of the list where nobody holds a focal point or head role yet, and whether an invite waits. */
async function unreachedUnits(db: Db, programIds: number[], units: Omit<ScopeUnit, "timezone">[], now: Date): Promise<UnreachedUnit[]> {
  const ids = units.map((u) => u.id);
  const members = await db.membership.findMany({ where: unitMembersFilter(memberRoles, ids, programIds), select: { unitId: true } });
  const joined = new Set(members.map((m) => m.unitId));
  const empty = units.filter((u) => !joined.has(u.id));
  if (empty.length === 0) return [];
  const invites = await db.invite.findMany({
    where: {
      ...unitMembersFilter(
        memberRoles,
        empty.map((u) => u.id),
        programIds,
      ),
      revokedAt: null,
      expiresAt: { gt: now },
    },
    select: { unitId: true, uses: true, maxUses: true },
  });
  const waiting = new Set(invites.filter((i) => i.uses < i.maxUses).map((i) => i.unitId));
  return empty.map((u) => ({ id: u.id, name: u.name, code: u.code, region: u.region, invited: waiting.has(u.id) }));
}

/** Who a broadcast to these units reaches, who it cannot, and who blocked the bot. */
export async function summarizeAudience(db: Db, programId: number, units: ScopeUnit[], now: Date): Promise<AudienceSummary> {
  const members = await db.membership.findMany({
    where: unitMembersFilter(
      memberRoles,
      units.map((u) => u.id),
      [programId],
    ),
    select: { unitId: true, person: { select: { id: true, blockedAt: true } } },
  });
  const reachable = new Set<number>();
  const blocked = new Set<number>();
  const reachedUnits = new Set<number>();
  for (const m of members) {
    if (m.person.blockedAt) {
      blocked.add(m.person.id);
      continue;
    }
    reachable.add(m.person.id);
    reachedUnits.add(m.unitId!);
  }
  return {
    units: units.length,
    people: reachable.size,
    unitsReached: reachedUnits.size,
    unreached: await unreachedUnits(db, [programId], units, now),
    blocked: [...blocked].filter((id) => !reachable.has(id)).length,
    recipientIds: [...reachable].sort((a, b) => a - b),
  };
}

/** A composed broadcast: text (or a caption) and at most one file. */
export interface BroadcastDraft {
  programId: number;
  text: string;
  photoFileId: string | null;
  documentId: string | null;
  audience: Audience;
}

/** What the Broadcast row's `audience` JSON holds. */
interface StoredAudience {
  kind: Audience["kind"];
  silentDays?: number;
  /** The units it was sent to, as resolved when it was sent. */
  unitIds: number[];
  /** Focal points and heads of those units known to have blocked the bot, not sent to. */
  blockedBefore: number;
}

export type CreatedBroadcast = { ok: true; id: number; recipients: number; units: number } | { ok: false; reason: "not_allowed" | "no_recipients" };

const insertChunk = 500;

/**
 * Sends a broadcast: resolves the audience again at this moment, then in one transaction
 * creates the Broadcast ("sending", with its delivery report message) and one outbox row per
 * recipient (`broadcast:<id>:<personId>`, due now). Either all of it is written or nothing.
 */
export async function createBroadcast(
  db: Prisma,
  person: Person,
  draft: BroadcastDraft,
  report: { chatId: number; messageId: number },
  now: Date,
): Promise<CreatedBroadcast> {
  const scope = await coordinatedProgram(db, person, draft.programId);
  if (!scope) return { ok: false, reason: "not_allowed" };
  const units = await audienceUnits(db, scope, draft.audience, now);
  const summary = await summarizeAudience(db, scope.id, units, now);
  if (summary.people === 0) return { ok: false, reason: "no_recipients" };
  const audience: StoredAudience = {
    kind: draft.audience.kind,
    ...(draft.audience.kind === "silent" ? { silentDays: draft.audience.days } : {}),
    unitIds: units.map((u) => u.id),
    blockedBefore: summary.blocked,
  };
  const id = await db.$transaction(async (tx) => {
    const created = await tx.broadcast.create({
      data: {
        programId: scope.id,
        createdById: person.id,
        text: draft.text,
        audience: JSON.stringify(audience),
        photoFileId: draft.photoFileId,
        documentId: draft.documentId,
        status: "sending",
        reportChatId: BigInt(report.chatId),
        reportMessageId: report.messageId,
        createdAt: now,
      },
    });
    const rows = summary.recipientIds.map((personId) => ({
      key: `broadcast:${created.id}:${personId}`,
      kind: "broadcast",
      personId,
      broadcastId: created.id,
      dueAt: now,
    }));
    for (let i = 0; i < rows.length; i += insertChunk) await tx.delivery.createMany({ data: rows.slice(i, i + insertChunk) });
    await audit(tx, `telegram:${person.telegramId}`, "broadcast.create", "broadcast", created.id, {
      audience: audience.kind,
      units: units.length,
      recipients: rows.length,
    });
    return created.id;
  });
  return { ok: true, id, recipients: summary.people, units: units.length };
}

/** May this person stop this broadcast? Its author while still a coordinator of its program, or a coordinator of its whole program. */
function mayManage(person: Person, broadcast: { programId: number; createdById: number }): boolean {
  return (broadcast.createdById === person.id && coordinatesProgram(person, broadcast.programId)) || coordinatesWholeProgram(person, broadcast.programId);
}

/**
 * Stops a broadcast that is still going: it becomes "cancelled" and its rows not yet sent are
 * cancelled with it, in one transaction (the outbox skips anything of a cancelled broadcast).
 */
export async function cancelBroadcast(db: Prisma, person: Person, broadcastId: number, now: Date): Promise<"cancelled" | "finished" | "not_allowed"> {
  const broadcast = await db.broadcast.findUnique({ where: { id: broadcastId } });
  if (!broadcast || !mayManage(person, broadcast)) return "not_allowed";
  return db.$transaction(async (tx) => {
    const stopped = await tx.broadcast.updateMany({ where: { id: broadcastId, status: "sending" }, data: { status: "cancelled", finishedAt: now } });
    if (stopped.count === 0) return "finished" as const;
    const rows = await tx.delivery.updateMany({ where: { broadcastId, status: "pending" }, data: { status: "cancelled" } });
    await audit(tx, `telegram:${person.telegramId}`, "broadcast.cancel", "broadcast", broadcastId, { notSent: rows.count });
    return "cancelled" as const;
  });
}

/** Where a broadcast stands, for its delivery report. */
export interface BroadcastProgress {
  id: number;
  programName: string;
  status: "draft" | "sending" | "done" | "cancelled";
  text: string;
  media: "photo" | "document" | null;
  /** The author's language: the report is theirs. */
  language: string;
  reportChatId: number | null;
  reportMessageId: number | null;
  recipients: number;
  sent: number;
  failed: number;
  blocked: number;
  pending: number;
  cancelled: number;
  /** Focal points and heads known to have blocked the bot when it was sent (not sent to). */
  blockedBefore: number;
  unreached: UnreachedUnit[];
}

/** The counts of a broadcast's deliveries and the units of its audience nobody opened the bot in. */
export async function broadcastProgress(db: Db, broadcastId: number, now: Date): Promise<BroadcastProgress | null> {
  const b = await db.broadcast.findUnique({ where: { id: broadcastId }, include: { program: true, createdBy: true } });
  if (!b) return null;
  const audience = JSON.parse(b.audience) as Partial<StoredAudience>;
  const counts = new Map<string, number>();
  const rows = await db.delivery.groupBy({ by: ["status"], where: { broadcastId }, _count: { _all: true } });
  for (const row of rows) counts.set(row.status, row._count._all);
  const units = await db.unit.findMany({ where: { id: { in: audience.unitIds ?? [] } }, include: { region: true } });
  const unreached = await unreachedUnits(
    db,
    [b.programId],
    units
      .map((u) => ({ id: u.id, code: u.code, name: u.name, region: u.region.name }))
      .sort((a, c) => a.region.localeCompare(c.region) || a.name.localeCompare(c.name)),
    now,
  );
  return {
    id: b.id,
    programName: b.program.name,
    status: b.status as BroadcastProgress["status"],
    text: b.text,
    media: b.photoFileId ? "photo" : b.documentId ? "document" : null,
    language: b.createdBy.language,
    reportChatId: b.reportChatId === null ? null : Number(b.reportChatId),
    reportMessageId: b.reportMessageId,
    recipients: [...counts.values()].reduce((s, n) => s + n, 0),
    sent: counts.get("sent") ?? 0,
    failed: counts.get("failed") ?? 0,
    blocked: counts.get("blocked") ?? 0,
    pending: counts.get("pending") ?? 0,
    cancelled: counts.get("cancelled") ?? 0,
    blockedBefore: audience.blockedBefore ?? 0,
    unreached,
  };
}

/** Whether a broadcast has been cancelled (checked right before each of its messages goes out). */
export async function isBroadcastCancelled(db: Db, broadcastId: number): Promise<boolean> {
  return (await db.broadcast.findUnique({ where: { id: broadcastId }, select: { status: true } }))?.status === "cancelled";
}

// ---------------------------------------------------------------------------------------------
// Nudges
// ---------------------------------------------------------------------------------------------

/** A unit's steps due within this many days (or overdue) are nudged. */
export const nudgeWindowDays = 14;

export interface NudgeUnit {
  code: string;
  name: string;
  region: string;
}

export interface NudgeStep {
  title: string;
  unit: NudgeUnit;
}

export type NudgeResult =
  | { kind: "empty" }
  | { kind: "not_found"; suggestions: (NudgeUnit | NudgeStep)[] }
  | { kind: "ambiguous"; units: NudgeUnit[]; steps: NudgeStep[] }
  | { kind: "no_focal_point"; unit: NudgeUnit; invited: boolean }
  | { kind: "all_blocked"; unit: NudgeUnit }
  | { kind: "nothing_due"; unit: NudgeUnit }
  | { kind: "step_done"; step: NudgeStep }
  | {
      kind: "queued";
      target: { type: "unit"; unit: NudgeUnit } | { type: "step"; step: NudgeStep };
      /** New this time: people and steps nudged (0 when all of it was already nudged this hour). */
      people: number;
      steps: number;
    };

interface StepRow {
  id: number;
  programId: number;
  title: string;
  dueDate: string;
  status: string;
  unit: ScopeUnit;
}

const asUnit = (u: ScopeUnit): NudgeUnit => ({ code: u.code, name: u.name, region: u.region });
const asStep = (s: StepRow): NudgeStep => ({ title: s.title, unit: asUnit(s.unit) });
const listCap = 8;
/** Words in so many unit names and step titles that sharing them suggests nothing. */
const commonWords = new Set(["dinas", "badan", "bagian", "kantor", "unit", "kabupaten", "kota", "provinsi", "tahapan", "penyusunan", "replikasi"]);

/** "2022-01-11T09": the local date and hour of `now` in a time zone, for the nudge key. */
function hourKey(now: Date, tz: string): string {
  return `${localDate(now, tz)}T${String(localHour(now, tz)).padStart(2, "0")}`;
}

/**
 * Nudges now, as a coordinator asks: `query` is a unit code, a unit name, a step title, or a
 * unit code followed by a step title, within the coordinator's programs and regions. For a unit,
 * every focal point gets its open steps overdue or due within `nudgeWindowDays` days; for a
 * step, that step. One outbox row per step and focal point, keyed by the local hour, so asking
 * twice within the hour nudges nobody twice (the outbox merges a person's steps into one message).
 */
export async function nudge(db: Prisma, person: Person, query: string, now: Date): Promise<NudgeResult> {
  const q = normalize(query);
  if (!q) return { kind: "empty" };
  const scopes = await coordinatedPrograms(db, person);
  const units = new Map<number, ScopeUnit>();
  for (const scope of scopes) for (const u of await programUnits(db, scope)) units.set(u.id, u);
  const steps: StepRow[] = [];
  for (const scope of scopes) {
    const rows = await db.milestone.findMany({
      where: {
        initiative: { programId: scope.id, unitId: { in: [...units.keys()] }, ...(scope.regionIds ? { unit: reachFilter(scope) } : {}) },
      },
      select: { id: true, title: true, dueDate: true, status: true, initiative: { select: { unitId: true } } },
      orderBy: [{ dueDate: "asc" }, { position: "asc" }],
    });
    steps.push(
      ...rows.map((r) => ({ id: r.id, programId: scope.id, title: r.title, dueDate: r.dueDate, status: r.status, unit: units.get(r.initiative.unitId)! })),
    );
  }
  const all = [...units.values()];

  // "<UNIT-CODE>" or "<UNIT-CODE> <step title>"
  const [first, ...rest] = q.split(" ");
  const coded = all.find((u) => u.code.toLowerCase() === first);
  if (coded && rest.length === 0) return nudgeUnit(db, coded, steps, now);
  if (coded) {
    const title = rest.join(" ");
    const own = steps.filter((s) => s.unit.id === coded.id);
    const exact = own.filter((s) => normalize(s.title) === title);
    const found = exact.length ? exact : own.filter((s) => normalize(s.title).includes(title));
    if (found.length === 1) return nudgeStep(db, found[0]!, now);
    if (found.length > 1) return { kind: "ambiguous", units: [], steps: found.slice(0, listCap).map(asStep) };
    return {
      kind: "not_found",
      suggestions: own
        .filter((s) => s.status !== "done")
        .slice(0, 5)
        .map(asStep),
    };
  }

  const unitsNamed = all.filter((u) => normalize(u.name) === q);
  if (unitsNamed.length === 1) return nudgeUnit(db, unitsNamed[0]!, steps, now);
  if (unitsNamed.length > 1) return { kind: "ambiguous", units: unitsNamed.slice(0, listCap).map(asUnit), steps: [] };
  const stepsNamed = steps.filter((s) => normalize(s.title) === q);
  if (stepsNamed.length === 1) return nudgeStep(db, stepsNamed[0]!, now);
  if (stepsNamed.length > 1) return { kind: "ambiguous", units: [], steps: stepsNamed.slice(0, listCap).map(asStep) };

  const unitsLike = all.filter((u) => normalize(u.name).includes(q));
  const stepsLike = steps.filter((s) => s.status !== "done" && normalize(s.title).includes(q));
  if (unitsLike.length + stepsLike.length === 1) return unitsLike[0] ? nudgeUnit(db, unitsLike[0], steps, now) : nudgeStep(db, stepsLike[0]!, now);
  if (unitsLike.length + stepsLike.length > 1) {
    return {
      kind: "ambiguous",
      units: unitsLike.slice(0, listCap).map(asUnit),
      steps: stepsLike.slice(0, Math.max(0, listCap - unitsLike.length)).map(asStep),
    };
  }

  // Nothing: offer what shares a telling word with the query ("dinas" tells nothing).
  const words = q.split(" ").filter((w) => w.length >= 4 && !commonWords.has(w));
  const shares = (text: string) => words.some((w) => normalize(text).includes(w));
  const suggestions: (NudgeUnit | NudgeStep)[] = [
    ...all.filter((u) => shares(u.name) || shares(u.code)).map(asUnit),
    ...steps.filter((s) => s.status !== "done" && shares(s.title)).map(asStep),
  ];
  return { kind: "not_found", suggestions: suggestions.slice(0, 5) };
}

/** The unit's focal points for the steps' programs who can be written to, or why there are none. */
async function focalPoints(db: Prisma, unit: ScopeUnit, steps: StepRow[], now: Date) {
  const programIds = [...new Set(steps.map((s) => s.programId))];
  const members = await db.membership.findMany({
    where: unitMembersFilter(["pic"], [unit.id], programIds),
    select: { programId: true, person: { select: { id: true, blockedAt: true } } },
  });
  if (members.length === 0) {
    const [waiting] = await unreachedUnits(db, programIds, [unit], now);
    return { kind: "no_focal_point" as const, unit: asUnit(unit), invited: waiting?.invited ?? false };
  }
  const reachable = members.filter((m) => !m.person.blockedAt).map((m) => ({ personId: m.person.id, programId: m.programId }));
  if (reachable.length === 0) return { kind: "all_blocked" as const, unit: asUnit(unit) };
  return reachable;
}

async function nudgeUnit(db: Prisma, unit: ScopeUnit, steps: StepRow[], now: Date): Promise<NudgeResult> {
  const today = localDate(now, unit.timezone);
  const due = steps.filter((s) => s.unit.id === unit.id && s.status !== "done" && daysBetween(today, s.dueDate) <= nudgeWindowDays);
  const people = await focalPoints(db, unit, due.length ? due : steps.filter((s) => s.unit.id === unit.id), now);
  if (!Array.isArray(people)) return people;
  if (due.length === 0) return { kind: "nothing_due", unit: asUnit(unit) };
  const queued = await queueNudges(db, due, people, now);
  return { kind: "queued", target: { type: "unit", unit: asUnit(unit) }, ...queued };
}

async function nudgeStep(db: Prisma, step: StepRow, now: Date): Promise<NudgeResult> {
  if (step.status === "done") return { kind: "step_done", step: asStep(step) };
  const people = await focalPoints(db, step.unit, [step], now);
  if (!Array.isArray(people)) return people;
  const queued = await queueNudges(db, [step], people, now);
  return { kind: "queued", target: { type: "step", step: asStep(step) }, ...queued };
}

/** One row per step and focal point of its program (a focal point invited for another program of the unit is not nudged). */
async function queueNudges(
  db: Prisma,
  steps: StepRow[],
  people: { personId: number; programId: number | null }[],
  now: Date,
): Promise<{ people: number; steps: number }> {
  const rows: NewDelivery[] = steps.flatMap((s) =>
    [...new Set(people.filter((p) => coversProgram(p, s.programId)).map((p) => p.personId))].map((personId) => ({
      key: `nudge:${s.id}:${personId}:${hourKey(now, s.unit.timezone)}`,
      kind: "nudge" as const,
      personId,
      milestoneId: s.id,
      dueAt: now,
    })),
  );
  const known = new Set((await db.delivery.findMany({ where: { key: { in: rows.map((r) => r.key) } }, select: { key: true } })).map((r) => r.key));
  const fresh = rows.filter((r) => !known.has(r.key));
  if (fresh.length) await enqueue(db, fresh);
  return { people: new Set(fresh.map((r) => r.personId)).size, steps: new Set(fresh.map((r) => r.milestoneId)).size };
}
