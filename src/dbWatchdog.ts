import mongoose, { type Connection } from 'mongoose';
import { clientOptions, pingDatabase } from './db.ts';
import type { Logger } from './logger.ts';

export type DatabaseWatch = { stop(): void };
export type WatchOptions = { everyMs?: number; strikes?: number; connection?: Connection };

/** Answers whether a new client, made for the question alone, reaches the database. */
async function reachableAfresh(uri: string): Promise<boolean> {
  const probe = new mongoose.mongo.MongoClient(uri, { serverSelectionTimeoutMS: 2000, connectTimeoutMS: 2000, maxPoolSize: 1 });
  try {
    await probe.db().command({ ping: 1 });
    return true;
  } catch {
    return false;
  } finally {
    await probe.close(true).catch(() => {});
  }
}

/**
 * Replaces a process's database client when it stays unable to reach a database that a fresh
 * client reaches. Seen on the embedded FerretDB, in about one restart in three: the driver's
 * server monitor stops checking (FerretDB reports no topologyVersion, so nothing resets it), and
 * every query then fails server selection for good though the database is back. A database that
 * is really away is left alone: the driver reconnects by itself when it returns.
 */
export function watchDatabaseClient(uri: string, logger: Logger, opts: WatchOptions = {}): DatabaseWatch {
  // Three checks ten seconds apart: far longer than the monitor's own heartbeat (5 s), so a
  // client that is merely slow to notice the database's return is never replaced.
  const { everyMs = 10_000, strikes = 3, connection = mongoose.connection } = opts;
  let failures = 0;
  let checking = false;
  const check = async () => {
    // Longer than the client's server selection (3 s), so a slow answer is not taken for none.
    if (await pingDatabase({ timeoutMs: 4000, connection, evenIfDisconnected: true })) return void (failures = 0);
    if (!(await reachableAfresh(uri))) return void (failures = 0);
    failures += 1;
    if (failures < strikes) return;
    failures = 0;
    logger.warn({ checks: strikes }, 'database client cannot reach a database that answers: replacing the client');
    // Not forced: mongoose refuses every later query on a connection once force-closed, even
    // after it is opened again. Bounded, since the old client may wait on its dead monitor.
    await Promise.race([connection.close().catch(() => {}), new Promise((r) => setTimeout(r, 5000).unref())]);
    await connection.openUri(uri, clientOptions).catch((err: Error) => logger.warn({ err: err.message }, 'database client not replaced yet'));
  };
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    check()
      .catch((err: Error) => logger.warn({ err: err.message }, 'database watch failed'))
      .finally(() => (checking = false));
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
