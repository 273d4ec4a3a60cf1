// Section 4: how long a person waits for their answer, through the real bot polling the Bot
// API emulator (in this process): a coordinator's /rekap of a 19-region program (one message,
// then the chart by its button), and a focal point's /tugas alone and while another person's
// burst of commands is being answered.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { DatabaseKind } from "../../src/db/connection.js";
import type { EmuUser } from "../../test/support/bot-api-emulator.js";
import { buttons, examplePlan, Harness } from "../../test/support/harness.js";
import { sumbar, sumbarCsv } from "../../test/support/sumbar-plan.js";
import { median, ms, table } from "./report.js";

export interface LatencyOptions {
  kind: DatabaseKind;
  /** Commands one person sends at once while another asks for their tasks. */
  burst: number;
  /** Runs of each measurement; the median is printed. */
  repeats: number;
}

export interface LatencyFigures extends LatencyOptions {
  /** From /rekap to its answer, per run. */
  recapMs: number[];
  /** From a press of the answer's chart button to the chart, per run. */
  chartMs: number[];
  /** /tugas answered with nobody else writing, per run. */
  tasksAloneMs: number[];
  /** /tugas sent right after another person's burst, per run. */
  tasksDuringBurstMs: number[];
  /** From the burst's first command to its last answer, per run. */
  burstAnsweredMs: number[];
}

const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";
/** Generous: the figures before this section's change were half a minute. */
const waitMs = 120_000;
/** Long enough for a chat's spacing to pass and its burst of answers to refill (five at one a second). */
const restMs = 5_000;

/** When each message to `chatId` after `from` (ms) reached the emulator, oldest first. */
function arrivals(h: Harness, chatId: number, from: number): number[] {
  return h.emulator
    .calls()
    .filter((c) => !c.error && /^send/.test(c.method) && Number(c.params.chat_id) === chatId && c.at >= from)
    .map((c) => c.at);
}

async function join(h: Harness, user: EmuUser, ...invite: string[]): Promise<void> {
  const made = await h.cli("invite", ...invite);
  if (made.code !== 0) throw new Error(`invite ${invite.join(" ")}: ${made.stderr}`);
  h.emulator.seedPrivateChat(user);
  await h.emulator.sendText(user, `/start ${inviteCode(made.stdout)}`);
  await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Selamat bergabung"), waitMs);
}

/** Sends `text` and resolves with the milliseconds until `count` more messages arrived in the chat. */
async function answered(h: Harness, user: EmuUser, text: string, count = 1): Promise<number> {
  const before = h.emulator.messages(user.id).length;
  const start = Date.now();
  await h.emulator.sendText(user, text);
  for (let i = 0; i < count; i++) await h.emulator.waitForMessage(user.id, undefined, waitMs);
  if (h.emulator.messages(user.id).length < before + count) throw new Error("answer lost");
  return Date.now() - start;
}

