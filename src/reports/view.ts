import { html, type Html } from '../web/html.ts';
import { inputField, selectField, type View } from '../web/forms.ts';

export type BatchChoice = { id: string; period: string; seq: number; cards: number; topUps: number };

type ReportsData = { batches: BatchChoice[]; kindergartens: Array<{ code: string; name: string }>; attendance: { from: string; to: string } };

/** The three reports, each a card with what it holds and the form (or link) that downloads it. */
export function reportsView({ t }: View, d: ReportsData): Html {
  return html`<p>${t('reports.intro')}</p>
<div class="forms">
<section class="card" aria-labelledby="ministry-h">
  <h2 id="ministry-h">${t('reports.ministry.title')}</h2>
  <p class="hint muted">${t('reports.ministry.hint')}</p>
  <p><a class="button" id="report-ministry" href="/devices/report.xlsx" download>${t('reports.download')}</a></p>
</section>
<section class="card" aria-labelledby="supplier-h">
  <h2 id="supplier-h">${t('reports.supplier.title')}</h2>
  <p class="hint muted">${t('reports.supplier.hint')}</p>
  ${d.batches.length
    ? html`<form method="get" action="/reports/supplier-order.xlsx" id="report-supplier">
  ${selectField({ id: 'supplier-batch', name: 'batch', label: t('reports.supplier.batch'), required: true, value: d.batches[0]!.id, choices: d.batches.map((b) => ({ value: b.id, label: t('reports.supplier.batchOption', { period: b.period, seq: b.seq, cards: b.cards, topUps: b.topUps }) })) })}
  <button type="submit">${t('reports.download')}</button>
</form>`
    : html`<p>${t('reports.supplier.none')}</p>`}
</section>
<section class="card" aria-labelledby="attendance-h">
  <h2 id="attendance-h">${t('reports.attendance.title')}</h2>
  <p class="hint muted">${t('reports.attendance.hint')}</p>
  <form method="get" action="/api/kindergartens/attendance.xlsx" id="report-attendance">
  ${inputField({ id: 'attendance-from', name: 'from', type: 'date', label: t('reports.attendance.from'), value: d.attendance.from, required: true })}
  ${inputField({ id: 'attendance-to', name: 'to', type: 'date', label: t('reports.attendance.to'), value: d.attendance.to, required: true })}
  ${selectField({ id: 'attendance-institution', name: 'institution', label: t('reports.attendance.institution'), value: '', choices: d.kindergartens.map((k) => ({ value: k.code, label: `${k.name} (${k.code})` })), empty: t('reports.attendance.all') })}
  <button type="submit">${t('reports.download')}</button>
  </form>
</section>
</div>`;
}
