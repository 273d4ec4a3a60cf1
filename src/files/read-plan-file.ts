import { Worker } from "node:worker_threads";
import { AppError } from "../domain/errors.js";
import type { PlanError, PlanRow } from "../domain/plan-table.js";
import { isWorkbook, type PlanFileLimits } from "./plan-file.js";

/** Heap of the reading thread: far above a plan within the limits, far below the machine's. */
const workerHeapMb = 768;
/** Reading threads at once in this process: each may take its heap, and a small server has a few GB. */
const maxReaders = 2;
/** How long a reading within the limits may take (a plan of 10,000 steps takes a few seconds). */
const readTimeoutMs = 60_000;

let reading = 0;
const waiting: (() => void)[] = [];

/** Runs `read` once fewer than `maxReaders` readings are running; later files wait their turn. */
async function inTurn<T>(read: () => Promise<T>): Promise<T> {
  if (reading >= maxReaders) await new Promise<void>((resolve) => waiting.push(resolve));
  else reading += 1;
  try {
    return await read();
  } finally {
    // The slot passes straight to the next file in line, or is freed.
    const next = waiting.shift();
    if (next) next();
    else reading -= 1;
  }
}

/**
 * Reads and validates an action-plan file in a worker thread, so that a workbook of thousands of
 * rows (seconds of exceljs and validation) never stops the bot answering other people meanwhile,
 * and a file that needs more memory than any plan ends that thread rather than the process.
 * At most two files are read at once in the process (others wait); within limits, a thread
 * that reads longer than `timeoutMs` (default a minute) is ended.
 * Throws the readers' AppErrors, "import.xlsx_too_large" or "import.out_of_memory" when the
 * thread ran out of memory, and "import.read_timeout" when it ran out of time.
 */
export function readPlanFile(
  content: Buffer,
  fileName: string,
  limits: PlanFileLimits,
  options: { timeoutMs?: number } = {},
): Promise<{ rows: PlanRow[]; errors: PlanError[] }> {
  const limited = limits.maxUnpackedBytes !== Infinity;
  const timeoutMs = options.timeoutMs ?? (limited ? readTimeoutMs : Infinity);
  return inTurn(() => readInWorker(content, fileName, limits, limited, timeoutMs));
}

function readInWorker(
  content: Buffer,
  fileName: string,
  limits: PlanFileLimits,
  limited: boolean,
  timeoutMs: number,
): Promise<{ rows: PlanRow[]; errors: PlanError[] }> {
  // From source (tests, tsx) the worker is TypeScript too: it loads tsx before its module.
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(`./plan-file-worker.${fromSource ? "ts" : "js"}`, import.meta.url);
  const worker = new Worker(fromSource ? `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });` : entry, {
    eval: fromSource,
    workerData: { content, fileName, limits },
    ...(limited ? { resourceLimits: { maxOldGenerationSizeMb: workerHeapMb } } : {}),
  });
  let timer: NodeJS.Timeout | undefined;
  return new Promise<{ rows: PlanRow[]; errors: PlanError[] }>((resolve, reject) => {
    if (Number.isFinite(timeoutMs)) {
      timer = setTimeout(() => {
        reject(new AppError("import.read_timeout", { seconds: Math.round(timeoutMs / 1000) }));
        void worker.terminate();
      }, timeoutMs);
    }
    worker.once("message", (message: { ok?: { rows: PlanRow[]; errors: PlanError[] }; error?: { code: string; params: Record<string, string | number> } }) => {
      if (message.ok) resolve(message.ok);
      else reject(new AppError(message.error!.code, message.error!.params));
      void worker.terminate();
    });
    worker.once("error", (err: Error & { code?: string }) => {
      if (err.code !== "ERR_WORKER_OUT_OF_MEMORY") return reject(err);
      // Only a workbook unpacks: a CSV that fills the heap is not "an XLSX too large".
      reject(isWorkbook(content, fileName) ? new AppError("import.xlsx_too_large", { max: limits.maxUnpackedBytes }) : new AppError("import.out_of_memory"));
    });
    worker.once("exit", (code) => reject(new Error(`the plan file reader stopped (exit code ${code})`)));
  }).finally(() => clearTimeout(timer));
}
