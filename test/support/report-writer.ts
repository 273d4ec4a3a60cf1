// A focal point reporting as fast as the database takes it, in a process of its own, through
// the same service as the bot: the writer `pantau backup` runs beside in
// test/e2e/backup-restore.test.ts. Run with `node --import tsx`; arguments: DATABASE_URL, the
// person's Telegram id, then the step ids to report on in turn. Prints each saved report's id on
// a line, and stops after the report in hand on SIGTERM.
import { openPrisma } from "../../src/db/connection.js";
import { personActor } from "../../src/services/audit.js";
import { recordReport } from "../../src/services/milestones.js";
import { findPerson } from "../../src/services/people.js";

const [url, telegramId, ...stepIds] = process.argv.slice(2);
const db = openPrisma(url!);
const person = await findPerson(db, Number(telegramId));
if (!person) throw new Error(`no person ${telegramId}`);
let stopping = false;
process.once("SIGTERM", () => (stopping = true));
for (let n = 1; !stopping; n++) {
  const saved = await recordReport(
    db,
    person,
    {
      milestoneId: Number(stepIds[n % stepIds.length]),
      percent: n % 100,
      status: "in_progress",
      note: `laporan ${n}`,
      source: "reply",
      evidence: [
        { kind: "photo", fileId: `file-${n}`, fileUniqueId: `unique-${n}`, fileName: null, mimeType: "image/jpeg", chatId: Number(telegramId), messageId: n },
      ],
    },
    new Date(),
    personActor(person, null),
  );
  process.stdout.write(`${saved.reportId}\n`);
  // better-sqlite3 answers synchronously: without a turn of the event loop, SIGTERM is never handled.
  await new Promise((resolve) => setImmediate(resolve));
}
await db.$disconnect();
