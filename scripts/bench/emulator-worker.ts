// Hosts the Bot API emulator in a worker thread, so that the emulator's HTTP server and
// message rendering (Telegram's side of the wire) do not share an event loop with the sender
// being measured. Driven by scripts/bench/emulator.ts through small request/response messages.
import { parentPort } from "node:worker_threads";
import { BotApiEmulator } from "../../test/support/bot-api-emulator.js";

if (!parentPort) throw new Error("emulator-worker.ts runs as a worker thread");
const port = parentPort;

let emulator: BotApiEmulator | undefined;

type Request =
  | { id: number; op: "start" }
  | { id: number; op: "seedPrivateChats"; ids: number[] }
  | { id: number; op: "addGroups"; ids: number[]; by: number }
  | { id: number; op: "sendMessageCalls" }
  | { id: number; op: "messageCounts"; chatIds: number[] }
  | { id: number; op: "stop" };

async function handle(req: Request): Promise<unknown> {
  switch (req.op) {
    case "start":
      emulator = await BotApiEmulator.start();
      return { token: emulator.token, apiRoot: emulator.apiRoot };
    case "seedPrivateChats":
      for (const id of req.ids) emulator!.seedPrivateChat({ id, first_name: `Person ${id}` });
      return null;
    case "addGroups":
      for (const id of req.ids) await emulator!.addBotToGroup({ id: req.by, first_name: "Koordinator" }, { id, type: "group", title: `Grup ${-id}` });
      return null;
    case "sendMessageCalls":
      // Compact: chat, arrival time (ms), and the error code when the emulator refused.
      return emulator!.calls("sendMessage").map((c) => [Number(c.params?.chat_id), c.at, c.error?.error_code ?? 0]);
    case "messageCounts":
      return req.chatIds.map((id) => emulator!.messages(id).length);
    case "stop":
      await emulator?.stop();
      emulator = undefined;
      return null;
  }
}

port.on("message", (req: Request) => {
  handle(req).then(
    (result) => port.postMessage({ id: req.id, result }),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
  );
});
