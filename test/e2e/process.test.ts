import { spawn } from "node:child_process";
import { Telegraf } from "telegraf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";
import { BotApiEmulator } from "../support/bot-api-emulator.js";

// `pantau start` as an admin runs it: the built command in its own process.

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function pantau(args: string[], env: NodeJS.ProcessEnv, whenStarted?: (stop: () => void) => void): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/pantau.js", ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (whenStarted && stdout.includes("Pantau started")) {
        const notify = whenStarted;
        whenStarted = undefined;
        notify(() => child.kill("SIGTERM"));
      }
    });
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("pantau start", () => {
  let emulator: BotApiEmulator;
  let database: ScratchDatabase;

  beforeAll(async () => {
    emulator = await BotApiEmulator.start();
    database = await createScratchDatabase("sqlite");
  });
  afterAll(async () => {
    await emulator?.stop();
    await database?.drop();
  });

  it("without BOT_TOKEN stops with one sentence saying what to set and where to get it", async () => {
    const exit = await pantau(["start"], { DATABASE_URL: database.url });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("BOT_TOKEN belum diisi");
    expect(exit.stderr).toContain("@BotFather");
    expect(exit.stderr).not.toContain("at ");
  });

  it("applies the migrations, polls, and stops cleanly on SIGTERM without printing the token", async () => {
    const exit = await pantau(
      ["start"],
      { BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, DATABASE_URL: database.url, LOG_LEVEL: "debug" },
      // Stopped once it has polled (the stop also works before: it ends the first poll).
      (stop) => {
        const polled = setInterval(() => {
          if (emulator.calls("getUpdates").length === 0) return;
          clearInterval(polled);
          stop();
        }, 20);
      },
    );
    expect(exit.stderr).toBe("");
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain("migrations applied");
    expect(exit.stdout).toContain("Pantau stopped");
    expect(emulator.calls("getUpdates").length).toBeGreaterThan(0);
    expect(exit.stdout + exit.stderr).not.toContain(emulator.token.split(":")[1]);
  });

  it("exits with a clear message when another process takes over the token", async () => {
    let rival: Telegraf | null = null;
    const polledBefore = emulator.calls("getUpdates").length;
    const exit = await pantau(["start"], { BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, DATABASE_URL: database.url }, () => {
      // The rival comes once Pantau is polling (it logs "started" just before its first poll).
      const takeOver = () => {
        if (emulator.calls("getUpdates").length === polledBefore) return void setTimeout(takeOver, 20);
        rival = new Telegraf(emulator.token, { telegram: { apiRoot: emulator.apiRoot } });
        rival.catch(() => undefined);
        void rival.launch().catch(() => undefined);
      };
      takeOver();
    });
    (rival as Telegraf | null)?.stop();
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("Bot berhenti menerima pesan");
  });

  it("with a token the Bot API refuses, fails with the reason and without the token", async () => {
    const wrong = `${emulator.token.split(":")[0]}:AAWrongTokenWrongTokenWrongToken12345`;
    const exit = await pantau(["start"], { BOT_TOKEN: wrong, TELEGRAM_API_ROOT: emulator.apiRoot, DATABASE_URL: database.url });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("401");
    expect(exit.stdout + exit.stderr).not.toContain("AAWrongTokenWrongToken");
  });
});
