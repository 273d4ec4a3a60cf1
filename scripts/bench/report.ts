// Printing helpers and the memory sampler shared by the benchmark sections.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

// A full garbage collection before each measured phase, so that a phase's peak is its own
// and not the garbage the previous one left (V8 collects lazily with a heap this size).
setFlagsFromString("--expose-gc");
const collectGarbage = runInNewContext("gc") as () => void;

/** Peak RSS and heap used, sampled every `everyMs` while a section runs. */
export class MemoryPeak {
  rss = 0;
  heapUsed = 0;
  /** Peaks of named phases, in order (see `phase`). */
  readonly phases: { name: string; rss: number; heapUsed: number }[] = [];
  private current: { name: string; rss: number; heapUsed: number } | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(everyMs = 50) {
    collectGarbage();
    this.sample();
    this.timer = setInterval(() => this.sample(), everyMs);
  }

  private sample(): void {
    const m = process.memoryUsage();
    this.rss = Math.max(this.rss, m.rss);
    this.heapUsed = Math.max(this.heapUsed, m.heapUsed);
    if (this.current) {
      this.current.rss = Math.max(this.current.rss, m.rss);
      this.current.heapUsed = Math.max(this.current.heapUsed, m.heapUsed);
    }
  }

  /** Starts a named phase (ending the previous one): its own peaks are kept apart. */
  phase(name: string): void {
    this.sample();
    collectGarbage();
    this.current = { name, rss: 0, heapUsed: 0 };
    this.phases.push(this.current);
    this.sample();
  }

  stop(): { rss: number; heapUsed: number } {
    this.sample();
    this.current = undefined;
    clearInterval(this.timer);
    return { rss: this.rss, heapUsed: this.heapUsed };
  }
}

export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const int = (n: number) => Math.round(n).toLocaleString("en-US");
export const ms = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(0)} ms`);
export const fixed = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : "n/a");

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Milliseconds taken by `fn`, with its result. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await fn();
  return { ms: performance.now() - start, value };
}

/** A table: one header row, then rows; columns padded to the widest cell (numbers right-aligned). */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const numeric = header.map((_, i) => rows.length > 0 && rows.every((r) => /^[-+]?[\d,.]+( ?[a-zA-Z/%×]+)?$|^n\/a$/.test(r[i] ?? "")));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (numeric[i] ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)].join("\n");
}

/** Label/value lines, labels padded. */
export function pairs(entries: [string, string][]): string {
  const width = Math.max(...entries.map(([k]) => k.length));
  return entries.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`).join("\n");
}

export function heading(title: string): void {
  console.log(`\n${title}\n${"=".repeat(title.length)}`);
}

/** Largest number of `times` (sorted ascending) inside any half-open window [t, t + windowMs). */
export function busiestWindow(times: number[], windowMs: number): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    best = Math.max(best, end - start + 1);
  }
  return best;
}
