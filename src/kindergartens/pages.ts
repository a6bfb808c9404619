import { Router, type Request, type Response } from 'express';
import type { Actor } from '../auth/actor.ts';
import { actorOf, findInstitutionFor, requireRole, requireStaff } from '../auth/scope.ts';
import { ValidationError } from '../errors.ts';
import { parseInput } from '../http/parse.ts';
import { isBaseOn, listInstitutions } from '../institutions/service.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { isCalendarDay, rigaToday } from '../shared/dates.ts';
import { attempt, formError, type FormError } from '../web/forms.ts';
import { ReturnInputSchema, getReturn, submitReturn } from './attendanceService.ts';
import { DesignationSchema, designateBase, getKindergarten } from './designationService.ts';
import { list, text, values } from '../web/formValues.ts';
import { monitorDay, occupancy, periodOf } from './monitoringService.ts';
import { ip, pageNote, renameFields, send, viewOf } from '../web/pageSupport.ts';
import { childrenInGroup } from './placementService.ts';
import { addRequestPages } from './requestPages.ts';
import { SettingsInputSchema, changeReturnDeadline } from './settings.ts';
import { kindergartenView, spareGroupLines, type DesignationForm, type KindergartenPage } from './views/kindergartenView.ts';
import { monitoringView, type OwnInstitution } from './views/monitoringView.ts';
import { fieldNames, returnFormView, returnUnavailableView, sentState, type ReturnConfirmation, type ReturnFormState } from './views/returnFormView.ts';

export type KindergartenPageDeps = { personalCodeKey: PersonalCodeKey };

// Most groups a return or a designation form carries (the services allow 50).
const maxLines = 50;
// Children placed from a later day are still placed in the group: its page lists them all.
const everPlaced = '9999-12-31';

/** A `?day=` from the query: today when absent, an error when it is not a calendar day. */
function dayOf(req: Request, today: string): { day: string; error: boolean } {
  const typed = text(req.query, 'day');
  if (!typed) return { day: today, error: false };
  return isCalendarDay(typed) ? { day: typed, error: false } : { day: today, error: true };
}

/** A head's own institution; the page explains itself when it is not a kindergarten. */
async function ownInstitution(actor: Actor): Promise<OwnInstitution | null> {
  if (actor.role === 'coordinator') return null;
  const found = actor.institutionCode ? await attempt(() => findInstitutionFor(actor, actor.institutionCode!)) : null;
  if (!found?.ok) return { code: '', name: '', kindergarten: false };
  return { code: found.value.code, name: found.value.name, kindergarten: found.value.type === 'kindergarten' };
}

