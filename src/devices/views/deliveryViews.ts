import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import { exportLink } from '../../web/listExport.ts';
import { formatDay } from '../../web/format.ts';
import type { getRun, listRuns } from '../deliveryService.ts';
import { errorFor, errorNotice, inputField, okNotice, selectField, type FormError, type View } from '../../web/forms.ts';
import { pupilName, relationChoices, subnav } from './common.ts';
import { scrollable } from '../../web/scrollBox.ts';

export type RunSummary = Awaited<ReturnType<typeof listRuns>>[number];
export type Candidate = { id: string; name: string; class: string | null; address: string | null; institution: string | null; referenceCode: string };
export type RunSheet = Awaited<ReturnType<typeof getRun>>;
export type StopFailure = { stopId: string; outcome: 'delivered' | 'failed'; error: FormError; values: Record<string, string> };

function runsTable({ ctx, t }: View, runs: RunSummary[]): Html {
  if (!runs.length) return html`<p>${t('devices.page.deliveries.noRuns')}</p>`;
  return html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table>
<caption class="sr-only">${t('devices.page.deliveries.runs')}</caption>
<thead><tr><th scope="col">${t('devices.page.deliveries.day')}</th><th scope="col">${t('devices.page.deliveries.courier')}</th><th scope="col" class="num">${t('devices.page.deliveries.stops')}</th><th scope="col" class="num">${t('devices.page.stopStatus.pending')}</th><th scope="col" class="num">${t('devices.page.stopStatus.delivered')}</th><th scope="col" class="num">${t('devices.page.stopStatus.failed')}</th></tr></thead>
<tbody>${runs.map(
    (r) => html`<tr><td><a href="/devices/deliveries/${String(r.run._id)}">${formatDay(r.run.day, ctx.lang)}</a></td><td>${r.run.courier ?? '—'}</td><td class="num">${r.total}</td><td class="num">${r.pending}</td><td class="num">${r.delivered}</td><td class="num">${r.failed}</td></tr>`,
  )}</tbody></table></div>`;
}

function newRunForm({ ctx, t }: View, candidates: Candidate[], today: string, values: Record<string, string>, error: FormError | undefined, chosen: Set<string> | null): Html {
  if (!candidates.length) return html`<p>${t('devices.page.deliveries.noCandidates')}</p>`;
  return html`<form method="post" action="/devices/deliveries" class="card wide no-print">
  ${csrfField(ctx)}
  ${inputField({ id: 'run-day', name: 'day', type: 'date', label: t('devices.page.deliveries.day'), required: true, value: values.day ?? today, errorId: errorFor(error, 'day') })}
  ${inputField({ id: 'run-courier', name: 'courier', label: t('devices.page.deliveries.courier'), value: values.courier })}
  <fieldset><legend>${t('devices.page.deliveries.candidates', { count: candidates.length })}</legend>
  <ul class="checks">${candidates.map(
    (c) => html`<li><input type="checkbox" name="needs" value="${c.id}" id="cand-${c.id}"${!chosen || chosen.has(c.id) ? html` checked` : ''}> <label for="cand-${c.id}">${c.name}${c.class ? `, ${c.class}` : ''} — ${c.address || '—'}${c.institution ? ` (${c.institution})` : ''}</label></li>`,
  )}</ul></fieldset>
  <button type="submit">${t('devices.page.deliveries.create')}</button>
</form>`;
}

/** Delivery runs (day, courier, counts) and the form for a new run from the home-delivery needs with a device. */
export function deliveriesView(v: View, data: { runs: RunSummary[]; candidates: Candidate[]; today: string; values?: Record<string, string>; chosen?: Set<string> | null; error?: FormError; notice?: string | null }): Html {
  const { t } = v;
  return html`${subnav(v)}
${okNotice(data.notice)}${errorNotice(data.error)}
<h2>${t('devices.page.deliveries.runs')}</h2>
${exportLink(t, '/devices/deliveries.xlsx')}
${runsTable(v, data.runs)}
<h2>${t('devices.page.deliveries.newRun')}</h2>
${newRunForm(v, data.candidates, data.today, data.values ?? {}, data.error, data.chosen ?? null)}`;
}

function stopForms(v: View, runId: string, stopId: string, failed: StopFailure | undefined): Html {
  const { ctx, t } = v;
  const mine = failed?.stopId === stopId ? failed : undefined;
  const val = (outcome: StopFailure['outcome'], field: string, fallback = '') => (mine?.outcome === outcome ? (mine.values[field] ?? '') : fallback);
  const errId = (outcome: StopFailure['outcome'], field: string) => (mine?.outcome === outcome && mine.error.fields.some((f) => f === field || (field === 'receivedBy' && f === 'collectedBy')) ? 'form-error' : null);
  const action = `/devices/deliveries/${runId}/stops/${stopId}`;
  return html`<div class="forms no-print">
  <form method="post" action="${action}" class="card" aria-label="${t('devices.page.deliveries.markDelivered')}">
    ${csrfField(ctx)}<input type="hidden" name="outcome" value="delivered">
    ${inputField({ id: `recv-${stopId}`, name: 'receivedBy', label: t('devices.page.deliveries.receivedBy'), required: true, value: val('delivered', 'receivedBy'), errorId: errId('delivered', 'receivedBy'), autocomplete: 'off' })}
    ${selectField({ id: `rel-${stopId}`, name: 'relation', label: t('devices.page.need.relation'), required: true, value: val('delivered', 'relation', 'mother'), choices: relationChoices(t) })}
    <button type="submit">${t('devices.page.deliveries.markDelivered')}</button>
  </form>
  <form method="post" action="${action}" class="card" aria-label="${t('devices.page.deliveries.markFailed')}">
    ${csrfField(ctx)}<input type="hidden" name="outcome" value="failed">
    ${inputField({ id: `fail-${stopId}`, name: 'reason', label: t('devices.page.deliveries.failReason'), required: true, value: val('failed', 'reason'), errorId: errId('failed', 'reason'), hint: t('devices.page.deliveries.failHint') })}
    <button type="submit" class="secondary">${t('devices.page.deliveries.markFailed')}</button>
  </form>
</div>`;
}

function stopOutcome({ t }: View, s: RunSheet['stops'][number]['stop']): Html {
  const label = html`<strong>${t(`devices.page.stopStatus.${s.status}`)}</strong>`;
  if (s.status === 'delivered') return html`${label}: ${s.receivedBy ?? ''}${s.relation ? ` (${t(`devices.page.relations.${s.relation}`)})` : ''}`;
  if (s.status === 'failed') return html`${label}: ${s.reason ?? ''}`;
  return label;
}

/** The printable route sheet: stops grouped by area in route order, each with whom to call and what to hand over, and the courier's answers. */
export function runSheetView(v: View, sheet: RunSheet, opts: { failed?: StopFailure; notice?: string | null }): Html {
  const { t } = v;
  const runId = String(sheet.run._id);
  const areas: Array<{ area: string; stops: RunSheet['stops'] }> = [];
  for (const s of sheet.stops) {
    const last = areas.at(-1);
    if (last && last.area === s.stop.area) last.stops.push(s);
    else areas.push({ area: s.stop.area, stops: [s] });
  }
  return html`${subnav(v)}
${opts.failed ? errorNotice(opts.failed.error) : ''}${okNotice(opts.notice)}
<dl class="facts">
  <dt>${t('devices.page.deliveries.courier')}</dt><dd>${sheet.run.courier ?? '—'}</dd>
  <dt>${t('devices.page.deliveries.stops')}</dt><dd>${sheet.stops.length}</dd>
</dl>
<p class="muted no-print">${t('devices.page.deliveries.printHint')}</p>
${areas.map(
  (a) => html`<section class="area" aria-labelledby="area-${a.stops[0]!.stop.order}"><h2 id="area-${a.stops[0]!.stop.order}">${a.area}</h2>
<ol class="stops">${a.stops.map(({ stop, pupil, device }) => {
    const g = pupil?.guardian;
    const id = String(stop._id);
    return html`<li class="card stop" id="stop-${id}" value="${stop.order}">
  <h3>${stop.order}. ${stop.address}</h3>
  <dl class="facts">
    <dt>${t('devices.page.pupil')}</dt><dd>${pupilName(pupil)}${pupil?.class ? `, ${pupil.class}` : ''}</dd>
    <dt>${t('devices.page.form.guardianName')}</dt><dd>${g?.name || '—'}</dd>
    <dt>${t('devices.page.form.guardianPhone')}</dt><dd>${g?.phone ? html`<a href="tel:${g.phone.replace(/[^+\d]/g, '')}">${g.phone}</a>` : '—'}</dd>
    <dt>${t('devices.page.serial')}</dt><dd class="code">${device ? `${device.serial}${device.make || device.model ? ` (${[device.make, device.model].filter(Boolean).join(' ')})` : ''}` : '—'}</dd>
    <dt>${t('devices.page.institution')}</dt><dd>${stop.institutionCode ?? ''}</dd>
    <dt>${t('devices.page.status')}</dt><dd>${stopOutcome(v, stop)}</dd>
  </dl>
  ${stop.status === 'pending' ? html`${stopForms(v, runId, id, opts.failed)}<p class="print-only">${t('devices.page.deliveries.paperLine')}</p>` : ''}
</li>`;
  })}</ol></section>`,
)}`;
}
