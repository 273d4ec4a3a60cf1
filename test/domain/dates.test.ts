import { describe, expect, it } from "vitest";
import {
  addDays,
  daysBetween,
  formatLongDate,
  formatMoment,
  formatShortDate,
  isCalendarDate,
  isValidTimeZone,
  localDate,
  parseDueDate,
  resolveTimeZone,
  zonedInstant,
} from "../../src/domain/dates.js";

const WIB = "Asia/Jakarta";
const WITA = "Asia/Makassar";
const WIT = "Asia/Jayapura";

describe("parseDueDate", () => {
  it.each([
    ["2022-03-14", "2022-03-14"],
    ["2022-3-4", "2022-03-04"],
    ["14/03/2022", "2022-03-14"],
    ["4/3/2022", "2022-03-04"],
    ["14-03-2022", "2022-03-14"],
    ["14.03.2022", "2022-03-14"],
    ["14 Maret 2022", "2022-03-14"],
    ["14 maret 2022", "2022-03-14"],
    ["14 MARET 2022", "2022-03-14"],
    ["14 March 2022", "2022-03-14"],
    ["14 Mar 2022", "2022-03-14"],
    ["14 Mar. 2022", "2022-03-14"],
    ["1 Januari 2022", "2022-01-01"],
    ["28 Pebruari 2022", "2022-02-28"],
    ["5 Mei 2022", "2022-05-05"],
    ["17 Agustus 2022", "2022-08-17"],
    ["17 Agt 2022", "2022-08-17"],
    ["10 Nopember 2022", "2022-11-10"],
    ["31 Desember 2022", "2022-12-31"],
    ["25 Dec 2022", "2022-12-25"],
    ["  14/03/2022  ", "2022-03-14"],
  ])('reads "%s" as %s', (text, date) => {
    expect(parseDueDate(text)).toBe(date);
  });

  it("reads the twelve Indonesian month names", () => {
    const months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober", "November", "Desember"];
    expect(months.map((m) => parseDueDate(`1 ${m} 2022`))).toEqual(months.map((_, i) => `2022-${String(i + 1).padStart(2, "0")}-01`));
  });

  it.each([
    "31/02/2022",
    "30/02/2024",
    "31/04/2022",
    "2022-02-29",
    "00/01/2022",
    "32/01/2022",
    "2022-00-10",
    "2022-13-01",
    "14 Maretz 2022",
    "14 Maret",
    "14/03/22",
    "Jumat, 14 Januari 2022",
    "1899-12-31",
    "3000-01-01",
    "",
    "besok",
    "2022-03-14T08:00",
  ])('when the text is "%s", then it is not a date (null)', (text) => {
    expect(parseDueDate(text)).toBeNull();
  });

  it("accepts 29 February in a leap year only", () => {
    expect(parseDueDate("29/02/2024")).toBe("2024-02-29");
    expect(parseDueDate("29 Februari 2024")).toBe("2024-02-29");
    expect(parseDueDate("29/02/2023")).toBeNull();
    expect(parseDueDate("2100-02-29")).toBeNull();
    expect(parseDueDate("2000-02-29")).toBe("2000-02-29");
  });
});

describe("formatLongDate and formatShortDate", () => {
  it("writes a date the Indonesian way", () => {
    expect(formatLongDate("2022-01-14", "id")).toBe("Jumat, 14 Januari 2022");
    expect(formatLongDate("2022-08-17", "id")).toBe("Rabu, 17 Agustus 2022");
    expect(formatLongDate("2024-02-29", "id")).toBe("Kamis, 29 Februari 2024");
  });

  it("writes a date the English way", () => {
    expect(formatLongDate("2022-01-14", "en")).toBe("Friday, 14 January 2022");
  });

  it("writes the short form in either language", () => {
    expect(formatShortDate("2022-01-14", "id")).toBe("14 Jan 2022");
    expect(formatShortDate("2022-01-14", "en")).toBe("14 Jan 2022");
    expect(formatShortDate("2022-08-17", "id")).toBe("17 Agu 2022");
    expect(formatShortDate("2022-12-31", "en")).toBe("31 Dec 2022");
  });

  it("does not depend on the server's time zone (the tests run in America/Los_Angeles)", () => {
    expect(process.env.TZ).toBe("America/Los_Angeles");
    expect(formatLongDate("2022-01-01", "id")).toBe("Sabtu, 1 Januari 2022");
    expect(formatLongDate("2022-12-31", "id")).toBe("Sabtu, 31 Desember 2022");
  });
});

