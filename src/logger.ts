import pino, { type Logger } from "pino";

export type { Logger };

/** The shape of a bot token; the config accepts only tokens of this shape, so all are redacted. */
export const tokenShape = /\d{5,}:[A-Za-z0-9_-]{30,}/;
const tokenPattern = new RegExp(tokenShape.source, "g");

/** Removes anything shaped like a bot token from a string. */
export function redactToken(text: string): string {
  return text.replace(tokenPattern, "[REDACTED]");
}

/**
 * JSON logs on stdout (or the given stream). Every line passes through a filter that removes
 * anything shaped like a bot token, so no error message, URL or stack trace can leak it.
 */
export function createLogger(level: string, destination: NodeJS.WritableStream = process.stdout): Logger {
  const stream = {
    write(line: string) {
      destination.write(redactToken(line));
    },
  };
  return pino({ level, base: undefined, timestamp: pino.stdTimeFunctions.isoTime }, stream);
}
