import type { OfficialYear } from "./index.js";

// Keputusan Bersama Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 1066 Tahun 2022,
// Nomor 3 Tahun 2022, Nomor 3 Tahun 2022 (11 October 2022): 16 libur nasional, 8 cuti bersama.
// Amended by Nomor 327/2023, 1/2023, 1/2023 (March 2023: cuti bersama Idul Fitri moved from 21,
// 24, 25, 26 to 19, 20, 21, 24, 25 April; Keppres 8/2023 did the same for civil servants) and
// Nomor 624/2023, 2/2023, 2/2023 (June 2023: cuti bersama Idul Adha on 28 and 30 June).
export const calendar2023: OfficialYear = {
  year: 2023,
  decrees: [
    "SKB Menag, Menaker, MenPANRB No. 1066/2022, 3/2022, 3/2022 (11 Oktober 2022)",
    "perubahan No. 327/2023, 1/2023, 1/2023 (Maret 2023)",
    "perubahan kedua No. 624/2023, 2/2023, 2/2023 (Juni 2023)",
  ],
  days: [
    { date: "2023-01-01", kind: "libur nasional", name: "Tahun Baru 2023 Masehi" },
    { date: "2023-01-22", kind: "libur nasional", name: "Tahun Baru Imlek 2574 Kongzili" },
    { date: "2023-01-23", kind: "cuti bersama", name: "Cuti bersama Tahun Baru Imlek 2574 Kongzili" },
    { date: "2023-02-18", kind: "libur nasional", name: "Isra Mikraj Nabi Muhammad SAW" },
    { date: "2023-03-22", kind: "libur nasional", name: "Hari Suci Nyepi Tahun Baru Saka 1945" },
    { date: "2023-03-23", kind: "cuti bersama", name: "Cuti bersama Hari Suci Nyepi Tahun Baru Saka 1945" },
    { date: "2023-04-07", kind: "libur nasional", name: "Wafat Isa Al Masih" },
    { date: "2023-04-19", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1444 Hijriah" },
    { date: "2023-04-20", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1444 Hijriah" },
    { date: "2023-04-21", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1444 Hijriah" },
    { date: "2023-04-22", kind: "libur nasional", name: "Hari Raya Idul Fitri 1444 Hijriah" },
    { date: "2023-04-23", kind: "libur nasional", name: "Hari Raya Idul Fitri 1444 Hijriah" },
    { date: "2023-04-24", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1444 Hijriah" },
    { date: "2023-04-25", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1444 Hijriah" },
    { date: "2023-05-01", kind: "libur nasional", name: "Hari Buruh Internasional" },
    { date: "2023-05-18", kind: "libur nasional", name: "Kenaikan Isa Al Masih" },
    { date: "2023-06-01", kind: "libur nasional", name: "Hari Lahir Pancasila" },
    { date: "2023-06-02", kind: "cuti bersama", name: "Cuti bersama Hari Raya Waisak" },
    { date: "2023-06-04", kind: "libur nasional", name: "Hari Raya Waisak 2567 BE" },
    { date: "2023-06-28", kind: "cuti bersama", name: "Cuti bersama Idul Adha 1444 Hijriah" },
    { date: "2023-06-29", kind: "libur nasional", name: "Hari Raya Idul Adha 1444 Hijriah" },
    { date: "2023-06-30", kind: "cuti bersama", name: "Cuti bersama Idul Adha 1444 Hijriah" },
    { date: "2023-07-19", kind: "libur nasional", name: "Tahun Baru Islam 1445 Hijriah" },
    { date: "2023-08-17", kind: "libur nasional", name: "Hari Kemerdekaan Republik Indonesia" },
    { date: "2023-09-28", kind: "libur nasional", name: "Maulid Nabi Muhammad SAW" },
    { date: "2023-12-25", kind: "libur nasional", name: "Hari Raya Natal" },
    { date: "2023-12-26", kind: "cuti bersama", name: "Cuti bersama Hari Raya Natal" },
  ],
};
