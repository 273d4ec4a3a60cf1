// Pantau's benchmark: `npm run bench`. Prints figures, not pass/fail (it is not a test).
//
//   1. A broadcast to 10,000 people through the Bot API emulator, at Telegram's 30 msg/s and
//      at raised limits, with group chats written to at the same time.
//   2. One reminder pass over 100,000 steps and 10,000 focal points, on SQLite and PostgreSQL.
//   3. Peak memory of each part.
//   4. How long a person waits for an answer: /rekap of 19 regions, /tugas beside someone's burst.
//   5. The memory of `pantau start`: idle, under 1,800 commands from 600 people, and after.
//
// Environment (all optional):
//   BENCH_SECTIONS           broadcast,reminders,latency,start (default all four)
//   BENCH_BROADCAST_PEOPLE   recipients of the broadcast (default 10000)
//   BENCH_BROADCAST_RUNS     database:limit pairs (default sqlite:30,sqlite:200,postgresql:1000)
//   BENCH_GROUPS             group chats written to during each broadcast (default 3)
//   BENCH_GROUP_MESSAGES     messages to each group (default: 60 at 30/s, fewer when the broadcast is short)
//   BENCH_PRIVATE_BURST      messages sent at once to one more private chat during each broadcast (default 10)
//   BENCH_MILESTONES         steps of the reminder pass (default 100000)
//   BENCH_REMINDER_DBS       sqlite,postgresql (default both)
//   BENCH_REPEATS            runs of the dry pass and the raw query, median printed (default 3)
//   BENCH_LATENCY_DBS        sqlite,postgresql (default sqlite)
//   BENCH_LATENCY_BURST      commands of the busy person (default 30)
//   BENCH_START_PEOPLE       focal points sending commands to `pantau start` (default 600)
//   BENCH_START_COMMANDS     commands each of them sends (default 3)
import os from "node:os";
import Database from "better-sqlite3";
import pg from "pg";
import type { DatabaseKind } from "../src/db/connection.js";
import { postgresAdminUrl } from "../src/db/scratch-database.js";
import { measureCeilings, printBroadcast, runBroadcast, type BroadcastFigures } from "./bench/broadcast.js";
import { passMoment, runReminderBench, type ReminderFigures } from "./bench/reminder-pass.js";
import { latencySection } from "./bench/latency.js";
import { startMemorySection } from "./bench/start-memory.js";
import { fixed, heading, int, mb, median, ms, pairs, table } from "./bench/report.js";
import { wasInterrupted } from "./bench/scratch.js";

