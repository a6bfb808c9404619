import type { Request, Response } from 'express';
import type { Actor } from './actor.ts';
import { passport } from './passport.ts';

/**
 * Runs the local strategy and, on success, starts a fresh session: passport's login regenerates
 * the session id (no fixation) and a new CSRF token is issued for it. Resolves to the actor or null.
 */
export function signIn(req: Request, res: Response): Promise<Actor | null> {
  return new Promise((resolve, reject) => {
    passport.authenticate('local', { session: false }, (err: unknown, actor: Actor | false) => {
      if (err) return reject(err);
      if (!actor) return resolve(null);
      req.login(actor, (loginErr) => {
        if (loginErr) return reject(loginErr);
        req.authVia = 'session';
        req.csrfToken?.(true);
        resolve(actor);
      });
    })(req, res, (err: unknown) => reject(err));
  });
}

/** Ends the session (passport regenerates it, so the old id is worthless). */
export function signOut(req: Request): Promise<void> {
  return new Promise((resolve, reject) => req.logout((err) => (err ? reject(err) : resolve())));
}
