import type { Prisma } from "../db/connection.js";
import { localDate } from "../domain/dates.js";
import { silenceStart, silentUnits } from "../domain/digest-plan.js";
import { cancelPending, deliveryCounts, enqueueBroadcast } from "../outbox/index.js";
import { audit, type AuditActor } from "./audit.js";
import type { Person } from "./people.js";
import {
  coordinatedProgram,
  coordinatesProgram,
  coordinatesWholeProgram,
  programUnits,
  unitMembersFilter,
  type CoordinatedProgram,
  type ScopeUnit,
} from "./scope.js";

// Broadcasts: a coordinator's own message to the units of their program (only their region's
// units when their membership names one), its audience, its sending through the outbox, its
// cancel and its delivery report's data. Everything here returns data; the bot layer words it.

type Db = Pick<Prisma, "program" | "unit" | "milestone" | "membership" | "invite" | "progressReport" | "delivery" | "broadcast" | "person">;

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
      createdAt: { gte: silenceStart(now, audience.days) },
      undoneAt: null,
      milestone: { initiative: { programId: scope.id, unitId: { in: [...withOpenSteps] } } },
    },
    select: { createdAt: true, milestone: { select: { initiative: { select: { unitId: true } } } } },
  });
  const lastReport = new Map<number, Date>();
  for (const r of reports) {
    const unitId = r.milestone.initiative.unitId;
    const known = lastReport.get(unitId);
    if (!known || r.createdAt > known) lastReport.set(unitId, r.createdAt);
  }
  return silentUnits(units, withOpenSteps, lastReport, now, audience.days);
}

