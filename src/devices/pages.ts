import { Router, type Request, type Response } from 'express';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import { Conflict } from '../errors.ts';
import { parseInput } from '../http/parse.ts';
import { toLang, translator } from '../i18n/index.ts';
import { listInstitutions } from '../institutions/service.ts';
import { rigaToday } from '../shared/dates.ts';
import { type Html } from '../web/html.ts';
import { formatDay } from '../web/format.ts';
import { layout, pageContext } from '../web/layout.ts';
import { buildProposal, confirmAllocation, ConfirmSchema, type ConfirmResult } from './allocationService.ts';
import { createRun, deliveryCandidates, getRun, listRuns, markStop, RunInputSchema, StopOutcomeSchema } from './deliveryService.ts';
import { HandoverSchema, loanAgreement, recordHandover } from './handoverService.ts';
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
import { presentDevice, presentNeed, presentNeedDetail } from './presenters.ts';
import { ministryReport } from './reportService.ts';
import type { DeviceSettings } from './settings.ts';
import { needFilters, stockFilters } from './listExports.ts';
import { parseShipmentLines } from './shipmentLines.ts';
import {
  addDevice,
  DeviceInputSchema,
  DeviceListQuerySchema,
  findDeviceFor,
  listDevices,
  listDueBack,
  MoveSchema,
  moveDeviceTo,
  recordReturn,
  registerShipment,
  restockDevice,
  ReturnSchema,
  ShipmentInputSchema,
  withInstitutionCodes,
} from './stockService.ts';
import { agreementView } from './views/agreementView.ts';
import { allocationStartView, confirmResultView, proposalView, type NeedNames } from './views/allocationViews.ts';
import { attempt, formError, type FormError, type View } from '../web/forms.ts';
import { pupilName } from './views/common.ts';
import { deliveriesView, runSheetView, type StopFailure } from './views/deliveryViews.ts';
import { deviceView, type DeviceAction, type DeviceFailure } from './views/deviceView.ts';
import { needView, type FailedForm, type NeedAction } from './views/needView.ts';
import { needFormView, needListView, type NeedFilters, type NeedFormValues } from './views/needsViews.ts';
import { dueBackView, stockView, type StockFailure } from './views/stockViews.ts';

const xlsxType = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type Body = Record<string, unknown>;
type Extra = { status?: number; notice?: string | null };

function viewOf(req: Request): View {
  const ctx = pageContext(req);
  return { ctx, t: translator(ctx.lang) };
}

function send(res: Response, v: View, title: string, body: Html, status = 200): void {
  res.status(status).type('html').send(layout(v.ctx, title, body).value);
}

/** One form or query value as text ('' when absent; the first when sent twice). */
function text(source: unknown, key: string): string {
  const value = (source as Body | undefined)?.[key];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** A repeated form value (checkboxes) as a list. */
function list(source: unknown, key: string): string[] {
  const value = (source as Body | undefined)?.[key];
  return (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string' && v !== '');
}

/** The named values as typed, for showing a refused form again. */
function values(source: unknown, keys: readonly string[]): Record<string, string> {
  return Object.fromEntries(keys.map((k) => [k, text(source, k)]));
}

/** Drops empty values, so optional fields left blank are absent rather than invalid. */
function given<T extends Record<string, string | undefined>>(v: T): Partial<T> {
  return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined && x.trim() !== '')) as Partial<T>;
}

/** A small whole number from the query (the counts a redirect carries to its notice), else null. */
function count(value: unknown): number | null {
  return typeof value === 'string' && /^\d{1,6}$/.test(value) ? Number(value) : null;
}

/** A refusal the page itself makes (nothing chosen, lines that cannot be read). */
const pageNote = (message: string): FormError => ({ status: 400, code: 'invalid_input', message, fields: [] });

async function institutionChoices(actor: Actor) {
  return actor.role === 'coordinator' ? (await listInstitutions(actor)).map((i) => ({ code: i.code, name: i.name })) : null;
}

