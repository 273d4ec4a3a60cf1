import { describe, expect, it } from "vitest";
import { currentSlot, isQuietHour, nextTurn, parseOffsets, remindsSilently, slotPlanner, type ReminderRules } from "../../src/domain/reminder-plan.js";

// Every instant below is a UTC literal. The suite runs with the server's own TZ set far from
// Indonesia (vitest.config.ts: America/Los_Angeles), which must not change any result.
const WIB = "Asia/Jakarta"; // UTC+7: 08:00 local = 01:00Z
const WITA = "Asia/Makassar"; // UTC+8: 08:00 local = 00:00Z
const WIT = "Asia/Jayapura"; // UTC+9: 08:00 local = 23:00Z the day before

const rules: ReminderRules = {
  offsets: [14, 7, 3, 1, 0],
  overdueEveryDays: 3,
  overdueMaxReminders: 10,
  sendHour: 8,
  workingDaysOnly: false,
  quietStartHour: 21,
  quietEndHour: 6,
};
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
    const keys = ["2022-01-15", "2022-01-18", "2022-01-21", "2022-01-24"].map((date) => currentSlot(due, rules, WIB, at(`${date}T01:00:00.000Z`))?.key);
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

describe("currentSlot: with working days only, H-n reminders move back to the working day before", () => {
  const workdays = { ...rules, workingDaysOnly: true };

  it("when H-3 falls on a Sunday, then the reminder goes out on the Friday before at the send hour", () => {
    // Due Wednesday 19 January 2022: H-3 is Sunday 16 January.
    const h3 = { ...workdays, offsets: [3] };
    expect(currentSlot("2022-01-19", h3, WIB, at("2022-01-14T00:59:59.999Z"))).toBeNull();
    expect(currentSlot("2022-01-19", h3, WIB, at("2022-01-14T01:00:00.000Z"))).toEqual({
      kind: "reminder",
      date: "2022-01-14",
      at: at("2022-01-14T01:00:00.000Z"),
      key: "reminder:2022-01-14",
      daysLeft: 5,
    });
    // On the Sunday itself the Friday reminder is still the one owed: nothing new goes out.
    expect(currentSlot("2022-01-19", h3, WIB, at("2022-01-16T01:00:00.000Z"))).toMatchObject({ key: "reminder:2022-01-14", daysLeft: 3 });
  });

  it("when the program does not keep to working days, then the same H-3 reminder goes out on the Sunday", () => {
    const h3 = { ...rules, offsets: [3] };
    expect(currentSlot("2022-01-19", h3, WIB, at("2022-01-14T01:00:00.000Z"))).toBeNull();
    expect(currentSlot("2022-01-19", h3, WIB, at("2022-01-16T01:00:00.000Z"))?.key).toBe("reminder:2022-01-16");
  });

  it("when the due date is a Saturday, then H-0 moves to Friday and is the same reminder as H-1, so only one goes out", () => {
    const h1h0 = { ...workdays, offsets: [1, 0] };
    expect(currentSlot("2022-01-15", h1h0, WIB, at("2022-01-14T01:00:00.000Z"))).toMatchObject({ key: "reminder:2022-01-14", daysLeft: 1 });
    expect(currentSlot("2022-01-15", h1h0, WIB, at("2022-01-15T01:00:00.000Z"))).toMatchObject({ key: "reminder:2022-01-14", daysLeft: 0 });
    // Without working days the Saturday gets its own H-0 reminder.
    expect(currentSlot("2022-01-15", { ...h1h0, workingDaysOnly: false }, WIB, at("2022-01-15T01:00:00.000Z"))?.key).toBe("reminder:2022-01-15");
  });

  it("when H-3 falls on the first day of Idul Fitri 2022, then the reminder goes out on Thursday 28 April, before the cuti bersama and the long weekend", () => {
    // Due Thursday 5 May 2022: H-3 is Monday 2 May; 30 April and 1 May are a weekend, 29 April cuti bersama.
    const h3 = { ...workdays, offsets: [3] };
    expect(currentSlot("2022-05-05", h3, WIB, at("2022-04-28T00:59:59.999Z"))).toBeNull();
    expect(currentSlot("2022-05-05", h3, WIB, at("2022-04-28T01:00:00.000Z"))).toMatchObject({
      key: "reminder:2022-04-28",
      at: at("2022-04-28T01:00:00.000Z"),
      daysLeft: 7,
    });
  });

  it("when H-1 falls on Independence Day, then it goes out on Tuesday 16 August with working days only, and on the holiday otherwise", () => {
    // Due Thursday 18 August 2022: H-1 is Wednesday 17 August.
    const h1 = { ...rules, offsets: [1] };
    expect(currentSlot("2022-08-18", { ...h1, workingDaysOnly: true }, WIB, at("2022-08-16T01:00:00.000Z"))?.key).toBe("reminder:2022-08-16");
    expect(currentSlot("2022-08-18", h1, WIB, at("2022-08-16T01:00:00.000Z"))).toBeNull();
    expect(currentSlot("2022-08-18", h1, WIB, at("2022-08-17T01:00:00.000Z"))?.key).toBe("reminder:2022-08-17");
  });

  it("when H-1 falls on one of the program's own days off, then it goes out the working day before, and on that day without working days only", () => {
    // Due Thursday 20 January 2022; a regional holiday on Wednesday the 19th.
    const h1 = { ...rules, offsets: [1], daysOff: new Set(["2022-01-19"]) };
    expect(currentSlot("2022-01-20", { ...h1, workingDaysOnly: true }, WIB, at("2022-01-18T01:00:00.000Z"))?.key).toBe("reminder:2022-01-18");
    expect(currentSlot("2022-01-20", h1, WIB, at("2022-01-18T01:00:00.000Z"))).toBeNull();
    expect(currentSlot("2022-01-20", h1, WIB, at("2022-01-19T01:00:00.000Z"))?.key).toBe("reminder:2022-01-19");
  });

  it("when two regions of one program have different days off, then each is planned by its own at the same moment", () => {
    const h1 = { ...workdays, offsets: [1] };
    const now = at("2022-01-18T01:00:00.000Z");
    expect(currentSlot("2022-01-20", { ...h1, daysOff: new Set(["2022-01-19"]) }, WIB, now)?.key).toBe("reminder:2022-01-18");
    expect(currentSlot("2022-01-20", { ...h1, daysOff: new Set(["2022-01-21"]) }, WIB, now)).toBeNull();
    expect(currentSlot("2022-01-20", { ...h1, daysOff: new Set(["2022-01-19"]) }, WIB, now)?.key).toBe("reminder:2022-01-18");
  });

  it("when the bot was down through Idul Fitri, then only the latest moved reminder is owed, not the ones before it", () => {
    // Due Monday 9 May 2022 with H-14 (Monday 25 April), H-7 (Monday 2 May) and H-3 (Friday 6 May):
    // Idul Fitri, its cuti bersama and the weekend move both later ones back to Thursday 28 April.
    const slot = currentSlot("2022-05-09", { ...workdays, offsets: [14, 7, 3] }, WIB, at("2022-05-07T03:00:00.000Z"));
    expect(slot).toMatchObject({ kind: "reminder", key: "reminder:2022-04-28", at: at("2022-04-28T01:00:00.000Z"), daysLeft: 2 });
  });
});

