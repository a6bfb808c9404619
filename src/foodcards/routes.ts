import { Router } from 'express';
import { actorOf, requireRole } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { CalendarInputSchema, PeriodInputSchema, createPeriod, findPeriod, listPeriods, presentPeriod, setCalendar } from './periodService.ts';

/** Food-card periods, rates and school calendars: the office's (coordinators only). */
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
  return router;
}
