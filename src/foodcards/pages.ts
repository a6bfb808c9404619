import { Router, type Request, type Response } from 'express';
import { actorOf, findInstitutionFor, requireRole, requireStaff } from '../auth/scope.ts';
import type { AppError } from '../errors.ts';
import { parseInput } from '../http/parse.ts';
import { PupilModel } from '../pupils/model.ts';
import { attempt, formError, type FormError } from '../web/forms.ts';
import { given, text, values } from '../web/formValues.ts';
import { ip, renameFields, send, viewOf } from '../web/pageSupport.ts';
import { formatDay } from '../web/format.ts';
import { rigaToday } from '../shared/dates.ts';
import { CardHandoverSchema, findCardFor, listCards, presentCards, recordCardHandover } from './cardService.ts';
import { computeEntitlements, type ComputeSummary } from './computeService.ts';
import { EntitlementListQuerySchema, explainPupilEntitlement, listEntitlements, periodTotals } from './entitlementService.ts';
import { EntitlementModel } from './model.ts';
import { CalendarInputSchema, PeriodInputSchema, createPeriod, findPeriod, listPeriods, presentPeriod, setCalendar } from './periodService.ts';
import { assignNumbers, CardNumbersSchema, LoadedSchema, markLoaded } from './cardService.ts';
import { BatchInputSchema, confirmBatch, createBatch, findBatch, listBatches } from './batchService.ts';
import { FoodCardModel } from './cardModel.ts';
import { batchesSection, type BatchState } from './views/batchViews.ts';
import { html } from '../web/html.ts';
import { cardsView, handoverFields, type HandoverState } from './views/cardViews.ts';
import { entitlementListView, explanationView } from './views/entitlementViews.ts';
import { bandField, bandLines, calendarFields, daysTyped, periodFields, periodListView, periodView, type FormState } from './views/periodViews.ts';

// The most pupils one list page shows (the services allow 5000).
const listLimit = 1000;

/** Days typed one per line, or separated by commas, semicolons or spaces. */
const daysOf = (typed: string) => typed.split(/[\s,;]+/).map((d) => d.trim()).filter(Boolean);

/** A refusal as the form shows it; days the service names (outside the period, both off and school) are listed. */
function refusal(err: AppError, v: ReturnType<typeof viewOf>): FormError {
  const e = formError(err, v.t);
  const days = (err.details as { days?: unknown } | undefined)?.days;
  return Array.isArray(days) && days.length ? { ...e, message: `${e.message} (${days.map((d) => formatDay(String(d), v.ctx.lang)).join(', ')})` } : e;
}

