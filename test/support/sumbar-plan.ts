// The province of Sumatera Barat's replication program (../shared/data/seed-facts.md): nineteen
// regencies and cities, five innovations each, four steps each. Used where a test or the bench
// needs a coordinator's /rekap of many regions.

export const sumbar = {
  program: "Replikasi Inovasi 2021 Provinsi Sumatera Barat",
  regions: [
    "Kabupaten Agam",
    "Kabupaten Dharmasraya",
    "Kabupaten Kepulauan Mentawai",
    "Kabupaten Lima Puluh Kota",
    "Kabupaten Padang Pariaman",
    "Kabupaten Pasaman",
    "Kabupaten Pasaman Barat",
    "Kabupaten Pesisir Selatan",
    "Kabupaten Sijunjung",
    "Kabupaten Solok",
    "Kabupaten Solok Selatan",
    "Kabupaten Tanah Datar",
    "Kota Bukittinggi",
    "Kota Padang",
    "Kota Padang Panjang",
    "Kota Pariaman",
    "Kota Payakumbuh",
    "Kota Sawahlunto",
    "Kota Solok",
  ],
  innovations: [
    ["SIP Banget", "Kota Batu", "Dinas Pariwisata"],
    ["Poltabes", "Kota Palembang", "Dinas Pendidikan"],
    ["Ayo Ceting", "Kota Padang", "Dinas Kesehatan"],
    ["Pikobar", "Provinsi Jawa Barat", "Dinas Komunikasi dan Informatika"],
    ["SI JABPRI", "Provinsi Riau", "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia"],
  ],
  steps: [
    ["Penandatanganan komitmen replikasi", "2021-11-15"],
    ["SK tim replikasi", "2021-12-15"],
    ["Studi tiru ke daerah asal", "2022-02-28"],
    ["Uji coba dan peluncuran", "2022-06-30"],
  ],
} as const;

/** The program as an action-plan CSV: 19 regions, 95 units, 95 initiatives, 380 steps. */
export function sumbarCsv(): string {
  const rows = ["program,pemda,zona_waktu,opd,inovasi,asal,tahapan,tenggat,bobot"];
  for (const region of sumbar.regions)
    for (const [innovation, origin, unit] of sumbar.innovations)
      for (const [step, due] of sumbar.steps) rows.push([sumbar.program, region, "WIB", `"${unit}"`, innovation, `"${origin}"`, step, due, "1"].join(","));
  return rows.join("\n");
}
