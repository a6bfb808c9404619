import { Router } from 'express';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import { computeEntitlements } from './computeService.ts';
import { EntitlementListQuerySchema, explainPupilEntitlement, listEntitlements, periodTotals } from './entitlementService.ts';
import { parseInput } from '../http/parse.ts';
import { CalendarInputSchema, PeriodInputSchema, createPeriod, findPeriod, listPeriods, presentPeriod, setCalendar } from './periodService.ts';

/** Food-card periods, rates and school calendars (the office's), and the amounts computed for them. */
export function foodPeriodApiRoutes(): Router {
  const router = Router();
  router.get('/api/food-periods', requireRole('coordinator'), async (_req, res) => {
    res.json({ items: (await listPeriods()).map(presentPeriod) });
  });
  router.post('/api/food-periods', requireRole('coordinator'), async (req, res) => {
    const p = await createPeriod(actorOf(req), parseInput(PeriodInputSchema, req.body), req.ip ?? null);
    res.status(201).json(presentPeriod(p));
  });
  router.get('/api/food-periods/:periodId', requireRole('coordinator'), async (req, res) => {
    res.json(presentPeriod(await findPeriod(String(req.params.periodId))));
  });
  router.put('/api/food-periods/:periodId/calendar', requireRole('coordinator'), async (req, res) => {
    const input = parseInput(CalendarInputSchema, req.body);
    res.json(presentPeriod(await setCalendar(actorOf(req), String(req.params.periodId), input, req.ip ?? null)));
  });
  router.post('/api/food-periods/:periodId/compute', requireRole('coordinator'), async (req, res) => {
    res.json(await computeEntitlements(actorOf(req), String(req.params.periodId), req.ip ?? null));
  });
  // Staff routes: a principal sees their own pupils' amounts and totals only.
  router.get('/api/food-periods/:periodId/entitlements', requireStaff(), async (req, res) => {
    res.json(await listEntitlements(actorOf(req), String(req.params.periodId), parseInput(EntitlementListQuerySchema, req.query)));
  });
  router.get('/api/food-periods/:periodId/totals', requireStaff(), async (req, res) => {
    res.json(await periodTotals(actorOf(req), String(req.params.periodId)));
  });
  router.get('/api/food-entitlements/:entitlementId/explain', requireStaff(), async (req, res) => {
    res.json(await explainPupilEntitlement(actorOf(req), String(req.params.entitlementId)));
  });
  return router;
}
