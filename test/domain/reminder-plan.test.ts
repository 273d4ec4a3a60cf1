import { describe, expect, it } from "vitest";
import { currentSlot, parseOffsets, type ReminderRules } from "../../src/domain/reminder-plan.js";

// Every instant below is a UTC literal. The suite runs with the server's own TZ set far from
// Indonesia (vitest.config.ts: America/Los_Angeles), which must not change any result.
const WIB = "Asia/Jakarta"; // UTC+7: 08:00 local = 01:00Z
const WITA = "Asia/Makassar"; // UTC+8: 08:00 local = 00:00Z
const WIT = "Asia/Jayapura"; // UTC+9: 08:00 local = 23:00Z the day before

const rules: ReminderRules = { offsets: [14, 7, 3, 1, 0], overdueEveryDays: 3, overdueMaxReminders: 10, sendHour: 8 };
const at = (iso: string) => new Date(iso);

describe("parseOffsets: reading a program's reminder days", () => {
  it("when the program says 14,7,3,1,0, then reminders go out 14, 7, 3, 1 and 0 days before", () => {
    expect(parseOffsets("14,7,3,1,0")).toEqual([14, 7, 3, 1, 0]);
  });

  it("when the days are written out of order, with spaces and repeats, then each day counts once, largest first", () => {
    expect(parseOffsets(" 1, 7 ,3,7, 0 ,14")).toEqual([14, 7, 3, 1, 0]);
  });

  it("when a value is not a whole non-negative number, then it is ignored", () => {
    expect(parseOffsets("7,abc,-1,2.5,3")).toEqual([7, 3]);
  });

  it("when the list has a trailing comma or an empty item, then no unasked-for due-day reminder appears", () => {
    expect(parseOffsets("14,7,")).toEqual([14, 7]);
    expect(parseOffsets("7,,3")).toEqual([7, 3]);
    expect(parseOffsets("")).toEqual([]);
  });
});

