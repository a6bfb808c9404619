import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { NewUserSchema, createUser, listUsers, setUserActive } from './service.ts';

/** Staff accounts: coordinators only. */
export function userApiRoutes(): Router {
  const router = Router();
  router.get('/api/users', requireRole('coordinator'), async (_req, res) => {
    res.json({ items: await listUsers() });
  });
  router.post('/api/users', requireRole('coordinator'), async (req, res) => {
    const user = await createUser(actorOf(req), parseInput(NewUserSchema, req.body), req.ip ?? null);
    res.status(201).json({ id: String(user._id), email: user.email, role: user.role });
  });
  router.patch('/api/users/:id', requireRole('coordinator'), async (req, res) => {
    const { active } = parseInput(z.object({ active: z.boolean() }), req.body);
    await setUserActive(actorOf(req), String(req.params.id), active, req.ip ?? null);
    res.status(204).end();
  });
  return router;
}
