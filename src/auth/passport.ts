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

/**
 * Authenticates a request: `Authorization: Bearer TOKEN` for scripts (no session, no CSRF), or
 * the session cookie. A request that presents a bad token is refused; it never falls back to a cookie.
 */
export function authenticate(sessionChain: RequestHandler[]): RequestHandler {
  const [first, ...rest] = [...sessionChain, passport.initialize(), passport.session()];
  const runChain: RequestHandler = (req, res, next) => {
    const chain = [first!, ...rest];
    const step = (i: number): void => {
      if (i >= chain.length) return next();
      chain[i]!(req, res, (err?: unknown) => (err ? next(err) : step(i + 1)));
    };
    step(0);
  };
  return (req, res, next) => {
    const header = req.headers.authorization;
    if (!header) {
      runChain(req, res, (err?: unknown) => {
        if (!err && req.user) req.authVia = 'session';
        next(err);
      });
      return;
    }
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match) return next(new Unauthenticated('invalid_token'));
    actorForToken(match[1]!).then((actor) => {
      if (!actor) return next(new Unauthenticated('invalid_token'));
      req.user = actor;
      req.authVia = 'token';
      next();
    }, next);
  };
}
