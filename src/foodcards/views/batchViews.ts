import { html, type Html } from '../../web/html.ts';
import { scrollable } from '../../web/scrollBox.ts';
import { csrfField } from '../../web/layout.ts';
import { errorNotice, okNotice, textareaField, type FormError } from '../../web/forms.ts';
import type { createBatch, listBatches } from '../batchService.ts';
import { formatEuros, type View } from './common.ts';

export type BatchRow = Awaited<ReturnType<typeof listBatches>>[number];
export type BatchResult = Awaited<ReturnType<typeof createBatch>>;
/** What the batch forms show after a POST: a result, a notice, or a refusal with what was typed. */
export type BatchState = { result?: BatchResult; notice?: string | null; error?: FormError; batch?: string; numbers?: string };

function changesTable(v: View, b: { id: string; changes: NonNullable<BatchResult['batch']>['changes'] }): Html {
  const { ctx, t } = v;
  return html`<div class="table-wrap"${scrollable(t('foodcards.page.batches.changesCaption'))}><table id="batch-changes">
<caption>${t('foodcards.page.batches.changesCaption')}</caption>
<thead><tr><th scope="col">${t('foodcards.page.batches.columns.pupil')}</th><th scope="col">${t('foodcards.page.batches.columns.institution')}</th><th scope="col">${t('foodcards.page.batches.columns.change')}</th><th scope="col" class="num">${t('foodcards.page.batches.columns.before')}</th><th scope="col" class="num">${t('foodcards.page.batches.columns.after')}</th></tr></thead>
<tbody>${b.changes.map(
    (c) => html`<tr><td>${`${c.firstName} ${c.lastName}`.trim() || '—'} <span class="muted">${c.class}</span></td><td class="code">${c.institution ?? '—'}</td><td>${t(`foodcards.page.batches.change.${c.kind}`)}</td><td class="num">${formatEuros(c.previousCents, ctx.lang)}</td><td class="num">${formatEuros(c.cents, ctx.lang)}</td></tr>`,
  )}</tbody></table></div>
<form method="post" action="/foodcards/batches/${b.id}/confirm" id="confirm-batch">${csrfField(ctx)}<button type="submit">${t('foodcards.page.batches.confirm')}</button></form>`;
}

function batchItem(v: View, b: BatchRow, state: BatchState): Html {
  const { ctx, t } = v;
  const err = state.batch === b.id ? state.error : undefined;
  const waiting = state.result?.batch?.id === b.id && b.status === 'awaiting_confirmation' ? state.result.batch : null;
  return html`<li class="card" data-batch="${b.id}" aria-labelledby="batch-h-${b.id}">
  <h3 id="batch-h-${b.id}">${t('foodcards.page.batches.batchTitle', { seq: b.seq })} — ${t(`foodcards.page.batches.status.${b.status}`)}</h3>
  <p>${t('foodcards.page.batches.summary', { cards: b.cards, topUps: b.topUps, amount: formatEuros(b.cents, ctx.lang) })}</p>
  ${errorNotice(err, {}, `batch-error-${b.id}`)}
  ${waiting ? changesTable(v, waiting) : b.status === 'awaiting_confirmation' ? html`<form method="post" action="/foodcards/batches/${b.id}/confirm">${csrfField(ctx)}<button type="submit">${t('foodcards.page.batches.confirm')}</button></form>` : ''}
  ${b.status === 'confirmed'
    ? html`<p><a href="/api/food-batches/${b.id}/order.xlsx" download>${t('foodcards.page.batches.order')}</a></p>
  <form method="post" action="/foodcards/batches/${b.id}/numbers">
    ${csrfField(ctx)}
    ${textareaField({ id: `numbers-${b.id}`, name: 'numbers', label: t('foodcards.page.batches.numbers'), value: state.batch === b.id ? state.numbers : '', rows: 4, hint: t('foodcards.page.batches.numbersHint'), errorId: err && state.numbers !== undefined ? `batch-error-${b.id}` : null })}
    <button type="submit">${t('foodcards.page.batches.saveNumbers')}</button>
  </form>
  <form method="post" action="/foodcards/batches/${b.id}/loaded">${csrfField(ctx)}<button type="submit">${t('foodcards.page.batches.markLoaded')}</button></form>`
    : ''}
</li>`;
}

/** The period's card batches for the coordinator: make one, confirm a waiting one, the supplier's order, card numbers and loading. */
export function batchesSection(v: View, periodId: string, batches: BatchRow[], state: BatchState): Html {
  const { ctx, t } = v;
  const r = state.result;
  const outcome = r ? (r.created ? (r.batch?.status === 'awaiting_confirmation' ? 'awaiting' : 'created') : r.reason === 'awaiting_confirmation' ? 'awaiting' : 'nothingChanged') : null;
  return html`<section aria-labelledby="batches-h" id="batches" class="no-print">
<h2 id="batches-h">${t('foodcards.page.batches.title')}</h2>
${okNotice(state.notice ?? (outcome ? t(`foodcards.page.batches.outcome.${outcome}`) : null))}
${!state.batch ? errorNotice(state.error, {}, 'batches-error') : ''}
<form method="post" action="/foodcards/periods/${periodId}/batches" id="make-batch">${csrfField(ctx)}<button type="submit">${t('foodcards.page.batches.make')}</button></form>
${batches.length ? html`<ul class="cards-list">${batches.map((b) => batchItem(v, b, state))}</ul>` : html`<p>${t('foodcards.page.batches.none')}</p>`}
</section>`;
}
