import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TINY_PNG, type EmuChat, type EmuUser, type SentMessage } from "../support/bot-api-emulator.js";
import { buttons, databaseKinds, examplePlan, Harness } from "../support/harness.js";
import { catalogue } from "../../src/i18n/index.js";

// Hostile updates: a fixed seed drives a few thousand updates from strangers and members through
// the real bot (random commands and arguments, odd text, forged and replayed buttons, random bytes
// as files, group noise, replies to random messages); then nothing leaked, nothing broke, the
// untouched program's data is as it was, the usual flows still work, and a flood is cut short.
// FUZZ_SEED=<n> replays another sequence; a failure names the seed and the update that caused it.

const seed = Number(process.env.FUZZ_SEED ?? 20220111);
const updates = 2000;
/**
 * Updates in flight at once, and the least time between two updates of one person or one group
 * (Telegram lets the bot answer a group every three seconds: the groups set the pace).
 */
const workers = 32;
const personGapMs = 1200;
const groupGapMs = 3500;

const bot = "pantau_test_bot";
const untouchedProgram = "Replikasi Inovasi 2023 Kota Kendari";
const untouchedPlan = [
  "program,pemda,zona_waktu,opd,kode_opd,inovasi,asal,tahapan,tenggat,bobot",
  ...[
    ["Dinas Komunikasi dan Informatika", "KDI-DISKOMINFO", "Bank Data Smart Government", "Kabupaten Sumedang"],
    ["Kelurahan Kadia", "KDI-KEL-KADIA", "Input Data Kelurahan", "Kabupaten Sumedang"],
    ["Dinas Kesehatan", "KDI-DINKES", "Posyandu Digital", "Kota Surabaya"],
  ].flatMap(([unit, code, initiative, origin]) =>
    [
      ["SK tim replikasi", "2023-01-10", "1"],
      ["Penyusunan SOP", "2023-02-14", "2"],
      ["Uji coba layanan", "2023-05-15", "3"],
    ].map(([step, due, weight]) => `${untouchedProgram},Kota Kendari,WITA,${unit},${code},${initiative},${origin},${step},${due},${weight}`),
  ),
].join("\n");

