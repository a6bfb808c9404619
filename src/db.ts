import mongoose, { type Connection } from 'mongoose';
import type { Logger } from './logger.ts';

// Fail fast instead of queueing queries while the database is away: the HTTP layer turns the
// failure into a 503 and the driver reconnects by itself.
mongoose.set('bufferCommands', false);
mongoose.set('strictQuery', true);

/** How every process's client connects. */
export const clientOptions = {
  serverSelectionTimeoutMS: 3000,
  heartbeatFrequencyMS: 5000,
  autoIndex: true,
  autoCreate: true,
  // At most 10 commands in flight per process: on FerretDB 1.x an update holds one PostgreSQL
  // connection while it takes another, so updates in flight beyond its pool (50) across the
  // API and the worker deadlock it (see bulkWrites.ts); MongoDB does well with 10 too.
  maxPoolSize: 10,
} satisfies mongoose.ConnectOptions;

/**
 * Connects the shared mongoose connection, retrying in the background until the database answers,
 * so a process started while the database is down comes up and recovers by itself.
 */
export function connectDatabase(uri: string, logger: Logger, maxAttempts = Infinity): Promise<void> {
  let attempt = 0;
  const tryOnce = async (): Promise<void> => {
    try {
      await mongoose.connect(uri, clientOptions);
      logger.info({ db: mongoose.connection.name }, 'database connected');
    } catch (err) {
      attempt += 1;
      if (attempt >= maxAttempts) throw err;
      logger.warn({ err: (err as Error).message, attempt }, 'database not reachable, retrying');
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** attempt)));
      return tryOnce();
    }
  };
  return tryOnce();
}

/** True while the driver holds a usable connection. */
export function isDatabaseConnected(connection: Connection = mongoose.connection): boolean {
  return connection.readyState === mongoose.ConnectionStates.connected;
}

export type PingOptions = { timeoutMs?: number; connection?: Connection; evenIfDisconnected?: boolean };

/**
 * Answers whether the database responds to a ping within `timeoutMs`. A connection mongoose
 * reports down answers false at once (the readiness probe's quick 503), unless
 * `evenIfDisconnected`: then the ping is sent anyway, and the attempt wakes the driver's monitor,
 * which is what a recovering client needs to notice that the database is back.
 */
export async function pingDatabase({ timeoutMs = 1500, connection = mongoose.connection, evenIfDisconnected = false }: PingOptions = {}): Promise<boolean> {
  const db = connection.db;
  if (!db || (!evenIfDisconnected && !isDatabaseConnected(connection))) return false;
  const timeout = new Promise<false>((r) => setTimeout(() => r(false), timeoutMs).unref());
  const ping = db
    .command({ ping: 1 })
    .then(() => true)
    .catch(() => false);
  return Promise.race([ping, timeout]);
}

/** Builds every model's indexes; called at start-up so unique keys hold before the first write. */
export async function syncIndexes(): Promise<void> {
  for (const model of Object.values(mongoose.models)) {
    // A model with no index of its own would get its collection only at its first write, after
    // the embedded database's lookup indexes were added at start, and so miss its `_id` one.
    await model.createCollection().catch((err: { code?: number }) => {
      if (err.code !== 48) throw err; // NamespaceExists
    });
    await model.createIndexes();
  }
  // The driver makes GridFS's indexes at the first upload; made here, they exist before the
  // embedded database's lookup indexes are added at start, like every model's.
  const db = mongoose.connection.db;
  if (db) {
    await db.collection(`${importBucketName}.files`).createIndex({ filename: 1, uploadDate: 1 });
    await db.collection(`${importBucketName}.chunks`).createIndex({ files_id: 1, n: 1 }, { unique: true });
  }
}

/** The GridFS bucket that keeps uploaded files. */
export const importBucketName = 'importFiles';

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}
