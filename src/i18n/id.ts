// Every message users read, in Bahasa Indonesia (the first language). en.ts mirrors it.
// Values that come from users or files are HTML-escaped by the caller before they get here.

const bar = "Balas pesan ini dengan progres terbaru, mis. \"60% draf SOP selesai\", atau ketik /lapor.";

export const id = {
  commands: {
    start: "Mulai / gabung dengan kode undangan",
    bantuan: "Perintah yang bisa Anda pakai",
    tugas: "Tahapan terbuka unit Anda",
    lapor: "Laporkan progres tahapan",
    status: "Progres inovasi",
    rekap: "Rekap per unit dan inovasi",
    terlambat: "Tahapan yang terlambat",
    batal: "Batalkan langkah yang sedang berjalan",
  },
  start: {
    anonymous:
      "Halo! Saya <b>Pantau</b>, pengingat rencana aksi inovasi pelayanan publik.\n\n" +
      "Untuk memakai bot ini Anda perlu tautan undangan dari koordinator (Bagian Organisasi). " +
      "Buka tautan itu di ponsel Anda, lalu tekan <b>Mulai</b>.",
    welcomeBack: (name: string) => `Halo ${name}, Anda sudah terdaftar. Ketik /bantuan untuk melihat perintah.`,
    joined: (role: string, where: string) =>
      `Selamat bergabung! Anda sekarang terdaftar sebagai <b>${role}</b> untuk <b>${where}</b>.\n\nKetik /bantuan untuk melihat perintah.`,
    alreadyMember: (role: string, where: string) => `Anda sudah terdaftar sebagai <b>${role}</b> untuk <b>${where}</b>.`,
    inviteRefused:
      "Kode undangan ini tidak berlaku (salah, kedaluwarsa, atau sudah habis dipakai). Mintalah tautan undangan baru kepada koordinator.",
  },
  roles: { pic: "narahubung (PIC)", kepala: "kepala unit", koordinator: "koordinator" } as Record<string, string>,
  allRegions: "semua pemda",
  help: {
    header: "Perintah yang bisa Anda pakai:",
    line: (command: string, description: string) => `/${command} — ${description}`,
    strangerHint: "Anda belum terdaftar. Mintalah tautan undangan kepada koordinator.",
  },
  access: {
    notRegistered: "Anda belum terdaftar. Mintalah tautan undangan kepada koordinator, lalu buka tautan itu.",
    notAllowed: "Perintah ini bukan untuk peran Anda. Ketik /bantuan untuk melihat perintah Anda.",
    staleButton: "Tombol ini sudah tidak berlaku.",
  },
  tasks: {
    header: "📋 <b>Tahapan terbuka unit Anda</b>",
    none: "Tidak ada tahapan terbuka. Semua sudah selesai 🎉",
    line: (title: string, initiative: string, due: string, progress: number, late: number, left: number) =>
      `${late > 0 ? "🔴" : "⚪️"} <b>${title}</b> — ${initiative}\n   Tenggat ${due} (${
        late > 0 ? `terlambat ${late} hari` : left === 0 ? "hari ini" : `${left} hari lagi`
      }) · ${progress}%`,
    footer: "Ketik /lapor untuk melaporkan progres.",
  },
  report: {
    pickMilestone: "Tahapan mana yang ingin Anda laporkan?",
    listCut: (shown: number, total: number) =>
      `(${shown} tahapan terdekat dari ${total}. Tahapan lain bisa dilaporkan dengan membalas pengingatnya.)`,
    noMilestones: "Tidak ada tahapan terbuka untuk dilaporkan.",
    pickPercent: (title: string, progress: number) =>
      `<b>${title}</b>\nProgres terakhir: ${progress}%.\n\nPilih progres sekarang, atau ketik angkanya (0–100).`,
    blockedButton: "⚠️ Terkendala",
    askNote: "Tulis catatan singkat (mis. apa yang sudah dikerjakan), atau tekan Lewati.",
    askReason: "Apa kendalanya? Tulis singkat (mis. \"anggaran belum cair\").",
    skip: "Lewati",
    confirm: (title: string, what: string, note: string | null) =>
      `Periksa laporan Anda:\n\n<b>${title}</b>\nProgres: ${what}\nCatatan: ${note ?? "—"}\n\nSimpan?`,
    save: "✅ Simpan",
    cancel: "Batal",
    saved: (title: string, what: string) => `✅ Tersimpan: <b>${title}</b> — ${what}. Terima kasih!`,
    cancelled: "Laporan dibatalkan. Tidak ada yang disimpan.",
    badPercent: "Progres harus angka 0 sampai 100, mis. 60. Coba lagi, atau ketik /batal.",
    needReason: "Tulis kendalanya dulu (satu kalimat cukup), atau ketik /batal.",
  },
  progressText: (percent: number, status: string) =>
    status === "done"
      ? "selesai (100%)"
      : status === "blocked"
        ? `terkendala (${percent}%)`
        : status === "not_started"
          ? "belum mulai (0%)"
          : `${percent}%`,
  statusNames: { not_started: "belum mulai", in_progress: "berjalan", done: "selesai", blocked: "terkendala" } as Record<string, string>,
  reply: {
    needReason: "Apa kendalanya? Balas pengingat itu lagi dengan kendalanya, mis. \"terkendala anggaran belum cair\".",
    recorded: (title: string, what: string, note: string | null) =>
      `✅ Dicatat untuk <b>${title}</b>: ${what}${note ? `\nCatatan: ${note}` : ""}`,
    notUnderstood:
      "Maaf, saya belum paham. Balas dengan progres, mis. \"60% draf SOP selesai\", \"sudah selesai\", atau \"terkendala anggaran\". Bisa juga ketik /lapor.",
    outOfRange: "Progres harus antara 0 dan 100%. Balas lagi dengan angka yang benar.",
    notYours: "Pengingat ini bukan untuk unit Anda.",
    pickStep: "Pengingat ini memuat beberapa tahapan. Tahapan mana yang Anda laporkan?",
  },
  reminder: {
    title: (label: string) => `⏰ <b>Pengingat tenggat (${label})</b>`,
    overdueTitle: (days: number) => `🔴 <b>Tahapan terlambat ${days} hari</b>`,
    initiative: (name: string, origin: string | null) => `Inovasi: ${name}${origin ? ` — replikasi dari ${origin}` : ""}`,
    unit: (name: string) => `Unit: ${name}`,
    milestone: (title: string) => `Tahapan: ${title}`,
    due: (date: string, daysLeft: number) =>
      `Tenggat: ${date} (${daysLeft > 0 ? `${daysLeft} hari lagi` : daysLeft === 0 ? "hari ini" : `lewat ${-daysLeft} hari`})`,
    lastProgress: (what: string, when: string | null) => `Progres terakhir: ${what}${when ? ` (${when})` : ""}`,
    noProgress: "Progres terakhir: belum ada laporan",
    cta: bar,
    nudgeTitle: "👋 <b>Koordinator mengingatkan tahapan ini</b>",
    manyTitle: (n: number) => `⏰ <b>Pengingat: ${n} tahapan</b>`,
    manyCta: "Ketik /lapor untuk melaporkan progres, atau balas pesan ini untuk memilih tahapannya.",
  },
  escalation: {
    headTitle: "⚠️ <b>Tahapan unit Anda terlambat dan belum dilaporkan</b>",
    coordinatorTitle: "⚠️ <b>Eskalasi: tahapan terlambat tanpa laporan</b>\nKepala unit sudah diberi tahu.",
    reminded: (n: number, last: string | null) => (n > 0 ? `Pengingat terkirim: ${n} kali${last ? `, terakhir ${last}` : ""}` : "Belum ada pengingat yang terkirim."),
    focalPoints: (names: string) => `PIC: ${names}`,
    noFocalPoint: "belum ada",
    headAsk: "Mohon bantu menindaklanjuti dengan PIC unit Anda. Pesan ini dikirim sekali untuk setiap tahapan.",
    coordinatorAsk: "Pesan ini dikirim sekali untuk setiap tahapan. Ketik /terlambat untuk melihat semua yang terlambat.",
  },
  broadcast: {
    header: (sender: string) => `📢 <b>Pesan dari koordinator</b>${sender ? ` (${sender})` : ""}`,
  },
  status: {
    header: "📊 <b>Progres inovasi</b>",
    none: "Belum ada inovasi yang bisa Anda lihat.",
    notFound: (query: string) => `Inovasi "${query}" tidak ditemukan di antara yang bisa Anda lihat.`,
    initiative: (name: string, unit: string, progressBar: string, percent: number, overdue: number) =>
      `<b>${name}</b> — ${unit}\n${progressBar} ${percent}%${overdue > 0 ? `  (${overdue} terlambat)` : ""}`,
    milestone: (title: string, due: string, what: string, late: number) =>
      `  ${late > 0 ? "🔴" : "•"} ${title} — ${due} — ${what}${late > 0 ? ` (terlambat ${late} hari)` : ""}`,
  },
  recap: {
    header: (program: string) => `📊 <b>Rekap ${program}</b>`,
    none: "Belum ada program yang bisa Anda lihat. Muat rencana aksi dengan pantau import.",
    region: (name: string) => `🏛 <b>${name}</b>`,
    unit: (name: string, progressBar: string, percent: number, overdue: number) =>
      `<b>${name}</b>\n${progressBar} ${percent}%${overdue > 0 ? `  (${overdue} terlambat)` : ""}`,
    initiative: (name: string, percent: number, overdue: number) =>
      `  • ${name}: ${percent}%${overdue > 0 ? ` (${overdue} terlambat)` : ""}`,
    total: (percent: number, overdue: number) => `Total program: ${percent}% · ${overdue} tahapan terlambat`,
  },
  overdue: {
    header: "🔴 <b>Tahapan terlambat</b>",
    none: "Tidak ada tahapan yang terlambat 👍",
    line: (unit: string, initiative: string, title: string, due: string, late: number, what: string, pics: string) =>
      `<b>${unit}</b> — ${initiative}\n  ${title}\n  Tenggat ${due}, terlambat <b>${late} hari</b> · ${what}\n  PIC: ${pics}`,
    noPic: "belum ada",
  },
  fallback: "Saya tidak mengerti pesan itu. Ketik /bantuan untuk melihat perintah yang bisa Anda pakai.",
  cancel: { done: "Dibatalkan.", nothing: "Tidak ada langkah yang sedang berjalan." },
  cli: {
    usage: [
      "Pemakaian: pantau <perintah>",
      "",
      "  start                               jalankan bot (menerapkan migrasi lebih dulu)",
      "  migrate                             terapkan migrasi database lalu keluar",
      "  import <berkas.csv>                 muat atau perbarui rencana aksi",
      "  invite --unit <kode> [--role pic|kepala] [--uses N] [--days N]",
      "  invite --role koordinator [--program <nama>] [--region <nama>] [--uses N] [--days N]",
      "  remind [--at <waktu ISO>] [--dry-run]  satu putaran pengingat",
    ].join("\n"),
    unknownCommand: (name: string) => `Perintah tidak dikenal: ${name}`,
    badOption: (message: string) => `Opsi tidak valid: ${message}`,
    configProblems: "Konfigurasi belum benar:",
    migrated: (names: string[]) => (names.length ? `Migrasi diterapkan: ${names.join(", ")}` : "Database sudah mutakhir."),
    fileMissing: "Sebutkan berkas rencana aksi, mis. pantau import rencana-aksi.csv",
    fileUnreadable: (file: string) => `Berkas tidak bisa dibaca: ${file}`,
    xlsxLater: "Berkas XLSX belum didukung oleh versi ini. Simpan sebagai CSV (File > Save As > CSV) lalu impor lagi.",
    importRejected: (count: number) => `Impor ditolak: ${count} kesalahan. Tidak ada yang diubah.`,
    importDone: "Impor selesai.",
    counts: (label: string, programs: number, regions: number, units: number, initiatives: number, milestones: number) =>
      `${label}: ${programs} program, ${regions} pemda, ${units} OPD, ${initiatives} inovasi, ${milestones} tahapan`,
    created: "Dibuat",
    updated: "Diperbarui",
    unchanged: (n: number) => `Tidak berubah: ${n} tahapan`,
    inviteCreated: (role: string, target: string, uses: number, expires: string) =>
      `Undangan ${role} untuk ${target} (maks. ${uses} orang, berlaku sampai ${expires}):`,
    badAt: "--at harus waktu ISO, mis. 2022-01-11T08:00:00+07:00",
    remindNone: "Tidak ada pengingat yang jatuh tempo.",
    remindPlanned: (n: number) => `${n} pengingat akan dikirim:`,
    remindLine: (who: string, unit: string, title: string, slot: string) => `- ${who} (${unit}): ${title} [${slot}]`,
    remindDone: (sent: number, blocked: number, failed: number, retrying: number) =>
      `Terkirim ${sent}, memblokir bot ${blocked}, gagal ${failed}, dicoba lagi nanti ${retrying}.`,
    receivingStopped: (reason: string) => `Bot berhenti menerima pesan: ${reason}. Apakah ada proses lain yang memakai token yang sama?`,
    stopped: "Pantau berhenti.",
  },
  importErrors: {
    row: (row: number, column: string, message: string) => (column ? `Baris ${row}, kolom ${column}: ${message}` : `Baris ${row}: ${message}`),
    codes: {
      missing_column: () => "kolom wajib tidak ada di baris judul",
      required: () => "wajib diisi",
      bad_date: (v: string) => `tanggal "${v}" tidak valid (pakai 2022-03-14, 14/03/2022 atau 14 Maret 2022)`,
      bad_timezone: (v: string) => `zona waktu "${v}" tidak dikenal (pakai WIB, WITA, WIT atau nama seperti Asia/Jakarta)`,
      bad_weight: (v: string) => `bobot "${v}" harus angka lebih dari 0`,
      bad_unit_code: (v: string) => `kode OPD "${v}" hanya boleh huruf, angka, - dan _`,
      too_long: (v: string) => `terlalu panjang (paling banyak ${v} karakter)`,
      duplicate_row: (v: string) => `sama dengan baris ${v} (program, pemda, OPD, inovasi dan tahapan)`,
      timezone_conflict: (v: string) => `pemda ini sudah diberi zona waktu lain di berkas (${v})`,
      unit_code_conflict: (v: string) => `kode OPD "${v}" bertentangan dengan baris lain (dipakai OPD lain, atau OPD ini diberi kode lain)`,
      unit_code_taken: (v: string) => `kode OPD "${v}" sudah dipakai OPD lain di database`,
      empty_file: () => "berkas tidak berisi baris data",
    } as Record<string, (value: string) => string>,
    unreadable: "berkas CSV rusak (mis. tanda kutip tidak ditutup)",
  },
  errors: {
    generic: "Maaf, terjadi kesalahan. Coba lagi sebentar lagi.",
    codes: {
      "access.not_allowed": "Anda tidak punya akses ke tahapan ini.",
      "report.bad_percent": "Progres harus angka 0 sampai 100.",
      "report.reason_required": "Tulis kendalanya dulu (satu kalimat cukup).",
      "invite.unknown_unit": "OPD dengan kode {unit} tidak ada. Periksa kode_opd di berkas rencana aksi.",
      "invite.unknown_program": "Program \"{program}\" tidak ada.",
      "invite.no_program": "Belum ada program. Muat rencana aksi dulu dengan pantau import.",
      "invite.choose_program": "Ada beberapa program; sebutkan salah satu dengan --program: {programs}",
      "invite.unknown_region": "Pemda \"{region}\" tidak ada dalam program \"{program}\".",
      "invite.unit_required": "Sebutkan OPD dengan --unit <kode_opd>.",
      "invite.bad_days": "--days harus bilangan bulat 1 sampai 365.",
      "invite.bad_uses": "--uses harus bilangan bulat 1 sampai 1000.",
      "invite.refused": "Kode undangan ini tidak berlaku (salah, kedaluwarsa, atau sudah habis dipakai). Mintalah tautan undangan baru kepada koordinator.",
    } as Record<string, string>,
  },
};

export type Catalogue = typeof id;
