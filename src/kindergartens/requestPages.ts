import type { Request, Response, Router } from 'express';
import type { Actor } from '../auth/actor.ts';
import { actorOf, requireRole } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { rigaToday } from '../shared/dates.ts';
import { attempt, formError, type FormError } from '../web/forms.ts';
import { given, text, values } from '../web/formValues.ts';
import { ip, send, viewOf } from '../web/pageSupport.ts';
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
  startDay,
  waitingPosition,
  withdrawRequest,
} from './placementService.ts';
import { presentRequest, presentRequestDetail } from './presenters.ts';
import { requestFields, requestFormView, requestListView, requestView, type FailedAction, type RequestAction } from './views/requestViews.ts';

const listLimit = 500;
const doneActions = new Set(['created', 'place', 'wait', 'withdraw', 'end']);

/** The coordinator's pages for requests for a place: the list, the form, one request and its actions. Requests belong to the office, not to an institution. */
export function addRequestPages(router: Router, deps: { personalCodeKey: PersonalCodeKey }): void {
  const coordinator = requireRole('coordinator');

  router.get('/kindergartens/requests', coordinator, async (req, res) => {
    const v = viewOf(req);
    const filters = { status: text(req.query, 'status'), q: text(req.query, 'q') };
    const found = await attempt(async () => {
      const items = await listRequests(parseInput(RequestListQuerySchema, { ...given(filters), limit: String(listLimit) }));
      // Unfiltered by text, the list holds every waiting request before any later one (it comes by
      // arrival), so counting gives the queue; a search leaves some out, so each is asked for.
      let waiting = 0;
      return Promise.all(items.map(async (r) => presentRequest(r, { position: r.status !== 'waiting' ? null : filters.q ? await waitingPosition(r) : ++waiting })));
    });
    const body = requestListView(v, { rows: found.ok ? found.value : [], filters, limit: listLimit, error: found.ok ? undefined : formError(found.error, v.t) });
    send(res, v, v.t('kindergartens.page.requests.title'), body, found.ok ? 200 : found.error.status);
  });

  function renderForm(req: Request, res: Response, typed: Record<string, string>, error?: FormError) {
    const v = viewOf(req);
    send(res, v, v.t('kindergartens.page.requestForm.title'), requestFormView(v, { values: typed, today: rigaToday(), error }), error?.status ?? 200);
  }

  router.get('/kindergartens/requests/new', coordinator, (req, res) => renderForm(req, res, {}));

  router.post('/kindergartens/requests/new', coordinator, async (req, res) => {
    // The personal code is never sent back: the field comes back empty.
    const { personalCode, ...typed } = values(req.body, requestFields);
    const { firstName, lastName, employer, sector, neededFrom, ...optional } = typed;
    const input = { firstName, lastName, personalCode, employer, sector, neededFrom, ...given(optional) };
    const r = await attempt(() => registerRequest(actorOf(req), parseInput(RequestInputSchema, input), deps.personalCodeKey, ip(req)));
    if (r.ok) return res.redirect(303, `/kindergartens/requests/${String(r.value._id)}?done=created`);
    renderForm(req, res, typed, formError(r.error, viewOf(req).t));
  });

  async function renderRequest(req: Request, res: Response, extra: { status?: number; failed?: FailedAction } = {}) {
    const v = viewOf(req);
    const d = await getRequest(String(req.params.requestId));
    const detail = presentRequestDetail(d.request, d);
    const open = d.request.status === 'received' || d.request.status === 'waiting';
    const options = open ? await placementOptions(d.request) : [];
    const done = text(req.query, 'done');
    const notice = !extra.failed && doneActions.has(done) ? v.t(`kindergartens.page.request.done.${done}`) : null;
    const title = `${detail.firstName} ${detail.lastName}`;
    send(res, v, title, requestView(v, detail, { options, startDay: startDay(d.request), failed: extra.failed, notice }), extra.status ?? 200);
  }

  router.get('/kindergartens/requests/:requestId', coordinator, (req, res) => renderRequest(req, res));

  /** An action on the request page: done → back to the page with a notice (303); refused → the page again with the message and what was typed. */
  const action = (name: RequestAction, keep: readonly string[], run: (actor: Actor, id: string, body: unknown, at: string | null) => Promise<unknown>) =>
    router.post(`/kindergartens/requests/:requestId/${name}`, coordinator, async (req, res) => {
      const id = String(req.params.requestId);
      const r = await attempt(() => run(actorOf(req), id, req.body, ip(req)));
      if (r.ok) return res.redirect(303, `/kindergartens/requests/${encodeURIComponent(id)}?done=${name}`);
      await renderRequest(req, res, { status: r.error.status, failed: { form: name, error: formError(r.error, viewOf(req).t), values: values(req.body, keep) } });
    });

  action('place', ['group'], (actor, id, body, at) => placeRequest(actor, id, parseInput(PlaceSchema, { group: text(body, 'group') }).group, at));
  action('wait', [], (actor, id, _body, at) => putOnWaitingList(actor, id, at));
  action('withdraw', ['reason'], (actor, id, body, at) => withdrawRequest(actor, id, parseInput(ReasonSchema, { reason: text(body, 'reason') }).reason, at));
  action('end', ['reason'], (actor, id, body, at) => endPlacement(actor, id, parseInput(ReasonSchema, { reason: text(body, 'reason') }).reason, at));
}
