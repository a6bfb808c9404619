import { html, type Html } from '../../web/html.ts';
import { exportLink } from '../../web/listExport.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDateTime, formatDay } from '../../web/format.ts';
import { errorFor, errorNotice, inputField, okNotice, options, selectField, textareaField, type FormError } from '../../web/forms.ts';
import { historyTable } from '../../devices/views/common.ts';
import { requestStatuses, sectors } from '../model.ts';
import type { placementOptions } from '../placementService.ts';
import type { presentRequest, presentRequestDetail } from '../presenters.ts';
import { requestStatusLabel, sectorLabel, subnav, type View } from './common.ts';
import { scrollable } from '../../web/scrollBox.ts';

export type RequestRow = ReturnType<typeof presentRequest>;
export type RequestDetail = ReturnType<typeof presentRequestDetail>;
export type PlacementOption = Awaited<ReturnType<typeof placementOptions>>[number];
export type RequestFilters = { status: string; q: string };
export type RequestAction = 'place' | 'wait' | 'withdraw' | 'end';
/** A refused action on the request page: which form, why, and what was typed. */
export type FailedAction = { form: RequestAction; error: FormError; values: Record<string, string> };

const childOf = (r: { firstName: string; lastName: string }) => `${r.firstName} ${r.lastName}`;

function filterForm({ t }: View, f: RequestFilters): Html {
  return html`<form method="get" action="/kindergartens/requests" class="filters" role="search" aria-label="${t('kindergartens.page.requests.filters')}">
  <div>${inputField({ id: 'q', name: 'q', type: 'search', label: t('kindergartens.page.requests.search'), value: f.q, hint: t('kindergartens.page.requests.searchHint') })}</div>
  <div><label for="status">${t('kindergartens.page.requests.status')}</label>
  <select id="status" name="status">${options(requestStatuses.map((s) => ({ value: s, label: requestStatusLabel(t, s) })), f.status, t('kindergartens.page.requests.all'))}</select></div>
  <div><button type="submit">${t('kindergartens.page.requests.filter')}</button> <a href="/kindergartens/requests">${t('kindergartens.page.requests.clear')}</a></div>
</form>`;
}

/** The place requests with search and a status filter; the waiting list shows each one's place in the queue. */
export function requestListView(v: View, d: { rows: RequestRow[]; filters: RequestFilters; limit: number; error?: FormError }): Html {
  const { ctx, t } = v;
  return html`${subnav(v)}
${errorNotice(d.error)}
<p><a class="button" href="/kindergartens/requests/new">${t('kindergartens.page.requests.new')}</a></p>
${filterForm(v, d.filters)}
<p class="muted" role="status">${t('kindergartens.page.requests.count', { count: d.rows.length })}${d.rows.length >= d.limit ? ` ${t('kindergartens.page.requests.limited', { limit: d.limit })}` : ''}</p>
${exportLink(t, '/kindergartens/requests.xlsx', d.filters)}
${d.rows.length
  ? html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table>
<caption class="sr-only">${t('kindergartens.page.requests.caption')}</caption>
<thead><tr><th scope="col">${t('kindergartens.page.requests.columns.child')}</th><th scope="col">${t('kindergartens.page.requests.columns.personalCode')}</th><th scope="col">${t('kindergartens.page.requests.columns.employer')}</th><th scope="col">${t('kindergartens.page.requests.columns.sector')}</th><th scope="col">${t('kindergartens.page.requests.columns.neededFrom')}</th><th scope="col">${t('kindergartens.page.requests.columns.status')}</th><th scope="col">${t('kindergartens.page.requests.columns.received')}</th><th scope="col">${t('kindergartens.page.requests.columns.reference')}</th></tr></thead>
<tbody>${d.rows.map(
      (r) =>
        html`<tr data-request="${r.id}"><td><a href="/kindergartens/requests/${r.id}">${childOf(r)}</a></td><td class="code">${r.personalCode}</td><td>${r.employer}</td><td>${sectorLabel(t, r.sector)}</td><td>${formatDay(r.neededFrom, ctx.lang)}</td><td>${requestStatusLabel(t, r.status)}${r.position !== null ? html`<br><span class="position">${t('kindergartens.page.requests.position', { position: r.position })}</span>` : ''}</td><td><time datetime="${r.receivedAt}">${formatDateTime(r.receivedAt, ctx.lang)}</time></td><td class="code">${r.referenceCode}</td></tr>`,
    )}</tbody></table></div>`
  : html`<p>${t('kindergartens.page.requests.none')}</p>`}`;
}

export const requestFields = ['firstName', 'lastName', 'personalCode', 'parentName', 'parentPhone', 'parentEmail', 'language', 'employer', 'sector', 'neededFrom', 'preferredArea', 'note'] as const;

// Service codes about one field of the request form, so that field can be marked.
const fieldOfCode: Record<string, string> = { invalid_personal_code: 'personalCode', personal_code_check_digit: 'personalCode', request_exists: 'personalCode', invalid_phone: 'parentPhone', invalid_email: 'parentEmail' };

/** The labels of the request form's fields, also naming the fields an error concerns. */
export function requestFormLabels({ t }: View): Record<string, string> {
  return Object.fromEntries(requestFields.map((f) => [f, t(`kindergartens.page.requestForm.${f}`)]));
}

/** The form for a new place request; a refused one comes back with the message and what was typed (never the personal code). */
export function requestFormView(v: View, d: { values: Record<string, string>; today: string; error?: FormError }): Html {
  const { ctx, t } = v;
  const val = d.values;
  const label = requestFormLabels(v);
  const error = d.error && fieldOfCode[d.error.code] ? { ...d.error, fields: [...d.error.fields, fieldOfCode[d.error.code]!] } : d.error;
  const err = (f: string) => errorFor(error, f);
  return html`${subnav(v)}
