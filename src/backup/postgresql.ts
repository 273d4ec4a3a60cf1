import pg from "pg";
import { postgresTarget } from "../db/connection.js";
import {
  backupValue,
  dependencyOrder,
  migrationsTable,
  quoted,
  type BackupValue,
  type Column,
  type ColumnType,
  type Loader,
  type Snapshot,
  type Table,
} from "./tables.js";

/** How long connecting may take before the backup or restore gives up (the bot's pool waits as long). */
const connectTimeoutMs = 10_000;

/** Oids of the timestamp types, read as their text: pg would read them in the process's time zone. */
const timestampOids = new Set([1114, 1184]);

function columnType(dataType: string, where: string): ColumnType {
  switch (dataType) {
    case "integer":
    case "smallint":
      return "int";
    case "bigint":
      return "bigint";
    case "double precision":
    case "real":
      return "float";
    case "boolean":
      return "bool";
    case "timestamp without time zone":
    case "timestamp with time zone":
      return "datetime";
    case "text":
    case "character varying":
      return "text";
    default:
      throw new Error(`${where}: column type ${dataType} cannot be backed up`);
  }
}

/** A client of its own (not the bot's pool): a transaction holds its connection from start to end. */
async function connect(url: string): Promise<pg.Client> {
  const { connectionString, schema } = postgresTarget(url);
  const client = new pg.Client({
    connectionString,
    connectionTimeoutMillis: connectTimeoutMs,
    types: {
      getTypeParser: ((oid: number, format?: string) => (timestampOids.has(oid) ? (v: string) => v : pg.types.getTypeParser(oid, format as "text"))) as never,
    },
  });
  await client.connect();
  if (schema) await client.query(`SET search_path TO ${quoted(schema)}`);
  return client;
}

type Row = Record<string, unknown>;

/** The tables of the connection's schema, as its catalogue describes them. */
async function readTables(client: pg.Client): Promise<Table[]> {
  const columns = await client.query(
    `SELECT table_name, column_name, data_type, column_default FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name <> $1
       AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE')
     ORDER BY table_name, ordinal_position`,
    [migrationsTable],
  );
  const keys = await client.query(
    `SELECT kcu.table_name, kcu.column_name FROM information_schema.table_constraints tc
     JOIN information_schema.key_column_usage kcu
       ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
     WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = current_schema()
     ORDER BY kcu.ordinal_position`,
  );
  const references = await client.query(
    `SELECT DISTINCT tc.table_name, ccu.table_name AS referenced FROM information_schema.table_constraints tc
     JOIN information_schema.constraint_column_usage ccu
       ON ccu.constraint_schema = tc.constraint_schema AND ccu.constraint_name = tc.constraint_name
     WHERE tc.constraint_type = 'FOREIGN KEY' AND tc.table_schema = current_schema()`,
  );
  const tables = new Map<string, Table>();
  for (const row of columns.rows as Row[]) {
    const name = String(row.table_name);
    const table = tables.get(name) ?? { name, columns: [], primaryKey: [], references: [], counter: null };
    tables.set(name, table);
    const column: Column = { name: String(row.column_name), type: columnType(String(row.data_type), `${name}.${String(row.column_name)}`) };
    table.columns.push(column);
    // A serial column's default draws from its sequence.
    if (String(row.column_default ?? "").startsWith("nextval(")) table.counter = column.name;
  }
  for (const row of keys.rows as Row[]) tables.get(String(row.table_name))?.primaryKey.push(String(row.column_name));
  for (const row of references.rows as Row[]) tables.get(String(row.table_name))?.references.push(String(row.referenced));
  return dependencyOrder([...tables.values()]);
}

