import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import { exportLink } from '../../web/listExport.ts';
import { formatDay } from '../../web/format.ts';
import { rigaToday } from '../../shared/dates.ts';
import { deviceStatuses } from '../model.ts';
import type { presentDevice } from '../presenters.ts';
import { errorFor, errorNotice, inputField, okNotice, options, selectField, textareaField, type FormError, type View } from '../../web/forms.ts';
import { deviceStatusLabel, deviceTypeChoices, subnav } from './common.ts';
import type { InstitutionChoice } from './needsViews.ts';
import { scrollable } from '../../web/scrollBox.ts';

export type DeviceRow = ReturnType<typeof presentDevice>;
export type StockFilters = { status?: string; type?: string; institution?: string; q?: string };
/** A refused shipment or device form: the message, the lines that could not be read, what was typed. */
export type StockFailure = { form: 'shipment' | 'device'; error: FormError; badLines?: Array<{ line: number; text: string; problem: string }>; values: Record<string, string> };

const dayOf = (iso: string | null) => (iso ? rigaToday(new Date(iso)) : null);

/** Where a device is: an institution's name, or the education office's own stock. */
export function holder({ t }: View, d: { institution: string | null; institutionName: string | null }): string {
  return d.institution ? `${d.institutionName ?? d.institution} (${d.institution})` : t('devices.page.stock.office');
}

function filterForm({ t }: View, f: StockFilters, institutions: InstitutionChoice[] | null): Html {
  return html`<form method="get" action="/devices/stock" class="filters" role="search" aria-label="${t('devices.page.stock.filters')}">
  <div>${inputField({ id: 'q', name: 'q', type: 'search', label: t('devices.page.stock.search'), value: f.q })}</div>
  <div><label for="status">${t('devices.page.status')}</label>
  <select id="status" name="status">${options(deviceStatuses.map((s) => ({ value: s, label: t(`devices.page.deviceStatus.${s}`) })), f.status, t('devices.page.all'))}</select></div>
  <div><label for="type">${t('devices.page.deviceType')}</label>
  <select id="type" name="type">${options(deviceTypeChoices(t), f.type, t('devices.page.all'))}</select></div>
  ${institutions
    ? html`<div><label for="institution">${t('devices.page.institution')}</label>
  <select id="institution" name="institution">${options([{ value: '-', label: t('devices.page.stock.office') }, ...institutions.map((i) => ({ value: i.code, label: `${i.name} (${i.code})` }))], f.institution, t('devices.page.all'))}</select></div>`
    : ''}
  <div><button type="submit">${t('devices.page.filter')}</button> <a href="/devices/stock">${t('devices.page.clearFilters')}</a></div>
</form>`;
}

