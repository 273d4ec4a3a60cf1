/** Failures a test injects: the next call(s) of a method (to one chat) answer with this error. */
import { ApiError, delay, num, type Params } from "./bot-api.js";
import type { FaultSpec } from "./types.js";

export class Faults {
  private readonly faults: { method: string; spec: FaultSpec; remaining: number }[] = [];

  inject(method: string, fault: FaultSpec): void {
    this.faults.push({ method: method.toLowerCase(), spec: { ...fault }, remaining: fault.times ?? 1 });
  }

  /** Throws the first matching fault (after its delay), counting it off; returns when none matches. */
  async apply(method: string, params: Params): Promise<void> {
    const chatId = num(params.chat_id);
    const index = this.faults.findIndex((f) => f.method === method.toLowerCase() && (f.spec.chatId === undefined || f.spec.chatId === chatId));
    if (index === -1) return;
    const fault = this.faults[index]!;
    fault.remaining--;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    if (fault.spec.delayMs) await delay(fault.spec.delayMs);
    throw new ApiError(
      fault.spec.error_code,
      fault.spec.description,
      fault.spec.retry_after !== undefined ? { retry_after: fault.spec.retry_after } : undefined,
    );
  }
}
