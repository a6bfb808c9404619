import { Router } from 'express';
import { actorOf, requireRole } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { buildProposal, confirmAllocation, ConfirmSchema } from './allocationService.ts';
import { createRun, deliveryCandidates, getRun, listRuns, markStop, RunInputSchema, StopOutcomeSchema } from './deliveryService.ts';
import { presentNeed } from './presenters.ts';
import type { DeviceSettings } from './settings.ts';

/** The coordinator's allocation (proposal, confirmation) and home-delivery runs. */
export function allocationApiRoutes(settings: DeviceSettings): Router {
  const router = Router();
  const coordinator = requireRole('coordinator');

  router.post('/api/allocations/proposal', coordinator, async (req, res) => {
    const p = await buildProposal(actorOf(req));
    res.json({
      summary: p.summary,
      matches: p.matches.map((m) => ({ need: m.needId, serial: m.serial, type: m.type, institution: p.institutions[m.institution]?.code ?? null, reason: m.reason })),
    });
  });
  router.post('/api/allocations/confirm', coordinator, async (req, res) => {
    const results = await confirmAllocation(actorOf(req), parseInput(ConfirmSchema, req.body), req.ip ?? null);
    res.json({ allocated: results.filter((r) => r.ok).length, refused: results.filter((r) => !r.ok).length, results });
  });

  router.get('/api/delivery-runs', coordinator, async (_req, res) => {
    const runs = await listRuns();
    res.json({ items: runs.map((r) => ({ id: String(r.run._id), day: r.run.day, courier: r.run.courier, total: r.total, pending: r.pending, delivered: r.delivered, failed: r.failed })) });
  });
  router.get('/api/delivery-runs/candidates', coordinator, async (_req, res) => {
    res.json({ items: (await deliveryCandidates()).map(presentNeed) });
  });
  router.post('/api/delivery-runs', coordinator, async (req, res) => {
    res.status(201).json(await createRun(actorOf(req), parseInput(RunInputSchema, req.body), req.ip ?? null));
  });
  router.get('/api/delivery-runs/:runId', coordinator, async (req, res) => {
    const { run, stops } = await getRun(String(req.params.runId));
    res.json({
      id: String(run._id),
      day: run.day,
      courier: run.courier,
      stops: stops.map(({ stop, pupil, device }) => ({
        id: String(stop._id),
        order: stop.order,
        area: stop.area,
        address: stop.address,
        institution: stop.institutionCode,
        status: stop.status,
        reason: stop.reason,
        pupil: pupil ? { firstName: pupil.firstName, lastName: pupil.lastName, class: pupil.class } : null,
        guardian: pupil?.guardian ? { name: pupil.guardian.name ?? null, phone: pupil.guardian.phone ?? null } : null,
        device: device ? { serial: device.serial, make: device.make, model: device.model } : null,
      })),
    });
  });
  router.post('/api/delivery-runs/:runId/stops/:stopId', coordinator, async (req, res) => {
    res.json(await markStop(actorOf(req), String(req.params.runId), String(req.params.stopId), parseInput(StopOutcomeSchema, req.body), settings, req.ip ?? null));
  });
  return router;
}
