// Section 5: the memory of `pantau start` itself: the compiled bot in a process of its own
// (bin/pantau.js, as an admin runs it), polling the Bot API emulator in this process, on a
// SQLite file holding the example plans. Its RSS is read from /proc while it idles, while 600
// focal points send 1,800 commands, and once it has answered them all.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { addDays, localDate } from "../../src/domain/dates.js";
import type { EmuUser } from "../../test/support/bot-api-emulator.js";
import { examplePlan, Harness } from "../../test/support/harness.js";
import { sumbarCsv } from "../../test/support/sumbar-plan.js";
import { mb, median, ms, pairs, table } from "./report.js";

export interface StartMemoryOptions {
  /** Focal points sending commands. */
  people: number;
  /** Commands each of them sends. */
  commandsEach: number;
}

export interface StartMemoryFigures extends StartMemoryOptions {
  /** RSS once started, nothing to do (samples over a few seconds). */
  idleRss: number[];
  /** Highest RSS while the commands were answered (VmHWM). */
  peakRss: number;
  /** RSS once everything was answered, after a rest. */
  afterRss: number[];
  /** From the first command to the last answer. */
  answeredMs: number;
  answers: number;
}

/** Idle targets of issue 10: a small server shares 2–4 GB with other services. */
export const idleRssTarget = 150 * 1024 * 1024;
/** "Back near idle" after the load: at most this much above the idle figure. */
export const afterLoadMargin = 50 * 1024 * 1024;

const commands = ["/tugas", "/status", "/bantuan"];
const sleep = (msToWait: number) => new Promise((resolve) => setTimeout(resolve, msToWait));

/** The process's resident set and its high-water mark, in bytes, from /proc (Linux). */
function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb("VmRSS"), hwm: kb("VmHWM") };
}

async function samples(pid: number, count: number, everyMs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(memoryOf(pid).rss);
    await sleep(everyMs);
  }
  return out;
}

/** Starts `pantau start` and resolves once it logged that it started. */
async function startPantau(env: NodeJS.ProcessEnv): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["bin/pantau.js", "start"], { env: { ...process.env, ...env, LOG_LEVEL: "info" }, stdio: ["ignore", "pipe", "pipe"] });
  let err = "";
  child.stderr!.on("data", (d: Buffer) => (err += d.toString()));
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("Pantau started")) {
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        resolve();
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`pantau start exited with ${code}: ${err}`)));
  });
  return child;
}

export async function runStartMemoryBench(options: StartMemoryOptions): Promise<StartMemoryFigures> {
  const h = await Harness.create("sqlite");
  const dir = mkdtempSync(path.join(tmpdir(), "pantau-bench-start-"));
  let child: ChildProcess | undefined;
  try {
    writeFileSync(path.join(dir, "sumbar.csv"), sumbarCsv());
    for (const file of [examplePlan, path.join(dir, "sumbar.csv")]) {
      const imported = await h.cli("import", file);
      if (imported.code !== 0) throw new Error(`import ${file}: ${imported.stderr}`);
    }
    // The plans' steps fall due from today + 20 days on, so that the pass at start owes nothing
    // (an idle bot), while /tugas and /status have open steps to list.
    const today = localDate(new Date(), "Asia/Jakarta");
    const steps = await h.db.milestone.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    for (const [i, step] of steps.entries()) {
      await h.db.milestone.update({ where: { id: step.id }, data: { dueDate: addDays(today, 20 + (i % 120)) } });
    }
    const units = await h.db.unit.findMany({ select: { id: true }, orderBy: { id: "asc" } });
    const people: EmuUser[] = Array.from({ length: options.people }, (_, i) => ({ id: 9_000_000 + i, first_name: `PIC ${i + 1}`, language_code: "id" }));
    for (const [i, user] of people.entries()) {
      const person = await h.db.person.create({ data: { telegramId: BigInt(user.id), firstName: user.first_name, language: "id", startedAt: new Date() } });
      await h.db.membership.create({ data: { personId: person.id, role: "pic", unitId: units[i % units.length]!.id } });
      h.emulator.seedPrivateChat(user);
    }
    await h.db.$disconnect();

    child = await startPantau(h.env);
    const pid = child.pid!;
    // The pass at start and the command menus settle first.
    await sleep(5_000);
    const idleRss = await samples(pid, 10, 500);

    const expected = options.people * options.commandsEach;
    const started = Date.now();
    for (let round = 0; round < options.commandsEach; round++) {
      for (const user of people) await h.emulator.sendText(user, commands[round % commands.length]!);
    }
    const answered = () => people.reduce((sum, u) => sum + h.emulator.messages(u.id).length, 0);
    const deadline = Date.now() + 10 * 60_000;
    while (answered() < expected && Date.now() < deadline) await sleep(200);
    const answeredMs = Date.now() - started;
    const answers = answered();
    const peakRss = memoryOf(pid).hwm;
    await sleep(10_000);
    const afterRss = await samples(pid, 10, 500);
    return { ...options, idleRss, peakRss, afterRss, answeredMs, answers };
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    await h.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs the section and prints its figures beside the targets. */
export async function startMemorySection(options: StartMemoryOptions): Promise<StartMemoryFigures> {
  const total = options.people * options.commandsEach;
  console.log(
    [
      "`node bin/pantau.js start` in a process of its own (compiled code, the heap sized as bin/pantau.js sizes it), long polling",
      "the Bot API emulator in this process, on a SQLite file with the Bangka Barat and Sumatera Barat plans (19 regions, 99 units),",
      `every step due in 20 days or more (nothing owed). RSS read from /proc/<pid>/status: idle (10 samples over 5 s, after 5 s`,
      `of rest), the high-water mark while ${options.people} focal points send ${options.commandsEach} commands each (${commands.join(", ")}, all`,
      "at once), and again 10 s after the last answer.",
    ].join("\n"),
  );
  process.stderr.write(`[bench] pantau start: idle, then ${total} commands from ${options.people} people…\n`);
  const r = await runStartMemoryBench(options);
  const idle = median(r.idleRss);
  const after = median(r.afterRss);
  console.log(
    pairs([
      ["answers", `${r.answers} of ${total} in ${ms(r.answeredMs)}`],
      ["idle samples", r.idleRss.map((v) => mb(v)).join(" / ")],
      ["after samples", r.afterRss.map((v) => mb(v)).join(" / ")],
    ]),
  );
  console.log(
    table(
      ["memory of pantau start", "RSS", "target", ""],
      [
        ["idle (median)", mb(idle), `under ${mb(idleRssTarget)}`, idle < idleRssTarget ? "met" : "NOT met"],
        [`peak while answering ${total} commands`, mb(r.peakRss), "", ""],
        ["10 s after the last answer (median)", mb(after), `under idle + ${mb(afterLoadMargin)}`, after < idle + afterLoadMargin ? "met" : "NOT met"],
      ],
    ),
  );
  return r;
}
