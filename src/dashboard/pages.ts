import { Router, type Request } from 'express';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import type { Actor } from '../auth/actor.ts';
import { parseInput } from '../http/parse.ts';
import { translator } from '../i18n/index.ts';
import { layout, pageContext } from '../web/layout.ts';
import { readHeartbeat } from '../ops/heartbeat.ts';
import { countUsers } from '../users/service.ts';
import { monitorDay, occupancy } from '../kindergartens/monitoringService.ts';
import { PlacementRequestModel } from '../kindergartens/model.ts';
import { addDays, rigaToday } from '../shared/dates.ts';
import { currentFigures, dashboardFor, refreshDashboard, sortKeys, type DashboardQuery } from './service.ts';
import { dashboardView } from './views/dashboardView.ts';

export const DashboardQuerySchema = z.object({
  q: z.string().trim().max(100).optional(),
  type: z.enum(['school', 'kindergarten', 'office']).or(z.literal('')).optional(),
  sort: z.enum(sortKeys).or(z.literal('')).optional(),
  page: z.coerce.number().int().min(1).max(1000).default(1),
});

export function dashboardQuery(input: unknown): DashboardQuery {
  const q = parseInput(DashboardQuerySchema, input);
  return { q: q.q || undefined, type: q.type || undefined, sort: q.sort || 'name', page: q.page };
}

export type DashboardDeps = { redis: Redis; redisPrefix: string; staleStockDays: number };

/** The reader's dashboard figures: the kept counts in their scope. */
export async function readDashboard(actor: Actor, deps: DashboardDeps, query: DashboardQuery) {
  return dashboardFor(actor, await currentFigures(deps.staleStockDays), query);
}

async function parts(req: Request, deps: DashboardDeps) {
  const actor = actorOf(req);
  const query = dashboardQuery(req.query);
  const coordinator = actor.role === 'coordinator';
  const today = rigaToday();
  const figures = await currentFigures(deps.staleStockDays);
  const view = dashboardFor(actor, figures, query);
  const [day, waiting, users, beat] = await Promise.all([
    monitorDay(actor, today),
    coordinator ? PlacementRequestModel.countDocuments({ status: 'waiting' }) : null,
    coordinator ? countUsers() : 0,
    coordinator ? readHeartbeat(deps.redis, deps.redisPrefix) : null,
  ]);
  // Four weeks of occupancy, from the kept day summaries (a head's from their own few records).
  const occupied = day.kindergartens.length ? await occupancy(actor, { from: addDays(today, -27), to: today }) : [];
  const own = coordinator ? null : figures.rows.find((r) => r.id === actor.institutionId);
  return {
    view,
    query,
    day,
    waiting,
    occupancy: occupied,
    office: coordinator
      ? {
          schools: figures.rows.filter((r) => r.type === 'school').length,
          kindergartens: figures.rows.filter((r) => r.type === 'kindergarten').length,
          baseToday: figures.rows.filter((r) => r.base).length,
          users,
          workerSeen: beat ? new Date(beat) : null,
        }
      : null,
    institution: own?.code ? { code: own.code, name: own.name, type: own.type } : null,
  };
}

/** The morning dashboard page, its JSON, and the coordinator's "count again now". */
export function dashboardPages(deps: DashboardDeps): Router {
  const router = Router();
  router.get('/dashboard', requireStaff(), async (req, res) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    res.type('html').send(layout(ctx, t('dashboard.title'), dashboardView(ctx, t, await parts(req, deps))).value);
  });
  router.get('/api/dashboard', requireStaff(), async (req, res) => {
    const view = await readDashboard(actorOf(req), deps, dashboardQuery(req.query));
    res.json({ ...view, computedAt: view.computedAt.toISOString() });
  });
  router.post('/dashboard/refresh', requireRole('coordinator'), async (_req, res) => {
    await refreshDashboard(deps.staleStockDays);
    res.redirect(303, '/dashboard');
  });
  return router;
}
