// Section 1: one broadcast to N people through the Bot API emulator, under the client's rate
// policy, with a few group chats written to at the same time through the same client. The
// sending side (createBroadcast and the outbox, as when a coordinator presses Kirim) runs in a
// process of its own (broadcast-sender.ts), so its memory is Pantau's alone: the emulator and
// the seeding stay in this one.
import { fork } from "node:child_process";
import { Telegram } from "telegraf";
import { applyApiPolicy, bulkClient } from "../../src/bot/telegram-api.js";
import { openPrisma, type DatabaseKind, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { createLogger } from "../../src/logger.js";
import { dispatchOutbox, enqueue, type DispatchResult } from "../../src/outbox/index.js";
import type { SenderFigures, SenderJob } from "./broadcast-sender.js";
import { EmulatorInWorker } from "./emulator.js";
import { busiestWindow, fixed, int, mb, ms, table, timed } from "./report.js";
import { withScratchDatabase } from "./scratch.js";

/** Issue 10's target: peak RSS of the process broadcasting to 10,000 people. */
export const broadcastRssTarget = 250 * 1024 * 1024;

export interface BroadcastRunOptions {
  kind: DatabaseKind;
  people: number;
  /** messagesPerSecond of the client's policy. */
  limit: number;
  /** Group chats written to during the broadcast, and messages to each. */
  groups: number;
  messagesPerGroup: number;
  /** Messages to one more private chat (the coordinator's), all at once, during the broadcast. */
  privateBurst: number;
  /** dispatchOutbox's batchSize (undefined: as the bot sets it for this limit, see batchSizeFor). */
  batchSize?: number;
}

export interface BroadcastFigures extends BroadcastRunOptions {
  seedMs: number;
  /** createBroadcast: the audience resolved and a Delivery per person written. */
  createMs: number;
  /** From the start of dispatchOutbox until it returned. */
  wallMs: number;
  /** Until the last group message was answered (they run alongside the broadcast). */
  groupsDoneMs: number;
  dispatched: DispatchResult;
  arrived: number;
  spanMs: number;
  achievedRate: number;
  /** Messages to every chat (the groups' and the coordinator's too) arrived within the broadcast's span, per second. */
  achievedRateAll: number;
  /** Largest number of sendMessage calls (all chats) in any 1 s. */
  busiestSecond: number;
  busiestSecondBroadcastOnly: number;
  maxPerChatPerSecond: number;
  groupArrived: number;
  privateBurstArrived: number;
  maxPerGroupPerMinute: number;
  /** Smallest gap between two messages to one group, ms. */
  minGroupGapMs: number;
  /** Smallest gap between two messages to one private chat, ms (the coordinator's burst). */
  minPrivateGapMs: number;
  /** The same three figures at the moment the policy released the calls (client side). */
  released: { busiestSecond: number; maxPerChatPerSecond: number; minPrivateGapMs: number; maxPerGroupPerMinute: number; minGroupGapMs: number };
  /** Delay of the sender's event loop while dispatching (p99 and max, ms). */
  loopDelay: { p99: number; max: number };
  exactlyOnce: number;
  duplicates: number;
  missing: number;
  emulatorErrors: number;
  rowsByStatus: Record<string, number>;
  broadcastStatus: string;
  /** The sending process's peak RSS and heap used (see SenderFigures). */
  memory: { rss: number; heapUsed: number };
  senderMemory: SenderFigures["memory"];
}

const chunk = 1000;
const firstTelegramId = 100_000;
const coordinatorTelegramId = 99_000;

/** One program, one unit of it with `people` focal points, and its coordinator. */
async function seed(db: Prisma, people: number) {
  const program = await db.program.create({ data: { name: "Replikasi Inovasi Daerah 2022" } });
  const region = await db.region.create({ data: { name: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" } });
  const unit = await db.unit.create({ data: { regionId: region.id, name: "Dinas Komunikasi dan Informatika", code: "BABAR-KOMINFO" } });
  await db.initiative.create({ data: { programId: program.id, unitId: unit.id, name: "Bank Data Kelurahan" } });
  const coordinator = await db.person.create({
    data: { telegramId: BigInt(coordinatorTelegramId), firstName: "Rina", lastName: "Koordinator", startedAt: new Date() },
  });
  await db.membership.create({ data: { personId: coordinator.id, role: "koordinator", programId: program.id } });
  for (let i = 0; i < people; i += chunk) {
    const n = Math.min(chunk, people - i);
    await db.person.createMany({
      data: Array.from({ length: n }, (_, k) => ({ telegramId: BigInt(firstTelegramId + i + k), firstName: `PIC ${i + k}`, startedAt: new Date() })),
    });
  }
  const persons = await db.person.findMany({ where: { telegramId: { gte: BigInt(firstTelegramId) } }, select: { id: true } });
  for (let i = 0; i < persons.length; i += chunk) {
    await db.membership.createMany({ data: persons.slice(i, i + chunk).map((p) => ({ personId: p.id, role: "pic", unitId: unit.id })) });
  }
  return { program, coordinator, persons };
}

/** Runs the sending side in a process of its own and returns what it reports. */
function sendInChild(job: SenderJob): Promise<SenderFigures> {
  return new Promise((resolve, reject) => {
    // Plain Node strips the sender's types; it runs Pantau's compiled code (see broadcast-sender.ts).
    const child = fork(new URL("./broadcast-sender.ts", import.meta.url), {
      execArgv: ["--experimental-strip-types", "--disable-warning=ExperimentalWarning"],
    });
    let answered = false;
    child.once("message", (msg: { figures?: SenderFigures; error?: string }) => {
      answered = true;
      if (msg.figures) resolve(msg.figures);
      else reject(new Error(`broadcast sender: ${msg.error}`));
    });
    child.once("exit", (code, signal) => {
      if (!answered) reject(new Error(`broadcast sender ended (${signal ?? code}) without an answer`));
    });
    child.send(job);
  });
}

export async function runBroadcast(options: BroadcastRunOptions): Promise<BroadcastFigures> {
  return withScratchDatabase(options.kind, (scratch) => broadcastOn(scratch.url, options));
}

async function broadcastOn(url: string, options: BroadcastRunOptions): Promise<BroadcastFigures> {
  let emulator: EmulatorInWorker | undefined;
  let db: Prisma | undefined;
  try {
    await applyMigrations(url);
    db = openPrisma(url);
    const seeded = await timed(() => seed(db!, options.people));
    const { program } = seeded.value;
    await db.$disconnect();
    db = undefined;

    emulator = await EmulatorInWorker.start();
    const chatIds = Array.from({ length: options.people }, (_, i) => firstTelegramId + i);
    for (let i = 0; i < chatIds.length; i += chunk) await emulator.seedPrivateChats(chatIds.slice(i, i + chunk));
    const groupIds = Array.from({ length: options.groups }, (_, g) => -(1001 + g));
    await emulator.addGroups(groupIds, coordinatorTelegramId);
    await emulator.seedPrivateChats([coordinatorTelegramId]);

    const sender = await sendInChild({
      url,
      apiRoot: emulator.apiRoot,
      token: emulator.token,
      programId: program.id,
      coordinatorTelegramId,
      limit: options.limit,
      batchSize: options.batchSize,
      groupIds,
      messagesPerGroup: options.messagesPerGroup,
      privateBurst: options.privateBurst,
    });

    // What arrived, as Telegram (the emulator) saw it.
    const calls = await emulator.sendMessageCalls();
    const ok = calls.filter(([, , error]) => error === 0);
    const all = ok.map(([, at]) => at).sort((a, b) => a - b);
    const toPeople = ok
      .filter(([chat]) => chat >= firstTelegramId)
      .map(([, at]) => at)
      .sort((a, b) => a - b);
    const spanMs = toPeople.length > 1 ? toPeople[toPeople.length - 1]! - toPeople[0]! : 0;
    const { maxPerChatPerSecond, maxPerGroupPerMinute, minGroupGapMs, minPrivateGapMs } = windows(ok.map(([chat, at]) => [chat, at]));
    const releasedFigures = windows(sender.released);
    // Copies per person, from the emulator's chats.
    const counts = await emulator.messageCounts(chatIds);
    const exactlyOnce = counts.filter((c) => c === 1).length;
    const duplicates = counts.reduce((sum, c) => sum + Math.max(0, c - 1), 0);
    const missing = counts.filter((c) => c === 0).length;

    db = openPrisma(url);
    const statuses = await db.delivery.groupBy({ by: ["status"], where: { broadcastId: sender.broadcastId }, _count: { _all: true } });
    const finished = await db.broadcast.findUniqueOrThrow({ where: { id: sender.broadcastId } });
    return {
      ...options,
      seedMs: seeded.ms,
      createMs: sender.createMs,
      wallMs: sender.wallMs,
      groupsDoneMs: sender.groupsDoneMs,
      dispatched: sender.dispatched,
      arrived: toPeople.length,
      spanMs,
      achievedRate: spanMs > 0 ? toPeople.length / (spanMs / 1000) : NaN,
      achievedRateAll: spanMs > 0 ? all.filter((at) => at >= toPeople[0]! && at <= toPeople.at(-1)!).length / (spanMs / 1000) : NaN,
      busiestSecond: busiestWindow(all, 1000),
      released: releasedFigures,
      loopDelay: sender.loopDelay,
      busiestSecondBroadcastOnly: busiestWindow(toPeople, 1000),
      maxPerChatPerSecond,
      groupArrived: ok.filter(([chat]) => chat < 0).length,
      // The coordinator's chat also holds the delivery report (one message, edited).
      privateBurstArrived: ok.filter(([chat]) => chat === coordinatorTelegramId).length - 1,
      maxPerGroupPerMinute,
      minGroupGapMs,
      minPrivateGapMs,
      exactlyOnce,
      duplicates,
      missing,
      emulatorErrors: calls.length - ok.length,
      rowsByStatus: Object.fromEntries(statuses.map((s) => [s.status, s._count._all])),
      broadcastStatus: finished.status,
      memory: sender.memory.whole,
      senderMemory: sender.memory,
    };
  } finally {
    await db?.$disconnect().catch(() => undefined);
    await emulator?.stop().catch(() => undefined);
  }
}

/** Per-chat and per-group windows over [chat, time] pairs. */
function windows(events: [number, number][]) {
  const byChat = new Map<number, number[]>();
  for (const [chat, at] of events) {
    const times = byChat.get(chat);
    if (times) times.push(at);
    else byChat.set(chat, [at]);
  }
  let maxPerChatPerSecond = 0;
  let maxPerGroupPerMinute = 0;
  let minGroupGapMs = Infinity;
  let minPrivateGapMs = Infinity;
  for (const [chat, times] of byChat) {
    times.sort((a, b) => a - b);
    if (chat > 0) {
      maxPerChatPerSecond = Math.max(maxPerChatPerSecond, busiestWindow(times, 1000));
      for (let i = 1; i < times.length; i++) minPrivateGapMs = Math.min(minPrivateGapMs, times[i]! - times[i - 1]!);
    } else {
      maxPerGroupPerMinute = Math.max(maxPerGroupPerMinute, busiestWindow(times, 60_000));
      for (let i = 1; i < times.length; i++) minGroupGapMs = Math.min(minGroupGapMs, times[i]! - times[i - 1]!);
    }
  }
  const all = events.map(([, at]) => at).sort((a, b) => a - b);
  return { busiestSecond: busiestWindow(all, 1000), maxPerChatPerSecond, minPrivateGapMs, maxPerGroupPerMinute, minGroupGapMs };
}

export interface Ceilings {
  messages: number;
  /** telegraf alone, 30 requests in flight, no rate policy. */
  clientAlone: number;
  /** telegraf through applyApiPolicy with an unreachable limit (100,000/s), no database. */
  clientWithPolicy: number;
  /** dispatchOutbox over the broadcast's rows with a sender that sends nothing, per database: rows/s. */
  outboxAlone: { kind: DatabaseKind; rows: number; perSecond: number }[];
}

/** What each stage can do alone: the HTTP client, the client under the policy, the outbox with no HTTP. */
export async function measureCeilings(messages: number, rows: number, kinds: DatabaseKind[]): Promise<Ceilings> {
  const emulator = await EmulatorInWorker.start();
  let clientAlone: number;
  let clientWithPolicy: number;
  try {
    const ids = Array.from({ length: messages }, (_, i) => firstTelegramId + i);
    for (let i = 0; i < ids.length; i += chunk) await emulator.seedPrivateChats(ids.slice(i, i + chunk));
    const text = broadcastLikeText;
    const plain = new Telegram(emulator.token, { apiRoot: emulator.apiRoot });
    let next = 0;
    let start = performance.now();
    await Promise.all(
      Array.from({ length: 30 }, async () => {
        while (next < ids.length) await plain.sendMessage(ids[next++]!, text, { parse_mode: "HTML" });
      }),
    );
    clientAlone = messages / ((performance.now() - start) / 1000);
    const limited = new Telegram(emulator.token, { apiRoot: emulator.apiRoot });
    applyApiPolicy(limited, { messagesPerSecond: 100_000, logger: createLogger("silent") });
    const bulk = bulkClient(limited);
    start = performance.now();
    await Promise.all(ids.map((id) => bulk.sendMessage(id, text, { parse_mode: "HTML" })));
    clientWithPolicy = messages / ((performance.now() - start) / 1000);
  } finally {
    await emulator.stop();
  }
  const outboxAlone: Ceilings["outboxAlone"] = [];
  for (const kind of kinds) {
    await withScratchDatabase(kind, async (scratch) => {
      await applyMigrations(scratch.url);
      const db = openPrisma(scratch.url);
      try {
        const { program, coordinator, persons } = await seed(db, rows);
        const broadcast = await db.broadcast.create({
          data: {
            programId: program.id,
            createdById: coordinator.id,
            text: "Rapat koordinasi",
            audience: JSON.stringify({ kind: "program" }),
            status: "sending",
          },
        });
        const now = new Date();
        await enqueue(
          db,
          persons.map((p) => ({ key: `broadcast:${broadcast.id}:${p.id}`, kind: "broadcast" as const, personId: p.id, broadcastId: broadcast.id, dueAt: now })),
        );
        let id = 0;
        const start = performance.now();
        // No rate to keep: every broadcast message may wait at the (instant) sender at once.
        const result = await dispatchOutbox(db, {
          now: new Date(),
          messagesPerSecond: 100_000,
          send: async (m) => ({ chatId: m.to.telegramId, messageId: ++id }),
        });
        outboxAlone.push({ kind, rows: result.sent, perSecond: result.sent / ((performance.now() - start) / 1000) });
      } finally {
        await db.$disconnect().catch(() => undefined);
      }
    });
  }
  return { messages, clientAlone, clientWithPolicy, outboxAlone };
}

const broadcastLikeText = "📣 <b>Pesan dari Rina</b>\n\nRapat koordinasi &lt;evaluasi&gt; triwulan II &amp; pengumpulan bukti dukung.";

/** The broadcast runs side by side, issue 10's memory target beside the measured peak. */
export function printBroadcast(results: BroadcastFigures[]): void {
  const rows: [string, (r: BroadcastFigures) => string][] = [
    ["database", (r) => r.kind],
    ["people", (r) => int(r.people)],
    ["configured limit (msg/s)", (r) => int(r.limit)],
    ["seeding (not in the figures)", (r) => ms(r.seedMs)],
    ["createBroadcast (audience, a Delivery per person)", (r) => ms(r.createMs)],
    ["wall time of dispatchOutbox", (r) => ms(r.wallMs)],
    ["broadcast messages arrived", (r) => int(r.arrived)],
    ["span first→last arrival", (r) => ms(r.spanMs)],
    ["achieved rate, all chats (msg/s)", (r) => fixed(r.achievedRateAll)],
    ["achieved ÷ limit, all chats", (r) => fixed(r.achievedRateAll / r.limit, 2)],
    ["achieved rate, broadcast only (msg/s)", (r) => fixed(r.achievedRate)],
    ["achieved ÷ limit, broadcast only", (r) => fixed(r.achievedRate / r.limit, 2)],
    ["busiest 1 s, all chats", (r) => int(r.busiestSecond)],
    ["busiest 1 s, broadcast only", (r) => int(r.busiestSecondBroadcastOnly)],
    ["max to one private chat in 1 s", (r) => int(r.maxPerChatPerSecond)],
    ["burst to one private chat arrived", (r) => `${int(r.privateBurstArrived)} of ${int(r.privateBurst)}`],
    ["min gap, one private chat (ms)", (r) => (Number.isFinite(r.minPrivateGapMs) ? int(r.minPrivateGapMs) : "n/a")],
    ["group messages arrived", (r) => `${int(r.groupArrived)} of ${int(r.groups * r.messagesPerGroup)}`],
    ["groups done after", (r) => ms(r.groupsDoneMs)],
    ["max to one group in 60 s", (r) => int(r.maxPerGroupPerMinute)],
    ["min gap, one group (ms)", (r) => (Number.isFinite(r.minGroupGapMs) ? int(r.minGroupGapMs) : "n/a")],
    ["released by policy: busiest 1 s", (r) => int(r.released.busiestSecond)],
    ["released: max to one private chat in 1 s", (r) => int(r.released.maxPerChatPerSecond)],
    ["released: min gap, one private chat (ms)", (r) => (Number.isFinite(r.released.minPrivateGapMs) ? int(r.released.minPrivateGapMs) : "n/a")],
    ["released: max to one group in 60 s", (r) => int(r.released.maxPerGroupPerMinute)],
    ["released: min gap, one group (ms)", (r) => (Number.isFinite(r.released.minGroupGapMs) ? int(r.released.minGroupGapMs) : "n/a")],
    ["sender event loop delay p99 / max", (r) => `${int(r.loopDelay.p99)} / ${int(r.loopDelay.max)} ms`],
    ["people with exactly 1 copy", (r) => int(r.exactlyOnce)],
    ["duplicate copies", (r) => int(r.duplicates)],
    ["people missing", (r) => int(r.missing)],
    ["emulator errors", (r) => int(r.emulatorErrors)],
    [
      "DB rows by status",
      (r) =>
        Object.entries(r.rowsByStatus)
          .map(([s, n]) => `${s} ${int(n)}`)
          .join(", "),
    ],
    ["all rows sent?", (r) => (r.rowsByStatus.sent === r.people && Object.keys(r.rowsByStatus).length === 1 ? "yes" : "NO")],
    ["Broadcast.status", (r) => r.broadcastStatus],
    ["sender RSS once started (modules, database)", (r) => mb(r.senderMemory.idle.rss)],
    ["sender peak RSS while creating", (r) => mb(r.senderMemory.create.rss)],
    ["sender peak RSS while sending", (r) => mb(r.senderMemory.dispatch.rss)],
    ["sender peak heap used", (r) => mb(r.memory.heapUsed)],
    ["sender peak RSS", (r) => mb(r.memory.rss)],
    [`target: peak RSS under ${mb(broadcastRssTarget)}`, (r) => (r.memory.rss < broadcastRssTarget ? "met" : "NOT MET")],
  ];
  console.log(
    table(
      ["", ...results.map((_, i) => `run ${i + 1}`)],
      rows.map(([label, f]) => [label, ...results.map(f)]),
    ),
  );
}
