import { Router } from 'express';
import type { Redis } from 'ioredis';
import { actorOf, requireStaff } from '../auth/scope.ts';
import { html } from './html.ts';
import { layout, pageContext } from './layout.ts';
import { translator } from '../i18n/index.ts';
import { formatTime } from './format.ts';
import { readHeartbeat } from '../ops/heartbeat.ts';
import { listInstitutions } from '../institutions/service.ts';
import { countUsers } from '../users/service.ts';
import { deviceCounts } from '../devices/reportService.ts';
import type { DeviceSettings } from '../devices/settings.ts';
import { deviceTiles } from '../devices/views/dashboardTiles.ts';
import { monitorDay } from '../kindergartens/monitoringService.ts';
import { PlacementRequestModel } from '../kindergartens/model.ts';
import { kindergartenTiles } from '../kindergartens/views/dashboardTiles.ts';

/** The public start page and the staff overview (with the device figures of the reader's scope). */
export function homePages(redis: Redis, prefix: string, devices: Pick<DeviceSettings, 'staleStockDays'>): Router {
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

  router.get('/dashboard', requireStaff(), async (req, res) => {
    const actor = actorOf(req);
    const ctx = pageContext(req);
    const t = translator(ctx.lang);
    const coordinator = actor.role === 'coordinator';
    const [institutions, counts, today, waiting] = await Promise.all([
      listInstitutions(actor),
      deviceCounts(actor, devices.staleStockDays),
      monitorDay(actor),
      coordinator ? PlacementRequestModel.countDocuments({ status: 'waiting' }) : null,
    ]);
    const deviceSection = html`${deviceTiles(t, counts, devices.staleStockDays)}${kindergartenTiles(t, today, waiting)}`;
    let body;
    if (coordinator) {
      const [users, beat] = await Promise.all([countUsers(), readHeartbeat(redis, prefix)]);
      const tile = (label: string, value: number, href: string) => html`<a class="tile" href="${href}"><span class="value">${value}</span><span class="label">${label}</span></a>`;
      body = html`<p>${t('dashboard.welcome', { name: actor.name || actor.email })}</p>
<div class="tiles">
  ${tile(t('dashboard.schools'), institutions.filter((i) => i.type === 'school').length, '/institutions')}
  ${tile(t('dashboard.kindergartens'), institutions.filter((i) => i.type === 'kindergarten').length, '/institutions')}
  ${tile(t('dashboard.baseToday'), institutions.filter((i) => i.baseToday).length, '/institutions')}
  ${tile(t('dashboard.users'), users, '/users')}
</div>
${deviceSection}
<p class="worker ${beat ? 'ok' : 'warn'}"><strong>${t('dashboard.worker')}:</strong> ${beat ? t('dashboard.workerSeen', { time: formatTime(beat, ctx.lang) }) : t('dashboard.workerMissing')}</p>`;
    } else {
      body = html`<p>${t('dashboard.welcome', { name: actor.name || actor.email })}</p>
<h2>${t('dashboard.yourInstitution')}</h2>
${institutions.map((i) => html`<section class="card"><h3>${i.name}</h3><p>${t(`types.${i.type}`)} · ${i.code}</p><a class="button" href="/institutions/${encodeURIComponent(i.code)}">${t('dashboard.open')}</a></section>`)}
${deviceSection}`;
    }
    res.type('html').send(layout(ctx, t('dashboard.title'), body).value);
  });
  return router;
}
