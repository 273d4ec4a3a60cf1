import { Worker } from "node:worker_threads";

/** One sendMessage call as the emulator saw it: chat, arrival time (ms), error code (0: ok). */
export type ArrivedCall = [chatId: number, at: number, errorCode: number];

/**
 * The Bot API emulator (test/support/bot-api-emulator.ts) running in a worker thread of this
 * process: Telegram's side of the wire gets its own event loop, as it would in reality.
 */
export class EmulatorInWorker {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  token = "";
  apiRoot = "";

  private constructor(private readonly worker: Worker) {
    worker.on("message", (msg: { id: number; result?: unknown; error?: string }) => {
      const waiter = this.pending.get(msg.id);
      this.pending.delete(msg.id);
      if (msg.error !== undefined) waiter?.reject(new Error(`emulator worker: ${msg.error}`));
      else waiter?.resolve(msg.result);
    });
    worker.on("error", (err) => {
      for (const w of this.pending.values()) w.reject(err);
      this.pending.clear();
    });
  }

  static async start(): Promise<EmulatorInWorker> {
    // A worker does not inherit tsx's module hooks on Node 20: register them, then load the
    // TypeScript entry.
    const entry = new URL("./emulator-worker.ts", import.meta.url).href;
    const bootstrap = `import { register } from "tsx/esm/api"; register(); await import(${JSON.stringify(entry)});`;
    const emu = new EmulatorInWorker(new Worker(bootstrap, { eval: true, execArgv: [] }));
    try {
      Object.assign(emu, await emu.request<{ token: string; apiRoot: string }>("start"));
    } catch (err) {
      await emu.worker.terminate();
      throw err;
    }
    return emu;
  }

  private request<T>(op: string, args: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ id, op, ...args });
    });
  }

  seedPrivateChats(ids: number[]): Promise<void> {
    return this.request("seedPrivateChats", { ids });
  }
  addGroups(ids: number[], by: number): Promise<void> {
    return this.request("addGroups", { ids, by });
  }
  sendMessageCalls(): Promise<ArrivedCall[]> {
    return this.request("sendMessageCalls");
  }
  /** messages(chatId).length for each chat. */
  messageCounts(chatIds: number[]): Promise<number[]> {
    return this.request("messageCounts", { chatIds });
  }
  async stop(): Promise<void> {
    try {
      await this.request("stop");
    } finally {
      await this.worker.terminate();
    }
  }
}