const env = (name: string, fallback: string) => process.env[name]?.trim() || fallback;
const whole = (name: string, fallback: number, min = 1) => {
  const value = Number(env(name, String(fallback)));
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be a whole number of at least ${min}`);
  return value;
};
const kindOf = (text: string): DatabaseKind => {
  if (text === "sqlite" || text === "postgresql") return text;
  throw new Error(`unknown database "${text}" (sqlite or postgresql)`);
};

const sections = new Set(env("BENCH_SECTIONS", "broadcast,reminders,latency,start").split(","));
const people = whole("BENCH_BROADCAST_PEOPLE", 10_000);
const runs = env("BENCH_BROADCAST_RUNS", "sqlite:30,sqlite:200,postgresql:1000")
  .split(",")
  .map((pair) => {
    const [kind, limit] = pair.split(":");
    const value = Number(limit);
    if (!(value > 0)) throw new Error(`BENCH_BROADCAST_RUNS: "${pair}" is not database:limit`);
    return { kind: kindOf(kind!), limit: value };
  });
const groups = whole("BENCH_GROUPS", 3, 0);
const privateBurst = whole("BENCH_PRIVATE_BURST", 10, 0);
const milestones = whole("BENCH_MILESTONES", 100_000, 20);
const reminderDbs = env("BENCH_REMINDER_DBS", "sqlite,postgresql").split(",").map(kindOf);
const repeats = whole("BENCH_REPEATS", 3);
const latencyDbs = env("BENCH_LATENCY_DBS", "sqlite").split(",").map(kindOf);
const latencyBurst = whole("BENCH_LATENCY_BURST", 30);
const startPeople = whole("BENCH_START_PEOPLE", 600);
const startCommands = whole("BENCH_START_COMMANDS", 3);

/** Group messages: 60 when the broadcast lasts long enough, else enough to test 20 a minute (22 take 63 s at one per 3 s). */
function messagesPerGroup(limit: number): number {
  if (process.env.BENCH_GROUP_MESSAGES) return whole("BENCH_GROUP_MESSAGES", 60, 0);
  return Math.max(22, Math.min(60, Math.floor(people / limit / 3)));
}

const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" / ");

async function machine(): Promise<void> {
  const cpus = os.cpus();
  let postgres = "unreachable";
  const client = new pg.Client({ connectionString: postgresAdminUrl, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    postgres = String((await client.query("SHOW server_version")).rows[0].server_version);
  } catch {
    // reported as unreachable
  } finally {
    await client.end().catch(() => undefined);
  }
  const memory = new Database(":memory:");
  const sqlite = (memory.prepare("select sqlite_version() as v").get() as { v: string }).v;
  memory.close();
  console.log("Pantau benchmark");
  console.log(
    pairs([
      ["machine", `${cpus.length} × ${cpus[0]?.model.trim() ?? "unknown cpu"}, ${mb(os.totalmem())} RAM, ${os.type()} ${os.release()} ${os.arch()}`],
      ["node", process.version],
      ["databases", `SQLite ${sqlite} (better-sqlite3, WAL), PostgreSQL ${postgres} at 127.0.0.1`],
      ["started", `${new Date().toISOString()}, load average ${loadAverage()} (other work on the machine skews the figures)`],
    ]),
  );
}

/** The pass within this many times its raw query (issue 10). */
const passTarget = 5;
/** Heap used during a pass over 100,000 steps (issue 10). */
const passHeapTarget = 200 * 1024 * 1024;

function printReminders(r: ReminderFigures): void {
  console.log(`\n${r.kind === "sqlite" ? "SQLite" : "PostgreSQL"}`);
  console.log(pairs(Object.entries(r.counts).map(([k, v]) => [k, int(v)])));
  console.log(
    pairs([
      ["seeding (not in the figures)", ms(r.seedMs)],
      ["candidate window on the first pass", `dueDate ${r.window.from} … ${r.window.to}`],
    ]),
  );
  console.log("  plan of the raw query:");
  for (const line of r.plan) console.log(`    ${line}`);
  console.log();
  console.log(
    table(
      [
        "pass",
        "dry run (median)",
        "raw query (median)",
        "dry ÷ raw",
        "target",
        "real pass",
        "real ÷ raw",
        "raw rows",
        "reminders planned",
        "escalations planned",
        "rows sent",
        "messages",
        "cancelled",
      ],
      r.scenarios.map((s) => {
        const dry = median(s.dryMs);
        const raw = median(s.rawMs);
        return [
          s.name,
          ms(dry),
          ms(raw),
          `${fixed(dry / raw)}×`,
          `≤ ${passTarget}×`,
          ms(s.realMs),
          `${fixed(s.realMs / raw)}×`,
          int(s.rawRows),
          int(s.planned),
          int(s.escalations),
          int(s.real.sent),
          int(s.real.messages),
          int(s.real.cancelled),
        ];
      }),
    ),
  );
  console.log("  real pass: planning, enqueue and dispatchOutbox with a sender that sends nothing (the first one and the next day's");
  console.log(
    `  are the outbox's bookkeeping of every message; the target applies to the next tick's). Dry runs: ${r.scenarios
      .map((s) => s.dryMs.map((d) => ms(d)).join(" / "))
      .join("; ")}.`,
  );
  console.log();
  console.log(
    table(
      ["memory (sampled every 50 ms)", "peak RSS", "peak heap used", "target (heap)"],
      [
        ...r.memoryPhases.map((p) => [p.name, mb(p.rss), mb(p.heapUsed), p.name === "seeding" ? "" : `under ${mb(passHeapTarget)}`]),
        ["whole section", mb(r.memory.rss), mb(r.memory.heapUsed), ""],
      ],
    ),
  );
}

/** Peak memory of each part, for the summary at the end. */
const memorySummary: [part: string, rss: number, heapUsed: number][] = [];

async function main(): Promise<void> {
  const started = performance.now();
  await machine();

  if (sections.has("broadcast")) {
    heading(`1. Broadcast through the Bot API emulator (${int(people)} people)`);
    console.log(
      [
        "createBroadcast, then dispatchOutbox → createOutboxSender(bulkClient(telegram)) → applyApiPolicy → HTTP → emulator,",
        "  the sending side in a process of its own (its memory is Pantau's alone), the emulator in a worker thread of this one.",
        `Concurrently, through the same client (interactive priority, all queued at once): messages to ${groups} group chats,`,
        `and ${privateBurst} messages to one more private chat (the coordinator's).`,
        "Windows are half-open ([t, t+1 s), [t, t+60 s)). 'released' figures: when the policy let the call go (client side).",
        "Achieved rate: messages that arrived at the emulator between the first and the last broadcast message ÷ that span;",
        "  'all chats' counts the group and coordinator messages too (they share the limit), 'broadcast only' does not.",
        "Telegram: ~30 msg/s in total, ~1/s to one chat, ~20/min to one group.",
      ].join("\n"),
    );
    process.stderr.write("[bench] ceilings of each stage alone…\n");
    const ceilingMessages = Math.min(people, 3000);
    const ceilings = await measureCeilings(ceilingMessages, people, [...new Set(runs.map((r) => r.kind))]);
    console.log("\nWhat each stage manages alone (no rate limit in the way):");
    console.log(
      table(
        ["stage", "messages", "per second"],
        [
          ["telegraf → emulator, 30 requests in flight, no policy", int(ceilings.messages), int(ceilings.clientAlone)],
          ["telegraf → applyApiPolicy (limit 100,000/s) → emulator", int(ceilings.messages), int(ceilings.clientWithPolicy)],
          ...ceilings.outboxAlone.map((o) => [`dispatchOutbox, no-op sender, ${o.kind}`, int(o.rows), int(o.perSecond)]),
        ],
      ),
    );
    console.log();
    const results: BroadcastFigures[] = [];
    for (const run of runs) {
      const options = { kind: run.kind, people, limit: run.limit, groups, messagesPerGroup: messagesPerGroup(run.limit), privateBurst };
      process.stderr.write(`[bench] broadcast ${run.kind} at ${run.limit}/s (${people} people, ${options.messagesPerGroup} messages to each group)…\n`);
      results.push(await runBroadcast(options));
    }
    printBroadcast(results);
    for (const r of results) memorySummary.push([`broadcast ${r.kind} at ${r.limit}/s`, r.memory.rss, r.memory.heapUsed]);
  }

  if (sections.has("reminders")) {
    heading(`2. One reminder pass over ${int(milestones)} steps`);
    console.log(
      [
        `Pass moment ${passMoment.toISOString()} (09:00 WIB, 10:00 WITA, 11:00 WIT); program defaults (H-14,7,3,1,0; overdue every 3 days ×10; escalation).`,
        "dry run: planPass(db, now) — planning only: what the pass would put into the outbox, listed with each step's view.",
        "real pass: runReminderPass(db, { now, send }) — planning, enqueue and dispatchOutbox with a no-op sender",
        "  that returns fake message ids: Telegram and the rate policy are NOT in this figure, the outbox bookkeeping is.",
        "raw query: $queryRawUnsafe of the candidate steps (status IN the open statuses, dueDate in the window) with their unit ids.",
        `Each scenario runs on the state the previous one left; medians of ${repeats}. Its dry runs, and then its real pass, each run`,
        "  in a process of their own, as `pantau start` runs a pass: seeding leaves a heap V8 gives back slowly, and a dry run",
        "  holds all a pass owes (the bot never makes one), which the real pass's memory figures would carry.",
      ].join("\n"),
    );
    for (const kind of reminderDbs) {
      process.stderr.write(`[bench] reminder pass on ${kind} (${milestones} steps)…\n`);
      const figures = await runReminderBench({ kind, milestones, repeats });
      printReminders(figures);
      const passes = figures.memoryPhases.filter((p) => p.name !== "seeding");
      memorySummary.push(
        [
          `reminder pass ${kind}: seeding`,
          figures.memoryPhases.find((p) => p.name === "seeding")?.rss ?? 0,
          figures.memoryPhases.find((p) => p.name === "seeding")?.heapUsed ?? 0,
        ],
        [`reminder pass ${kind}: passes`, Math.max(...passes.map((p) => p.rss)), Math.max(...passes.map((p) => p.heapUsed))],
      );
    }
  }

  if (memorySummary.length) {
    heading("3. Peak memory (process.memoryUsage() every 50 ms; a full GC before each part)");
    console.log("Broadcasts: the sending process alone. Reminder passes: this whole process, whose RSS is not handed back between parts;");
    console.log("heap used includes garbage V8 has not collected yet.");
    console.log(
      table(
        ["part", "peak RSS", "peak heap used"],
        memorySummary.map(([part, rss, heap]) => [part, mb(rss), mb(heap)]),
      ),
    );
  }
  if (sections.has("latency")) {
    heading("4. Answer latency");
    await latencySection(latencyDbs, latencyBurst, repeats);
  }
  if (sections.has("start")) {
    heading("5. The memory of pantau start");
    await startMemorySection({ people: startPeople, commandsEach: startCommands });
  }
  console.log(`\nbench finished in ${ms(performance.now() - started)}, load average ${loadAverage()}`);
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    // Interrupted: the signal handler drops the scratch databases and ends the process.
    if (wasInterrupted()) return;
    console.error(err);
    process.exit(1);
  },
);
