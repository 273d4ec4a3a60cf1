import http from "node:http";
import type { AddressInfo } from "node:net";
import type { Logger } from "../logger.js";

// Pantau's one HTTP server (node:http, no framework), in polling and webhook mode alike: the
// health and metrics endpoints, the webhook's POST path, and the Mini App to come each register
// their routes on it. Anything not registered is 404, which keeps the webhook path unconfirmed.

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void;

export interface HttpServer {
  /** Answers `method` on exactly `path` (query strings ignored); a GET route answers HEAD too. */
  route(method: "GET" | "POST", path: string, handler: Handler): void;
  /** Listens on host and port (0: any free port); resolves with the bound port, rejects if it cannot. */
  listen(port: number, host: string): Promise<number>;
  /** Rejects if the listening server fails (it then answers nothing more). */
  failed: Promise<never>;
  /** Stops accepting connections and resolves once the requests in flight are answered. */
  close(): Promise<void>;
}

export function createHttpServer(logger: Logger): HttpServer {
  const routes = new Map<string, Handler>();
  const inFlight = new Set<http.ServerResponse>();
  let closing = false;
  let closed: Promise<void> | null = null;
  let fail: (err: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // whoever listens to it handles it; nobody listening is fine too

  const server = http.createServer((req, res) => {
    inFlight.add(res);
    res.on("close", () => inFlight.delete(res));
    // While closing, no connection is kept alive for another request.
    if (closing) res.setHeader("connection", "close");
    // Not `new URL(req.url, base)`: a request for "//host/x" would be read as another host.
    const pathname = (req.url ?? "/").split("?")[0];
    const method = req.method === "HEAD" ? "GET" : req.method;
    const handler = routes.get(`${method} ${pathname}`);
    if (!handler) return send(res, 404);
    Promise.resolve()
      .then(() => handler(req, res))
      .catch((err: unknown) => {
        logger.error({ err, method }, "http request failed");
        send(res, 500);
      });
  });
  // A client that never finishes its request must not hold a connection (or a shutdown) open.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;

  return {
    failed,
    route(method, path, handler) {
      const key = `${method} ${path}`;
      if (routes.has(key)) throw new Error(`route registered twice: ${method}`);
      routes.set(key, handler);
    },
    listen(port, host) {
      return new Promise<number>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, host, () => {
          server.off("error", reject);
          server.on("error", (err) => {
            logger.error({ err }, "the http server failed");
            fail(err);
          });
          resolve((server.address() as AddressInfo).port);
        });
      });
    },
    close() {
      closing = true;
      for (const res of inFlight) if (!res.headersSent) res.setHeader("connection", "close");
      closed ??= new Promise<void>((resolve) => {
        // The callback runs once every connection has ended (or at once, with an error, when
        // the server was not listening).
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}

/** Answers with a status and an optional body; `closeConnection` after a body refused halfway. */
export function send(res: http.ServerResponse, status: number, body?: { text: string; type: string }, closeConnection = false): void {
  if (res.headersSent || res.destroyed) return;
  if (closeConnection) res.setHeader("connection", "close");
  if (body) res.setHeader("content-type", body.type);
  res.writeHead(status, { "content-length": body ? Buffer.byteLength(body.text) : 0 });
  res.end(body?.text);
}

export function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  send(res, status, { text: JSON.stringify(payload), type: "application/json" });
}

/** The body, or null once it is longer than `limit` (the rest is not kept). */
export function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer | null> {
  if (Number(req.headers["content-length"]) > limit) return Promise.resolve(null);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      req.off("data", onData);
      req.resume();
      resolve(null);
    };
    req.on("data", onData);
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** host:port as people write it ([::1]:8080 for an IPv6 address). */
export function listenAddress(host: string, port: number): string {
  return `${host.includes(":") ? `[${host}]` : host}:${port}`;
}
