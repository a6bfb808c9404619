import session from 'express-session';
import RedisStore from 'connect-redis';
import type { RequestHandler } from 'express';
import type { Redis } from 'ioredis';

export const sessionCookieName = 'edu.sid';

/**
 * Sessions live in Redis under the instance prefix, so any API process behind a load balancer
 * can serve any request. Cookies are httpOnly and sameSite=lax; `secure` follows the request's
 * scheme (behind a TLS proxy set TRUST_PROXY so Express sees https).
 */
export function sessionMiddleware(redis: Redis, prefix: string, secret: string): RequestHandler {
  return session({
    name: sessionCookieName,
    store: new RedisStore({ client: redis, prefix: `${prefix}:sess:`, ttl: 8 * 3600 }),
    secret,
    resave: false,
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: 'auto', maxAge: 8 * 3600 * 1000 },
  });
}
