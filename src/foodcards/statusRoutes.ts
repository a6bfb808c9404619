import { Router } from 'express';
import { actorOf, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { ExpiringQuerySchema, FamilyStatusInputSchema, expiringStatuses, saveFamilyStatus } from './familyStatusService.ts';

/** Family statuses by hand and the list of those about to expire (staff, within their scope). */
export function familyStatusApiRoutes(deps: { personalCodeKey: PersonalCodeKey }): Router {
  const router = Router();
  router.post('/api/family-statuses', requireStaff(), async (req, res) => {
    const saved = await saveFamilyStatus(actorOf(req), parseInput(FamilyStatusInputSchema, req.body), deps.personalCodeKey, req.ip ?? null);
    res.status(saved.created ? 201 : 200).json(saved);
  });
  router.get('/api/family-statuses/expiring', requireStaff(), async (req, res) => {
    res.json({ items: await expiringStatuses(actorOf(req), parseInput(ExpiringQuerySchema, req.query)) });
  });
  return router;
}
