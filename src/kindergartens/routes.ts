import { Router } from 'express';
import { actorOf, findInstitutionFor, requireRole, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { translator } from '../i18n/index.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { rigaToday } from '../shared/dates.ts';
import { ReturnInputSchema, getReturn, submitReturn } from './attendanceService.ts';
import { DesignationSchema, designateBase, getKindergarten } from './designationService.ts';
import { DayQuerySchema, PeriodQuerySchema, exportAttendance, monitorDay, occupancy, periodOf } from './monitoringService.ts';
import {
  PlaceSchema,
  ReasonSchema,
  RequestInputSchema,
  RequestListQuerySchema,
  endPlacement,
  getRequest,
  listRequests,
  placeRequest,
  placementOptions,
  putOnWaitingList,
  registerRequest,
  waitingPosition,
  withdrawRequest,
} from './placementService.ts';
import { presentRequest, presentRequestDetail } from './presenters.ts';
import { SettingsInputSchema, changeReturnDeadline, returnDeadline } from './settings.ts';

export type KindergartenDeps = { personalCodeKey: PersonalCodeKey };

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The base-kindergarten API: designation, placement requests, daily returns and monitoring. */
export function kindergartenApiRoutes(deps: KindergartenDeps): Router {
  const router = Router();
  // The kindergarten is looked up within the caller's scope before anything else, so another
  // institution's code answers 404 whatever the body holds.
  router.param('code', async (req, _res, next, code: string) => {
    await findInstitutionFor(actorOf(req), code);
    next();
  });

  router.get('/api/kindergartens/monitoring', requireStaff(), async (req, res) => {
    const { day } = parseInput(DayQuerySchema, req.query);
    res.json(await monitorDay(actorOf(req), day ?? rigaToday()));
  });
  router.get('/api/kindergartens/occupancy', requireStaff(), async (req, res) => {
    const q = parseInput(PeriodQuerySchema, req.query);
    res.json({ days: await occupancy(actorOf(req), periodOf(q), q.institution) });
  });
  router.get('/api/kindergartens/attendance.xlsx', requireStaff(), async (req, res) => {
    const q = parseInput(PeriodQuerySchema, req.query);
    const period = periodOf(q);
    res.setHeader('Content-Type', xlsxType);
    res.setHeader('Content-Disposition', `attachment; filename="attendance-${period.from}-${period.to}.xlsx"`);
    await exportAttendance(actorOf(req), period, translator(req.lang), res, q.institution);
    res.end();
  });
  router.get('/api/kindergartens/settings', requireStaff(), async (_req, res) => {
    res.json({ deadline: await returnDeadline() });
  });
  router.put('/api/kindergartens/settings', requireRole('coordinator'), async (req, res) => {
    const { deadline } = parseInput(SettingsInputSchema, req.body);
    res.json({ deadline: await changeReturnDeadline(actorOf(req), deadline, req.ip ?? null) });
  });

  router.get('/api/kindergartens/:code', requireStaff(), async (req, res) => {
    const { inst, groups } = await getKindergarten(actorOf(req), String(req.params.code));
    res.json({
      code: inst.code,
      name: inst.name,
      address: inst.address,
      basePeriods: inst.basePeriods.map((p) => ({ from: p.from ?? null, to: p.to ?? null })),
      groups: groups.map((g) => ({ id: g.id, name: g.name, capacity: g.capacity, placed: g.placed })),
    });
  });
  router.post('/api/kindergartens/:code/base-periods', requireRole('coordinator'), async (req, res) => {
    const actor = actorOf(req);
    const inst = await designateBase(actor, String(req.params.code), parseInput(DesignationSchema, req.body), req.ip ?? null);
    const { groups } = await getKindergarten(actor, inst.code);
    res.status(201).json({
      code: inst.code,
      basePeriods: inst.basePeriods.map((p) => ({ from: p.from ?? null, to: p.to ?? null })),
      groups: groups.map((g) => ({ id: g.id, name: g.name, capacity: g.capacity, placed: g.placed })),
    });
  });
  router.get('/api/kindergartens/:code/attendance/:day', requireStaff(), async (req, res) => {
    const r = await getReturn(actorOf(req), String(req.params.code), String(req.params.day));
    res.json({
      institution: r.inst.code,
      day: r.day,
      base: r.base,
      deadline: r.deadline,
      dueAt: r.dueAt.toISOString(),
      late: r.lateNow,
      groups: r.groups.map((g) => ({ ...g, submitted: g.submitted ? { ...g.submitted, at: g.submitted.at?.toISOString() ?? null } : null })),
    });
  });
  router.put('/api/kindergartens/:code/attendance/:day', requireStaff(), async (req, res) => {
    const input = parseInput(ReturnInputSchema, req.body);
    res.json(await submitReturn(actorOf(req), String(req.params.code), String(req.params.day), input, req.ip ?? null));
  });

  // Requests for places belong to the office, not to an institution: coordinators only.
  router.get('/api/placement-requests', requireRole('coordinator'), async (req, res) => {
    const query = parseInput(RequestListQuerySchema, req.query);
    const items = await listRequests(query);
    // Positions follow from the order: the list comes sorted by arrival. A text search leaves
    // earlier waiting requests out, so then each position is looked up.
    let waiting = 0;
    res.json({ items: await Promise.all(items.map(async (r) => presentRequest(r, { position: r.status !== 'waiting' ? null : query.q ? await waitingPosition(r) : ++waiting }))) });
  });
  router.post('/api/placement-requests', requireRole('coordinator'), async (req, res) => {
    const r = await registerRequest(actorOf(req), parseInput(RequestInputSchema, req.body), deps.personalCodeKey, req.ip ?? null);
    const d = await getRequest(String(r._id));
    res.status(201).json(presentRequestDetail(d.request, d));
  });
  router.get('/api/placement-requests/:requestId', requireRole('coordinator'), async (req, res) => {
    const d = await getRequest(String(req.params.requestId));
    res.json({ ...presentRequestDetail(d.request, d), options: ['received', 'waiting'].includes(d.request.status) ? await placementOptions(d.request) : [] });
  });
  router.post('/api/placement-requests/:requestId/place', requireRole('coordinator'), async (req, res) => {
    const { group } = parseInput(PlaceSchema, req.body);
    const id = String(req.params.requestId);
    await placeRequest(actorOf(req), id, group, req.ip ?? null);
    const d = await getRequest(id);
    res.json(presentRequestDetail(d.request, d));
  });
  router.post('/api/placement-requests/:requestId/wait', requireRole('coordinator'), async (req, res) => {
    const id = String(req.params.requestId);
    const r = await putOnWaitingList(actorOf(req), id, req.ip ?? null);
    const d = await getRequest(id);
    res.json(presentRequestDetail(d.request, { ...d, position: await waitingPosition(r) }));
  });
  router.post('/api/placement-requests/:requestId/withdraw', requireRole('coordinator'), async (req, res) => {
    const id = String(req.params.requestId);
    await withdrawRequest(actorOf(req), id, parseInput(ReasonSchema, req.body).reason, req.ip ?? null);
    const d = await getRequest(id);
    res.json(presentRequestDetail(d.request, d));
  });
  router.post('/api/placement-requests/:requestId/end', requireRole('coordinator'), async (req, res) => {
    const id = String(req.params.requestId);
    await endPlacement(actorOf(req), id, parseInput(ReasonSchema, req.body).reason, req.ip ?? null);
    const d = await getRequest(id);
    res.json(presentRequestDetail(d.request, d));
  });
  return router;
}
