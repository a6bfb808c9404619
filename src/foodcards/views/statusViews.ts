import { html, type Html } from '../../web/html.ts';
import { exportLink } from '../../web/listExport.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDay } from '../../web/format.ts';
import { errorNotice, okNotice, type FormError } from '../../web/forms.ts';
import type { expiringStatuses } from '../familyStatusService.ts';
import { familyStatuses } from '../familyStatusService.ts';
import { statusLabel, subnav, type View } from './common.ts';
import { scrollable } from '../../web/scrollBox.ts';

export const statusFields = ['institution', 'personalCode', 'firstName', 'lastName', 'class', 'status', 'validFrom', 'validTo'] as const;
export type StatusForm = { values: Record<string, string>; error?: FormError };

/**
 * The family statuses page: those about to expire (so the school asks the family for a new
 * decision in time) and the form to record one by hand, as the `food-entitlements` list would.
 */
export function statusesView(
  v: View,
  d: { expiring: Awaited<ReturnType<typeof expiringStatuses>>; days: number; form: StatusForm; institutions: Array<{ code: string; name: string }> | null; notice: string | null },
): Html {
  const { ctx, t } = v;
  const val = (k: string) => d.form.values[k] ?? '';
  const labels = Object.fromEntries(statusFields.map((f) => [f, t(`foodcards.page.statuses.fields.${f}`)]));
  const invalid = (k: string) => (d.form.error?.fields.includes(k) ? html` aria-invalid="true" aria-describedby="form-error"` : '');
  const input = (k: string, type = 'text', extra: Html | string = '') =>
    html`<p><label for="st-${k}">${labels[k]}</label><input id="st-${k}" name="${k}" type="${type}" value="${val(k)}"${invalid(k)}${extra}></p>`;
  return html`${subnav(v)}
${okNotice(d.notice)}
<section aria-labelledby="expiring-h"><h2 id="expiring-h">${t('foodcards.page.statuses.expiringTitle', { days: d.days })}</h2>
<form method="get" action="/foodcards/statuses" class="inline"><label for="st-days">${t('foodcards.page.statuses.days')}</label> <input id="st-days" name="days" type="number" inputmode="numeric" min="0" max="366" value="${d.days}"> <button type="submit" class="secondary">${t('foodcards.page.statuses.show')}</button></form>
${exportLink(t, '/foodcards/statuses.xlsx', { days: String(d.days) })}
${d.expiring.length
  ? html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table id="expiring"><thead><tr><th scope="col">${t('foodcards.page.statuses.columns.pupil')}</th><th scope="col">${t('foodcards.page.statuses.columns.institution')}</th><th scope="col">${t('foodcards.page.statuses.columns.class')}</th><th scope="col">${t('foodcards.page.statuses.columns.personalCode')}</th><th scope="col">${t('foodcards.page.statuses.columns.status')}</th><th scope="col">${t('foodcards.page.statuses.columns.validTo')}</th></tr></thead>
<tbody>${d.expiring.map((r) => html`<tr><td>${`${r.firstName} ${r.lastName}`.trim()}</td><td class="code">${r.institution}</td><td>${r.class || '—'}</td><td class="code">${r.personalCode}</td><td>${statusLabel(t, r.status)}</td><td><time datetime="${r.validTo}">${formatDay(r.validTo, ctx.lang)}</time></td></tr>`)}</tbody></table></div>`
  : html`<p>${t('foodcards.page.statuses.noneExpiring')}</p>`}
</section>
<section aria-labelledby="record-h" class="card"><h2 id="record-h">${t('foodcards.page.statuses.recordTitle')}</h2>
<p class="hint">${t('foodcards.page.statuses.recordHint')}</p>
${errorNotice(d.form.error, labels)}
<form method="post" action="/foodcards/statuses" novalidate>${csrfField(ctx)}
${d.institutions
  ? html`<p><label for="st-institution">${labels.institution}</label><select id="st-institution" name="institution"${invalid('institution')}>${d.institutions.map((i) => html`<option value="${i.code}"${i.code === val('institution') ? ' selected' : ''}>${i.name} (${i.code})</option>`)}</select></p>`
  : ''}
${input('personalCode', 'text', html` autocomplete="off" inputmode="numeric"`)}
${input('firstName')}
${input('lastName')}
${input('class')}
<p><label for="st-status">${labels.status}</label><select id="st-status" name="status"${invalid('status')}>${familyStatuses.map((s) => html`<option value="${s}"${s === val('status') ? ' selected' : ''}>${statusLabel(t, s)}</option>`)}</select></p>
${input('validFrom', 'date')}
${input('validTo', 'date')}
<p><button type="submit">${t('foodcards.page.statuses.save')}</button></p>
</form></section>`;
}
