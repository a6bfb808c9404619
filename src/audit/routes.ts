import { Router } from 'express';
import { z } from 'zod';
import { actorOf, requireRole } from '../auth/scope.ts';
import { parseInput } from '../http/parse.ts';
import { isCalendarDay } from '../shared/dates.ts';
import { html } from '../web/html.ts';
import { layout, pageContext } from '../web/layout.ts';
import { translator, type TFunction } from '../i18n/index.ts';
import { formatDateTime } from '../web/format.ts';
import { searchAudit } from './service.ts';
import type { Actor } from '../auth/actor.ts';
import type { PersonalCodeKey } from '../pupils/personalCodes.ts';
import { searchChildren } from '../pupils/searchService.ts';
import { scrollable } from '../web/scrollBox.ts';

const day = z.string().refine(isCalendarDay, 'invalid_date');
export const AuditQuerySchema = z.object({
  actor: z.string().trim().max(200).optional(),
  action: z.string().trim().max(100).optional(),
  institution: z.string().trim().max(40).optional(),
  pupil: z.string().trim().max(100).optional(),
  from: z.union([day, z.literal('')]).optional(),
  to: z.union([day, z.literal('')]).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * The pupils a search names: an id as given (the child page links with one), otherwise the
 * children the text finds by name, class or personal code, as the child search finds them.
 */
async function pupilsNamed(actor: Actor, key: PersonalCodeKey, text: string | undefined): Promise<string[] | undefined> {
  if (!text) return undefined;
  if (/^[0-9a-f]{24}$/i.test(text)) return [text.toLowerCase()];
  const { hits } = await searchChildren(actor, key, text);
  return hits.filter((h) => h.kind === 'pupil').map((h) => h.id);
}

async function toQuery(actor: Actor, key: PersonalCodeKey, q: z.infer<typeof AuditQuerySchema>) {
  const nextDay = (d: string) => new Date(Date.parse(d + 'T00:00:00Z') + 86_400_000);
  return {
    pupils: await pupilsNamed(actor, key, q.pupil),
    actor: q.actor || undefined,
    action: q.action || undefined,
    institution: q.institution || undefined,
    from: q.from ? new Date(q.from + 'T00:00:00Z') : undefined,
    to: q.to ? nextDay(q.to) : undefined,
    limit: q.limit,
  };
}

function who(t: TFunction, actor: { kind: string; email?: string | null; id?: string | null }) {
  if (actor.kind === 'user') return actor.email ?? '';
  if (actor.kind === 'cli') return t('audit.cli');
  if (actor.kind === 'system') return `${t('audit.system')} (${actor.id ?? ''})`;
  return t('audit.anonymous');
}

/** The audit log: coordinators search it by person, action, institution and date. */
export function auditRoutes(deps: { personalCodeKey: PersonalCodeKey }): Router {
  const router = Router();
  router.get('/api/audit', requireRole('coordinator'), async (req, res) => {
    const q = parseInput(AuditQuerySchema, req.query);
    res.json({ items: await searchAudit(actorOf(req), await toQuery(actorOf(req), deps.personalCodeKey, q)) });
  });
  router.get('/audit', requireRole('coordinator'), async (req, res) => {
    const q = parseInput(AuditQuerySchema, req.query);
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const rows = await searchAudit(actorOf(req), await toQuery(actorOf(req), deps.personalCodeKey, q));
    const field = (name: string, label: string, value: string | undefined, type = 'text') =>
      html`<div><label for="f-${name}">${label}</label><input id="f-${name}" name="${name}" type="${type}" value="${value ?? ''}"></div>`;
    const body = html`<form method="get" action="/audit" class="filters">
  ${field('actor', t('audit.filterActor'), q.actor)}
  ${field('action', t('audit.filterAction'), q.action)}
  ${field('institution', t('audit.filterInstitution'), q.institution)}
  ${field('pupil', t('audit.filterPupil'), q.pupil)}
  ${field('from', t('audit.filterFrom'), q.from, 'date')}
  ${field('to', t('audit.filterTo'), q.to, 'date')}
  <div><button type="submit">${t('audit.search')}</button></div>
</form>
${rows.length
  ? html`<div class="table-wrap"${scrollable(t('audit.title'))}><table class="audit">
<thead><tr><th scope="col">${t('audit.when')}</th><th scope="col">${t('audit.who')}</th><th scope="col">${t('audit.action')}</th><th scope="col">${t('audit.target')}</th><th scope="col">${t('audit.institution')}</th><th scope="col">${t('audit.ip')}</th></tr></thead>
<tbody>${rows.map(
      (r) => html`<tr><td>${formatDateTime(r.at, ctx.lang)}</td><td>${who(t, r.actor ?? { kind: 'anonymous' })}</td><td><code>${r.action}</code></td><td>${r.target?.label ?? ''}</td><td>${r.institution ?? ''}</td><td>${r.ip ?? ''}</td></tr>`,
    )}</tbody></table></div>`
  : html`<p>${t('audit.none')}</p>`}`;
    res.type('html').send(layout(ctx, t('audit.title'), body).value);
  });
  return router;
}
