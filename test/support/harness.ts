import { Writable } from "node:stream";
import { startPantau, type RunningPantau } from "../../src/app.js";
import { wallClock } from "../../src/clock.js";
import { runCli } from "../../src/cli.js";
import { loadBotConfig } from "../../src/config.js";
import { openPrisma, type DatabaseKind, type Prisma } from "../../src/db/connection.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { createLogger } from "../../src/logger.js";
import { BotApiEmulator, type EmuUser, type SentMessage } from "./bot-api-emulator.js";

export { databaseKinds } from "./databases.js";

export const examplePlan = "examples/rencana-aksi-bangka-barat-2022.csv";

/** The inline buttons of a message the bot sent, in order. */
export const buttons = (m: SentMessage): { text: string; callback_data: string }[] => (m.reply_markup?.inline_keyboard ?? []).flat();
/** Whether a message's text contains `text`. */
export const has = (text: string) => (m: SentMessage) => !!m.plainText?.includes(text);
/** The callback data of a message's first button whose label contains `text`. */
export const press = (text: string) => (m: SentMessage) => buttons(m).find((b) => b.text.includes(text))!.callback_data;
/** The invite code of a deep link in a message's text. */
export const codeOf = (text: string | undefined) => /\?start=([A-Za-z0-9_-]{20,})/.exec(text ?? "")?.[1] ?? "";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * A whole Pantau on one machine: a scratch database of the given kind, a Bot API emulator,
 * the real bot polling it, the CLI, and a clock the test sets.
 */
export class Harness {
  clock = new Date("2022-01-11T09:00:00+07:00");
  readonly logs: string[] = [];
  private running: RunningPantau | null = null;
  private botEnv: NodeJS.ProcessEnv = {};
  private prisma: Prisma | null = null;

  private constructor(
    readonly kind: DatabaseKind,
    readonly database: ScratchDatabase,
    readonly emulator: BotApiEmulator,
  ) {}

  static async create(kind: DatabaseKind): Promise<Harness> {
    const database = await createScratchDatabase(kind);
    const emulator = await BotApiEmulator.start();
    return new Harness(kind, database, emulator);
  }

  get env(): NodeJS.ProcessEnv {
    return {
      BOT_TOKEN: this.emulator.token,
      TELEGRAM_API_ROOT: this.emulator.apiRoot,
      DATABASE_URL: this.database.url,
      LOG_LEVEL: "debug",
      // Pantau's HTTP server (health, metrics) on any free port: test files run side by side.
      PORT: "0",
    };
  }

  /** Added to real time for the bot's health checks: a test moves it to make them stale. */
  wallShiftMs = 0;

  /** Where the running bot's HTTP server listens. */
  get http(): { host: string; port: number } {
    if (!this.running) throw new Error("the bot is not running");
    return this.running.http;
  }

  /** Runs `pantau <argv>` in this process against the harness's database and emulator. */
  async cli(...argv: string[]): Promise<CliRun> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(argv, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: this.env });
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  }

  /** `pantau <argv>` on the harness's clock (`cli` runs on the machine's, as an admin's shell does). */
  async cliOnClock(...argv: string[]): Promise<CliRun> {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const code = await runCli(argv, { stdout: (l) => stdout.push(l), stderr: (l) => stderr.push(l), env: this.env, clock: () => this.clock });
    return { code, stdout: stdout.join("\n"), stderr: stderr.join("\n") };
  }

  /**
   * The bot runs on the harness's clock, and without cron ticks: a tick at a five-minute mark of
   * real time would send reminders into the middle of a test's conversation. Passes still run at
   * start, when something is queued, and through `pantau remind`.
   */
  private readonly pantauOptions = { clock: () => this.clock, schedule: null, wallClock: () => wallClock() + this.wallShiftMs };

  /**
   * Starts the bot as `pantau start` does, with the harness's clock and a log capture; `extraEnv`
   * (e.g. TELEGRAM_RATE_LIMIT) is added to the harness's environment and kept for restarts.
   */
  async startBot(extraEnv?: NodeJS.ProcessEnv): Promise<void> {
    if (extraEnv) this.botEnv = extraEnv;
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        this.logs.push(String(chunk));
        done();
      },
    });
    this.running = await startPantau(loadBotConfig({ ...this.env, ...this.botEnv }), createLogger("debug", sink), this.pantauOptions);
  }

  /**
   * Resolves once the bot has answered everything sent to it so far: the emulator has handed
   * over every update (its `idle()`, which alone means only "fetched"), and the bot has handled
   * each one it took in. Messages the outbox sends later are not waited for.
   */
  async answered(timeoutMs = 15_000): Promise<void> {
    await this.emulator.idle(timeoutMs);
    if (!this.running) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`answered() timed out after ${timeoutMs}ms: the bot has updates it took in and has not handled`)), timeoutMs);
    });
    await Promise.race([this.running.handled(), timeout]).finally(() => clearTimeout(timer));
  }

  /** Stops the bot as SIGTERM would and starts it again (with other `extraEnv` when given). */
  async restartBot(extraEnv?: NodeJS.ProcessEnv): Promise<void> {
    await this.stopBot();
    await this.startBot(extraEnv);
  }

  /** Stops the running bot as SIGTERM would (the database and the emulator stay). */
  async stopBot(): Promise<void> {
    await this.running?.stop();
    this.running = null;
  }

  /**
   * Starts one more Pantau on the harness's database and emulator, with extra environment
   * (e.g. WEBHOOK_URL, WEBHOOK_SECRET, PORT); its logs go to `logs` too. The caller stops it.
   */
  async startInstance(env: NodeJS.ProcessEnv): Promise<RunningPantau> {
    const sink = new Writable({
      write: (chunk, _encoding, done) => {
        this.logs.push(String(chunk));
        done();
      },
    });
    return startPantau(loadBotConfig({ ...this.env, ...env }), createLogger("debug", sink), this.pantauOptions);
  }

  /** A Prisma client on the harness's database, for assertions on what was stored. */
  get db(): Prisma {
    this.prisma ??= openPrisma(this.database.url);
    return this.prisma;
  }

  /** Walks `/lapor` as a focal point would: the step, the percentage, a note; resolves with the "Simpan?" confirmation. */
  async draftReport(user: EmuUser, step: string, percent: string, note: string): Promise<SentMessage> {
    await this.emulator.sendText(user, "/lapor");
    const pick = await this.emulator.waitForMessage(user.id, has("Tahapan mana"), 20_000);
    await this.emulator.pressButton(user, pick, press(step)(pick));
    const progress = await this.emulator.waitForMessage(user.id, has("Progres terakhir"), 20_000);
    await this.emulator.pressButton(user, progress, press(percent)(progress));
    await this.emulator.waitForMessage(user.id, has("catatan"), 20_000);
    await this.emulator.sendText(user, note);
    return this.emulator.waitForMessage(user.id, has("Simpan?"), 20_000);
  }

  async stop(): Promise<void> {
    await this.running?.stop();
    await this.prisma?.$disconnect();
    await this.emulator.stop();
    await this.database.drop();
  }
}
