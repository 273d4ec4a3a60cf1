// Section 1: one broadcast to N people through the Bot API emulator, under the client's rate
// policy, with a few group chats written to at the same time through the same client.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Telegram } from "telegraf";
import { createOutboxSender } from "../../src/bot/outbox-sender.js";
import { applyApiPolicy, bulkClient } from "../../src/bot/telegram-api.js";
import { openPrisma, type DatabaseKind, type Prisma } from "../../src/db/connection.js";
import { applyMigrations } from "../../src/db/schema-engine.js";
import { withScratchDatabase } from "./scratch.js";
import { createLogger } from "../../src/logger.js";
import { batchSizeFor, dispatchOutbox, enqueue, type DispatchResult, type NewDelivery } from "../../src/outbox/index.js";
import { EmulatorInWorker } from "./emulator.js";
import { busiestWindow, MemoryPeak, timed } from "./report.js";

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
  enqueueMs: number;
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
  memory: { rss: number; heapUsed: number };
}

const chunk = 1000;

/**
 * When the rate policy lets each sendMessage go (client side): ApiPolicy wraps the
 * `Telegram.prototype.callApi` it finds when first applied, so a wrapper installed before that
 * sits under the policy and is called exactly when a job leaves its limiters.
 */
const released: [chatId: number, at: number][] = [];
let releaseProbe = false;
function installReleaseProbe(): void {
  if (releaseProbe) return;
  releaseProbe = true;
  const original = Telegram.prototype.callApi;
  Telegram.prototype.callApi = function (this: Telegram, method, payload, extra) {
    if (method === "sendMessage") released.push([Number((payload as { chat_id?: unknown }).chat_id), Date.now()]);
    return original.call(this, method, payload, extra);
  } as Telegram["callApi"];
}
const firstTelegramId = 100_000;
const coordinatorTelegramId = 99_000;

async function seed(db: Prisma, people: number) {
  const program = await db.program.create({ data: { name: "Replikasi Inovasi Daerah 2022" } });
  const region = await db.region.create({ data: { name: "Kabupaten Bangka Barat", timezone: "Asia/Jakarta" } });
  const unit = await db.unit.create({ data: { regionId: region.id, name: "Dinas Komunikasi dan Informatika", code: "BABAR-KOMINFO" } });
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
  const persons = await db.person.findMany({ where: { telegramId: { gte: BigInt(firstTelegramId) } }, select: { id: true, telegramId: true } });
  for (let i = 0; i < persons.length; i += chunk) {
    await db.membership.createMany({ data: persons.slice(i, i + chunk).map((p) => ({ personId: p.id, role: "pic", unitId: unit.id })) });
  }
  const broadcast = await db.broadcast.create({
    data: {
      programId: program.id,
      createdById: coordinator.id,
      // Markup characters on purpose: the sender must escape them for parse_mode HTML.
      text: "Rapat koordinasi <evaluasi> triwulan II & pengumpulan bukti dukung: Kamis, 16 Juni 2022, 09.00 WIB.",
      audience: JSON.stringify({ kind: "program" }),
      status: "sending",
    },
  });
  return { program, coordinator, broadcast, persons };
}

export async function runBroadcast(options: BroadcastRunOptions): Promise<BroadcastFigures> {
  installReleaseProbe();
  released.length = 0;
  return withScratchDatabase(options.kind, (scratch) => broadcastOn(scratch.url, options));
}

