/**
 * The one error type of Pantau: a stable code naming what went wrong, the catalogue key of the
 * message a user reads, and its parameters. Anything else thrown is a bug.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly params: Record<string, string | number> = {},
  ) {
    super(code);
    this.name = "AppError";
  }
}
