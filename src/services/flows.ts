import { randomBytes } from "node:crypto";
import type { Prisma } from "../db/connection.js";

/** How long an abandoned flow stays alive. */
const flowLifetimeMs = 24 * 3_600_000;

const newToken = () => randomBytes(6).toString("base64url");

/**
 * A person's live flow as stored. Its state is whatever JSON was saved (undefined when it is not
 * JSON at all): the bot parses it with the schema of its kind before trusting it.
 */
export interface StoredFlow {
  kind: string;
  state: unknown;
  /** Changes at every step; buttons carry it so stale or forged presses are refused. */
  token: string;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The person's live flow, or null when none (or it expired). */
export async function getFlow(db: Prisma, personId: number, now: Date): Promise<StoredFlow | null> {
  const row = await db.chatFlow.findUnique({ where: { personId } });
  if (!row) return null;
  if (row.expiresAt <= now) {
    await db.chatFlow.deleteMany({ where: { personId } });
    return null;
  }
  return { kind: row.kind, state: parseJson(row.state), token: row.token };
}

/** Starts or advances a flow; returns the new token. */
export async function saveFlow<S>(db: Prisma, personId: number, kind: string, state: S, now: Date): Promise<string> {
  const token = newToken();
  const data = { kind, state: JSON.stringify(state), token, expiresAt: new Date(now.getTime() + flowLifetimeMs) };
  await db.chatFlow.upsert({ where: { personId }, create: { personId, ...data }, update: data });
  return token;
}

/**
 * Takes the step a button belongs to, once: the first press carrying the flow's current token gets
 * a claim (the token the flow holds meanwhile), a stale, forged or repeated one null (a double tap
 * on a slow connection arrives twice; only one may act).
 */
export async function claimFlowStep(db: Prisma, personId: number, token: string, now: Date): Promise<string | null> {
  const claim = newToken();
  const claimed = await db.chatFlow.updateMany({ where: { personId, token, expiresAt: { gt: now } }, data: { token: claim } });
  return claimed.count === 1 ? claim : null;
}

/**
 * Gives a claimed step back its token, so the buttons it showed work again: for a press that was
 * refused and changed nothing. Nothing happens when the flow moved on or ended meanwhile.
 */
export async function releaseFlowStep(db: Prisma, personId: number, claim: string, token: string): Promise<void> {
  await db.chatFlow.updateMany({ where: { personId, token: claim }, data: { token } });
}

/**
 * Changes the state of the person's live flow of `kind` without moving it to another step (its
 * token, and so its buttons, stay valid): `update` gets the current state (null when it does not
 * parse) and returns the new one, or null to leave it. A compare-and-set on the stored state,
 * retried, so files arriving together (an album is several updates handled at once) are all kept.
 * Returns the new state, or null when there is no such flow or `update` declined.
 */
export async function updateFlowState<S>(db: Prisma, personId: number, kind: string, update: (state: unknown) => S | null, now: Date): Promise<S | null> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const row = await db.chatFlow.findUnique({ where: { personId } });
    if (!row || row.kind !== kind || row.expiresAt <= now) return null;
    const next = update(parseJson(row.state));
    if (next === null) return null;
    const written = await db.chatFlow.updateMany({ where: { personId, token: row.token, state: row.state }, data: { state: JSON.stringify(next) } });
    if (written.count === 1) return next;
  }
  throw new Error("the flow kept changing while files were added");
}

/** Ends the person's flow; true when there was one. */
export async function endFlow(db: Prisma, personId: number): Promise<boolean> {
  return (await db.chatFlow.deleteMany({ where: { personId } })).count > 0;
}