export async function runLatencyBench(options: LatencyOptions): Promise<LatencyFigures> {
  const h = await Harness.create(options.kind);
  const dir = mkdtempSync(path.join(tmpdir(), "pantau-bench-latency-"));
  const figures: LatencyFigures = {
    ...options,
    recapMs: [],
    chartMs: [],
    tasksAloneMs: [],
    tasksDuringBurstMs: [],
    burstAnsweredMs: [],
  };
  try {
    writeFileSync(path.join(dir, "sumbar.csv"), sumbarCsv());
    for (const file of [examplePlan, path.join(dir, "sumbar.csv")]) {
      const imported = await h.cli("import", file);
      if (imported.code !== 0) throw new Error(`import ${file}: ${imported.stderr}`);
    }
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    await h.startBot();
    const coordinator: EmuUser = { id: 8801, first_name: "Yanti", language_code: "id" };
    const asker: EmuUser = { id: 8802, first_name: "Rina", language_code: "id" };
    const busy: EmuUser = { id: 8803, first_name: "Sari", language_code: "id" };
    await join(h, coordinator, "--role", "koordinator", "--program", sumbar.program);
    await join(h, asker, "--unit", "BABAR-DISPARBUD");
    await join(h, busy, "--unit", "BABAR-DISTANPANGAN");
    // Each measurement starts on rested chats: no spacing left over, their short burst refilled.
    const rest = () => new Promise((resolve) => setTimeout(resolve, restMs));
    await rest();

    for (let run = 0; run < options.repeats; run++) {
      const start = Date.now();
      await h.emulator.sendText(coordinator, "/rekap");
      const summary = await h.emulator.waitForMessage(coordinator.id, (m) => !!m.plainText?.startsWith("📊 Rekap"), waitMs);
      figures.recapMs.push(arrivals(h, coordinator.id, start)[0]! - start);
      const chart = buttons(summary).find((b) => b.text.includes("Grafik"));
      if (!chart) throw new Error("the recap has no chart button");
      const pressed = Date.now();
      await h.emulator.pressButton(coordinator, summary, chart.callback_data);
      await h.emulator.waitForMessage(coordinator.id, (m) => m.method === "sendPhoto", waitMs);
      figures.chartMs.push(arrivals(h, coordinator.id, pressed)[0]! - pressed);
      figures.tasksAloneMs.push(await answered(h, asker, "/tugas"));
      await rest();
    }

    for (let run = 0; run < options.repeats; run++) {
      const before = h.emulator.messages(busy.id).length;
      const start = Date.now();
      for (let i = 0; i < options.burst; i++) await h.emulator.sendText(busy, "/tugas");
      // The burst is being answered (two answers arrived: the bot has fetched more than its
      // first command) when the other person asks.
      for (let i = 0; i < Math.min(2, options.burst); i++) await h.emulator.waitForMessage(busy.id, undefined, waitMs);
      figures.tasksDuringBurstMs.push(await answered(h, asker, "/tugas"));
      for (let i = before + Math.min(2, options.burst); i < before + options.burst; i++) await h.emulator.waitForMessage(busy.id, undefined, waitMs);
      figures.burstAnsweredMs.push(arrivals(h, busy.id, start).at(-1)! - start);
      // The next burst also starts with the person's flood allowance refilled.
      await new Promise((resolve) => setTimeout(resolve, Math.max(restMs, options.burst * 1000)));
    }
    return figures;
  } finally {
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the section on each database and prints its figures beside the targets. */
export async function latencySection(kinds: DatabaseKind[], burst: number, repeats: number): Promise<void> {
  console.log(
    [
      "The real bot (pantau start, long polling) against the Bot API emulator in this process, on the clock of 2022-01-20.",
      `/rekap: a coordinator of "${sumbar.program}" (19 regions, 95 units); times until the answer, then the chart its button asks for, reached the emulator.`,
      `/tugas: a focal point of Bangka Barat; alone, then once two of another focal point's ${burst} commands (/tugas each) are answered.`,
      `Medians of ${repeats} runs (all runs in brackets).`,
    ].join("\n"),
  );
  for (const kind of kinds) {
    process.stderr.write(`[bench] answer latency on ${kind}…\n`);
    const r = await runLatencyBench({ kind, burst, repeats });
    const runs = (values: number[]) => `${ms(median(values))} (${values.map((v) => ms(v)).join(", ")})`;
    console.log(`\n${kind === "sqlite" ? "SQLite" : "PostgreSQL"}`);
    console.log(
      table(
        ["measure", "figure", "target"],
        [
          ["/rekap: command → answer", runs(r.recapMs), "≤ about 1 s"],
          ["📈 Grafik pressed → chart", runs(r.chartMs), ""],
          ["/tugas alone", runs(r.tasksAloneMs), ""],
          [`/tugas while another person's ${burst} commands are answered`, runs(r.tasksDuringBurstMs), "about /tugas alone"],
          [`that person's ${burst} commands: first → last answer`, runs(r.burstAnsweredMs), "(their own chat's pace)"],
        ],
      ),
    );
  }
}
