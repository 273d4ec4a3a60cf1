import { describe, expect, it } from "vitest";
import { parseProgressReply } from "../../src/domain/reply-parser.js";

const understood = (percent: number | null, status: string, note: string | null) => ({ ok: true, percent, status, note });
const notUnderstood = { ok: false, reason: "not_understood" };
const outOfRange = { ok: false, reason: "percent_out_of_range" };

describe("parseProgressReply", () => {
  describe("a percentage", () => {
    it.each([
      ["60% draf SOP selesai", 60, "in_progress", "draf SOP selesai"],
      ["75 persen SOP tinggal tanda tangan", 75, "in_progress", "SOP tinggal tanda tangan"],
      ["75% SOP tinggal tanda tangan", 75, "in_progress", "SOP tinggal tanda tangan"],
      ["progres 40%", 40, "in_progress", null],
      ["Progres: 50 %", 50, "in_progress", null],
      ["40 %", 40, "in_progress", null],
      ["40persen", 40, "in_progress", null],
      ["progress is at 30 percent", 30, "in_progress", null],
      ["sudah sekitar 60%, tinggal finalisasi", 60, "in_progress", "tinggal finalisasi"],
      ["draf SOP 60%, tinggal finalisasi.", 60, "in_progress", "draf SOP, tinggal finalisasi"],
      ["H-3 sudah 40%", 40, "in_progress", "H-3"],
    ])('when the reply is "%s", then the progress is %s%% (%s) with note %j', (text, percent, status, note) => {
      expect(parseProgressReply(text)).toEqual(understood(percent, status, note));
    });

    it('when the percentage is followed by "selesai", then the percentage wins and "selesai" stays in the note', () => {
      expect(parseProgressReply("60% draf SOP selesai")).toMatchObject({ percent: 60, status: "in_progress" });
    });

    it("when the percentage is 100, then the step is done and a note that only says so is dropped", () => {
      expect(parseProgressReply("100%")).toEqual(understood(100, "done", null));
      expect(parseProgressReply("sudah 100%")).toEqual(understood(100, "done", null));
      expect(parseProgressReply("100% selesai")).toEqual(understood(100, "done", null));
      expect(parseProgressReply("100%, laporan sudah dikirim")).toEqual(understood(100, "done", "laporan sudah dikirim"));
    });

    it("when the percentage is 0, then the step has not started", () => {
      expect(parseProgressReply("0%")).toEqual(understood(0, "not_started", null));
      expect(parseProgressReply("0% belum mulai")).toEqual(understood(0, "not_started", null));
    });

    it("rounds a decimal (comma or point) to the nearest whole percent", () => {
      expect(parseProgressReply("62,5%")).toEqual(understood(63, "in_progress", null));
      expect(parseProgressReply("62.4%")).toEqual(understood(62, "in_progress", null));
    });

    it("never rounds to 0 or 100 a percentage that was not written so", () => {
      expect(parseProgressReply("99,6%")).toMatchObject({ percent: 99, status: "in_progress" });
      expect(parseProgressReply("0,2%")).toMatchObject({ percent: 1, status: "in_progress" });
      expect(parseProgressReply("100,0%")).toMatchObject({ percent: 100, status: "done" });
    });

    it.each(["150%", "-5%", "101 persen", "100,5%", "1000%"])('when the reply is "%s", then the percentage is out of range', (text) => {
      expect(parseProgressReply(text)).toEqual(outOfRange);
    });

    it("when a blocking word follows the percentage, then the step is blocked at that percentage", () => {
      expect(parseProgressReply("30% terkendala anggaran")).toEqual(understood(30, "blocked", "anggaran"));
      expect(parseProgressReply("30%, tidak ada kendala")).toEqual(understood(30, "in_progress", "tidak ada kendala"));
    });

    it("when two different percentages are given, then it is not understood rather than guessed", () => {
      expect(parseProgressReply("dari 40% jadi 60%")).toEqual(notUnderstood);
      expect(parseProgressReply("60%, ya 60%")).toMatchObject({ percent: 60 });
    });

    it("does not read a number glued to a word or range as a percentage", () => {
      expect(parseProgressReply("draf-5%")).toEqual(notUnderstood);
      expect(parseProgressReply("60-70%")).toEqual(notUnderstood);
    });
  });

  describe("a bare number", () => {
    it("when the whole reply is a number, then it is the percentage", () => {
      expect(parseProgressReply("60")).toEqual(understood(60, "in_progress", null));
      expect(parseProgressReply("progres 40")).toEqual(understood(40, "in_progress", null));
      expect(parseProgressReply("100")).toEqual(understood(100, "done", null));
      expect(parseProgressReply("150")).toEqual(outOfRange);
    });

    it("does not take a number inside a sentence without % as progress", () => {
      expect(parseProgressReply("rapat tanggal 14")).toEqual(notUnderstood);
    });
  });

  describe("done", () => {
    it.each(["sudah selesai", "selesai", "Selesai.", "done", "Done!", "rampung", "tuntas", "sudah beres", "telah selesai", "completed"])(
      'when the reply is "%s", then the step is done at 100%%',
      (text) => {
        expect(parseProgressReply(text)).toEqual(understood(100, "done", null));
      },
    );

    it("keeps what follows the done words as the note", () => {
      expect(parseProgressReply("Sudah selesai. Laporan sudah dikirim.")).toEqual(understood(100, "done", "Laporan sudah dikirim"));
      expect(parseProgressReply("selesai, tidak ada kendala")).toEqual(understood(100, "done", "tidak ada kendala"));
    });

    it("when the done words come later in the sentence, then it is not taken as the step being done", () => {
      expect(parseProgressReply("draf SOP sudah selesai")).toEqual(notUnderstood);
    });

    it('when the reply says "belum selesai", then the step is in progress, not done', () => {
      expect(parseProgressReply("belum selesai")).toEqual(understood(null, "in_progress", null));
      expect(parseProgressReply("not finished")).toEqual(understood(null, "in_progress", null));
      expect(parseProgressReply("SOP belum selesai, menunggu paraf")).toEqual(understood(null, "in_progress", "SOP belum selesai, menunggu paraf"));
    });
  });

  describe("blocked", () => {
    it.each([
      ["terkendala anggaran", "anggaran"],
      ["kendala: anggaran belum cair", "anggaran belum cair"],
      ["Kendalanya anggaran belum cair", "anggaran belum cair"],
      ["blocked by budget", "budget"],
      ["stuck on procurement", "procurement"],
      ["ada kendala di anggaran", "anggaran"],
      ["masih ada hambatan: SK belum terbit", "SK belum terbit"],
      ["terhambat karena cuti bersama", "cuti bersama"],
    ])('when the reply is "%s", then the step is blocked with the reason %j', (text, reason) => {
      expect(parseProgressReply(text)).toEqual(understood(null, "blocked", reason));
    });

    it("when the blocking word is later in the sentence, then the whole reply is the reason", () => {
      expect(parseProgressReply("SOP belum bisa jalan, terkendala anggaran")).toEqual(understood(null, "blocked", "SOP belum bisa jalan, terkendala anggaran"));
    });

    it("when only the word is given, then the reason is null (the caller asks for it)", () => {
      expect(parseProgressReply("terkendala")).toEqual(understood(null, "blocked", null));
    });

    it('when the blocking word is negated ("tidak ada kendala"), then it is not a block', () => {
      expect(parseProgressReply("tidak ada kendala")).toEqual(notUnderstood);
      expect(parseProgressReply("sedang berjalan, tanpa hambatan")).toMatchObject({ status: "in_progress" });
      expect(parseProgressReply("not blocked")).toEqual(notUnderstood);
    });
  });

  describe("not started", () => {
    it.each(["belum mulai", "belum", "Belum.", "belum dimulai", "masih belum mulai", "not started", "not yet started"])(
      'when the reply is "%s", then the step has not started, at 0%%',
      (text) => {
        expect(parseProgressReply(text)).toEqual(understood(0, "not_started", null));
      },
    );

    it("keeps what follows as the note", () => {
      expect(parseProgressReply("belum mulai karena menunggu SK")).toEqual(understood(0, "not_started", "karena menunggu SK"));
    });

    it('does not read every sentence starting with "belum" as not started', () => {
      expect(parseProgressReply("belum ada kabar")).toEqual(notUnderstood);
    });
  });

  describe("in progress without a number", () => {
    it.each(["sedang berjalan", "on progress", "in progress", "ongoing", "masih proses", "dalam proses", "sedang dikerjakan"])(
      'when the reply is "%s", then the step is in progress with no percentage',
      (text) => {
        expect(parseProgressReply(text)).toEqual(understood(null, "in_progress", null));
      },
    );

    it("keeps the rest as the note", () => {
      expect(parseProgressReply("masih proses penyusunan draf")).toEqual(understood(null, "in_progress", "penyusunan draf"));
      expect(parseProgressReply("masih menunggu tanda tangan kepala dinas")).toEqual(
        understood(null, "in_progress", "masih menunggu tanda tangan kepala dinas"),
      );
    });
  });

  describe("anything else", () => {
    it.each(["ok siap", "terima kasih", "??", "", "   ", "👍", "siap laksanakan", "SOP sudah di meja bupati"])(
      'when the reply is "%s", then it is not understood',
      (text) => {
        expect(parseProgressReply(text)).toEqual(notUnderstood);
      },
    );
  });

  describe("everyday replies, as focal points type them", () => {
    it.each([
      ["udah beres", 100, "done", null],
      ["sdh selesai", 100, "done", null],
      ["udh kelar", 100, "done", null],
      ["dah rampung pak", 100, "done", "pak"],
      ["Alhamdulillah sudah 100 persen", 100, "done", "Alhamdulillah"],
      ["sudah terbit", 100, "done", null],
      ["sudah ditandatangani bupati", 100, "done", "bupati"],
      ["50 persen", 50, "in_progress", null],
      ["75 prosen, draf di bagian hukum", 75, "in_progress", "draf di bagian hukum"],
      ["setengah jalan", 50, "in_progress", null],
      ["sudah separuh jalan, tinggal finalisasi", 50, "in_progress", "tinggal finalisasi"],
      ["baru setengah", 50, "in_progress", null],
      ["tinggal TTD", null, "in_progress", "tinggal TTD"],
      ["tinggal tanda tangan kadis", null, "in_progress", "tinggal tanda tangan kadis"],
      ["SOP tinggal diparaf sekda", null, "in_progress", "SOP tinggal diparaf sekda"],
      ["menunggu paraf asisten", null, "in_progress", "menunggu paraf asisten"],
      ["hampir selesai", null, "in_progress", "hampir selesai"],
      ["belum mulai", 0, "not_started", null],
      ["blm mulai, nunggu anggaran", 0, "not_started", "nunggu anggaran"],
      ["kendala dana belum cair", null, "blocked", "dana belum cair"],
      ["terkendala: kadis cuti", null, "blocked", "kadis cuti"],
      ["masih terhambat pengadaan", null, "blocked", "pengadaan"],
    ])('when the reply is "%s", then it is %s%% (%s) with note %j', (text, percent, status, note) => {
      expect(parseProgressReply(text)).toEqual(understood(percent, status, note));
    });

    it.each([
      ["done", 100, "done", null],
      ["all done", 100, "done", null],
      ["finished, report sent", 100, "done", "report sent"],
      ["already signed", 100, "done", null],
      ["half way", 50, "in_progress", null],
      ["halfway done, waiting for the budget", 50, "in_progress", "waiting for the budget"],
      ["about 40 percent", 40, "in_progress", null],
      ["not started", 0, "not_started", null],
      ["haven't started yet", 0, "not_started", "yet"],
      ["blocked by budget approval", null, "blocked", "budget approval"],
      ["stuck at legal review", null, "blocked", "at legal review"],
      ["on hold until the election", null, "blocked", "until the election"],
      ["almost done", null, "in_progress", "almost done"],
      ["awaiting signature", null, "in_progress", "awaiting signature"],
    ])('when an English reply is "%s", then it is %s%% (%s) with note %j', (text, percent, status, note) => {
      expect(parseProgressReply(text)).toEqual(understood(percent, status, note));
    });

    it.each([
      ["selsai", 100, "done", null],
      ["sudha selesai", 100, "done", null],
      ["sdh slesai", 100, "done", null],
      ["rampunh", 100, "done", null],
      ["60 persn", 60, "in_progress", null],
      ["terkendla anggaran", null, "blocked", "anggaran"],
      ["belom mulai", 0, "not_started", null],
      ["finsihed", 100, "done", null],
    ])('when the reply has a slip, "%s", then it is still %s%% (%s)', (text, percent, status, note) => {
      expect(parseProgressReply(text)).toEqual(understood(percent, status, note));
    });

    it("does not put right a real word one slip from a word it looks for", () => {
      expect(parseProgressReply("susah")).toEqual(notUnderstood);
      expect(parseProgressReply("30%, kendali mutu oleh inspektorat")).toEqual(understood(30, "in_progress", "kendali mutu oleh inspektorat"));
      expect(parseProgressReply("1 person left")).toEqual(notUnderstood);
      expect(parseProgressReply("kampung belum siap datanya")).toEqual(notUnderstood);
    });

    it("does not put right a place named in the reply, whether it opens the reply or not", () => {
      expect(parseProgressReply("Lampung belum mulai")).toEqual(notUnderstood);
      expect(parseProgressReply("Sudah dikirim ke Bupati Kendal")).toEqual(notUnderstood);
      expect(parseProgressReply("50% menunggu jadwal rakor di Lampung")).toEqual(understood(50, "in_progress", "menunggu jadwal rakor di Lampung"));
      // A slip in a word a phone capitalises (opening a sentence), or typed in capitals, is still put right.
      expect(parseProgressReply("Selsai")).toEqual(understood(100, "done", null));
      expect(parseProgressReply("SUDAH SELSAI")).toEqual(understood(100, "done", null));
      expect(parseProgressReply("Sudah dicek. Terkendla izin lokasi")).toMatchObject({ ok: true, status: "blocked" });
      expect(parseProgressReply("ada kendal dana")).toMatchObject({ ok: true, status: "blocked" });
    });

    it.each(["SK nomor 12 tahun 2022", "rapat tanggal 14", "Perbup No. 5/2022", "3 dari 5 kelurahan", "rapat setengah hari", "H-3", "sudah 3 kali rapat"])(
      'when a number in "%s" is clearly something else, then it is not taken as a percentage',
      (text) => {
        expect(parseProgressReply(text)).toEqual(notUnderstood);
      },
    );

    it("when a reply names a number and a percentage, then the percentage is the progress and the number stays in the note", () => {
      expect(parseProgressReply("SK nomor 12 tahun 2022, progres 80%")).toEqual(understood(80, "in_progress", "SK nomor 12 tahun 2022"));
      expect(parseProgressReply("3 dari 5 kelurahan sudah input, 60%")).toEqual(understood(60, "in_progress", "3 dari 5 kelurahan sudah input"));
      expect(parseProgressReply("50%, setengah jalan")).toEqual(understood(50, "in_progress", null));
      expect(parseProgressReply("setengah jalan, 60%")).toEqual(notUnderstood);
    });
  });

  describe("a reply that starts with the step's name", () => {
    const sk = "Penetapan SK tim replikasi";
    const sop = "Penyusunan SOP layanan";

    it.each([
      ["SK-nya sudah terbit", sk, 100, "done", null],
      ["SK nomor 12 tahun 2022 sudah terbit", sk, 100, "done", null],
      ["yang SOP udah beres, tinggal sosialisasi", sop, 100, "done", "tinggal sosialisasi"],
      ["SOP sudah selesai", sop, 100, "done", null],
      ["the SOP is done", sop, 100, "done", null],
      ["SK masih terkendala tanda tangan bupati", sk, null, "blocked", "tanda tangan bupati"],
      ["SOP belum mulai", sop, 0, "not_started", null],
      ["SOP-nya tinggal ditandatangani", sop, null, "in_progress", "SOP-nya tinggal ditandatangani"],
      ["75%, SOP-nya tinggal ditandatangani", sop, 75, "in_progress", "SOP-nya tinggal ditandatangani"],
    ])('when the reply is "%s" about "%s", then what follows the name is read: %s%% (%s)', (text, step, percent, status, note) => {
      expect(parseProgressReply(text, step)).toEqual(understood(percent, status, note));
    });

    it("still reads done words after something else as not about the step", () => {
      expect(parseProgressReply("draf SOP sudah selesai", sop)).toEqual(notUnderstood);
      expect(parseProgressReply("SOP sudah selesai", sk)).toEqual(notUnderstood);
      expect(parseProgressReply("SOP sudah selesai")).toEqual(notUnderstood);
    });

    it("never takes the step's number for a percentage", () => {
      expect(parseProgressReply("SK nomor 12 tahun 2022", sk)).toEqual(notUnderstood);
      expect(parseProgressReply("SK 12", sk)).toEqual(notUnderstood);
      expect(parseProgressReply("Perbup No. 5/2022", "Penyusunan Perbup")).toEqual(notUnderstood);
    });
  });

  it("ignores case, extra spaces and line breaks", () => {
    expect(parseProgressReply("  SUDAH   SELESAI  ")).toEqual(understood(100, "done", null));
    expect(parseProgressReply("60%\ndraf   SOP\nselesai")).toEqual(understood(60, "in_progress", "draf SOP selesai"));
  });

  it("returns only whole percentages from 0 to 100 when it understands", () => {
    for (const text of ["0%", "0,4%", "33,3%", "50%", "66,7%", "99,9%", "100%", "12", "selesai", "belum"]) {
      const parsed = parseProgressReply(text);
      if (!parsed.ok || parsed.percent === null) throw new Error(`expected a percentage from "${text}"`);
      expect(Number.isInteger(parsed.percent)).toBe(true);
      expect(parsed.percent).toBeGreaterThanOrEqual(0);
      expect(parsed.percent).toBeLessThanOrEqual(100);
    }
  });
});
