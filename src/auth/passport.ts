import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { RequestHandler } from 'express';
import type { Actor } from './actor.ts';
import { actorForSession, actorForToken, verifyCredentials } from './service.ts';
import { Unauthenticated } from '../errors.ts';

passport.use(
  new LocalStrategy({ usernameField: 'email', passwordField: 'password', passReqToCallback: true }, (req, email, password, done) => {
    verifyCredentials(email, password, req.ip ?? null).then(
      (actor) => done(null, actor ?? false),
      (err) => done(err),
    );
  }),
);

// Only the user id goes into the session; the actor (role, institution) is reloaded on every
// request, so a deactivated account or a moved principal takes effect at once.
passport.serializeUser((user, done) => done(null, (user as Actor).id));
passport.deserializeUser((id: string, done) => {
  actorForSession(id).then(
    (actor) => done(null, actor ?? false),
    (err) => done(err),
  );
});

export { passport };

/** Runs `middleware` only for requests without an Authorization header (cookie sessions). */
export function unlessBearer(middleware: RequestHandler): RequestHandler {
  return (req, res, next) => (req.headers.authorization ? next() : middleware(req, res, next));
}

/**
 * `Authorization: Bearer TOKEN` for scripts: no session and no CSRF. A request that presents a bad
 * token is refused; it never falls back to a cookie that came with it.
 */
export const bearerAuth: RequestHandler = (req, _res, next) => {
  const header = req.headers.authorization;
  if (!header) return next();
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) return next(new Unauthenticated('invalid_token'));
  actorForToken(match[1]!).then((actor) => {
    if (!actor) return next(new Unauthenticated('invalid_token'));
    req.user = actor;
    req.authVia = 'token';
    next();
  }, next);
};

/**
 * Authentication for every request: a bearer token, or else the session cookie (express-session
 * in Redis, then passport restoring the actor from it).
 */
export function authenticate(session: RequestHandler): RequestHandler[] {
  return [
    bearerAuth,
    unlessBearer(session),
    unlessBearer(passport.initialize()),
    unlessBearer(passport.session()),
    (req, _res, next) => {
      if (req.user && !req.authVia) req.authVia = 'session';
      next();
    },
  ];
}