${errorNotice(error, label)}
<form method="post" action="/kindergartens/requests/new" class="card wide">
  ${csrfField(ctx)}
  <fieldset><legend>${t('kindergartens.page.requestForm.child')}</legend>
    ${inputField({ id: 'firstName', name: 'firstName', label: label.firstName!, required: true, value: val.firstName, errorId: err('firstName'), autocomplete: 'off' })}
    ${inputField({ id: 'lastName', name: 'lastName', label: label.lastName!, required: true, value: val.lastName, errorId: err('lastName'), autocomplete: 'off' })}
    ${inputField({ id: 'personalCode', name: 'personalCode', label: label.personalCode!, required: true, value: '', errorId: err('personalCode'), autocomplete: 'off', hint: t('kindergartens.page.requestForm.personalCodeHint') })}
  </fieldset>
  <fieldset><legend>${t('kindergartens.page.requestForm.parent')}</legend>
    ${inputField({ id: 'parentName', name: 'parentName', label: label.parentName!, value: val.parentName, errorId: err('parentName'), autocomplete: 'off' })}
    ${inputField({ id: 'parentPhone', name: 'parentPhone', type: 'tel', label: label.parentPhone!, value: val.parentPhone, errorId: err('parentPhone'), autocomplete: 'off' })}
    ${inputField({ id: 'parentEmail', name: 'parentEmail', type: 'email', label: label.parentEmail!, value: val.parentEmail, errorId: err('parentEmail'), autocomplete: 'off' })}
    ${selectField({ id: 'language', name: 'language', label: label.language!, value: val.language || 'lv', choices: ['lv', 'ru', 'en'].map((l) => ({ value: l, label: t(`devices.page.languages.${l}`) })), hint: t('kindergartens.page.requestForm.languageHint') })}
    ${inputField({ id: 'employer', name: 'employer', label: label.employer!, required: true, value: val.employer, errorId: err('employer'), autocomplete: 'off' })}
    ${selectField({ id: 'sector', name: 'sector', label: label.sector!, required: true, value: val.sector, errorId: err('sector'), choices: sectors.map((s) => ({ value: s, label: sectorLabel(t, s) })), empty: t('kindergartens.page.requestForm.chooseSector') })}
  </fieldset>
  <fieldset><legend>${t('kindergartens.page.requestForm.care')}</legend>
    ${inputField({ id: 'neededFrom', name: 'neededFrom', type: 'date', label: label.neededFrom!, required: true, value: val.neededFrom || d.today, errorId: err('neededFrom') })}
    ${inputField({ id: 'preferredArea', name: 'preferredArea', label: label.preferredArea!, value: val.preferredArea, errorId: err('preferredArea'), hint: t('kindergartens.page.requestForm.preferredAreaHint') })}
    ${textareaField({ id: 'note', name: 'note', label: label.note!, value: val.note, errorId: err('note') })}
  </fieldset>
  <button type="submit">${t('kindergartens.page.requestForm.submit')}</button> <a href="/kindergartens/requests">${t('kindergartens.page.requestForm.cancel')}</a>
