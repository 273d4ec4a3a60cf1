/**
 * The HTTP side: `/bot<token>/<method>` answered with Telegram's `{ ok, result }` envelope (or
 * `{ ok: false, error_code, description, parameters }`), and `/file/bot<token>/<path>` serving
 * stored files. Every call is logged; injected faults apply before the method runs.
 */
import http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { ApiError, delay, type Params } from "./bot-api.js";
import type { Faults } from "./faults.js";
import type { FileStore } from "./files.js";
import { parseParams, readBody, sendJson } from "./request.js";
import type { CallRecord } from "./types.js";

/** One Bot API method: its parameters in, its `result` out (or an ApiError thrown). */
export type Method = (p: Params, res: http.ServerResponse) => unknown;

export interface Routes {
  token: string;
  files: FileStore;
  methods: Record<string, Method>;
  faults: Faults;
  callLog: CallRecord[];
  /** Runs after every API call, answered or failed (waiters re-check). */
  afterCall: () => void;
}

export class HttpServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: http.Server,
    readonly port: number,
  ) {
    server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
  }

  static async listen(routes: Routes): Promise<HttpServer> {
    const server = http.createServer();
    // Longer than Node's client keep-alive (5s) so the client, not the server, retires idle sockets
    // (otherwise a request can race a server-side close and fail with "socket hang up").
    server.keepAliveTimeout = 30_000;
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(0, "127.0.0.1", () => {
        server.off("error", reject);
        resolve();
      });
    });
    const names = new Map(Object.keys(routes.methods).map((name) => [name.toLowerCase(), name]));
    server.on("request", (req, res) => {
      handleRequest(routes, names, req, res).catch((error: unknown) => {
        // Never let a bug in the emulator hang the bot: answer 500 and log.
        console.error("[bot-api-emulator] internal error", error);
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(500, { "content-type": "application/json" });
          res.end(JSON.stringify({ ok: false, error_code: 500, description: "Internal Server Error" }));
        }
      });
    });
    return new HttpServer(server, (server.address() as AddressInfo).port);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    // give the answered long polls a moment to flush, then cut everything
    await delay(5);
    this.server.closeAllConnections();
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }
}

async function handleRequest(routes: Routes, names: Map<string, string>, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  const body = await readBody(req);

  const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
  if (fileMatch) {
    const file = fileMatch[1] === routes.token ? routes.files.atPath(decodeURIComponent(fileMatch[2]!)) : undefined;
    if (!file) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
    res.writeHead(200, { "content-type": file.mime_type ?? "application/octet-stream", "content-length": file.bytes.length });
    res.end(file.bytes);
    return;
  }

  const apiMatch = /^\/bot([^/]*)\/(?:test\/)?([A-Za-z]+)\/?$/.exec(url.pathname);
  if (!apiMatch) return sendJson(res, 404, { ok: false, error_code: 404, description: "Not Found" });
  if (apiMatch[1] !== routes.token) return sendJson(res, 401, { ok: false, error_code: 401, description: "Unauthorized" });

  const requested = apiMatch[2]!;
  const method = names.get(requested.toLowerCase()) ?? requested;
  const record: CallRecord = { method, params: {}, at: Date.now() };
  routes.callLog.push(record);

  try {
    const params = parseParams(req, url, body);
    record.params = params;
    const handler = names.has(requested.toLowerCase()) ? routes.methods[method] : undefined;
    if (!handler) throw new ApiError(404, "Not Found: method not found");
    await routes.faults.apply(method, params);
    const result = await handler(params, res);
    sendJson(res, 200, { ok: true, result });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    record.error = { error_code: error.error_code, description: error.description };
    const payload: Record<string, unknown> = { ok: false, error_code: error.error_code, description: error.description };
    if (error.parameters) payload.parameters = error.parameters;
    sendJson(res, error.error_code >= 400 && error.error_code < 600 ? error.error_code : 400, payload);
  } finally {
    routes.afterCall();
  }
}
