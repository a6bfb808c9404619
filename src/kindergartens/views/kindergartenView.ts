import { html, type Html } from '../../web/html.ts';
import { scrollable } from '../../web/scrollBox.ts';
import { csrfField } from '../../web/layout.ts';
import { errorFor, errorNotice, inputField, okNotice, type FormError } from '../../web/forms.ts';
import type { DayFigures } from '../daySummaries.ts';
import { childName, periodText, subnav, type View } from './common.ts';
import { occupancyChart } from './occupancyChart.ts';

export type KindergartenPage = {
  code: string;
  name: string;
  address: string;
  basePeriods: Array<{ from: string | null; to: string | null }>;
  baseToday: boolean;
  today: string;
  groups: Array<{ id: string; name: string; capacity: number; placed: number; children: Array<{ id: string; firstName: string; lastName: string }> }>;
  chart: DayFigures[];
};

/** The designation form as shown: its values (typed, or the current groups) and a refusal. */
export type DesignationForm = { values: Record<string, string>; lines: number; error?: FormError };

/** How many empty group lines the designation form offers beyond the existing groups. */
export const spareGroupLines = 3;

function groupsTable({ t }: View, k: KindergartenPage): Html {
  if (!k.groups.length) return html`<p>${t('kindergartens.page.kindergarten.noGroups')}</p>`;
  return html`<div class="table-wrap"${scrollable(t('kindergartens.page.kindergarten.groupsCaption', { name: k.name }))}><table>
<caption class="sr-only">${t('kindergartens.page.kindergarten.groupsCaption', { name: k.name })}</caption>
<thead><tr><th scope="col">${t('kindergartens.page.columns.group')}</th><th scope="col" class="num">${t('kindergartens.page.columns.capacity')}</th><th scope="col" class="num">${t('kindergartens.page.columns.placed')}</th><th scope="col" class="num">${t('kindergartens.page.columns.free')}</th></tr></thead>
<tbody>${k.groups.map((g) => html`<tr><th scope="row">${g.name}</th><td class="num">${g.capacity}</td><td class="num">${g.placed}</td><td class="num">${Math.max(0, g.capacity - g.placed)}</td></tr>`)}</tbody>
</table></div>`;
}

function childrenLists({ t }: View, k: KindergartenPage): Html {
  if (!k.groups.length) return html``;
  return html`<section aria-labelledby="children-h"><h2 id="children-h">${t('kindergartens.page.kindergarten.childrenTitle')}</h2>
${k.groups.map(
  (g) => html`<h3>${t('kindergartens.page.kindergarten.childrenOf', { group: g.name, count: g.children.length })}</h3>
${g.children.length ? html`<ul class="children">${g.children.map((c) => html`<li>${childName(c)}</li>`)}</ul>` : html`<p class="muted">${t('kindergartens.page.kindergarten.noChildren')}</p>`}`,
)}
</section>`;
}

function designationForm(v: View, k: KindergartenPage, form: DesignationForm): Html {
  const { ctx, t } = v;
  const val = (name: string) => form.values[name] ?? '';
  const err = (name: string) => errorFor(form.error, name, 'designate-error');
  const labels: Record<string, string> = { from: t('kindergartens.page.designate.from'), to: t('kindergartens.page.designate.to') };
  for (let i = 0; i < form.lines; i++) {
    labels[`groupName_${i}`] = t('kindergartens.page.designate.groupName', { n: i + 1 });
    labels[`groupCapacity_${i}`] = t('kindergartens.page.designate.groupCapacity', { n: i + 1 });
  }
  const lines = Array.from({ length: form.lines }, (_, i) => i);
  return html`<form method="post" action="/kindergartens/${encodeURIComponent(k.code)}/designate" class="card wide no-print" id="designate" aria-labelledby="designate-h">
  <h2 id="designate-h">${t('kindergartens.page.designate.title')}</h2>
  ${csrfField(ctx)}
  ${errorNotice(form.error, labels, 'designate-error')}
  <p class="hint muted">${t('kindergartens.page.designate.hint')}</p>
  <div class="pair">
    <div>${inputField({ id: 'designate-from', name: 'from', type: 'date', label: labels.from!, value: val('from'), required: true, errorId: err('from') })}</div>
    <div>${inputField({ id: 'designate-to', name: 'to', type: 'date', label: labels.to!, value: val('to'), errorId: err('to'), hint: t('kindergartens.page.designate.toHint') })}</div>
  </div>
  <fieldset><legend>${t('kindergartens.page.designate.groups')}</legend>
  <p class="hint muted">${t('kindergartens.page.designate.groupsHint')}</p>
  ${lines.map(
    (i) => html`<div class="pair groupline">
    <div>${inputField({ id: `groupName_${i}`, name: `groupName_${i}`, label: labels[`groupName_${i}`]!, value: val(`groupName_${i}`), errorId: err(`groupName_${i}`), autocomplete: 'off' })}</div>
    <div>${inputField({ id: `groupCapacity_${i}`, name: `groupCapacity_${i}`, label: labels[`groupCapacity_${i}`]!, value: val(`groupCapacity_${i}`), errorId: err(`groupCapacity_${i}`), autocomplete: 'off', extra: html` inputmode="numeric"` })}</div>
  </div>`,
  )}
  </fieldset>
  <button type="submit">${t('kindergartens.page.designate.submit')}</button>
</form>`;
}

/**
 * One kindergarten: its base periods, groups with places and children placed (first and last
 * name only), its occupancy, and for the coordinator the form to designate it.
 */
export function kindergartenView(v: View, k: KindergartenPage, opts: { form: DesignationForm | null; notice?: string | null; ownCode: string | null }): Html {
  const { t } = v;
  return html`${subnav(v, opts.ownCode)}
${okNotice(opts.notice)}
<dl class="facts">
  <dt>${t('kindergartens.page.kindergarten.code')}</dt><dd>${k.code}</dd>
  <dt>${t('kindergartens.page.kindergarten.address')}</dt><dd>${k.address || '—'}</dd>
  <dt>${t('kindergartens.page.kindergarten.periods')}</dt><dd>${k.basePeriods.length
    ? html`<ul class="plain">${k.basePeriods.map((p) => html`<li>${periodText(v, p)}</li>`)}</ul>`
    : t('kindergartens.page.kindergarten.noPeriods')}</dd>
  <dt>${t('kindergartens.page.kindergarten.today')}</dt><dd>${t(k.baseToday ? 'kindergartens.page.kindergarten.baseToday' : 'kindergartens.page.kindergarten.notBaseToday')}</dd>
</dl>
${k.baseToday ? html`<p><a class="button" href="/kindergartens/${encodeURIComponent(k.code)}/attendance?day=${k.today}">${t('kindergartens.page.kindergarten.returnToday')}</a></p>` : ''}
<h2>${t('kindergartens.page.kindergarten.groups')}</h2>
${groupsTable(v, k)}
${childrenLists(v, k)}
<section aria-labelledby="chart-h"><h2 id="chart-h">${t('kindergartens.page.chart.heading')}</h2>${occupancyChart(v, k.chart)}</section>
${opts.form ? designationForm(v, k, opts.form) : ''}`;
}
