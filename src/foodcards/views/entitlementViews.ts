import { html, type Html } from '../../web/html.ts';
import { exportLink } from '../../web/listExport.ts';
import { formatDay } from '../../web/format.ts';
import type { explainPupilEntitlement, listEntitlements } from '../entitlementService.ts';
import { formatEuros, spanText, statusLabel, subnav, type View } from './common.ts';
import { scrollable } from '../../web/scrollBox.ts';

export type EntitlementList = Awaited<ReturnType<typeof listEntitlements>>;
export type Explained = Awaited<ReturnType<typeof explainPupilEntitlement>>;

/** A period's pupils and their amounts (an institution's, or every one the reader may see). */
export function entitlementListView(v: View, d: { list: EntitlementList; institution: { code: string; name: string } | null; limit: number }): Html {
  const { ctx, t } = v;
  const { list } = d;
  const showInstitution = !d.institution;
  return html`${subnav(v, list.period)}
<p>${spanText(v, list.period)}</p>
<p role="status" id="entitlement-totals">${t('foodcards.page.entitlements.summary', { pupils: list.totals.pupils, amount: formatEuros(list.totals.cents, ctx.lang) })}${list.items.length >= d.limit ? ` ${t('foodcards.page.entitlements.limited', { limit: d.limit })}` : ''}</p>
${exportLink(t, `/foodcards/periods/${encodeURIComponent(list.period.id)}/entitlements.xlsx`, { institution: d.institution?.code })}
${list.items.length
  ? html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table id="entitlements">
<caption class="sr-only">${t('foodcards.page.entitlements.caption')}</caption>
<thead><tr><th scope="col">${t('foodcards.page.entitlements.columns.pupil')}</th>${showInstitution ? html`<th scope="col">${t('foodcards.page.entitlements.columns.institution')}</th>` : ''}<th scope="col">${t('foodcards.page.entitlements.columns.class')}</th><th scope="col">${t('foodcards.page.entitlements.columns.personalCode')}</th><th scope="col">${t('foodcards.page.entitlements.columns.status')}</th><th scope="col">${t('foodcards.page.entitlements.columns.validity')}</th><th scope="col" class="num">${t('foodcards.page.entitlements.columns.days')}</th><th scope="col" class="num">${t('foodcards.page.entitlements.columns.amount')}</th></tr></thead>
<tbody>${list.items.map(
      (i) =>
        html`<tr data-entitlement="${i.id}"><td><a href="/foodcards/entitlements/${i.id}">${`${i.firstName} ${i.lastName}`.trim() || '—'}</a></td>${showInstitution ? html`<td class="code">${i.institution}</td>` : ''}<td>${i.class || '—'}</td><td class="code">${i.personalCode}</td><td>${statusLabel(t, i.status)}</td><td>${spanText(v, { from: i.validFrom, to: i.validTo })}</td><td class="num">${i.days}</td><td class="num">${formatEuros(i.cents, ctx.lang)}</td></tr>`,
    )}</tbody></table></div>`
  : html`<p>${t('foodcards.page.entitlements.none')}</p>`}`;
}

/** One amount explained day by day: which days counted and why the others did not. */
export function explanationView(v: View, e: Explained, d: { period: { id: string; name: string; from: string; to: string }; pupil: string }): Html {
  const { ctx, t } = v;
  const row = (key: string, value: Html | string) => html`<dt>${t(`foodcards.page.explain.${key}`)}</dt><dd>${value}</dd>`;
  const weekday = (day: string) => new Intl.DateTimeFormat(ctx.lang === 'lv' ? 'lv-LV' : ctx.lang === 'ru' ? 'ru-RU' : 'en-GB', { weekday: 'short', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
  const stale = e.stored.days !== e.counted || e.stored.cents !== e.cents;
  return html`${subnav(v, d.period)}
<dl class="facts">
  ${row('pupil', d.pupil || '—')}
  ${row('period', `${d.period.name} (${spanText(v, d.period)})`)}
  ${row('status', statusLabel(t, e.status))}
  ${row('validity', spanText(v, { from: e.validFrom, to: e.validTo }))}
  ${row('rate', formatEuros(e.rateCents, ctx.lang))}
  ${row('amount', html`<strong>${t('foodcards.page.explain.sum', { days: e.counted, rate: formatEuros(e.rateCents, ctx.lang), amount: formatEuros(e.cents, ctx.lang) })}</strong>`)}
</dl>
${stale ? html`<p class="notice" role="status">${t('foodcards.page.explain.stale', { days: e.stored.days, amount: formatEuros(e.stored.cents, ctx.lang) })}</p>` : ''}
<p><a href="/foodcards/periods/${d.period.id}/entitlements${e.institution ? `?institution=${encodeURIComponent(e.institution)}` : ''}">${t('foodcards.page.explain.back')}</a></p>
<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table id="days">
<caption>${t('foodcards.page.explain.caption')}</caption>
<thead><tr><th scope="col">${t('foodcards.page.explain.columns.day')}</th><th scope="col">${t('foodcards.page.explain.columns.counted')}</th><th scope="col">${t('foodcards.page.explain.columns.reason')}</th></tr></thead>
<tbody>${e.days.map(
    (x) =>
      html`<tr data-day="${x.day}" data-reason="${x.reason}"${x.counted ? '' : html` class="muted"`}><td><time datetime="${x.day}">${weekday(x.day)}, ${formatDay(x.day, ctx.lang)}</time></td><td>${x.counted ? t('foodcards.page.explain.yes') : t('foodcards.page.explain.no')}</td><td>${t(`foodcards.page.reason.${x.reason}`)}</td></tr>`,
  )}</tbody></table></div>`;
}
