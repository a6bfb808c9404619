import { Router } from 'express';
import { requireRole } from '../auth/scope.ts';
import { html } from '../web/html.ts';
import { layout, pageContext } from '../web/layout.ts';
import { translator } from '../i18n/index.ts';
import { formatDateTime } from '../web/format.ts';
import { listUsers } from './service.ts';

/** The coordinator's list of staff accounts. */
export function userPages(): Router {
  const router = Router();
  router.get('/users', requireRole('coordinator'), async (req, res) => {
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const users = await listUsers();
    const body = html`<div class="table-wrap"><table>
<thead><tr><th scope="col">${t('users.email')}</th><th scope="col">${t('users.name')}</th><th scope="col">${t('users.role')}</th><th scope="col">${t('users.institution')}</th><th scope="col">${t('users.active')}</th><th scope="col">${t('users.lastSignIn')}</th></tr></thead>
<tbody>${users.map(
      (u) => html`<tr><td>${u.email}</td><td>${u.name}</td><td>${t(`roles.${u.role}`)}</td><td>${u.institution ? html`<a href="/institutions/${encodeURIComponent(u.institution)}">${u.institution}</a>` : '—'}</td><td>${u.active ? t('users.yes') : t('users.no')}</td><td>${u.lastSignInAt ? formatDateTime(u.lastSignInAt, ctx.lang) : t('users.never')}</td></tr>`,
    )}</tbody></table></div>`;
    res.type('html').send(layout(ctx, t('users.title'), body).value);
  });
  return router;
}
