import { html, type Html } from '../../web/html.ts';
import { scrollable } from '../../web/scrollBox.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDay } from '../../web/format.ts';
import { errorFor, errorNotice, inputField, okNotice, textareaField, type FormError } from '../../web/forms.ts';
import type { ComputeSummary } from '../computeService.ts';
import type { periodTotals } from '../entitlementService.ts';
import type { presentPeriod } from '../periodService.ts';
import { formatEuros, spanText, subnav, type View } from './common.ts';

export type PeriodRow = ReturnType<typeof presentPeriod>;
export type Totals = Awaited<ReturnType<typeof periodTotals>>;
/** A form shown again: what was typed, and why it was refused. */
export type FormState = { values: Record<string, string>; error?: FormError };

/** Class-range rate lines on the period form. */
export const bandLines = 3;
export const bandField = (i: number) => ({ from: `bandFrom_${i}`, to: `bandTo_${i}`, rate: `bandRate_${i}` });
export const periodFields = ['name', 'from', 'to', 'rate', ...Array.from({ length: bandLines }, (_, i) => Object.values(bandField(i))).flat()];
export const calendarFields = ['holidays', 'daysOff', 'extraSchoolDays'] as const;

/** The default rate and each class-range rate, in the reader's locale. */
export function ratesText({ ctx, t }: View, p: Pick<PeriodRow, 'rateCents' | 'rates'>): Html {
  return html`${formatEuros(p.rateCents, ctx.lang)}${p.rates.map(
    (b) => html`<br><span class="muted">${t('foodcards.page.rateBand', { from: b.classFrom, to: b.classTo, rate: formatEuros(b.rateCents, ctx.lang) })}</span>`,
  )}`;
}

function calendarText({ t }: View, p: PeriodRow): string {
  return p.calendar.set ? t('foodcards.page.periods.calendarSet', { days: p.schoolDays ?? 0 }) : t('foodcards.page.periods.calendarNotSet');
}

function periodForm(v: View, state: FormState): Html {
  const { ctx, t } = v;
  const val = state.values;
  const err = (f: string) => errorFor(state.error, f, 'period-error');
  const labels: Record<string, string> = { name: t('foodcards.page.periodForm.name'), from: t('foodcards.page.periodForm.from'), to: t('foodcards.page.periodForm.to'), rate: t('foodcards.page.periodForm.rate') };
  for (let i = 0; i < bandLines; i++) {
    const f = bandField(i);
    labels[f.from] = t('foodcards.page.periodForm.bandFrom', { line: i + 1 });
    labels[f.to] = t('foodcards.page.periodForm.bandTo', { line: i + 1 });
    labels[f.rate] = t('foodcards.page.periodForm.bandRate', { line: i + 1 });
  }
  return html`<section aria-labelledby="new-period-h" class="no-print">
<h2 id="new-period-h">${t('foodcards.page.periodForm.title')}</h2>
<form method="post" action="/foodcards/periods" class="card wide" id="period-form">
  ${csrfField(ctx)}
  ${errorNotice(state.error, labels, 'period-error')}
  ${inputField({ id: 'name', name: 'name', label: labels.name!, required: true, value: val.name, errorId: err('name'), autocomplete: 'off' })}
  ${inputField({ id: 'from', name: 'from', type: 'date', label: labels.from!, required: true, value: val.from, errorId: err('from') })}
  ${inputField({ id: 'to', name: 'to', type: 'date', label: labels.to!, required: true, value: val.to, errorId: err('to') })}
  ${inputField({ id: 'rate', name: 'rate', label: labels.rate!, required: true, value: val.rate, errorId: err('rate'), hint: t('foodcards.page.periodForm.rateHint'), extra: html` inputmode="decimal"` })}
  <fieldset><legend>${t('foodcards.page.periodForm.bands')}</legend>
  <p class="hint muted">${t('foodcards.page.periodForm.bandsHint')}</p>
  <div class="table-wrap"${scrollable(t('foodcards.page.periodForm.bands'))}><table>
  <thead><tr><th scope="col">${t('foodcards.page.periodForm.classFrom')}</th><th scope="col">${t('foodcards.page.periodForm.classTo')}</th><th scope="col">${t('foodcards.page.periodForm.bandRateColumn')}</th></tr></thead>
  <tbody>${Array.from({ length: bandLines }, (_, i) => {
    const f = bandField(i);
    const cell = (name: string, mode: string) =>
      html`<td><input id="${name}" name="${name}" value="${val[name] ?? ''}" inputmode="${mode}" size="6" aria-label="${labels[name]!}"${err(name) || err('rates') ? html` aria-invalid="true" aria-describedby="period-error"` : ''}></td>`;
    return html`<tr>${cell(f.from, 'numeric')}${cell(f.to, 'numeric')}${cell(f.rate, 'decimal')}</tr>`;
  })}</tbody></table></div>
  </fieldset>
  <button type="submit">${t('foodcards.page.periodForm.submit')}</button>
</form></section>`;
}

