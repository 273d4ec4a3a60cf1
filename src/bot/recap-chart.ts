import { createRequire } from "node:module";
import { PassThrough } from "node:stream";
import type * as PImage from "pureimage";
import type { Catalogue } from "../i18n/index.js";
import type { ProgramRecap } from "../services/recap.js";

// The recap as a picture a coordinator can forward to their leadership: one bar per unit, or
// per region for a program over many units, drawn with pureimage (pure JavaScript, so nothing
// to download or compile at install) in DejaVu Sans (shipped as an npm package, so the
// picture has its letters on a server without fonts). Both are loaded with the first chart:
// a bot whose coordinators never ask for /rekap does not hold them.

const width = 1000;
const margin = 40;
const barWidth = 660;
const rowHeight = 66;
const top = 120;
/** More units than this: one bar per region instead. */
const maxUnitBars = 24;

const family = "DejaVu Sans";
let renderer: Promise<typeof PImage> | undefined;
function loadRenderer(): Promise<typeof PImage> {
  renderer ??= import("pureimage").then((pureimage) => {
    const require = createRequire(import.meta.url);
    pureimage.registerFont(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"), family).loadSync();
    pureimage.registerFont(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf"), `${family} Bold`).loadSync();
    return pureimage;
  });
  return renderer;
}

interface Bar {
  label: string;
  progress: number;
  overdue: number;
}

/** Shortens a label to fit `max` pixels at the context's current font. */
function fit(ctx: PImage.Context, text: string, max: number): string {
  if (ctx.measureText(text).width <= max) return text;
  let cut = text;
  while (cut.length > 1 && ctx.measureText(`${cut}…`).width > max) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** A PNG bar chart of a program's recap, labelled from the catalogue. */
export async function recapChart(program: ProgramRecap, t: Catalogue, date: string): Promise<Buffer> {
  const pureimage = await loadRenderer();
  const byRegion = program.units.length > maxUnitBars;
  const bars: Bar[] = byRegion
    ? program.regions.map((r) => ({ label: t.chart.regionLabel(r.name, r.units), progress: r.progress, overdue: r.overdue }))
    : program.units.map((u) => ({ label: program.regions.length > 1 ? `${u.name} — ${u.region}` : u.name, progress: u.progress, overdue: u.overdue }));
  const height = top + bars.length * rowHeight + 70;
  const image = pureimage.make(width, height);
  const ctx = image.getContext("2d");
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, width, height);

  ctx.fillStyle = "#111827";
  ctx.font = `30px '${family} Bold'`;
  ctx.fillText(fit(ctx, program.name, width - 2 * margin), margin, 52);
  ctx.font = `20px '${family}'`;
  ctx.fillStyle = "#4b5563";
  ctx.fillText(fit(ctx, t.chart.subtitle(byRegion, date, program.progress, program.overdue), width - 2 * margin), margin, 88);

  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    ctx.font = `20px '${family}'`;
    ctx.fillStyle = "#111827";
    ctx.fillText(fit(ctx, bar.label, width - 2 * margin), margin, y + 18);
    ctx.fillStyle = "#e5e7eb";
    ctx.fillRect(margin, y + 28, barWidth, 26);
    ctx.fillStyle = bar.overdue > 0 ? "#d97706" : "#16a34a";
    ctx.fillRect(margin, y + 28, Math.round((barWidth * Math.max(0, Math.min(100, bar.progress))) / 100), 26);
    ctx.fillStyle = "#111827";
    ctx.font = `20px '${family} Bold'`;
    ctx.fillText(`${bar.progress}%`, margin + barWidth + 16, y + 49);
    if (bar.overdue > 0) {
      ctx.font = `18px '${family}'`;
      ctx.fillStyle = "#b45309";
      ctx.fillText(t.chart.overdue(bar.overdue), margin + barWidth + 86, y + 49);
    }
  });

  ctx.font = `16px '${family}'`;
  ctx.fillStyle = "#6b7280";
  ctx.fillText(t.chart.legend, margin, height - 28);

  const chunks: Buffer[] = [];
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => chunks.push(chunk));
  await pureimage.encodePNGToStream(image, sink);
  return Buffer.concat(chunks);
}
