import { spawn } from "node:child_process";
import net, { type AddressInfo } from "node:net";
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

function pantau(args: string[], env: NodeJS.ProcessEnv, whenStarted?: (stop: () => void, stdout: string) => void): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["bin/pantau.js", ...args], { env: { PATH: process.env.PATH, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk;
      if (whenStarted && stdout.includes("Pantau started")) {
        const notify = whenStarted;
        whenStarted = undefined;
        notify(() => child.kill("SIGTERM"), stdout);
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

  it("applies the migrations, polls, answers /healthz on this machine, and stops cleanly on SIGTERM without printing the token", async () => {
    let healthz: Promise<{ status: number; body: string }> | null = null;
    const exit = await pantau(
      ["start"],
      { BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, DATABASE_URL: database.url, LOG_LEVEL: "debug", PORT: "0" },
      // Stopped once it has polled and answered /healthz (the stop also works before: it ends the first poll).
      (stop, stdout) => {
        const port = /"listen":"127\.0\.0\.1:(\d+)"/.exec(stdout)?.[1];
        healthz = fetch(`http://127.0.0.1:${port}/healthz`).then(async (res) => ({ status: res.status, body: await res.text() }));
        const polled = setInterval(() => {
          if (emulator.calls("getUpdates").length === 0) return;
          clearInterval(polled);
          void healthz!.finally(stop);
        }, 20);
      },
    );
    expect(exit.stderr).toBe("");
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain("migrations applied");
    expect(exit.stdout).toMatch(/"mode":"polling".*"listen":"127\.0\.0\.1:\d+"/);
    expect(await healthz).toEqual({ status: 200, body: '{"status":"ok"}' });
    expect(exit.stdout).toContain("Pantau stopped");
    expect(emulator.calls("getUpdates").length).toBeGreaterThan(0);
    expect(exit.stdout + exit.stderr).not.toContain(emulator.token.split(":")[1]);
  });

  it("when its port is taken, stops with one sentence naming the address and PORT", async () => {
    const taken = net.createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", () => resolve()));
    const port = (taken.address() as AddressInfo).port;
    try {
      const exit = await pantau(["start"], { BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, DATABASE_URL: database.url, PORT: String(port) });
      expect(exit.code).toBe(1);
      expect(exit.stderr).toContain(`Pantau tidak bisa mendengarkan di 127.0.0.1:${port}`);
      expect(exit.stderr).toContain("PORT");
      expect(exit.stderr.trim().split("\n")).toHaveLength(1);
    } finally {
      await new Promise<void>((resolve) => taken.close(() => resolve()));
    }
  });

  it("exits with a clear message when another process takes over the token", async () => {
    let rival: Telegraf | null = null;
    const polledBefore = emulator.calls("getUpdates").length;
    const exit = await pantau(["start"], { BOT_TOKEN: emulator.token, TELEGRAM_API_ROOT: emulator.apiRoot, DATABASE_URL: database.url, PORT: "0" }, () => {
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
    const exit = await pantau(["start"], { BOT_TOKEN: wrong, TELEGRAM_API_ROOT: emulator.apiRoot, DATABASE_URL: database.url, PORT: "0" });
    expect(exit.code).toBe(1);
    expect(exit.stderr).toContain("401");
    expect(exit.stdout + exit.stderr).not.toContain("AAWrongTokenWrongToken");
  });
});