describe("currentSlot: with working days only, overdue reminders move on to the working day after", () => {
  const workdays = { ...rules, workingDaysOnly: true };
  const due = "2022-01-14"; // a Friday: due+1 is Saturday 15 January

  it("when the first overdue reminder falls on a Saturday, then nothing goes out over the weekend and it goes out on Monday", () => {
    expect(currentSlot(due, workdays, WIB, at("2022-01-15T01:00:00.000Z"))).toBeNull();
    expect(currentSlot(due, workdays, WIB, at("2022-01-16T03:00:00.000Z"))).toBeNull();
    expect(currentSlot(due, workdays, WIB, at("2022-01-17T00:59:59.999Z"))).toBeNull();
    expect(currentSlot(due, workdays, WIB, at("2022-01-17T01:00:00.000Z"))).toEqual({
      kind: "overdue",
      date: "2022-01-17",
      at: at("2022-01-17T01:00:00.000Z"),
      key: "overdue:2022-01-17",
      daysLeft: -3,
    });
    // The next one (due+4) is Tuesday and stays there.
    expect(currentSlot(due, workdays, WIB, at("2022-01-18T01:00:00.000Z"))?.key).toBe("overdue:2022-01-18");
  });

  it("when the program does not keep to working days, then the first overdue reminder goes out on the Saturday", () => {
    expect(currentSlot(due, rules, WIB, at("2022-01-15T01:00:00.000Z"))?.key).toBe("overdue:2022-01-15");
  });

  it("when the moved Monday reminder is in WIT, then it opens at 08:00 WIT Monday, which is 23:00 UTC on Sunday", () => {
    expect(currentSlot(due, workdays, WIT, at("2022-01-16T22:59:59.999Z"))).toBeNull();
    expect(currentSlot(due, workdays, WIT, at("2022-01-16T23:00:00.000Z"))).toMatchObject({
      key: "overdue:2022-01-17",
      at: at("2022-01-16T23:00:00.000Z"),
      daysLeft: -3,
    });
  });

  it("when the first overdue reminder falls on Independence Day, then it goes out on Thursday 18 August", () => {
    // Due Tuesday 16 August 2022.
    expect(currentSlot("2022-08-16", workdays, WIB, at("2022-08-17T01:00:00.000Z"))).toBeNull();
    expect(currentSlot("2022-08-16", workdays, WIB, at("2022-08-18T01:00:00.000Z"))).toMatchObject({ key: "overdue:2022-08-18", daysLeft: -2 });
  });

  it("when daily overdue reminders at most 3 meet a weekend, then Saturday's and Sunday's merge into Monday's and 3 still go out, Monday to Wednesday", () => {
    const capped = { ...workdays, overdueEveryDays: 1, overdueMaxReminders: 3 };
    const owed = ["2022-01-15", "2022-01-16", "2022-01-17", "2022-01-18", "2022-01-19", "2022-01-20", "2022-01-21"].map(
      (date) => currentSlot(due, capped, WIB, at(`${date}T01:00:00.000Z`))?.key ?? null,
    );
    expect(owed).toEqual([null, null, "overdue:2022-01-17", "overdue:2022-01-18", "overdue:2022-01-19", null, null]);
    expect(currentSlot(due, capped, WIB, at("2022-03-01T01:00:00.000Z"))).toBeNull();
  });

  it("when the bot was down for weeks after the due date, then one current overdue reminder is owed, and none once the 10 are used up", () => {
    // Every 3 days from Saturday 15 January, moved to working days: 17, 18, 21, 24, 27, 31 January,
    // 2, 7, 8 and 11 February (30 January and 5 February were Sunday and Saturday).
    expect(currentSlot(due, workdays, WIB, at("2022-02-05T03:00:00.000Z"))).toMatchObject({ key: "overdue:2022-02-02", daysLeft: -22 });
    expect(currentSlot(due, workdays, WIB, at("2022-02-13T03:00:00.000Z"))).toMatchObject({ key: "overdue:2022-02-11", daysLeft: -30 });
    expect(currentSlot(due, workdays, WIB, at("2022-02-14T01:00:00.000Z"))).toBeNull();
  });
});

