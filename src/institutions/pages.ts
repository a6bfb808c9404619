import { Router } from 'express';
import { actorOf, findInstitutionFor, requireRole, requireStaff } from '../auth/scope.ts';
import { html } from '../web/html.ts';
import { layout, pageContext } from '../web/layout.ts';
import { translator, type TFunction } from '../i18n/index.ts';
import { getInstitution, listInstitutions } from './service.ts';
import { closeContactTask, listContactTasks } from '../notifications/taskService.ts';
import { contactTasksSection } from '../notifications/views/contactTasksView.ts';
import { text } from '../web/formValues.ts';
import { ip } from '../web/pageSupport.ts';
import { exportLink, sendListExport, type ListColumn } from '../web/listExport.ts';
import { scrollable } from '../web/scrollBox.ts';

type Period = { from: string | null; to: string | null };

function periods(t: TFunction, list: Period[]) {
  if (!list.length) return t('institutions.notBase');
  return list.map((p) => t('institutions.basePeriod', { from: p.from ?? '…', to: p.to ?? t('institutions.openEnded') })).join('; ');
}

type InstitutionRow = Awaited<ReturnType<typeof listInstitutions>>[number];

const institutionColumns: ListColumn<InstitutionRow>[] = [
  { header: 'institutions.code', value: (i) => i.code, width: 14 },
  { header: 'institutions.name', value: (i) => i.name, width: 40 },
  { header: 'institutions.type', value: (i, t) => t(`types.${i.type}`) },
  { header: 'institutions.address', value: (i) => i.address, width: 36 },
  { header: 'institutions.base', value: (i, t) => periods(t, i.basePeriods), width: 36 },
  { header: 'exports.columns.baseToday', value: (i, t) => (i.baseToday ? t('exports.yes') : t('exports.no')) },
];

/** Institution pages: the coordinator's list (and its workbook) and one institution's page (scoped like the API). */
export function institutionPages(): Router {
  const router = Router();
  router.get('/institutions', requireRole('coordinator'), async (req, res) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const items = await listInstitutions(actorOf(req));
    const body = items.length
      ? html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table>
<thead><tr><th scope="col">${t('institutions.code')}</th><th scope="col">${t('institutions.name')}</th><th scope="col">${t('institutions.type')}</th><th scope="col">${t('institutions.base')}</th></tr></thead>
<tbody>${items.map(
          (i) => html`<tr><td>${i.code}</td><td><a href="/institutions/${encodeURIComponent(i.code)}">${i.name}</a></td><td>${t(`types.${i.type}`)}</td><td>${i.baseToday ? html`<strong>${t('institutions.baseNow')}</strong>` : periods(t, i.basePeriods)}</td></tr>`,
        )}</tbody></table></div>`
      : html`<p>${t('institutions.none')}</p>`;
    res.type('html').send(layout(ctx, t('institutions.title'), html`${exportLink(t, '/institutions.xlsx')}${body}`).value);
  });

  router.get('/institutions.xlsx', requireRole('coordinator'), async (req, res) => {
    await sendListExport(req, res, { name: 'exports.files.institutions', columns: institutionColumns, rows: await listInstitutions(actorOf(req)) });
  });

  router.get('/institutions/:code', requireStaff(), async (req, res) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const actor = actorOf(req);
    const inst = await getInstitution(actor, String(req.params.code));
    const { _id } = await findInstitutionFor(actor, inst.code);
    const tasks = await listContactTasks(actor, _id);
    const fixed = text(req.query, 'done') === 'contact' ? t('institutions.contactTasks.done') : null;
    const body = html`<dl class="facts">
  <dt>${t('institutions.code')}</dt><dd>${inst.code}</dd>
  <dt>${t('institutions.type')}</dt><dd>${t(`types.${inst.type}`)}</dd>
  <dt>${t('institutions.address')}</dt><dd>${inst.address || '—'}</dd>
  ${inst.type === 'kindergarten' ? html`<dt>${t('institutions.base')}</dt><dd>${periods(t, inst.basePeriods)}</dd>` : ''}
</dl>
${inst.type === 'kindergarten'
  ? html`<h2>${t('institutions.groups')}</h2>${inst.groups.length
      ? html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table><thead><tr><th scope="col">${t('institutions.group')}</th><th scope="col" class="num">${t('institutions.capacity')}</th></tr></thead>
<tbody>${inst.groups.map((g) => html`<tr><td>${g.name}</td><td class="num">${g.capacity}</td></tr>`)}</tbody></table></div>`
      : html`<p>${t('institutions.noGroups')}</p>`}`
  : ''}
${contactTasksSection({ ctx, t }, inst.code, tasks, fixed)}`;
    res.type('html').send(layout(ctx, inst.name, body).value);
  });

  // A contact was fixed: the task closes. Scope first: another institution's code answers 404
  // before the form is looked at.
  router.post('/institutions/:code/contact-tasks/:taskId/done', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const inst = await findInstitutionFor(actor, String(req.params.code));
    await closeContactTask(actor, inst._id, String(req.params.taskId), ip(req));
    res.redirect(303, `/institutions/${encodeURIComponent(inst.code)}?done=contact#contact-tasks`);
  });
  return router;
}