/** The base-kindergarten pages: monitoring, one kindergarten, the daily return, and the coordinator's place requests. */
export function kindergartenPages(deps: KindergartenPageDeps): Router {
  const router = Router();
  const coordinator = requireRole('coordinator');

  // The requests' paths sit under /kindergartens/requests, so they are routed before /kindergartens/:code.
  addRequestPages(router, deps);

  // Scope first, as in the API: another institution's pages answer 404 before any form is read.
  router.param('code', async (req, _res, next, code: string) => {
    await findInstitutionFor(actorOf(req), code);
    next();
  });

  // --- Monitoring --------------------------------------------------------------------------------
  async function renderMonitoring(req: Request, res: Response, extra: { status?: number; deadline?: { error: FormError; value: string } } = {}) {
    const actor = actorOf(req);
    const v = viewOf(req);
    const today = rigaToday();
    const { day, error: badDay } = dayOf(req, today);
    const own = await ownInstitution(actor);
    const error = badDay ? formError(new ValidationError('invalid_date'), v.t) : undefined;
    const chartTo = day < today ? day : today;
    const period = periodOf({ to: chartTo });
    const title = v.t('kindergartens.page.monitoring.title');
    if (own && !own.kindergarten) {
      return send(res, v, title, monitoringView(v, { day, today, monitor: null, chart: [], period, own, kindergartens: null }));
    }
    // Read side by side: on the embedded database each read waits mostly for decoding, and in a
    // row the three kept the coordinator's page above the view's 300 ms target.
    const [monitor, chart, institutions] = await Promise.all([
      monitorDay(actor, day),
      occupancy(actor, period, own?.code),
      actor.role === 'coordinator' ? listInstitutions(actor) : null,
    ]);
    const baseCodes = new Set(monitor.kindergartens.map((k) => k.code));
    const kindergartens = institutions ? institutions.filter((i) => i.type === 'kindergarten').map((i) => ({ code: i.code, name: i.name, base: baseCodes.has(i.code) })) : null;
    const notice = text(req.query, 'done') === 'deadline' && !extra.deadline ? v.t('kindergartens.page.deadline.changed', { deadline: monitor.deadline }) : null;
    const body = monitoringView(v, { day, today, monitor, chart, period, own, kindergartens, notice, error, deadline: extra.deadline });
    send(res, v, own ? `${title}: ${own.name}` : title, body, extra.status ?? (badDay ? 400 : 200));
  }

  router.get('/kindergartens', requireStaff(), (req, res) => renderMonitoring(req, res));

  router.post('/kindergartens/deadline', coordinator, async (req, res) => {
    const typed = text(req.body, 'deadline').trim();
    const r = await attempt(async () => changeReturnDeadline(actorOf(req), parseInput(SettingsInputSchema, { deadline: typed }).deadline, ip(req)));
    if (r.ok) return res.redirect(303, '/kindergartens?done=deadline');
    await renderMonitoring(req, res, { status: r.error.status, deadline: { error: formError(r.error, viewOf(req).t), value: typed } });
  });

  // --- One kindergarten --------------------------------------------------------------------------
  async function renderKindergarten(req: Request, res: Response, extra: { status?: number; form?: DesignationForm } = {}) {
    const actor = actorOf(req);
    const v = viewOf(req);
    const today = rigaToday();
    const { inst, groups } = await getKindergarten(actor, String(req.params.code));
    const [children, chart] = await Promise.all([Promise.all(groups.map((g) => childrenInGroup(g._id, everPlaced))), occupancy(actor, periodOf({}, today), inst.code)]);
    const basePeriods = inst.basePeriods.map((p) => ({ from: p.from ?? null, to: p.to ?? null }));
    const page: KindergartenPage = {
      code: inst.code,
      name: inst.name,
      address: inst.address ?? '',
      basePeriods,
      baseToday: isBaseOn(inst, today),
      today,
      groups: groups.map((g, i) => ({ id: g.id, name: g.name, capacity: g.capacity, placed: g.placed, children: children[i] ?? [] })),
      chart,
    };
    let form: DesignationForm | null = null;
    if (actor.role === 'coordinator') {
      // The latest period is offered for editing: naming its first day again changes its end.
      const latest = basePeriods.at(-1);
      const current: Record<string, string> = { from: latest?.from ?? today, to: latest?.to ?? '' };
      groups.forEach((g, i) => Object.assign(current, { [`groupName_${i}`]: g.name, [`groupCapacity_${i}`]: String(g.capacity) }));
      form = extra.form ?? { values: current, lines: Math.min(maxLines, groups.length + spareGroupLines) };
    }
    const notice = text(req.query, 'done') === 'designate' && !extra.form ? v.t('kindergartens.page.designate.done') : null;
    send(res, v, inst.name, kindergartenView(v, page, { form, notice, ownCode: actor.institutionCode }), extra.status ?? 200);
  }

  router.get('/kindergartens/:code', requireStaff(), (req, res) => renderKindergarten(req, res));

  router.post('/kindergartens/:code/designate', coordinator, async (req, res) => {
    const code = String(req.params.code);
    let lines = 0;
    while (lines < maxLines && req.body && (`groupName_${lines}` in req.body || `groupCapacity_${lines}` in req.body)) lines++;
    const typed = values(req.body, ['from', 'to', ...Array.from({ length: lines }, (_, i) => [`groupName_${i}`, `groupCapacity_${i}`]).flat()]);
    // Blank lines are left out; `formLine[k]` is the form line of the k-th group sent.
    const formLine: number[] = [];
    const groups: Array<{ name: string; capacity: string | undefined }> = [];
    for (let i = 0; i < lines; i++) {
      const name = (typed[`groupName_${i}`] ?? '').trim();
      const capacity = (typed[`groupCapacity_${i}`] ?? '').trim();
      if (!name && !capacity) continue;
      formLine.push(i);
      groups.push({ name, capacity: capacity || undefined });
    }
    const r = await attempt(() => designateBase(actorOf(req), code, parseInput(DesignationSchema, { from: typed.from, to: typed.to || null, groups }), ip(req)));
    if (r.ok) return res.redirect(303, `/kindergartens/${encodeURIComponent(code)}?done=designate`);
    const error = renameFields(formError(r.error, viewOf(req).t), (field) => {
      if (field === 'from' || field === 'to') return field;
      const m = /^groups\.(\d+)\.(name|capacity)$/.exec(field);
      if (!m) return null;
      const line = formLine[Number(m[1])];
      return line === undefined ? null : `${m[2] === 'name' ? 'groupName' : 'groupCapacity'}_${line}`;
    });
    await renderKindergarten(req, res, { status: r.error.status, form: { values: typed, lines: Math.max(lines, 1), error } });
  });

  // --- The daily return --------------------------------------------------------------------------
  async function renderReturn(req: Request, res: Response, extra: { status?: number; state?: ReturnFormState; day?: string } = {}) {
    const actor = actorOf(req);
    const v = viewOf(req);
    const today = rigaToday();
    const asked = dayOf(req, today);
    const day = extra.day ?? asked.day;
    const found = await attempt(() => getReturn(actor, String(req.params.code), day));
    if (!found.ok) {
      // A day in the future (or one that cannot be read) has no form: say so, with the way to today's.
      if (found.error.status !== 400) throw found.error;
      const error = formError(found.error, v.t);
      const inst = await findInstitutionFor(actor, String(req.params.code));
      // A school has no return on any day: back to the kindergarten pages instead of today's form.
      const back = found.error.code === 'not_a_kindergarten' ? '/kindergartens' : `/kindergartens/${encodeURIComponent(inst.code)}/attendance?day=${today}`;
      return send(res, v, v.t('kindergartens.page.return.title', { name: inst.name }), returnUnavailableView(v, error, back, actor.institutionCode), 400);
    }
    const r = found.value;
    let confirmation: ReturnConfirmation | null = null;
    if (text(req.query, 'sent') === '1' && !extra.state) {
      const over = r.groups.filter((g) => g.submitted && g.submitted.present > g.capacity).map((g) => ({ group: g.name, present: g.submitted!.present, capacity: g.capacity }));
      confirmation = { late: text(req.query, 'late') === '1', over };
    }
    const badDay = asked.error ? pageNote(formError(new ValidationError('invalid_date'), v.t).message) : undefined;
    const state = extra.state ?? { ...sentState(r), error: badDay };
    const body = returnFormView(v, r, { today, state, confirmation, ownCode: actor.institutionCode });
    send(res, v, v.t('kindergartens.page.return.title', { name: r.inst.name }), body, extra.status ?? (badDay ? 400 : 200));
  }

  router.get('/kindergartens/:code/attendance', requireStaff(), (req, res) => renderReturn(req, res));

  router.post('/kindergartens/:code/attendance', requireStaff(), async (req, res) => {
    const code = String(req.params.code);
    const v = viewOf(req);
    const day = text(req.query, 'day') || text(req.body, 'day') || rigaToday();
    const typed: Record<string, string> = {};
    const ticked = new Map<number, Set<string>>();
    const lines: unknown[] = [];
    for (let i = 0; i < maxLines; i++) {
      const f = fieldNames(i);
      const group = text(req.body, f.group);
      if (!group) break;
      Object.assign(typed, values(req.body, [f.group, f.registered, f.present, f.mode]));
      const children = list(req.body, f.children);
      ticked.set(i, new Set(children));
      const registered = typed[f.registered]!.trim();
      // Counted by ticks: the server counts the ticked children, whatever the present field says.
      if (typed[f.mode] === 'ticks') lines.push({ group, children, ...(registered ? { registered } : {}) });
      else lines.push({ group, registered: typed[f.registered], present: typed[f.present] });
    }
    if (!isCalendarDay(day)) return renderReturn(req, res, { status: 400, state: { values: typed, ticked, error: pageNote(formError(new ValidationError('invalid_date'), v.t).message) } });
    const r = await attempt(() => submitReturn(actorOf(req), code, day, parseInput(ReturnInputSchema, { groups: lines }), ip(req)));
    if (r.ok) return res.redirect(303, `/kindergartens/${encodeURIComponent(code)}/attendance?day=${day}&sent=1${r.value.late ? '&late=1' : ''}`);
    const error = renameFields(formError(r.error, v.t), (field) => {
      const m = /^groups\.(\d+)\.(group|registered|present|children)/.exec(field);
      return m ? fieldNames(Number(m[1]))[m[2] as 'group' | 'registered' | 'present' | 'children'] : null;
    });
    await renderReturn(req, res, { status: r.error.status, state: { values: typed, ticked, error }, day });
  });

  return router;
}