describe("isQuietHour: the night hours in which no automated message goes out", () => {
  const night = { quietStartHour: 21, quietEndHour: 6 };

  it("when it is 21:30 in Jayapura, then it is quiet there, while in Jakarta it is 19:30 and not quiet", () => {
    const now = at("2022-01-10T12:30:00.000Z");
    expect(isQuietHour(now, WIT, night)).toBe(true);
    expect(isQuietHour(now, WIB, night)).toBe(false);
  });

  it("when quiet hours run from 21 to 6 in WIT, then they begin at 21:00 sharp and end at 06:00 sharp", () => {
    expect(isQuietHour(at("2022-01-10T11:59:59.999Z"), WIT, night)).toBe(false); // 20:59:59 WIT
    expect(isQuietHour(at("2022-01-10T12:00:00.000Z"), WIT, night)).toBe(true); // 21:00 WIT
    expect(isQuietHour(at("2022-01-10T20:59:59.999Z"), WIT, night)).toBe(true); // 05:59:59 WIT
    expect(isQuietHour(at("2022-01-10T21:00:00.000Z"), WIT, night)).toBe(false); // 06:00 WIT
  });

  it("when it is 06:00 in Jayapura, then Jakarta is still at 04:00 and quiet", () => {
    expect(isQuietHour(at("2022-01-10T21:00:00.000Z"), WIB, night)).toBe(true);
  });

  it("when the start and end hours are equal, then no hour of the day is quiet", () => {
    const hours = Array.from({ length: 24 }, (_, h) => at(`2022-01-10T${String(h).padStart(2, "0")}:30:00.000Z`));
    expect(hours.filter((now) => isQuietHour(now, WIB, { quietStartHour: 8, quietEndHour: 8 }))).toEqual([]);
    expect(hours.filter((now) => isQuietHour(now, WIB, { quietStartHour: 0, quietEndHour: 0 }))).toEqual([]);
  });

  it("when quiet hours do not wrap midnight (12 to 14), then only those two hours are quiet", () => {
    const lunch = { quietStartHour: 12, quietEndHour: 14 };
    expect(isQuietHour(at("2022-01-10T04:59:59.999Z"), WIB, lunch)).toBe(false); // 11:59 WIB
    expect(isQuietHour(at("2022-01-10T06:30:00.000Z"), WIB, lunch)).toBe(true); // 13:30 WIB
    expect(isQuietHour(at("2022-01-10T07:00:00.000Z"), WIB, lunch)).toBe(false); // 14:00 WIB
  });
});

