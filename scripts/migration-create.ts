// Creates the next migration of both providers from a change to prisma/models.prisma:
//   npm run migration:create -- add_something
// It renders the schemas, applies the existing migrations to a scratch database of each
// provider and writes the SQL that takes that database to the new schema. (The schema
// engine's own createMigration needs a shadow database factory the WebAssembly build lacks.)
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { applyMigrations, diffDatabaseToSchema, keepSqliteTriggers, prismaDir } from "../src/db/schema-engine.js";
import { createScratchDatabase } from "../src/db/scratch-database.js";

const name = (process.argv[2] ?? "").replace(/[^a-z0-9_]/gi, "_").toLowerCase();
if (!name) {
  console.error("usage: npm run migration:create -- <name>");
  process.exit(1);
}
execFileSync(process.execPath, [path.join(import.meta.dirname, "prisma-generate.mjs")], { stdio: "inherit" });

const stamp = new Date().toISOString().replace(/\D/g, "").slice(0, 14);
for (const kind of ["sqlite", "postgresql"] as const) {
  const scratch = await createScratchDatabase(kind);
  try {
    await applyMigrations(scratch.url);
    let sql = await diffDatabaseToSchema(scratch.url);
    if (kind === "sqlite") sql = await keepSqliteTriggers(scratch.url, sql);
    if (!sql.trim()) {
      console.log(`${kind}: no change`);
      continue;
    }
    const dir = path.join(prismaDir(kind), "migrations", `${stamp}_${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "migration.sql"), sql);
    console.log(`${kind}: wrote ${path.relative(process.cwd(), dir)}/migration.sql`);
  } finally {
    await scratch.drop();
  }
}