function deviceTable(v: View, rows: DeviceRow[], staleBefore: string): Html {
  const { ctx, t } = v;
  return html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table>
<caption class="sr-only">${t('devices.page.stock.caption')}</caption>
<thead><tr><th scope="col">${t('devices.page.serial')}</th><th scope="col">${t('devices.page.deviceType')}</th><th scope="col">${t('devices.page.makeModel')}</th><th scope="col">${t('devices.page.status')}</th><th scope="col">${t('devices.page.stock.holder')}</th><th scope="col">${t('devices.page.stock.since')}</th></tr></thead>
<tbody>${rows.map((d) => {
    const since = dayOf(d.stockedAt);
    const stale = d.status === 'in_stock' && !!since && since < staleBefore;
    return html`<tr${stale ? html` class="stale"` : ''}><td><a class="code" href="/devices/stock/${encodeURIComponent(d.serial)}">${d.serial}</a></td><td>${t(`devices.types.${d.type}`)}</td><td>${[d.make, d.model].filter(Boolean).join(' ')}</td><td>${deviceStatusLabel(t, d.status)}</td><td>${holder(v, d)}</td><td>${since ? formatDay(since, ctx.lang) : ''}${stale ? html` <strong class="flag">${t('devices.page.stock.stale')}</strong>` : ''}</td></tr>`;
  })}</tbody></table></div>`;
}

function addForms(v: View, today: string, failed: StockFailure | undefined): Html {
  const { ctx, t } = v;
  const val = (form: StockFailure['form'], field: string, fallback = '') => (failed?.form === form ? (failed.values[field] ?? '') : fallback);
  const err = (form: StockFailure['form'], field: string) => (failed?.form === form ? errorFor(failed.error, field, `${form}-error`) : null);
  const shipErr = failed?.form === 'shipment' ? failed : undefined;
  const devErr = failed?.form === 'device' ? failed : undefined;
  return html`<section aria-labelledby="add-h" class="no-print"><h2 id="add-h">${t('devices.page.stock.addTitle')}</h2>
<div class="forms">
<form method="post" action="/devices/shipments" class="card" aria-labelledby="ship-h">
  <h3 id="ship-h">${t('devices.page.stock.shipmentTitle')}</h3>
  ${shipErr ? errorNotice(shipErr.error, {}, 'shipment-error') : ''}
  ${shipErr?.badLines?.length
    ? html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table><caption>${t('devices.page.stock.badLines')}</caption><thead><tr><th scope="col" class="num">${t('devices.page.stock.line')}</th><th scope="col">${t('devices.page.stock.lineText')}</th><th scope="col">${t('devices.page.stock.problem')}</th></tr></thead>
<tbody>${shipErr.badLines.map((b) => html`<tr class="error"><td class="num">${b.line}</td><td class="code">${b.text}</td><td>${b.problem}</td></tr>`)}</tbody></table></div>`
    : ''}
  ${csrfField(ctx)}
  ${inputField({ id: 'ship-reference', name: 'reference', label: t('devices.page.stock.reference'), required: true, value: val('shipment', 'reference'), errorId: err('shipment', 'reference') })}
  ${inputField({ id: 'ship-receivedAt', name: 'receivedAt', type: 'date', label: t('devices.page.stock.receivedAt'), required: true, value: val('shipment', 'receivedAt', today), errorId: err('shipment', 'receivedAt') })}
  ${textareaField({ id: 'ship-devices', name: 'devices', label: t('devices.page.stock.lines'), required: true, rows: 8, value: val('shipment', 'devices'), errorId: shipErr?.badLines?.length || err('shipment', 'devices') ? 'shipment-error' : null, hint: t('devices.page.stock.linesHint') })}
  ${inputField({ id: 'ship-note', name: 'note', label: t('devices.page.note'), value: val('shipment', 'note') })}
  <button type="submit">${t('devices.page.stock.registerShipment')}</button>
</form>
<form method="post" action="/devices/stock" class="card" aria-labelledby="dev-h">
  <h3 id="dev-h">${t('devices.page.stock.deviceTitle')}</h3>
  ${devErr ? errorNotice(devErr.error, {}, 'device-error') : ''}
  ${csrfField(ctx)}
  ${inputField({ id: 'dev-serial', name: 'serial', label: t('devices.page.serial'), required: true, value: val('device', 'serial'), errorId: err('device', 'serial'), autocomplete: 'off' })}
  ${selectField({ id: 'dev-type', name: 'type', label: t('devices.page.deviceType'), required: true, value: val('device', 'type', 'laptop'), choices: deviceTypeChoices(t) })}
  ${inputField({ id: 'dev-make', name: 'make', label: t('devices.page.make'), value: val('device', 'make') })}
  ${inputField({ id: 'dev-model', name: 'model', label: t('devices.page.model'), value: val('device', 'model') })}
  <button type="submit">${t('devices.page.stock.addDevice')}</button>
</form>
</div></section>`;
}

/** Devices in the reader's scope with filters; the coordinator also registers shipments and devices, and downloads the ministry report. */
export function stockView(
  v: View,
  data: { rows: DeviceRow[]; filters: StockFilters; institutions: InstitutionChoice[] | null; limit: number; staleDays: number; today: string; notice?: string | null; error?: FormError; failed?: StockFailure },
): Html {
  const { ctx, t } = v;
  const coordinator = ctx.actor?.role === 'coordinator';
  const staleBefore = rigaToday(new Date(Date.now() - data.staleDays * 86_400_000));
  return html`${subnav(v)}
${okNotice(data.notice)}${errorNotice(data.error)}
${coordinator ? html`<p><a class="button secondary" href="/devices/report.xlsx" download>${t('devices.page.stock.report')}</a></p>` : ''}
${filterForm(v, data.filters, coordinator ? data.institutions : null)}
<p class="muted" role="status">${t('devices.page.stock.count', { count: data.rows.length })}${data.rows.length >= data.limit ? ` ${t('devices.page.needs.limited', { limit: data.limit })}` : ''}</p>
${exportLink(t, '/devices/stock.xlsx', data.filters)}
${data.rows.length ? deviceTable(v, data.rows, staleBefore) : html`<p>${t('devices.page.stock.none')}</p>`}
${coordinator ? addForms(v, data.today, data.failed) : ''}`;
}

export type DueBackRow = { device: DeviceRow; need: string | null; overdue: boolean };

/** Devices out with pupils, soonest due first, the overdue ones marked in words as well as colour. */
export function dueBackView(v: View, rows: DueBackRow[]): Html {
  const { ctx, t } = v;
  const overdue = rows.filter((r) => r.overdue).length;
  return html`${subnav(v)}
<p role="status">${t('devices.page.dueBack.count', { count: rows.length })}${overdue ? html` <strong class="flag">${t('devices.page.dueBack.overdueCount', { count: overdue })}</strong>` : ''}</p>
${exportLink(t, '/devices/due-back.xlsx')}
${rows.length
  ? html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table>
<caption class="sr-only">${t('devices.page.dueBack.caption')}</caption>
<thead><tr><th scope="col">${t('devices.page.serial')}</th><th scope="col">${t('devices.page.deviceType')}</th><th scope="col">${t('devices.page.institution')}</th><th scope="col">${t('devices.page.need.collectedBy')}</th><th scope="col">${t('devices.page.need.handoverDate')}</th><th scope="col">${t('devices.page.need.returnBy')}</th><th scope="col">${t('devices.page.need.title')}</th></tr></thead>
<tbody>${rows.map(({ device: d, need, overdue: late }) => {
      const h = d.handover;
      return html`<tr${late ? html` class="overdue"` : ''}><td><a class="code" href="/devices/stock/${encodeURIComponent(d.serial)}">${d.serial}</a></td><td>${t(`devices.types.${d.type}`)}</td><td>${d.institution ? holder(v, d) : ''}</td><td>${h ? `${h.collectedBy} (${t(`devices.page.relations.${h.relation}`)})` : ''}</td><td>${h ? formatDay(h.date, ctx.lang) : ''}</td><td>${h?.returnBy ? formatDay(h.returnBy, ctx.lang) : '—'}${late ? html` <strong class="flag">${t('devices.page.dueBack.overdue')}</strong>` : ''}</td><td>${need ? html`<a href="/devices/needs/${need}">${t('devices.page.openNeed')}</a>` : ''}</td></tr>`;
    })}</tbody></table></div>`
  : html`<p>${t('devices.page.dueBack.none')}</p>`}`;
}