</form>`;
}

function facts({ ctx, t }: View, r: RequestDetail): Html {
  const row = (key: string, value: Html | string | null | undefined) => html`<dt>${t(`kindergartens.page.request.${key}`)}</dt><dd>${value || '—'}</dd>`;
  return html`<dl class="facts">
  ${row('child', childOf(r))}
  ${row('personalCode', html`<span class="code">${r.personalCode}</span>`)}
  ${row('birthDate', r.birthDate ? formatDay(r.birthDate, ctx.lang) : null)}
  ${row('status', html`<strong>${requestStatusLabel(t, r.status)}</strong>`)}
  ${r.position !== null ? row('position', String(r.position)) : ''}
  ${r.group ? row('placement', t('kindergartens.page.request.placementText', { group: r.group, institution: r.institutionName ?? r.institution ?? '', from: r.placedFrom ? formatDay(r.placedFrom, ctx.lang) : '—' })) : ''}
  ${row('employer', r.employer)}
  ${row('sector', sectorLabel(t, r.sector))}
  ${row('neededFrom', formatDay(r.neededFrom, ctx.lang))}
  ${row('preferredArea', r.preferredArea)}
  ${row('received', formatDateTime(r.receivedAt, ctx.lang))}
  ${row('note', r.note)}
  ${row('parentName', r.parent.name)}
  ${row('parentPhone', r.parent.phone ? html`<a href="tel:${r.parent.phone.replace(/[^+\d]/g, '')}">${r.parent.phone}</a>` : null)}
  ${row('parentEmail', r.parent.email ? html`<a href="mailto:${r.parent.email}">${r.parent.email}</a>` : null)}
  ${row('language', t(`devices.page.languages.${r.parent.language}`))}
</dl>`;
}

function actionForm({ ctx, t }: View, r: RequestDetail, action: RequestAction, failed: FailedAction | undefined, body: Html): Html {
  return html`<form method="post" action="/kindergartens/requests/${r.id}/${action}" class="card" aria-labelledby="${action}-h" id="${action}-form">
  <h3 id="${action}-h">${t(`kindergartens.page.request.${action}.title`)}</h3>
  ${csrfField(ctx)}
  ${failed?.form === action ? errorNotice(failed.error, {}, `${action}-error`) : ''}
  ${body}
  <button type="submit">${t(`kindergartens.page.request.${action}.submit`)}</button>
</form>`;
}

function actions(v: View, r: RequestDetail, opts: { options: PlacementOption[]; startDay: string; failed?: FailedAction }): Html {
  const { ctx, t } = v;
  const failed = opts.failed;
  const errId = (form: RequestAction) => (failed?.form === form ? `${form}-error` : null);
  const out: Html[] = [];
  const open = r.status === 'received' || r.status === 'waiting';
  if (open) {
    const chosen = failed?.form === 'place' ? (failed.values.group ?? '') : (opts.options[0]?.groupId ?? '');
    out.push(
      actionForm(
        v,
        r,
        'place',
        failed,
        opts.options.length
          ? html`<p class="hint muted">${t('kindergartens.page.request.place.startDay', { day: formatDay(opts.startDay, ctx.lang) })}</p>
  ${selectField({
    id: 'place-group',
    name: 'group',
    label: t('kindergartens.page.request.place.group'),
    required: true,
    value: chosen,
    errorId: errId('place'),
    choices: opts.options.map((o) => ({
      value: o.groupId,
      label: t(o.inArea ? 'kindergartens.page.request.place.optionInArea' : 'kindergartens.page.request.place.option', { institution: o.institutionName, group: o.group, free: o.free, capacity: o.capacity }),
    })),
  })}`
          : html`<p>${t('kindergartens.page.request.place.none', { day: formatDay(opts.startDay, ctx.lang) })}</p><input type="hidden" name="group" value="">`,
      ),
    );
  }
  if (r.status === 'received') out.push(actionForm(v, r, 'wait', failed, html`<p>${t('kindergartens.page.request.wait.text')}</p>`));
  const reason = (form: RequestAction) =>
    textareaField({ id: `${form}-reason`, name: 'reason', label: t(`kindergartens.page.request.${form}.reason`), required: true, value: failed?.form === form ? failed.values.reason : '', errorId: errId(form) });
  if (open) out.push(actionForm(v, r, 'withdraw', failed, reason('withdraw')));
  if (r.status === 'placed') out.push(actionForm(v, r, 'end', failed, html`<p>${t('kindergartens.page.request.end.text')}</p>${reason('end')}`));
  if (!out.length) return html``;
  return html`<section aria-labelledby="actions-h" class="no-print"><h2 id="actions-h">${t('kindergartens.page.request.actions')}</h2><div class="forms">${out}</div></section>`;
}

/** One request: the reference code for the parent, the facts, what can be done with it now, and its history. */
export function requestView(v: View, r: RequestDetail, opts: { options: PlacementOption[]; startDay: string; failed?: FailedAction; notice?: string | null }): Html {
  const { ctx, t } = v;
  return html`${subnav(v)}
${okNotice(opts.notice)}
<section class="card refbox" aria-labelledby="ref-h">
  <h2 id="ref-h">${t('kindergartens.page.request.referenceCode')}</h2>
  <p class="refcode" data-reference-code>${r.referenceCode}</p>
  <p class="muted">${t('kindergartens.page.request.referenceHint')}</p>
</section>
${facts(v, r)}
${actions(v, r, opts)}
<h2>${t('kindergartens.page.request.history')}</h2>
${historyTable(v, r.history, (s) => requestStatusLabel(t, s), (iso) => formatDateTime(iso, ctx.lang))}`;
}
