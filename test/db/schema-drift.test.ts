import { createHash } from "node:crypto";
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error -- a plain .mjs build script without type declarations
import { providers, renderSchema, schemaPath } from "../../scripts/prisma-schema.mjs";
import { openPrisma } from "../../src/db/connection.js";
import { applyMigrations, diffDatabaseToSchema, prismaDir } from "../../src/db/schema-engine.js";
import { createScratchDatabase } from "../../src/db/scratch-database.js";
import { databaseKinds } from "../support/databases.js";

describe("one schema for two databases", () => {
  it.each(providers as string[])("the %s schema is rendered from prisma/models.prisma (run `npm run schema` after a change)", (provider) => {
    expect(readFileSync(schemaPath(provider), "utf8")).toBe(renderSchema(provider));
  });

  it("both providers have the same migrations, by name", () => {
    const names = (kind: string) => readdirSync(path.join(prismaDir(kind as "sqlite"), "migrations")).filter((n) => !n.endsWith(".toml"));
    expect(names("sqlite")).toEqual(names("postgresql"));
  });
});

describe.each(await databaseKinds())("migrations on %s", (kind) => {
  it("bring an empty database exactly to the schema (run `npm run migration:create` after a change)", async () => {
    const scratch = await createScratchDatabase(kind);
    try {
      const applied = await applyMigrations(scratch.url);
      expect(applied.length).toBeGreaterThan(0);
      expect(await diffDatabaseToSchema(scratch.url)).toBe("");
      expect(await applyMigrations(scratch.url)).toEqual([]);
    } finally {
      await scratch.drop();
    }
  });

  it("keep the bookkeeping of `prisma migrate deploy`, so its CLI can take over the same database", async () => {
    const scratch = await createScratchDatabase(kind);
    const db = openPrisma(scratch.url);
    try {
      const applied = await applyMigrations(scratch.url);
      const rows = await db.$queryRawUnsafe<{ migration_name: string; checksum: string; finished_at: unknown }[]>(
        'SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name',
      );
      expect(rows.map((r) => r.migration_name)).toEqual(applied);
      for (const row of rows) {
        const sql = readFileSync(path.join(prismaDir(kind), "migrations", row.migration_name, "migration.sql"));
        expect(row.checksum).toBe(createHash("sha256").update(sql).digest("hex"));
        expect(row.finished_at).not.toBeNull();
      }
    } finally {
      await db.$disconnect();
      await scratch.drop();
    }
  });

  it("detect a schema that moved on without a migration", async () => {
    const scratch = await createScratchDatabase(kind);
    const db = openPrisma(scratch.url);
    try {
      await applyMigrations(scratch.url);
      await db.$executeRawUnsafe('DROP INDEX "Milestone_status_dueDate_idx"');
      expect(await diffDatabaseToSchema(scratch.url)).toContain("Milestone_status_dueDate_idx");
    } finally {
      await db.$disconnect();
      await scratch.drop();
    }
  });
});
