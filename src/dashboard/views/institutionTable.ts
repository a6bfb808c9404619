import { html, type Html } from '../../web/html.ts';
import { formatNumber } from '../../web/format.ts';
import type { Lang, TFunction } from '../../i18n/index.ts';
import type { DayView } from '../../kindergartens/views/dashboardTiles.ts';
import type { InstitutionFigures } from '../figures.ts';
import { sortKeys, type DashboardQuery, type DashboardView } from '../service.ts';
import { figureLinks, withQuery } from './links.ts';
import { scrollable } from '../../web/scrollBox.ts';

type Today = DayView['kindergartens'][number];

/** A figure as a link to the list behind it; a warning look when `warn` and above zero. */
function cell(lang: Lang, n: number, href: string, warn = false): Html {
  return html`<td class="num${warn && n > 0 ? ' warn' : ''}"><a href="${href}">${formatNumber(n, lang)}</a></td>`;
}

function todayCell(t: TFunction, today: Today | undefined, href: string, overdue: boolean): Html {
  if (!today) return html`<td class="num"></td>`;
  const missing = today.missing.length;
  return html`<td class="num${overdue && missing ? ' warn' : ''}"><a href="${href}">${today.present} / ${today.capacity}</a>${missing ? html`<br><small>${t('dashboard.table.missingReturns', { count: missing })}</small>` : ''}</td>`;
}

/** One line: the institution (or the office's stock, or the totals) and each figure linked to its list. */
function line(lang: Lang, t: TFunction, row: InstitutionFigures, periodId: string | null, today: Today | undefined, overdue: boolean, label?: string): Html {
  const links = figureLinks(row, periodId);
  const name = label ?? (row.code ? html`<a href="/institutions/${encodeURIComponent(row.code)}">${row.name}</a> <small>${row.code}</small>` : t('dashboard.officeStock'));
  const d = row.devices;
  const f = row.food;
  return html`<tr><th scope="row">${name}</th>
${cell(lang, d.needed, links.needed)}${cell(lang, d.handedOver, links.handedOver)}${cell(lang, d.outstanding, links.outstanding)}${cell(lang, d.inStock, links.inStock)}${cell(lang, d.staleStock, links.staleStock, true)}
${todayCell(t, today, links.kindergarten, overdue)}
${cell(lang, f.entitled, links.entitled)}${cell(lang, f.issued, links.issued)}${cell(lang, f.collected, links.collected)}${cell(lang, f.uncollected, links.uncollected)}
${cell(lang, row.messages.failed, links.failed, true)}${cell(lang, row.messages.tasks, links.tasks, true)}</tr>`;
}

/** The filter, sort and search above the table; a plain GET form, so the address can be kept. */
function filters(t: TFunction, q: DashboardQuery): Html {
  const option = (value: string, label: string, current: string | undefined) => html`<option value="${value}"${value === (current ?? '') ? html` selected` : ''}>${label}</option>`;
  return html`<form method="get" action="/dashboard" class="filters" role="search" aria-label="${t('dashboard.table.filter')}">
  <div><label for="d-q">${t('dashboard.table.search')}</label><input id="d-q" name="q" type="search" value="${q.q ?? ''}"></div>
  <div><label for="d-type">${t('dashboard.table.type')}</label><select id="d-type" name="type">${option('', t('dashboard.table.allTypes'), q.type)}${option('school', t('types.school'), q.type)}${option('kindergarten', t('types.kindergarten'), q.type)}</select></div>
  <div><label for="d-sort">${t('dashboard.table.sort')}</label><select id="d-sort" name="sort">${sortKeys.map((k) => option(k, t(`dashboard.table.sortBy.${k}`), q.sort))}</select></div>
  <div><button type="submit">${t('dashboard.table.show')}</button></div>
</form>`;
}

/** Pages of the table, each a link keeping the filters. */
function pager(t: TFunction, view: DashboardView, q: DashboardQuery): Html | '' {
  if (view.pages <= 1) return '';
  const at = (page: number) => withQuery('/dashboard', { q: q.q, type: q.type, sort: q.sort === 'name' ? undefined : q.sort, page }) + '#institutions-h';
  return html`<nav class="pager" aria-label="${t('dashboard.table.pages')}">
${view.page > 1 ? html`<a href="${at(view.page - 1)}" rel="prev">${t('dashboard.table.previous')}</a>` : ''}
<span>${t('dashboard.table.pageOf', { page: view.page, pages: view.pages })}</span>
${view.page < view.pages ? html`<a href="${at(view.page + 1)}" rel="next">${t('dashboard.table.next')}</a>` : ''}
</nav>`;
}

/**
 * The coordinator's table: every institution's figures on one line, fifty lines a page, with the
 * totals of the whole city first. A figure to act on (stock held too long, failed messages, open
 * contact tasks, missing returns after the deadline) is marked, in words as well as colour.
 */
export function institutionTable(lang: Lang, t: TFunction, view: DashboardView, q: DashboardQuery, day: DayView): Html {
  const todayOf = new Map(day.kindergartens.map((k) => [k.code, k]));
  const periodId = view.period?.id ?? null;
  const head = (key: string) => html`<th scope="col" class="num">${t(`dashboard.table.${key}`)}</th>`;
  return html`<section aria-labelledby="institutions-h"><h2 id="institutions-h">${t('dashboard.table.title')}</h2>
${filters(t, q)}
<p>${t('dashboard.table.matching', { count: view.matching })}</p>
<div class="table-wrap"${scrollable(t('dashboard.table.title'))}><table class="figures">
<caption class="sr-only">${t('dashboard.table.caption')}</caption>
<thead>
<tr><td></td><th scope="colgroup" colspan="5">${t('dashboard.devices')}</th><th scope="col">${t('dashboard.table.today')}</th><th scope="colgroup" colspan="4">${t('dashboard.food')}</th><th scope="colgroup" colspan="2">${t('dashboard.messages')}</th></tr>
<tr><th scope="col">${t('dashboard.table.institution')}</th>${head('needed')}${head('handedOver')}${head('outstanding')}${head('inStock')}<th scope="col" class="num">${t('dashboard.table.stale', { days: view.staleDays })}</th>${head('presentOfPlaces')}${head('entitled')}${head('issued')}${head('collected')}${head('uncollected')}${head('failed')}${head('tasks')}</tr>
</thead>
<tbody>
${view.page === 1 ? line(lang, t, view.total, periodId, undefined, false, t('dashboard.table.total')) : ''}
${view.rows.map((r) => line(lang, t, r, periodId, r.code ? todayOf.get(r.code) : undefined, day.overdue))}
</tbody></table></div>
${pager(t, view, q)}
</section>`;
}