/** The food-card pages: periods and their calendars (the coordinator's), the amounts and each one explained (staff, in scope). */
export function foodcardPages(): Router {
  const router = Router();
  const coordinator = requireRole('coordinator');

  // --- The periods -------------------------------------------------------------------------------
  async function renderPeriods(req: Request, res: Response, form?: FormState, status = 200) {
    const v = viewOf(req);
    const actor = actorOf(req);
    const periods = (await listPeriods()).map(presentPeriod);
    const notice = text(req.query, 'done') === 'created' && !form ? v.t('foodcards.page.periods.created') : null;
    const body = periodListView(v, { periods, form: actor.role === 'coordinator' ? (form ?? { values: {} }) : null, ownCode: actor.institutionCode ?? null, notice });
    send(res, v, v.t('foodcards.page.periods.title'), body, status);
  }

  router.get('/foodcards', requireStaff(), (req, res) => renderPeriods(req, res));

  router.post('/foodcards/periods', coordinator, async (req, res) => {
    const typed = values(req.body, periodFields);
    // Blank class-range lines are left out; `formLine[k]` is the form line of the k-th range sent.
    const formLine: number[] = [];
    const rates: Array<{ classFrom: string; classTo: string; rate: string }> = [];
    for (let i = 0; i < bandLines; i++) {
      const f = bandField(i);
      const line = { classFrom: typed[f.from]!.trim(), classTo: typed[f.to]!.trim(), rate: typed[f.rate]!.trim() };
      if (!line.classFrom && !line.classTo && !line.rate) continue;
      formLine.push(i);
      rates.push(line);
    }
    const input = { name: typed.name, from: typed.from, to: typed.to, rate: typed.rate!.trim(), rates };
    const r = await attempt(() => createPeriod(actorOf(req), parseInput(PeriodInputSchema, input), ip(req)));
    if (r.ok) return res.redirect(303, `/foodcards/periods/${String(r.value._id)}?done=created`);
    const error = renameFields(refusal(r.error, viewOf(req)), (field) => {
      if (['name', 'from', 'to', 'rate', 'rates'].includes(field)) return field;
      const m = /^rates\.(\d+)\.(classFrom|classTo|rate)$/.exec(field);
      const line = m ? formLine[Number(m[1])] : undefined;
      if (!m || line === undefined) return null;
      const f = bandField(line);
      return m[2] === 'classFrom' ? f.from : m[2] === 'classTo' ? f.to : f.rate;
    });
    await renderPeriods(req, res, { values: typed, error }, r.error.status);
  });

  // --- One period --------------------------------------------------------------------------------
  async function renderPeriod(req: Request, res: Response, extra: { status?: number; calendar?: FormState; compute?: { error?: FormError; summary?: ComputeSummary }; batches?: BatchState; periodId?: string } = {}) {
    const v = viewOf(req);
    const p = presentPeriod(await findPeriod(extra.periodId ?? String(req.params.periodId)));
    const totals = await periodTotals(actorOf(req), p.id);
    const calendar = extra.calendar ?? { values: { holidays: daysTyped(p.calendar.holidays), daysOff: daysTyped(p.calendar.daysOff), extraSchoolDays: daysTyped(p.calendar.extraSchoolDays) } };
    const done = text(req.query, 'done');
    const notice = !extra.calendar && !extra.compute && (done === 'created' || done === 'calendar') ? v.t(`foodcards.page.period.done.${done}`) : null;
    const batchDone = text(req.query, 'done');
    const batchState = extra.batches ?? { notice: ['confirmed', 'numbers', 'loaded'].includes(batchDone) ? v.t(`foodcards.page.batches.done.${batchDone}`) : null };
    const body = html`${periodView(v, p, { totals, calendar, compute: extra.compute ?? {}, notice })}${batchesSection(v, p.id, await listBatches(p.id), batchState)}`;
    send(res, v, p.name, body, extra.status ?? 200);
  }

  router.get('/foodcards/periods/:periodId', coordinator, (req, res) => renderPeriod(req, res));

  router.post('/foodcards/periods/:periodId/calendar', coordinator, async (req, res) => {
    const id = String(req.params.periodId);
    const typed = values(req.body, calendarFields);
    const input = Object.fromEntries(calendarFields.map((f) => [f, daysOf(typed[f] ?? '')]));
    const r = await attempt(async () => setCalendar(actorOf(req), id, parseInput(CalendarInputSchema, input), ip(req)));
    if (r.ok) return res.redirect(303, `/foodcards/periods/${encodeURIComponent(id)}?done=calendar`);
    if (r.error.status === 404) throw r.error;
    const error = renameFields(refusal(r.error, viewOf(req)), (field) => calendarFields.find((f) => field === f || field.startsWith(`${f}.`)) ?? null);
    await renderPeriod(req, res, { status: r.error.status, calendar: { values: typed, error } });
  });

  // Computing writes only what changed, so the page is shown at once with the summary.
  router.post('/foodcards/periods/:periodId/compute', coordinator, async (req, res) => {
    const r = await attempt(() => computeEntitlements(actorOf(req), String(req.params.periodId), ip(req)));
    if (!r.ok && r.error.status === 404) throw r.error;
    await renderPeriod(req, res, r.ok ? { compute: { summary: r.value } } : { status: r.error.status, compute: { error: refusal(r.error, viewOf(req)) } });
  });

  // --- Amounts -----------------------------------------------------------------------------------
  router.get('/foodcards/periods/:periodId/entitlements', requireStaff(), async (req, res) => {
    const v = viewOf(req);
    const actor = actorOf(req);
    // A principal always sees their own institution's list; another institution's code answers 404.
    const code = text(req.query, 'institution').trim() || (actor.role === 'principal' ? (actor.institutionCode ?? '') : '');
    const inst = code ? await findInstitutionFor(actor, code) : null;
    const list = await listEntitlements(actor, String(req.params.periodId), parseInput(EntitlementListQuerySchema, { institution: inst?.code, limit: String(listLimit) }));
    const title = inst ? v.t('foodcards.page.entitlements.titleOf', { period: list.period.name, institution: inst.name }) : v.t('foodcards.page.entitlements.title', { period: list.period.name });
    send(res, v, title, entitlementListView(v, { list, institution: inst ? { code: inst.code, name: inst.name } : null, limit: listLimit }));
  });

  router.get('/foodcards/entitlements/:entitlementId', requireStaff(), async (req, res) => {
    const v = viewOf(req);
    // Scope first: the explanation answers 404 for another institution's pupil.
    const e = await explainPupilEntitlement(actorOf(req), String(req.params.entitlementId));
    const stored = await EntitlementModel.findById(e.id, { period: 1, pupil: 1 }).lean();
    const [period, pupil] = await Promise.all([findPeriod(String(stored!.period)), PupilModel.findById(stored!.pupil, { firstName: 1, lastName: 1 }).lean()]);
    const name = [pupil?.firstName, pupil?.lastName].filter(Boolean).join(' ');
    const body = explanationView(v, e, { period: { id: String(period._id), name: period.name, from: period.from, to: period.to }, pupil: name });
    send(res, v, v.t('foodcards.page.explain.title', { pupil: name || '—' }), body);
  });

  // --- Card batches (the coordinator's, on the period page) ---------------------------------------
  router.post('/foodcards/periods/:periodId/batches', coordinator, async (req, res) => {
    const r = await attempt(() => createBatch(actorOf(req), String(req.params.periodId), parseInput(BatchInputSchema, {}), ip(req)));
    if (!r.ok && r.error.status === 404) throw r.error;
    await renderPeriod(req, res, r.ok ? { batches: { result: r.value } } : { status: r.error.status, batches: { error: formError(r.error, viewOf(req).t) } });
  });

  /** A batch's own POST: done → back to its period with a notice; refused → the period page with the refusal at the batch. */
  async function batchStep(req: Request, res: Response, step: string, run: (batchId: string) => Promise<unknown>, numbers?: string) {
    const batch = await findBatch(String(req.params.batchId));
    const periodId = String(batch.period);
    const r = await attempt(() => run(String(batch._id)));
    if (r.ok) return res.redirect(303, `/foodcards/periods/${encodeURIComponent(periodId)}?done=${step}#batches`);
    await renderPeriod(req, res, { periodId, status: r.error.status, batches: { batch: String(batch._id), error: formError(r.error, viewOf(req).t), numbers } });
  }

  router.post('/foodcards/batches/:batchId/confirm', coordinator, (req, res) => batchStep(req, res, 'confirmed', (id) => confirmBatch(actorOf(req), id, ip(req))));

  // One card per line: the card's (or the pupil's) id and the number, separated by spaces, a comma or a semicolon.
  router.post('/foodcards/batches/:batchId/numbers', coordinator, async (req, res) => {
    const typed = text(req.body, 'numbers');
    await batchStep(req, res, 'numbers', async (id) => {
      const cardIds = new Set((await FoodCardModel.find({ batch: id, kind: 'card' }, { _id: 1 }).lean()).map((c) => String(c._id)));
      const items = typed.split(/\r?\n/).map((l) => l.trim()).filter(Boolean).map((line) => {
        const [who = '', number = ''] = line.split(/[\s,;]+/);
        return cardIds.has(who) ? { card: who, number } : { pupil: who, number };
      });
      return assignNumbers(actorOf(req), id, parseInput(CardNumbersSchema, { items }), ip(req));
    }, typed);
  });

  router.post('/foodcards/batches/:batchId/loaded', coordinator, (req, res) => batchStep(req, res, 'loaded', (id) => markLoaded(actorOf(req), id, parseInput(LoadedSchema, {}), ip(req))));

  // --- Cards at school ---------------------------------------------------------------------------
  // A principal sees and hands over their own institution's cards (the services scope by actor);
  // the office sees every institution's, or one's with `?institution=`.
  async function renderCards(req: Request, res: Response, extra: { periodId?: string; status?: number; form?: HandoverState; pageError?: FormError } = {}) {
    const v = viewOf(req);
    const actor = actorOf(req);
    const periods = (await listPeriods()).map((p) => ({ id: String(p._id), name: p.name }));
    const wanted = extra.periodId ?? text(req.query, 'period').trim();
    const period = wanted ? presentPeriod(await findPeriod(wanted)) : periods[0] ? { id: periods[0].id, name: periods[0].name } : null;
    const code = actor.role === 'principal' ? '' : text(req.query, 'institution').trim();
    const inst = code ? await findInstitutionFor(actor, code) : null;
    let loaded: Awaited<ReturnType<typeof presentCards>> = [];
    let collected: typeof loaded = [];
    let notLoaded = 0;
    if (period) {
      const query = { period: period.id, institution: inst?.code, limit: listLimit };
      const [open, done] = await Promise.all([listCards(actor, query, true), listCards(actor, { ...query, status: 'collected' })]);
      loaded = open.items.filter((c) => c.status === 'loaded');
      notLoaded = open.items.length - loaded.length;
      collected = done.items;
    }
    const doneCard = text(req.query, 'done') === 'handover' && !extra.form && !extra.pageError ? collected.find((c) => c.id === text(req.query, 'card')) : undefined;
    const notice = doneCard ? v.t('foodcards.page.cards.done', { number: doneCard.number ?? '—', pupil: `${doneCard.firstName} ${doneCard.lastName}`.trim() }) : null;
    // A refusal for a card no longer waiting (already collected, not loaded) is shown above the lists.
    const formShown = extra.form && loaded.some((c) => c.id === extra.form!.card);
    const pageError = extra.pageError ?? (extra.form && !formShown ? extra.form.error : null);
    const title = inst ? v.t('foodcards.page.cards.titleOf', { institution: inst.name }) : v.t('foodcards.page.cards.title');
    const body = cardsView(v, { periods, period: period ? { id: period.id, name: period.name } : null, institution: inst?.code ?? null, showInstitution: actor.role !== 'principal' && !inst, loaded, notLoaded, collected, today: rigaToday(), notice, form: formShown ? extra.form : null, pageError });
    send(res, v, title, body, extra.status ?? 200);
  }

  router.get('/foodcards/cards', requireStaff(), (req, res) => renderCards(req, res));

  router.post('/foodcards/cards/:cardId/handover', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const id = String(req.params.cardId);
    // Scope first: another institution's card answers 404 whatever the form holds.
    const card = await findCardFor(actor, id);
    const periodId = String(card.period);
    const typed = values(req.body, handoverFields);
    // A blank name is the service's own refusal (card_collector_required); a blank date is today.
    const input = { collectedBy: typed.collectedBy, ...given({ relation: typed.relation, date: typed.date }) };
    const r = await attempt(() => recordCardHandover(actor, id, parseInput(CardHandoverSchema, input), ip(req)));
    if (r.ok) return res.redirect(303, `/foodcards/cards?period=${encodeURIComponent(periodId)}&done=handover&card=${encodeURIComponent(id)}`);
    const error = renameFields(formError(r.error, viewOf(req).t), (field) => handoverFields.find((f) => field === f) ?? null);
    await renderCards(req, res, { periodId, status: r.error.status, form: { card: id, values: typed, error } });
  });

  return router;
}
