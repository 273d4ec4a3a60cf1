import { describe, expect, it } from "vitest";
import { FloodLimiter } from "../../src/bot/flood-limit.js";
import { apiLimits } from "../../src/miniapp/routes.js";

// The dashboard API's limits as one person meets them: generous for a coordinator at work, tight
// for a loop. (The routes' 429 and Retry-After are tested end to end in test/e2e/mini-app.test.ts.)

const second = 1000;

describe("the dashboard API's rate limits", () => {
  it("when a coordinator opens the page and 30 steps in half a minute, each with three photos, then nothing is refused", () => {
    const data = new FloodLimiter(apiLimits.data);
    const files = new FloodLimiter(apiLimits.files);
    expect(data.take(1, 0)).toBe("pass");
    for (let step = 0; step < 30; step++) {
      const at = second + step * second;
      expect(data.take(1, at)).toBe("pass");
      for (let photo = 0; photo < 3; photo++) expect(files.take(1, at + 50 + photo)).toBe("pass");
    }
  });

  it("when a coordinator opens 100 steps one after another as fast as a person taps, then nothing is refused", () => {
    const data = new FloodLimiter(apiLimits.data);
    for (let step = 0; step < 100; step++) expect(data.take(1, step * 1.5 * second)).toBe("pass");
  });

  it("when a loop downloads files as fast as it can for a minute, then it gets the burst and one a second after it", () => {
    const files = new FloodLimiter(apiLimits.files);
    let passed = 0;
    for (let at = 0; at < 60 * second; at += 10) if (files.take(1, at) === "pass") passed++;
    expect(passed).toBeGreaterThanOrEqual(apiLimits.files.burst + 59);
    expect(passed).toBeLessThanOrEqual(apiLimits.files.burst + 60);
  });
});
