import { describe, expect, it } from "vitest";
import { digestSlot, digestWindow, type DigestRules } from "../../src/domain/digest-plan.js";

// Every instant is a UTC literal; the suite runs with the server's TZ far from Indonesia.
const WIB = "Asia/Jakarta"; // 08:00 local = 01:00Z
const WIT = "Asia/Jayapura"; // 08:00 local = 23:00Z the day before
const rules: DigestRules = { digestEnabled: true, digestWeekday: 1, digestHour: null, sendHour: 8, quietStartHour: 21, quietEndHour: 6 };
const at = (iso: string) => new Date(iso);

describe("digestSlot: the week's digest opens on the program's day and hour in the recipient's zone", () => {
  // Monday 10 January 2022.
  it("when it is Monday just after the send hour, then that Monday's digest is owed, opened at the send hour", () => {
    expect(digestSlot(rules, WIB, at("2022-01-10T01:05:00Z"))).toEqual({ date: "2022-01-10", at: at("2022-01-10T01:00:00Z") });
  });

  it("when it is Monday just before the send hour, then nothing is owed (last week's is long past)", () => {
    expect(digestSlot(rules, WIB, at("2022-01-10T00:59:00Z"))).toBeNull();
  });

  it("when the bot was down and comes back less than a day later, then the digest is still owed; a day later it is not replayed", () => {
    expect(digestSlot(rules, WIB, at("2022-01-11T00:59:00Z"))).toEqual({ date: "2022-01-10", at: at("2022-01-10T01:00:00Z") });
    expect(digestSlot(rules, WIB, at("2022-01-11T01:00:00Z"))).toBeNull();
    expect(digestSlot(rules, WIB, at("2022-01-14T01:00:00Z"))).toBeNull();
  });

  it("when it is Monday 08:00 in WIT, then the digest of the local Monday opens on Sunday 23:00 UTC", () => {
    expect(digestSlot(rules, WIT, at("2022-01-09T23:00:00Z"))).toEqual({ date: "2022-01-10", at: at("2022-01-09T23:00:00Z") });
    expect(digestSlot(rules, WIB, at("2022-01-09T23:00:00Z"))).toBeNull();
  });

  it("when the program sets another day and hour, then the digest follows them, not the send hour", () => {
    const friday = { ...rules, digestWeekday: 5, digestHour: 15 };
    expect(digestSlot(friday, WIB, at("2022-01-14T08:00:00Z"))).toEqual({ date: "2022-01-14", at: at("2022-01-14T08:00:00Z") });
    expect(digestSlot(friday, WIB, at("2022-01-10T01:05:00Z"))).toBeNull();
  });

  it("when it falls in quiet hours, then it waits for their end, and a digest hour inside them opens when they end", () => {
    // Missed at 08:00 Monday, back at 22:00 (quiet): owed again at 06:00 Tuesday, still within the day.
    expect(digestSlot(rules, WIB, at("2022-01-10T15:00:00Z"))).toBeNull();
    expect(digestSlot(rules, WIB, at("2022-01-10T23:00:00Z"))).toEqual({ date: "2022-01-10", at: at("2022-01-10T01:00:00Z") });
    // 22:00 lies in the quiet hours 21–6: the digest opens at 06:00 on its own day.
    expect(digestSlot({ ...rules, digestHour: 22 }, WIB, at("2022-01-09T23:00:00Z"))).toEqual({ date: "2022-01-10", at: at("2022-01-09T23:00:00Z") });
  });

  it("when the program switched digests off, then none is owed", () => {
    expect(digestSlot({ ...rules, digestEnabled: false }, WIB, at("2022-01-10T01:05:00Z"))).toBeNull();
  });
});

describe("digestWindow: what a digest covers", () => {
  it("when the digest opened on Monday, then it lists the reports of the seven days before and the steps due within 14 days", () => {
    expect(digestWindow(at("2022-01-10T01:00:00Z"), "2022-01-10")).toEqual({ reportsSince: at("2022-01-03T01:00:00Z"), dueUntil: "2022-01-24" });
  });

  it("when one week's digest follows another, then the second covers the reports from the moment the first opened, so none falls between", () => {
    const first = at("2022-01-03T01:00:00Z");
    expect(digestWindow(at("2022-01-10T01:00:00Z"), "2022-01-10").reportsSince).toEqual(first);
  });
});
