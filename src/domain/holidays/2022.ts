import type { OfficialYear } from "./index.js";

// Keputusan Bersama Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 963 Tahun 2021,
// Nomor 3 Tahun 2021, Nomor 4 Tahun 2021 (22 September 2021): 16 libur nasional, cuti bersama left
// open for COVID-19. Amended by Nomor 375/2022, 1/2022, 1/2022 (7 April 2022: four days of cuti
// bersama for Idul Fitri) and Nomor 678/2022, 2/2022, 2/2022 (7 July 2022: Idul Adha moved from
// Saturday 9 to Sunday 10 July after the isbat).
export const calendar2022: OfficialYear = {
  year: 2022,
  decrees: [
    "SKB Menag, Menaker, MenPANRB No. 963/2021, 3/2021, 4/2021 (22 September 2021)",
    "perubahan No. 375/2022, 1/2022, 1/2022 (7 April 2022)",
    "perubahan kedua No. 678/2022, 2/2022, 2/2022 (7 Juli 2022)",
  ],
  days: [
    { date: "2022-01-01", kind: "libur nasional", name: "Tahun Baru 2022 Masehi" },
    { date: "2022-02-01", kind: "libur nasional", name: "Tahun Baru Imlek 2573 Kongzili" },
    { date: "2022-02-28", kind: "libur nasional", name: "Isra Mikraj Nabi Muhammad SAW" },
    { date: "2022-03-03", kind: "libur nasional", name: "Hari Suci Nyepi Tahun Baru Saka 1944" },
    { date: "2022-04-15", kind: "libur nasional", name: "Wafat Isa Al Masih" },
    { date: "2022-04-29", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1443 Hijriah" },
    { date: "2022-05-01", kind: "libur nasional", name: "Hari Buruh Internasional" },
    { date: "2022-05-02", kind: "libur nasional", name: "Hari Raya Idul Fitri 1443 Hijriah" },
    { date: "2022-05-03", kind: "libur nasional", name: "Hari Raya Idul Fitri 1443 Hijriah" },
    { date: "2022-05-04", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1443 Hijriah" },
    { date: "2022-05-05", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1443 Hijriah" },
    { date: "2022-05-06", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1443 Hijriah" },
    { date: "2022-05-16", kind: "libur nasional", name: "Hari Raya Waisak 2566 BE" },
    { date: "2022-05-26", kind: "libur nasional", name: "Kenaikan Isa Al Masih" },
    { date: "2022-06-01", kind: "libur nasional", name: "Hari Lahir Pancasila" },
    { date: "2022-07-10", kind: "libur nasional", name: "Hari Raya Idul Adha 1443 Hijriah" },
    { date: "2022-07-30", kind: "libur nasional", name: "Tahun Baru Islam 1444 Hijriah" },
    { date: "2022-08-17", kind: "libur nasional", name: "Hari Kemerdekaan Republik Indonesia" },
    { date: "2022-10-08", kind: "libur nasional", name: "Maulid Nabi Muhammad SAW" },
    { date: "2022-12-25", kind: "libur nasional", name: "Hari Raya Natal" },
  ],
};
