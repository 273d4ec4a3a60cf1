import { describe, expect, it } from "vitest";
import { officialYears } from "../../src/domain/holidays/index.js";
import { isWorkingDay, nationalDays, nextWorkingDay, officialDecrees, previousWorkingDay } from "../../src/domain/working-days.js";

// The suite runs with TZ=America/Los_Angeles (vitest.config.ts): midnight UTC of each date below
// is the previous evening there, so reading the weekday in local time would be off by a day.

describe("isWorkingDay: the days reminders may go out on when a program keeps to working days", () => {
  it("when it is Monday to Friday without a holiday, then it is a working day", () => {
    // Monday 10 to Friday 14 January 2022.
    for (const date of ["2022-01-10", "2022-01-11", "2022-01-12", "2022-01-13", "2022-01-14"]) {
      expect(isWorkingDay(date), date).toBe(true);
    }
  });

  it("when it is Saturday or Sunday, then it is not a working day", () => {
    expect(isWorkingDay("2022-01-15")).toBe(false);
    expect(isWorkingDay("2022-01-16")).toBe(false);
    expect(isWorkingDay("2023-01-07")).toBe(false);
  });

  it("when it is Idul Fitri 2022 (Monday 2 and Tuesday 3 May) or its cuti bersama (29 April, 4 to 6 May), then it is no working day, and Monday 9 May is", () => {
    for (const date of ["2022-04-29", "2022-05-02", "2022-05-03", "2022-05-04", "2022-05-05", "2022-05-06"]) expect(isWorkingDay(date), date).toBe(false);
    expect(isWorkingDay("2022-04-28")).toBe(true);
    expect(isWorkingDay("2022-05-09")).toBe(true);
  });

  it("when it is Independence Day on Wednesday 17 August 2022, then it is not a working day, but the days around it are", () => {
    expect(isWorkingDay("2022-08-16")).toBe(true);
    expect(isWorkingDay("2022-08-17")).toBe(false);
    expect(isWorkingDay("2022-08-18")).toBe(true);
  });

  it("when Christmas 2022 falls on a Sunday, then it is not a working day and Monday 26 December is (no substitute day)", () => {
    expect(isWorkingDay("2022-12-25")).toBe(false);
    expect(isWorkingDay("2022-12-26")).toBe(true);
  });

  it("when it is a 2023 national holiday on a weekday (Nyepi on Wednesday 22 March, Christmas on Monday), then it is not a working day", () => {
    expect(isWorkingDay("2023-03-22")).toBe(false);
    expect(isWorkingDay("2023-03-21")).toBe(true);
    expect(isWorkingDay("2023-12-25")).toBe(false);
  });

  it("when New Year's Day 2022 falls on a Saturday, then the Friday before (31 December 2021) is still a working day", () => {
    expect(isWorkingDay("2021-12-31")).toBe(true);
    expect(isWorkingDay("2022-01-01")).toBe(false);
  });
});

describe("previousWorkingDay and nextWorkingDay: where a reminder on a day off moves", () => {
  it("when the day is a working day, then the reminder stays on it", () => {
    expect(previousWorkingDay("2022-08-16")).toBe("2022-08-16");
    expect(nextWorkingDay("2022-08-18")).toBe("2022-08-18");
  });

  it("when the day is a Sunday, then the day before is Friday and the day after is Monday", () => {
    expect(previousWorkingDay("2022-01-16")).toBe("2022-01-14");
    expect(nextWorkingDay("2022-01-16")).toBe("2022-01-17");
  });

  it("when the day is the second day of Idul Fitri 2022, then the day before skips the weekend and cuti bersama to Thursday 28 April, and the day after is Monday 9 May", () => {
    expect(previousWorkingDay("2022-05-03")).toBe("2022-04-28");
    expect(nextWorkingDay("2022-05-01")).toBe("2022-05-09");
  });

  it("when the day is Independence Day, then the day before is Tuesday 16 and the day after Thursday 18 August", () => {
    expect(previousWorkingDay("2022-08-17")).toBe("2022-08-16");
    expect(nextWorkingDay("2022-08-17")).toBe("2022-08-18");
  });

  it("when the day off is New Year's Day 2023 (a Sunday), then the day before is Friday 30 December 2022 and the day after Monday 2 January", () => {
    expect(previousWorkingDay("2023-01-01")).toBe("2022-12-30");
    expect(nextWorkingDay("2022-12-31")).toBe("2023-01-02");
  });
});

describe("the official calendar: the government's decree, not the computed lunar dates", () => {
  it("when Idul Fitri 2026 comes, then its cuti bersama (Friday 20, Monday 23 and Tuesday 24 March) are no working days, and Wednesday 25 March is", () => {
    for (const date of ["2026-03-18", "2026-03-19", "2026-03-20", "2026-03-23", "2026-03-24"]) expect(isWorkingDay(date), date).toBe(false);
    expect(isWorkingDay("2026-03-17")).toBe(true);
    expect(isWorkingDay("2026-03-25")).toBe(true);
    expect(previousWorkingDay("2026-03-24")).toBe("2026-03-17");
    expect(nextWorkingDay("2026-03-20")).toBe("2026-03-25");
  });

  it("when a year is covered, then the computed dates are not used at all: date-holidays' Maulid 2023 (Wednesday 27 September) is a working day, the decree's (Thursday 28) is not", () => {
    expect(isWorkingDay("2023-09-27")).toBe(true);
    expect(isWorkingDay("2023-09-28")).toBe(false);
    // Idul Fitri 2023 was Saturday 22 and Sunday 23 April, with cuti bersama from the 19th to the 25th.
    expect(nationalDays("2023-04-19", "2023-04-25", "id").map((d) => `${d.date} ${d.kind}`)).toEqual([
      "2023-04-19 cuti bersama",
      "2023-04-20 cuti bersama",
      "2023-04-21 cuti bersama",
      "2023-04-22 libur nasional",
      "2023-04-23 libur nasional",
      "2023-04-24 cuti bersama",
      "2023-04-25 cuti bersama",
    ]);
  });

  it("when a year is not covered (2021), then the computed national holidays count, marked as not official", () => {
    expect(officialDecrees(2021)).toBeNull();
    expect(isWorkingDay("2021-08-17")).toBe(false);
    expect(isWorkingDay("2021-08-16")).toBe(true);
    expect(nationalDays("2021-08-15", "2021-08-31", "en")).toEqual([{ date: "2021-08-17", kind: "libur nasional", name: "Independence Day", official: false }]);
  });

  it("when the 2026 decree is read, then it holds 17 days of libur nasional and 8 of cuti bersama, and names its number", () => {
    const days = officialYears.get(2026)!.days;
    expect(days.filter((d) => d.kind === "libur nasional")).toHaveLength(17);
    expect(days.filter((d) => d.kind === "cuti bersama")).toHaveLength(8);
    expect(officialDecrees(2026)![0]).toContain("1497/2025");
  });

  it("when any shipped year is read, then its days are in that year, in order, each once", () => {
    for (const [year, calendar] of officialYears) {
      expect(calendar.year).toBe(year);
      const dates = calendar.days.map((d) => d.date);
      expect(
        dates.every((d) => d.startsWith(`${year}-`) && /^\d{4}-\d{2}-\d{2}$/.test(d)),
        String(year),
      ).toBe(true);
      expect([...dates].sort(), String(year)).toEqual(dates);
      expect(new Set(dates).size, String(year)).toBe(dates.length);
      expect(calendar.decrees.length, String(year)).toBeGreaterThan(0);
    }
  });
});
