/**
 * A Bot API request taken apart: parameters from the query string and a JSON, form or multipart
 * body (uploads kept as bytes), coerced to the types Telegram would read them as.
 */
import type http from "node:http";
import { badRequest, num, type Params } from "./bot-api.js";

/** A file part of a multipart request (an upload by the bot). */
export interface UploadedPart {
  upload: true;
  filename?: string;
  contentType?: string;
  bytes: Buffer;
}

export function isUpload(value: unknown): value is UploadedPart {
  return typeof value === "object" && value !== null && (value as UploadedPart).upload === true;
}

const JSON_FIELDS = new Set([
  "reply_markup",
  "reply_parameters",
  "entities",
  "caption_entities",
  "commands",
  "scope",
  "allowed_updates",
  "link_preview_options",
  "media",
  "results",
]);
const BOOLEAN_FIELDS = new Set([
  "show_alert",
  "disable_notification",
  "protect_content",
  "drop_pending_updates",
  "disable_web_page_preview",
  "allow_sending_without_reply",
  "has_spoiler",
  "disable_content_type_detection",
  "show_caption_above_media",
]);
const NUMERIC_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "offset",
  "limit",
  "timeout",
  "message_id",
  "reply_to_message_id",
  "message_thread_id",
  "cache_time",
  "user_id",
  "max_connections",
]);

export function parseParams(req: http.IncomingMessage, url: URL, body: Buffer): Params {
  const params: Params = Object.fromEntries(url.searchParams);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (body.length > 0) {
    if (type.startsWith("application/json")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(body.toString("utf8"));
      } catch {
        throw badRequest("can't parse JSON object");
      }
      if (typeof parsed === "object" && parsed !== null) Object.assign(params, parsed);
    } else if (type.startsWith("multipart/form-data")) {
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(req.headers["content-type"] ?? "");
      if (!boundary) throw badRequest("can't parse multipart/form-data: no boundary");
      Object.assign(params, parseMultipart(body, boundary[1] ?? boundary[2]!));
      delete params.method; // telegraf puts the method name into the form
    } else if (type.startsWith("application/x-www-form-urlencoded")) {
      Object.assign(params, Object.fromEntries(new URLSearchParams(body.toString("utf8"))));
    }
  }
  return coerceParams(params);
}

function parseMultipart(body: Buffer, boundary: string): Params {
  const out: Params = {};
  const delimiter = Buffer.from(`--${boundary}`);
  const separator = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos === -1) throw badRequest("can't parse multipart/form-data");
  pos += delimiter.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // "--": end
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const next = body.indexOf(separator, pos);
    if (next === -1) break;
    const part = body.subarray(pos, next);
    let headerEnd = part.indexOf("\r\n\r\n");
    let headerText = "";
    let content: Buffer;
    if (part[0] === 0x0d && part[1] === 0x0a) {
      content = part.subarray(2);
    } else {
      if (headerEnd === -1) headerEnd = part.length;
      headerText = part.subarray(0, headerEnd).toString("utf8");
      content = part.subarray(Math.min(part.length, headerEnd + 4));
    }
    const headers: Record<string, string> = {};
    for (const line of headerText.split("\r\n")) {
      const colon = line.indexOf(":");
      if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    const disposition = headers["content-disposition"] ?? "";
    const name = /(?:^|;)\s*name="([^"]*)"/i.exec(disposition)?.[1];
    const filename = /(?:^|;)\s*filename="([^"]*)"/i.exec(disposition)?.[1];
    if (name !== undefined) {
      if (filename !== undefined) {
        const upload: UploadedPart = { upload: true, filename, bytes: Buffer.from(content) };
        if (headers["content-type"]) upload.contentType = headers["content-type"];
        out[name] = upload;
      } else out[name] = content.toString("utf8");
    }
    pos = next + separator.length;
  }
  return out;
}

function coerceParams(params: Params): Params {
  for (const [key, value] of Object.entries(params)) {
    if (typeof value !== "string") continue;
    if (JSON_FIELDS.has(key) && /^\s*[[{]/.test(value)) {
      try {
        params[key] = JSON.parse(value);
      } catch {
        throw badRequest(`can't parse ${key} JSON object`);
      }
    } else if (BOOLEAN_FIELDS.has(key) && (value === "true" || value === "false")) {
      params[key] = value === "true";
    } else if (NUMERIC_FIELDS.has(key) && num(value) !== undefined) {
      params[key] = num(value);
    }
  }
  return params;
}

export function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export function sendJson(res: http.ServerResponse, status: number, payload: unknown): void {
  if (res.headersSent || res.destroyed || res.writableEnded) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
  res.end(body);
}
