// Creates the next migration of both providers from a change to prisma/models.prisma:
//   npm run migration:create -- add_something
// It renders the schemas, applies the existing migrations to a scratch database of each
// provider and writes the SQL that takes that database to the new schema. (The schema
// engine's own createMigration needs a shadow database factory the WebAssembly build lacks.)
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openPrisma } from "../src/db/connection.js";
import { applyMigrations, diffDatabaseToSchema, prismaDir } from "../src/db/schema-engine.js";
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
    if (kind === "sqlite") sql += await triggersOfRedefinedTables(scratch.url, sql);
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

/**
 * SQLite changes most columns by redefining the table (a copy, then DROP TABLE), which drops
 * the table's triggers (the plan versions of migration `plan_versions`): they are created again
 * after it, as they stand in the database the migration starts from.
 */
async function triggersOfRedefinedTables(url: string, sql: string): Promise<string> {
  const dropped = [...sql.matchAll(/^DROP TABLE "(\w+)";$/gm)].map((m) => m[1]!);
  if (dropped.length === 0) return "";
  const db = openPrisma(url);
  try {
    const triggers = await db.$queryRawUnsafe<{ sql: string }[]>(
      `SELECT "sql" FROM "sqlite_master" WHERE "type" = 'trigger' AND "tbl_name" IN (${dropped.map((t) => `'${t}'`).join(", ")}) ORDER BY "name"`,
    );
    return triggers.map((t) => `\n${t.sql};\n`).join("");
  } finally {
    await db.$disconnect();
  }
}
