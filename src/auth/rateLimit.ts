import { rateLimit, ipKeyGenerator, type Store, type IncrementResponse, type RateLimitRequestHandler } from 'express-rate-limit';
import type { Redis } from 'ioredis';
import { TooManyRequests } from '../errors.ts';
import { normalizeReferenceCode } from '../status/registry.ts';

/**
 * A fixed-window counter in Redis for express-rate-limit, on the shared ioredis client: one MULTI
 * per hit, so limits hold across every API process and survive a process restart.
 */
export class RedisWindowStore implements Store {
  windowMs = 60_000;
  readonly redis: Redis;
  readonly prefix: string;
  constructor(redis: Redis, prefix: string) {
    this.redis = redis;
    this.prefix = prefix;
  }
  init(options: { windowMs: number }): void {
    this.windowMs = options.windowMs;
  }
  async increment(key: string): Promise<IncrementResponse> {
    const k = this.prefix + key;
    const res = await this.redis.multi().incr(k).pexpire(k, this.windowMs, 'NX').pttl(k).exec();
    if (!res) throw new Error('Redis transaction failed');
    const hits = Number(res[0]?.[1] ?? 0);
    const ttl = Number(res[2]?.[1] ?? this.windowMs);
    return { totalHits: hits, resetTime: new Date(Date.now() + (ttl > 0 ? ttl : this.windowMs)) };
  }
  async decrement(key: string): Promise<void> {
    await this.redis.decr(this.prefix + key);
  }
  async resetKey(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

const fifteenMinutes = 15 * 60 * 1000;

function emailKey(body: unknown): string {
  const email = (body as { email?: unknown } | undefined)?.email;
  return typeof email === 'string' ? email.trim().toLowerCase().slice(0, 200) : '';
}

/** Sign-in limits: attempts per IP, and failed attempts per account, both per 15 minutes. */
export function signinLimiters(redis: Redis, prefix: string, perIp: number, perAccount: number): RateLimitRequestHandler[] {
  const fail = (_req: unknown, _res: unknown, next: (err: unknown) => void) => next(new TooManyRequests('too_many_signin_attempts'));
  return [
    rateLimit({
      windowMs: fifteenMinutes,
      limit: perIp,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new RedisWindowStore(redis, `${prefix}:rl:signin-ip:`),
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
      handler: fail,
    }),
    rateLimit({
      windowMs: fifteenMinutes,
      limit: perAccount,
      standardHeaders: false,
      legacyHeaders: false,
      skipSuccessfulRequests: true,
      store: new RedisWindowStore(redis, `${prefix}:rl:signin-account:`),
      keyGenerator: (req) => emailKey(req.body),
      skip: (req) => emailKey(req.body) === '',
      handler: fail,
    }),
  ];
}

function referenceKey(body: unknown): string | null {
  const code = (body as { referenceCode?: unknown } | undefined)?.referenceCode;
  return typeof code === 'string' ? normalizeReferenceCode(code) : null;
}

/**
 * Limits guesses on the parents' status lookup: tries per IP, and tries per reference code (so
 * guessing spread over many addresses still cannot hammer one code). Both per 15 minutes.
 */
export function statusLimiters(redis: Redis, prefix: string, perIp: number, perCode: number): RateLimitRequestHandler[] {
  const fail = (_req: unknown, _res: unknown, next: (err: unknown) => void) => next(new TooManyRequests());
  return [
    rateLimit({
      windowMs: fifteenMinutes,
      limit: perIp,
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      store: new RedisWindowStore(redis, `${prefix}:rl:status-ip:`),
      keyGenerator: (req) => ipKeyGenerator(req.ip ?? ''),
      handler: fail,
    }),
    rateLimit({
      windowMs: fifteenMinutes,
      limit: perCode,
      standardHeaders: false,
      legacyHeaders: false,
      store: new RedisWindowStore(redis, `${prefix}:rl:status-code:`),
      keyGenerator: (req) => referenceKey(req.body) ?? '',
      // A malformed code never reaches the database; the per-IP limit covers it.
      skip: (req) => referenceKey(req.body) === null,
      handler: fail,
    }),
  ];
}
