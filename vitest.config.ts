import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // End-to-end files each start a bot, an emulator and a database; two cores run two at once.
    maxWorkers: 2,
    restoreMocks: true,
    // The server's own time zone must never matter: run everything far from Indonesia.
    env: { TZ: "America/Los_Angeles" },
  },
});