/** mulberry32: a tiny seeded generator, so that a failing run can be replayed exactly. */
function mulberry32(state: number): () => number {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const between = (random: Random, low: number, high: number) => low + Math.floor(random() * (high - low + 1));
const bytes = (random: Random, length: number) => Buffer.from(Array.from({ length }, () => Math.floor(random() * 256)));

const words = [
  "progres",
  "SOP",
  "rapat",
  "anggaran",
  "draf",
  "selesai",
  "belum",
  "tim",
  "Bappeda",
  "sudah",
  "minggu",
  "depan",
  "foto",
  "laporan",
  "tolong",
  "cek",
];
const oddTexts: ((random: Random) => string)[] = [
  () => "<b>tebal</b> & <i>miring</i> <script>alert(1)</script>",
  () => '<a href="javascript:alert(1)">klik</a> </b> <tg-spoiler> &lt;&amp',
  () => "\u202Eكتابة\u202C مرحبا \u200F60% \u200Eselesai",
  () => "6\u200B0\u200D% sel\uFEFFesai\u2060",
  (random) => Array.from({ length: 5000 }, () => pick(random, ["a", "b", " ", "é", "\n", "<", "&"])).join(""),
  (random) => "👨‍👩‍👧‍👦🏳️‍🌈🇮🇩👍🏽🧑🏿‍💻 ".repeat(between(random, 1, 400)),
  () => "60% draf SOP selesai",
  () => "sudah selesai",
  () => "terkendala anggaran belum cair",
  (random) => `${between(random, -50, 250)}%`,
  () => "50 persen",
  () => "%",
  () => "   ",
  () => "\t\r\n",
  () => "${unit} {{program}} %s %d {0}",
  () => '\'; DROP TABLE "Person"; --',
  () => "\\u0000 \u0007 \u001b[31m",
  (random) => Array.from({ length: between(random, 1, 12) }, () => pick(random, words)).join(" "),
];
const commands = [
  "start",
  "bantuan",
  "help",
  "tugas",
  "tasks",
  "lapor",
  "report",
  "status",
  "rekap",
  "summary",
  "terlambat",
  "overdue",
  "riwayat",
  "history",
  "jangkauan",
  "reach",
  "undang",
  "invite",
  "siaran",
  "broadcast",
  "ingatkan",
  "nudge",
  "aturan",
  "rules",
  "libur",
  "holidays",
  "ekspor",
  "export",
  "impor",
  "import",
  "bahasa",
  "language",
  "batal",
  "cancel",
  "anggota",
  "members",
  "keluar",
  "leave",
  "foo",
  "admin",
  "START",
  "Lapor",
];
const fileNames = [
  "rencana.xlsx",
  "rencana.XLSX",
  "data.csv",
  "SK tim.pdf",
  "tanpa-ekstensi",
  "..xlsx",
  "<b>x</b>.csv",
  `${"a".repeat(200)}.pdf`,
  "laporan 📎.pdf",
  "foto.jpg",
];
const mimeTypes = [
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
  "text/csv",
  "application/pdf",
  "application/octet-stream",
  "image/png",
  "text/html",
];
const callbackPrefixes = ["lp", "bc", "bcx", "un", "hb", "pu", "lang", "rl", "mb", "iv", "kl", "rk", "st", "tl", "x"];

/** What strangers must never read, and what no message may show. */
const internalLeftovers = ["undefined", "NaN", "[object Object]", catalogue("id").errors.generic, catalogue("en").errors.generic];
const floodNotices = [catalogue("id").flood.notice, catalogue("en").flood.notice];

interface Actor {
  user: EmuUser;
  member: boolean;
}
interface Sent {
  index: number;
  actor: number;
  chat: number;
  what: string;
  /** The bot's messages in that chat before this update: a later one may be its answer. */
  before: number;
}

describe.each(await databaseKinds())(`hostile updates on %s (FUZZ_SEED=${seed})`, (kind) => {
  let h: Harness;
  let dir: string;
  const members: Actor[] = [];
  const strangers: Actor[] = Array.from({ length: 60 }, (_, i) => ({
    user: { id: 9_100_001 + i, first_name: i % 7 === 0 ? "<b>Orang</b>" : `Orang ${i}`, language_code: i % 3 === 0 ? "en" : "id" },
    member: false,
  }));
  const strangerGroups: EmuChat[] = [1, 2, 3, 4, 5, 6].map((n) => ({ id: -1009100000 - n, type: "supergroup", title: `Grup luar ${n}` }));
  const mixedGroups: EmuChat[] = [7, 8, 9, 10, 11, 12].map((n) => ({ id: -1009100000 - n, type: "supergroup", title: `Grup campur ${n}` }));
  const person = (id: number, name: string, language_code = "id"): EmuUser => ({ id, first_name: name, language_code });
  const flooder = person(9_000_901, "Banjir");
  const bystander = person(9_000_902, "Tenang");
  /** Everything the fuzz sent, in order of sending, for the report of a failure. */
  const log: Sent[] = [];
  /** Callback queries strangers made: their answers must say nothing of the plans. */
  const strangerQueries = new Set<string>();
  /** Names of everything in the plans: units, codes, initiatives, steps, programs, regions. */
  let secrets: string[] = [];
  let untouchedIds: number[] = [];
  let untouchedBefore = "";

  const code = (stdout: string) => /start=([\w-]+)/.exec(stdout)![1]!;
  const invite = async (...args: string[]) => {
    const made = await h.cli("invite", ...args);
    expect(made.code, made.stderr).toBe(0);
    return code(made.stdout);
  };
  const join = async (user: EmuUser, inviteCode: string) => {
    await h.emulator.sendText(user, `/start ${inviteCode}`);
    expect((await h.emulator.waitForMessage(user.id, undefined, 20_000)).plainText).toMatch(/Selamat bergabung|Welcome/);
  };
  /** The untouched program with everything hanging off it, as one comparable text. */
  const untouched = async () =>
    JSON.stringify(
      await h.db.program.findUniqueOrThrow({
        where: { name: untouchedProgram },
        include: {
          memberships: true,
          invites: true,
          broadcasts: true,
          initiatives: {
            orderBy: { id: "asc" },
            include: {
              milestones: { orderBy: { id: "asc" }, include: { reports: { include: { evidence: true } }, deliveries: true } },
              unit: { include: { region: { include: { memberships: true, invites: true } }, memberships: true, invites: true } },
            },
          },
        },
      }),
      (_, value: unknown) => (typeof value === "bigint" ? value.toString() : value),
    );

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = await mkdtemp(path.join(tmpdir(), "pantau-fuzz-"));
    const plan = path.join(dir, "kendari.csv");
    await writeFile(plan, untouchedPlan);
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    expect((await h.cli("import", plan)).code).toBe(0);

    // Replies to answers go one a second per chat: more senders, and a higher total rate than
    // Telegram's, keep a few thousand updates within a minute or two.
    await h.startBot({ TELEGRAM_RATE_LIMIT: "200" });
    const teams: [string, number, string][] = [
      ["BABAR-DISPARBUD", 4, "pic"],
      ["BABAR-DISKOPUKMPERIN", 3, "pic"],
      ["BABAR-DISTANPANGAN", 2, "pic"],
      ["BABAR-DISDIKPORA", 2, "pic"],
      ["BABAR-DISPARBUD", 1, "kepala"],
      ["BABAR-DISTANPANGAN", 1, "kepala"],
    ];
    let next = 9_000_001;
    for (const [unit, uses, role] of teams) {
      const shared = await invite("--unit", unit, "--role", role, "--uses", String(uses));
      for (let i = 0; i < uses; i++) {
        const user = person(next++, `${role} ${unit}`, next % 4 === 0 ? "en" : "id");
        await join(user, shared);
        members.push({ user, member: true });
      }
    }
    const coordinators = await invite("--role", "koordinator", "--program", "Replikasi Inovasi 2022 Kabupaten Bangka Barat", "--uses", "2");
    for (const user of [person(9_000_101, "Koordinator Satu"), person(9_000_102, "Coordinator Two", "en")]) {
      await join(user, coordinators);
      members.push({ user, member: true });
    }
    await join(flooder, await invite("--unit", "BABAR-DISPARBUD"));
    await join(bystander, await invite("--unit", "BABAR-DISDIKPORA"));
    // The focal points of the tourism office get this morning's reminders to reply to.
    expect((await h.cli("remind", "--at", "2022-01-11T09:00:00+07:00")).code).toBe(0);
    for (const group of [...strangerGroups, ...mixedGroups]) await h.emulator.addBotToGroup(strangers[0]!.user, group);
    await h.answered(20_000);

    const [units, initiatives, milestones, programs, regions] = await Promise.all([
      h.db.unit.findMany(),
      h.db.initiative.findMany(),
      h.db.milestone.findMany({ include: { initiative: { include: { program: true } } } }),
      h.db.program.findMany(),
      h.db.region.findMany(),
    ]);
    secrets = [
      ...units.flatMap((u) => [u.name, u.code]),
      ...initiatives.map((i) => i.name),
      ...milestones.map((m) => m.title),
      ...programs.map((p) => p.name),
      ...regions.map((r) => r.name),
    ];
    const outside = milestones.filter((m) => m.initiative.program.name === untouchedProgram);
    untouchedIds = [
      ...outside.map((m) => m.id),
      ...outside.map((m) => m.initiativeId),
      ...units.filter((u) => u.code.startsWith("KDI-")).map((u) => u.id),
      ...programs.filter((p) => p.name === untouchedProgram).map((p) => p.id),
    ];
    untouchedBefore = await untouched();
  }, 180_000);

  afterAll(async () => {
    await h?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  /** One update of the sequence, decided by the seed and its index alone (and the buttons seen so far). */
  function hostileUpdate(index: number): { actor: Actor; chat: number; what: string; send: () => Promise<{ update_id: number; callback_query_id?: string }> } {
    const random = mulberry32((seed ^ Math.imul(index + 1, 0x9e3779b1)) >>> 0);
    const actor = random() < 0.35 ? pick(random, members) : pick(random, strangers);
    const user = actor.user;
    const emu = h.emulator;
    const own = emu.messages(user.id).filter((m) => !m.deleted);
    const odd = () => pick(random, oddTexts)(random);
    const argument = () =>
      pick(random, [
        "",
        odd(),
        pick(random, secrets),
        String(pick(random, untouchedIds)),
        "pic",
        "kepala",
        "koordinator",
        "2022-01-01 2022-12-31",
        "31/02/2022",
        "pengingat 14,7,3",
        "jam 25",
        "en",
        "xx",
        "A".repeat(64),
      ]);
    const command = () => `/${pick(random, commands)}${random() < 0.15 ? `@${bot}` : ""}${random() < 0.6 ? ` ${argument()}` : ""}`;
    // Someone the bot never answered has nothing to press or reply to yet: a command instead.
    const roll = own.length > 0 ? random() : random() * 0.3;

    if (roll < 0.3) {
      const text = command();
      return { actor, chat: user.id, what: `text ${JSON.stringify(text.slice(0, 120))}`, send: () => emu.sendText(user, text) };
    }
    if (roll < 0.48) {
      const text = odd();
      return { actor, chat: user.id, what: `text ${JSON.stringify(text.slice(0, 120))}`, send: () => emu.sendText(user, text) };
    }
    if (roll < 0.68) {
      // A button: the person's own newest one (the flow going on), someone else's replayed on a
      // message of one's own, or a forged one.
      const withButtons = own.filter((m) => buttons(m).some((b) => b.callback_data));
      const target = withButtons.at(-1) ?? pick(random, own);
      const ownData = buttons(target)
        .map((b) => b.callback_data)
        .filter(Boolean);
      const foreign = pick(random, members).user.id;
      const foreignData = emu.messages(foreign).flatMap((m) =>
        buttons(m)
          .map((b) => b.callback_data)
          .filter(Boolean),
      );
      const style = random();
      let data: string;
      if (style < (actor.member ? 0.6 : 0.3) && ownData.length > 0) data = pick(random, ownData);
      else if (style < 0.7 && foreignData.length > 0) data = pick(random, foreignData);
      else {
        const base = ownData.length > 0 ? pick(random, ownData) : foreignData.length > 0 ? pick(random, foreignData) : "lp:AAAAAAAA:m:1";
        data = pick(random, [
          () => base.replace(/\d+$/, String(pick(random, untouchedIds))),
          () => base.replace(/\d+$/, String(between(random, 0, 10_000_000))),
          () => base.replace(/^(\w+):[\w-]+/, "$1:AAAAAAAA"),
          () => `${base}:${between(random, 0, 99)}`,
          () => `${pick(random, callbackPrefixes)}:${bytes(random, between(random, 1, 24)).toString("base64url")}`,
          () =>
            bytes(random, between(random, 1, 40))
              .toString("latin1")
              .slice(0, 64),
        ])();
      }
      return {
        actor,
        chat: user.id,
        what: `button ${JSON.stringify(data)} on #${target.message_id}`,
        send: async () => {
          const pressed = await emu.pressButton(user, target, data);
          if (!actor.member) strangerQueries.add(pressed.callback_query_id);
          return pressed;
        },
      };
    }
    if (roll < 0.78) {
      const caption = random() < 0.4 ? odd().slice(0, 1024) : undefined;
      if (random() < 0.3) {
        const content = random() < 0.5 ? TINY_PNG : bytes(random, between(random, 1, 4096));
        return {
          actor,
          chat: user.id,
          what: `photo of ${content.length} bytes`,
          send: () => emu.sendPhoto(user, { content, ...(caption ? { caption } : {}) }),
        };
      }
      const header = pick(random, [Buffer.alloc(0), Buffer.from("PK\u0003\u0004"), Buffer.from("%PDF-1.4\n"), Buffer.from('program,pemda,opd\n"')]);
      const content = Buffer.concat([header, bytes(random, between(random, 0, 8192))]);
      const fileName = pick(random, fileNames);
      const mimeType = pick(random, mimeTypes);
      return {
        actor,
        chat: user.id,
        what: `document ${fileName} (${mimeType}) of ${content.length} bytes`,
        send: () => emu.sendDocument(user, { fileName, mimeType, content, ...(caption ? { caption } : {}) }),
      };
    }
    if (roll < 0.9) {
      // Half of them to a reminder, when there is one (a focal point's usual way to report).
      const reminders = own.filter((m) => m.plainText?.includes("⏰"));
      const target = reminders.length > 0 && random() < 0.5 ? pick(random, reminders) : pick(random, own);
      const text = random() < 0.5 ? pick(random, ["60% draf SOP selesai", "sudah selesai", "terkendala anggaran", "100%", "0"]) : odd();
      if (random() < 0.2)
        return {
          actor,
          chat: user.id,
          what: `photo replying to #${target.message_id}`,
          send: () => emu.sendPhoto(user, { replyTo: target.message_id, caption: text.slice(0, 1024) }),
        };
      return {
        actor,
        chat: user.id,
        what: `reply to #${target.message_id}: ${JSON.stringify(text.slice(0, 120))}`,
        send: () => emu.sendText(user, text, { replyTo: target.message_id }),
      };
    }
    // Group noise: chatter (privacy mode keeps most of it from the bot), commands, replies to the bot.
    const group = actor.member ? pick(random, mixedGroups) : pick(random, [...strangerGroups, ...mixedGroups]);
    const inGroup = emu.messages(group.id).filter((m) => !m.deleted);
    const style = random();
    if (style < 0.35 && inGroup.length > 0) {
      const target = pick(random, inGroup);
      const text = odd();
      return {
        actor,
        chat: group.id,
        what: `group reply to #${target.message_id}: ${JSON.stringify(text.slice(0, 120))}`,
        send: () => emu.sendText(user, text, { chat: group, replyTo: target.message_id }),
      };
    }
    const text = style < 0.7 ? command() : odd();
    return { actor, chat: group.id, what: `group text ${JSON.stringify(text.slice(0, 120))}`, send: () => emu.sendText(user, text, { chat: group }) };
  }

  /** The update of the log that most likely caused the bot's message #n (0-based) in a chat. */
  const culprit = (chat: number, n: number) => [...log].reverse().find((s) => s.chat === chat && s.before <= n) ?? log.filter((s) => s.chat === chat).at(-1);
  const describeSent = (s: Sent | undefined) =>
    s ? `update #${s.index} (FUZZ_SEED=${seed}) from ${s.actor}: ${s.what}` : `(FUZZ_SEED=${seed}; no update of the fuzz)`;
  /** Waits until the bot has fetched every update and made no Bot API call (but polling) for two seconds. */
  const settle = async () => {
    await h.answered(90_000);
    const calls = () => h.emulator.calls().filter((c) => c.method !== "getUpdates").length;
    for (let seen = -1; seen !== calls();) {
      seen = calls();
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  };
  /** A predicate for the bot's messages in a chat after the ones already there (the fuzz left many unread). */
  const newer = (chat: number, predicate: (m: SentMessage) => boolean) => {
    const last = h.emulator.messages(chat).at(-1)?.message_id ?? 0;
    return (m: SentMessage) => m.message_id > last && predicate(m);
  };
  const shown = (m: SentMessage) => [m.text, m.caption, m.plainText, ...buttons(m).map((b) => b.text)].filter(Boolean).join("\n");

  it(`when ${updates} hostile updates arrive from strangers and members, then the bot answers them all and keeps going`, async () => {
    const failures: unknown[] = [];
    const recordFailure = (err: unknown) => failures.push(err);
    process.on("unhandledRejection", recordFailure);
    process.on("uncaughtException", recordFailure);
    const lastSent = new Map<number, number>();
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    let next = 0;
    const started = Date.now();
    let sentIn: number;
    try {
      await Promise.all(
        Array.from({ length: workers }, async () => {
          while (next < updates) {
            const index = next++;
            const update = hostileUpdate(index);
            // A realistic pace: one person or one group does not write faster than a person does.
            const gap = update.chat < 0 ? groupGapMs : personGapMs;
            for (;;) {
              const wait = Math.max((lastSent.get(update.actor.user.id) ?? 0) + personGapMs, (lastSent.get(update.chat) ?? 0) + gap) - Date.now();
              if (wait <= 0) break;
              await sleep(wait);
            }
            lastSent.set(update.actor.user.id, Date.now());
            lastSent.set(update.chat, Date.now());
            const sent: Sent = { index, actor: update.actor.user.id, chat: update.chat, what: update.what, before: h.emulator.messages(update.chat).length };
            log.push(sent);
            const { update_id } = await update.send();
            if (update_id === -1) continue;
            await h.emulator.handled(update_id, 90_000).catch((err: Error) => {
              throw new Error(`${describeSent(sent)} was not taken by the bot: ${err.message}`);
            });
          }
        }),
      );
      sentIn = (Date.now() - started) / 1000;
      await settle();
    } finally {
      process.off("unhandledRejection", recordFailure);
      process.off("uncaughtException", recordFailure);
    }
    const answeredIn = (Date.now() - started) / 1000;
    console.info(`fuzz on ${kind}: ${updates} updates sent in ${sentIn.toFixed(1)} s, all answered after ${answeredIn.toFixed(1)} s (FUZZ_SEED=${seed})`);
    expect(failures).toEqual([]);
    expect(log.length).toBe(updates);
    // The hostile mix reached the flows: forged and replayed buttons were refused as stale.
    const stale = [catalogue("id").access.staleButton, catalogue("en").access.staleButton];
    const refused = h.emulator.callbackAnswers().filter((a) => stale.includes(a.text ?? "")).length;
    console.info(`fuzz on ${kind}: ${refused} buttons refused as stale, ${await h.db.progressReport.count()} reports saved`);
    expect(refused).toBeGreaterThan(20);
  }, 600_000);

  it("then no stranger saw a unit, an initiative or a step, in a private chat, a group of strangers or a button's answer", async () => {
    const leaks: string[] = [];
    for (const chat of [...strangers.map((s) => s.user.id), ...strangerGroups.map((g) => g.id)]) {
      h.emulator.messages(chat).forEach((m, n) => {
        const text = shown(m);
        const secret = secrets.find((s) => text.includes(s));
        if (secret) leaks.push(`chat ${chat} saw "${secret}" in ${JSON.stringify(text.slice(0, 200))} after ${describeSent(culprit(chat, n))}`);
      });
    }
    for (const answer of h.emulator.callbackAnswers()) {
      const secret = secrets.find((s) => answer.text?.includes(s));
      if (strangerQueries.has(answer.callback_query_id) && secret) leaks.push(`a stranger's button was answered with "${secret}": ${answer.text}`);
    }
    expect(leaks).toEqual([]);
    // They were answered, though: how to join.
    expect(strangers.filter((s) => h.emulator.messages(s.user.id).length > 0).length).toBeGreaterThan(50);
  });

  it("then no message, edit or button answer shows undefined, NaN, [object Object] or an internal error, and no flood notice went to anyone", async () => {
    const bad: string[] = [];
    const chats = [...members, ...strangers].map((a) => a.user.id).concat([...strangerGroups, ...mixedGroups].map((g) => g.id));
    for (const chat of chats) {
      h.emulator.messages(chat).forEach((m, n) => {
        const text = shown(m);
        const leftover = [...internalLeftovers, ...floodNotices].find((l) => text.includes(l));
        if (leftover)
          bad.push(`chat ${chat} #${m.message_id} shows "${leftover}": ${JSON.stringify(text.slice(0, 300))} after ${describeSent(culprit(chat, n))}`);
      });
    }
    for (const answer of h.emulator.callbackAnswers()) {
      const leftover = [...internalLeftovers, ...floodNotices].find((l) => answer.text?.includes(l));
      if (leftover) bad.push(`a button was answered with "${leftover}": ${answer.text}`);
    }
    expect(bad).toEqual([]);
  });

  it("then no error-level line was logged for anything the users sent", () => {
    const errors = h.logs
      .map((line) => JSON.parse(line) as { level: number; msg: string; err?: { message?: string; stack?: string }; update?: number })
      .filter((line) => line.level >= 50)
      .map((line) => `${line.msg} (update ${line.update ?? "?"}): ${line.err?.stack ?? line.err?.message ?? ""}`.slice(0, 1500));
    expect(errors).toEqual([]);
  });

  it("then the program nobody in the test belongs to is exactly as it was", async () => {
    expect(await untouched()).toBe(untouchedBefore);
  });

  it("then a focal point still reports, a coordinator still gets the recap, a stranger still learns how to join, and a newcomer joins", async () => {
    // People who joined after the fuzz: the fuzzed members may have left their units (/keluar).
    const focal = person(9_000_997, "Penerus DISDIKPORA");
    await join(focal, await invite("--unit", "BABAR-DISDIKPORA"));
    await h.emulator.sendText(focal, "/batal");
    await h.answered(30_000);
    const afterFuzz = newer(focal.id, () => true);
    await h.emulator.sendText(focal, "/lapor");
    // Whichever step is still open after the fuzz, reported done (never a decrease, so no reason asked).
    const pick = await h.emulator.waitForMessage(focal.id, (m) => afterFuzz(m) && buttons(m).some((b) => b.callback_data?.startsWith("lp:")), 20_000);
    const step = buttons(pick)[0]!.callback_data;
    await h.emulator.pressButton(focal, pick, step);
    const percent = await h.emulator.waitForMessage(focal.id, (m) => buttons(m).some((b) => b.text === "100%"), 20_000);
    await h.emulator.pressButton(focal, percent, buttons(percent).find((b) => b.text === "100%")!.callback_data);
    const note = await h.emulator.waitForMessage(focal.id, (m) => buttons(m).some((b) => /Lewati|Skip/.test(b.text)), 20_000);
    await h.emulator.pressButton(focal, note, buttons(note).find((b) => /Lewati|Skip/.test(b.text))!.callback_data);
    const confirm = await h.emulator.waitForMessage(focal.id, (m) => buttons(m).some((b) => /Simpan|Save/.test(b.text)), 20_000);
    await h.emulator.pressButton(focal, confirm, buttons(confirm).find((b) => /Simpan|Save/.test(b.text))!.callback_data);
    expect((await h.emulator.waitForMessage(focal.id, (m) => /Tersimpan|Saved/.test(m.plainText ?? ""), 20_000)).plainText).toContain("100%");
    expect((await h.db.milestone.findUniqueOrThrow({ where: { id: Number(step.split(":").at(-1)) } })).progress).toBe(100);

    const coordinator = person(9_000_998, "Koordinator Baru");
    await join(coordinator, await invite("--role", "koordinator", "--program", "Replikasi Inovasi 2022 Kabupaten Bangka Barat"));
    const recap = newer(coordinator.id, (m) => /Rekap|Recap/.test(m.plainText ?? ""));
    const chart = newer(coordinator.id, (m) => m.photo === true);
    await h.emulator.sendText(coordinator, "/batal");
    await h.emulator.sendText(coordinator, "/rekap");
    const summary = await h.emulator.waitForMessage(coordinator.id, recap, 30_000);
    expect(summary.plainText).toContain("Dinas Pariwisata dan Kebudayaan");
    await h.emulator.pressButton(coordinator, summary, buttons(summary).find((b) => /Grafik|Chart/.test(b.text))!.callback_data);
    expect((await h.emulator.waitForMessage(coordinator.id, chart, 30_000)).photo).toBe(true);

    const stranger = strangers[1]!.user;
    const anonymous = newer(stranger.id, (m) => m.plainText?.includes("Pantau") ?? false);
    await h.emulator.sendText(stranger, "/start");
    expect((await h.emulator.waitForMessage(stranger.id, anonymous, 20_000)).plainText).toContain("undangan");

    await join(person(9_000_999, "Pendatang"), await invite("--unit", "BABAR-DISKOPUKMPERIN"));
  }, 120_000);

  it("when one person sends 300 messages within a minute, then one notice, a bounded number of answers, another person still answered, and the person again after slowing down", async () => {
    await h.restartBot({ TELEGRAM_RATE_LIMIT: "200", FLOOD_LIMIT_PER_MINUTE: "20" });
    const before = h.emulator.messages(flooder.id).length;
    const started = Date.now();
    for (let i = 0; i < 300; i++) await h.emulator.sendText(flooder, i % 10 === 0 ? "/tugas" : `halo ${i}`);
    await h.emulator.sendText(bystander, "/bantuan");
    const help = await h.emulator.waitForMessage(bystander.id, (m) => m.plainText?.includes("/lapor") ?? false, 60_000);
    expect(help.plainText).toContain("/tugas");
    await h.emulator.idle(60_000);
    const read = (Date.now() - started) / 1000;
    await settle();
    const answers = h.emulator.messages(flooder.id).slice(before);
    expect(answers.filter((m) => m.plainText === catalogue("id").flood.notice)).toHaveLength(1);
    // The bucket (20), one more for every three seconds the 300 took to arrive, and the notice.
    expect(answers.length).toBeGreaterThanOrEqual(21);
    expect(answers.length).toBeLessThanOrEqual(21 + Math.ceil(read / 3));

    // Back under the rate (one update every three seconds refills): answered again, no new notice.
    await new Promise((resolve) => setTimeout(resolve, 3500));
    const mark = h.emulator.messages(flooder.id).length;
    const tasks = newer(flooder.id, (m) => m.plainText?.includes("Tahapan terbuka") ?? false);
    await h.emulator.sendText(flooder, "/tugas");
    // Which steps are still open depends on what the fuzz reported; the unit's list comes back.
    expect((await h.emulator.waitForMessage(flooder.id, tasks, 30_000)).plainText).toContain("SIP Banget");
    await h.answered(30_000);
    expect(
      h.emulator
        .messages(flooder.id)
        .slice(mark)
        .some((m) => m.plainText === catalogue("id").flood.notice),
    ).toBe(false);
  }, 240_000);
});
