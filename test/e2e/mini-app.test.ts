import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PNG } from "pngjs";
import { type EmuChat, type EmuUser, type SentMessage } from "../support/bot-api-emulator.js";
import { browserAvailable, launchChromium, screenshotDir } from "../support/browser.js";
import { databaseKinds, examplePlan, Harness, has, press } from "../support/harness.js";
import { initDataFor } from "../support/init-data.js";
import { sumbar, sumbarCsv } from "../support/sumbar-plan.js";

// The coordinator's dashboard (a Telegram Mini App) in a real browser: Debian's Chromium driven by
// playwright-core, the page served by the real Pantau, its init data signed with the emulator's
// bot token as Telegram would sign it. The numbers must be /rekap's; forged, stale or foreign
// init data must get nothing.

const miniAppUrl = "https://pantau.example.go.id/app";
const bangkaBarat = "Replikasi Inovasi 2022 Kabupaten Bangka Barat";
const unit = "BABAR-DISKOPUKMPERIN";
/** A photo of 240×120 pixels, so the screenshots show it. */
const photo = (() => {
  const png = new PNG({ width: 240, height: 120 });
  for (let i = 0; i < png.data.length; i += 4) png.data.set([40 + ((i / 4) % 240) / 2, 120, 200, 255], i);
  return PNG.sync.write(png);
})();
const pdf = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");
const group: EmuChat = { id: -1001777000222, type: "supergroup", title: "Koordinasi Inovasi" };

const budi: EmuUser = { id: 8101, first_name: "Budi", language_code: "id" };
const yanti: EmuUser = { id: 8102, first_name: "Yanti", language_code: "id" };
const wulan: EmuUser = { id: 8103, first_name: "Wulan", language_code: "id" };
const stranger: EmuUser = { id: 8104, first_name: "Tamu", language_code: "en" };
const kepala: EmuUser = { id: 8105, first_name: "Rahmat", language_code: "id" };
const agus: EmuUser = { id: 8106, first_name: "Agus", language_code: "id" };
const dedi: EmuUser = { id: 8107, first_name: "Dedi", language_code: "id" };
const sari: EmuUser = { id: 8108, first_name: "Sari", language_code: "id" };
const rina: EmuUser = { id: 8109, first_name: "Rina", language_code: "id" };
const tono: EmuUser = { id: 8110, first_name: "Tono", language_code: "id" };

const light = {
  bg_color: "#ffffff",
  text_color: "#000000",
  hint_color: "#707579",
  link_color: "#3390ec",
  button_color: "#3390ec",
  button_text_color: "#ffffff",
  secondary_bg_color: "#f4f4f5",
};
const dark = {
  bg_color: "#212121",
  text_color: "#ffffff",
  hint_color: "#aaaaaa",
  link_color: "#8774e1",
  button_color: "#8774e1",
  button_text_color: "#ffffff",
  secondary_bg_color: "#181818",
};

const codeOf = (stdout: string) => /start=([\w-]+)/.exec(stdout)?.[1] ?? "";
const inlineButtons = (m: SentMessage) => (m.reply_markup?.inline_keyboard ?? []).flat() as unknown as Record<string, unknown>[];

/** What a /rekap summary states: total progress, units, overdue steps, units per state. */
function recapNumbers(text: string) {
  const total = /(\d+)%\s·\s(\d+) unit(?: di (\d+) pemda)? · (\d+) tahapan terlambat/.exec(text);
  const counts = /🟢 (\d+) sesuai jadwal · 🔴 (\d+) terlambat · ⛔ (\d+) terkendala · 🔕 (\d+) tanpa kabar/.exec(text);
  if (!total || !counts) throw new Error(`no recap numbers in: ${text}`);
  return {
    progress: Number(total[1]),
    units: Number(total[2]),
    overdue: Number(total[4]),
    counts: { on_track: Number(counts[1]), late: Number(counts[2]), blocked: Number(counts[3]), silent: Number(counts[4]) },
  };
}

/** How wide the page is laid out (more than the viewport: it scrolls sideways). */
const scrollWidth = (page: Page) => page.evaluate<number>("document.documentElement.scrollWidth");

