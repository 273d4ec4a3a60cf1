import { describe, expect, it } from "vitest";
import { leadingName, matchStep } from "../../src/domain/step-match.js";
import { withinOneEdit } from "../../src/domain/text.js";

// Which step a reply to a reminder listing several steps names, as a colleague would read it.

const sk = { id: 1, title: "Penetapan SK tim replikasi" };
const sop = { id: 2, title: "Penyusunan SOP layanan" };
const studi = { id: 3, title: "Studi tiru ke Kota Batu" };
const dpa = { id: 4, title: "Penganggaran dalam DPA" };
const sosialisasi = { id: 5, title: "Sosialisasi kepada koperasi, UKM dan pelaku usaha" };
const perbup = { id: 6, title: "Penyusunan Peraturan Bupati tentang layanan" };
const mou = { id: 7, title: "Penandatanganan nota kesepahaman dengan Kota Batu" };
const monev = { id: 8, title: "Monitoring dan evaluasi" };
const bimtek = { id: 9, title: "Bimtek operator kelurahan" };
const data = { id: 10, title: "Input data di setiap kelurahan" };
const pks = { id: 11, title: "PKS dengan Kota Sumedang" };

const named = (text: string, steps: { id: number; title: string }[]) => matchStep(text, steps)?.title ?? null;

describe("matchStep", () => {
  it.each([
    // The reply: "SOP-nya" names the SOP step, "ditandatangani" names none of the two.
    ["75%, SOP-nya tinggal ditandatangani", [sk, sop], sop],
    ["yang SOP udah 80 persen", [sk, sop], sop],
    ["SK-nya sudah terbit", [sk, sop], sk],
    ["sk nomor 12 tahun 2022 sudah ditandatangani bupati", [sk, sop], sk],
    ["surat keputusan tim sudah terbit", [sk, sop], sk],
    ["Standar Operasional Prosedur 60%", [sk, sop], sop],
    ["studi tiru sdh dilaksanakan tgl 14", [sop, studi], studi],
    ["stutir ke batu sudah", [sop, studi], studi],
    ["DPA sudah ditetapkan", [sop, dpa], dpa],
    ["penganggaran 50%", [sop, dpa], dpa],
    ["sosialisasinya sudah ke 3 kelompok", [sop, sosialisasi], sosialisasi],
    ["disosialisasikan minggu depan", [sop, sosialisasi], sosialisasi],
    ["perbup masih di bagian hukum", [sk, perbup], perbup],
    ["MoU tinggal ttd walikota", [sop, mou], mou],
    ["monev 30%", [sop, monev], monev],
    ["bimbingan teknis sudah, tinggal laporan", [sop, bimtek], bimtek],
    ["the SOP is done", [sk, sop], sop],
    ["the decree was signed yesterday", [sk, sop], sk],
  ])('when the reply is "%s", then it names the step it is about', (text, steps, expected) => {
    expect(named(text, steps)).toBe(expected.title);
  });

  it("forgives one slip in a word of five letters or more, and nothing in shorter words", () => {
    expect(named("sosialsasi sudah 50%", [sop, sosialisasi])).toBe(sosialisasi.title);
    expect(named("penyusnan 40%", [sk, sop])).toBe(sop.title);
    expect(named("replkasi tim sudah", [sk, sop])).toBe(sk.title);
    // "dana" is not a slip of "data": a blocked budget is not the data step.
    expect(named("kendala dana belum cair", [data, sop])).toBeNull();
  });

  it.each([
    ["sudah 50 persen", "names neither", [sk, sop]],
    ["ok siap", "names neither", [sk, sop]],
    ["terkendala anggaran", "names neither", [sk, sop]],
    ["SK dan SOP sudah selesai", "names both", [sk, sop]],
    ["75% tim SOP", "names each once", [sk, sop]],
    ["Kota Batu 50%", "names only words both titles share", [studi, mou]],
  ])('when the reply is "%s" (%s), then it cannot tell', (text, _why, steps) => {
    expect(matchStep(text, steps)).toBeNull();
  });

  it("takes the step whose title the reply names more of", () => {
    expect(named("PKS dengan Sumedang sudah diteken", [mou, pks])).toBe(pks.title);
    expect(named("nota kesepahaman Kota Batu sudah", [mou, pks])).toBe(mou.title);
  });

  it("ignores stop words and numbers, and a step named by nothing but them", () => {
    expect(named("di kota 2022 yang ke-3", [sk, sop])).toBeNull();
    expect(named("12", [sk, sop])).toBeNull();
    expect(matchStep("SOP 50%", [])).toBeNull();
  });
});

describe("leadingName", () => {
  const rest = (text: string, title: string) => text.slice(leadingName(text, title)).trim();

  it("reaches past the step's name, its fillers and its number at the start of a reply", () => {
    expect(rest("SK-nya sudah terbit", sk.title)).toBe("sudah terbit");
    expect(rest("yang SOP udah beres", sop.title)).toBe("udah beres");
    expect(rest("SK nomor 12 tahun 2022 sudah terbit", sk.title)).toBe("sudah terbit");
    expect(rest("Perbup No. 5/2022 sudah diundangkan", "Penyusunan Perbup layanan")).toBe("sudah diundangkan");
    expect(rest("the SOP is done", sop.title)).toBe("is done");
  });

  it("stops at nothing when the reply does not start with the step's name", () => {
    expect(leadingName("draf SOP sudah selesai", sop.title)).toBe(0);
    expect(leadingName("sudah selesai", sop.title)).toBe(0);
    expect(leadingName("12 SK", sk.title)).toBe(0);
    expect(leadingName("SOP sudah", sk.title)).toBe(0);
  });
});

describe("withinOneEdit", () => {
  it.each([
    ["selesai", "selsai", true],
    ["selesai", "seelesai", true],
    ["selesai", "selesia", true],
    ["selesai", "selasai", true],
    ["selesai", "selesai", true],
    ["selesai", "slsai", false],
    ["sosialisasi", "sosialsiasi", true],
    ["selesai", "sleesia", false],
    ["data", "dana", true],
    ["ab", "ba", true],
    ["abc", "cab", false],
  ])("%s and %s: %s", (a, b, expected) => {
    expect(withinOneEdit(a, b)).toBe(expected);
    expect(withinOneEdit(b, a)).toBe(expected);
  });
});