/** Units of the list where nobody holds a focal point or head role yet, and whether an invite waits. */
export async function unreachedUnits(db: Db, programIds: number[], units: Omit<ScopeUnit, "timezone">[], now: Date): Promise<UnreachedUnit[]> {
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

/** The focal points and heads of some units for a program (each person once, by the Person filter). */
const audienceMembers = (programId: number, units: { id: number }[]) =>
  unitMembersFilter(
    memberRoles,
    units.map((u) => u.id),
    [programId],
  );

/** Who a broadcast to these units reaches, who it cannot, and who blocked the bot: counted in the database. */
export async function summarizeAudience(db: Db, programId: number, units: ScopeUnit[], now: Date): Promise<AudienceSummary> {
  const members = audienceMembers(programId, units);
  const [people, blocked, unitsReached] = await Promise.all([
    db.person.count({ where: { blockedAt: null, memberships: { some: members } } }),
    db.person.count({ where: { blockedAt: { not: null }, memberships: { some: members } } }),
    db.unit.count({ where: { id: { in: units.map((u) => u.id) }, memberships: { some: { ...members, person: { blockedAt: null } } } } }),
  ]);
  return { units: units.length, people, unitsReached, unreached: await unreachedUnits(db, [programId], units, now), blocked };
}

/** Recipients of a broadcast a page at a time, by id: focal points and heads of the units, not blocked. */
async function* recipientPages(db: Pick<Prisma, "person">, programId: number, units: ScopeUnit[]): AsyncGenerator<number[]> {
  const members = audienceMembers(programId, units);
  for (let after = 0; ;) {
    const page = await db.person.findMany({
      where: { id: { gt: after }, blockedAt: null, memberships: { some: members } },
      select: { id: true },
      orderBy: { id: "asc" },
      take: recipientPage,
    });
    if (page.length === 0) return;
    yield page.map((p) => p.id);
    after = page.at(-1)!.id;
  }
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

/** Rolls a broadcast's transaction back when nobody is left to send it to. */
class NoRecipients extends Error {}

/** Recipients read and put into the outbox at a time: a broadcast to thousands never sits in memory whole. */
const recipientPage = 1000;

/**
 * Sends a broadcast: resolves the audience again at this moment, then in one transaction
 * creates the Broadcast ("sending", with its delivery report message) and one outbox row per
 * recipient (`broadcast:<id>:<personId>`, due now), a page of recipients at a time. Either all
 * of it is written or nothing.
 */
export async function createBroadcast(
  db: Prisma,
  person: Person,
  draft: BroadcastDraft,
  report: { chatId: number; messageId: number },
  now: Date,
  actor: AuditActor,
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
  const created = await db
    .$transaction(async (tx) => {
      const broadcast = await tx.broadcast.create({
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
      let recipients = 0;
      for await (const page of recipientPages(tx, scope.id, units)) {
        recipients += await enqueueBroadcast(tx, broadcast.id, page);
      }
      // Everyone blocked the bot or left since they were counted: nothing is written.
      if (recipients === 0) throw new NoRecipients();
      await audit(tx, {
        actor,
        action: "broadcast.create",
        entity: "broadcast",
        entityId: broadcast.id,
        targetName: scope.name,
        programId: scope.id,
        regionId: scope.regionIds?.length === 1 ? scope.regionIds[0] : null,
        detail: { audience: audience.kind, units: units.length, recipients, text: draft.text.slice(0, 200) },
        at: now,
      });
      return { id: broadcast.id, recipients };
    })
    .catch((err: unknown) => (err instanceof NoRecipients ? null : Promise.reject(err)));
  if (!created) return { ok: false, reason: "no_recipients" };
  return { ok: true, id: created.id, recipients: created.recipients, units: units.length };
}

/** May this person stop this broadcast? Its author while still a coordinator of its program, or a coordinator of its whole program. */
function mayManage(person: Person, broadcast: { programId: number; createdById: number }): boolean {
  return (broadcast.createdById === person.id && coordinatesProgram(person, broadcast.programId)) || coordinatesWholeProgram(person, broadcast.programId);
}

/**
 * Stops a broadcast that is still going: it becomes "cancelled" and its rows not yet sent are
 * cancelled with it, in one transaction (the outbox skips anything of a cancelled broadcast).
 */
export async function cancelBroadcast(
  db: Prisma,
  person: Person,
  broadcastId: number,
  now: Date,
  actor: AuditActor,
): Promise<"cancelled" | "finished" | "not_allowed"> {
  const broadcast = await db.broadcast.findUnique({ where: { id: broadcastId } });
  if (!broadcast || !mayManage(person, broadcast)) return "not_allowed";
  return db.$transaction(async (tx) => {
    const stopped = await tx.broadcast.updateMany({ where: { id: broadcastId, status: "sending" }, data: { status: "cancelled", finishedAt: now } });
    if (stopped.count === 0) return "finished" as const;
    const notSent = await cancelPending(tx, { broadcastId });
    // Filed where its creation was: the same program, region and name.
    const created = await tx.auditLog.findFirst({
      where: { action: "broadcast.create", entity: "broadcast", entityId: String(broadcastId) },
      select: { targetName: true, regionId: true },
    });
    await audit(tx, {
      actor,
      action: "broadcast.cancel",
      entity: "broadcast",
      entityId: broadcastId,
      targetName: created?.targetName ?? null,
      programId: broadcast.programId,
      regionId: created?.regionId ?? null,
      before: { status: "sending" },
      after: { status: "cancelled" },
      detail: { notSent },
      at: now,
    });
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
  const counts = await deliveryCounts(db, broadcastId);
  const units = await db.unit.findMany({ where: { id: { in: audience.unitIds ?? [] } }, include: { region: true } });
  const unreached = await unreachedUnits(
    db,
    [b.programId],
    units
      .map((u) => ({ id: u.id, code: u.code, name: u.name, regionId: u.regionId, region: u.region.name }))
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
    recipients: counts.total,
    sent: counts.sent,
    failed: counts.failed,
    blocked: counts.blocked,
    pending: counts.pending,
    cancelled: counts.cancelled,
    blockedBefore: audience.blockedBefore ?? 0,
    unreached,
  };
}
