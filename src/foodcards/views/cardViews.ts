import { html, type Html } from '../../web/html.ts';
import { exportLink } from '../../web/listExport.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDay } from '../../web/format.ts';
import { errorFor, errorNotice, inputField, okNotice, options, selectField, type FormError, type Option } from '../../web/forms.ts';
import { relations } from '../../pupils/relations.ts';
import type { presentCards } from '../cardService.ts';
import { subnav, type View } from './common.ts';

export type CardRow = Awaited<ReturnType<typeof presentCards>>[number];
/** The hand-over form of one card shown again: what was typed, and why it was refused. */
export type HandoverState = { card: string; values: Record<string, string>; error: FormError };
export const handoverFields = ['collectedBy', 'relation', 'date'] as const;

const relationChoices = ({ t }: View): Option[] => relations.map((r) => ({ value: r, label: t(`foodcards.page.cards.relations.${r}`) }));
const nameOf = (c: CardRow) => `${c.firstName} ${c.lastName}`.trim() || '—';

function facts(v: View, c: CardRow, showInstitution: boolean): Html {
  const { ctx, t } = v;
  const row = (key: string, value: string) => html`<dt>${t(`foodcards.page.cards.${key}`)}</dt><dd>${value}</dd>`;
  return html`<dl class="facts">
  ${showInstitution ? row('institution', c.institution ?? '—') : ''}
  ${row('class', c.class || '—')}
  ${row('number', c.number ?? '—')}
  ${row('readyFrom', c.readyFrom ? formatDay(c.readyFrom, ctx.lang) : '—')}
</dl>`;
}

function handoverForm(v: View, c: CardRow, today: string, state: HandoverState | null): Html {
  const { ctx, t } = v;
  const errorId = `handover-error-${c.id}`;
  const val = state?.values ?? {};
  const err = (f: string) => errorFor(state?.error, f, errorId);
  const labels = { collectedBy: t('foodcards.page.cards.collectedBy'), relation: t('foodcards.page.cards.relation'), date: t('foodcards.page.cards.date') };
  return html`<form method="post" action="/foodcards/cards/${c.id}/handover" class="handover-form">
  ${csrfField(ctx)}
  ${errorNotice(state?.error, labels, errorId)}
  ${inputField({ id: `collectedBy-${c.id}`, name: 'collectedBy', label: labels.collectedBy, required: true, value: val.collectedBy, errorId: err('collectedBy'), autocomplete: 'off' })}
  ${selectField({ id: `relation-${c.id}`, name: 'relation', label: labels.relation, required: true, value: val.relation ?? '', errorId: err('relation'), choices: relationChoices(v), empty: t('foodcards.page.cards.chooseRelation') })}
  ${inputField({ id: `date-${c.id}`, name: 'date', type: 'date', label: labels.date, required: true, value: state ? val.date : today, errorId: err('date') })}
  <button type="submit">${t('foodcards.page.cards.submit')}</button>
</form>`;
}

function periodChooser(v: View, d: { periods: Array<{ id: string; name: string }>; period: string; institution: string | null }): Html {
  const { t } = v;
  return html`<form method="get" action="/foodcards/cards" class="card no-print" id="cards-period">
  <label for="period">${t('foodcards.page.cards.period')}</label>
  <select id="period" name="period">${options(d.periods.map((p) => ({ value: p.id, label: p.name })), d.period)}</select>
  ${d.institution !== null ? html`<input type="hidden" name="institution" value="${d.institution}">` : ''}
  <button type="submit">${t('foodcards.page.cards.show')}</button>
</form>`;
}

/**
 * The cards of a period at school: the loaded ones waiting to be collected, each with its
 * hand-over form, and the collected ones with who took them. Laid out as a list of small cards
 * rather than a table, so it reads on a phone.
 */
export function cardsView(
  v: View,
  d: {
    periods: Array<{ id: string; name: string }>;
    period: { id: string; name: string } | null;
    institution: string | null;
    showInstitution: boolean;
    loaded: CardRow[];
    notLoaded: number;
    collected: CardRow[];
    today: string;
    notice?: string | null;
    form?: HandoverState | null;
    pageError?: FormError | null;
  },
): Html {
  const { ctx, t } = v;
  if (!d.period) return html`${subnav(v)}<p>${t('foodcards.page.cards.noPeriods')}</p>`;
  const relation = (r: string | null) => (r ? t(`foodcards.page.cards.relations.${r}`, { defaultValue: r }) : '—');
  return html`${subnav(v)}
${okNotice(d.notice)}
${d.pageError ? errorNotice(d.pageError, {}, 'handover-error') : ''}
${periodChooser(v, { periods: d.periods, period: d.period.id, institution: d.institution })}
${exportLink(t, '/foodcards/cards.xlsx', { period: d.period.id, institution: d.institution })}
<section aria-labelledby="uncollected-h" id="uncollected">
<h2 id="uncollected-h">${t('foodcards.page.cards.uncollectedTitle', { n: d.loaded.length })}</h2>
${d.notLoaded ? html`<p class="muted" id="not-loaded">${t('foodcards.page.cards.notLoaded', { n: d.notLoaded })}</p>` : ''}
${d.loaded.length
  ? html`<ul class="cards-list">${d.loaded.map(
      (c) => html`<li class="card" data-card="${c.id}" aria-labelledby="card-h-${c.id}">
  <h3 id="card-h-${c.id}">${nameOf(c)}</h3>
  ${facts(v, c, d.showInstitution)}
  ${handoverForm(v, c, d.today, d.form?.card === c.id ? d.form : null)}
</li>`,
    )}</ul>`
  : html`<p>${t('foodcards.page.cards.noneUncollected')}</p>`}
</section>
<section aria-labelledby="collected-h" id="collected">
<h2 id="collected-h">${t('foodcards.page.cards.collectedTitle', { n: d.collected.length })}</h2>
${d.collected.length
  ? html`<ul class="cards-list">${d.collected.map(
      (c) => html`<li class="card" data-card="${c.id}" data-status="collected">
  <h3>${nameOf(c)}</h3>
  ${facts(v, c, d.showInstitution)}
  <p>${t('foodcards.page.cards.collectedOn', { date: c.handover?.date ? formatDay(c.handover.date, ctx.lang) : '—', name: c.handover?.collectedBy ?? '—', relation: relation(c.handover?.relation ?? null) })}</p>
</li>`,
    )}</ul>`
  : html`<p>${t('foodcards.page.cards.noneCollected')}</p>`}
</section>`;
}