describe("currentSlot: the H-n reminder opens at the send hour in the region's own time zone", () => {
  // Due Friday 14 January 2022: H-3 is Tuesday 11 January, H-7 is 7 January.
  const due = "2022-01-14";

  it("when a step is due in 3 days at 08:00 WITA, then the H-3 reminder opens at 00:00 UTC", () => {
    const slot = currentSlot(due, rules, WITA, at("2022-01-11T00:00:00.000Z"));
    expect(slot).toEqual({
      kind: "reminder",
      date: "2022-01-11",
      at: at("2022-01-11T00:00:00.000Z"),
      key: "reminder:2022-01-11",
      daysLeft: 3,
    });
  });

  it("when it is 07:59:59 WITA on H-3, then the H-7 reminder is superseded and nothing is owed until 08:00", () => {
    // A focal point who joined (or a plan imported) just before 08:00 must not get H-7 and then H-3.
    expect(currentSlot(due, rules, WITA, at("2022-01-10T23:59:59.999Z"))).toBeNull();
    expect(currentSlot(due, rules, WITA, at("2022-01-11T00:00:00.000Z"))).toMatchObject({ key: "reminder:2022-01-11", daysLeft: 3 });
  });

  it("when H-7 has passed and H-3 has not come, then the H-7 reminder is still owed", () => {
    const slot = currentSlot(due, rules, WITA, at("2022-01-09T02:00:00.000Z"));
    expect(slot?.key).toBe("reminder:2022-01-07");
    expect(slot?.at).toEqual(at("2022-01-07T00:00:00.000Z"));
    expect(slot?.daysLeft).toBe(5);
  });

  it("when a step is due in 3 days at 08:00 WIB, then the H-3 reminder opens at 01:00 UTC and not a millisecond earlier", () => {
    expect(currentSlot(due, rules, WIB, at("2022-01-11T01:00:00.000Z"))).toMatchObject({
      key: "reminder:2022-01-11",
      at: at("2022-01-11T01:00:00.000Z"),
      daysLeft: 3,
    });
    expect(currentSlot(due, rules, WIB, at("2022-01-11T00:59:59.999Z"))).toBeNull();
  });

  it("when a step is due in 3 days at 08:00 WIT, then the H-3 reminder opens at 23:00 UTC the evening before", () => {
    expect(currentSlot(due, rules, WIT, at("2022-01-10T23:00:00.000Z"))).toMatchObject({
      key: "reminder:2022-01-11",
      at: at("2022-01-10T23:00:00.000Z"),
      daysLeft: 3,
    });
    expect(currentSlot(due, rules, WIT, at("2022-01-10T22:59:59.999Z"))).toBeNull();
  });

  it("when it is 00:30 UTC, then it is past 08:00 in WIT and WITA but not yet in WIB", () => {
    const now = at("2022-01-11T00:30:00.000Z");
    expect(currentSlot(due, rules, WIT, now)?.key).toBe("reminder:2022-01-11");
    expect(currentSlot(due, rules, WITA, now)?.key).toBe("reminder:2022-01-11");
    expect(currentSlot(due, rules, WIB, now)).toBeNull();
  });

  it("when the send hour is 13:00 WIB, then the H-3 reminder opens at 06:00 UTC", () => {
    const afternoon = { ...rules, sendHour: 13 };
    expect(currentSlot(due, afternoon, WIB, at("2022-01-11T05:59:59.999Z"))).toBeNull();
    expect(currentSlot(due, afternoon, WIB, at("2022-01-11T06:00:00.000Z"))).toMatchObject({
      key: "reminder:2022-01-11",
      at: at("2022-01-11T06:00:00.000Z"),
    });
  });

  it("when no reminder day has reached the send hour yet, then nothing is owed", () => {
    // H-14 is 31 December 2021; one millisecond before 08:00 WIB that day.
    expect(currentSlot(due, rules, WIB, at("2021-12-31T00:59:59.999Z"))).toBeNull();
    expect(currentSlot(due, rules, WIB, at("2021-12-31T01:00:00.000Z"))?.key).toBe("reminder:2021-12-31");
  });

  it("when the program only reminds 3 days before and it is H-5, then nothing is owed", () => {
    expect(currentSlot(due, { ...rules, offsets: [3] }, WIB, at("2022-01-09T05:00:00.000Z"))).toBeNull();
  });
});

describe("currentSlot: reminder days across month, year and leap-day boundaries", () => {
  it("when a step is due on 2 March 2022, then the H-3 reminder is on 27 February", () => {
    const slot = currentSlot("2022-03-02", { ...rules, offsets: [3] }, WIB, at("2022-02-27T01:00:00.000Z"));
    expect(slot).toMatchObject({ key: "reminder:2022-02-27", date: "2022-02-27", daysLeft: 3 });
    expect(currentSlot("2022-03-02", { ...rules, offsets: [3] }, WIB, at("2022-02-27T00:59:59.999Z"))).toBeNull();
  });

  it("when a step is due on 2 March 2024 (a leap year), then the H-3 reminder is on 28 February", () => {
    const slot = currentSlot("2024-03-02", { ...rules, offsets: [3] }, WITA, at("2024-02-28T00:00:00.000Z"));
    expect(slot).toMatchObject({ key: "reminder:2024-02-28", daysLeft: 3 });
  });

  it("when a step is due on 1 March 2024, then the H-1 reminder is on 29 February", () => {
    const slot = currentSlot("2024-03-01", { ...rules, offsets: [1] }, WIB, at("2024-02-29T01:00:00.000Z"));
    expect(slot).toMatchObject({ key: "reminder:2024-02-29", daysLeft: 1 });
  });

  it("when a step is due on 2 January 2023, then the H-3 reminder is on 30 December 2022", () => {
    const slot = currentSlot("2023-01-02", { ...rules, offsets: [3] }, WIB, at("2022-12-30T01:00:00.000Z"));
    expect(slot).toMatchObject({ key: "reminder:2022-12-30", at: at("2022-12-30T01:00:00.000Z"), daysLeft: 3 });
  });

  it("when 08:00 WIT on H-3 falls on the previous UTC day across the year end, then the reminder is still dated by the local day", () => {
    // 08:00 WIT on 30 December 2022 is 23:00 UTC on 29 December.
    const slot = currentSlot("2023-01-02", { ...rules, offsets: [3] }, WIT, at("2022-12-29T23:00:00.000Z"));
    expect(slot).toMatchObject({ key: "reminder:2022-12-30", date: "2022-12-30", daysLeft: 3 });
  });
});

