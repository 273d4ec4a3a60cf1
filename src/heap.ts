import { setFlagsFromString } from "node:v8";

/**
 * Sizes V8's heap for a small server rather than for throughput: during a broadcast to 10,000
 * people Pantau's live heap stays near 40 MB, yet by default V8 grew its young generation and
 * let garbage pile up to about 200 MB of heap first (README, Benchmark). Called first by
 * `bin/pantau.js`; both flags only steer when V8 collects (CPU cost measured within noise).
 */
export function favourSmallHeap(): void {
  // The young generation keeps its initial size instead of doubling up to 3 × 64 MB, and the
  // old generation may grow by half its live size before the next full collection (V8 picks up
  // to four times on a fast machine).
  setFlagsFromString("--semi-space-growth-factor=1");
  setFlagsFromString("--heap-growing-percent=50");
}