describe("currentSlot: reminders wait out quiet hours", () => {
  const due = "2022-01-14"; // H-3 is 11 January, H-1 13 January

  it("when the H-3 reminder is still owed at 21:30 WIT, then it waits, while at the same instant Jakarta (19:30) gets it", () => {
    const now = at("2022-01-11T12:30:00.000Z");
    expect(currentSlot(due, rules, WIT, now)).toBeNull();
    expect(currentSlot(due, rules, WIB, now)?.key).toBe("reminder:2022-01-11");
  });

  it("when quiet hours end at 06:00 WIT and no newer reminder day has come, then the waiting H-3 reminder is owed again", () => {
    expect(currentSlot(due, rules, WIT, at("2022-01-11T20:59:59.999Z"))).toBeNull(); // 05:59 WIT on 12 January
    expect(currentSlot(due, rules, WIT, at("2022-01-11T21:00:00.000Z"))).toMatchObject({
      key: "reminder:2022-01-11",
      at: at("2022-01-10T23:00:00.000Z"),
      daysLeft: 2,
    });
  });

  it("when quiet hours end on the day of a newer reminder, then the older one is not sent and the newer one goes out at its hour", () => {
    // 06:00 WIT on 13 January (H-1): the H-3 reminder is superseded; H-1 opens at 08:00 WIT.
    expect(currentSlot(due, rules, WIT, at("2022-01-12T21:00:00.000Z"))).toBeNull();
    expect(currentSlot(due, rules, WIT, at("2022-01-12T23:00:00.000Z"))?.key).toBe("reminder:2022-01-13");
  });

  it("when the program has no quiet hours (equal start and end), then a reminder owed at 23:30 WIB is owed", () => {
    const now = at("2022-01-11T16:30:00.000Z");
    expect(currentSlot(due, { ...rules, quietStartHour: 0, quietEndHour: 0 }, WIB, now)?.key).toBe("reminder:2022-01-11");
    expect(currentSlot(due, rules, WIB, now)).toBeNull();
  });

  it("when the send hour (05:00) is inside quiet hours (21 to 6), then the reminder opens when they end, at 06:00 on its own day", () => {
    const early = { ...rules, sendHour: 5 };
    expect(currentSlot(due, early, WIB, at("2022-01-10T22:59:59.999Z"))).toBeNull(); // 05:59 WIB on 11 January
    expect(currentSlot(due, early, WIB, at("2022-01-10T23:00:00.000Z"))).toMatchObject({
      key: "reminder:2022-01-11",
      at: at("2022-01-10T23:00:00.000Z"),
      daysLeft: 3,
    });
  });

  it("when the send hour (22:00) is inside quiet hours and overdue reminders are daily, then each day's reminder still goes out, at 06:00 that day", () => {
    const late = { ...rules, sendHour: 22, overdueEveryDays: 1 };
    expect(currentSlot(due, late, WIB, at("2022-01-14T22:59:59.999Z"))).toBeNull(); // 05:59 WIB on 15 January
    expect(currentSlot(due, late, WIB, at("2022-01-14T23:00:00.000Z"))).toMatchObject({ key: "overdue:2022-01-15", at: at("2022-01-14T23:00:00.000Z") });
    expect(currentSlot(due, late, WIB, at("2022-01-15T13:59:59.999Z"))?.key).toBe("overdue:2022-01-15"); // 20:59 WIB
    expect(currentSlot(due, late, WIB, at("2022-01-15T23:00:00.000Z"))?.key).toBe("overdue:2022-01-16");
  });
});

