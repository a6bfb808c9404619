import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDateTime, formatDay } from '../../web/format.ts';
import { rigaToday } from '../../shared/dates.ts';
import { errorNotice, inputField, okNotice, selectField, type FormError, type View } from '../../web/forms.ts';
import { deviceStatusLabel, historyTable, subnav } from './common.ts';
import { holder, type DeviceRow } from './stockViews.ts';
import type { InstitutionChoice } from './needsViews.ts';

export type DeviceDetail = DeviceRow & { need: string | null; returnedAt: string | null; history: Array<{ status: string; at: string; by: string | null; note: string | null }> };
export type DeviceAction = 'move' | 'return' | 'restock';
export type DeviceFailure = { form: DeviceAction; error: FormError; values: Record<string, string> };

function facts(v: View, d: DeviceDetail): Html {
  const { ctx, t } = v;
  const row = (key: string, value: Html | string | null | undefined) => html`<dt>${t(key)}</dt><dd>${value || '—'}</dd>`;
  return html`<dl class="facts">
  ${row('devices.page.serial', html`<span class="code">${d.serial}</span>`)}
  ${row('devices.page.deviceType', t(`devices.types.${d.type}`))}
  ${row('devices.page.make', d.make)}
  ${row('devices.page.model', d.model)}
  ${row('devices.page.device.condition', d.condition ? t(`devices.page.conditions.${d.condition}`, { defaultValue: d.condition }) : null)}
  ${row('devices.page.status', html`<strong>${deviceStatusLabel(t, d.status)}</strong>`)}
  ${row('devices.page.stock.holder', holder(v, d))}
  ${row('devices.page.stock.since', d.stockedAt ? formatDay(rigaToday(new Date(d.stockedAt)), ctx.lang) : null)}
  ${d.handover
    ? row(
        'devices.page.need.handedOver',
        t('devices.page.need.handoverText', { name: d.handover.collectedBy, relation: t(`devices.page.relations.${d.handover.relation}`), date: formatDay(d.handover.date, ctx.lang) }) +
          (d.handover.returnBy ? ` · ${t('devices.page.need.returnByText', { date: formatDay(d.handover.returnBy, ctx.lang) })}` : ''),
      )
    : ''}
  ${d.returnedAt ? row('devices.page.device.returnedAt', formatDay(d.returnedAt, ctx.lang)) : ''}
  ${d.need ? row('devices.page.need.title', html`<a href="/devices/needs/${d.need}">${t('devices.page.openNeed')}</a>`) : ''}
</dl>`;
}

function actionForm(v: View, d: DeviceDetail, action: DeviceAction, title: string, body: Html, submit: string): Html {
  return html`<form method="post" action="/devices/stock/${encodeURIComponent(d.serial)}/${action}" class="card" aria-labelledby="${action}-h">
  <h3 id="${action}-h">${title}</h3>
  ${csrfField(v.ctx)}
  ${body}
  <button type="submit">${submit}</button>
</form>`;
}

/** One device: facts, the forms its status allows (move, record return, back in stock), history. */
export function deviceView(v: View, d: DeviceDetail, opts: { institutions: InstitutionChoice[]; today: string; failed?: DeviceFailure; notice?: string | null }): Html {
  const { ctx, t } = v;
  const coordinator = ctx.actor?.role === 'coordinator';
  const val = (form: DeviceAction, field: string, fallback = '') => (opts.failed?.form === form ? (opts.failed.values[field] ?? '') : fallback);
  const forms: Html[] = [];
  if (coordinator && d.status === 'in_stock') {
    forms.push(
      actionForm(
        v,
        d,
        'move',
        t('devices.page.device.moveTitle'),
        selectField({
          id: 'move-institution',
          name: 'institution',
          label: t('devices.page.device.moveTo'),
          value: val('move', 'institution', d.institution ?? ''),
          choices: [{ value: '', label: t('devices.page.stock.office') }, ...opts.institutions.map((i) => ({ value: i.code, label: `${i.name} (${i.code})` }))],
        }),
        t('devices.page.device.move'),
      ),
    );
  }
  if (d.status === 'handed_over') {
    forms.push(
      actionForm(
        v,
        d,
        'return',
        t('devices.page.device.returnTitle'),
        html`${selectField({ id: 'return-condition', name: 'condition', label: t('devices.page.device.condition'), required: true, value: val('return', 'condition', 'good'), choices: ['good', 'damaged', 'faulty'].map((c) => ({ value: c, label: t(`devices.page.conditions.${c}`) })), hint: t('devices.page.device.conditionHint') })}
  ${inputField({ id: 'return-date', name: 'date', type: 'date', label: t('devices.page.device.returnDate'), required: true, value: val('return', 'date', opts.today) })}
  ${inputField({ id: 'return-note', name: 'note', label: t('devices.page.note'), value: val('return', 'note') })}`,
        t('devices.page.device.recordReturn'),
      ),
    );
  }
  if (coordinator && d.status === 'returned') {
    forms.push(actionForm(v, d, 'restock', t('devices.page.device.restockTitle'), html`<p>${t('devices.page.device.restockText')}</p>`, t('devices.page.device.restock')));
  }
  return html`${subnav(v)}
${opts.failed ? errorNotice(opts.failed.error) : ''}${okNotice(opts.notice)}
${facts(v, d)}
${forms.length ? html`<section aria-labelledby="actions-h" class="no-print"><h2 id="actions-h">${t('devices.page.need.actions')}</h2><div class="forms">${forms}</div></section>` : ''}
<h2>${t('devices.page.history')}</h2>
${historyTable(v, d.history, (s) => deviceStatusLabel(t, s), (iso) => formatDateTime(iso, ctx.lang))}`;
}
