import { parentPort, workerData } from "node:worker_threads";
import { AppError } from "../domain/errors.js";
import { validatePlanTable } from "../domain/plan-table.js";
import { readPlanTable, type PlanFileLimits } from "./plan-file.js";

// The worker thread of readPlanFile (read-plan-file.ts): reads and validates one file, then
// posts the result or the AppError's code and parameters.
const { content, fileName, limits } = workerData as { content: Uint8Array; fileName: string; limits: PlanFileLimits };
try {
  parentPort!.postMessage({
    ok: validatePlanTable(await readPlanTable(Buffer.from(content.buffer, content.byteOffset, content.byteLength), fileName, limits)),
  });
} catch (err) {
  if (!(err instanceof AppError)) throw err;
  parentPort!.postMessage({ error: { code: err.code, params: err.params } });
}
