import type { DatabaseKind } from "../../src/db/connection.js";
import { createScratchDatabase, type ScratchDatabase } from "../../src/db/scratch-database.js";

// Every scratch database the benchmark makes is dropped when its part ends, also on failure,
// and on Ctrl-C or SIGTERM (a PostgreSQL database would otherwise stay on the server).

const live = new Set<ScratchDatabase>();
let handlersInstalled = false;
let interrupted = false;

/** True once a signal asked the benchmark to stop (its cleanup then ends the process). */
export const wasInterrupted = () => interrupted;

function installSignalHandlers(): void {
  if (handlersInstalled) return;
  handlersInstalled = true;
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      interrupted = true;
      process.stderr.write(`\n[bench] ${signal}: dropping ${live.size} scratch database(s)…\n`);
      void Promise.allSettled([...live].map((s) => s.drop())).then(() => process.exit(130));
    });
  }
}

/** Runs `fn` on a new empty database of that kind, and drops the database afterwards whatever happens. */
export async function withScratchDatabase<T>(kind: DatabaseKind, fn: (scratch: ScratchDatabase) => Promise<T>): Promise<T> {
  installSignalHandlers();
  const scratch = await createScratchDatabase(kind);
  live.add(scratch);
  try {
    return await fn(scratch);
  } finally {
    live.delete(scratch);
    await scratch.drop();
  }
}
