import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect } from 'chai';
import pg from 'pg';
import { stack } from '../support/stack.ts';
import { loadConfig } from '../../src/config.ts';
import { chooseBackend, dropBackendData, type Backend } from '../../src/infra/ferretdbBackend.ts';

/**
 * The embedded FerretDB on PostgreSQL: every field a model indexes gets an index that FerretDB's
 * own form of an equality filter (`_jsonb->'field' @> value`) can use. Without it each lookup by
 * personal-code hash scanned the whole pupils table.
 */
describe('embedded database: lookups use an index', () => {
  let backend: Backend | null = null;
  before(function () {
    const file = path.join(stack().dataDir, 'ferretdb', 'backend.json');
    if (fs.existsSync(file)) backend = JSON.parse(fs.readFileSync(file, 'utf8')) as Backend;
    // Nothing to check on SQLite or on a MongoDB given by MONGODB_URI.
    if (backend?.handler !== 'pg') this.skip();
  });

  async function withClient<T>(f: (c: pg.Client) => Promise<T>): Promise<T> {
    const c = new pg.Client({ connectionString: (backend as Extract<Backend, { handler: 'pg' }>).url });
    await c.connect();
    try {
      return await f(c);
    } finally {
      await c.end();
    }
  }

  it('the pupils table answers a personal-code-hash filter from an index, not a scan', async () => {
    const plan = await withClient(async (c) => {
      const meta = await c.query<{ tbl: string }>(
        `SELECT _jsonb->>'table' AS tbl FROM "${stack().dbName}"._ferretdb_database_metadata WHERE _jsonb->>'_id' = 'pupils'`,
      );
      expect(meta.rows, 'the pupils collection exists').to.have.length(1);
      // With scans forbidden the planner still picks a scan when no index fits, so the plan tells.
      await c.query('SET enable_seqscan = off');
      const res = await c.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT _jsonb FROM "${stack().dbName}"."${meta.rows[0]!.tbl}" WHERE _jsonb->'personalCodeHash' @> '"abc"'`,
      );
      return res.rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).to.match(/Index Scan/);
    expect(plan).not.to.match(/Seq Scan/);
  });

  it('every single-field index of the models has its lookup index', async () => {
    const missing = await withClient(async (c) => {
      const rows = await c.query<{ tbl: string; indexes: Array<{ key: Record<string, number> }> }>(
        `SELECT _jsonb->>'table' AS tbl, _jsonb->'indexes' AS indexes FROM "${stack().dbName}"._ferretdb_database_metadata`,
      );
      const gin = await c.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%USING gin%'`, [stack().dbName]);
      const defs = gin.rows.map((r) => r.indexdef);
      const out: string[] = [];
      for (const { tbl, indexes } of rows.rows) {
        for (const field of indexes.flatMap((i) => Object.keys(i.key)).filter((f) => !f.includes('.'))) {
          if (!defs.some((d) => d.includes(`ON ${stack().dbName}.${tbl} USING gin`) && d.includes(`'${field}'`))) out.push(`${tbl}.${field}`);
        }
      }
      return out;
    });
    expect(missing).to.deep.equal([]);
  });
});

describe('embedded database: where FerretDB keeps its data', () => {
  const pgUrl = loadConfig({}).ferretdbPostgresUrl!;
  let dir: string;
  const paths = () => ({ file: path.join(dir, 'backend.json'), sqlite: path.join(dir, 'sqlite') });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-backend-'));
  });
  afterEach(async () => {
    await dropBackendData(paths().file);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function databaseExists(name: string): Promise<boolean> {
    const c = new pg.Client({ connectionString: pgUrl });
    await c.connect();
    try {
      return (await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
    } finally {
      await c.end();
    }
  }

  it('PostgreSQL when it answers: a database of its own, recorded, kept on the next start, dropped on request', async function () {
    const b = await chooseBackend(paths().file, dir, pgUrl, paths().sqlite).catch(() => null);
    if (!b || b.handler !== 'pg') return this.skip(); // no PostgreSQL on this machine
    expect(await databaseExists(b.database)).to.equal(true);
    expect(await chooseBackend(paths().file, dir, null, paths().sqlite), 'the recorded choice wins').to.deep.equal(b);
    await dropBackendData(paths().file);
    expect(await databaseExists(b.database)).to.equal(false);
    expect(fs.existsSync(paths().file)).to.equal(false);
  });

  it('SQLite when no PostgreSQL is configured, and for a data folder that already holds SQLite data', async () => {
    expect(await chooseBackend(paths().file, dir, null, paths().sqlite)).to.deep.equal({ handler: 'sqlite' });
    fs.rmSync(paths().file);
    fs.mkdirSync(paths().sqlite);
    fs.writeFileSync(path.join(paths().sqlite, 'edu_support.sqlite'), '');
    expect(await chooseBackend(paths().file, dir, pgUrl, paths().sqlite)).to.deep.equal({ handler: 'sqlite' });
  });

  it('a recorded PostgreSQL that does not answer stops the start with a sentence, instead of starting empty', async () => {
    const gone = 'postgres://postgres@127.0.0.1:1/postgres';
    fs.writeFileSync(paths().file, JSON.stringify({ handler: 'pg', url: gone.replace('/postgres', '/ferretdb_x'), adminUrl: gone, database: 'ferretdb_x' }));
    const err = await chooseBackend(paths().file, dir, pgUrl, paths().sqlite).then(() => null, (e: Error) => e);
    expect(err?.message).to.match(/keeps the data of .* in PostgreSQL .* which does not answer/);
    fs.rmSync(paths().file);
  });
});
