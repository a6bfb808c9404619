import { Router } from 'express';
import { requireRole } from '../auth/scope.ts';
import { html } from '../web/html.ts';
import { layout, pageContext } from '../web/layout.ts';
import { translator } from '../i18n/index.ts';
import { formatDateTime } from '../web/format.ts';
import { listUsers } from './service.ts';
import { exportLink, sendListExport, type ListColumn } from '../web/listExport.ts';
import { scrollable } from '../web/scrollBox.ts';

type UserRow = Awaited<ReturnType<typeof listUsers>>[number];

const userColumns: ListColumn<UserRow>[] = [
  { header: 'users.email', value: (u) => u.email, width: 30 },
  { header: 'users.name', value: (u) => u.name, width: 24 },
  { header: 'users.role', value: (u, t) => t(`roles.${u.role}`) },
  { header: 'users.institution', value: (u) => u.institution },
  { header: 'users.active', value: (u, t) => (u.active ? t('users.yes') : t('users.no')) },
  { header: 'users.lastSignIn', value: (u) => u.lastSignInAt, kind: 'time', width: 17 },
];

/** The coordinator's list of staff accounts, and the same as a workbook. */
export function userPages(): Router {
  const router = Router();
  router.get('/users', requireRole('coordinator'), async (req, res) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const users = await listUsers();
    const body = html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table>
<thead><tr><th scope="col">${t('users.email')}</th><th scope="col">${t('users.name')}</th><th scope="col">${t('users.role')}</th><th scope="col">${t('users.institution')}</th><th scope="col">${t('users.active')}</th><th scope="col">${t('users.lastSignIn')}</th></tr></thead>
<tbody>${users.map(
      (u) => html`<tr><td>${u.email}</td><td>${u.name}</td><td>${t(`roles.${u.role}`)}</td><td>${u.institution ? html`<a href="/institutions/${encodeURIComponent(u.institution)}">${u.institution}</a>` : '—'}</td><td>${u.active ? t('users.yes') : t('users.no')}</td><td>${u.lastSignInAt ? formatDateTime(u.lastSignInAt, ctx.lang) : t('users.never')}</td></tr>`,
    )}</tbody></table></div>`;
    res.type('html').send(layout(ctx, t('users.title'), html`${exportLink(t, '/users.xlsx')}${body}`).value);
  });

  router.get('/users.xlsx', requireRole('coordinator'), async (req, res) => {
    await sendListExport(req, res, { name: 'exports.files.users', columns: userColumns, rows: await listUsers() });
  });
  return router;
}
