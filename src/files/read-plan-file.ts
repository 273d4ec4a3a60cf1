import { Worker } from "node:worker_threads";
import { AppError } from "../domain/errors.js";
import type { PlanError, PlanRow } from "../domain/plan-table.js";
import type { PlanFileLimits } from "./plan-file.js";

/** Heap of the reading thread: far above a plan within the limits, far below the machine's. */
const workerHeapMb = 768;

/**
 * Reads and validates an action-plan file in a worker thread, so that a workbook of thousands of
 * rows (seconds of exceljs and validation) never stops the bot answering other people meanwhile,
 * and a file that needs more memory than any plan ends that thread rather than the process.
 * Throws the readers' AppErrors ("import.xlsx_too_large" when the thread ran out of memory).
 */
export function readPlanFile(content: Buffer, fileName: string, limits: PlanFileLimits): Promise<{ rows: PlanRow[]; errors: PlanError[] }> {
  // From source (tests, tsx) the worker is TypeScript too: it loads tsx before its module.
  const fromSource = import.meta.url.endsWith(".ts");
  const entry = new URL(`./plan-file-worker.${fromSource ? "ts" : "js"}`, import.meta.url);
  const limited = limits.maxUnpackedBytes !== Infinity;
  const worker = new Worker(fromSource ? `import("tsx/esm/api").then((tsx) => { tsx.register(); return import(${JSON.stringify(entry.href)}); });` : entry, {
    eval: fromSource,
    workerData: { content, fileName, limits },
    ...(limited ? { resourceLimits: { maxOldGenerationSizeMb: workerHeapMb } } : {}),
  });
  return new Promise((resolve, reject) => {
    worker.once("message", (message: { ok?: { rows: PlanRow[]; errors: PlanError[] }; error?: { code: string; params: Record<string, string | number> } }) => {
      if (message.ok) resolve(message.ok);
      else reject(new AppError(message.error!.code, message.error!.params));
      void worker.terminate();
    });
    worker.once("error", (err: Error & { code?: string }) => {
      reject(err.code === "ERR_WORKER_OUT_OF_MEMORY" ? new AppError("import.xlsx_too_large", { max: limits.maxUnpackedBytes }) : err);
    });
    worker.once("exit", (code) => reject(new Error(`the plan file reader stopped (exit code ${code})`)));
  });
}
