// The sending side of the broadcast benchmark, in a process of its own: what Pantau does when a
// coordinator presses Kirim (createBroadcast, then the outbox through the client's rate policy,
// with the live delivery report), and nothing else. Its peak RSS is Pantau's alone: the
// emulator and the seeding live in the parent process (scripts/bench/broadcast.ts).
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Telegram } from "telegraf";
import type { DispatchResult } from "../../src/outbox/index.js";

// Pantau as `pantau start` runs it: the compiled code in dist/ (`npm run bench` builds it first),
// under plain Node (which strips this file's types), so that no TypeScript loader is measured,
// with the heap sized as bin/pantau.js sizes it.
const compiled = (path: string) => import(new URL(`../../dist/${path}`, import.meta.url).href);
const { favourSmallHeap } = (await compiled("heap.js")) as typeof import("../../src/heap.js");
favourSmallHeap();
const { createDeliveryReporter } = (await compiled("bot/delivery-report.js")) as typeof import("../../src/bot/delivery-report.js");
const { createOutboxSender, splitOutboxMessage } = (await compiled("bot/outbox-sender.js")) as typeof import("../../src/bot/outbox-sender.js");
const { applyApiPolicy, bulkClient } = (await compiled("bot/telegram-api.js")) as typeof import("../../src/bot/telegram-api.js");
const { openPrisma } = (await compiled("db/connection.js")) as typeof import("../../src/db/connection.js");
const { createLogger } = (await compiled("logger.js")) as typeof import("../../src/logger.js");
const { batchSizeFor, dispatchOutbox } = (await compiled("outbox/index.js")) as typeof import("../../src/outbox/index.js");
const { createBroadcast } = (await compiled("services/broadcasts.js")) as typeof import("../../src/services/broadcasts.js");
const { personActor } = (await compiled("services/audit.js")) as typeof import("../../src/services/audit.js");
const { findPerson } = (await compiled("services/people.js")) as typeof import("../../src/services/people.js");
const { MemoryPeak, timed } = (await import(new URL("./report.ts", import.meta.url).href)) as typeof import("./report.js");

/** What the parent asks for. */
export interface SenderJob {
  url: string;
  apiRoot: string;
  token: string;
  programId: number;
  coordinatorTelegramId: number;
  limit: number;
  batchSize?: number;
  groupIds: number[];
  messagesPerGroup: number;
  privateBurst: number;
}

/** What the sender reports back. */
export interface SenderFigures {
  broadcastId: number;
  recipients: number;
  createMs: number;
  /** From the start of dispatchOutbox until it returned. */
  wallMs: number;
  /** Until the last group message was answered (they run alongside the broadcast). */
  groupsDoneMs: number;
  dispatched: DispatchResult;
  /** When the rate policy let each sendMessage go (client side): [chat, ms]. */
  released: [number, number][];
  loopDelay: { p99: number; max: number };
  /** RSS and heap used of this process once started (modules, database); peaks while creating, sending, overall. */
  memory: { idle: Peak; create: Peak; dispatch: Peak; whole: Peak };
}

type Peak = { rss: number; heapUsed: number };

/**
 * When the rate policy lets each sendMessage go: ApiPolicy wraps the `Telegram.prototype.callApi`
 * it finds when first applied, so a wrapper installed before that sits under the policy and is
 * called exactly when a job leaves its limiters.
 */
function installReleaseProbe(released: [number, number][]): void {
  const original = Telegram.prototype.callApi;
  Telegram.prototype.callApi = function (this: Telegram, method, payload, extra) {
    if (method === "sendMessage") released.push([Number((payload as { chat_id?: unknown }).chat_id), Date.now()]);
    return original.call(this, method, payload, extra);
  } as Telegram["callApi"];
}

const text = "Rapat koordinasi <evaluasi> triwulan II & pengumpulan bukti dukung: Kamis, 16 Juni 2022, 09.00 WIB.";

async function send(job: SenderJob): Promise<SenderFigures> {
  const memory = new MemoryPeak();
  const released: [number, number][] = [];
  installReleaseProbe(released);
  const db = openPrisma(job.url);
  try {
    const logger = createLogger("silent");
    const telegram = new Telegram(job.token, { apiRoot: job.apiRoot });
    applyApiPolicy(telegram, { messagesPerSecond: job.limit, logger });
    const coordinator = (await findPerson(db, job.coordinatorTelegramId))!;
    // The preview the coordinator pressed Kirim under: it becomes the delivery report.
    const preview = await telegram.sendMessage(job.coordinatorTelegramId, "Pratinjau siaran");
    const clock = () => new Date();
    const { rss, heapUsed } = process.memoryUsage();
    const idle = { rss, heapUsed };

    memory.phase("create");
    const created = await timed(() =>
      createBroadcast(
        db,
        coordinator,
        { programId: job.programId, text, photoFileId: null, documentId: null, audience: { kind: "program" } },
        { chatId: preview.chat.id, messageId: preview.message_id },
        clock(),
        personActor(coordinator, { id: preview.chat.id, kind: "private" }),
      ),
    );
    if (!created.value.ok) throw new Error(`broadcast not created: ${created.value.reason}`);

    memory.phase("dispatch");
    // As in app.ts: the outbox sends through the bulk client, which shares the bot's policy and
    // waits behind interactive calls (here: the group messages, sent through the bot's client).
    const loop = monitorEventLoopDelay({ resolution: 10 });
    loop.enable();
    const start = performance.now();
    let groupsDoneMs = 0;
    const groupTraffic = Promise.all([
      ...job.groupIds.flatMap((id) =>
        Array.from({ length: job.messagesPerGroup }, (_, k) => telegram.sendMessage(id, `Pengumuman ${k + 1} untuk grup ${-id}`)),
      ),
      ...Array.from({ length: job.privateBurst }, (_, k) => telegram.sendMessage(job.coordinatorTelegramId, `Laporan pengiriman ${k + 1}`)),
    ]).then(() => {
      groupsDoneMs = performance.now() - start;
    });
    const reporter = createDeliveryReporter(telegram, db, logger, { clock });
    const dispatched = await dispatchOutbox(db, {
      now: clock(),
      send: createOutboxSender(bulkClient(telegram)),
      split: splitOutboxMessage,
      batchSize: job.batchSize ?? batchSizeFor(job.limit),
      messagesPerSecond: job.limit,
      onBroadcastProgress: reporter.progress,
    });
    await reporter.settled();
    const wallMs = performance.now() - start;
    await groupTraffic;
    loop.disable();
    const whole = memory.stop();
    const [create, dispatch] = memory.phases;
    return {
      broadcastId: created.value.id,
      recipients: created.value.recipients,
      createMs: created.ms,
      wallMs,
      groupsDoneMs,
      dispatched,
      released,
      loopDelay: { p99: loop.percentile(99) / 1e6, max: loop.max / 1e6 },
      memory: { idle, create: create!, dispatch: dispatch!, whole },
    };
  } finally {
    memory.stop();
    await db.$disconnect().catch(() => undefined);
  }
}

process.once("message", (job: SenderJob) => {
  send(job).then(
    (figures) => process.send!({ figures }, () => process.exit(0)),
    (err: unknown) => process.send!({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) }, () => process.exit(1)),
  );
});
