import { send, sendJson, type HttpServer } from "../http/server.js";
import type { Logger } from "../logger.js";
import type { Metrics } from "./metrics.js";
import { readiness, type ReadinessDeps } from "./readiness.js";

/**
 * The monitoring routes on Pantau's HTTP server:
 * - `GET /healthz`: 200 while the process answers (no database), for a liveness probe;
 * - `GET /readyz`: 200 with each check, or 503 naming the failing ones (see readiness.ts);
 * - `GET /metrics`: Prometheus's text format (see metrics.ts).
 */
export function registerMonitoring(server: HttpServer, deps: ReadinessDeps & { metrics: Metrics; logger: Logger }): void {
  const { metrics, logger } = deps;
  server.route("GET", "/healthz", (_req, res) => sendJson(res, 200, { status: "ok" }));

  // Told once per change, not on every probe.
  let wasReady = true;
  server.route("GET", "/readyz", async (_req, res) => {
    const { ready, checks } = await readiness(deps);
    const failing = Object.entries(checks)
      .filter(([, check]) => !check.ok)
      .map(([name]) => name);
    if (ready !== wasReady) {
      if (ready) logger.info("ready again");
      else logger.warn({ failing, checks }, "not ready");
      wasReady = ready;
    }
    sendJson(res, ready ? 200 : 503, ready ? { status: "ready", checks } : { status: "not ready", failing, checks });
  });

  server.route("GET", "/metrics", async (_req, res) => {
    send(res, 200, { text: await metrics.text(), type: metrics.contentType });
  });
}
