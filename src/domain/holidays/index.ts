import type { CalendarDate } from "../dates.js";
import { calendar2022 } from "./2022.js";
import { calendar2023 } from "./2023.js";
import { calendar2025 } from "./2025.js";
import { calendar2026 } from "./2026.js";

/** A national holiday (libur nasional) or a day of collective leave (cuti bersama) for civil servants. */
export type OfficialKind = "libur nasional" | "cuti bersama";

export interface OfficialDay {
  date: CalendarDate;
  kind: OfficialKind;
  /** As the decree names it. */
  name: string;
}

/**
 * One year of the government's calendar, as the yearly joint decree of the Ministers of Religious
 * Affairs, Manpower and Administrative Reform (SKB 3 Menteri) and its amendments finally set it.
 */
export interface OfficialYear {
  year: number;
  /** The decree and each amendment, in order: where the days below come from. */
  decrees: string[];
  days: OfficialDay[];
}

/**
 * The years whose official calendar Pantau ships, by year. A year is added only from its decree
 * (README, "Working days"); a year missing here falls back to the computed holidays.
 */
export const officialYears: ReadonlyMap<number, OfficialYear> = new Map(
  [calendar2022, calendar2023, calendar2025, calendar2026].map((calendar) => [calendar.year, calendar]),
);
