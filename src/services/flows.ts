import { randomBytes } from "node:crypto";
import type { Prisma } from "../db/connection.js";

/** How long an abandoned flow stays alive. */
const flowLifetimeMs = 24 * 3_600_000;

export interface Flow<S> {
  kind: string;
  state: S;
  /** Changes at every step; buttons carry it so stale or forged presses are refused. */
  token: string;
}

/** The person's live flow, or null when none (or it expired). */
export async function getFlow<S>(db: Prisma, personId: number, now: Date): Promise<Flow<S> | null> {
  const row = await db.chatFlow.findUnique({ where: { personId } });
  if (!row) return null;
  if (row.expiresAt <= now) {
    await db.chatFlow.deleteMany({ where: { personId } });
    return null;
  }
  return { kind: row.kind, state: JSON.parse(row.state) as S, token: row.token };
}

/** Starts or advances a flow; returns the new token. */
export async function saveFlow<S>(db: Prisma, personId: number, kind: string, state: S, now: Date): Promise<string> {
  const token = randomBytes(6).toString("base64url");
  const data = { kind, state: JSON.stringify(state), token, expiresAt: new Date(now.getTime() + flowLifetimeMs) };
  await db.chatFlow.upsert({ where: { personId }, create: { personId, ...data }, update: data });
  return token;
}

/**
 * Takes the step a button belongs to, once: true for the first press carrying the flow's current
 * token, false for a stale, forged or repeated one (a double tap on a slow connection arrives
 * twice; only one may act).
 */
export async function claimFlowStep(db: Prisma, personId: number, token: string, now: Date): Promise<boolean> {
  const claimed = await db.chatFlow.updateMany({
    where: { personId, token, expiresAt: { gt: now } },
    data: { token: randomBytes(6).toString("base64url") },
  });
  return claimed.count === 1;
}

/** Ends the person's flow; true when there was one. */
export async function endFlow(db: Prisma, personId: number): Promise<boolean> {
  return (await db.chatFlow.deleteMany({ where: { personId } })).count > 0;
}
