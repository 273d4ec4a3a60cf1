import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";

/** Where the browser tests leave their screenshots to look at (SCREENSHOT_DIR, else the system's temporary folder). */
export const screenshotDir = process.env.SCREENSHOT_DIR ?? path.join(tmpdir(), "pantau-screenshots");

/** Debian's Chromium (`apt-get install -y chromium`); Playwright's own download needs the internet. */
export const chromiumPath = "/usr/bin/chromium";

/**
 * Whether the browser tests run here: always in CI (CI=true), where a missing Chromium fails them
 * (.ci/run installs it); elsewhere a machine without it skips them with a warning.
 */
export function browserAvailable(): boolean {
  if (process.env.CI === "true" || existsSync(chromiumPath)) return true;
  console.warn(
    `Chromium is not installed at ${chromiumPath}: the browser tests are skipped here (in CI they fail). Install it with: apt-get install -y chromium`,
  );
  return false;
}

/**
 * Chromium headless, quiet on a closed network: without the background networking flags it
 * floods the network with connections nobody answers. Playwright gives each launch a fresh
 * profile (its own temporary --user-data-dir).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw new Error(`Chromium is not installed at ${chromiumPath} (apt-get install -y chromium)`);
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}
