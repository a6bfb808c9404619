import type { Config } from '../config.ts';
import { addEmbeddedLookupIndexes, ensureFerretDb } from './ferretdb.ts';
import { ensureRedis } from './redisServer.ts';

export const defaultDbName = 'edu_support';

/** The database name in a MongoDB URI (its path), or the default. */
export function dbNameFromUri(uri: string): string {
  const name = new URL(uri).pathname.replace(/^\//, '');
  return decodeURIComponent(name) || defaultDbName;
}

/** Everything kept in Redis sits under this prefix, so two instances sharing one Redis never meet. */
export function redisPrefixFor(dbName: string): string {
  return `edu:${dbName}`;
}

export type Connections = {
  mongoUri: string;
  redisUrl: string;
  dbName: string;
  redisPrefix: string;
  /** Call after the models' indexes are built: tunes the embedded database's lookups (no-op with MONGODB_URI). */
  afterIndexSync(): Promise<void>;
  /** Stops the embedded servers this process started (none when it found them running). */
  stopOwned(): Promise<void>;
};

/**
 * Resolves MONGODB_URI and REDIS_URL, starting the embedded FerretDB and Redis under DATA_DIR
 * when they are not set. `needRedis: false` lets the CLI work without Redis.
 */
export async function resolveConnections(config: Config, opts: { needRedis?: boolean } = {}): Promise<Connections> {
  const stops: Array<() => Promise<void>> = [];
  let mongoUri = config.mongodbUri;
  if (!mongoUri) {
    const m = await ensureFerretDb(config.dataDir, defaultDbName, undefined, config.ferretdbPostgresUrl);
    if (m.owned) stops.push(m.stop);
    mongoUri = m.uri;
  }
  let redisUrl = config.redisUrl ?? '';
  if (!redisUrl && opts.needRedis !== false) {
    const r = await ensureRedis(config.dataDir);
    if (r.owned) stops.push(r.stop);
    redisUrl = r.url;
  }
  const dbName = dbNameFromUri(mongoUri);
  return {
    mongoUri,
    redisUrl,
    dbName,
    redisPrefix: redisPrefixFor(dbName),
    afterIndexSync: async () => {
      if (!config.mongodbUri) await addEmbeddedLookupIndexes(config.dataDir);
    },
    stopOwned: async () => {
      for (const stop of stops.reverse()) await stop();
    },
  };
}
