import { describe, expect, it } from "vitest";
import { localDate, localHour, zonedInstant } from "../../src/domain/dates.js";

// The tests run in America/Los_Angeles (vitest.config.ts), whose clocks jump on 13 March 2022 and
// go back on 6 November 2022: a zone's clock must not be read through the server's.
describe("time zones beside the server's daylight saving", () => {
  it("when Jakarta's clock reads an hour the server's clock skipped, then the hour is Jakarta's", () => {
    const instant = new Date("2022-03-12T19:30:00Z"); // 02:30 WIB; 02:30 never happened in Los Angeles
    expect(localDate(instant, "Asia/Jakarta")).toBe("2022-03-13");
    expect(localHour(instant, "Asia/Jakarta")).toBe(2);
    expect(zonedInstant("2022-03-13", 2, "Asia/Jakarta").toISOString()).toBe("2022-03-12T19:00:00.000Z");
  });

  it("when a region's hour happens twice, then it is the first; when its clock skips an hour, then the hour after", () => {
    expect(zonedInstant("2022-10-30", 2, "Europe/Amsterdam").toISOString()).toBe("2022-10-30T00:00:00.000Z");
    expect(zonedInstant("2022-11-06", 1, "America/New_York").toISOString()).toBe("2022-11-06T05:00:00.000Z");
    expect(zonedInstant("2022-03-27", 2, "Europe/Amsterdam").toISOString()).toBe("2022-03-27T01:00:00.000Z");
    expect(localHour(zonedInstant("2022-03-27", 2, "Europe/Amsterdam"), "Europe/Amsterdam")).toBe(3);
  });
});
