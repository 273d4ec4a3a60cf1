import type { OfficialYear } from "./index.js";

// Keputusan Bersama Menteri Agama, Menteri Ketenagakerjaan dan Menteri PANRB Nomor 1017 Tahun 2024,
// Nomor 2 Tahun 2024, Nomor 2 Tahun 2024 (14 October 2024): 17 libur nasional, 10 cuti bersama.
// Amended by Nomor 933/2025, 1/2025, 3/2025 (7 August 2025): cuti bersama on 18 August for the
// 80th Independence Day.
export const calendar2025: OfficialYear = {
  year: 2025,
  decrees: ["SKB Menag, Menaker, MenPANRB No. 1017/2024, 2/2024, 2/2024 (14 Oktober 2024)", "perubahan No. 933/2025, 1/2025, 3/2025 (7 Agustus 2025)"],
  days: [
    { date: "2025-01-01", kind: "libur nasional", name: "Tahun Baru 2025 Masehi" },
    { date: "2025-01-27", kind: "libur nasional", name: "Isra Mikraj Nabi Muhammad SAW" },
    { date: "2025-01-28", kind: "cuti bersama", name: "Cuti bersama Tahun Baru Imlek 2576 Kongzili" },
    { date: "2025-01-29", kind: "libur nasional", name: "Tahun Baru Imlek 2576 Kongzili" },
    { date: "2025-03-28", kind: "cuti bersama", name: "Cuti bersama Hari Suci Nyepi (Tahun Baru Saka 1947)" },
    { date: "2025-03-29", kind: "libur nasional", name: "Hari Suci Nyepi (Tahun Baru Saka 1947)" },
    { date: "2025-03-31", kind: "libur nasional", name: "Idul Fitri 1446 Hijriah" },
    { date: "2025-04-01", kind: "libur nasional", name: "Idul Fitri 1446 Hijriah" },
    { date: "2025-04-02", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1446 Hijriah" },
    { date: "2025-04-03", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1446 Hijriah" },
    { date: "2025-04-04", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1446 Hijriah" },
    { date: "2025-04-07", kind: "cuti bersama", name: "Cuti bersama Idul Fitri 1446 Hijriah" },
    { date: "2025-04-18", kind: "libur nasional", name: "Wafat Yesus Kristus" },
    { date: "2025-04-20", kind: "libur nasional", name: "Kebangkitan Yesus Kristus (Paskah)" },
    { date: "2025-05-01", kind: "libur nasional", name: "Hari Buruh Internasional" },
    { date: "2025-05-12", kind: "libur nasional", name: "Hari Raya Waisak 2569 BE" },
    { date: "2025-05-13", kind: "cuti bersama", name: "Cuti bersama Hari Raya Waisak 2569 BE" },
    { date: "2025-05-29", kind: "libur nasional", name: "Kenaikan Yesus Kristus" },
    { date: "2025-05-30", kind: "cuti bersama", name: "Cuti bersama Kenaikan Yesus Kristus" },
    { date: "2025-06-01", kind: "libur nasional", name: "Hari Lahir Pancasila" },
    { date: "2025-06-06", kind: "libur nasional", name: "Idul Adha 1446 Hijriah" },
    { date: "2025-06-09", kind: "cuti bersama", name: "Cuti bersama Idul Adha 1446 Hijriah" },
    { date: "2025-06-27", kind: "libur nasional", name: "1 Muharam Tahun Baru Islam 1447 Hijriah" },
    { date: "2025-08-17", kind: "libur nasional", name: "Proklamasi Kemerdekaan" },
    { date: "2025-08-18", kind: "cuti bersama", name: "Cuti bersama Proklamasi Kemerdekaan" },
    { date: "2025-09-05", kind: "libur nasional", name: "Maulid Nabi Muhammad SAW" },
    { date: "2025-12-25", kind: "libur nasional", name: "Kelahiran Yesus Kristus" },
    { date: "2025-12-26", kind: "cuti bersama", name: "Cuti bersama Kelahiran Yesus Kristus" },
  ],
};
