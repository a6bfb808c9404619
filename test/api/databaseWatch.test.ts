import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import mongoose, { Schema, type Connection, type Model } from 'mongoose';
import { expect } from 'chai';
import { ensureFerretDb, removeFerretDbData, type EmbeddedMongo } from '../../src/infra/ferretdb.ts';
import { clientOptions, pingDatabase } from '../../src/db.ts';
import { watchDatabaseClient, type DatabaseWatch } from '../../src/dbWatchdog.ts';
import { createLogger } from '../../src/logger.ts';
import { eventually } from '../support/process.ts';

type Monitored = { s: { servers: Map<string, { monitor?: { monitorId?: { stop(): void } } }> } };

/**
 * The database client's watch, on a FerretDB of this test's own that it stops and starts. The
 * defect it answers (the driver's server monitor stops checking after a restart, so the client
 * fails every query while the database is back) comes about in some restarts only; here it is
 * brought about on purpose by stopping the monitor, which leaves the client in the same state.
 */
describe('database client watch: a client stuck after a restart is replaced, a database really away is waited for', function () {
  this.timeout(120_000);
  const logger = createLogger('silent', 'test');
  let dir: string;
  let dataDir: string;
  let mongo: EmbeddedMongo;
  let conn: Connection;
  let watch: DatabaseWatch | undefined;
  // Through a model, as the service queries: mongoose's own checks are on that path too.
  let Thing: Model<{ n: number }>;
  // Three failed checks a second apart (each waits out a 3 s server selection): longer than the
  // client's own heartbeat (5 s), as in use.

  const restart = async () => {
    const port = mongo.port;
    await mongo.stop();
    // A query while it is away: the client marks the server unknown and clears its pool.
    expect(await Thing.findOne({}).then(() => 'answered', (err: Error) => err.name)).to.match(/Mongo/);
    mongo = await ensureFerretDb(dataDir, 'watch', port);
  };

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'edu-dbwatch-'));
    dataDir = path.join(dir, 'data');
    mongo = await ensureFerretDb(dataDir, 'watch');
    conn = await mongoose.createConnection(mongo.uri, clientOptions).asPromise();
    Thing = conn.model('Thing', new Schema<{ n: number }>({ n: { type: Number, required: true } }));
    await Thing.create({ n: 1 });
  });
  afterEach(() => watch?.stop());
  after(async () => {
    await conn?.close();
    await mongo?.stop();
    if (dataDir) await removeFerretDbData(dataDir);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the client alone while the database is really away, and it recovers by itself', async () => {
    const client = conn.getClient();
    watch = watchDatabaseClient(mongo.uri, logger, { everyMs: 1000, strikes: 3, connection: conn });
    await restart();
    await eventually('the client answers again', () => pingDatabase({ connection: conn }), 30_000);
    expect(conn.getClient(), 'the same client').to.equal(client);
  });

  it('replaces a client that cannot reach a database a fresh client reaches, and it answers again', async () => {
    const client = conn.getClient();
    const topology = (client as unknown as { topology: Monitored }).topology;
    for (const server of topology.s.servers.values()) server.monitor?.monitorId?.stop();
    await restart();
    // Stuck: with no monitor the server stays unknown, though the database is back.
    await sleep(3000);
    expect(await pingDatabase({ connection: conn }), 'stuck before the watch starts').to.equal(false);

    watch = watchDatabaseClient(mongo.uri, logger, { everyMs: 1000, strikes: 3, connection: conn });
    await eventually('the client answers again', () => pingDatabase({ connection: conn }), 30_000);
    expect(conn.getClient(), 'a new client').to.not.equal(client);
    expect((await Thing.findOne({}).lean())?.n).to.equal(1);
    await Thing.create({ n: 2 });
    expect(await Thing.countDocuments()).to.equal(2);
  });
});
