import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import { isDatabaseConnected } from '../db.ts';
import { isRedisReady } from '../redis.ts';
import { Unavailable } from '../errors.ts';

/**
 * Answers 503 at once while the database or Redis is away, instead of letting a request hang;
 * both clients reconnect by themselves and requests succeed again when they return.
 */
export function requireDependencies(redis: Redis): RequestHandler {
  return (_req, _res, next) => {
    if (!isDatabaseConnected() || !isRedisReady(redis)) throw new Unavailable();
    next();
  };
}
