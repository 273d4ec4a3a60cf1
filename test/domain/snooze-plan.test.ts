import { describe, expect, it } from "vitest";
import { escalationDays, openingHour } from "../../src/domain/reminder-plan.js";
import { headEscalationAt, maxSnoozes, nextSendMoment, snoozeVerdict, type SnoozeRules } from "../../src/domain/snooze-plan.js";

// "⏰ Besok" under a reminder: when the step's reminder comes again, and when it may not. Every
// instant is a UTC literal; the suite runs with the server's zone far from Indonesia.
const WIB = "Asia/Jakarta"; // 08:00 local = 01:00Z
const WIT = "Asia/Jayapura"; // 08:00 local = 23:00Z the day before

const rules: SnoozeRules = {
  sendHour: 8,
  workingDaysOnly: false,
  quietStartHour: 21,
  quietEndHour: 6,
  escalationEnabled: true,
  escalateHeadAfterDays: 3,
  escalateCoordAfterDays: 4,
};
const at = (iso: string) => new Date(iso);

describe("nextSendMoment: the program's next send hour on a later day", () => {
  it("when pressed on Tuesday morning in WIB, then the reminder comes Wednesday at 08:00 WIB", () => {
    expect(nextSendMoment(at("2022-01-11T03:00:00Z"), WIB, rules)).toEqual({ date: "2022-01-12", hour: 8, at: at("2022-01-12T01:00:00Z") });
  });

  it("when pressed at 02:00, before the day's send hour, then it is still tomorrow's, not this morning's", () => {
    expect(nextSendMoment(at("2022-01-10T19:00:00Z"), WIB, rules).date).toBe("2022-01-12");
  });

  it("when the region is in WIT, then 08:00 there is 23:00 UTC the day before", () => {
    expect(nextSendMoment(at("2022-01-11T03:00:00Z"), WIT, rules).at).toEqual(at("2022-01-11T23:00:00Z"));
  });

  it("when the program keeps to working days and it is Friday, then Monday", () => {
    expect(nextSendMoment(at("2022-01-14T03:00:00Z"), WIB, { ...rules, workingDaysOnly: true }).date).toBe("2022-01-17");
  });

  it("when Monday is the program's own day off in that region, then Tuesday", () => {
    expect(nextSendMoment(at("2022-01-14T03:00:00Z"), WIB, { ...rules, workingDaysOnly: true, daysOff: new Set(["2022-01-17"]) }).date).toBe("2022-01-18");
  });

  it("when tomorrow is a national day off (Imlek, 1 February 2022), then the working day after", () => {
    expect(nextSendMoment(at("2022-01-31T03:00:00Z"), WIB, { ...rules, workingDaysOnly: true }).date).toBe("2022-02-02");
    expect(nextSendMoment(at("2022-01-31T03:00:00Z"), WIB, rules).date).toBe("2022-02-01");
  });

  it("when the send hour lies in quiet hours, then the reminder comes when they end (as regular reminders open)", () => {
    const early = { ...rules, sendHour: 5 };
    expect(openingHour(early)).toBe(6);
    expect(nextSendMoment(at("2022-01-11T03:00:00Z"), WIB, early)).toEqual({ date: "2022-01-12", hour: 6, at: at("2022-01-11T23:00:00Z") });
  });
});

