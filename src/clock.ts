/**
 * The one clock. Business time (due dates, slots, expiry, "today") is a `Clock` the doors
 * (app.ts, cli.ts) read and pass in, so a test can set it; elapsed real time (leases, backoff,
 * pruning) is `wallClock`, which a test's simulated time must not move.
 */
export type Clock = () => Date;

/** The machine's time, what the doors pass in outside tests. */
export const systemClock: Clock = () => new Date();

/** Real milliseconds since the epoch, for durations that must follow the machine's time. */
export const wallClock = (): number => Date.now();
