import { Router } from 'express';
import { html } from './html.ts';
import { layout, pageContext } from './layout.ts';
import { translator } from '../i18n/index.ts';

/** The public start page; signed-in staff go on to their dashboard (src/dashboard/). */
export function homePages(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    if (req.user) return res.redirect(303, '/dashboard');
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const body = html`<p class="lead">${t('home.intro')}</p>
<div class="cards">
  <section class="card"><h2>${t('home.parentsTitle')}</h2><p>${t('home.parentsText')}</p><a class="button" href="/status">${t('home.parentsAction')}</a></section>
  <section class="card"><h2>${t('home.staffTitle')}</h2><p>${t('home.staffText')}</p><a class="button" href="/signin">${t('home.staffAction')}</a></section>
</div>`;
    res.type('html').send(layout(ctx, t('home.title'), body).value);
  });

  return router;
}
