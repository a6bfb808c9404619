import { Router, type Request, type Response } from 'express';
import { actorOf, requireStaff } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { listInstitutions } from '../institutions/service.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { attempt, formError } from '../web/forms.ts';
import { given, text, values } from '../web/formValues.ts';
import { ip, send, viewOf } from '../web/pageSupport.ts';
import { ExpiringQuerySchema, FamilyStatusInputSchema, expiringStatuses, saveFamilyStatus } from './familyStatusService.ts';
import { statusFields, statusesView, type StatusForm } from './views/statusViews.ts';

/** The family statuses page (staff, within their scope): those about to expire, and one recorded by hand. */
export function familyStatusPages(deps: { personalCodeKey: PersonalCodeKey }): Router {
  const router = Router();

  async function render(req: Request, res: Response, form: StatusForm, status = 200) {
    const v = viewOf(req);
    const actor = actorOf(req);
    const typedDays = text(req.query, 'days');
    const { days } = parseInput(ExpiringQuerySchema, /^\d{1,3}$/.test(typedDays) ? { days: typedDays } : {});
    const [expiring, institutions] = await Promise.all([
      expiringStatuses(actor, { days }),
      actor.role === 'coordinator' ? listInstitutions(actor).then((all) => all.filter((i) => i.type === 'school').map((i) => ({ code: i.code, name: i.name }))) : null,
    ]);
    const notice = text(req.query, 'done') === 'saved' && !form.error ? v.t('foodcards.page.statuses.saved') : null;
    send(res, v, v.t('foodcards.page.statuses.title'), statusesView(v, { expiring, days, form, institutions, notice }), status);
  }

  router.get('/foodcards/statuses', requireStaff(), (req, res) => render(req, res, { values: { status: 'poor' } }));

  router.post('/foodcards/statuses', requireStaff(), async (req, res) => {
    const typed = values(req.body, statusFields);
    const actor = actorOf(req);
    const input = given({ ...typed, institution: actor.role === 'coordinator' ? typed.institution : undefined });
    const r = await attempt(() => saveFamilyStatus(actor, parseInput(FamilyStatusInputSchema, input), deps.personalCodeKey, ip(req)));
    if (r.ok) return res.redirect(303, '/foodcards/statuses?done=saved');
    // The personal code is never shown back: it is typed again.
    await render(req, res, { values: { ...typed, personalCode: '' }, error: formError(r.error, viewOf(req).t) }, r.error.status);
  });
  return router;
}
