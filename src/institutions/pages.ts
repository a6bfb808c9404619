import { Router } from 'express';
import { actorOf, requireRole, requireStaff } from '../auth/scope.ts';
import { html } from '../web/html.ts';
import { layout, pageContext } from '../web/layout.ts';
import { translator, type TFunction } from '../i18n/index.ts';
import { getInstitution, listInstitutions } from './service.ts';

type Period = { from: string | null; to: string | null };

function periods(t: TFunction, list: Period[]) {
  if (!list.length) return t('institutions.notBase');
  return list.map((p) => t('institutions.basePeriod', { from: p.from ?? '…', to: p.to ?? t('institutions.openEnded') })).join('; ');
}

/** Institution pages: the coordinator's list and one institution's page (scoped like the API). */
export function institutionPages(): Router {
  const router = Router();
  router.get('/institutions', requireRole('coordinator'), async (req, res) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const items = await listInstitutions(actorOf(req));
    const body = items.length
      ? html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${t('institutions.code')}</th><th scope="col">${t('institutions.name')}</th><th scope="col">${t('institutions.type')}</th><th scope="col">${t('institutions.base')}</th></tr></thead>
<tbody>${items.map(
          (i) => html`<tr><td>${i.code}</td><td><a href="/institutions/${encodeURIComponent(i.code)}">${i.name}</a></td><td>${t(`types.${i.type}`)}</td><td>${i.baseToday ? html`<strong>${t('institutions.baseNow')}</strong>` : periods(t, i.basePeriods)}</td></tr>`,
        )}</tbody></table></div>`
      : html`<p>${t('institutions.none')}</p>`;
    res.type('html').send(layout(ctx, t('institutions.title'), body).value);
  });

  router.get('/institutions/:code', requireStaff(), async (req, res) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const inst = await getInstitution(actorOf(req), String(req.params.code));
    const body = html`<dl class="facts">
  <dt>${t('institutions.code')}</dt><dd>${inst.code}</dd>
  <dt>${t('institutions.type')}</dt><dd>${t(`types.${inst.type}`)}</dd>
  <dt>${t('institutions.address')}</dt><dd>${inst.address || '—'}</dd>
  ${inst.type === 'kindergarten' ? html`<dt>${t('institutions.base')}</dt><dd>${periods(t, inst.basePeriods)}</dd>` : ''}
</dl>
${inst.type === 'kindergarten'
  ? html`<h2>${t('institutions.groups')}</h2>${inst.groups.length
      ? html`<div class="table-wrap"><table><thead><tr><th scope="col">${t('institutions.group')}</th><th scope="col" class="num">${t('institutions.capacity')}</th></tr></thead>
<tbody>${inst.groups.map((g) => html`<tr><td>${g.name}</td><td class="num">${g.capacity}</td></tr>`)}</tbody></table></div>`
      : html`<p>${t('institutions.noGroups')}</p>`}`
  : ''}`;
    res.type('html').send(layout(ctx, inst.name, body).value);
  });
  return router;
}
