import { readFile, readdir } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { createAdapterFactory, databaseKind, openPrisma, type DatabaseKind, type Prisma } from "./connection.js";

// Prisma's schema engine compiled to WebAssembly does what `prisma migrate deploy` does,
// through the same driver adapters as the client, so no native engine (and no download) is
// needed. Its package entry imports a .wasm module, which Node 20 rejects, so it is
// instantiated by hand here.

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(import.meta.url);
const noFilters = { externalTables: [], externalEnums: [] };

// Node has WebAssembly; TypeScript declares it only in its DOM library.
declare const WebAssembly: {
  instantiate(bytes: Uint8Array, imports: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

type EngineModule = typeof import("@prisma/schema-engine-wasm");
let engineModule: Promise<EngineModule> | undefined;

function loadEngineModule(): Promise<EngineModule> {
  engineModule ??= (async () => {
    const bindingsPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bindings = (await import("@prisma/schema-engine-wasm/schema_engine_bg")) as EngineModule & {
      __wbg_set_wasm(exports: Record<string, unknown>): void;
    };
    const bytes = await readFile(path.join(path.dirname(bindingsPath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": bindings as never });
    bindings.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bindings;
  })();
  return engineModule;
}

/** Directory holding the schema and migrations of a provider. */
export function prismaDir(kind: DatabaseKind): string {
  return path.join(projectRoot, "prisma", kind);
}

/** The rendered schema file of a provider, as [path, content]. */
async function readSchema(kind: DatabaseKind): Promise<[string, string]> {
  const file = path.join(prismaDir(kind), "schema.prisma");
  return [file, await readFile(file, "utf8")];
}

/** The names of a provider's migrations this code carries, oldest first. */
export async function migrationNames(kind: DatabaseKind): Promise<string[]> {
  const entries = await readdir(path.join(prismaDir(kind), "migrations"), { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
}

/** The migrations of a provider as the schema engine wants them. */
export async function readMigrations(kind: DatabaseKind): Promise<MigrationList> {
  const baseDir = path.join(prismaDir(kind), "migrations");
  const dirs = await migrationNames(kind);
  const lockPath = path.join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: lockPath, content: await readFile(lockPath, "utf8").catch(() => null) },
    shadowDbInitScript: "",
    migrationDirectories: await Promise.all(
      dirs.map(async (dir) => ({
        path: dir,
        migrationFile: {
          path: "migration.sql",
          content: await readFile(path.join(baseDir, dir, "migration.sql"), "utf8").then(
            (ok) => ({ tag: "ok" as const, value: ok }),
            (err: Error) => ({ tag: "error" as const, value: err.message }),
          ),
        },
      })),
    ),
  };
}

const appliedQuery = 'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';

/**
 * Of `expected` (`migrationNames` read at start), those the database has not applied: one small
 * read through the running client, for the readiness check.
 */
export async function pendingMigrations(db: Prisma, expected: readonly string[]): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ migration_name: string }[]>(appliedQuery);
  const applied = new Set(rows.map((r) => r.migration_name));
  return expected.filter((name) => !applied.has(name));
}

/** Runs `fn` with a schema engine connected to the database at `url`. */
async function withSchemaEngine<T>(url: string, fn: (engine: SchemaEngine) => Promise<T>): Promise<T> {
  const kind = databaseKind(url);
  const { SchemaEngine } = await loadEngineModule();
  // The engine does not close the connections it opens when freed; close them here, or a
  // SQLite file stays locked until garbage collection.
  const factory = createAdapterFactory(url, true);
  const opened: SqlDriverAdapter[] = [];
  const tracking: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => remember(await factory.connect()),
    connectToShadowDb: async () => remember(await factory.connectToShadowDb()),
  };
  const remember = (adapter: SqlDriverAdapter) => (opened.push(adapter), adapter);
  const engine = await SchemaEngine.new({ datamodels: [await readSchema(kind)] }, () => {}, bindMigrationAwareSqlAdapterFactory(tracking));
  try {
    return await fn(engine);
  } finally {
    engine.free();
    await Promise.all(opened.map((adapter) => adapter.dispose()));
  }
}

/** Names of the migrations already applied to the database at `url` (none on a new database). */
async function appliedMigrationNames(url: string): Promise<Set<string>> {
  const adapter = await createAdapterFactory(url).connect();
  try {
    const result = await adapter.queryRaw({
      sql: appliedQuery,
      args: [],
      argTypes: [],
    });
    return new Set(result.rows.map((row) => String(row[0])));
  } catch {
    return new Set(); // no bookkeeping table yet
  } finally {
    await adapter.dispose();
  }
}

/**
 * Applies the pending migrations to the database at `url`, keeping the same
 * `_prisma_migrations` bookkeeping as `prisma migrate deploy`. Returns the names applied.
 * The engine takes the database for itself (on SQLite an exclusive lock), so it only runs
 * when something is pending: `pantau import` next to a running bot must not need it.
 * `only` limits them to the named ones (a restore first rebuilds the schema a backup was made on).
 */
export async function applyMigrations(url: string, only?: readonly string[]): Promise<string[]> {
  const all = await readMigrations(databaseKind(url));
  const migrationsList = only ? { ...all, migrationDirectories: all.migrationDirectories.filter((dir) => only.includes(dir.path)) } : all;
  const applied = await appliedMigrationNames(url);
  if (migrationsList.migrationDirectories.every((dir) => applied.has(dir.path))) return [];
  const result = await withSchemaEngine(url, (engine) => engine.applyMigrations({ migrationsList, filters: noFilters }));
  return result.appliedMigrationNames;
}

/**
 * The SQL that would bring the database at `url` to the current schema; empty when the
 * database (with every migration applied) already matches it.
 */
export async function diffDatabaseToSchema(url: string): Promise<string> {
  const kind = databaseKind(url);
  const [file, content] = await readSchema(kind);
  const result = await withSchemaEngine(url, (engine) =>
    engine.diff({
      from: { tag: "schemaDatasource", files: [{ path: file, content }], configDir: prismaDir(kind) },
      to: { tag: "schemaDatamodel", files: [{ path: file, content }] },
      script: true,
      exitCode: true,
      filters: noFilters,
    }),
  );
  return result.exitCode === 2 ? (result.stdout ?? "") : "";
}

/**
 * A SQLite migration `sql` (from `diffDatabaseToSchema` of the SQLite database at `url`) that keeps
 * the database's triggers (the plan versions). SQLite changes most columns by redefining a table:
 * a copy, DROP TABLE, then renaming the copy, which fails while any trigger names the dropped
 * table, and the drop takes the table's own triggers with it. Around a redefinition, so, every
 * trigger is dropped first and created again at the end, as it stands in the database.
 */
export async function keepSqliteTriggers(url: string, sql: string): Promise<string> {
  if (!/^DROP TABLE "\w+";$/m.test(sql)) return sql;
  const db = openPrisma(url);
  try {
    const triggers = await db.$queryRawUnsafe<{ name: string; sql: string }[]>(
      `SELECT "name", "sql" FROM "sqlite_master" WHERE "type" = 'trigger' ORDER BY "name"`,
    );
    if (triggers.length === 0) return sql;
    const drop = triggers.map((t) => `DROP TRIGGER "${t.name}";\n`).join("");
    const create = triggers.map((t) => `\n${t.sql};\n`).join("");
    return `-- Triggers: dropped around the redefinitions, created again after them (keepSqliteTriggers)\n${drop}\n${sql}${create}`;
  } finally {
    await db.$disconnect();
  }
}
