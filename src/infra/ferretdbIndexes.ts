import { createHash } from 'node:crypto';
import pg from 'pg';
import type { Backend } from './ferretdbBackend.ts';

/**
 * FerretDB 1.x on PostgreSQL stores each collection as one jsonb column and turns a filter on a
 * field into `_jsonb->'field' @> value`. The btree indexes it makes for createIndex cannot serve
 * `@>`, so every lookup scanned the whole table (30 ms at 100,000 pupils, growing with the data).
 * For each field that a model indexes, a GIN index on the same expression (jsonb_path_ops serves
 * `@>`) makes those lookups use an index, as they would on MongoDB. Only the embedded development
 * and test database needs this; production runs on MongoDB.
 */
export async function addLookupIndexes(backend: Backend): Promise<number> {
  if (backend.handler !== 'pg') return 0;
  const client = new pg.Client({ connectionString: backend.url, connectionTimeoutMillis: 3000 });
  client.on('error', () => {});
  await client.connect();
  let created = 0;
  try {
    const schemas = await client.query<{ schema: string }>(
      "SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = '_ferretdb_database_metadata'",
    );
    for (const { schema } of schemas.rows) {
      const collections = await client.query<{ tbl: string; indexes: Array<{ key: Record<string, number> }> | null }>(
        `SELECT _jsonb->>'table' AS tbl, _jsonb->'indexes' AS indexes FROM ${ident(schema)}._ferretdb_database_metadata`,
      );
      for (const { tbl, indexes } of collections.rows) {
        // FerretDB pushes down only top-level fields, so dotted paths would gain nothing.
        const fields = new Set((indexes ?? []).flatMap((i) => Object.keys(i.key)).filter((f) => !f.includes('.')));
        for (const field of fields) {
          const name = `${tbl}_gin_${createHash('sha256').update(field).digest('hex').slice(0, 8)}`;
          const res = await client.query(
            `CREATE INDEX IF NOT EXISTS ${ident(name)} ON ${ident(schema)}.${ident(tbl)} USING gin ((_jsonb->${literal(field)}) jsonb_path_ops)`,
          );
          if (res.command === 'CREATE') created += 1;
        }
      }
    }
  } finally {
    await client.end().catch(() => {});
  }
  return created;
}

const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
