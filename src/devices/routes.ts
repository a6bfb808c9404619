import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { Conflict } from '../errors.ts';
import { recordHandover, HandoverSchema } from './handoverService.ts';
import {
  approveNeeds,
  CancelSchema,
  cancelNeed,
  changeNeed,
  findNeedFor,
  getNeed,
  listDeviceNeeds,
  markReadyForPickup,
  NeedChangeSchema,
  NeedInputSchema,
  NeedListQuerySchema,
  ReadySchema,
  registerNeed,
} from './needsService.ts';
import { presentNeed, presentNeedDetail } from './presenters.ts';
import type { DeviceSettings } from './settings.ts';

const ApproveSchema = z.object({ ids: z.array(z.string()).min(1).max(5000) });

/** Device needs API: the list, the form, edits, approval, cancellation, pickup readiness and hand-over. */
export function needApiRoutes(settings: DeviceSettings): Router {
  const router = Router();
  // The need is looked up within the caller's scope before anything else, so another
  // institution's id answers 404 whatever the body holds.
  router.param('needId', async (req, _res, next, id: string) => {
    await findNeedFor(actorOf(req), id);
    next();
  });
  const detail = async (actor: ReturnType<typeof actorOf>, id: string) => {
    const n = await getNeed(actor, id);
    return presentNeedDetail(n, { institution: n.institution, serial: n.serial });
  };

  router.get('/api/device-needs', requireStaff(), async (req, res) => {
    const items = await listDeviceNeeds(actorOf(req), parseInput(NeedListQuerySchema, req.query));
    res.json({ items: items.map(presentNeed) });
  });
  router.post('/api/device-needs', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const need = await registerNeed(actor, parseInput(NeedInputSchema, req.body), settings, req.ip ?? null);
    res.status(201).json(await detail(actor, String(need._id)));
  });
  router.post('/api/device-needs/approve', requireRole('coordinator'), async (req, res) => {
    const { ids } = parseInput(ApproveSchema, req.body);
    res.json({ results: await approveNeeds(actorOf(req), ids, req.ip ?? null) });
  });
  router.get('/api/device-needs/:needId', requireStaff(), async (req, res) => {
    res.json(await detail(actorOf(req), String(req.params.needId)));
  });
  router.patch('/api/device-needs/:needId', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    await changeNeed(actor, String(req.params.needId), parseInput(NeedChangeSchema, req.body), req.ip ?? null);
    res.json(await detail(actor, String(req.params.needId)));
  });
  router.post('/api/device-needs/:needId/approve', requireRole('coordinator'), async (req, res) => {
    const actor = actorOf(req);
    // The scope was checked by the needId parameter handler.
    const id = String(req.params.needId);
    const [result] = await approveNeeds(actor, [id], req.ip ?? null);
    if (!result!.ok) throw new Conflict(result!.code ?? 'need_not_registered');
    res.json(await detail(actor, id));
  });
  router.post('/api/device-needs/:needId/cancel', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const { reason } = parseInput(CancelSchema, req.body);
    await cancelNeed(actor, String(req.params.needId), reason, req.ip ?? null);
    res.json(await detail(actor, String(req.params.needId)));
  });
  router.post('/api/device-needs/:needId/ready', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    await markReadyForPickup(actor, String(req.params.needId), parseInput(ReadySchema, req.body), req.ip ?? null);
    res.json(await detail(actor, String(req.params.needId)));
  });
  router.post('/api/device-needs/:needId/handover', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    await recordHandover(actor, String(req.params.needId), parseInput(HandoverSchema, req.body), settings, req.ip ?? null);
    res.json(await detail(actor, String(req.params.needId)));
  });
  return router;
}
