import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmuUser, SentMessage } from "../support/bot-api-emulator.js";
import { databaseKinds, examplePlan, Harness } from "../support/harness.js";
import { sumbar, sumbarCsv } from "../support/sumbar-plan.js";

// /rekap as a coordinator forwards it: text per unit and initiative, then a chart image, for
// one regency and for a province of nineteen regencies and cities.

const inviteCode = (stdout: string) => /start=([A-Za-z0-9_-]+)/.exec(stdout)?.[1] ?? "";

async function joinAsCoordinator(h: Harness, user: EmuUser, program?: string): Promise<void> {
  const invite = await h.cli("invite", "--role", "koordinator", ...(program ? ["--program", program] : []));
  expect(invite.code).toBe(0);
  await h.emulator.sendText(user, `/start ${inviteCode(invite.stdout)}`);
  await h.emulator.waitForMessage(user.id, (m) => !!m.plainText?.includes("Selamat bergabung"));
}

/** Sends /rekap and collects what came back: text messages, then the chart. */
async function rekap(h: Harness, user: EmuUser): Promise<{ texts: SentMessage[]; chart: PNG }> {
  const before = h.emulator.messages(user.id).length;
  await h.emulator.sendText(user, "/rekap");
  const photo = await h.emulator.waitForMessage(user.id, (m) => m.method === "sendPhoto", 15_000);
  const texts = h.emulator
    .messages(user.id)
    .slice(before)
    .filter((m) => m.method === "sendMessage");
  return { texts, chart: PNG.sync.read(photo.photoBytes!) };
}

describe.each(await databaseKinds())("/rekap on %s", (kind) => {
  let h: Harness;
  let dir: string;
  const budi: EmuUser = { id: 6501, first_name: "Budi", language_code: "id" };
  const yanti: EmuUser = { id: 6502, first_name: "Yanti", language_code: "id" };

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = mkdtempSync(path.join(tmpdir(), "pantau-sumbar-"));
    writeFileSync(path.join(dir, "sumbar.csv"), sumbarCsv());
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    const imported = await h.cli("import", path.join(dir, "sumbar.csv"));
    expect(imported.stderr).toBe("");
    expect(imported.stdout).toContain("19 pemda, 95 OPD, 95 inovasi, 380 tahapan");
    h.clock = new Date("2022-01-20T09:00:00+07:00");
    await h.startBot();
    await joinAsCoordinator(h, budi, "Replikasi Inovasi 2022 Kabupaten Bangka Barat");
    await joinAsCoordinator(h, yanti, sumbar.program);
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("when a regency's coordinator asks for the recap, then the text has a bar per unit and a chart image follows", async () => {
    const { texts, chart } = await rekap(h, budi);
    const text = texts.map((m) => m.plainText).join("\n");
    expect(text).toContain("Rekap Replikasi Inovasi 2022 Kabupaten Bangka Barat");
    expect(text).toMatch(/Dinas Pariwisata dan Kebudayaan\n[▓░]{10} \d+% {2}\(\d+ terlambat\)/);
    expect(text).not.toContain("Sumatera Barat");
    // One bar per unit (four units): a readable picture for a phone.
    expect(chart.width).toBe(1000);
    expect(chart.height).toBeGreaterThan(300);
    expect(chart.height).toBeLessThan(800);
    const photo = h.emulator.messages(budi.id).at(-1)!;
    expect(photo.caption).toContain("Grafik progres Replikasi Inovasi 2022 Kabupaten Bangka Barat");
  });

  it("when the province's coordinator asks, then every region is there, no message is over the limit, and the chart has a bar per region", async () => {
    // Kota Padang signed its five commitments.
    await h.db.milestone.updateMany({
      where: { title: "Penandatanganan komitmen replikasi", initiative: { unit: { region: { name: "Kota Padang" } } } },
      data: { progress: 100, status: "done" },
    });
    const { texts, chart } = await rekap(h, yanti);
    expect(texts.length).toBeGreaterThan(1);
    for (const m of texts) expect(m.plainText!.length).toBeLessThanOrEqual(4096);
    const text = texts.map((m) => m.plainText).join("\n");
    for (const region of sumbar.regions) expect(text).toContain(`🏛 ${region}`);
    expect(text.match(/Badan Kepegawaian dan Pengembangan Sumber Daya Manusia\n/g)).toHaveLength(19);
    expect(text).toContain("Total program: 1% · 185 tahapan terlambat");
    // 95 units: one bar per region (19), each row about 66 pixels high.
    expect(chart.height).toBeGreaterThan(19 * 60);
    expect(chart.height).toBeLessThan(19 * 80 + 250);
    // The bars are drawn: some pixels carry the bar colours, not only white and grey.
    let coloured = 0;
    for (let i = 0; i < chart.data.length; i += 4) if (chart.data[i]! > 200 && chart.data[i + 2]! < 60) coloured++;
    expect(coloured).toBeGreaterThan(0);
  });
});
