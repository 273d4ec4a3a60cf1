import { withinOneEdit, withoutAccents } from "./text.js";

/**
 * Which step a reply names. A reminder that lists several steps gets replies like "75%, SOP-nya
 * tinggal ditandatangani": a colleague knows it is about "Penyusunan SOP layanan", not "Penetapan
 * SK tim replikasi", and so should the bot. Words are compared without case, accents or the
 * clitics -nya, -kah, -lah, -pun; an abbreviation and its expansion are one word ("SK", "surat
 * keputusan"); a slip of one letter is forgiven in words of five letters or more (shorter words
 * differ by one letter too often: "data" and "dana", "kota" and "kata").
 */

/** A step a reply may name. */
export interface NamedStep {
  id: number;
  title: string;
}

/** Names of one thing in plan titles and replies (Indonesian and English); the first is its key. */
const synonyms: readonly (readonly string[])[] = [
  ["sk", "surat keputusan", "decree"],
  ["sop", "standar operasional prosedur", "standar operasional", "prosedur operasional standar", "standard operating procedure"],
  ["ttd", "tanda tangan", "tandatangan", "ditandatangani", "penandatanganan", "teken", "diteken", "signature", "signed", "signing"],
  ["perbup", "peraturan bupati", "regent regulation"],
  ["perwal", "peraturan walikota", "peraturan wali kota", "mayor regulation"],
  ["pergub", "peraturan gubernur", "governor regulation"],
  ["perda", "peraturan daerah", "regional regulation"],
  ["perkada", "peraturan kepala daerah"],
  ["mou", "nota kesepahaman", "memorandum kesepahaman", "memorandum of understanding"],
  ["pks", "perjanjian kerja sama", "perjanjian kerjasama", "cooperation agreement"],
  ["bimtek", "bimbingan teknis", "technical guidance"],
  ["sosialisasi", "disosialisasikan", "mensosialisasikan", "socialization", "socialisation"],
  ["monev", "monitoring dan evaluasi", "monitoring evaluasi", "monitoring and evaluation"],
  ["dpa", "dokumen pelaksanaan anggaran"],
  ["rab", "rencana anggaran biaya"],
  ["kak", "kerangka acuan kerja", "tor", "terms of reference"],
  ["juknis", "petunjuk teknis"],
  ["juklak", "petunjuk pelaksanaan"],
  ["fgd", "focus group discussion", "diskusi kelompok terarah"],
  ["rakor", "rapat koordinasi"],
  ["studi tiru", "stutir"],
  ["uji coba", "ujicoba", "trial"],
  ["peluncuran", "diluncurkan", "launching", "launch"],
  ["lpj", "laporan pertanggungjawaban"],
];

/** Words that name nothing: in a title ("Studi tiru ke Kota Batu") or in a reply ("yang sudah"). */
const stopWords = new Set(
  `yang yg dan dgn dengan di ke dari untuk utk buat pada dalam kepada oleh bagi serta atau ini itu tsb tersebut sudah udah udh sdh dah
  telah belum blm masih sedang lagi akan tinggal ada tidak tdk tak bisa juga saja aja pak bu bapak ibu mas mbak saya sy kami kita mohon
  nya kah lah pun tahap tahapan progres progress persen prosen sekitar baru sekarang ok oke siap terima kasih makasih para soal terkait
  mengenai tentang perihal the a an of and or to for in on at by is are was were be been has have had it its this that our my we with
  from step about re`.split(/\s+/),
);

/** Words that may stand before or after a step's name at the start of a reply: "yang SOP", "SK-nya", "soal Perbup". */
const nameFillers = new Set("yang yg untuk utk buat soal terkait mengenai tentang perihal re the for about nya kah lah pun pak bu".split(" "));

/** Words of a document's number after its name: "SK nomor 12 tahun 2022", "Perbup No. 5/2022". */
const numberWords = new Set("nomor nomer no nmr tahun th thn tgl tanggal number year of".split(" "));

const clitic = /^(\p{L}{2,}?)(?:nya|kah|lah|pun)$/u;

/** The synonyms as word lists, longest first, so "surat keputusan" is read before "surat". */
const phrases = synonyms.flatMap((names) => names.map((name) => ({ words: name.split(" "), key: names[0]! }))).sort((a, b) => b.words.length - a.words.length);

/** One thing a text says, where: a name (its keys), a stop word, or a number. */
interface Term {
  keys: string[];
  kind: "name" | "stop" | "number";
  end: number;
}

/** The same word, or one slip apart in words of five letters or more. */
function sameWord(a: string, b: string): boolean {
  return a === b || (a.length >= 5 && b.length >= 5 && withinOneEdit(a, b));
}

/** A word as written and without its clitic ("sopnya": "sopnya", "sop"). */
function forms(word: string): string[] {
  const bare = clitic.exec(word)?.[1];
  return bare ? [word, bare] : [word];
}

/** What a text says, in order: abbreviations and their expansions read as one key. */
function terms(text: string): Term[] {
  const words = [...text.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ forms: forms(withoutAccents(m[0]).toLowerCase()), end: m.index + m[0].length }));
  const found: Term[] = [];
  for (let i = 0; i < words.length;) {
    const phrase = phrases.find((p) => p.words.every((w, k) => words[i + k]?.forms.some((f) => sameWord(f, w))));
    if (phrase) {
      i += phrase.words.length;
      found.push({ keys: [phrase.key], kind: "name", end: words[i - 1]!.end });
      continue;
    }
    const word = words[i++]!;
    const kind = /^\p{N}+$/u.test(word.forms[0]!) ? "number" : word.forms[0]!.length < 2 || stopWords.has(word.forms[0]!) ? "stop" : "name";
    found.push({ keys: word.forms, kind, end: word.end });
  }
  return found;
}

/** The names in a step's title, each once. */
function titleNames(title: string): Term[] {
  const names = terms(title).filter((t) => t.kind === "name");
  return names.filter((t, i) => names.findIndex((u) => u.keys[0] === t.keys[0]) === i);
}

function names(said: Term, own: Term): boolean {
  return said.keys.some((k) => own.keys.some((o) => sameWord(k, o)));
}

/**
 * The step among `steps` that `text` names: the one with the most words of its title in the
 * reply. Null when it names none, or two or more equally (asking beats recording on the wrong step).
 */
export function matchStep<S extends NamedStep>(text: string, steps: readonly S[]): S | null {
  const said = terms(text).filter((t) => t.kind === "name");
  const scored = steps.map((step) => ({ step, score: titleNames(step.title).filter((own) => said.some((t) => names(t, own))).length }));
  const best = Math.max(0, ...scored.map((s) => s.score));
  const winners = scored.filter((s) => s.score === best);
  return best > 0 && winners.length === 1 ? winners[0]!.step : null;
}

/**
 * How many characters at the start of `text` only name the step `title`, with "yang", "-nya" and
 * the like, and its number ("SK nomor 12 tahun 2022 sudah terbit": up to "2022"); 0 when the
 * reply does not start with the step's name. What follows is then what the reply says of it.
 */
export function leadingName(text: string, title: string): number {
  const own = titleNames(title);
  let named = false;
  let end = 0;
  for (const term of terms(text)) {
    if (term.kind === "name" && own.some((o) => names(term, o))) named = true;
    else if (term.kind === "number" || numberWords.has(term.keys[0]!)) {
      if (!named) break;
    } else if (!nameFillers.has(term.keys[0]!)) break;
    end = term.end;
  }
  return named ? end : 0;
}