/** Contrast ratio of two CSS rgb() colours (WCAG). */
function contrast(a: string, b: string): number {
  const lum = (css: string) => {
    const [r, g, bl] = (css.match(/\d+(\.\d+)?/g) ?? []).slice(0, 3).map((v) => {
      const c = Number(v) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * bl!;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi! + 0.05) / (lo! + 0.05);
}

describe.runIf(browserAvailable()).each(await databaseKinds())("the dashboard (Mini App) on %s", (kind) => {
  let h: Harness;
  let browser: Browser;
  let dir: string;
  let base: string;
  const pageErrors: string[] = [];

  /** Sends a command and returns everything the bot answered to it. */
  async function ask(user: EmuUser, text: string): Promise<SentMessage[]> {
    await h.answered();
    const before = h.emulator.messages(user.id).length;
    await h.emulator.sendText(user, text);
    await h.emulator.waitForMessage(user.id, undefined, 15_000);
    await h.answered();
    return h.emulator.messages(user.id).slice(before);
  }

  async function join(user: EmuUser, ...args: string[]): Promise<void> {
    const invite = await h.cli("invite", ...args);
    expect(invite.code).toBe(0);
    await h.emulator.sendText(user, `/start ${codeOf(invite.stdout)}`);
    await h.emulator.waitForMessage(user.id, has("Selamat bergabung"));
  }

  /** The launch URL Telegram opens: the page with the init data and theme in its hash. */
  const launchUrl = (initData: string, theme: Record<string, string> = light) =>
    `${base}/app/#tgWebAppData=${encodeURIComponent(initData)}&tgWebAppVersion=7.10&tgWebAppPlatform=android&tgWebAppThemeParams=${encodeURIComponent(JSON.stringify(theme))}`;

  const signed = (user: EmuUser, at = h.clock) => initDataFor(user, at, h.emulator.token);

  /** A page at 360×640 whose script errors are collected (`prepare` runs before it is opened). */
  async function newPage(prepare?: (page: Page) => Promise<void>): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 360, height: 640 } });
    // A script error fails the test where it happens, not as a missing element later.
    pageErrors.length = 0;
    page.on("pageerror", (err) => pageErrors.push(err.message));
    await prepare?.(page);
    return page;
  }

  /** Opens the dashboard at 360×640 and waits until it shows the program or why not. */
  async function open(initData: string, theme: Record<string, string> = light, prepare?: (page: Page) => Promise<void>): Promise<Page> {
    const page = await newPage(prepare);
    await page.goto(launchUrl(initData, theme));
    await page.waitForSelector("#total, #refusal", { timeout: 15_000 });
    expect(pageErrors).toEqual([]);
    return page;
  }

  const api = (pathname: string, initData: string | null, body: unknown = {}) =>
    fetch(`${base}/app/api/${pathname}`, {
      method: "POST",
      headers: { ...(initData === null ? {} : { authorization: `tma ${initData}` }), "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  beforeAll(async () => {
    h = await Harness.create(kind);
    dir = mkdtempSync(path.join(tmpdir(), "pantau-miniapp-"));
    writeFileSync(path.join(dir, "sumbar.csv"), sumbarCsv());
    expect((await h.cli("import", examplePlan)).code).toBe(0);
    expect((await h.cli("import", path.join(dir, "sumbar.csv"))).code).toBe(0);
    await h.startBot({ MINIAPP_URL: miniAppUrl });
    base = `http://127.0.0.1:${h.http.port}`;
    await join(budi, "--role", "koordinator", "--program", bangkaBarat);
    await join(yanti, "--role", "koordinator", "--program", sumbar.program);
    await join(wulan, "--unit", unit);
    // Sumatera Barat: Kota Padang's Dinas Kesehatan has done its first two steps.
    await h.db.milestone.updateMany({
      where: { initiative: { unit: { name: "Dinas Kesehatan", region: { name: "Kota Padang" } } }, title: { in: [sumbar.steps[0][0], sumbar.steps[1][0]] } },
      data: { progress: 100, status: "done", lastReportAt: new Date("2022-01-10T10:00:00+07:00") },
    });

    // Wulan reports on a step with a note, a photo and a PDF.
    await h.emulator.sendText(wulan, "/lapor");
    const pick = await h.emulator.waitForMessage(wulan.id, has("Tahapan mana"));
    await h.emulator.pressButton(wulan, pick, press("Studi tiru ke Yogyakarta")(pick));
    const percent = await h.emulator.waitForMessage(wulan.id, has("Progres terakhir"));
    await h.emulator.pressButton(wulan, percent, press("50%")(percent));
    await h.emulator.waitForMessage(wulan.id, has("catatan"));
    await h.emulator.sendText(wulan, "Jadwal studi tiru disepakati <b>bersama</b> Dinas Koperasi DIY");
    await h.emulator.waitForMessage(wulan.id, has("Simpan?"));
    await h.emulator.sendPhoto(wulan, { content: photo });
    await h.emulator.sendDocument(wulan, { fileName: "undangan-studi-tiru.pdf", mimeType: "application/pdf", content: pdf });
    const last = await h.emulator.waitForMessage(wulan.id, has("Bukti dukung: 2 berkas"));
    await h.emulator.pressButton(wulan, last, press("Simpan")(last));
    await h.emulator.waitForMessage(wulan.id, has("Tersimpan"));
    await h.answered();

    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await h?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("when a coordinator asks /rekap in the private chat, then a Web App button opens the dashboard, and the chat's menu button does too", async () => {
    const answer = await ask(budi, "/rekap");
    const webApp = inlineButtons(answer.at(-1)!).find((b) => b.web_app);
    expect(webApp).toMatchObject({ text: "🖥 Buka dasbor", web_app: { url: `${miniAppUrl}/` } });
    expect(h.emulator.menuButtonFor(budi.id)).toEqual({ type: "web_app", text: "Dasbor", web_app: { url: `${miniAppUrl}/` } });
    // A focal point has no dashboard: their menu button stays Telegram's own.
    expect(h.emulator.menuButtonFor(wulan.id)).toEqual({ type: "default" });
  });

  it("when /rekap is asked in a group, then the button opens the private chat (Web App buttons work only there)", async () => {
    await h.emulator.addBotToGroup(budi, group);
    await h.emulator.sendText(budi, "/rekap", { chat: group });
    const answer = await h.emulator.waitForMessage(group.id, has("Rekap"), 15_000);
    const buttons = inlineButtons(answer);
    expect(buttons.some((b) => b.web_app)).toBe(false);
    expect(buttons.find((b) => b.url)).toMatchObject({ text: "🖥 Dasbor (di chat pribadi)", url: `https://t.me/${h.emulator.botUsername}?start=rekap` });
    await h.answered();
  });

  it("when a coordinator opens the dashboard, then its numbers are /rekap's, nothing of another program shows, and it is private", async () => {
    for (const [user, program, other] of [
      [budi, bangkaBarat, sumbar.program],
      [yanti, sumbar.program, bangkaBarat],
    ] as const) {
      const recap = recapNumbers((await ask(user, "/rekap"))[0]!.plainText!);
      const page = await open(signed(user));
      expect(await page.textContent("#program")).toBe(program);
      const total = page.locator("#total");
      expect(Number(await total.getAttribute("data-progress"))).toBe(recap.progress);
      expect(Number(await total.getAttribute("data-overdue"))).toBe(recap.overdue);
      for (const [state, count] of Object.entries(recap.counts)) {
        expect(Number(await page.getAttribute(`#total [data-state=${state}]`, "data-count")), state).toBe(count);
      }
      expect(await page.locator(".unit").count()).toBe(recap.units);
      expect(await page.content()).not.toContain(other);
      // 360 px wide: nothing scrolls sideways, even with every unit open.
      for (const card of await page.locator(".unit").all()) await card.evaluate((el) => el.setAttribute("open", ""));
      expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
      await page.close();
    }
    const answer = await api("dashboard", signed(budi));
    expect(answer.status).toBe(200);
    expect(answer.headers.get("cache-control")).toBe("no-store");
  });

  it("when a region's coordinator also heads a unit in another region of the program, then the dashboard's numbers are still their /rekap's", async () => {
    await join(dedi, "--role", "koordinator", "--program", sumbar.program, "--region", "Kota Padang");
    const agam = await h.db.unit.findFirstOrThrow({ where: { region: { name: "Kabupaten Agam" } }, orderBy: { id: "asc" } });
    const invite = await h.cli("invite", "--unit", agam.code, "--role", "kepala");
    await h.emulator.sendText(dedi, `/start ${codeOf(invite.stdout)}`);
    await h.emulator.waitForMessage(dedi.id, has("kepala unit"));
    const recap = recapNumbers((await ask(dedi, "/rekap"))[0]!.plainText!);
    expect(recap.units).toBe(5);
    const page = await open(signed(dedi));
    const total = page.locator("#total");
    expect(Number(await total.getAttribute("data-progress"))).toBe(recap.progress);
    expect(Number(await total.getAttribute("data-overdue"))).toBe(recap.overdue);
    expect(await page.locator(".unit").count()).toBe(recap.units);
    expect(await page.content()).not.toContain("Kabupaten Agam");
    await page.close();

    // Both seats removed: the menu button is Telegram's own again at their next /start.
    expect(h.emulator.menuButtonFor(dedi.id)).toMatchObject({ type: "web_app" });
    expect((await h.cli("remove", "--person", String(dedi.id), "--role", "koordinator", "--program", sumbar.program)).code).toBe(0);
    expect((await h.cli("remove", "--person", String(dedi.id), "--role", "kepala", "--unit", agam.code)).code).toBe(0);
    await ask(dedi, "/start");
    expect(h.emulator.menuButtonFor(dedi.id)).toEqual({ type: "default" });
  });

  it("when a province's coordinator opens it, then units are grouped by region with a bar per region, and the filters narrow them", async () => {
    const page = await open(signed(yanti));
    await page.screenshot({ path: path.join(screenshotDir, "miniapp-province-light.png") });
    expect(await page.locator("#regions .region").count()).toBe(19);
    expect(await page.locator("#units h2").allTextContents()).toEqual([...sumbar.regions]);
    expect(await page.textContent("#shown")).toBe("95 dari 95 unit");
    await page.click("summary:has-text('Saring dan urutkan')");
    await page.selectOption("#f-region", { label: "Kota Padang" });
    expect(await page.textContent("#shown")).toBe("5 dari 95 unit");
    await page.fill("#f-query", "kesehatan");
    expect(await page.textContent("#shown")).toBe("1 dari 95 unit");
    expect(await page.locator(".unit h3").allTextContents()).toEqual(["Dinas Kesehatan"]);
    await page.fill("#f-query", "");
    await page.selectOption("#f-region", "");
    // Every unit but Kota Padang's Dinas Kesehatan has steps overdue; none is blocked.
    await page.check("#f-overdue");
    expect(await page.textContent("#shown")).toBe("94 dari 95 unit");
    await page.check("#f-blocked");
    expect(await page.textContent("#shown")).toBe("0 dari 95 unit");
    await page.uncheck("#f-blocked");
    await page.uncheck("#f-overdue");
    await page.fill("#f-silent", "7");
    expect(await page.textContent("#shown")).toBe("94 dari 95 unit");
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(screenshotDir, "miniapp-filters-light.png") });
    await page.close();
  });

  it("when a step is opened, then its reports show with note, reporter and date, the photo shown and the PDF downloaded through Pantau", async () => {
    const seen: string[] = [];
    const page = await open(signed(budi));
    page.on(
      "response",
      (res) =>
        void res.body().then(
          (b) => seen.push(b.toString("latin1")),
          () => undefined,
        ),
    );
    page.on("request", (req) => seen.push(req.url()));
    const card = page.locator(".unit", { hasText: "Dinas Koperasi" });
    await card.locator("summary").click();
    // Focal points and whether they blocked the bot, as /jangkauan knows them.
    expect(await card.textContent()).toContain("PIC: Wulan");
    await page.screenshot({ path: path.join(screenshotDir, "miniapp-unit-light.png"), fullPage: true });
    await card.getByRole("button", { name: "Studi tiru ke Yogyakarta" }).click();
    await page.waitForSelector("#step");
    const report = page.locator(".report");
    expect(await report.count()).toBe(1);
    const text = (await report.textContent())!;
    expect(text).toContain("Jadwal studi tiru disepakati <b>bersama</b> Dinas Koperasi DIY");
    expect(text).toContain("Wulan");
    expect(text).toContain("Sel, 11 Jan 2022");
    // The photo as the browser decoded it (its natural size), not the file's bytes: it is shown.
    const shown = page.locator(".report img.photo");
    await expect.poll(() => shown.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(240);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /undangan-studi-tiru\.pdf/ }).click()]);
    expect(download.suggestedFilename()).toBe("undangan-studi-tiru.pdf");
    const saved = path.join(dir, "downloaded.pdf");
    await download.saveAs(saved);
    expect((await import("node:fs")).readFileSync(saved)).toEqual(pdf);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(screenshotDir, "miniapp-step-light.png"), fullPage: true });
    // The bot token reached neither the browser nor the logs.
    const token = h.emulator.token;
    expect(seen.length).toBeGreaterThan(3);
    expect(seen.filter((s) => s.includes(token))).toEqual([]);
    expect(h.logs.filter((l) => l.includes(token.split(":")[1]!))).toEqual([]);
    await page.close();
    // Each read of the notes and the file is in the audit trail, as /riwayat's are.
    const reads = await h.db.auditLog.findMany({ where: { action: { in: ["history.read", "evidence.read"] }, actorTelegramId: BigInt(budi.id) } });
    expect(reads.map((r) => r.action).sort()).toEqual(["evidence.read", "evidence.read", "history.read"]);
  });

  it("when a focal point blocked the bot and an invite waits unopened, then the coordinator's unit cards say so, as /jangkauan would", async () => {
    await join(agus, "--unit", "BABAR-DISPARBUD");
    await h.emulator.blockBot(agus);
    expect((await h.cli("invite", "--unit", "BABAR-DISTANPANGAN")).code).toBe(0);
    await h.answered();
    const page = await open(signed(budi));
    const card = (name: string) => page.locator(".unit", { hasText: name }).locator("p.facts").allTextContents();
    expect(await card("Dinas Pariwisata dan Kebudayaan")).toContain("PIC: Agus (memblokir bot)");
    expect(await card("Dinas Pertanian dan Pangan")).toContain("Belum ada PIC · 1 undangan PIC belum dibuka");
    expect(await card("Dinas Koperasi")).toContain("Laporan terakhir 11 Jan 2022");
    // Sorted by lowest progress first: Dinas Koperasi (10%) comes last.
    await page.click("summary:has-text('Saring dan urutkan')");
    await page.selectOption("#f-sort", "progress");
    expect((await page.locator(".unit h3").allTextContents()).at(-1)).toBe("Dinas Koperasi, UKM dan Perindustrian");
    await page.close();
  });

  it("when a head of unit opens it, then they see their unit alone, without the coordinator's reach, and their menu button opens it", async () => {
    await join(kepala, "--unit", unit, "--role", "kepala");
    await h.answered();
    expect(h.emulator.menuButtonFor(kepala.id)).toMatchObject({ type: "web_app", web_app: { url: `${miniAppUrl}/` } });
    const answer = await api("dashboard", signed(kepala));
    const body = (await answer.json()) as { programs: { name: string; units: { code: string; reach: unknown }[] }[] };
    expect(body.programs.map((p) => p.name)).toEqual([bangkaBarat]);
    expect(body.programs[0]!.units.map((u) => [u.code, u.reach])).toEqual([[unit, null]]);

    // In English once they chose it in the bot: the page's words and its dates.
    await ask(kepala, "/bahasa en");
    const page = await open(signed(kepala));
    expect(await page.title()).toBe("Pantau dashboard");
    expect(await page.textContent("#total")).toContain("units: 1 · overdue steps: 0");
    expect(await page.textContent("#program + p")).toBe("As of Tuesday, 11 January 2022");
    await page.close();
  });

  it("when the page itself is asked for, then it is served with a strict content policy, and /app leads to /app/ (its links are relative)", async () => {
    const page = await fetch(`${base}/app/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(page.headers.get("content-security-policy")).toContain("connect-src 'self'");
    expect(await page.text()).not.toMatch(/https?:\/\//);
    const bare = await fetch(`${base}/app`, { redirect: "manual" });
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe("app/");
  });

  it("when init data is tampered with, stale, from the future or missing, then the page shows nothing of the program and the API answers 401", async () => {
    const good = new URLSearchParams(signed(budi));
    const tamperedHash = new URLSearchParams(good);
    tamperedHash.set("hash", `${good.get("hash")!.slice(0, -1)}${good.get("hash")!.endsWith("0") ? "1" : "0"}`);
    const otherUser = new URLSearchParams(good);
    otherUser.set("user", JSON.stringify({ id: yanti.id, first_name: "Yanti" }));
    const stale = signed(budi, new Date(h.clock.getTime() - 3601_000));
    const future = signed(budi, new Date(h.clock.getTime() + 10 * 60_000));
    for (const bad of [tamperedHash.toString(), otherUser.toString(), stale, future]) {
      const page = await open(bad);
      expect(await page.getAttribute("#refusal", "data-reason")).toBe("unauthorized");
      expect(await page.textContent("body")).not.toContain(bangkaBarat);
      expect(await page.textContent("body")).not.toContain(sumbar.program);
      await page.close();
      for (const route of ["dashboard", "step", "file"]) {
        const answer = await api(route, bad, { step: 1, report: 1, file: 0 });
        expect(answer.status, route).toBe(401);
        expect(await answer.json()).toEqual({ error: "unauthorized" });
      }
    }
    const missing = await api("dashboard", null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: "unauthorized" });
    // A step of another program, asked for by its number, is not found.
    const sumbarStep = await h.db.milestone.findFirstOrThrow({ where: { initiative: { program: { name: sumbar.program } } } });
    const foreign = await api("step", signed(budi), { step: sumbarStep.id });
    expect(foreign.status).toBe(404);
    expect(await foreign.json()).toEqual({ error: "not_found" });
  });

  it("when a Telegram user Pantau does not know opens it, then they get a polite 'not registered' in their language; a focal point is pointed to /tugas", async () => {
    const page = await open(signed(stranger));
    expect(await page.getAttribute("#refusal", "data-reason")).toBe("notRegistered");
    expect(await page.textContent("#refusal")).toContain("You are not registered in Pantau yet");
    await page.close();
    const answer = await api("dashboard", signed(stranger));
    expect(answer.status).toBe(403);
    expect(await answer.json()).toEqual({ error: "not_registered", lang: "en" });

    const focal = await open(signed(wulan));
    expect(await focal.textContent("#refusal")).toContain("/tugas");
    await focal.close();
  });

  it("when Telegram's theme is dark, then text stays readable on its background, at 360 px without sideways scroll", async () => {
    const page = await open(signed(yanti), dark);
    const colours = await page.evaluate<Record<"text" | "bg" | "card" | "hint", string>>(`(() => {
      const body = getComputedStyle(document.body);
      const card = getComputedStyle(document.querySelector(".unit"));
      const hint = getComputedStyle(document.querySelector(".unit .facts"));
      return { text: body.color, bg: body.backgroundColor, card: card.backgroundColor, hint: hint.color };
    })()`);
    expect(colours.bg).toBe("rgb(33, 33, 33)");
    expect(contrast(colours.text, colours.bg)).toBeGreaterThanOrEqual(7);
    expect(contrast(colours.text, colours.card)).toBeGreaterThanOrEqual(7);
    expect(contrast(colours.hint, colours.card)).toBeGreaterThanOrEqual(4.5);
    expect(await scrollWidth(page)).toBeLessThanOrEqual(360);
    await page.screenshot({ path: path.join(screenshotDir, "miniapp-province-dark.png") });
    // Back to day mode while it is open: Telegram's app tells the page, which follows.
    await page.evaluate(`window.Telegram.WebView.receiveEvent("theme_changed", { theme_params: ${JSON.stringify(light)} })`);
    const day = await page.evaluate<Record<"text" | "bg", string>>(
      "(() => { const s = getComputedStyle(document.body); return { text: s.color, bg: s.backgroundColor }; })()",
    );
    expect(day).toEqual({ text: "rgb(0, 0, 0)", bg: "rgb(255, 255, 255)" });
    await page.close();

    const step = await open(signed(budi), dark);
    await step.locator(".unit", { hasText: "Dinas Koperasi" }).locator("summary").click();
    await step.getByRole("button", { name: "Studi tiru ke Yogyakarta" }).click();
    await step.waitForSelector("#step");
    await step.screenshot({ path: path.join(screenshotDir, "miniapp-step-dark.png"), fullPage: true });
    await step.close();
  });

  it("when one person's script hammers file downloads, then the API answers 429 with Retry-After before reading anything, while a coordinator's own pace never meets it", async () => {
    await join(sari, "--role", "koordinator", "--program", bangkaBarat);
    const initData = signed(sari);
    // A coordinator's busy minute: the dashboard, 30 steps opened one after another, their files.
    expect((await api("dashboard", initData)).status).toBe(200);
    const steps = await h.db.milestone.findMany({ where: { initiative: { program: { name: bangkaBarat } } }, orderBy: { id: "asc" } });
    for (let i = 0; i < 30; i++) expect((await api("step", initData, { step: steps[i % steps.length]!.id })).status).toBe(200);
    const report = await h.db.progressReport.findFirstOrThrow({ where: { evidence: { some: {} }, milestone: { title: "Studi tiru ke Yogyakarta" } } });
    for (const file of [0, 1]) expect((await api("file", initData, { report: report.id, file })).status).toBe(200);

    // A loop downloading the same file 200 times as fast as it can.
    const answers = await Promise.all(
      Array.from({ length: 200 }, () =>
        api("file", initData, { report: report.id, file: 0 }).then(async (res) => ({
          status: res.status,
          headers: res.headers,
          body: Buffer.from(await res.arrayBuffer()),
        })),
      ),
    );
    const served = answers.filter((a) => a.status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(served.length + refused.length).toBe(200);
    expect(refused.length).toBeGreaterThan(50);
    for (const answer of refused) {
      expect(Number(answer.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
      expect(answer.headers.get("cache-control")).toBe("no-store");
      expect(JSON.parse(answer.body.toString("utf8"))).toEqual({ error: "too_many_requests" });
    }
    // What was refused was not read: the audit trail holds the files served, and no more.
    const reads = await h.db.auditLog.count({ where: { action: "evidence.read", actorTelegramId: BigInt(sari.id) } });
    expect(reads).toBe(2 + served.length);
    // Someone else is not slowed down, and once the wait asked for is over the person is served again.
    expect((await api("file", signed(budi), { report: report.id, file: 0 })).status).toBe(200);
    h.wallShiftMs = Number(refused.at(-1)!.headers.get("retry-after")) * 1000;
    try {
      expect((await api("file", initData, { report: report.id, file: 0 })).status).toBe(200);
    } finally {
      h.wallShiftMs = 0;
    }
  });

  it("when the API asks the page to wait, then it says so in the person's language and carries on by itself once allowed", async () => {
    await join(rina, "--role", "koordinator", "--program", bangkaBarat);
    for (const [user, words] of [
      [rina, "Terlalu banyak permintaan"],
      [{ ...rina, language_code: "en" }, "Too many requests"],
    ] as const) {
      const initData = signed(user);
      // Just before the page asks for its data, the person's allowance is used up (as a script of theirs would).
      const page = await newPage(async (p) => {
        let drained = false;
        await p.route("**/app/api/dashboard", async (route) => {
          if (!drained) {
            drained = true;
            for (let i = 0; i < 500 && (await api("step", initData, { step: 2 ** 31 - 1 })).status !== 429; i++);
          }
          await route.continue();
        });
      });
      await page.goto(launchUrl(initData));
      await page.waitForSelector("#busy", { timeout: 15_000 });
      expect(await page.textContent("#busy")).toContain(words);
      await page.waitForSelector("#total", { timeout: 15_000 });
      expect(await page.locator("#busy").count()).toBe(0);
      expect(pageErrors).toEqual([]);
      await page.close();
    }
  });

  it("when a coordinator's seat is removed or their session expires while the page is open, then it says so, apart from a network failure", async () => {
    await join(tono, "--role", "koordinator", "--program", bangkaBarat);
    const stepButton = (page: Page) => page.locator(".unit", { hasText: "Dinas Koperasi" }).getByRole("button", { name: "Studi tiru ke Yogyakarta" });
    const openCard = (page: Page) => page.locator(".unit", { hasText: "Dinas Koperasi" }).locator("summary").click();

    // The network drops: a passing failure, with the way back.
    const offline = await open(signed(tono));
    await openCard(offline);
    await offline.route("**/app/api/step", (route) => route.abort());
    await stepButton(offline).click();
    await offline.waitForSelector("text=tidak bisa dimuat");
    expect(await offline.locator("#refusal").count()).toBe(0);
    expect(await offline.getByRole("button", { name: "← Kembali" }).count()).toBe(1);
    await offline.close();

    // An hour later the page's sign-in has expired: reopen it from the bot (in English for someone reading English).
    await ask(tono, "/bahasa en");
    const late = await open(signed(tono));
    await openCard(late);
    const opened = h.clock;
    h.clock = new Date(opened.getTime() + 3601_000);
    try {
      await stepButton(late).click();
      await late.waitForSelector("#refusal", { timeout: 10_000 });
      expect(await late.getAttribute("#refusal", "data-reason")).toBe("expired");
      expect(await late.textContent("#refusal")).toContain("open it again from the bot");
    } finally {
      h.clock = opened;
    }
    await late.close();
    await ask(tono, "/bahasa id");

    // The seat is removed while a step is open: the download is refused, and the page says why and shows the program no more.
    const removed = await open(signed(tono));
    await openCard(removed);
    await stepButton(removed).click();
    await removed.waitForSelector("#step");
    expect((await h.cli("remove", "--person", String(tono.id), "--role", "koordinator", "--program", bangkaBarat)).code).toBe(0);
    await removed.getByRole("button", { name: /undangan-studi-tiru\.pdf/ }).click();
    await removed.waitForSelector("#refusal", { timeout: 10_000 });
    expect(await removed.getAttribute("#refusal", "data-reason")).toBe("accessLost");
    expect(await removed.textContent("#refusal")).toContain("tidak lagi memiliki akses");
    expect(await removed.textContent("body")).not.toContain(bangkaBarat);
    expect(await removed.textContent("body")).not.toContain("Studi tiru");
    expect(pageErrors).toEqual([]);
    await removed.close();

    // Removed before opening a step: the same.
    await join(tono, "--role", "koordinator", "--program", bangkaBarat);
    const again = await open(signed(tono));
    await openCard(again);
    expect((await h.cli("remove", "--person", String(tono.id), "--role", "koordinator", "--program", bangkaBarat)).code).toBe(0);
    await stepButton(again).click();
    await again.waitForSelector("#refusal", { timeout: 10_000 });
    expect(await again.getAttribute("#refusal", "data-reason")).toBe("accessLost");
    await again.close();
  }, 90_000);

  it("when a coordinator browses step after step, then the files each step fetched are released as it closes, and a download's once it started", async () => {
    // Every blob: URL the page makes and releases, counted in the page.
    const countUrls = async (page: Page) => {
      await page.addInitScript(`(() => {
        const live = new Set();
        const create = URL.createObjectURL.bind(URL);
        const revoke = URL.revokeObjectURL.bind(URL);
        URL.createObjectURL = (blob) => {
          const url = create(blob);
          live.add(url);
          return url;
        };
        URL.revokeObjectURL = (url) => {
          live.delete(url);
          revoke(url);
        };
        window.liveUrls = () => live.size;
      })()`);
    };
    const liveUrls = (page: Page) => page.evaluate<number>("window.liveUrls()");
    const page = await open(signed(budi), light, countUrls);
    const card = page.locator(".unit", { hasText: "Dinas Koperasi" });
    const photoShown = () => page.locator(".report img.photo").evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth);
    for (let round = 0; round < 5; round++) {
      await card.locator("summary").click();
      await card.getByRole("button", { name: "Studi tiru ke Yogyakarta" }).click();
      await page.waitForSelector("#step");
      await expect.poll(photoShown).toBe(240);
      expect(await liveUrls(page)).toBe(1);
      if (round === 0) {
        const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: /undangan-studi-tiru\.pdf/ }).click()]);
        expect(download.suggestedFilename()).toBe("undangan-studi-tiru.pdf");
        // The download's link is let go once it started; the photo's stays while it is shown.
        await expect.poll(() => liveUrls(page), { timeout: 15_000 }).toBe(1);
      }
      await page.getByRole("button", { name: "← Kembali" }).click();
      await page.waitForSelector("#total");
      expect(await liveUrls(page)).toBe(0);
    }

    // Closed before its photo arrived: the photo that comes late is not kept either.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route("**/app/api/file", async (route) => {
      await held;
      await route.continue().catch(() => undefined);
    });
    await card.locator("summary").click();
    await card.getByRole("button", { name: "Studi tiru ke Yogyakarta" }).click();
    await page.waitForSelector("#step");
    await page.getByRole("button", { name: "← Kembali" }).click();
    await page.waitForSelector("#total");
    release();
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(await liveUrls(page)).toBe(0);
    expect(pageErrors).toEqual([]);
    await page.close();
  }, 60_000);

  it("when MINIAPP_URL is not set, then /rekap shows no dashboard button and /app is not served", async () => {
    await h.restartBot({});
    const answer = await ask(budi, "/rekap");
    expect(answer.flatMap(inlineButtons).some((b) => b.web_app || String(b.url ?? "").includes("start=rekap"))).toBe(false);
    const page = await fetch(`http://127.0.0.1:${h.http.port}/app/`);
    expect(page.status).toBe(404);
  });
});