describe("zonedInstant", () => {
  it("is the instant a local date reaches an hour in WIB, WITA and WIT", () => {
    expect(zonedInstant("2022-01-14", 8, WIB).toISOString()).toBe("2022-01-14T01:00:00.000Z");
    expect(zonedInstant("2022-01-14", 8, WITA).toISOString()).toBe("2022-01-14T00:00:00.000Z");
    expect(zonedInstant("2022-01-14", 8, WIT).toISOString()).toBe("2022-01-13T23:00:00.000Z");
  });

  it("crosses back over a month and a year end in UTC for early local hours", () => {
    expect(zonedInstant("2022-01-01", 6, WIT).toISOString()).toBe("2021-12-31T21:00:00.000Z");
    expect(zonedInstant("2022-03-01", 0, WIB).toISOString()).toBe("2022-02-28T17:00:00.000Z");
    expect(zonedInstant("2024-03-01", 7, WITA).toISOString()).toBe("2024-02-29T23:00:00.000Z");
  });

  it("gives the local date back through localDate, for every hour", () => {
    for (const tz of [WIB, WITA, WIT]) {
      for (const date of ["2021-12-31", "2022-01-01", "2022-02-28", "2024-02-29", "2022-06-30"]) {
        for (let hour = 0; hour < 24; hour += 1) {
          const instant = zonedInstant(date, hour, tz);
          expect(localDate(instant, tz)).toBe(date);
          expect(localDate(new Date(instant.getTime() - 1), tz)).toBe(hour === 0 ? addDays(date, -1) : date);
        }
      }
    }
  });
});

describe("localDate", () => {
  it("is the calendar date of an instant in WIB, WITA and WIT around the new year", () => {
    // Midnight of 1 January 2022 is 17:00 UTC (WIB), 16:00 UTC (WITA) and 15:00 UTC (WIT) the day before.
    expect(localDate(new Date("2021-12-31T16:59:59Z"), WIB)).toBe("2021-12-31");
    expect(localDate(new Date("2021-12-31T17:00:00Z"), WIB)).toBe("2022-01-01");
    expect(localDate(new Date("2021-12-31T15:59:59Z"), WITA)).toBe("2021-12-31");
    expect(localDate(new Date("2021-12-31T16:00:00Z"), WITA)).toBe("2022-01-01");
    expect(localDate(new Date("2021-12-31T14:59:59Z"), WIT)).toBe("2021-12-31");
    expect(localDate(new Date("2021-12-31T15:00:00Z"), WIT)).toBe("2022-01-01");
  });

  it("gives three different dates in the three zones for one instant when they straddle midnight", () => {
    const instant = new Date("2022-01-31T16:30:00Z"); // 23:30 WIB, 00:30 WITA, 01:30 WIT
    expect(localDate(instant, WIB)).toBe("2022-01-31");
    expect(localDate(instant, WITA)).toBe("2022-02-01");
    expect(localDate(instant, WIT)).toBe("2022-02-01");
  });

  it("does not use the server's time zone", () => {
    // 20:00 on 13 January in Los Angeles is already 14 January everywhere in Indonesia.
    const instant = new Date("2022-01-14T04:00:00Z");
    expect(localDate(instant, WIB)).toBe("2022-01-14");
    expect(localDate(instant, "UTC")).toBe("2022-01-14");
    expect(localDate(instant, "America/Los_Angeles")).toBe("2022-01-13");
  });
});