/** The periods: the coordinator's with the form to set one up, a principal's linking to their own pupils' amounts. */
export function periodListView(v: View, d: { periods: PeriodRow[]; form: FormState | null; ownCode: string | null; notice?: string | null }): Html {
  const { ctx, t } = v;
  const coordinator = ctx.actor?.role === 'coordinator';
  const link = (p: PeriodRow) => (coordinator ? `/foodcards/periods/${p.id}` : `/foodcards/periods/${p.id}/entitlements?institution=${encodeURIComponent(d.ownCode ?? '')}`);
  return html`${subnav(v)}
${okNotice(d.notice)}
${d.periods.length
  ? html`<div class="table-wrap"${scrollable(t('foodcards.page.periods.caption'))}><table id="periods">
<caption class="sr-only">${t('foodcards.page.periods.caption')}</caption>
<thead><tr><th scope="col">${t('foodcards.page.periods.columns.name')}</th><th scope="col">${t('foodcards.page.periods.columns.days')}</th><th scope="col">${t('foodcards.page.periods.columns.rates')}</th><th scope="col">${t('foodcards.page.periods.columns.calendar')}</th></tr></thead>
<tbody>${d.periods.map(
      (p) =>
        html`<tr data-period="${p.id}"><td><a href="${link(p)}">${p.name}</a></td><td>${spanText(v, p)}</td><td class="num">${ratesText(v, p)}</td><td>${calendarText(v, p)}</td></tr>`,
    )}</tbody></table></div>`
  : html`<p>${t('foodcards.page.periods.none')}</p>`}
${!coordinator ? html`<p class="muted">${t('foodcards.page.periods.principalHint')}</p>` : ''}
${coordinator && d.form ? periodForm(v, d.form) : ''}`;
}

/** Days typed one per line (or separated by commas or spaces), as the form shows them again. */
export const daysTyped = (days: string[]) => days.join('\n');

function calendarForm(v: View, p: PeriodRow, state: FormState): Html {
  const { ctx, t } = v;
  const labels = Object.fromEntries(calendarFields.map((f) => [f, t(`foodcards.page.calendar.${f}`)]));
  const err = (f: string) => errorFor(state.error, f, 'calendar-error');
  return html`<form method="post" action="/foodcards/periods/${p.id}/calendar" class="card" id="calendar-form" aria-labelledby="calendar-h">
  <h2 id="calendar-h">${t('foodcards.page.calendar.title')}</h2>
  ${csrfField(ctx)}
  ${errorNotice(state.error, labels, 'calendar-error')}
  <p class="hint muted">${t('foodcards.page.calendar.hint', { from: p.from, to: p.to })}</p>
  ${calendarFields.map((f) => textareaField({ id: f, name: f, label: labels[f]!, value: state.values[f], rows: 4, errorId: err(f) }))}
  <button type="submit">${t('foodcards.page.calendar.submit')}</button>
</form>`;
}

