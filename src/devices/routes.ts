import { Router } from 'express';
import { actorOf, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { listDeviceNeeds, NeedListQuerySchema } from './needsService.ts';
import { presentNeed } from './presenters.ts';

/** Device needs API: the list within the caller's scope (the device workflow builds on it). */
export function deviceApiRoutes(): Router {
  const router = Router();
  router.get('/api/device-needs', requireStaff(), async (req, res) => {
    const query = parseInput(NeedListQuerySchema, req.query);
    const items = await listDeviceNeeds(actorOf(req), query);
    res.json({ items: items.map(presentNeed) });
  });
  return router;
}
