import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import pg from 'pg';

/**
 * Where the embedded FerretDB keeps its documents. PostgreSQL when it answers: FerretDB hands
 * filters on a field to it, so a lookup costs a scan inside PostgreSQL instead of decoding every
 * document in FerretDB, which on SQLite made imports slow down with every stored record. SQLite
 * under DATA_DIR otherwise, so a machine without PostgreSQL still starts.
 */
export type Backend = { handler: 'pg'; url: string; adminUrl: string; database: string } | { handler: 'sqlite' };

/** One PostgreSQL database per DATA_DIR, so test runs and the demo never share documents. */
function databaseFor(dataDir: string): string {
  return 'ferretdb_' + createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
}

async function withClient<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  // A refused connection also emits 'error'; without a listener it would end the process.
  client.on('error', () => {});
  await client.connect();
  try {
    return await f(client);
  } finally {
    await client.end().catch(() => {});
  }
}

async function createDatabase(adminUrl: string, database: string): Promise<void> {
  await withClient(adminUrl, async (c) => {
    const found = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    // The name is ours (hex), never user text, so quoting it as an identifier is enough.
    if (!found.rowCount) await c.query(`CREATE DATABASE "${database}"`).catch((err: { code?: string }) => {
      if (err.code !== '42P04') throw err; // another process created it a moment ago
    });
    // FerretDB sends the field name as a statement parameter (`_jsonb->$1 @> $2`); a cached generic
    // plan cannot match an index on `_jsonb->'field'`, so every execution is planned with its values.
    await c.query(`ALTER DATABASE "${database}" SET plan_cache_mode = force_custom_plan`);
  });
}

/**
 * The backend recorded for DATA_DIR, or, on its first start, PostgreSQL at `postgresUrl` when it
 * answers and SQLite when not. The choice is recorded so that data never seems to vanish because
 * PostgreSQL happened to be down at one start. A DATA_DIR that already holds SQLite data from
 * before the choice was recorded stays on SQLite for the same reason.
 */
export async function chooseBackend(file: string, dataDir: string, postgresUrl: string | null, sqliteDir: string): Promise<Backend> {
  const b = readBackend(file);
  if (b) {
    if (b.handler === 'pg') {
      await createDatabase(b.adminUrl, b.database).catch((err: Error) => {
        throw new Error(`FerretDB keeps the data of ${dataDir} in PostgreSQL (${redact(b.adminUrl)}), which does not answer: ${err.message}`);
      });
    }
    return b;
  }
  let backend: Backend = { handler: 'sqlite' };
  const hasSqliteData = fs.existsSync(sqliteDir) && fs.readdirSync(sqliteDir).some((f) => f.endsWith('.sqlite'));
  if (postgresUrl && !hasSqliteData) {
    const database = databaseFor(dataDir);
    const reachable = await createDatabase(postgresUrl, database).then(
      () => true,
      () => false,
    );
    if (reachable) {
      const url = new URL(postgresUrl);
      url.pathname = '/' + database;
      backend = { handler: 'pg', url: url.toString(), adminUrl: postgresUrl, database };
    }
  }
  fs.writeFileSync(file, JSON.stringify(backend), { mode: 0o600 });
  return backend;
}

/** The backend recorded for a DATA_DIR, if FerretDB was started for it. */
export function readBackend(file: string): Backend | null {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Backend) : null;
}

/** Drops the PostgreSQL database recorded for a DATA_DIR (tests and benchmarks clean up with it). */
export async function dropBackendData(file: string): Promise<void> {
  const b = readBackend(file);
  if (b?.handler === 'pg') await withClient(b.adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${b.database}" WITH (FORCE)`));
  fs.rmSync(file, { force: true });
}

function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}
