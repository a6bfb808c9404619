import { html, type Html } from '../../web/html.ts';
import { exportLink } from '../../web/listExport.ts';
import { formatDateTime } from '../../web/format.ts';
import { errorFor, errorNotice, inputField, selectField, type FormError } from '../../web/forms.ts';
import { channels, messageStatuses, type Message } from '../model.ts';
import { templateNames } from '../templates.ts';
import { channelLabel, failureText, languageLabel, statusLabel, subnav, templateLabel, type View } from './common.ts';
import { scrollable } from '../../web/scrollBox.ts';

export const filterFields = ['status', 'channel', 'template', 'institution', 'q', 'from', 'to'] as const;
export type LogFilters = Record<(typeof filterFields)[number], string>;

export type LogPage = {
  counts: Record<string, number>;
  filters: LogFilters;
  institutions: Array<{ code: string; name: string }>;
  items: Message[];
  total: number;
  page: number;
  pageSize: number;
  error?: FormError;
};

const k = 'notifications.page.log';

/** The log's address with these filters and page (blank filters left out). */
export function logHref(filters: Partial<LogFilters>, page = 1): string {
  const q = new URLSearchParams();
  for (const f of filterFields) if (filters[f]) q.set(f, filters[f]!);
  if (page > 1) q.set('page', String(page));
  const s = q.toString();
  return s ? `/notifications?${s}` : '/notifications';
}

function countsList(v: View, counts: Record<string, number>, filters: LogFilters): Html {
  const { t } = v;
  const present = messageStatuses.filter((s) => counts[s]);
  return html`<section aria-labelledby="counts-h" id="counts">
<h2 id="counts-h">${t(`${k}.countsTitle`)}</h2>
${present.length
  ? html`<ul class="tiles plain">${present.map(
      (s) => html`<li><a class="tile" href="${logHref({ ...filters, status: s })}" data-status="${s}"><span class="value">${counts[s]}</span> <span>${statusLabel(t, s)}</span></a></li>`,
    )}</ul>`
  : html`<p>${t(`${k}.countsNone`)}</p>`}
</section>`;
}

function filterForm(v: View, d: LogPage): Html {
  const { t } = v;
  const f = d.filters;
  const err = (field: string) => errorFor(d.error, field, 'filter-error');
  const labels = Object.fromEntries(filterFields.map((x) => [x, t(`${k}.${x}`)]));
  return html`${errorNotice(d.error, labels, 'filter-error')}
<form method="get" action="/notifications" class="filters" role="search" aria-label="${t(`${k}.filterTitle`)}">
  <div>${selectField({ id: 'status', name: 'status', label: labels.status!, value: f.status, errorId: err('status'), choices: messageStatuses.map((s) => ({ value: s, label: statusLabel(t, s) })), empty: t(`${k}.any`) })}</div>
  <div>${selectField({ id: 'channel', name: 'channel', label: labels.channel!, value: f.channel, errorId: err('channel'), choices: channels.map((c) => ({ value: c, label: channelLabel(t, c) })), empty: t(`${k}.any`) })}</div>
  <div>${selectField({ id: 'template', name: 'template', label: labels.template!, value: f.template, errorId: err('template'), choices: templateNames.map((n) => ({ value: n, label: templateLabel(t, n) })), empty: t(`${k}.any`) })}</div>
  <div>${selectField({ id: 'institution', name: 'institution', label: labels.institution!, value: f.institution, errorId: err('institution'), choices: d.institutions.map((i) => ({ value: i.code, label: `${i.name} (${i.code})` })), empty: t(`${k}.any`) })}</div>
  <div>${inputField({ id: 'q', name: 'q', type: 'search', label: labels.q!, value: f.q, errorId: err('q'), autocomplete: 'off' })}</div>
  <div>${inputField({ id: 'from', name: 'from', type: 'date', label: labels.from!, value: f.from, errorId: err('from') })}</div>
  <div>${inputField({ id: 'to', name: 'to', type: 'date', label: labels.to!, value: f.to, errorId: err('to') })}</div>
  <div><button type="submit">${t(`${k}.show`)}</button> <a href="/notifications">${t(`${k}.clear`)}</a></div>
</form>`;
}

function table(v: View, items: Message[]): Html {
  const { ctx, t } = v;
  const col = (key: string) => html`<th scope="col">${t(`${k}.${key}`)}</th>`;
  return html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table id="messages">
<thead><tr>${col('time')}${col('recipient')}${col('template')}${col('language')}${col('channel')}${col('status')}<th scope="col" class="num">${t(`${k}.attempts`)}</th>${col('failure')}</tr></thead>
<tbody>${items.map(
    (m) => html`<tr data-message="${m._id}" data-status="${m.status}"${m.status === 'failed' ? html` class="error"` : ''}>
  <td><a href="/notifications/messages/${encodeURIComponent(m._id)}">${formatDateTime(m.createdAt as Date, ctx.lang)}</a></td>
  <td>${m.recipient.address}${m.recipient.name ? html`<br><span class="muted">${m.recipient.name}</span>` : ''}</td>
  <td>${templateLabel(t, m.template)}</td>
  <td>${languageLabel(t, m.language)}</td>
  <td>${channelLabel(t, m.channel)}</td>
  <td>${statusLabel(t, m.status)}</td>
  <td class="num">${m.attempts ?? 0}</td>
  <td>${failureText(t, m.failure)}</td>
</tr>`,
  )}</tbody></table></div>`;
}

function pager(v: View, d: LogPage): Html | '' {
  const { t } = v;
  const pages = Math.max(1, Math.ceil(d.total / d.pageSize));
  if (pages <= 1) return '';
  return html`<nav class="daynav" aria-label="${t(`${k}.pages`)}">
  ${d.page > 1 ? html`<a href="${logHref(d.filters, d.page - 1)}" rel="prev">${t(`${k}.prev`)}</a>` : ''}
  <span>${t(`${k}.page`, { page: d.page, pages })}</span>
  ${d.page < pages ? html`<a href="${logHref(d.filters, d.page + 1)}" rel="next">${t(`${k}.next`)}</a>` : ''}
</nav>`;
}

/** The coordinator's message log: counts per status, the filters, one page of messages. */
export function logView(v: View, d: LogPage): Html {
  const { t } = v;
  const first = (d.page - 1) * d.pageSize + 1;
  const last = Math.min(d.total, first + d.items.length - 1);
  return html`${subnav(v)}
${countsList(v, d.counts, d.filters)}
${filterForm(v, d)}
${exportLink(t, '/notifications.xlsx', d.filters)}
${d.items.length
  ? html`<p id="shown">${t(`${k}.shown`, { total: d.total, first, last })}</p>${table(v, d.items)}${pager(v, d)}`
  : d.error ? '' : html`<p id="shown">${t(`${k}.none`)}</p>`}`;
}