describe("escalationDays and headEscalationAt: the ladder a snooze may not pass", () => {
  // Due Friday 14 January 2022: first late day Saturday 15, the head is told 3 days later.
  const step = { dueDate: "2022-01-14", lastReportAt: null };

  it("when the program counts calendar days, then the head on Tuesday 18, the coordinators on Saturday 22", () => {
    expect(escalationDays(step.dueDate, rules)).toEqual({ head: "2022-01-18", coordinator: "2022-01-22" });
    expect(headEscalationAt(step, rules, WIB)).toEqual(at("2022-01-18T01:00:00Z"));
  });

  it("when the program keeps to working days, then each rung moves on to a working day", () => {
    expect(escalationDays("2022-01-13", { ...rules, workingDaysOnly: true })).toEqual({ head: "2022-01-17", coordinator: "2022-01-21" });
  });

  it("when someone reported after the deadline, or escalation is off, then no escalation is to come", () => {
    expect(headEscalationAt({ ...step, lastReportAt: at("2022-01-15T02:00:00Z") }, rules, WIB)).toBeNull();
    expect(headEscalationAt(step, { ...rules, escalationEnabled: false }, WIB)).toBeNull();
  });

  it("when the whole unit was away from the 15th to the 20th, then those days do not count: the head on the 24th, as the pass says", () => {
    const away = (day: string) => day >= "2022-01-15" && day <= "2022-01-20";
    expect(headEscalationAt(step, rules, WIB, away)).toEqual(at("2022-01-24T01:00:00Z"));
    // Monday the 21st: tomorrow's reminder comes before the head hears of it, so it may be snoozed.
    expect(snoozeVerdict(step, 0, rules, WIB, at("2022-01-21T02:00:00Z"), away)).toMatchObject({ ok: true, date: "2022-01-22", kind: "overdue" });
  });

  it("when the last report came before the deadline, then the unit is silent since and the escalation stands", () => {
    expect(headEscalationAt({ ...step, lastReportAt: at("2022-01-13T02:00:00Z") }, rules, WIB)).toEqual(at("2022-01-18T01:00:00Z"));
  });
});

describe("snoozeVerdict: bounded, and never past the escalation", () => {
  const step = { dueDate: "2022-01-14", lastReportAt: null };

  it("when a step due Friday is snoozed on Tuesday, then a reminder (H-2) comes Wednesday", () => {
    expect(snoozeVerdict(step, 0, rules, WIB, at("2022-01-11T03:00:00Z"))).toEqual({
      ok: true,
      kind: "reminder",
      date: "2022-01-12",
      hour: 8,
      at: at("2022-01-12T01:00:00Z"),
    });
  });

  it(`when the person snoozed it ${maxSnoozes} times already, then the next is refused with the limit`, () => {
    expect(maxSnoozes).toBe(3);
    expect(snoozeVerdict(step, 2, rules, WIB, at("2022-01-11T03:00:00Z")).ok).toBe(true);
    expect(snoozeVerdict(step, 3, rules, WIB, at("2022-01-11T03:00:00Z"))).toEqual({ ok: false, reason: "limit", max: 3 });
  });

  it("when the step is overdue, then it may still be snoozed until the escalation, as an overdue reminder", () => {
    expect(snoozeVerdict(step, 0, rules, WIB, at("2022-01-16T03:00:00Z"))).toMatchObject({ ok: true, kind: "overdue", date: "2022-01-17" });
  });

  it("when tomorrow's send hour is the moment the head is told, then the snooze is refused with that moment", () => {
    expect(snoozeVerdict(step, 0, rules, WIB, at("2022-01-17T03:00:00Z"))).toEqual({ ok: false, reason: "escalation", at: at("2022-01-18T01:00:00Z") });
  });

  it("when the head was told already, then it is refused too (the escalation before now)", () => {
    expect(snoozeVerdict(step, 0, rules, WIB, at("2022-01-19T03:00:00Z"))).toEqual({ ok: false, reason: "escalation", at: at("2022-01-18T01:00:00Z") });
  });

  it("when someone reported after the deadline, then no escalation bounds it, only the limit", () => {
    const reported = { ...step, lastReportAt: at("2022-01-15T02:00:00Z") };
    expect(snoozeVerdict(reported, 0, rules, WIB, at("2022-01-19T03:00:00Z"))).toMatchObject({ ok: true, date: "2022-01-20" });
    expect(snoozeVerdict(reported, 3, rules, WIB, at("2022-01-19T03:00:00Z"))).toMatchObject({ ok: false, reason: "limit" });
  });
});