async function readMigrations(client: pg.Client): Promise<string[]> {
  const exists = await client.query("SELECT to_regclass($1) IS NOT NULL AS present", [quoted(migrationsTable)]);
  if (!(exists.rows[0] as Row).present) return [];
  const rows = await client.query(
    `SELECT migration_name FROM ${quoted(migrationsTable)} WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
  );
  return (rows.rows as Row[]).map((r) => String(r.migration_name));
}

/** A connection of its own, and the migrations and tables of its database; `first` runs before reading them. */
async function connectAndRead(url: string, first?: string): Promise<{ client: pg.Client; migrations: string[]; tables: Table[] }> {
  const client = await connect(url);
  try {
    if (first) await client.query(first);
    return { client, migrations: await readMigrations(client), tables: await readTables(client) };
  } catch (err) {
    await client.end().catch(() => undefined);
    throw err;
  }
}

/**
 * A value as a query parameter. An instant goes as ISO text with its "Z", which a `timestamp
 * without time zone` column takes as the UTC wall time Prisma keeps there.
 */
function parameter(value: BackupValue, type: ColumnType): unknown {
  if (value === null) return null;
  return type === "bigint" ? String(value) : value;
}

/** The sequence behind a table's counter, as a qualified name usable in SQL. */
async function sequenceOf(client: pg.Client, table: Table): Promise<string | null> {
  if (!table.counter) return null;
  const result = await client.query("SELECT pg_get_serial_sequence($1, $2) AS seq", [quoted(table.name), table.counter]);
  const seq = (result.rows[0] as Row).seq;
  return seq ? String(seq) : null;
}

const count = async (client: pg.Client, table: Table) =>
  Number((((await client.query(`SELECT COUNT(*) AS n FROM ${quoted(table.name)}`)).rows[0] as Row).n as string) ?? 0);

/**
 * A snapshot of a PostgreSQL database: a REPEATABLE READ, READ ONLY transaction on a connection
 * of its own sees the database as of its first query and takes no lock that stops writers.
 * Rows come through a cursor, a page at a time.
 */
export async function openPostgresSnapshot(url: string): Promise<Snapshot> {
  const { client, migrations, tables } = await connectAndRead(url, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  return {
    kind: "postgresql",
    migrations,
    tables,
    count: (table) => count(client, table),
    async lastId(table) {
      // Sequences stand outside transactions: this is at least the snapshot's last id.
      const seq = await sequenceOf(client, table);
      if (!seq) return null;
      const row = (await client.query(`SELECT last_value, is_called FROM ${seq}`)).rows[0] as Row;
      return row.is_called ? Number(row.last_value) : null;
    },
    async *rows(table, pageSize) {
      const order = table.primaryKey.length ? ` ORDER BY ${table.primaryKey.map(quoted).join(", ")}` : "";
      await client.query(
        `DECLARE backup_rows NO SCROLL CURSOR FOR SELECT ${table.columns.map((c) => quoted(c.name)).join(", ")} FROM ${quoted(table.name)}${order}`,
      );
      try {
        for (;;) {
          const page = await client.query({ text: `FETCH ${pageSize} FROM backup_rows`, rowMode: "array" });
          if (page.rows.length === 0) return;
          yield (page.rows as unknown[][]).map((row) => table.columns.map((c, i) => backupValue(row[i], c.type, `${table.name}.${c.name}`)));
        }
      } finally {
        await client.query("CLOSE backup_rows");
      }
    },
    async close() {
      await client.query("ROLLBACK").catch(() => undefined);
      await client.end();
    },
  };
}

/** Rows per INSERT statement: well under PostgreSQL's 65,535 parameters in one statement. */
const rowsPerInsert = (columns: number) => Math.max(1, Math.floor(10_000 / Math.max(1, columns)));

/** A loader into a PostgreSQL database: one transaction; foreign keys are checked on every insert. */
export async function openPostgresLoader(url: string): Promise<Loader> {
  const { client, migrations, tables } = await connectAndRead(url);
  return {
    kind: "postgresql",
    migrations,
    tables,
    async nonEmptyTables() {
      const found: string[] = [];
      for (const t of tables) if ((await client.query(`SELECT 1 FROM ${quoted(t.name)} LIMIT 1`)).rows.length > 0) found.push(t.name);
      return found;
    },
    async begin() {
      await client.query("BEGIN");
    },
    async clear(toClear) {
      if (toClear.length) await client.query(`TRUNCATE ${toClear.map((t) => quoted(t.name)).join(", ")}`);
    },
    async insert(table, columns, rows) {
      const names = columns.map((c) => quoted(c.name)).join(", ");
      const step = rowsPerInsert(columns.length);
      for (let start = 0; start < rows.length; start += step) {
        const batch = rows.slice(start, start + step);
        const values: unknown[] = [];
        const tuples = batch.map((row) => `(${row.map((value, i) => (values.push(parameter(value, columns[i]!.type)), `$${values.length}`)).join(", ")})`);
        await client.query(`INSERT INTO ${quoted(table.name)} (${names}) VALUES ${tuples.join(", ")}`, values);
      }
    },
    count: (table) => count(client, table),
    // Every foreign key was checked as its row went in; a violation failed the insert.
    foreignKeyProblems: async () => [],
    async advanceCounter(table, lastId) {
      const seq = await sequenceOf(client, table);
      if (!seq) return;
      const max = Number(((await client.query(`SELECT MAX(${quoted(table.counter!)}) AS m FROM ${quoted(table.name)}`)).rows[0] as Row).m ?? 0);
      // Never backwards: ids the live database already handed out (named by buttons still shown)
      // are not given again, as SQLite keeps the greater of its counter and the restored one.
      const current = Number(((await client.query("SELECT pg_sequence_last_value($1::regclass) AS v", [seq])).rows[0] as Row).v ?? 0);
      const next = Math.max(max, lastId ?? 0, current);
      await client.query(next > 0 ? "SELECT setval($1, $2, true)" : "SELECT setval($1, 1, false)", next > 0 ? [seq, next] : [seq]);
    },
    async commit() {
      await client.query("COMMIT");
    },
    async rollback() {
      await client.query("ROLLBACK").catch(() => undefined);
    },
    async close() {
      await client.end();
    },
  };
}
