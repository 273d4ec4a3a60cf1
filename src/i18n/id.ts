// Every message users read, in Bahasa Indonesia (the first language). en.ts mirrors it.
// Values that come from users or files are HTML-escaped by the caller before they get here.

export const id = {
  commands: {
    start: "Mulai / gabung dengan kode undangan",
    bantuan: "Perintah yang bisa Anda pakai",
    tugas: "Tahapan terbuka unit Anda",
    lapor: "Laporkan progres tahapan",
    status: "Progres inovasi",
    rekap: "Rekap per unit dan inovasi",
    terlambat: "Tahapan yang terlambat",
    siaran: "Kirim pesan ke banyak unit sekaligus",
    ingatkan: "Ingatkan unit atau tahapan sekarang",
    aturan: "Aturan pengingat program",
    libur: "Hari libur: libur nasional, cuti bersama, libur program",
    undang: "Buat tautan undangan (dan kode QR) untuk unit; tanpa unit: undangan terbuka",
    anggota: "Narahubung dan kepala unit: hapus atau ganti",
    keluar: "Keluar dari unit atau program Anda",
    jangkauan: "Unit tanpa PIC, undangan belum dipakai, yang memblokir bot",
    ekspor: "Unduh rekap XLSX",
    bahasa: "Bahasa pesan bot (id/en)",
    riwayat: "Riwayat laporan unit atau inovasi",
    impor: "Muat rencana aksi dari berkas CSV/XLSX",
    batal: "Batalkan langkah yang sedang berjalan",
    privasi: "Data apa yang disimpan Pantau, untuk apa, berapa lama",
    dataku: "Salinan semua data Anda (berkas JSON)",
    nama: "Perbaiki nama Anda di rekap dan daftar",
    hapusdata: "Hapus data pribadi orang yang sudah keluar",
    sistem: "Keadaan sistem: versi, antrean kirim, pengingat, cadangan",
    jejak: "Jejak perubahan program Anda: siapa, apa, kapan",
    ringkasan: "Ringkasan mingguan: nyalakan atau matikan",
    cuti: "Cuti: pengingat Anda dialihkan sampai Anda kembali",
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
    inviteRefused: "Kode undangan ini tidak berlaku (salah, kedaluwarsa, atau sudah habis dipakai). Mintalah tautan undangan baru kepada koordinator.",
  },
  roles: { pic: "narahubung (PIC)", kepala: "kepala unit", koordinator: "koordinator" } as Record<string, string>,
  allRegions: "semua pemda",
  help: {
    header: "Perintah yang bisa Anda pakai:",
    line: (command: string, description: string) => `/${command} — ${description}`,
    strangerHint: "Anda belum terdaftar. Mintalah tautan undangan kepada koordinator.",
    lastBackup: (date: string, hour: number, minute: number, file: string) =>
      `Cadangan terakhir (admin): ${date} pukul ${String(hour).padStart(2, "0")}.${String(minute).padStart(2, "0")}, ${file}.`,
    noBackup: "Cadangan terakhir (admin): belum ada.",
    dailyBackupsOff: "Cadangan harian mati: BACKUP_DIR tidak diatur.",
  },
  system: {
    header: "🖥 Sistem Pantau",
    version: (version: string, database: string) => `Versi ${version} · basis data ${database}`,
    uptime: (duration: string) => `Berjalan selama ${duration} (proses ini).`,
    outbox: (due: number, oldest: string | null) =>
      due === 0 ? "Antrean kirim: kosong." : `Antrean kirim: ${due} pesan jatuh tempo, yang tertua menunggu ${oldest}.`,
    lastPass: (date: string, hour: number, minute: number, ok: boolean, seconds: number) =>
      `Putaran pengingat terakhir (proses ini): ${date} pukul ${String(hour).padStart(2, "0")}.${String(minute).padStart(2, "0")}, ${
        ok ? "berhasil" : "GAGAL (lihat log)"
      }, ${seconds.toFixed(1).replace(".", ",")} detik.`,
    noPass: "Putaran pengingat terakhir (proses ini): belum ada.",
    counts: (registered: number, known: number, units: number) => `Orang terdaftar: ${registered} (dikenal bot: ${known}) · unit: ${units}.`,
    duration: (days: number, hours: number, minutes: number) =>
      days > 0 ? `${days} hari ${hours} jam` : hours > 0 ? `${hours} jam ${minutes} menit` : minutes > 0 ? `${minutes} menit` : "kurang dari 1 menit",
  },
  access: {
    notRegistered: "Anda belum terdaftar. Mintalah tautan undangan kepada koordinator, lalu buka tautan itu.",
    notAllowed: "Perintah ini bukan untuk peran Anda. Ketik /bantuan untuk melihat perintah Anda.",
    staleButton: "Tombol ini sudah tidak berlaku.",
    noSeat:
      "Anda tidak lagi terdaftar di unit atau program mana pun, jadi perintah dan tombol ini tidak berlaku lagi untuk Anda. Bila perlu, mintalah tautan undangan baru kepada koordinator.",
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
    listCut: (shown: number, total: number) => `(${shown} tahapan terdekat dari ${total}. Tahapan lain bisa dilaporkan dengan membalas pengingatnya.)`,
    noMilestones: "Tidak ada tahapan terbuka untuk dilaporkan.",
    pickPercent: (title: string, progress: number) =>
      `<b>${title}</b>\nProgres terakhir: ${progress}%.\n\nPilih progres sekarang, atau ketik angkanya (0–100).`,
    blockedButton: "⚠️ Terkendala",
    askNote: "Tulis catatan singkat (mis. apa yang sudah dikerjakan), atau tekan Lewati.",
    askReason: 'Apa kendalanya? Tulis singkat (mis. "anggaran belum cair").',
    skip: "Lewati",
    confirm: (title: string, what: string, note: string | null, files = 0) =>
      `Periksa laporan Anda:\n\n<b>${title}</b>\nProgres: ${what}\nCatatan: ${note ?? "—"}\nBukti dukung: ${files > 0 ? `${files} berkas` : "—"}\n\n📎 Ada bukti dukung (foto kegiatan, PDF SK)? Kirimkan dulu di sini.\n\nSimpan?`,
    save: "✅ Simpan",
    cancel: "Batal",
    saved: (title: string, what: string, note: string | null) => `✅ Tersimpan: <b>${title}</b> — ${what}. Terima kasih!${note ? `\nCatatan: ${note}` : ""}`,
    cancelled: "Laporan dibatalkan. Tidak ada yang disimpan.",
    badPercent: "Progres harus angka 0 sampai 100, mis. 60. Coba lagi, atau ketik /batal.",
    needReason: "Tulis kendalanya dulu (satu kalimat cukup), atau ketik /batal.",
    askDecreaseReason: (from: number, to: number) =>
      `Progres turun dari ${from}% ke ${to}%. Tulis alasannya singkat (mis. "SOP harus direvisi"), atau ketik /batal.`,
    decreaseRefused: (from: number, to: number) =>
      `Progres turun dari ${from}% ke ${to}% tanpa alasan, jadi belum disimpan. Ketik /lapor lagi dan tulis alasannya di catatan.`,
    undoButton: "↩️ Urungkan",
    undoHint: "Salah isi? Tekan ↩️ Urungkan (berlaku 30 menit), lalu ketik /lapor untuk melapor ulang.",
    undone: (title: string, what: string) =>
      `↩️ Laporan <b>${title}</b> diurungkan. Progres kembali ke ${what}.\nUntuk memperbaikinya, ketik /lapor dan laporkan lagi.`,
    undoRefused: {
      not_found: "Laporan ini tidak ditemukan.",
      not_yours: "Hanya pelapornya yang bisa mengurungkan laporan ini.",
      already_undone: "Laporan ini sudah diurungkan.",
      expired: "Laporan hanya bisa diurungkan dalam 30 menit. Untuk memperbaikinya, ketik /lapor dan laporkan lagi.",
    } as Record<string, string>,
  },
  progressText: (percent: number, status: string) =>
    status === "done" ? "selesai (100%)" : status === "blocked" ? `terkendala (${percent}%)` : status === "not_started" ? "belum mulai (0%)" : `${percent}%`,
  statusNames: { not_started: "belum mulai", in_progress: "berjalan", done: "selesai", blocked: "terkendala" } as Record<string, string>,
  reply: {
    needReason: 'Apa kendalanya? Balas pengingat itu lagi dengan kendalanya, mis. "terkendala anggaran belum cair".',
    notUnderstood:
      'Maaf, saya belum paham. Balas dengan progres, mis. "60% draf SOP selesai", "sudah selesai", atau "terkendala anggaran". Bisa juga ketik /lapor.',
    outOfRange: "Progres harus antara 0 dan 100%. Balas lagi dengan angka yang benar.",
    notYours: "Pengingat ini bukan untuk unit Anda.",
    relieved:
      "Anda menerima pengingat ini menggantikan PIC yang cuti. PIC unit sudah ada lagi dan tahapan ini sudah dilaporkan sejak itu, jadi laporannya kembali dari PIC. Tidak ada yang dicatat.",
    pickStep: "Pengingat ini memuat beberapa tahapan. Tahapan mana yang Anda laporkan?",
    whichStep: (report: string) =>
      `Balasan Anda: ${report}\nPengingat ini memuat beberapa tahapan, dan saya belum tahu yang mana. Tekan tahapannya; balasan Anda tidak perlu diketik ulang.`,
    fileKept: "📎 Berkas diterima. Disimpan bersama laporan itu begitu Anda memilih tahapannya.",
    pendingCancelled: "Dibatalkan. Balasan itu tidak disimpan.",
    pendingFull: (max: number) => `Paling banyak ${max} berkas per laporan; berkas ini tidak disimpan.`,
    needDecreaseReason: (from: number, to: number) =>
      `Progres turun dari ${from}% ke ${to}%. Balas pengingat itu lagi dengan alasannya, mis. "${to}% SOP harus direvisi". Belum ada yang disimpan.`,
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
    cta: 'Balas pesan ini dengan progres terbaru, mis. "60% draf SOP selesai", atau tekan tombolnya di bawah.',
    nudgeTitle: "👋 <b>Koordinator mengingatkan tahapan ini</b>",
    manyTitle: (n: number) => `⏰ <b>Pengingat: ${n} tahapan</b>`,
    manyCta: 'Balas pesan ini dengan progres dan tahapannya, mis. "SOP 60%", atau tekan nomor tahapannya di bawah.',
  },
  // The buttons under a reminder or a nudge (features/reminder-buttons.ts). Alerts stay within
  // Telegram's 200 characters: they never carry a step's title.
  reminderButtons: {
    done: "✅ Selesai",
    report: "📝 Lapor",
    snooze: "⏰ Besok",
    back: (n: number) => `⬅️ Kembali (tahapan ${n})`,
    opened: (n: number, title: string) => `Tahapan ${n}: ${title}`,
    notYours: "Pengingat ini untuk orang lain, jadi tombolnya tidak berlaku bagi Anda.",
    removed: "Anda tidak lagi bisa melapor untuk tahapan ini, jadi tombol ini tidak berlaku. Tidak ada yang diubah.",
    relieved:
      "Anda menerima pengingat ini menggantikan PIC yang cuti. PIC unit sudah ada lagi dan tahapan ini sudah dilaporkan sejak itu, jadi tombol ini tidak berlaku lagi bagi Anda.",
    changedDone: "Tahapan ini sudah selesai (100%) sejak pengingat ini dikirim. Tidak ada yang diubah.",
    changedReported: (what: string, when: string) =>
      `Sudah ada laporan baru sejak pengingat ini dikirim: progres kini ${what} (${when}). Tidak ada yang diubah; lihat /tugas.`,
    changedRevised: (due: string) => `Tenggat tahapan ini diubah sejak pengingat ini dikirim, kini ${due}. Tidak ada yang diubah; lihat /tugas.`,
    at: (date: string, hour: number, zone: string) => `${date} pukul ${String(hour).padStart(2, "0")}.00 ${zone}`,
    snoozed: (title: string, when: string, count: number, max: number) =>
      `⏰ Baik, <b>${title}</b> diingatkan lagi ${when}.\nPenundaan ke-${count} dari paling banyak ${max}. Salah tekan? Tekan ↩️ Urungkan.`,
    snoozedAlready: (when: string) => `Sudah: diingatkan lagi ${when}.`,
    snoozeLimit: (max: number) =>
      `Pengingat tahapan ini sudah ${max} kali ditunda (batasnya ${max} kali). Laporkan progresnya dengan ✅ Selesai atau 📝 Lapor.`,
    snoozeEscalation: (when: string) =>
      `Tidak bisa ditunda: ${when} tahapan ini dilaporkan ke kepala unit, sebelum pengingat besok. Laporkan progresnya sekarang dengan 📝 Lapor.`,
    undo: "↩️ Urungkan",
    snoozeUndone: (title: string, when: string, earlier: string | null) =>
      `↩️ Penundaan diurungkan: <b>${title}</b> tidak jadi diingatkan lagi ${when}.${earlier ? ` Penundaan sebelumnya berlaku lagi: diingatkan ${earlier}.` : ""}`,
    undoRefused: {
      not_found: "Penundaan ini tidak ditemukan.",
      not_yours: "Hanya orang yang menunda pengingat ini yang bisa mengurungkannya.",
      sent: "Pengingat itu sudah terkirim, jadi penundaannya tidak bisa diurungkan lagi.",
      cancelled: "Penundaan ini sudah diurungkan.",
    } as Record<string, string>,
  },
  escalation: {
    headTitle: "⚠️ <b>Tahapan unit Anda terlambat dan belum dilaporkan</b>",
    coordinatorTitle: "⚠️ <b>Eskalasi: tahapan terlambat tanpa laporan</b>",
    reminded: (n: number, last: string | null) =>
      n > 0 ? `Pengingat terkirim: ${n} kali${last ? `, terakhir ${last}` : ""}` : "Belum ada pengingat yang terkirim.",
    focalPoints: (names: string) => `PIC: ${names}`,
    noFocalPoint: "belum ada",
    headTold: (date: string) => `Kepala unit sudah diberi tahu (${date}).`,
    headNotTold: "Kepala unit belum diberi tahu.",
    noHead: "Unit ini belum punya kepala unit di Pantau, jadi belum ada kepala yang diberi tahu.",
    headAsk:
      "Mohon bantu menindaklanjuti dengan PIC unit Anda (bila belum ada PIC, minta koordinator mengundangnya). Pesan ini dikirim sekali untuk setiap tahapan.",
    coordinatorAsk: "Pesan ini dikirim sekali untuk setiap tahapan. Ketik /terlambat untuk melihat semua yang terlambat.",
    earlierHead: (steps: number) =>
      `🕓 Sebelum Anda bergabung, ${steps} tahapan unit Anda sudah terlambat tanpa laporan. Ketik /status untuk melihat progresnya.`,
    earlierCoordinator: (steps: number, units: number) =>
      `🕓 Sebelum Anda bergabung, ${steps} tahapan di ${units} unit sudah terlambat tanpa laporan. Ketik /terlambat untuk melihatnya.`,
    unreachedTitle: (units: number, program: string) =>
      `🔕 <b>${units} unit dengan tahapan terlambat belum punya PIC yang bisa diingatkan</b> (${program})\nTahapan mereka tidak dieskalasi satu per satu.`,
    someUnits: (names: string[], more: number) => `${names.join(", ")}${more > 0 ? ` dan ${more} lainnya` : ""}`,
    moreRegions: (n: number) => `… dan ${n} pemda lainnya`,
    unreachedAsk: "Ketik /jangkauan untuk melihat dan mengundang mereka. Ringkasan ini dikirim paling banyak sekali sehari.",
  },
  broadcast: {
    header: (sender: string) => `📢 <b>Pesan dari koordinator</b>${sender ? ` (${sender})` : ""}`,
    privateOnly: "Siaran disusun di chat pribadi dengan bot. Buka chat dengan saya lalu ketik /siaran.",
    noProgram: "Anda belum menjadi koordinator program mana pun.",
    pickProgram: "Siaran untuk program mana?",
    compose: (program: string) =>
      `📢 <b>Siaran baru — ${program}</b>\n\nKirim pesan yang ingin disiarkan: teks, atau foto/dokumen dengan keterangan (caption).\nKetik /batal untuk membatalkan.`,
    empty: "Pesannya kosong. Kirim teks, atau foto/dokumen dengan keterangan.",
    needCaption: "Tambahkan keterangan (caption) pada foto atau dokumen itu agar penerima tahu maksudnya, lalu kirim lagi.",
    tooLong: (length: number, max: number) => `Pesan terlalu panjang untuk satu pesan: ${length} karakter, paling banyak ${max}. Persingkat lalu kirim lagi.`,
    pickAudience: "Pesan siap. Kirim ke siapa?\n🔕 = unit yang tidak melapor apa pun selama 7, 14 atau 30 hari.",
    audienceProgram: "Semua unit program",
    audienceOverdue: "🔴 Unit dengan tahapan terlambat",
    audienceSilent: (days: number) => `🔕 ${days} hari`,
    audienceUnits: "Pilih unit…",
    pickUnits: (selected: number, page: number, pages: number) =>
      `Ketuk unit untuk memilih atau membatalkannya, lalu tekan Selesai.\nDipilih: ${selected} unit.${pages > 1 ? ` Halaman ${page} dari ${pages}.` : ""}`,
    unitsDone: (n: number) => `Selesai (${n})`,
    noneSelected: "Pilih minimal satu unit.",
    unitOutOfReach: "Unit ini di luar program atau wilayah Anda.",
    noUnits: "Tidak ada unit yang cocok dengan pilihan itu. Pilih penerima lain.",
    audienceName: {
      program: "semua unit program",
      overdue: "unit dengan tahapan terlambat",
      silent: (days: number) => `unit tanpa laporan ${days} hari`,
      units: (n: number) => `${n} unit pilihan`,
    },
    media: { photo: "[foto]", document: "[dokumen]" } as Record<string, string>,
    preview: (program: string, audience: string, message: string) => `📢 <b>Pratinjau siaran — ${program}</b>\nPenerima: ${audience}\n\n${message}`,
    unitNames: (n: number, names: string) => `Unit (${n}): ${names}`,
    reach: (people: number, units: number) => `Akan sampai ke <b>${people} orang</b> di <b>${units} unit</b>.`,
    unreached: (n: number, names: string) => `⚠️ ${n} unit belum ada yang membuka bot: ${names}`,
    andMore: (n: number) => `dan ${n} lainnya`,
    blockedPeople: (n: number) => `🚫 ${n} orang memblokir bot dan tidak akan dikirimi.`,
    noRecipients: "Belum ada orang yang bisa dikirimi di unit-unit ini. Undang narahubungnya dulu, atau pilih penerima lain.",
    send: "✅ Kirim",
    change: "↩️ Ganti penerima",
    cancel: "Batal",
    cancelled: "Siaran dibatalkan. Tidak ada yang dikirim.",
    notSent: "Siaran tidak jadi dikirim: tidak ada penerima yang bisa dijangkau lagi, atau Anda tidak lagi mengoordinasi program ini. Tidak ada yang terkirim.",
    prepareFailed: "Siaran gagal disiapkan. Tidak ada yang terkirim; coba lagi sebentar lagi.",
    report: {
      title: (program: string) => `📢 <b>Laporan siaran — ${program}</b>`,
      sending: "Status: ⏳ sedang dikirim",
      done: "Status: ✅ selesai",
      cancelled: "Status: ⛔ dibatalkan",
      recipients: (n: number) => `Penerima: ${n} orang`,
      sent: (n: number) => `✅ Terkirim: ${n}`,
      failed: (n: number) => `❌ Gagal: ${n}`,
      blocked: (n: number) => `🚫 Memblokir bot: ${n}`,
      pending: (n: number) => `⏳ Menunggu: ${n}`,
      notSent: (n: number, sent: number) => `⛔ Dibatalkan: ${n} tidak dikirim (${sent} sudah terkirim sebelum dibatalkan)`,
      unreachedHeader: (n: number) => `Belum ada yang membuka bot di ${n} unit:`,
      unreachedLine: (unit: string, invited: boolean) => `• ${unit} — ${invited ? "undangan belum dipakai" : "belum diundang"}`,
      more: (n: number) => `• dan ${n} unit lainnya`,
    },
    cancelButton: "⛔ Batalkan siaran",
    cancelDone: "Siaran dibatalkan. Yang belum terkirim tidak akan dikirim.",
    alreadyFinished: "Siaran ini sudah selesai atau sudah dibatalkan.",
    notYours: "Anda tidak bisa membatalkan siaran ini.",
  },
  nudge: {
    usage: "Sebutkan unit atau tahapan yang ingin diingatkan, mis. /ingatkan BABAR-DISPARBUD atau /ingatkan Penyusunan SOP layanan.",
    queuedUnit: (people: number, steps: number, unit: string) =>
      `👋 Diingatkan sekarang: ${people} narahubung, ${steps} tahapan ${unit} yang terlambat atau jatuh tempo dalam 14 hari.`,
    queuedStep: (people: number, title: string, unit: string) => `👋 Diingatkan sekarang: ${people} narahubung ${unit} tentang tahapan <b>${title}</b>.`,
    already: (target: string) => `${target} sudah diingatkan dalam jam ini; tidak ada yang dikirim lagi.`,
    noFocalPoint: (unit: string, code: string, invited: boolean) =>
      `${unit} belum punya narahubung (PIC) yang membuka bot${invited ? " (undangannya belum dipakai)" : ""}. Undang dengan /undang ${code} atau <code>pantau invite --unit ${code}</code>.`,
    allBlocked: (unit: string) => `Semua narahubung ${unit} memblokir bot, jadi pengingat tidak bisa dikirim. Hubungi mereka lewat jalur lain.`,
    nothingDue: (unit: string) => `${unit} tidak punya tahapan terbuka yang terlambat atau jatuh tempo dalam 14 hari. Tidak ada yang diingatkan.`,
    stepDone: (title: string, unit: string) => `Tahapan <b>${title}</b> (${unit}) sudah selesai. Tidak ada yang diingatkan.`,
    notFound: (query: string) => `Tidak ada unit atau tahapan "${query}" di program Anda.`,
    suggestions: "Mungkin maksud Anda:",
    ambiguous: (query: string) => `"${query}" cocok dengan lebih dari satu unit atau tahapan. Pakai kode unit:`,
    unitLine: (code: string, name: string, region: string) => `• <code>${code}</code> — ${name} (${region})`,
    stepLine: (title: string, unit: string, code: string) => `• ${title} — ${unit} (<code>${code}</code>)`,
    stepHint: "Untuk satu tahapan di satu unit: /ingatkan KODE-UNIT judul tahapan",
  },
  status: {
    header: "📊 <b>Progres inovasi</b>",
    none: "Belum ada inovasi yang bisa Anda lihat.",
    notFound: (query: string) => `Inovasi "${query}" tidak ditemukan di antara yang bisa Anda lihat.`,
    summary: (initiatives: number, overdue: number) => `${initiatives} inovasi · ${overdue} tahapan terlambat`,
    narrow: "Kata kuncinya terlalu panjang untuk tombol halaman: persempit pencarian untuk melihat sisanya.",
    initiative: (name: string, unit: string, progressBar: string, percent: number, overdue: number) =>
      `<b>${name}</b> — ${unit}\n${progressBar} ${percent}%${overdue > 0 ? `  (${overdue} terlambat)` : ""}`,
    milestone: (title: string, due: string, what: string, late: number) =>
      `  ${late > 0 ? "🔴" : "•"} ${title} — ${due} — ${what}${late > 0 ? ` (terlambat ${late} hari)` : ""}`,
  },
  recap: {
    none: "Belum ada program yang bisa Anda lihat. Muat rencana aksi dengan pantau import.",
    header: (program: string, date: string) => `📊 <b>Rekap ${program}</b>\n${date}`,
    total: (progressBar: string, percent: number, units: number, regions: number, overdue: number) =>
      `${progressBar} <b>${percent}%</b> · ${units} unit${regions > 1 ? ` di ${regions} pemda` : ""} · ${overdue} tahapan terlambat`,
    counts: (c: Record<"late" | "blocked" | "silent" | "on_track", number>, silentDays: number) =>
      `🟢 ${c.on_track} sesuai jadwal · 🔴 ${c.late} terlambat · ⛔ ${c.blocked} terkendala · 🔕 ${c.silent} tanpa kabar ${silentDays} hari`,
    attention: (n: number) => `❗ <b>Perlu ditindaklanjuti hari ini (${n})</b>`,
    noAttention: "👍 Tidak ada unit yang terlambat, terkendala, atau tanpa kabar.",
    moreAttention: (n: number) => `… dan ${n} unit lagi: lihat tombol di bawah.`,
    others: "<b>Unit lainnya</b>",
    othersHidden: (n: number) => `${n} unit lainnya sesuai jadwal: tekan 📋 Semua.`,
    byRegion: "<b>Per pemda</b>",
    region: (name: string) => `🏛 <b>${name}</b>`,
    regionLine: (name: string, progressBar: string, percent: number, units: number, states: string) =>
      `🏛 <b>${name}</b> ${progressBar} ${percent}% · ${units} unit${states ? ` · ${states}` : ""}`,
    unit: (icon: string, name: string, region: string | null, progressBar: string, percent: number, facts: string[]) =>
      `${icon} <b>${name}</b>${region ? ` (${region})` : ""} ${progressBar} ${percent}%${facts.length ? ` · ${facts.join(" · ")}` : ""}`,
    initiative: (name: string, percent: number, overdue: number, blocked: number) =>
      `   • ${name}: ${percent}%${overdue > 0 ? ` · ${overdue} terlambat` : ""}${blocked > 0 ? ` · ${blocked} terkendala` : ""}`,
    moreInitiatives: (n: number) => `   • … dan ${n} inovasi lain`,
    late: (steps: number, days: number) => `${steps} terlambat, terlama ${days} hari`,
    blocked: (steps: number) => `${steps} terkendala`,
    silent: (days: number | null) => (days === null ? "belum pernah melapor" : `tanpa laporan ${days} hari`),
    icons: { late: "🔴", blocked: "⛔", silent: "🔕", on_track: "🟢", all: "📋" } as Record<string, string>,
    lists: { late: "Terlambat", blocked: "Terkendala", silent: "Tanpa kabar", all: "Semua" } as Record<string, string>,
    listHeader: (icon: string, list: string, program: string, units: number) => `${icon} <b>${list}</b> — ${program} (${units} unit)`,
    regionHeader: (region: string, program: string) => `🏛 <b>${region}</b> — ${program}`,
    regionsHeader: (program: string, regions: number) => `🏛 <b>Per pemda</b> — ${program} (${regions} pemda)`,
    empty: "Tidak ada unit di daftar ini sekarang.",
    button: (icon: string, list: string, units: number) => `${icon} ${list} (${units})`,
    regionsButton: (regions: number) => `🏛 Per pemda (${regions})`,
    chartButton: "📈 Grafik",
    exportButton: "📥 Ekspor XLSX",
    summaryButton: "⬅️ Ringkasan",
  },
  chart: {
    subtitle: (byRegion: boolean, date: string, percent: number, overdue: number) =>
      `Progres per ${byRegion ? "pemda" : "unit"} · ${date} · total ${percent}% · ${overdue} tahapan terlambat`,
    regionLabel: (name: string, units: number) => `${name} (${units} unit)`,
    overdue: (n: number) => `${n} terlambat`,
    legend: "Hijau: tanpa tahapan terlambat · oranye: ada yang terlambat. Progres ditimbang dengan bobot tahapan.",
    caption: (program: string) => `📈 Grafik progres ${program}`,
  },
  overdue: {
    header: "🔴 <b>Tahapan terlambat</b>",
    none: "Tidak ada tahapan yang terlambat 👍",
    summary: (steps: number, units: number) => `${steps} tahapan terlambat di ${units} unit`,
    line: (unit: string, initiative: string, title: string, due: string, late: number, what: string, pics: string) =>
      `<b>${unit}</b> — ${initiative}\n  ${title}\n  Tenggat ${due}, terlambat <b>${late} hari</b> · ${what}\n  PIC: ${pics}`,
    noPic: "belum ada",
    unitLine: (unit: string, region: string, steps: number, mostLate: number) =>
      `<b>${unit}</b> (${region}): ${steps} tahapan terlambat, paling lama <b>${mostLate} hari</b>`,
    groupHint: "🔒 Nama PIC dan rincian tahapan tidak ditampilkan di grup. Untuk melihatnya, ketik /terlambat di chat pribadi dengan saya.",
  },
  rules: {
    header: (program: string, canChange: boolean) => `⚙️ <b>Aturan pengingat — ${program}</b>${canChange ? "" : " (hanya lihat)"}`,
    reminders: (offsets: number[], hour: number) => {
      const days = offsets.map((o) => (o === 0 ? "hari H" : `H-${o}`));
      const list = days.length > 1 ? `${days.slice(0, -1).join(", ")} dan ${days.at(-1)}` : days[0];
      return list ? `Pengingat: ${list} pukul ${String(hour).padStart(2, "0")}.00 waktu setempat` : "Pengingat: tidak ada sebelum tenggat";
    },
    overdue: (every: number, max: number) =>
      max === 0
        ? "Saat terlambat: tidak diingatkan lagi"
        : `Saat terlambat: ${every === 1 ? "setiap hari" : `setiap ${every} hari`}, paling banyak ${max} kali`,
    workingDays: (on: boolean) =>
      `Hanya hari kerja: ${on ? "ya (akhir pekan, libur nasional, cuti bersama dan libur program dilewati; lihat /libur)" : "tidak"}`,
    quietHours: (start: number, end: number) =>
      start === end ? "Jam tenang: tidak ada" : `Jam tenang: ${String(start).padStart(2, "0")}.00–${String(end).padStart(2, "0")}.00`,
    escalation: (enabled: boolean, head: number, coord: number) =>
      enabled
        ? `Eskalasi: ke kepala unit ${head === 0 ? "pada hari pertama terlambat" : `setelah ${head} hari`} tanpa laporan, ke koordinator ${coord === 0 ? "pada hari yang sama" : `${coord} hari kemudian`}`
        : "Eskalasi: mati",
    silent: (offsets: number[], from: number) => {
      if (from === 0) return "Tanpa suara: tidak ada, semua pengingat berbunyi";
      const list = (days: number[]) => days.map((o) => (o === 0 ? "hari H" : `H-${o}`)).join(", ");
      const quiet = offsets.filter((o) => o >= from);
      const loud = offsets.filter((o) => o < from);
      return `Tanpa suara: pengingat H-${from} atau lebih awal${quiet.length ? ` (${list(quiet)})` : ""}; ${loud.length ? `${list(loud)} dan ` : ""}yang terlambat berbunyi`;
    },
    digest: (enabled: boolean, weekday: string, hour: number, sendHour: boolean) =>
      enabled
        ? `Ringkasan mingguan: setiap ${weekday} pukul ${String(hour).padStart(2, "0")}.00 waktu setempat${sendHour ? " (jam kirim)" : ""}`
        : "Ringkasan mingguan: mati",
    sendHourInQuiet: (hour: number, end: number) =>
      `ℹ️ Jam kirim ${String(hour).padStart(2, "0")}.00 ada di dalam jam tenang, jadi pengingat baru dikirim pukul ${String(end).padStart(2, "0")}.00 saat jam tenang berakhir.`,
    howTo: [
      "<b>Cara mengubah</b> (satu aturan per perintah):",
      "/aturan pengingat 14,7,3,1,0 — hari sebelum tenggat (0–60, paling banyak 8 angka; 0 = hari H)",
      "/aturan jam 8 — jam kirim, waktu setempat (0–23)",
      "/aturan terlambat 3 10 — saat terlambat: setiap 3 hari (1–30), paling banyak 10 kali (0–60)",
      "/aturan harikerja ya — hanya hari kerja: ya atau tidak",
      "/aturan tenang 21-6 — jam tenang, atau /aturan tenang mati",
      "/aturan eskalasi 3 4 — hari sampai kepala unit diberi tahu, lalu sampai koordinator (0–30); atau /aturan eskalasi mati, /aturan eskalasi nyala",
      "/aturan senyap 7 — pengingat H-7 atau lebih awal dikirim tanpa suara notifikasi (0–60); /aturan senyap mati: semua berbunyi",
      "/aturan ringkasan senin 8 — ringkasan mingguan untuk kepala unit dan koordinator: hari dan jam (tanpa jam: jam kirim); atau /aturan ringkasan mati, /aturan ringkasan nyala",
    ].join("\n"),
    namePrograms: "Anda mengoordinasi beberapa program: tambahkan nama program di akhir perintah, mis. /aturan jam 8 KIPP 2023.",
    readOnly: "Aturan ini berlaku untuk semua pemda dalam program, jadi hanya koordinator seluruh program yang bisa mengubahnya.",
    changed: (program: string, line: string, who: string) => `✅ Aturan <b>${program}</b> diubah:\n${line}\n\nPerubahan ini dicatat atas nama ${who}.`,
    unchanged: (program: string, line: string) => `Aturan <b>${program}</b> memang sudah begitu; tidak ada yang diubah.\n${line}`,
    notAllowed: (program: string) =>
      `Maaf, aturan <b>${program}</b> berlaku untuk semua pemda dalam program, jadi hanya koordinator seluruh program yang bisa mengubahnya. Anda tetap bisa melihatnya dengan /aturan.`,
    unknownRule: (word: string) => `Aturan "${word}" tidak dikenal. Tidak ada yang diubah.`,
    chooseProgram: (names: string[]) =>
      `Aturan program mana? Tambahkan nama program di akhir perintah, mis. /aturan jam 8 ${names[0] ?? ""}\n\nProgram Anda:\n${names.map((n) => `• ${n}`).join("\n")}`,
    unknownProgram: (query: string, names: string[]) =>
      `Program "${query}" tidak ada di antara program Anda. Tidak ada yang diubah.\n\nProgram Anda:\n${names.map((n) => `• ${n}`).join("\n")}`,
    none: "Anda belum menjadi koordinator program apa pun.",
    invalid: {
      offsets:
        "Pengingat ditulis sebagai hari sebelum tenggat: angka 0 sampai 60 (0 = hari H), paling banyak 8 angka, dipisah koma. Contoh: /aturan pengingat 14,7,3,1,0. Tidak ada yang diubah.",
      sendHour: "Jam kirim harus jam bulat 0 sampai 23, waktu setempat. Contoh: /aturan jam 8. Tidak ada yang diubah.",
      overdue:
        "Tulis dua angka: setiap berapa hari (1 sampai 30), lalu paling banyak berapa kali (0 sampai 60). Contoh: /aturan terlambat 3 10. Tidak ada yang diubah.",
      workingDaysOnly: "Tulis ya atau tidak. Contoh: /aturan harikerja ya. Tidak ada yang diubah.",
      quietHours:
        "Tulis jam mulai dan jam selesai (0 sampai 23) dengan tanda minus, atau mati. Contoh: /aturan tenang 21-6 atau /aturan tenang mati. Tidak ada yang diubah.",
      escalation:
        "Tulis dua angka hari (0 sampai 30): sampai kepala unit diberi tahu, lalu sampai koordinator diberi tahu; atau mati, atau nyala. Contoh: /aturan eskalasi 3 4. Tidak ada yang diubah.",
      silent:
        "Tulis berapa hari sebelum tenggat (0 sampai 60): pengingat sejauh itu atau lebih awal dikirim tanpa suara; 0 atau mati: semua berbunyi. Contoh: /aturan senyap 7. Tidak ada yang diubah.",
      digest:
        "Tulis harinya (senin sampai minggu) dan bila perlu jamnya (0 sampai 23), atau mati, atau nyala. Contoh: /aturan ringkasan senin 8. Tidak ada yang diubah.",
    },
  },
  holidays: {
    header: (program: string) => `📅 <b>Hari libur — ${program}</b>`,
    until: (date: string) => `Sampai ${date}, dan semua libur program sesudahnya:`,
    line: (date: string, name: string, kind: string) => `• ${date} — ${name} (${kind})`,
    kinds: { "libur nasional": "libur nasional", "cuti bersama": "cuti bersama" } as Record<string, string>,
    estimated: "libur nasional, perkiraan",
    programDay: "libur program",
    regionDay: (region: string) => `libur program, ${region}`,
    none: "Tidak ada hari libur dalam rentang ini.",
    notWorkingDaysOnly:
      "ℹ️ Program ini mengirim pengingat juga pada hari libur, jadi hari libur belum menggeser pengingat. Untuk melewatinya: /aturan harikerja ya.",
    source: (year: number, decrees: string) => `Libur nasional dan cuti bersama ${year}: ${decrees}.`,
    noSource: (year: number) =>
      `${year}: kalender resmi (SKB 3 Menteri) belum dimuat di Pantau; libur nasional dihitung (perkiraan, bisa meleset sehari) dan cuti bersama belum diketahui.`,
    howTo: (date: string, region: string | null, severalPrograms: boolean) =>
      [
        "<b>Libur program</b> (hari jadi daerah, kantor tutup): pengingat pindah ke hari kerja sebelumnya.",
        `/libur tambah ${date} Hari Jadi Kabupaten — tanggal (seperti 14 Maret 2026, 14/03/2026 atau 2026-03-14), lalu nama harinya`,
        ...(region ? [`/libur tambah ${region} ${date} Hari Jadi — nama pemda sebelum tanggal: hanya untuk pemda itu`] : []),
        `/libur hapus ${date} — menghapusnya`,
        ...(severalPrograms ? ["Anda mengoordinasi beberapa program: tulis nama program (atau pemdanya) sebelum tanggal."] : []),
      ].join("\n"),
    wholeProgram: (program: string) => `seluruh program ${program}`,
    region: (region: string, program: string) => `${region} (${program})`,
    added: (name: string, date: string, where: string, who: string) =>
      `✅ <b>${name}</b>, ${date}, kini libur program untuk ${where}. Pengingat yang jatuh pada hari itu dikirim pada hari kerja sebelumnya.\n\nDicatat atas nama ${who}.`,
    removed: (name: string, date: string, where: string, who: string) =>
      `✅ Libur program <b>${name}</b>, ${date}, untuk ${where} dihapus: hari itu kembali hari kerja.\n\nDicatat atas nama ${who}.`,
    noDate: {
      add: "Tanggal tidak terbaca. Tulis seperti 14 Maret 2026, 14/03/2026 atau 2026-03-14, lalu nama harinya, mis. /libur tambah 14/03/2026 Hari Jadi Kabupaten. Tidak ada yang diubah.",
      remove: "Tanggal tidak terbaca. Tulis seperti 14 Maret 2026, 14/03/2026 atau 2026-03-14, mis. /libur hapus 14/03/2026. Tidak ada yang diubah.",
    },
    badName: {
      empty: () => "Tulis nama harinya setelah tanggal, mis. /libur tambah 14/03/2026 Hari Jadi Kabupaten. Tidak ada yang diubah.",
      too_long: (max: number) => `Nama hari libur paling panjang ${max} karakter. Tidak ada yang diubah.`,
      control: () => "Nama hari libur harus satu baris, tanpa karakter khusus. Tidak ada yang diubah.",
    },
    placeUnknown: (query: string, places: string) =>
      `"${query}" bukan program atau pemda Anda. Tidak ada yang diubah.\n\nYang bisa Anda tulis sebelum tanggal:\n${places}`,
    placeAmbiguous: (places: string) => `Untuk program atau pemda mana? Tulis namanya sebelum tanggal. Tidak ada yang diubah.\n\nPilihan Anda:\n${places}`,
    past: (date: string) =>
      `${date} sudah dimulai atau sudah lewat: libur program hanya bisa ditambah atau dihapus untuk hari-hari mendatang (pengingat yang sudah dijadwalkan tidak dihitung ulang). Tidak ada yang diubah.`,
    weekend: (date: string) => `${date} jatuh pada akhir pekan, yang memang sudah dilewati. Tidak ada yang diubah.`,
    national: (date: string, name: string, kind: string) => `${date} sudah hari libur: ${name} (${kind}). Tidak ada yang diubah.`,
    duplicate: (date: string, name: string, where: string) => `${date} sudah libur program untuk ${where}: ${name}. Tidak ada yang diubah.`,
    notFound: (date: string) => `Tidak ada libur program pada ${date} di program atau pemda Anda (lihat daftarnya dengan /libur). Tidak ada yang diubah.`,
    wholeProgramOnly: (name: string, date: string, program: string) =>
      `Libur <b>${name}</b>, ${date}, berlaku untuk seluruh program ${program}, jadi hanya koordinator seluruh program yang bisa menghapusnya. Tidak ada yang diubah.`,
    several: (date: string, days: string, example: string) =>
      `Ada beberapa libur program pada ${date}:\n${days}\n\nTulis pemda atau program sebelum tanggal, mis. /libur hapus ${example}. Tidak ada yang diubah.`,
    unknownWord: (word: string) => `"${word}" tidak dikenal. Tulis /libur untuk daftar hari libur, /libur tambah atau /libur hapus. Tidak ada yang diubah.`,
    noProgram: "Anda belum menjadi koordinator program apa pun.",
  },
  digest: {
    title: (program: string) => `📬 <b>Ringkasan mingguan — ${program}</b>`,
    week: (from: string, to: string) => `Pekan ${from} – ${to}`,
    unit: (name: string, region: string) => `🏢 <b>${name}</b> (${region})`,
    reported: (n: number) => `<b>✍️ Dilaporkan pekan ini (${n})</b>`,
    reportedNone: "✍️ Belum ada laporan pekan ini.",
    reportLine: (title: string, what: string, by: string | null, when: string) => `• ${title}: ${what} — ${by ? `${by}, ` : ""}${when}`,
    due: (n: number, days: number) => `<b>📅 Jatuh tempo ${days} hari ke depan (${n})</b>`,
    dueNone: (days: number) => `📅 Tidak ada tahapan yang jatuh tempo dalam ${days} hari.`,
    dueLine: (title: string, due: string, daysLeft: number, what: string) =>
      `• ${title} — ${due} (${daysLeft === 0 ? "hari ini" : `${daysLeft} hari lagi`}) · ${what}`,
    late: (n: number) => `<b>🔴 Terlambat (${n})</b>`,
    lateNone: "🔴 Tidak ada tahapan yang terlambat 👍",
    lateLine: (title: string, days: number, what: string) => `• ${title} — terlambat ${days} hari · ${what}`,
    silentFocalPoints: (n: number, days: number) => `<b>🔕 PIC tanpa laporan ${days} hari (${n})</b>`,
    silentFocalPointsNone: (days: number) => `🔕 Semua PIC melapor dalam ${days} hari terakhir.`,
    silentFocalPoint: (name: string, last: string | null, blocked: boolean) =>
      `• ${name} — ${last ? `laporan terakhir ${last}` : "belum pernah melapor"}${blocked ? " (memblokir bot)" : ""}`,
    noFocalPoint: "🔕 Unit ini belum punya PIC yang terdaftar. Mintalah undangan untuk PIC kepada koordinator.",
    more: (n: number) => `• dan ${n} lainnya`,
    regions: (names: string) => `Pemda: ${names}`,
    progress: (bar: string, percent: number) => `Progres: ${bar} ${percent}%`,
    steps: (onTrack: number, late: number, blocked: number, done: number) =>
      `Tahapan: ${onTrack} sesuai jadwal · ${late} terlambat · ${blocked} terkendala · ${done} selesai`,
    reports: (count: number, units: number) => (count > 0 ? `✍️ Laporan pekan ini: ${count} dari ${units} unit` : "✍️ Belum ada laporan pekan ini."),
    silentUnits: (n: number, days: number) => `<b>🔕 Unit tanpa laporan ${days} hari (${n})</b>`,
    silentUnitsNone: (days: number) => `🔕 Semua unit melapor dalam ${days} hari terakhir 👍`,
    silentUnit: (name: string, region: string) => `• ${name} (${region})`,
    coordinatorHint: (days: number) => `Rincian: /rekap dan /terlambat. Menyapa unit yang diam: /siaran, lalu 🔕 ${days} hari.`,
    footer: (weekday: string, hour: number) =>
      `Dikirim setiap ${weekday} pukul ${String(hour).padStart(2, "0")}.00. Berhenti: tombol di bawah atau /ringkasan mati.`,
    stopButton: "🔕 Berhenti ringkasan mingguan",
    status: (on: boolean) => `📬 Ringkasan mingguan untuk Anda: <b>${on ? "nyala" : "mati"}</b>.`,
    about: "Setiap pekan kepala unit menerima ringkasan unitnya dan koordinator ringkasan programnya, masing-masing satu pesan.",
    schedule: (program: string, enabled: boolean, weekday: string, hour: number) =>
      enabled
        ? `• ${program}: setiap ${weekday} pukul ${String(hour).padStart(2, "0")}.00 waktu setempat`
        : `• ${program}: dimatikan untuk seluruh program (/aturan)`,
    noPrograms: "Belum ada program yang ringkasannya untuk Anda.",
    howTo: (on: boolean): string => (on ? "Ketik /ringkasan mati untuk berhenti." : "Ketik /ringkasan nyala untuk menerimanya lagi."),
    turnedOn: "✅ Ringkasan mingguan dinyalakan: Anda akan menerimanya lagi mulai ringkasan berikutnya.",
    turnedOff: "🔕 Ringkasan mingguan dimatikan: Anda tidak akan menerimanya lagi. Ketik /ringkasan nyala untuk menerimanya lagi.",
    already: (on: boolean) => `Ringkasan mingguan memang sudah ${on ? "nyala" : "mati"}; tidak ada yang diubah.`,
    unknown: (word: string) => `"${word}" bukan pilihan. Tulis /ringkasan nyala atau /ringkasan mati. Tidak ada yang diubah.`,
  },
  languageSetting: {
    // Each language by its own name, the same in both catalogues, so anyone finds theirs.
    names: { id: "Bahasa Indonesia", en: "English" } as Record<string, string>,
    current: (name: string) => `Bahasa pesan bot untuk Anda: <b>${name}</b>.`,
    choose: "Pilih bahasa dengan tombol di bawah, atau ketik /bahasa id atau /bahasa en.",
    unknown: (value: string) => `"${value}" bukan pilihan bahasa. Pilihannya: <b>id</b> (Bahasa Indonesia) atau <b>en</b> (English). Tidak ada yang diubah.`,
    changed: (name: string) => `✅ Bahasa pesan bot sekarang: <b>${name}</b>.\nKetik /bantuan untuk melihat perintah.`,
    already: (name: string) => `Bahasa pesan bot memang sudah <b>${name}</b>; tidak ada yang diubah.`,
  },
  inviteCommand: {
    usage:
      "Tulis kode atau nama unit, lalu perannya: pic (narahubung, bila tidak ditulis), kepala, atau koordinator.\n" +
      "Contoh: /undang BABAR-DISPARBUD · /undang BABAR-DISPARBUD kepala · /undang koordinator",
    noProgram: "Anda belum menjadi koordinator program apa pun.",
    unitTarget: (name: string, code: string) => `${name} (${code})`,
    created: (role: string, target: string, uses: number, expires: string, link: string) =>
      `✉️ Undangan <b>${role}</b> untuk <b>${target}</b>\n` +
      `Bisa dipakai ${uses} orang, berlaku sampai ${expires}.\n\n${link}\n\n` +
      "Kirim tautan ini hanya kepada orang yang dituju: siapa pun yang membukanya bisa bergabung. " +
      "Kode QR di bawah berisi tautan yang sama, untuk dicetak atau dipindai dengan kamera ponsel.",
    qrCaption: (role: string, target: string) => `Kode QR undangan ${role} untuk ${target}. Pindai dengan kamera ponsel, lalu tekan Mulai.`,
    sentPrivately: (role: string, target: string, name: string) =>
      `🔒 Undangan ${role} untuk ${target} sudah dikirim lewat pesan pribadi kepada ${name}. Tautan undangan tidak dibagikan di grup.`,
    openPrivateFirst: (bot: string) =>
      `🔒 Tautan undangan tidak dibagikan di grup, dan saya belum bisa mengirim pesan pribadi kepada Anda. ` +
      `Buka @${bot}, tekan Mulai, lalu ketik /undang lagi (di sana atau di grup ini).`,
    notFound: (query: string) => `Tidak ada unit "${query}" di program (dan pemda) yang Anda koordinasi.`,
    suggestions: "Mungkin maksud Anda:",
    askCode: "Pakai kode unit (kolom kode_opd di berkas rencana aksi), mis. /undang BABAR-DISPARBUD.",
    ambiguous: (query: string) => `"${query}" cocok dengan beberapa unit. Pakai kode unitnya:`,
    unitLine: (code: string, name: string, region: string) => `• <code>${code}</code> — ${name} (${region})`,
    chooseProgram: (names: string[]) =>
      `Undangan koordinator untuk program mana? Tulis nama programnya, mis. /undang ${names[0] ?? ""} koordinator\n\n${names.map((n) => `• ${n}`).join("\n")}`,
    chooseUnitProgram: (code: string, names: string[]) =>
      `Unit ${code} ikut beberapa program Anda, dan undangan berlaku untuk satu program saja. Tulis nama programnya setelah kode unit, mis. /undang ${code} ${names[0] ?? ""}\n\n${names.map((n) => `• ${n}`).join("\n")}`,
    chooseRegion: (names: string[]) =>
      `Undangan koordinator untuk pemda mana? Tulis nama pemdanya, mis. /undang ${names[0] ?? ""} koordinator\n\n${names.map((n) => `• ${n}`).join("\n")}`,
  },
  paging: {
    previous: "◀️ Sebelumnya",
    next: "Berikutnya ▶️",
    page: (page: number, pages: number) => `Halaman ${page} dari ${pages}.`,
  },
  inviteList: {
    header: (n: number) => `📨 <b>Undangan terbuka</b> (${n}):`,
    none: "Tidak ada undangan terbuka.",
    line: (n: number, target: string, role: string, uses: number, max: number, expires: string, by: string) =>
      `<b>${n}.</b> ${target} — ${role}\n   dipakai ${uses} dari ${max}, berlaku sampai ${expires}, dibuat oleh ${by}`,
    byAdmin: "admin (baris perintah)",
    hint: "Tekan ❌ untuk mencabut undangan: tautannya langsung tidak berlaku; yang sudah bergabung tetap terdaftar.",
    revokeButton: (n: number) => `❌ Cabut ${n}`,
    confirm: (role: string, target: string) =>
      `Cabut undangan <b>${role}</b> untuk <b>${target}</b>? Tautannya tidak bisa dipakai lagi; orang yang sudah bergabung tetap terdaftar.`,
    yes: "✅ Ya, cabut",
    no: "Batal",
    revoked: (role: string, target: string) => `✅ Undangan <b>${role}</b> untuk <b>${target}</b> sudah dicabut.`,
    kept: "Undangan tidak dicabut.",
    gone: "Undangan ini sudah tidak terbuka (dicabut, kedaluwarsa, atau habis dipakai). Tidak ada yang diubah.",
    notAllowed: "Undangan ini bukan dari program atau unit yang Anda koordinasi. Tidak ada yang diubah.",
    privateOnly: "Daftar undangan hanya ditampilkan di chat pribadi dengan saya. Tekan tombol di bawah.",
  },
  members: {
    usage: "Tulis kode atau nama unit, mis. /anggota BABAR-DISPARBUD, untuk melihat narahubung dan kepala unitnya, lalu menghapus atau menggantinya.",
    adminUsage: "Admin: /anggota koordinator menampilkan koordinator semua program.",
    header: (unit: string, code: string) => `👥 <b>${unit}</b> (${code})`,
    coordinatorsHeader: "👥 <b>Koordinator</b>",
    line: (n: number, name: string, role: string, where: string | null, since: string) =>
      `<b>${n}.</b> ${name} — ${role}${where ? `, ${where}` : ""}, sejak ${since}`,
    none: (code: string) => `Belum ada narahubung (PIC) atau kepala unit di sini. Undang dengan /undang ${code}.`,
    noCoordinators: "Belum ada koordinator.",
    hint: "❌ Hapus: orang itu tidak lagi menerima pengingat dan eskalasi peran ini; laporannya yang lalu tetap tersimpan. 🔁 Ganti: hapus, lalu buat tautan undangan baru untuk peran yang sama.",
    removeButton: (n: number) => `❌ Hapus ${n}`,
    replaceButton: (n: number) => `🔁 Ganti ${n}`,
    confirmRemove: (name: string, role: string, where: string) =>
      `Hapus <b>${name}</b> sebagai ${role} dari <b>${where}</b>? Pengingat dan eskalasi peran ini berhenti untuknya; laporannya yang lalu tetap tersimpan. Ia akan diberi tahu.`,
    confirmReplace: (name: string, role: string, where: string) =>
      `Ganti <b>${name}</b> sebagai ${role} di <b>${where}</b>? Ia dihapus dari sana (dan diberi tahu), lalu saya buatkan tautan undangan baru untuk penggantinya.`,
    yesRemove: "✅ Ya, hapus",
    yesReplace: "✅ Ya, ganti",
    no: "Batal",
    removed: (name: string, role: string, where: string, cancelled: number) =>
      `✅ ${name} tidak lagi ${role} untuk <b>${where}</b>.${cancelled > 0 ? ` ${cancelled} pesan terjadwal untuknya dibatalkan.` : ""} Laporannya yang lalu tetap tersimpan.`,
    kept: "Tidak ada yang diubah.",
    gone: "Orang ini sudah tidak terdaftar di sana. Tidak ada yang diubah.",
    notAllowed: "Keanggotaan ini bukan bagian dari unit yang Anda koordinasi. Tidak ada yang diubah.",
    adminOnly: "Koordinator hanya bisa dihapus oleh admin (ADMIN_TELEGRAM_IDS) atau lewat baris perintah (pantau remove).",
    removedNotice: (role: string, where: string, by: string | null) =>
      `ℹ️ Anda tidak lagi terdaftar sebagai <b>${role}</b> untuk <b>${where}</b>: ${by ? `koordinator ${by}` : "admin Pantau"} menghapus Anda dari sana (mis. karena tugas Anda berpindah).\n\n` +
      "Pengingat dan eskalasi untuk peran itu tidak dikirim lagi kepada Anda, dan tombol lama tidak berlaku; laporan Anda yang lalu tetap tersimpan. Bila ini keliru, hubungi koordinator Anda.",
  },
  leave: {
    choose: "Dari peran mana Anda ingin keluar?",
    option: (role: string, where: string) => `${role} — ${where}`,
    confirm: (role: string, where: string) =>
      `Keluar sebagai <b>${role}</b> dari <b>${where}</b>? Anda tidak akan menerima pengingat untuk peran itu lagi; laporan Anda yang lalu tetap tersimpan. Untuk bergabung lagi, buka lagi tautan undangan Anda (selama masih berlaku) atau minta undangan baru.`,
    yes: "✅ Ya, keluar",
    no: "Batal",
    done: (role: string, where: string) => `✅ Anda sudah keluar sebagai <b>${role}</b> dari <b>${where}</b>. Terima kasih atas kerja Anda!`,
    kept: "Anda tetap terdaftar. Tidak ada yang diubah.",
  },
  snoozeHeads: {
    // ⏰ Besok refused after the head's escalation day: whether a head was told, or is away.
    told: (when: string) => `Tidak bisa ditunda lagi: tahapan ini sudah dilaporkan ke kepala unit (${when}). Laporkan progresnya dengan 📝 Lapor.`,
    away: (when: string, until: string) =>
      `Tidak bisa ditunda lagi: sejak ${when} tahapan ini menunggu dilaporkan ke kepala unit, yang cuti s.d. ${until}. Laporkan progresnya dengan 📝 Lapor.`,
    waiting: (when: string) => `Tidak bisa ditunda lagi: sejak ${when} tahapan ini menunggu dilaporkan ke kepala unit. Laporkan progresnya dengan 📝 Lapor.`,
  },
  away: {
    status: (until: string | null, nextDay: string | null) =>
      until
        ? `🏖 Anda sedang cuti sampai <b>${until}</b>. Selama itu pengingat Anda dikirim kepada PIC lain di unit Anda, atau kepada kepala unit bila tidak ada PIC yang hadir; mulai ${nextDay} Anda menerimanya lagi.\n\nUbah hari terakhir cuti, atau tekan "Saya sudah kembali":`
        : "Anda sedang tidak cuti. Sampai kapan Anda cuti? Selama cuti, pengingat Anda dikirim kepada PIC lain di unit Anda (atau kepada kepala unit bila tidak ada yang hadir), lalu kembali kepada Anda dengan sendirinya.",
    days: (n: number, until: string) => `${n} hari (s.d. ${until})`,
    weeks: (n: number, until: string) => `${n} minggu (s.d. ${until})`,
    pickDate: "📅 Sampai tanggal…",
    backButton: "✅ Saya sudah kembali",
    cancel: "Batal",
    askDate: (max: number) =>
      `Sampai tanggal berapa Anda cuti (hari terakhir cuti)? Tulis mis. <b>12 Desember</b>, <b>12/12/2026</b> atau <b>2026-12-12</b>; paling lama ${max} hari dari hari ini. Ketik /batal bila tidak jadi.`,
    set: (until: string, nextDay: string) =>
      `🏖 Dicatat: Anda cuti sampai <b>${until}</b>. Pengingat Anda dikirim kepada rekan di unit Anda selama itu; mulai ${nextDay} Anda menerimanya lagi. Kembali lebih awal? Ketik /cuti selesai.`,
    unchanged: (until: string) => `Anda memang sudah tercatat cuti sampai <b>${until}</b>. Tidak ada yang diubah.`,
    ended: "✅ Selamat datang kembali! Cuti Anda diakhiri hari ini; pengingat kembali dikirim kepada Anda.",
    notAway: "Anda sedang tidak cuti. Tidak ada yang diubah.",
    notADate: (text: string) =>
      `"${text}" bukan tanggal yang saya kenali. Tulis mis. 12 Desember, 12/12/2026, 2026-12-12 atau 3 hari; /cuti selesai untuk mengakhiri cuti. Tidak ada yang diubah.`,
    notAfterToday: (today: string) => `Hari terakhir cuti harus setelah hari ini (${today}). Tidak ada yang diubah.`,
    tooFar: (max: number, latest: string) => `Cuti paling lama ${max} hari, yaitu sampai ${latest}. Tidak ada yang diubah.`,
    cancelled: "Tidak ada yang diubah.",
    standIn: (people: { name: string; until: string }[]) =>
      people.length === 1
        ? `🏖 Anda menerima pengingat ini karena ${people[0]!.name} sedang cuti sampai ${people[0]!.until}.`
        : `🏖 Anda menerima pengingat ini karena ${people.map((p) => `${p.name} (sampai ${p.until})`).join(" dan ")} sedang cuti.`,
    colleaguesAway: (people: { name: string; until: string }[]) => `🏖 ${people.map((p) => `${p.name} sedang cuti sampai ${p.until}`).join("; ")}.`,
    headAway: (until: string) => `Kepala unit sedang cuti sampai ${until}, jadi belum diberi tahu.`,
    recapFact: (until: string) => `🏖 cuti s.d. ${until}`,
    reachHeader: (n: number) => `<b>Sedang cuti</b> (${n}):`,
    reachLine: (name: string, role: string, where: string, until: string) => `• ${name} — ${role}, ${where}, sampai ${until}`,
    reachHint: "Selama cuti, pengingat mereka dikirim kepada PIC lain di unitnya, atau kepada kepala unit bila tidak ada PIC yang hadir.",
    nudgeAllAway: (unit: string, until: string) =>
      `Semua PIC dan kepala unit ${unit} sedang cuti (cuti yang paling awal berakhir ${until}). Tidak ada yang diingatkan.`,
    nudgeHeads: "🏖 Semua PIC unit ini sedang cuti: pengingat dikirim kepada kepala unit.",
    auditSet: (until: string) => `menyatakan cuti sampai ${until}`,
    auditEnd: "mengakhiri cutinya",
  },
  reachReport: {
    header: (program: string) => `📡 <b>Jangkauan — ${program}</b>`,
    region: (name: string) => `🏛 <b>${name}</b>`,
    wholeProgram: "🏛 <b>Seluruh program</b>",
    none: "Anda belum menjadi koordinator program apa pun.",
    allReached: "Semua unit sudah punya narahubung (PIC), tidak ada undangan yang menunggu, dan tidak ada yang memblokir bot 👍",
    withoutPic: (n: number) => `<b>Unit tanpa narahubung (PIC)</b> (${n}):`,
    unitLine: (name: string, code: string) => `• ${name} (<code>${code}</code>)`,
    withoutPicHint: "Undang dengan /undang KODE-UNIT.",
    pending: (n: number) => `<b>Undangan belum dipakai</b> (${n}):`,
    pendingLine: (target: string, role: string, created: string, expires: string) => `• ${target} — ${role}, dibuat ${created}, berlaku sampai ${expires}`,
    expired: (n: number) => `<b>Undangan kedaluwarsa tanpa dipakai</b> (${n}):`,
    expiredLine: (target: string, role: string, created: string, expired: string) => `• ${target} — ${role}, dibuat ${created}, kedaluwarsa ${expired}`,
    expiredHint: "Buat undangan baru dengan /undang.",
    blocked: (n: number) => `<b>Memblokir bot</b> (${n}):`,
    blockedLine: (name: string, role: string, where: string, since: string) => `• ${name} — ${role}, ${where}, sejak ${since}`,
    blockedHint: "Pesan bot tidak sampai kepada mereka sampai mereka membuka bot lagi; hubungi lewat jalur lain.",
  },
  exportFile: {
    recapSheet: "Rekap",
    stepsSheet: "Tahapan",
    recapHeaders: {
      program: "Program",
      region: "Pemda",
      unit: "OPD",
      initiative: "Inovasi",
      progress: "Progres (%)",
      steps: "Jumlah tahapan",
      done: "Selesai",
      overdue: "Terlambat",
    },
    // Names `pantau import` also reads, so the "Tahapan" sheet can be loaded again as a plan.
    stepHeaders: {
      program: "Program",
      region: "Pemda",
      unit: "OPD",
      unitCode: "Kode OPD",
      initiative: "Inovasi",
      origin: "Asal",
      step: "Tahapan",
      dueDate: "Tenggat",
      weight: "Bobot",
      progress: "Progres (%)",
      status: "Status",
      daysLate: "Hari terlambat",
      lastReportDate: "Laporan terakhir",
      lastReportNote: "Catatan laporan terakhir",
      reportedBy: "Dilaporkan oleh",
    },
    caption: (program: string, date: string, percent: number, overdue: number) =>
      `📊 Rekap <b>${program}</b> per ${date}: ${percent}% · ${overdue} tahapan terlambat.\n` +
      "Lembar Rekap: per inovasi. Lembar Tahapan: setiap tahapan dengan laporan terakhirnya.",
    none: "Belum ada program yang bisa Anda ekspor. Muat rencana aksi dengan pantau import.",
  },
  evidence: {
    received: (n: number, name: string, total: number) => `📎 Bukti ke-${n} diterima: ${name}.\nBukti dukung: ${total} berkas. Kirim lagi, atau tekan Simpan.`,
    save: (n: number) => `✅ Simpan (${n} bukti)`,
    photo: "foto",
    document: "dokumen",
    tooMany: (max: number) => `Paling banyak ${max} berkas per laporan; berkas ini tidak disimpan. Tekan Simpan.`,
    notYet: "Bukti dukung bisa dikirim sebentar lagi, setelah progres (dan catatan) diisi.",
    line: (n: number) => `📎 Bukti dukung: ${n} berkas`,
    attached: (title: string, n: number) => `📎 Bukti dukung ditambahkan ke laporan terakhir Anda untuk <b>${title}</b> (sekarang ${n} berkas).`,
    needCaption:
      'Berkas ini belum disimpan: tulis progresnya di keterangan (caption), mis. "60% draf SOP selesai", lalu kirim lagi sebagai balasan pengingat. Bisa juga lewat /lapor.',
  },
  groupChat: {
    privateOnly: (command: string) =>
      `/${command} dipakai di chat pribadi dengan saya, supaya isinya tidak tampil di grup. Tekan tombol di bawah untuk membukanya.`,
    openPrivate: "Buka chat pribadi",
    unknownCommand: (bot: string) => `Perintah itu tidak saya kenal. Ketik /bantuan@${bot} untuk melihat perintah yang bisa dipakai.`,
  },
  planUpload: {
    privateOnly: "Rencana aksi dimuat lewat chat pribadi dengan saya, bukan di grup. Buka chat dengan bot, lalu ketik /impor.",
    askFile: (programs: string) =>
      `📥 Kirim berkas <b>CSV atau XLSX</b> rencana aksi untuk ${programs} (satu baris per tahapan, judul kolom di baris 1), sebagai dokumen.\n\n` +
      "Saya tampilkan dulu apa yang akan berubah; belum ada yang disimpan sebelum Anda menekan <b>Terapkan</b>. " +
      "Program baru hanya bisa dibuat admin lewat baris perintah (pantau import). Ketik /batal untuk membatalkan.",
    regionOnly: (region: string) => `hanya pemda ${region}`,
    noProgram: "Anda belum menjadi koordinator program apa pun, jadi tidak ada rencana aksi yang bisa Anda muat.",
    waitingFile: "Saya menunggu berkas CSV atau XLSX rencana aksi (kirim sebagai dokumen). Ketik /batal untuk membatalkan.",
    wrongType: (name: string) =>
      `${name ? `"${name}" bukan` : "Itu bukan"} berkas rencana aksi. Kirim berkas <b>.csv</b> atau <b>.xlsx</b> sebagai dokumen (bukan foto, bukan .docx atau .pdf).`,
    tooBig: (megabytes: string, limit: number) =>
      `Berkas ini terlalu besar (${megabytes} MB); batas berkas rencana aksi ${limit} MB. Hapus lembar atau kolom yang tidak perlu, atau simpan sebagai .csv, lalu kirim lagi.`,
    downloadFailed: "Berkas tidak bisa diunduh dari Telegram. Kirim lagi sebentar lagi.",
    stillReading: "Saya masih membaca berkas Anda sebelumnya. Tunggu hasilnya dulu, lalu kirim berkas berikutnya bila perlu.",
    rejected: (count: number) => `❌ <b>Berkas ditolak: ${count} kesalahan.</b> Tidak ada yang diubah. Perbaiki berkasnya lalu kirim lagi (atau /batal).`,
    rejectedOnApply: (count: number) =>
      `❌ <b>Impor ditolak: ${count} kesalahan</b> (data berubah sejak pratinjau). Tidak ada yang diubah. Perbaiki berkasnya lalu kirim lagi (atau /batal).`,
    moreErrors: (n: number) => `… dan ${n} kesalahan lainnya.`,
    scopeCodes: {
      program_new: (v: string) => `program "${v}" belum ada; program baru hanya bisa dibuat admin lewat baris perintah (pantau import)`,
      program_not_coordinated: (v: string) => `Anda bukan koordinator program "${v}"`,
      region_not_coordinated: (v: string) => `Anda tidak mengoordinasi pemda "${v}" dalam program ini`,
      shared_region: (v: string) => `pemda "${v}" dipakai program lain juga; zona waktunya hanya bisa diubah admin`,
      shared_unit: (v: string) => `OPD ini dipakai program lain juga; kodenya (${v}) hanya bisa diubah admin`,
    } as Record<string, (value: string) => string>,
    previewHeader: (file: string) => `🔎 <b>Pratinjau impor</b> ${file}\nBelum ada yang diubah.`,
    counts: (label: string, regions: number, units: number, initiatives: number, milestones: number) =>
      `${label}: ${regions} pemda, ${units} OPD, ${initiatives} inovasi, ${milestones} tahapan`,
    willCreate: "Akan dibuat",
    willUpdate: "Akan diperbarui",
    created: "Dibuat",
    updated: "Diperbarui",
    unchanged: (n: number) => `Tidak berubah: ${n} tahapan`,
    changesHeader: "Tahapan yang berubah:",
    createdLine: (title: string, initiative: string, unit: string, due: string, weight: number) =>
      `➕ <b>${title}</b> — ${initiative} (${unit}): tenggat ${due}, bobot ${weight}`,
    updatedLine: (title: string, initiative: string, unit: string, changes: string) => `✏️ <b>${title}</b> — ${initiative} (${unit}): ${changes}`,
    dueChange: (from: string, to: string) => `tenggat ${from} → ${to}`,
    weightChange: (from: number, to: number) => `bobot ${from} → ${to}`,
    moreChanges: (n: number) => `… dan ${n} tahapan lainnya.`,
    nothingToApply: "Semua tahapan di berkas sudah sama dengan database; tidak ada yang perlu diterapkan.",
    confirmHint:
      "Tekan <b>Terapkan</b> untuk menyimpan semuanya (atau tidak sama sekali). Jika data diubah orang lain sebelum Anda menekan, berkas ini diterapkan apa adanya pada saat itu; mengimpor berkas yang sama lagi tidak mengubah apa pun.",
    apply: "✅ Terapkan",
    cancel: "Batal",
    cancelled: "Impor dibatalkan. Tidak ada yang diubah.",
    done: "✅ <b>Impor selesai.</b>",
  },
  history: {
    usage:
      "Tulis unit atau inovasi yang riwayatnya ingin Anda lihat, mis.:\n/riwayat BABAR-DISPARBUD\n/riwayat SIP Banget 01/01/2022 15/01/2022\n\n" +
      "Tanpa tanggal: 30 hari terakhir. Satu tanggal: dari tanggal itu sampai hari ini.",
    badDate: (text: string) =>
      `"${text}" bukan tanggal yang benar. Tulis tanggal seperti 14/01/2022, 2022-01-14 atau 14 Januari 2022, mis. /riwayat BABAR-DISPARBUD 01/01/2022 15/01/2022.`,
    fromAfterTo: (from: string, to: string) =>
      `Tanggal awal (${from}) jatuh setelah tanggal akhir (${to}). Tulis tanggal awal lebih dulu, mis. /riwayat BABAR-DISPARBUD 01/01/2022 15/01/2022.`,
    notFound: (query: string) =>
      `Tidak ada unit atau inovasi "${query}" yang riwayatnya bisa Anda lihat. Tulis kode unit (mis. BABAR-DISPARBUD), nama unit, atau nama inovasi.`,
    ambiguous: (query: string) => `"${query}" cocok dengan beberapa unit atau inovasi. Tulis lagi dengan salah satu kode atau nama ini:`,
    matchUnit: (name: string, code: string, region: string) => `• <code>${code}</code> — ${name} (${region})`,
    matchInitiative: (name: string, unit: string, code: string) => `• ${name} — ${unit} (<code>${code}</code>)`,
    moreMatches: (n: number) => `… dan ${n} lainnya. Perjelas namanya.`,
    header: (target: string, from: string, to: string, count: number) =>
      `📜 <b>Riwayat laporan</b> — ${target}\n${from} s.d. ${to} · ${count} laporan, terbaru di atas`,
    targetUnit: (name: string, code: string) => `<b>${name}</b> (${code})`,
    targetInitiative: (name: string, unit: string) => `<b>${name}</b>, ${unit}`,
    none: "Tidak ada laporan pada rentang tanggal ini.",
    entry: (n: number, when: string, who: string) => `<b>${n}.</b> ${when} · ${who}`,
    step: (title: string, initiative: string | null) => `📌 ${initiative ? `${initiative} › ` : ""}${title}`,
    progress: (what: string, undone: boolean) => `Progres: ${undone ? `<s>${what}</s> <i>(dibatalkan)</i>` : what}`,
    note: (note: string) => `💬 ${note}`,
    files: (photos: number, documents: number) =>
      `📎 ${[photos > 0 ? `${photos} foto` : "", documents > 0 ? `${documents} dokumen` : ""].filter(Boolean).join(", ")}`,
    evidenceButton: (n: number) => `📎 Lihat bukti #${n}`,
    groupHint: "🔒 Catatan, nama pelapor dan bukti dukung tidak ditampilkan di grup. Untuk melihatnya, ketik /riwayat di chat pribadi dengan saya.",
    more: (n: number) => `… dan ${n} laporan yang lebih lama. Persempit rentang tanggalnya untuk melihatnya.`,
    unknownReporter: "tanpa nama",
    sending: (n: number) => `Mengirim ${n} berkas bukti…`,
    caption: (title: string, when: string, i: number, total: number) => `📎 ${title} — ${when} (${i}/${total})`,
    noEvidence: "Laporan ini tidak punya bukti dukung.",
    notVisible: "Laporan ini tidak ditemukan, atau bukan bagian yang bisa Anda lihat.",
    privateOnly: "Bukti dukung hanya dikirim di chat pribadi. Ketik /riwayat di chat pribadi dengan saya.",
    sendFailed: (name: string) => `Berkas ${name} tidak bisa dikirim ulang (mungkin sudah dihapus dari Telegram).`,
  },
  flood: {
    notice: "Pesan Anda datang terlalu cepat, jadi sebagian tidak saya proses. Tunggu sebentar, lalu kirim lagi yang masih perlu.",
  },
  fallback: "Saya tidak mengerti pesan itu. Ketik /bantuan untuk melihat perintah yang bisa Anda pakai.",
  cancel: { done: "Dibatalkan.", nothing: "Tidak ada langkah yang sedang berjalan." },
  flows: { unreadable: "Maaf, langkah yang sedang berjalan tidak bisa dilanjutkan, jadi dihentikan. Tidak ada yang disimpan; silakan mulai lagi." },
  // Personal data (UU PDP 27/2022). The erasure messages are plain text: the CLI prints them too.
  privacy: {
    atJoin:
      "🔒 Pantau menyimpan nama, id Telegram, peran dan laporan Anda untuk pengingat dan rekap program ini. Ketik /privasi untuk rinciannya, /dataku untuk salinan data Anda.",
    notice: (controller: string | null) =>
      "🔒 <b>Pemberitahuan privasi Pantau</b>\n\n" +
      `<b>Pengendali data:</b> pemerintah daerah yang menjalankan Pantau ini${controller ? `, kontak: ${controller}` : "; hubungi koordinator program Anda (Bagian Organisasi)"}.\n\n` +
      "<b>Yang disimpan:</b> id Telegram, nama, username dan bahasa Anda; peran Anda di unit atau program (keanggotaan) dan undangan yang Anda buat; " +
      "laporan progres Anda dengan catatan dan id berkas bukti dukung (berkasnya sendiri tersimpan di Telegram); tanggal cuti yang Anda nyatakan (/cuti); " +
      "catatan pesan yang dikirim bot kepada Anda (kapan, terkirim atau tidak); jejak audit (siapa mengubah atau membaca apa, kapan).\n\n" +
      "<b>Untuk apa:</b> mengingatkan tenggat rencana aksi inovasi, merekap progres untuk koordinator dan kepala unit, dan mempertanggungjawabkan setiap perubahan. " +
      "Tidak dipakai untuk hal lain dan tidak dibagikan ke luar pemerintah daerah.\n\n" +
      "<b>Berapa lama:</b> selama Anda terdaftar. Setelah Anda keluar, data pribadi Anda dihapus atas permintaan: nama dan username hilang, catatan pesan kepada Anda dihapus (yang masih diperlukan tahapan yang belum selesai tetap, tanpa chat tujuannya); " +
      'laporan Anda tetap sebagai arsip kerja unit, atas nama "PIC &lt;unit&gt;". ' +
      "Sebagian data dihapus sendiri: catatan pesan setahun setelah tenggatnya (bila tahapannya selesai), langkah /lapor yang tidak diselesaikan seminggu setelah kedaluwarsa, " +
      "catatan siapa membaca data pribadi setahun. Jejak perubahan disimpan sebagai arsip penyelenggaraan.\n\n" +
      "<b>Hak Anda (UU 27/2022):</b> /dataku — salinan semua data Anda dalam satu berkas; /nama — perbaiki nama Anda di rekap; " +
      "penghapusan setelah keluar — mintalah kepada pengendali data.",
    nothingStored: "Pantau tidak menyimpan data apa pun tentang Anda.",
    dataCaption:
      "📄 Semua data Anda yang disimpan Pantau, dengan catatan pemrosesannya (pesan yang dikirim kepada Anda, jejak audit). Permintaan ini juga tercatat.",
    nameUsage: (current: string) =>
      `Nama Anda di rekap dan daftar: <b>${current}</b>.\nUntuk mengubahnya, ketik /nama diikuti nama Anda, mis. /nama Rina Marlina.`,
    nameSet: (after: string) => `✅ Nama Anda sekarang <b>${after}</b> di rekap, riwayat dan daftar. Nama dari Telegram tidak lagi menggantikannya.`,
    nameErrors: {
      empty: "Tulis nama Anda setelah /nama, mis. /nama Rina Marlina.",
      too_long: "Nama paling panjang 64 karakter. Coba lagi dengan nama yang lebih pendek.",
      control: "Nama harus satu baris tanpa karakter khusus. Coba lagi, mis. /nama Rina Marlina.",
    },
    eraseUsage: "Ketik /hapusdata diikuti id Telegram (angka) atau @username orang yang sudah keluar, mis. /hapusdata 123456789.",
    eraseNone: (who: string) => `Tidak ada orang ${who} di Pantau. Tulis id Telegram-nya (angka) atau @username-nya.`,
    eraseSeveral: (who: string, count: number) => `Ada ${count} orang dengan ${who}. Sebutkan id Telegram-nya (angka).`,
    eraseHasSeats: (name: string, seats: number) =>
      `${name} masih terdaftar di ${seats} kursi. Data pribadi hanya dihapus setelah orang itu keluar: keluarkan dulu (/anggota atau pantau remove), lalu ulangi.`,
    eraseAlready: (name: string) => `Data pribadi ${name} sudah dihapus sebelumnya.`,
    eraseConfirm: (name: string, reports: number) =>
      `Hapus data pribadi ${name}? Nama, username dan bahasanya dihapus, juga catatan pesan kepadanya yang tidak lagi diperlukan tahapan yang belum selesai; ${reports} laporannya tetap, atas nama "PIC <unit>". Tidak bisa dibatalkan.`,
    eraseButton: "🗑 Hapus data",
    keepButton: "Batal",
    eraseKept: "Tidak ada yang dihapus.",
    erased: (telegramId: number, reports: number, deliveries: number) =>
      `✅ Data pribadi #${telegramId} dihapus. ${reports} laporan tetap atas nama "PIC <unit>"; ${deliveries} catatan pesan dihapus, sisanya tanpa chat tujuan. Id Telegram tetap disimpan agar undangan yang dipakainya sebelum dikeluarkan tetap menolaknya.`,
    eraseMissing: "Sebutkan orangnya: pantau erase --person <id Telegram|@username>",
  },
  auditTrail: {
    header: (scope: string) => `🧾 <b>Jejak perubahan</b> — ${scope}`,
    everything: "semua program",
    none: "Belum ada catatan di jejak ini.",
    older: "◀️ Lebih lama",
    newer: "Lebih baru ▶️",
    hint: "Terbaru di atas. Jejak lengkap untuk auditor: pantau audit di server.",
    line: (when: string, who: string, what: string, where: string) => `${when} — ${who} ${what}${where}`,
    inGroup: " (di grup)",
    cli: (user: string | null) => (user ? `Admin (baris perintah, ${user})` : "Admin (baris perintah)"),
    scheduler: "Penjadwal Pantau",
    system: "Pantau",
    roleWords: { pic: "PIC", kepala: "Kepala", koordinator: "Koordinator" } as Record<string, string>,
    seat: (name: string, role: string, where: string) => `${name} (${role} ${where})`,
    statusNames: { not_started: "belum mulai", in_progress: "berjalan", done: "selesai", blocked: "terkendala" } as Record<string, string>,
    actions: {
      reported: (percent: number, status: string, step: string) => `melaporkan ${percent}% (${status}) untuk '${step}'`,
      undid: (step: string, percent: number) => `mengurungkan laporan untuk '${step}' (kembali ke ${percent}%)`,
      evidence: (files: number, step: string) => `menambahkan ${files} bukti dukung untuk '${step}'`,
      imported: (target: string, created: number, updated: number) => `memuat rencana aksi ${target}: ${created} tahapan baru, ${updated} diubah`,
      dueMoved: (step: string, from: string, to: string) => `'${step}' tenggat ${from} → ${to}`,
      weightChanged: (step: string, from: number, to: number) => `'${step}' bobot ${from} → ${to}`,
      more: (n: number) => `dan ${n} lagi`,
      inviteCreated: (role: string, target: string) => `membuat undangan ${role} untuk ${target}`,
      inviteAccepted: (role: string, target: string) => `bergabung sebagai ${role} di ${target}`,
      inviteRevoked: (role: string, target: string) => `mencabut undangan ${role} untuk ${target}`,
      removed: (person: string, role: string, where: string) => `mengeluarkan ${person} (${role}, ${where})`,
      left: (role: string, where: string) => `keluar sebagai ${role} dari ${where}`,
      broadcast: (people: number) => `mengirim siaran ke ${people} orang`,
      broadcastCancelled: (notSent: number) => `menghentikan siaran (${notSent} pesan tidak jadi dikirim)`,
      nudged: (target: string, people: number) => `mengingatkan ${target} sekarang (${people} orang)`,
      rules: (program: string, changes: string) => `mengubah aturan pengingat ${program}: ${changes}`,
      holidayAdded: (name: string, date: string, where: string) => `menambahkan libur program '${name}' pada ${date} untuk ${where}`,
      holidayRemoved: (name: string, date: string, where: string) => `menghapus libur program '${name}' pada ${date} untuk ${where}`,
      renamed: (from: string, to: string) => `mengganti namanya dari '${from}' menjadi '${to}'`,
      language: (from: string, to: string) => `mengganti bahasa bot ${from} → ${to}`,
      blocked: "memblokir bot",
      unblocked: "membuka blokir bot",
      digest: (on: boolean): string => (on ? "menyalakan ringkasan mingguan" : "mematikan ringkasan mingguan"),
      erased: "menghapus data pribadi seseorang yang sudah keluar",
      dataAccess: "meminta salinan datanya (/dataku)",
      exported: (program: string) => `mengunduh rekap ${program}`,
      historyRead: (target: string) => `membaca riwayat laporan ${target}`,
      evidenceRead: (step: string) => `melihat bukti dukung '${step}'`,
      backup: (file: string) => `mencadangkan database (${file})`,
      restore: (file: string) => `memulihkan database dari ${file}`,
      snoozed: (step: string, date: string) => `menunda pengingat '${step}' ke ${date}`,
      snoozeUndone: (step: string, date: string) => `mengurungkan penundaan pengingat '${step}' ke ${date}`,
      other: (action: string, target: string) => `${action} ${target}`.trim(),
    },
  },
  cli: {
    usage: [
      "Pemakaian: pantau <perintah>",
      "",
      "  start                               jalankan bot (menerapkan migrasi lebih dulu)",
      "  migrate                             terapkan migrasi database lalu keluar",
      "  import <berkas.csv|berkas.xlsx> [--no-limits]  muat atau perbarui rencana aksi (--no-limits: tanpa batas ukuran dan jumlah baris)",
      "  invite --unit <kode> [--role pic|kepala] [--uses N] [--days N] [--qr <berkas.png>]",
      "  invite --role koordinator [--program <nama>] [--region <nama>] [--uses N] [--days N]",
      "  remind [--at <waktu ISO>] [--dry-run]  satu putaran pengingat",
      "  export <berkas.xlsx|berkas.csv>     tulis rekap dan semua tahapan dengan laporan terakhirnya",
      "  invites [--program <nama>] [--unit <kode>]  daftar undangan terbuka",
      "  revoke <nomor undangan|kode>        cabut undangan (kodenya lalu ditolak seperti kode yang salah)",
      "  remove --person <id Telegram|@username> [--unit <kode>] [--role pic|kepala|koordinator] [--program <nama>]",
      "  backup [berkas]                     cadangkan database yang sedang berjalan (bawaan: ke BACKUP_DIR atau ./backups)",
      "  restore <berkas> [--replace]        pulihkan cadangan ke database kosong (--replace: timpa isinya, setelah salinan pengaman)",
      "  erase --person <id Telegram|@username>  hapus data pribadi orang yang sudah keluar (laporannya tetap)",
      "  audit [--since <tanggal>] [--until <tanggal>] [--program <nama>] [--actor <id Telegram|@username|cli|scheduler>] [--csv <berkas>]",
      "                                      jejak perubahan: siapa, dari mana, apa, sebelum → sesudah",
    ].join("\n"),
    unknownCommand: (name: string) => `Perintah tidak dikenal: ${name}`,
    badOption: (message: string) => `Opsi tidak valid: ${message}`,
    configProblems: "Konfigurasi belum benar:",
    migrated: (names: string[]) => (names.length ? `Migrasi diterapkan: ${names.join(", ")}` : "Database sudah mutakhir."),
    limitsHint: "Jika berkas ini memang benar, batas ini bisa diangkat: pantau import --no-limits <berkas>.",
    fileMissing: "Sebutkan berkas rencana aksi, mis. pantau import rencana-aksi.csv",
    fileUnreadable: (file: string) => `Berkas tidak bisa dibaca: ${file}`,
    exportFileMissing: "Sebutkan berkas tujuan, mis. pantau export rekap.xlsx (atau rekap.csv)",
    exportBadExtension: (file: string) => `Berkas tujuan harus berakhiran .xlsx atau .csv: ${file}`,
    exportUnwritable: (file: string) => `Berkas tidak bisa ditulis: ${file}`,
    exportDone: (file: string, programs: number, steps: number) => `Rekap ditulis ke ${file}: ${programs} program, ${steps} tahapan.`,
    importRejected: (count: number) => `Impor ditolak: ${count} kesalahan. Tidak ada yang diubah.`,
    importDone: "Impor selesai.",
    counts: (label: string, programs: number, regions: number, units: number, initiatives: number, milestones: number) =>
      `${label}: ${programs} program, ${regions} pemda, ${units} OPD, ${initiatives} inovasi, ${milestones} tahapan`,
    created: "Dibuat",
    updated: "Diperbarui",
    unchanged: (n: number) => `Tidak berubah: ${n} tahapan`,
    qrWritten: (file: string) => `Kode QR tautan ini disimpan di ${file}.`,
    qrUnwritable: (file: string, reason: string) => `Kode QR tidak bisa disimpan di ${file} (${reason}); tautan di atas tetap berlaku.`,
    inviteCreated: (role: string, target: string, uses: number, expires: string) =>
      `Undangan ${role} untuk ${target} (maks. ${uses} orang, berlaku sampai ${expires}):`,
    badAt: "--at harus waktu ISO, mis. 2022-01-11T08:00:00+07:00",
    remindNone: "Tidak ada pengingat yang jatuh tempo.",
    remindPlanned: (n: number) => `${n} pengingat akan dikirim:`,
    remindLine: (who: string, unit: string, title: string, slot: string) => `- ${who} (${unit}): ${title} [${slot}]`,
    remindUnreached: "ringkasan unit tanpa PIC yang bisa diingatkan",
    remindDigest: (level: "head" | "coordinator") => `ringkasan mingguan ${level === "head" ? "kepala unit" : "koordinator"}`,
    remindDone: (sent: number, blocked: number, failed: number, retrying: number) =>
      `Terkirim ${sent}, memblokir bot ${blocked}, gagal ${failed}, dicoba lagi nanti ${retrying}.`,
    receivingStopped: (reason: string) => `Bot berhenti menerima pesan: ${reason}. Apakah ada proses lain yang memakai token yang sama?`,
    portInUse: (address: string) =>
      `Pantau tidak bisa mendengarkan di ${address}: alamat itu sudah dipakai proses lain (Pantau lain?). Hentikan proses itu, atau atur PORT (dan HTTP_HOST) ke yang lain.`,
    stopped: "Pantau berhenti.",
    invitesNone: "Tidak ada undangan terbuka.",
    inviteLine: (id: number, role: string, target: string, uses: number, max: number, expires: string, by: string) =>
      `#${id} ${role} — ${target}: dipakai ${uses} dari ${max}, berlaku sampai ${expires}, dibuat oleh ${by}`,
    byAdmin: "admin (baris perintah)",
    revokeMissing: "Sebutkan undangan yang dicabut: nomornya (dari pantau invites) atau kodenya, mis. pantau revoke 12",
    revokeUnknown: (what: string) => `Tidak ada undangan ${what}. Lihat nomornya dengan pantau invites.`,
    revokeGone: (id: number) => `Undangan #${id} sudah tidak terbuka (dicabut, kedaluwarsa, atau habis dipakai). Tidak ada yang diubah.`,
    revoked: (id: number, role: string, target: string) => `Undangan #${id} (${role} untuk ${target}) dicabut; kodenya kini ditolak.`,
    removeMissing: "Sebutkan orangnya dengan --person <id Telegram atau @username>, mis. pantau remove --person @rina_disparbud",
    removeNone: (who: string) => `${who} tidak memegang peran yang cocok. Tidak ada yang diubah.`,
    removeChoose: (who: string) => `${who} memegang beberapa peran; pilih satu dengan --unit, --role atau --program. Tidak ada yang diubah:`,
    seatLine: (role: string, where: string) => `- ${role}: ${where}`,
    removed: (name: string, role: string, where: string, cancelled: number) =>
      `${name} tidak lagi ${role} untuk ${where}; ${cancelled} pesan terjadwal untuknya dibatalkan. Laporannya yang lalu tetap tersimpan.`,
    removedToldFailed: "Ia tidak bisa diberi tahu lewat Telegram; beri tahu lewat jalur lain.",
    backupDone: (file: string, rows: number, tables: number, schema: string) =>
      `Cadangan ditulis ke ${file}: ${rows} baris dari ${tables} tabel, skema ${schema}.`,
    tableRows: (table: string, rows: number) => `- ${table}: ${rows}`,
    restoreFileMissing: "Sebutkan berkas cadangan, mis. pantau restore backups/pantau-daily-20261130T190000Z.jsonl.gz",
    safetyBackup: (file: string) => `Salinan pengaman isi database ini ditulis ke ${file} sebelum ditimpa.`,
    restoreUpgraded: (from: string, to: string) => `Cadangan ini dari skema lama (${from}); dinaikkan ke skema ${to} lebih dulu.`,
    restoreDone: (file: string, createdAt: string, from: string, rows: number, tables: number) =>
      `Dipulihkan dari ${file} (dibuat ${createdAt} dari ${from}): ${rows} baris di ${tables} tabel. Jumlah baris tiap tabel dan rujukan antartabel sudah diperiksa.`,
    databaseNames: { sqlite: "SQLite", postgresql: "PostgreSQL" } as Record<string, string>,
    auditBadDate: (option: string, value: string) =>
      `${option} tidak dikenali sebagai tanggal: ${value} (mis. 2022-03-14, 14/03/2022, 14 Maret 2022, atau waktu lengkap dengan zonanya: 2022-03-14T08:00+07:00)`,
    auditUntilBeforeSince: "--until jatuh sebelum --since: tidak ada yang bisa ditampilkan.",
    auditUnknownProgram: (name: string) => `Tidak ada program bernama ${name}.`,
    auditUnknownActor: (who: string) => `Tidak ada orang ${who} di Pantau (pakai id Telegram, @username, cli atau scheduler).`,
    auditCsvUnwritable: (file: string) => `Berkas tidak bisa ditulis: ${file}`,
    auditNone: "Tidak ada catatan jejak yang cocok.",
    auditCount: (n: number) => `${n} catatan.`,
    auditCsvDone: (file: string, n: number) => `${n} catatan jejak ditulis ke ${file}.`,
    auditColumns: ["Waktu", "Siapa", "Dari", "Apa", "Sasaran", "Sebelum → sesudah"],
    auditOrigins: {
      private: "Telegram (pribadi)",
      group: "Telegram (grup)",
      telegram: "Telegram",
      cli: "baris perintah",
      scheduler: "penjadwal",
      system: "sistem",
    } as Record<string, string>,
    auditCsvHeaders: [
      "id",
      "waktu_utc",
      "waktu_lokal",
      "jenis_pelaku",
      "id_orang",
      "id_telegram",
      "nama_pelaku",
      "peran",
      "kursi",
      "asal",
      "id_chat",
      "aksi",
      "entitas",
      "id_entitas",
      "sasaran",
      "program",
      "pemda",
      "sebelum",
      "sesudah",
      "rincian",
    ],
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
    xlsxUnreadable: "Berkas XLSX rusak atau bukan buku kerja Excel. Buka di Excel, simpan lagi sebagai .xlsx (atau .csv), lalu impor lagi.",
    xlsxEncrypted:
      "Berkas XLSX dilindungi kata sandi, jadi tidak bisa dibaca. Buka di Excel, hapus kata sandinya (File > Info > Protect Workbook > Encrypt with Password), simpan, lalu impor lagi.",
    xlsxTooLarge: (megabytes: number) =>
      `Berkas XLSX ini terlalu besar untuk sebuah rencana aksi (lebih dari ${megabytes} MB setelah dibuka). Hapus lembar yang tidak perlu atau simpan sebagai .csv, lalu impor lagi.`,
    fileTooLarge: (megabytes: number) =>
      `Berkas ini lebih besar dari ${megabytes} MB, batas berkas rencana aksi. Hapus lembar atau kolom yang tidak perlu, atau simpan sebagai .csv, lalu impor lagi.`,
    tooManyRows: (max: number) =>
      `Berkas ini berisi lebih dari ${max.toLocaleString("id-ID")} tahapan, batas satu impor. Bagi rencana aksinya menjadi beberapa berkas (mis. per pemda), lalu impor satu per satu.`,
    xlsxFormat: "Berkas ini bukan XLSX (mis. .xls Excel 97-2003 atau .ods). Simpan sebagai .xlsx atau .csv, lalu impor lagi.",
    unreadable: "berkas CSV rusak (mis. tanda kutip tidak ditutup)",
    outOfMemory:
      "Berkas ini butuh terlalu banyak memori untuk dibaca sebagai rencana aksi. Bagi rencana aksinya menjadi beberapa berkas (mis. per pemda), lalu impor satu per satu.",
    readTimeout: (seconds: number) =>
      `Berkas ini terlalu lama dibaca (lebih dari ${seconds} detik). Hapus lembar, kolom atau rumus yang tidak perlu, atau simpan sebagai .csv, lalu impor lagi.`,
  },
  miniApp: {
    // The bot's side: the button under /rekap and the menu button.
    button: "🖥 Buka dasbor",
    groupButton: "🖥 Dasbor (di chat pribadi)",
    menuButton: "Dasbor",
    // The dashboard page's words, served to it as JSON ({n}-style placeholders filled by the page).
    page: {
      title: "Dasbor Pantau",
      loading: "Memuat…",
      needTelegram: "Buka dasbor ini dari tombol 🖥 Buka dasbor di bawah /rekap, atau dari tombol menu bot Pantau di Telegram.",
      unauthorized: "Sesi dasbor tidak sah atau sudah kedaluwarsa. Tutup dasbor, lalu buka lagi dari bot.",
      expired: "Sesi dasbor ini sudah berakhir. Tutup dasbor, lalu buka lagi dari bot (tombol 🖥 Buka dasbor di bawah /rekap, atau tombol menu).",
      accessLost: "Anda tidak lagi memiliki akses ke dasbor ini: peran Anda di Pantau sudah dicabut atau diubah. Jika ini keliru, hubungi koordinator Anda.",
      tooMany: "Terlalu banyak permintaan dalam waktu singkat. Dasbor mencoba lagi dalam {seconds} detik.",
      notRegistered: "Anda belum terdaftar di Pantau. Minta tautan undangan kepada koordinator, buka tautan itu, lalu buka dasbor lagi dari bot.",
      notAllowed: "Dasbor ini untuk koordinator dan kepala unit. Tahapan unit Anda ada di /tugas pada chat dengan bot.",
      failed: "Maaf, dasbor tidak bisa dimuat sekarang. Coba lagi sebentar lagi.",
      retry: "Coba lagi",
      noPrograms: "Belum ada program yang bisa Anda lihat.",
      asOf: "Per {date}",
      total: "{units} unit · {regions} pemda · {overdue} tahapan terlambat",
      totalOneRegion: "{units} unit · {overdue} tahapan terlambat",
      silentLabel: "Tanpa kabar {days} hari",
      onTrack: "Sesuai jadwal",
      filters: "Saring dan urutkan",
      region: "Pemda",
      allRegions: "Semua pemda",
      search: "Cari unit atau kode",
      overdueOnly: "Ada tahapan terlambat",
      blockedOnly: "Ada tahapan terkendala",
      silentDays: "Tanpa laporan sedikitnya (hari)",
      sort: "Urutkan",
      sortUrgency: "Paling mendesak dulu",
      sortName: "Nama unit",
      sortProgress: "Progres terendah dulu",
      sortSilence: "Paling lama tanpa laporan",
      shown: "{shown} dari {total} unit",
      noMatch: "Tidak ada unit yang cocok dengan saringan.",
      overdue: "{n} terlambat",
      blocked: "{n} terkendala",
      lastReport: "Laporan terakhir {date}",
      neverReported: "Belum pernah melapor",
      focalPoints: "PIC",
      noFocalPoint: "Belum ada PIC",
      blockedBot: "memblokir bot",
      pendingInvites: "{n} undangan PIC belum dibuka",
      due: "Tenggat {date}",
      daysLate: "terlambat {n} hari",
      reports: "Laporan",
      noReports: "Belum ada laporan untuk tahapan ini.",
      undone: "diurungkan",
      moreReports: "… dan {n} laporan lebih lama: lihat /riwayat di chat dengan bot.",
      photo: "Foto {n}",
      download: "⬇ Unduh {name}",
      fileFailed: "Berkas ini tidak bisa diambil dari Telegram.",
      back: "← Kembali",
      stepGone: "Tahapan ini tidak ada lagi atau bukan bagian program Anda.",
    },
  },
  errors: {
    generic: "Maaf, terjadi kesalahan. Coba lagi sebentar lagi.",
    codes: {
      "access.not_allowed": "Anda tidak punya akses ke tahapan ini.",
      "report.bad_percent": "Progres harus angka 0 sampai 100.",
      "report.reason_required": "Tulis kendalanya dulu (satu kalimat cukup).",
      "invite.unknown_unit": "OPD dengan kode {unit} tidak ada. Periksa kode_opd di berkas rencana aksi.",
      "invite.unknown_program": 'Program "{program}" tidak ada.',
      "invite.no_program": "Belum ada program. Muat rencana aksi dulu dengan pantau import.",
      "invite.choose_program": "Ada beberapa program; sebutkan salah satu dengan --program: {programs}",
      "invite.unknown_region": 'Pemda "{region}" tidak ada dalam program "{program}".',
      "invite.unit_required": "Sebutkan OPD dengan --unit <kode_opd>.",
      "invite.bad_days": "--days harus bilangan bulat 1 sampai 365.",
      "invite.bad_uses": "--uses harus bilangan bulat 1 sampai 1000.",
      "invite.refused": "Kode undangan ini tidak berlaku (salah, kedaluwarsa, atau sudah habis dipakai). Mintalah tautan undangan baru kepada koordinator.",
      "member.unknown_person": "Tidak ada orang {person} di Pantau. Tulis id Telegram-nya (angka) atau @username-nya.",
      "backup.no_database": "Database {database} tidak ada. Periksa DATABASE_URL.",
      "backup.no_schema": "Database ini belum berisi tabel Pantau (belum pernah dimigrasi), jadi tidak ada yang dicadangkan.",
      "backup.file_exists": "Berkas {file} sudah ada, dan cadangan tidak menimpa berkas. Pilih nama lain.",
      "backup.unreadable": "Berkas cadangan {file} tidak ada atau tidak bisa dibaca.",
      "backup.not_a_backup": "{file} bukan berkas cadangan Pantau. Tidak ada yang diubah.",
      "backup.newer_schema":
        "Cadangan ini dibuat oleh Pantau {version} dengan skema {schema}, lebih baru dari Pantau ini (skema terakhirnya {current}). Perbarui Pantau dulu, lalu pulihkan lagi. Tidak ada yang diubah.",
      "backup.target_newer": "Database tujuan memakai skema {schema} yang tidak dikenal Pantau ini (lebih baru). Perbarui Pantau dulu. Tidak ada yang diubah.",
      "backup.target_not_empty":
        "Database tujuan tidak kosong (ada isi di tabel {tables}). Tidak ada yang diubah. Untuk menimpanya, ulangi dengan --replace: salinan pengaman isinya ditulis lebih dulu.",
      "backup.schema_mismatch": "Tabel {table} di database tujuan tidak sama dengan di cadangan. Tidak ada data yang diubah.",
      "backup.truncated": "Berkas cadangan {file} terpotong (tidak sampai akhir). Pemulihan dibatalkan; isi database tujuan tetap seperti semula.",
      "backup.damaged": "Berkas cadangan {file} rusak ({reason}). Pemulihan dibatalkan; isi database tujuan tetap seperti semula.",
      "backup.count_mismatch":
        "Tabel {table} berisi {actual} baris setelah dipulihkan, bukan {expected} seperti di cadangan. Pemulihan dibatalkan; isi database tujuan tetap seperti semula.",
      "backup.foreign_keys": "{count} baris merujuk ke baris yang tidak ada ({problems}). Pemulihan dibatalkan; isi database tujuan tetap seperti semula.",
      "backup.restore_failed":
        "Pemulihan gagal: {reason}. Isi database tujuan tetap seperti semula. Bila bot masih berjalan pada database ini, hentikan dulu selama pemulihan.",
    } as Record<string, string>,
  },
};

export type Catalogue = typeof id;