describe("daysBetween and addDays", () => {
  it("counts whole days, negative backwards, across month, year and leap day", () => {
    expect(daysBetween("2022-01-11", "2022-01-14")).toBe(3);
    expect(daysBetween("2022-01-20", "2022-01-14")).toBe(-6);
    expect(daysBetween("2021-12-31", "2022-01-01")).toBe(1);
    expect(daysBetween("2024-02-28", "2024-03-01")).toBe(2);
    expect(daysBetween("2023-02-28", "2023-03-01")).toBe(1);
    expect(daysBetween("2022-01-01", "2023-01-01")).toBe(365);
  });

  it("adds and subtracts days across month and year ends", () => {
    expect(addDays("2022-01-14", -14)).toBe("2021-12-31");
    expect(addDays("2022-12-31", 1)).toBe("2023-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2023-02-28", 1)).toBe("2023-03-01");
    expect(addDays("2022-03-14", 0)).toBe("2022-03-14");
  });

  it("isCalendarDate takes a day the calendar has, not one a forged button names", () => {
    for (const day of ["2022-01-14", "2024-02-29", "2026-12-31"]) expect(isCalendarDate(day), day).toBe(true);
    for (const text of ["2026-13-45", "2022-01-40", "2023-02-29", "2022-1-4", "2022-01-14x", ""]) expect(isCalendarDate(text), text).toBe(false);
  });
});

describe("time zones", () => {
  it.each([
    ["WIB", WIB],
    ["wib", WIB],
    [" WITA ", WITA],
    ["Wit", WIT],
    ["Asia/Jakarta", WIB],
    ["Asia/Pontianak", "Asia/Pontianak"],
    ["UTC", "UTC"],
  ])('resolves "%s" to %s', (input, zone) => {
    expect(resolveTimeZone(input)).toBe(zone);
  });

  it.each(["WITT", "GMT", "Jakarta", "Asia/Bandung", "", "   ", "+07:00"])('when the zone is "%s", then it is unknown (null)', (input) => {
    expect(resolveTimeZone(input)).toBeNull();
  });

  it("accepts an IANA name in another case", () => {
    expect(resolveTimeZone("asia/jakarta")).not.toBeNull();
  });

  it("returns the canonical spelling of an IANA name typed in another case", () => {
    expect(resolveTimeZone("asia/jakarta")).toBe(WIB);
  });

  it("knows valid IANA names and refuses abbreviations", () => {
    expect(isValidTimeZone(WIT)).toBe(true);
    expect(isValidTimeZone("UTC")).toBe(true);
    expect(isValidTimeZone("WIB")).toBe(false);
    expect(isValidTimeZone("Asia/Nowhere")).toBe(false);
  });
});

describe("formatMoment", () => {
  it("when a moment is shown, then it reads in the region's zone and the reader's language, the zone named as Indonesians name it", () => {
    const at = new Date("2022-01-11T07:05:00Z");
    expect(formatMoment(at, "Asia/Jakarta", "id")).toBe("Sel, 11 Jan 2022 14.05 WIB");
    expect(formatMoment(at, "Asia/Makassar", "id")).toBe("Sel, 11 Jan 2022 15.05 WITA");
    expect(formatMoment(at, "Asia/Jayapura", "en")).toBe("Tue, 11 Jan 2022 16:05 WIT");
    // Late evening in Jayapura is already the next day.
    expect(formatMoment(new Date("2022-01-11T16:30:00Z"), "Asia/Jayapura", "id")).toBe("Rab, 12 Jan 2022 01.30 WIT");
    expect(formatMoment(at, "Europe/Amsterdam", "en")).toBe("Tue, 11 Jan 2022 08:05 Europe/Amsterdam");
  });
});
