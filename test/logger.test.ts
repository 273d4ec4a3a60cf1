import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactToken } from "../src/logger.js";

// A token shaped like the ones BotFather hands out: bot id, colon, 35 characters (fake).
// A fake token, assembled at run time so that no token-shaped literal sits in the repository.
const TOKEN = ["123456789", "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1"].join(":");
const SECRET_PART = "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw1";

/** A destination that keeps every line the logger writes. */
function collector() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { stream, lines, text: () => lines.join("") };
}

describe("redactToken", () => {
  it("when a Bot API URL carrying the token is logged, then the token is replaced by [REDACTED]", () => {
    expect(redactToken(`request to https://api.telegram.org/bot${TOKEN}/getMe failed`)).toBe("request to https://api.telegram.org/bot[REDACTED]/getMe failed");
  });

  it("when a text holds the token twice, then both are removed", () => {
    const out = redactToken(`${TOKEN} and again ${TOKEN}`);
    expect(out).toBe("[REDACTED] and again [REDACTED]");
  });

  it("when a file download URL carries the token, then it is removed too", () => {
    expect(redactToken(`https://api.telegram.org/file/bot${TOKEN}/photos/file_1.jpg`)).toBe("https://api.telegram.org/file/bot[REDACTED]/photos/file_1.jpg");
  });

  it("when a text holds no token, such as a date, time or telegram id, then it is unchanged", () => {
    const text = "Pengingat 14 Januari 2022 08:00 WIB untuk 123456789 (PIC Dinas Kominfo)";
    expect(redactToken(text)).toBe(text);
  });
});

describe("createLogger: no log line ever carries the bot token", () => {
  it("when the token is in a log message, then the line shows [REDACTED] instead", () => {
    const out = collector();
    createLogger("info", out.stream).info(`starting with token ${TOKEN}`);
    expect(out.lines).toHaveLength(1);
    expect(out.text()).not.toContain(SECRET_PART);
    expect(out.text()).toContain("[REDACTED]");
    // Lines stay valid JSON.
    expect(JSON.parse(out.lines[0]!)).toMatchObject({ msg: "starting with token [REDACTED]", level: 30 });
  });

  it("when an error from the Bot API has the token in its message and stack, then neither reaches the log", () => {
    const out = collector();
    const err = new Error(`request to https://api.telegram.org/bot${TOKEN}/getMe failed, reason: ETIMEDOUT`);
    expect(err.stack).toContain(SECRET_PART);
    createLogger("info", out.stream).error({ err }, "Telegram tidak terjangkau");
    expect(out.text()).not.toContain(SECRET_PART);
    const line = JSON.parse(out.lines[0]!) as { err: { message: string; stack: string; type: string } };
    expect(line.err.type).toBe("Error");
    expect(line.err.message).toBe("request to https://api.telegram.org/bot[REDACTED]/getMe failed, reason: ETIMEDOUT");
    expect(line.err.stack).toContain("bot[REDACTED]/getMe");
  });

  it("when the token sits in a nested field, then it is removed there too", () => {
    const out = collector();
    createLogger("info", out.stream).warn(
      { request: { method: "getUpdates", options: { url: `https://api.telegram.org/bot${TOKEN}/getUpdates`, token: TOKEN } } },
      "retrying",
    );
    expect(out.text()).not.toContain(SECRET_PART);
    const line = JSON.parse(out.lines[0]!) as { request: { options: { url: string; token: string } } };
    expect(line.request.options.token).toBe("[REDACTED]");
    expect(line.request.options.url).toBe("https://api.telegram.org/bot[REDACTED]/getUpdates");
  });

  it("when a child logger carries the token in its bindings, then its lines do not leak it", () => {
    const out = collector();
    createLogger("info", out.stream)
      .child({ apiUrl: `https://api.telegram.org/bot${TOKEN}` })
      .info("sent");
    expect(out.text()).not.toContain(SECRET_PART);
    expect(out.text()).toContain("[REDACTED]");
  });

  it("when a message is below the configured level, then nothing is written", () => {
    const out = collector();
    const logger = createLogger("warn", out.stream);
    logger.info("tidak tampil");
    logger.debug("tidak tampil");
    expect(out.lines).toEqual([]);
    logger.warn("tampil");
    expect(out.lines).toHaveLength(1);
  });

  it("when a line is written, then it is JSON with an ISO time and no pid or hostname", () => {
    const out = collector();
    createLogger("info", out.stream).info({ unit: "Dinas Kominfo" }, "halo");
    const line = JSON.parse(out.lines[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, msg: "halo", unit: "Dinas Kominfo" });
    expect(line.time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect(line).not.toHaveProperty("pid");
    expect(line).not.toHaveProperty("hostname");
  });
});