function computeForm(v: View, p: PeriodRow, state: { error?: FormError; summary?: ComputeSummary | null }): Html {
  const { ctx, t } = v;
  const s = state.summary;
  return html`<form method="post" action="/foodcards/periods/${p.id}/compute" class="card" id="compute-form" aria-labelledby="compute-h">
  <h2 id="compute-h">${t('foodcards.page.compute.title')}</h2>
  ${csrfField(ctx)}
  ${errorNotice(state.error, {}, 'compute-error')}
  ${s
    ? html`<div class="notice" role="status" id="compute-summary"><p>${t('foodcards.page.compute.done', { pupils: s.pupils, institutions: s.institutions, amount: formatEuros(s.cents, ctx.lang) })}</p>
  <p>${t('foodcards.page.compute.changes', { created: s.created, updated: s.updated, unchanged: s.unchanged })}</p></div>`
    : ''}
  <p class="hint muted">${t(p.calendar.set ? 'foodcards.page.compute.hint' : 'foodcards.page.compute.needsCalendar')}</p>
  <button type="submit">${t('foodcards.page.compute.submit')}</button>
</form>`;
}

function totalsTable(v: View, p: PeriodRow, totals: Totals): Html {
  const { ctx, t } = v;
  if (!totals.items.length) return html`<p>${t('foodcards.page.totals.none')}</p>`;
  return html`<div class="table-wrap"${scrollable(t('foodcards.page.totals.caption'))}><table id="totals">
<caption class="sr-only">${t('foodcards.page.totals.caption')}</caption>
<thead><tr><th scope="col">${t('foodcards.page.totals.columns.institution')}</th><th scope="col" class="num">${t('foodcards.page.totals.columns.pupils')}</th><th scope="col" class="num">${t('foodcards.page.totals.columns.days')}</th><th scope="col" class="num">${t('foodcards.page.totals.columns.amount')}</th></tr></thead>
<tbody>${totals.items.map(
    (i) =>
      html`<tr data-institution="${i.institution ?? ''}"><td><a href="/foodcards/periods/${p.id}/entitlements?institution=${encodeURIComponent(i.institution ?? '')}">${i.name || i.institution}</a> <span class="code muted">${i.institution}</span></td><td class="num">${i.pupils}</td><td class="num">${i.days}</td><td class="num">${formatEuros(i.cents, ctx.lang)}</td></tr>`,
  )}</tbody>
<tfoot><tr><th scope="row" colspan="3">${t('foodcards.page.totals.total')}</th><td class="num"><strong>${formatEuros(totals.total, ctx.lang)}</strong></td></tr></tfoot></table></div>`;
}

/** One period for the coordinator: its facts, the calendar form, computing the amounts, and the totals per institution. */
export function periodView(v: View, p: PeriodRow, d: { totals: Totals; calendar: FormState; compute: { error?: FormError; summary?: ComputeSummary | null }; notice?: string | null }): Html {
  const { ctx, t } = v;
  const row = (key: string, value: Html | string) => html`<dt>${t(`foodcards.page.period.${key}`)}</dt><dd>${value}</dd>`;
  const days = (list: string[]) => (list.length ? list.map((x) => formatDay(x, ctx.lang)).join(', ') : '—');
  return html`${subnav(v, p)}
${okNotice(d.notice)}
<dl class="facts">
  ${row('days', spanText(v, p))}
  ${row('rates', ratesText(v, p))}
  ${row('calendar', calendarText(v, p))}
  ${p.calendar.set ? html`${row('holidays', days(p.calendar.holidays))}${row('daysOff', days(p.calendar.daysOff))}${row('extraSchoolDays', days(p.calendar.extraSchoolDays))}` : ''}
</dl>
<p><a href="/foodcards/periods/${p.id}/entitlements">${t('foodcards.page.period.allPupils')}</a></p>
<div class="forms no-print">
${calendarForm(v, p, d.calendar)}
${computeForm(v, p, d.compute)}
</div>
<h2>${t('foodcards.page.totals.title')}</h2>
${totalsTable(v, p, d.totals)}`;
}
