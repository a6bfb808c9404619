import { html, type Html } from '../../web/html.ts';
import { formatDateTime, formatNumber } from '../../web/format.ts';
import type { Lang, TFunction } from '../../i18n/index.ts';
import { deviceTiles } from '../../devices/views/dashboardTiles.ts';
import { kindergartenTiles, type DayView } from '../../kindergartens/views/dashboardTiles.ts';
import { occupancyChart } from '../../kindergartens/views/occupancyChart.ts';
import type { DayFigures } from '../../kindergartens/daySummaries.ts';
import { csrfField, type PageContext } from '../../web/layout.ts';
import type { DashboardQuery, DashboardView } from '../service.ts';
import { figureLinks } from './links.ts';
import { institutionTable } from './institutionTable.ts';
import { weeklyChart } from './weeklyChart.ts';

export type DashboardParts = {
  view: DashboardView;
  query: DashboardQuery;
  day: DayView;
  waiting: number | null;
  occupancy: DayFigures[];
  /** What only a coordinator sees: institutions by kind, users and the worker's last sign of life. */
  office: { schools: number; kindergartens: number; baseToday: number; users: number; workerSeen: Date | null } | null;
  institution: { code: string; name: string; type: string } | null;
};

function tile(lang: Lang, label: string, value: number, href: string, warn?: string): Html {
  const flagged = !!warn && value > 0;
  return html`<a class="tile${flagged ? ' warn' : ''}" href="${href}"><span class="value">${formatNumber(value, lang)}</span><span class="label">${label}</span>${flagged ? html`<span class="flag">${warn}</span>` : ''}</a>`;
}

function foodTiles(lang: Lang, t: TFunction, v: DashboardView): Html {
  const links = figureLinks(v.total, v.period?.id ?? null);
  const f = v.total.food;
  return html`<section aria-labelledby="food-h"><h2 id="food-h">${t('dashboard.food')}${v.period ? html` <small>${v.period.name}</small>` : ''}</h2>
${v.period
  ? html`<div class="tiles">
  ${tile(lang, t('dashboard.foodEntitled'), f.entitled, links.entitled)}
  ${tile(lang, t('dashboard.foodIssued'), f.issued, links.issued)}
  ${tile(lang, t('dashboard.foodCollected'), f.collected, links.collected)}
  ${tile(lang, t('dashboard.foodUncollected'), f.uncollected, links.uncollected)}
</div>`
  : html`<p>${t('dashboard.foodNoPeriod')}</p>`}</section>`;
}

function messageTiles(lang: Lang, t: TFunction, v: DashboardView, institution: string | null): Html {
  const links = figureLinks({ code: institution }, null);
  return html`<section aria-labelledby="messages-h"><h2 id="messages-h">${t('dashboard.messages')}</h2>
<div class="tiles">
  ${tile(lang, t('dashboard.messagesFailed'), v.total.messages.failed, institution ? links.tasks : links.failed, t('dashboard.messagesWarning'))}
  ${tile(lang, t('dashboard.messagesTasks'), v.total.messages.tasks, links.tasks, t('dashboard.messagesWarning'))}
</div></section>`;
}

function charts(ctx: PageContext, t: TFunction, p: DashboardParts): Html {
  const { view } = p;
  const { lang } = ctx;
  return html`<section aria-labelledby="charts-h"><h2 id="charts-h">${t('dashboard.chart.title')}</h2>
<div class="charts">
${weeklyChart(lang, t, 'weekly-handed', t('dashboard.chart.handedOver'), view.weeks, view.total.weekly.handedOver)}
${weeklyChart(lang, t, 'weekly-collected', t('dashboard.chart.collected'), view.weeks, view.total.weekly.collected)}
</div>
${p.day.kindergartens.length ? html`<h3>${t('dashboard.chart.occupancy')}</h3>${occupancyChart({ ctx, t }, p.occupancy, 'dashboard-occupancy')}` : ''}
</section>`;
}

/**
 * The morning dashboard. Everyone sees the figures of their scope as tiles and charts; the
 * coordinator also the table of every institution. The figures carry the time they were counted.
 */
export function dashboardView(ctx: PageContext, t: TFunction, p: DashboardParts): Html {
  const { lang } = ctx;
  const { view } = p;
  const stamp = html`<p class="stamp">${t('dashboard.countedAt', { time: formatDateTime(view.computedAt, lang) })}${p.office
    ? html` <form method="post" action="/dashboard/refresh" class="inline">${csrfField(ctx)}<button type="submit" class="secondary">${t('dashboard.countNow')}</button></form>`
    : ''}</p>`;
  const welcome = html`<p>${t('dashboard.welcome', { name: ctx.actor?.name || ctx.actor?.email || '' })}</p>`;
  const officeTiles = p.office
    ? html`<div class="tiles">
  ${tile(lang, t('dashboard.schools'), p.office.schools, '/institutions')}
  ${tile(lang, t('dashboard.kindergartens'), p.office.kindergartens, '/institutions')}
  ${tile(lang, t('dashboard.baseToday'), p.office.baseToday, '/kindergartens')}
  ${tile(lang, t('dashboard.users'), p.office.users, '/users')}
</div>`
    : '';
  const mine = p.institution
    ? html`<section class="card"><h2>${p.institution.name}</h2><p>${t(`types.${p.institution.type}`)} · ${p.institution.code}</p><a class="button" href="/institutions/${encodeURIComponent(p.institution.code)}">${t('dashboard.open')}</a></section>`
    : '';
  const worker = p.office
    ? html`<p class="worker ${p.office.workerSeen ? 'ok' : 'warn'}"><strong>${t('dashboard.worker')}:</strong> ${p.office.workerSeen ? t('dashboard.workerSeen', { time: formatDateTime(p.office.workerSeen, lang) }) : t('dashboard.workerMissing')}</p>`
    : '';
  return html`${welcome}${stamp}${officeTiles}${mine}
${deviceTiles(t, view.total.devices, view.staleDays)}
${kindergartenTiles(t, p.day, p.waiting)}
${foodTiles(lang, t, view)}
${messageTiles(lang, t, view, p.institution?.code ?? null)}
${charts(ctx, t, p)}
${p.office ? institutionTable(lang, t, view, p.query, p.day) : ''}
${worker}`;
}