describe("currentSlot: catching up after downtime and on the due date", () => {
  const due = "2022-01-14";

  it("when the bot was down through H-3 and comes back on H-2, then only the H-3 reminder is owed, with 2 days left", () => {
    const slot = currentSlot(due, rules, WIB, at("2022-01-12T03:00:00.000Z"));
    expect(slot).toMatchObject({ kind: "reminder", key: "reminder:2022-01-11", date: "2022-01-11", daysLeft: 2 });
    expect(slot?.at).toEqual(at("2022-01-11T01:00:00.000Z"));
  });

  it("when the program lists its days out of order, then the latest opened reminder is still the one owed", () => {
    const shuffled = { ...rules, offsets: [0, 3, 14, 1, 7] };
    expect(currentSlot(due, shuffled, WIB, at("2022-01-12T03:00:00.000Z"))?.key).toBe("reminder:2022-01-11");
  });

  it("when the bot was down since before H-14 and comes back on H-5, then the H-7 reminder is owed, not H-14", () => {
    expect(currentSlot(due, rules, WIB, at("2022-01-09T03:00:00.000Z"))?.key).toBe("reminder:2022-01-07");
  });

  it("when it is the due date after the send hour, then the H-0 reminder is owed with 0 days left", () => {
    expect(currentSlot(due, rules, WITA, at("2022-01-14T02:00:00.000Z"))).toEqual({
      kind: "reminder",
      date: "2022-01-14",
      at: at("2022-01-14T00:00:00.000Z"),
      key: "reminder:2022-01-14",
      daysLeft: 0,
    });
  });

  it("when it is the due date before the send hour, then nothing is owed until the H-0 reminder opens", () => {
    expect(currentSlot(due, rules, WITA, at("2022-01-13T23:30:00.000Z"))).toBeNull();
    expect(currentSlot(due, rules, WITA, at("2022-01-14T00:00:00.000Z"))).toMatchObject({ key: "reminder:2022-01-14", daysLeft: 0 });
  });
});