/** The needs whose names a table of allocation rows shows (allocated and approved, as far as one page reaches). */
async function needNames(actor: Actor, statuses: Array<'approved' | 'allocated'>): Promise<NeedNames> {
  const names: NeedNames = new Map();
  for (const status of statuses) {
    for (const item of await listDeviceNeeds(actor, { status, limit: 1000 })) names.set(String(item.need._id), { name: pupilName(item.pupil), class: item.pupil?.class ?? null });
  }
  return names;
}

const needFields = ['institution', 'firstName', 'lastName', 'class', 'guardianName', 'guardianPhone', 'guardianEmail', 'language', 'deviceType', 'reason', 'priority', 'deliveryMethod', 'address'] as const;
const doneActions = new Set(['edit', 'approve', 'cancel', 'ready', 'handover', 'move', 'return', 'restock', 'added']);

/** The device pages (needs, stock, allocation, deliveries, returns, hand-over, loan agreement). */
export function devicePages(settings: DeviceSettings): Router {
  const router = Router();
  // Scope first, as in the API: another institution's need or device answers 404 before any form is read.
  router.param('needId', async (req, _res, next, id: string) => {
    await findNeedFor(actorOf(req), id);
    next();
  });
  router.param('serial', async (req, _res, next, serial: string) => {
    await findDeviceFor(actorOf(req), serial);
    next();
  });
  const coordinator = requireRole('coordinator');
  const ip = (req: Request) => req.ip ?? null;
  const done = (v: View, req: Request) => (doneActions.has(text(req.query, 'done')) ? v.t(`devices.page.done.${text(req.query, 'done')}`) : null);

  // --- Needs -----------------------------------------------------------------------------------
  async function renderNeedList(req: Request, res: Response, extra: Extra & { error?: FormError } = {}) {
    const actor = actorOf(req);
    const v = viewOf(req);
    const isCoordinator = actor.role === 'coordinator';
    const filters: NeedFilters = needFilters(req, actor);
    const query = { ...given(filters), limit: '500' };
    const found = await attempt(async () => {
      const items = await listDeviceNeeds(actor, parseInput(NeedListQuerySchema, query));
      const codes = isCoordinator ? await withInstitutionCodes(items.map((i) => ({ institution: i.need.institution }))) : [];
      return items.map((item, i) => ({ ...presentNeed(item), institution: codes[i]?.institutionCode ?? null }));
    });
    const approved = count(req.query.approved);
    const notice = approved !== null ? v.t('devices.page.needs.approvedNotice', { approved, refused: count(req.query.refused) ?? 0 }) : null;
    const error = extra.error ?? (found.ok ? undefined : formError(found.error, v.t));
    const rows = found.ok ? found.value : [];
    const body = needListView(v, { rows, filters, institutions: await institutionChoices(actor), limit: 500, notice, error });
    send(res, v, v.t('devices.page.needs.title'), body, extra.status ?? (found.ok ? 200 : found.error.status));
  }

  router.get('/devices', requireStaff(), (req, res) => renderNeedList(req, res));

  router.post('/devices/approve', coordinator, async (req, res) => {
    const ids = list(req.body, 'ids');
    if (!ids.length) {
      const v = viewOf(req);
      return renderNeedList(req, res, { status: 400, error: pageNote(v.t('devices.page.needs.noneSelected')) });
    }
    const results = await approveNeeds(actorOf(req), ids.slice(0, 5000), ip(req));
    res.redirect(303, `/devices?approved=${results.filter((r) => r.ok).length}&refused=${results.filter((r) => !r.ok).length}`);
  });

  async function renderNeedForm(req: Request, res: Response, vals: NeedFormValues, error?: FormError) {
    const v = viewOf(req);
    send(res, v, v.t('devices.page.form.title'), needFormView(v, { values: vals, institutions: await institutionChoices(actorOf(req)), error }), error?.status ?? 200);
  }

  router.get('/devices/new', requireStaff(), (req, res) => renderNeedForm(req, res, { institution: text(req.query, 'institution') }));

  router.post('/devices/new', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const typed = values(req.body, needFields) as NeedFormValues & Record<string, string>;
    if (actor.role !== 'coordinator') typed.institution = '';
    // Required fields go in as typed (an empty one is named in the message); blank optional ones are left out.
    const { firstName, lastName, class: className, deviceType, ...optional } = typed;
    const input = { firstName, lastName, class: className, deviceType, personalCode: text(req.body, 'personalCode'), ...given(optional) };
    const r = await attempt(() => registerNeed(actor, parseInput(NeedInputSchema, input), settings, ip(req)));
    if (r.ok) return res.redirect(303, `/devices/needs/${String(r.value._id)}`);
    // The personal code is never sent back: the field is left empty.
    await renderNeedForm(req, res, typed, formError(r.error, viewOf(req).t));
  });

  async function renderNeed(req: Request, res: Response, extra: Extra & { failed?: FailedForm } = {}) {
    const v = viewOf(req);
    const n = await getNeed(actorOf(req), String(req.params.needId));
    const detail = presentNeedDetail(n, { institution: n.institution, serial: n.serial });
    const title = [detail.firstName, detail.lastName].filter(Boolean).join(' ') || v.t('devices.page.need.title');
    send(res, v, title, needView(v, detail, { today: rigaToday(), failed: extra.failed, notice: extra.failed ? null : done(v, req) }), extra.status ?? 200);
  }

  router.get('/devices/needs/:needId', requireStaff(), (req, res) => renderNeed(req, res));

  /** A form on the need page: done → back to the page (303); refused → the page again with the message and what was typed. */
  const needAction = (action: NeedAction, guard: ReturnType<typeof requireRole>, keep: readonly string[], run: (actor: Actor, id: string, body: unknown, ip: string | null) => Promise<unknown>) =>
    router.post(`/devices/needs/:needId/${action}`, guard, async (req, res) => {
      const id = String(req.params.needId);
      const r = await attempt(() => run(actorOf(req), id, req.body, ip(req)));
      if (r.ok) return res.redirect(303, `/devices/needs/${encodeURIComponent(id)}?done=${action}`);
      await renderNeed(req, res, { status: r.error.status, failed: { form: action, error: formError(r.error, viewOf(req).t), values: values(req.body, keep) } });
    });

  needAction('edit', requireStaff(), ['deviceType', 'reason', 'priority', 'deliveryMethod', 'address'], (actor, id, body, at) => {
    const priority = text(body, 'priority');
    const change = { deviceType: text(body, 'deviceType') || undefined, reason: text(body, 'reason'), deliveryMethod: text(body, 'deliveryMethod') || undefined, address: text(body, 'address'), ...(priority ? { priority } : {}) };
    return changeNeed(actor, id, parseInput(NeedChangeSchema, change), at);
  });
  needAction('approve', coordinator, [], async (actor, id, _body, at) => {
    await getNeed(actor, id);
    const [result] = await approveNeeds(actor, [id], at);
    if (!result?.ok) throw new Conflict(result?.code ?? 'need_not_registered');
  });
  needAction('cancel', requireStaff(), ['reason'], (actor, id, body, at) => cancelNeed(actor, id, parseInput(CancelSchema, { reason: text(body, 'reason') }).reason, at));
  needAction('ready', requireStaff(), ['from', 'hours'], (actor, id, body, at) => markReadyForPickup(actor, id, parseInput(ReadySchema, values(body, ['from', 'hours'])), at));
  needAction('handover', requireStaff(), ['serial', 'collectedBy', 'relation', 'date', 'returnBy'], (actor, id, body, at) =>
    recordHandover(actor, id, parseInput(HandoverSchema, { ...values(body, ['serial', 'collectedBy', 'relation']), ...given(values(body, ['date', 'returnBy'])) }), settings, at),
  );

  router.get('/devices/needs/:needId/agreement', requireStaff(), async (req, res) => {
    const v = viewOf(req);
    const a = await loanAgreement(actorOf(req), String(req.params.needId));
    // The agreement is the guardian's: the whole page (and <html lang>) is in their language.
    const lang = toLang(a.language);
    const g = translator(lang);
    send(res, { ctx: { ...v.ctx, lang }, t: g }, g('devices.page.agreement.title'), agreementView(a, g, lang, v.t, v.ctx.lang));
  });

  // --- Stock -----------------------------------------------------------------------------------
  async function renderStock(req: Request, res: Response, extra: Extra & { failed?: StockFailure } = {}) {
    const actor = actorOf(req);
    const v = viewOf(req);
    const filters = stockFilters(req, actor);
    const found = await attempt(async () => (await listDevices(actor, parseInput(DeviceListQuerySchema, { ...given(filters), limit: '500' }))).map(presentDevice));
    const registered = count(req.query.registered);
    const notice = registered !== null ? v.t('devices.page.stock.registeredNotice', { count: registered }) : null;
    const body = stockView(v, {
      rows: found.ok ? found.value : [],
      filters,
      institutions: await institutionChoices(actor),
      limit: 500,
      staleDays: settings.staleStockDays,
      today: rigaToday(),
      notice,
      error: found.ok ? undefined : formError(found.error, v.t),
      failed: extra.failed,
    });
    send(res, v, v.t('devices.page.stock.title'), body, extra.status ?? (found.ok ? 200 : found.error.status));
  }

  router.get('/devices/stock', requireStaff(), (req, res) => renderStock(req, res));

  router.post('/devices/shipments', coordinator, async (req, res) => {
    const v = viewOf(req);
    const typed = values(req.body, ['reference', 'receivedAt', 'note', 'devices']);
    const { devices, bad } = parseShipmentLines(typed.devices ?? '');
    const refuse = (error: FormError, badLines?: StockFailure['badLines']) => renderStock(req, res, { status: error.status, failed: { form: 'shipment', error, badLines, values: typed } });
    if (bad.length) {
      const badLines = bad.map((b) => ({ line: b.line, text: b.text, problem: v.t(`devices.page.stock.lineProblems.${b.problem}`) }));
      return refuse(pageNote(v.t('devices.page.stock.badLinesNotice', { count: bad.length })), badLines);
    }
    if (!devices.length) return refuse(pageNote(v.t('devices.page.stock.noLines')));
    const r = await attempt(() => registerShipment(actorOf(req), parseInput(ShipmentInputSchema, { reference: typed.reference, receivedAt: typed.receivedAt, ...given({ note: typed.note }), devices }), ip(req)));
    if (r.ok) return res.redirect(303, `/devices/stock?registered=${r.value.devices}`);
    await refuse(formError(r.error, v.t));
  });

  router.post('/devices/stock', coordinator, async (req, res) => {
    const typed = values(req.body, ['serial', 'type', 'make', 'model']);
    const r = await attempt(() => addDevice(actorOf(req), parseInput(DeviceInputSchema, { serial: typed.serial, type: typed.type, ...given({ make: typed.make, model: typed.model }) }), ip(req)));
    if (r.ok) return res.redirect(303, `/devices/stock/${encodeURIComponent(r.value.serial)}?done=added`);
    await renderStock(req, res, { status: r.error.status, failed: { form: 'device', error: formError(r.error, viewOf(req).t), values: typed } });
  });

  router.get('/devices/due-back', requireStaff(), async (req, res) => {
    const v = viewOf(req);
    const rows = (await listDueBack(actorOf(req))).map((r) => ({ device: presentDevice(r.device), need: r.device.need ? String(r.device.need) : null, overdue: r.overdue }));
    send(res, v, v.t('devices.page.dueBack.title'), dueBackView(v, rows));
  });

  async function renderDevice(req: Request, res: Response, extra: Extra & { failed?: DeviceFailure } = {}) {
    const actor = actorOf(req);
    const v = viewOf(req);
    const device = await findDeviceFor(actor, String(req.params.serial));
    const [withCode] = await withInstitutionCodes([device]);
    const detail = {
      ...presentDevice(withCode!),
      need: device.need ? String(device.need) : null,
      returnedAt: device.returnedAt ?? null,
      history: (device.history ?? []).map((h) => ({ status: h.status, at: h.at.toISOString(), by: h.by ?? null, note: h.note ?? null })),
    };
    const body = deviceView(v, detail, { institutions: (await institutionChoices(actor)) ?? [], today: rigaToday(), failed: extra.failed, notice: extra.failed ? null : done(v, req) });
    send(res, v, `${v.t('devices.page.device.title')} ${device.serial}`, body, extra.status ?? 200);
  }

  router.get('/devices/stock/:serial', requireStaff(), (req, res) => renderDevice(req, res));

  const deviceAction = (action: DeviceAction, guard: ReturnType<typeof requireRole>, keep: readonly string[], run: (actor: Actor, serial: string, body: unknown, ip: string | null) => Promise<unknown>) =>
    router.post(`/devices/stock/:serial/${action}`, guard, async (req, res) => {
      const serial = String(req.params.serial);
      const r = await attempt(() => run(actorOf(req), serial, req.body, ip(req)));
      if (r.ok) return res.redirect(303, `/devices/stock/${encodeURIComponent(serial)}?done=${action}`);
      await renderDevice(req, res, { status: r.error.status, failed: { form: action, error: formError(r.error, viewOf(req).t), values: values(req.body, keep) } });
    });

  deviceAction('move', coordinator, ['institution'], (actor, serial, body, at) => moveDeviceTo(actor, serial, parseInput(MoveSchema, { institution: text(body, 'institution') || null }).institution, at));
  deviceAction('return', requireStaff(), ['condition', 'date', 'note'], (actor, serial, body, at) => recordReturn(actor, serial, parseInput(ReturnSchema, { condition: text(body, 'condition'), ...given(values(body, ['date', 'note'])) }), at));
  deviceAction('restock', coordinator, [], (actor, serial, _body, at) => restockDevice(actor, serial, at));

  router.get('/devices/report.xlsx', coordinator, async (req, res) => {
    const t = translator(req.lang);
    res.type(xlsxType).attachment(`${t('devices.report.fileName')}.xlsx`).send(await ministryReport(actorOf(req), t));
  });

  // --- Allocation ------------------------------------------------------------------------------
  router.get('/devices/allocation', coordinator, (req, res) => {
    const v = viewOf(req);
    send(res, v, v.t('devices.page.allocation.title'), allocationStartView(v));
  });

  router.post('/devices/allocation/proposal', coordinator, async (req, res) => {
    const actor = actorOf(req);
    const v = viewOf(req);
    const proposal = await buildProposal(actor);
    send(res, v, v.t('devices.page.allocation.proposalTitle'), proposalView(v, proposal, await needNames(actor, ['approved'])));
  });

  router.post('/devices/allocation/confirm', coordinator, async (req, res) => {
    const actor = actorOf(req);
    const v = viewOf(req);
    const rows = [...new Set(list(req.body, 'include'))]
      .filter((i) => /^\d{1,5}$/.test(i))
      .slice(0, 20_000)
      .map((i) => ({ need: text(req.body, `need_${i}`).trim(), serial: text(req.body, `serial_${i}`).trim() }))
      .filter((m) => m.need);
    if (!rows.length) return send(res, v, v.t('devices.page.allocation.title'), allocationStartView(v, pageNote(v.t('devices.page.allocation.noneSelected'))), 400);
    // A row whose serial was emptied is refused on its own; the others still go ahead.
    const withSerial = rows.filter((m) => m.serial);
    const confirmed = withSerial.length ? await confirmAllocation(actor, parseInput(ConfirmSchema, { matches: withSerial }), ip(req)) : [];
    const byRow = new Map(withSerial.map((m, i) => [m, confirmed[i]!]));
    const results: ConfirmResult[] = rows.map((m) => byRow.get(m) ?? { need: m.need, serial: m.serial, ok: false, code: 'serial_required' });
    send(res, v, v.t('devices.page.allocation.resultsTitle'), confirmResultView(v, results, await needNames(actor, ['allocated', 'approved'])));
  });

  // --- Home deliveries -------------------------------------------------------------------------
  async function renderDeliveries(req: Request, res: Response, extra: Extra & { error?: FormError; values?: Record<string, string>; chosen?: Set<string> } = {}) {
    const v = viewOf(req);
    const [runs, found] = await Promise.all([listRuns(), deliveryCandidates()]);
    const codes = await withInstitutionCodes(found.map((c) => ({ institution: c.need.institution })));
    const candidates = found.map((c, i) => ({
      id: String(c.need._id),
      name: pupilName(c.pupil),
      class: c.pupil?.class ?? null,
      address: c.need.address ?? null,
      institution: codes[i]?.institutionCode ?? null,
      referenceCode: c.need.referenceCode,
    }));
    const body = deliveriesView(v, { runs, candidates, today: rigaToday(), values: extra.values, chosen: extra.chosen ?? null, error: extra.error, notice: extra.notice });
    send(res, v, v.t('devices.page.deliveries.title'), body, extra.status ?? 200);
  }

  router.get('/devices/deliveries', coordinator, (req, res) => renderDeliveries(req, res));

  router.post('/devices/deliveries', coordinator, async (req, res) => {
    const v = viewOf(req);
    const typed = values(req.body, ['day', 'courier']);
    const needs = list(req.body, 'needs');
    const refuse = (error: FormError) => renderDeliveries(req, res, { status: error.status, error, values: typed, chosen: new Set(needs) });
    // No needs ticked means none, not "all of them" as the API reads it.
    if (!needs.length) return refuse(pageNote(v.t('devices.page.deliveries.noneSelected')));
    const r = await attempt(() => createRun(actorOf(req), parseInput(RunInputSchema, { day: typed.day, ...given({ courier: typed.courier }), needs: needs.slice(0, 2000) }), ip(req)));
    if (r.ok) return res.redirect(303, `/devices/deliveries/${r.value.id}?stops=${r.value.stops}&skipped=${r.value.skipped}`);
    await refuse(formError(r.error, v.t));
  });

  async function renderRun(req: Request, res: Response, extra: Extra & { failed?: StopFailure } = {}) {
    const v = viewOf(req);
    const sheet = await getRun(String(req.params.runId));
    const stops = count(req.query.stops);
    const notice = stops !== null && !extra.failed ? v.t('devices.page.deliveries.createdNotice', { stops, skipped: count(req.query.skipped) ?? 0 }) : null;
    send(res, v, v.t('devices.page.deliveries.sheetTitle', { day: formatDay(sheet.run.day, v.ctx.lang) }), runSheetView(v, sheet, { failed: extra.failed, notice }), extra.status ?? 200);
  }

  router.get('/devices/deliveries/:runId', coordinator, (req, res) => renderRun(req, res));

  router.post('/devices/deliveries/:runId/stops/:stopId', coordinator, async (req, res) => {
    const runId = String(req.params.runId);
    const stopId = String(req.params.stopId);
    const outcome = text(req.body, 'outcome') === 'failed' ? 'failed' : 'delivered';
    const typed = values(req.body, ['receivedBy', 'relation', 'reason']);
    const input = outcome === 'delivered' ? { outcome, receivedBy: typed.receivedBy, relation: typed.relation } : { outcome, reason: typed.reason };
    const r = await attempt(() => markStop(actorOf(req), runId, stopId, parseInput(StopOutcomeSchema, input), settings, ip(req)));
    if (r.ok) return res.redirect(303, `/devices/deliveries/${encodeURIComponent(runId)}#stop-${encodeURIComponent(stopId)}`);
    await renderRun(req, res, { status: r.error.status, failed: { stopId, outcome, error: formError(r.error, viewOf(req).t), values: typed } });
  });

  return router;
}
