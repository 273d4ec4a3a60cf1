import { describe, expect, it } from "vitest";
import { isWorkingDay, nextWorkingDay, previousWorkingDay } from "../../src/domain/working-days.js";

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

  it("when it is Idul Fitri 2022 (Monday 2 and Tuesday 3 May), then neither is a working day, and Wednesday 4 May is", () => {
    expect(isWorkingDay("2022-05-02")).toBe(false);
    expect(isWorkingDay("2022-05-03")).toBe(false);
    expect(isWorkingDay("2022-05-04")).toBe(true);
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

  it("when the day is the second day of Idul Fitri 2022, then the day before skips the weekend to Friday 29 April and the day after is Wednesday 4 May", () => {
    expect(previousWorkingDay("2022-05-03")).toBe("2022-04-29");
    expect(nextWorkingDay("2022-05-01")).toBe("2022-05-04");
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