describe("currentSlot: overdue reminders", () => {
  const due = "2022-01-14";

  it("when it is the day after the due date before the send hour, then nothing is owed", () => {
    // 07:59 WIB on 15 January.
    expect(currentSlot(due, rules, WIB, at("2022-01-15T00:59:59.999Z"))).toBeNull();
  });

  it("when it is the day after the due date at the send hour, then the first overdue reminder is owed, 1 day late", () => {
    expect(currentSlot(due, rules, WIB, at("2022-01-15T01:00:00.000Z"))).toEqual({
      kind: "overdue",
      date: "2022-01-15",
      at: at("2022-01-15T01:00:00.000Z"),
      key: "overdue:2022-01-15",
      daysLeft: -1,
    });
  });

  it("when overdue reminders repeat every 3 days, then they fall on due+1, due+4, due+7 and due+10", () => {
    const keys = ["2022-01-15", "2022-01-18", "2022-01-21", "2022-01-24"].map(
      (date) => currentSlot(due, rules, WIB, at(`${date}T01:00:00.000Z`))?.key,
    );
    expect(keys).toEqual(["overdue:2022-01-15", "overdue:2022-01-18", "overdue:2022-01-21", "overdue:2022-01-24"]);
  });

  it("when it is between two overdue reminders, then the last one sent stays owed and daysLeft counts the days late", () => {
    const slot = currentSlot(due, rules, WIB, at("2022-01-17T10:00:00.000Z"));
    expect(slot).toMatchObject({ kind: "overdue", key: "overdue:2022-01-15", daysLeft: -3 });
  });

  it("when it is due+4 before the send hour, then the due+1 reminder is superseded and nothing is owed", () => {
    expect(currentSlot(due, rules, WIB, at("2022-01-18T00:59:59.999Z"))).toBeNull();
    expect(currentSlot(due, rules, WIB, at("2022-01-17T12:00:00.000Z"))?.key).toBe("overdue:2022-01-15");
  });

  it("when overdue reminders repeat every day, then one is owed each day", () => {
    const daily = { ...rules, overdueEveryDays: 1 };
    expect(currentSlot(due, daily, WIB, at("2022-01-16T01:00:00.000Z"))?.key).toBe("overdue:2022-01-16");
    expect(currentSlot(due, daily, WIB, at("2022-01-17T01:00:00.000Z"))?.key).toBe("overdue:2022-01-17");
  });

  it("when the repeat interval is set to 0, then overdue reminders go out daily instead of stopping", () => {
    const zero = { ...rules, overdueEveryDays: 0 };
    expect(currentSlot(due, zero, WIB, at("2022-01-17T01:00:00.000Z"))?.key).toBe("overdue:2022-01-17");
  });

  it("when at most 3 overdue reminders are allowed, then the 4th (due+10) is never owed", () => {
    const capped = { ...rules, overdueMaxReminders: 3 };
    expect(currentSlot(due, capped, WIB, at("2022-01-21T01:00:00.000Z"))?.key).toBe("overdue:2022-01-21");
    expect(currentSlot(due, capped, WIB, at("2022-01-24T01:00:00.000Z"))).toBeNull();
    expect(currentSlot(due, capped, WIB, at("2022-03-01T01:00:00.000Z"))).toBeNull();
  });

  it("when no overdue reminders are allowed, then nothing is owed once the step is late", () => {
    const none = { ...rules, overdueMaxReminders: 0 };
    expect(currentSlot(due, none, WIB, at("2022-01-15T01:00:00.000Z"))).toBeNull();
  });

  it("when a step is due on 31 December in WIT, then the first overdue reminder is dated 1 January and opens at 23:00 UTC on 31 December", () => {
    expect(currentSlot("2022-12-31", rules, WIT, at("2022-12-31T22:59:59.999Z"))).toBeNull();
    expect(currentSlot("2022-12-31", rules, WIT, at("2022-12-31T23:00:00.000Z"))).toMatchObject({
      key: "overdue:2023-01-01",
      at: at("2022-12-31T23:00:00.000Z"),
      daysLeft: -1,
    });
  });

  it("when the bot was down for weeks after the due date, then one current overdue reminder is owed, not the stale first one", () => {
    // 30 days after the due date: due+28 (2022-02-11) is the 10th slot (index 9) and the latest opened one.
    const slot = currentSlot(due, rules, WIB, at("2022-02-13T03:00:00.000Z"));
    expect(slot).toMatchObject({ kind: "overdue", key: "overdue:2022-02-11", daysLeft: -30 });
  });
});

describe("currentSlot: the server's own time zone does not matter", () => {
  it("when the server clock reads the evening of 10 January in Los Angeles, then WIB's 08:00 on 11 January is still 01:00 UTC", () => {
    // 2022-01-11T01:00Z is 17:00 on 10 January in America/Los_Angeles (the suite's TZ).
    const now = new Date("2022-01-11T01:00:00Z");
    const slot = currentSlot("2022-01-14", { ...rules, offsets: [3] }, WIB, now);
    expect(slot?.key).toBe("reminder:2022-01-11");
    expect(slot?.at.toISOString()).toBe("2022-01-11T01:00:00.000Z");
    expect(currentSlot("2022-01-14", { ...rules, offsets: [3] }, WIB, new Date("2022-01-11T00:59:59Z"))).toBeNull();
  });
});