async function broadcastOn(url: string, options: BroadcastRunOptions): Promise<BroadcastFigures> {
  const memory = new MemoryPeak();
  let db: Prisma | undefined;
  let emulator: EmulatorInWorker | undefined;
  try {
    await applyMigrations(url);
    db = openPrisma(url);
    const seeded = await timed(() => seed(db!, options.people));
    const { broadcast, persons } = seeded.value;

    const now = new Date();
    const rows: NewDelivery[] = persons.map((p) => ({
      key: `broadcast:${broadcast.id}:${p.id}`,
      kind: "broadcast",
      personId: p.id,
      broadcastId: broadcast.id,
      dueAt: now,
    }));
    const enqueued = await timed(() => enqueue(db!, rows));
    if (enqueued.value !== persons.length) throw new Error(`enqueue inserted ${enqueued.value} of ${persons.length}`);

    emulator = await EmulatorInWorker.start();
    const chatIds = persons.map((p) => Number(p.telegramId));
    for (let i = 0; i < chatIds.length; i += chunk) await emulator.seedPrivateChats(chatIds.slice(i, i + chunk));
    const groupIds = Array.from({ length: options.groups }, (_, g) => -(1001 + g));
    await emulator.addGroups(groupIds, coordinatorTelegramId);
    await emulator.seedPrivateChats([coordinatorTelegramId]);

    const telegram = new Telegram(emulator.token, { apiRoot: emulator.apiRoot });
    applyApiPolicy(telegram, { messagesPerSecond: options.limit, logger: createLogger("silent") });
    // As in app.ts: the outbox sends through the bulk client, which shares the bot's policy and
    // waits behind interactive calls (here: the group messages, sent through the bot's client).
    const send = createOutboxSender(bulkClient(telegram));

    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const start = performance.now();
    let groupsDoneMs = 0;
    const groupTraffic = Promise.all([
      ...groupIds.flatMap((id) =>
        Array.from({ length: options.messagesPerGroup }, (_, k) => telegram.sendMessage(id, `Pengumuman ${k + 1} untuk grup ${-id}`)),
      ),
      ...Array.from({ length: options.privateBurst }, (_, k) => telegram.sendMessage(coordinatorTelegramId, `Laporan pengiriman ${k + 1}`)),
    ]).then(() => {
      groupsDoneMs = performance.now() - start;
    });
    const dispatched = await dispatchOutbox(db, {
      now: new Date(),
      send,
      batchSize: options.batchSize ?? batchSizeFor(options.limit),
      messagesPerSecond: options.limit,
    });
    const wallMs = performance.now() - start;
    await groupTraffic;
    loop.disable();

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

    const releasedFigures = windows(released);
    // Copies per person, from the emulator's chats.
    const counts = await emulator.messageCounts(chatIds);
    const exactlyOnce = counts.filter((c) => c === 1).length;
    const duplicates = counts.reduce((sum, c) => sum + Math.max(0, c - 1), 0);
    const missing = counts.filter((c) => c === 0).length;

    const statuses = await db.delivery.groupBy({ by: ["status"], where: { broadcastId: broadcast.id }, _count: { _all: true } });
    const finished = await db.broadcast.findUniqueOrThrow({ where: { id: broadcast.id } });
    return {
      ...options,
      seedMs: seeded.ms,
      enqueueMs: enqueued.ms,
      wallMs,
      groupsDoneMs,
      dispatched,
      arrived: toPeople.length,
      spanMs,
      achievedRate: spanMs > 0 ? toPeople.length / (spanMs / 1000) : NaN,
      achievedRateAll: spanMs > 0 ? all.filter((at) => at >= toPeople[0]! && at <= toPeople.at(-1)!).length / (spanMs / 1000) : NaN,
      busiestSecond: busiestWindow(all, 1000),
      released: releasedFigures,
      loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      busiestSecondBroadcastOnly: busiestWindow(toPeople, 1000),
      maxPerChatPerSecond,
      groupArrived: ok.filter(([chat]) => chat < 0).length,
      privateBurstArrived: ok.filter(([chat]) => chat === coordinatorTelegramId).length,
      maxPerGroupPerMinute,
      minGroupGapMs,
      minPrivateGapMs,
      exactlyOnce,
      duplicates,
      missing,
      emulatorErrors: calls.length - ok.length,
      rowsByStatus: Object.fromEntries(statuses.map((s) => [s.status, s._count._all])),
      broadcastStatus: finished.status,
      memory: memory.stop(),
    };
  } finally {
    memory.stop();
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
  installReleaseProbe();
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
        const { broadcast, persons } = await seed(db, rows);
        const now = new Date();
        await enqueue(
          db,
          persons.map((p) => ({ key: `broadcast:${broadcast.id}:${p.id}`, kind: "broadcast" as const, personId: p.id, broadcastId: broadcast.id, dueAt: now })),
        );
        let id = 0;
        const start = performance.now();
        // No rate to keep: every broadcast message may wait at the (instant) sender at once.
        const result = await dispatchOutbox(db, { now: new Date(), messagesPerSecond: 100_000, send: async (m) => ({ chatId: m.to.telegramId, messageId: ++id }) });
        outboxAlone.push({ kind, rows: result.sent, perSecond: result.sent / ((performance.now() - start) / 1000) });
      } finally {
        await db.$disconnect().catch(() => undefined);
      }
    });
  }
  return { messages, clientAlone, clientWithPolicy, outboxAlone };
}

const broadcastLikeText = "📣 <b>Pesan dari Rina</b>\n\nRapat koordinasi &lt;evaluasi&gt; triwulan II &amp; pengumpulan bukti dukung.";
