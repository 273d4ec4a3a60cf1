import { describe, expect, it } from "vitest";
import { addDays, parseDayFrom } from "../../src/domain/dates.js";
import { checkLastDay, isAwayOn, ladderDay, leaveOn, maxAwayDays, parseLastDay } from "../../src/domain/leave.js";
import { nextWorkingDay } from "../../src/domain/working-days.js";

const leave = { firstDay: "2026-12-01", lastDay: "2026-12-12" };

describe("presence on a day", () => {
  it.each([
    ["2026-11-30", false],
    ["2026-12-01", true],
    ["2026-12-12", true],
    ["2026-12-13", false],
  ])("when someone is away from 1 to 12 December, then on %s they are away: %s", (day, away) => {
    expect(isAwayOn([leave], day)).toBe(away);
  });

  it("when there are no leaves, or several, then the one covering the day is found", () => {
    expect(isAwayOn(undefined, "2026-12-05")).toBe(false);
    expect(isAwayOn([], "2026-12-05")).toBe(false);
    const later = { firstDay: "2026-12-20", lastDay: "2026-12-24" };
    expect(leaveOn([leave, later], "2026-12-21")).toEqual(later);
    expect(leaveOn([leave, later], "2026-12-15")).toBeNull();
  });
});

describe("the last day one may declare", () => {
  it.each([
    ["2026-12-04", "not_after_today"],
    ["2026-12-05", "not_after_today"],
    ["2026-12-06", null],
    [addDays("2026-12-05", maxAwayDays), null],
    [addDays("2026-12-05", maxAwayDays + 1), "too_far"],
  ])("when today is 5 December 2026, then %s is %s", (lastDay, problem) => {
    expect(checkLastDay(lastDay, "2026-12-05")).toBe(problem);
  });
});

describe("reading the last day away", () => {
  it.each([
    ["12 Desember", "2026-12-05", "2026-12-12"],
    ["12 desember 2026", "2026-12-05", "2026-12-12"],
    ["12 Des", "2026-12-05", "2026-12-12"],
    ["12 December", "2026-12-05", "2026-12-12"],
    ["12/12/2026", "2026-12-05", "2026-12-12"],
    ["12/12", "2026-12-05", "2026-12-12"],
    ["2026-12-12", "2026-12-05", "2026-12-12"],
    // Without the year: the one nearest to today (a day just passed stays in the past, to be refused).
    ["5 Januari", "2026-12-20", "2027-01-05"],
    ["4 Januari", "2022-01-05", "2022-01-04"],
    ["5 Desember", "2026-12-05", "2026-12-05"],
    ["20 Desember", "2027-01-10", "2026-12-20"],
    ["3 hari", "2026-12-05", "2026-12-08"],
    ["3 days", "2026-12-05", "2026-12-08"],
    ["1 minggu", "2026-12-05", "2026-12-12"],
    ["2 weeks", "2026-12-05", "2026-12-19"],
    // A weekday before the date, as people write it ("I'm on leave till Friday 11 Dec").
    ["Friday 11 Dec", "2026-12-05", "2026-12-11"],
    ["Jumat 11 Des", "2026-12-05", "2026-12-11"],
    ["jum'at, 11/12", "2026-12-05", "2026-12-11"],
    ["Senin, 14 Desember 2026", "2026-12-05", "2026-12-14"],
  ])("when %s is written on %s, then the last day is %s", (text, today, lastDay) => {
    expect(parseLastDay(text, today)).toBe(lastDay);
  });

  it.each(["besok lusa", "31/02", "31 Februari", "12 Bulan", "", "tanggal 12", "2026-13-01", "Jumat", "Jumat besok", "Minggu 2 minggu"])(
    "when %j is written, then it is no day",
    (text) => {
      expect(parseLastDay(text, "2026-12-05")).toBeNull();
    },
  );

  it("when 29 February is written near a year without it, then it is the nearest year that has it, or nothing", () => {
    expect(parseDayFrom("29 Februari", "2027-03-01")).toBe("2028-02-29");
    expect(parseDayFrom("29/02", "2026-03-01")).toBeNull();
  });
});

describe("the day an escalation falls on", () => {
  const never = () => false;
  const same = (d: string) => d;

  it("when nobody was away, then it is the start and the days, as the ladder always was", () => {
    expect(ladderDay("2026-12-01", 3, never, same)).toBe("2026-12-04");
    expect(ladderDay("2026-12-01", 0, never, same)).toBe("2026-12-01");
    // 4 December 2026 is a Friday; the working day after the 5th is Monday the 7th.
    const working = (d: string) => nextWorkingDay(d, new Set());
    expect(ladderDay("2026-12-02", 3, never, working)).toBe("2026-12-07");
  });

  it("when the whole unit was away some of the days, then those days do not count", () => {
    const away = (d: string) => d >= "2026-12-02" && d <= "2026-12-05";
    // Counted: the 1st, then the 6th and 7th; the head is told on the 8th.
    expect(ladderDay("2026-12-01", 3, away, same)).toBe("2026-12-08");
  });

  it("when the unit is away on the day itself, then the day moves past the leave", () => {
    const away = (d: string) => d >= "2026-12-04" && d <= "2026-12-10";
    expect(ladderDay("2026-12-01", 3, away, same)).toBe("2026-12-11");
  });

  it("when a working day and a leave meet, then the day is the first working day the unit is there", () => {
    // Away Monday 7 to Tuesday 8 December 2026: Friday 4 + 3 days is Monday 7, then past the leave.
    const away = (d: string) => d === "2026-12-07" || d === "2026-12-08";
    const working = (d: string) => nextWorkingDay(d, new Set());
    expect(ladderDay("2026-12-04", 3, away, working)).toBe("2026-12-09");
  });
});
