import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { parseInput } from '../http/parse.ts';
import { Unauthenticated } from '../errors.ts';
import { presentActor } from './presenters.ts';
import { actorOf, requireStaff } from './scope.ts';
import { signIn, signOut } from './signIn.ts';
import { recordSignOut } from './service.ts';

const SignInSchema = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) });

/** POST/GET/DELETE /api/session: sign in with e-mail and password, see who is signed in, sign out. */
export function sessionApiRoutes(signinLimits: RequestHandler[]): Router {
  const router = Router();
  router.post('/api/session', ...signinLimits, async (req, res) => {
    parseInput(SignInSchema, req.body);
    const actor = await signIn(req, res);
    if (!actor) throw new Unauthenticated('invalid_credentials');
    res.json({ user: presentActor(actor), csrfToken: req.csrfToken?.() });
  });
  router.get('/api/session', requireStaff(), (req, res) => {
    const actor = actorOf(req);
    res.json({ user: presentActor(actor), csrfToken: req.authVia === 'session' ? req.csrfToken?.() : null });
  });
  router.delete('/api/session', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    if (req.authVia === 'session') {
      await signOut(req);
      await recordSignOut(actor, req.ip ?? null);
    }
    res.status(204).end();
  });
  return router;
}