describe("slotPlanner: one pass over many steps", () => {
  it("when one planner serves steps with different due dates, then each gets the reminder currentSlot gives it", () => {
    const now = at("2022-01-12T03:00:00.000Z");
    const workdays = { ...rules, workingDaysOnly: true };
    const plan = slotPlanner(workdays, WIB, now);
    const dues = ["2022-01-10", "2022-01-14", "2022-01-19", "2022-02-01", "2021-12-01"];
    expect(dues.map((d) => plan(d)?.key ?? null)).toEqual(["overdue:2022-01-11", "reminder:2022-01-11", "reminder:2022-01-12", null, null]);
    expect(dues.map((d) => plan(d))).toEqual(dues.map((d) => currentSlot(d, workdays, WIB, now)));
  });

  it("when the planner is made during quiet hours, then no step is owed anything", () => {
    const plan = slotPlanner(rules, WIB, at("2022-01-11T15:00:00.000Z")); // 22:00 WIB
    expect(plan("2022-01-14")).toBeNull();
    expect(slotPlanner(rules, WIB, at("2022-01-11T13:00:00.000Z"))("2022-01-14")?.key).toBe("reminder:2022-01-11"); // 20:00 WIB
  });
});

describe("remindsSilently: low-urgency reminders arrive without a notification sound", () => {
  it("when the program keeps the default threshold of 7, then H-14 and H-7 are silent and H-3, H-1, the due day and overdue ones sound", () => {
    expect([14, 7, 3, 1, 0].map((days) => remindsSilently("reminder", days, 7))).toEqual([true, true, false, false, false]);
    expect(remindsSilently("overdue", -2, 7)).toBe(false);
  });

  it("when a coordinator nudges, then it sounds however far the due date", () => {
    expect(remindsSilently("nudge", 14, 7)).toBe(false);
  });

  it("when the program sets 3, then H-3 is silent too; with 0, every reminder sounds", () => {
    expect(remindsSilently("reminder", 3, 3)).toBe(true);
    expect(remindsSilently("reminder", 1, 3)).toBe(false);
    expect([14, 7, 0].map((days) => remindsSilently("reminder", days, 0))).toEqual([false, false, false]);
  });
});

describe("nextTurn: the moments at which time alone changes what a step is owed", () => {
  const zones = ["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura", "Asia/Kolkata"];
  const variants: ReminderRules[] = [
    rules,
    { ...rules, workingDaysOnly: true, overdueEveryDays: 1, overdueMaxReminders: 4 },
    // A send hour inside quiet hours opens at their end.
    { ...rules, sendHour: 5, quietStartHour: 22, quietEndHour: 7 },
    { ...rules, quietStartHour: 0, quietEndHour: 0 },
  ];
  const dueDates = Array.from({ length: 40 }, (_, i) => `2022-02-${String(10 + (i % 19)).padStart(2, "0")}`).concat(["2022-03-01", "2022-03-20"]);

  it("comes within a day, and no step is owed a slot before it that it was not owed at the start", () => {
    for (const r of variants) {
      for (const tz of zones) {
        // Every 317 minutes over four days, so the starts fall on many hours and minutes; checked
        // every 13 minutes until the turn, and its last minute.
        for (let start = Date.parse("2022-02-12T00:00:00Z"); start < Date.parse("2022-02-16T00:00:00Z"); start += 317 * 60_000) {
          const now = new Date(start);
          const turn = nextTurn(now, [tz], r).getTime();
          expect(turn).toBeGreaterThan(start);
          expect(turn - start).toBeLessThanOrEqual(24 * 3_600_000);
          const owed = (at: number) => dueDates.map((d) => currentSlot(d, r, tz, new Date(at))?.key ?? null);
          const atStart = owed(start);
          // Quiet hours beginning hold a slot back (null): nothing new.
          for (const at of [...Array.from({ length: Math.floor((turn - start) / 780_000) }, (_, i) => start + (i + 1) * 780_000), turn - 60_000]) {
            if (at > start && at < turn) {
              const news = owed(at).filter((key, i) => key !== null && key !== atStart[i]);
              expect(news, `${tz} ${now.toISOString()} → ${new Date(at).toISOString()}`).toEqual([]);
            }
          }
        }
      }
    }
  });

  it("is the first turn in any of the zones given: a coordinator's day counts too", () => {
    // 09:00 WIB is 11:00 WIT: the next turn is the end of quiet hours, 06:00 WIT, before 06:00 WIB.
    const now = new Date("2022-02-14T02:00:00Z");
    expect(nextTurn(now, ["Asia/Jakarta"], rules).toISOString()).toBe("2022-02-14T23:00:00.000Z");
    expect(nextTurn(now, ["Asia/Jakarta", "Asia/Jayapura"], rules).toISOString()).toBe("2022-02-14T21:00:00.000Z");
    // Without quiet hours, midnight is a turn: whoever was on leave is back.
    expect(nextTurn(now, ["Asia/Jakarta"], { ...rules, quietStartHour: 0, quietEndHour: 0 }).toISOString()).toBe("2022-02-14T17:00:00.000Z");
  });
});
