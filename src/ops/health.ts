import { Router } from 'express';
import type { Redis } from 'ioredis';
import { pingDatabase } from '../db.ts';
import { pingRedis } from '../redis.ts';

/** /healthz: the process is alive. /readyz: the database and Redis answer (503 otherwise). */
export function healthRoutes(redis: Redis): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const [database, redisOk] = await Promise.all([pingDatabase(), pingRedis(redis)]);
    const ok = database && redisOk;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ready' : 'unavailable', checks: { database: database ? 'ok' : 'down', redis: redisOk ? 'ok' : 'down' } });
  });
  return router;
}
