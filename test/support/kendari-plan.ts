// Kota Kendari's replication of Sumedang's data bank (../shared/data/seed-facts.md): data are
// entered at every kelurahan, so the program has 64 small units with one innovation each. The
// kelurahan are numbered here (the sources do not list them). Used where a recap must read well
// with many units.

export const kendari = {
  program: "Replikasi Inovasi 2024 Kota Kendari",
  region: "Kota Kendari",
  initiative: "Bank Data Kelurahan",
  origin: "Kabupaten Sumedang",
  units: Array.from({ length: 64 }, (_, i) => ({ name: `Kelurahan ${String(i + 1).padStart(2, "0")}`, code: `KDI-KEL-${String(i + 1).padStart(2, "0")}` })),
  steps: [
    ["SK tim replikasi", "2024-02-15"],
    ["Pelatihan operator kelurahan", "2024-03-15"],
    ["Input data kelurahan", "2024-05-31"],
    ["Verifikasi data oleh OPD", "2024-07-31"],
  ],
} as const;

/** The program as an action-plan CSV: 1 region, 64 units, 64 initiatives, 256 steps. */
export function kendariCsv(): string {
  const rows = ["program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot"];
  for (const unit of kendari.units)
    for (const [step, due] of kendari.steps)
      rows.push([kendari.program, kendari.region, "WITA", unit.name, unit.code, kendari.initiative, kendari.origin, step, due, "1"].join(","));
  return rows.join("\n");
}
