// What this process knows about itself and nobody stores: since when it runs, when updates last
// came in, how its last reminder pass went. The readiness check, the metrics and the admins'
// /sistem read it; with several instances, each tells its own.

/** How updates reach this process. */
export type Receiving = "polling" | "webhook";

/** The last reminder pass of this process. */
export interface PassRecord {
  /** Business time of the pass (what /sistem shows). */
  at: Date;
  ok: boolean;
  seconds: number;
}

export class Vitals {
  /** Real time (epoch ms) the process started serving. */
  readonly startedAt: number;
  private polledAt: number | null = null;
  private receivingFailed = false;
  private lastPass: PassRecord | null = null;
  private lastPassOkAt: number | null = null;

  /** `wallClock`: real time in epoch ms (a test moves its own). */
  constructor(
    readonly wallClock: () => number,
    readonly receiving: Receiving,
  ) {
    this.startedAt = wallClock();
  }

  /** A getUpdates call came back (with updates or empty after its long wait). */
  polled(): void {
    this.polledAt = this.wallClock();
  }

  /** Receiving ended by itself (polling stopped, or the server failed). */
  receivingStopped(): void {
    this.receivingFailed = true;
  }

  passFinished(pass: PassRecord): void {
    this.lastPass = pass;
    if (pass.ok) this.lastPassOkAt = this.wallClock();
  }

  /** Seconds since the process started. */
  uptimeSeconds(): number {
    return Math.max(0, (this.wallClock() - this.startedAt) / 1000);
  }

  /**
   * Seconds since updates were last seen coming in: polling counts from its last getUpdates
   * (or the start), a webhook, which Telegram calls only when there is something, is fresh
   * while its server listens. Infinity once receiving failed.
   */
  updatesSilentSeconds(): number {
    if (this.receivingFailed) return Infinity;
    if (this.receiving === "webhook") return 0;
    return (this.wallClock() - (this.polledAt ?? this.startedAt)) / 1000;
  }

  /** Seconds since the last successful reminder pass (or the start, before the first one). */
  passSilentSeconds(): number {
    return (this.wallClock() - (this.lastPassOkAt ?? this.startedAt)) / 1000;
  }

  /** Real time (epoch ms) of the last successful pass; null before the first. */
  lastPassSuccessAt(): number | null {
    return this.lastPassOkAt;
  }

  pass(): PassRecord | null {
    return this.lastPass;
  }
}
