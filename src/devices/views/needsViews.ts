import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import { exportLink } from '../../web/listExport.ts';
import { needStatuses } from '../model.ts';
import type { presentNeed } from '../presenters.ts';
import { errorFor, errorNotice, inputField, okNotice, options, selectField, textareaField, type FormError, type View } from '../../web/forms.ts';
import { deliveryChoices, deviceTypeChoices, needStatusLabel, priorityChoices, subnav } from './common.ts';
import { scrollable } from '../../web/scrollBox.ts';

export type NeedFilters = { q?: string; status?: string; deviceType?: string; deliveryMethod?: string; institution?: string };
export type NeedRow = ReturnType<typeof presentNeed> & { institution: string | null };
export type InstitutionChoice = { code: string; name: string };

function filterForm({ t }: View, f: NeedFilters, institutions: InstitutionChoice[] | null): Html {
  return html`<form method="get" action="/devices" class="filters" role="search" aria-label="${t('devices.page.needs.filters')}">
  <div>${inputField({ id: 'q', name: 'q', type: 'search', label: t('devices.page.needs.search'), value: f.q, hint: t('devices.page.needs.searchHint') })}</div>
  <div><label for="status">${t('devices.page.status')}</label>
  <select id="status" name="status">${options(needStatuses.map((s) => ({ value: s, label: needStatusLabel(t, s) })), f.status, t('devices.page.all'))}</select></div>
  <div><label for="deviceType">${t('devices.page.deviceType')}</label>
  <select id="deviceType" name="deviceType">${options(deviceTypeChoices(t), f.deviceType, t('devices.page.all'))}</select></div>
  <div><label for="deliveryMethod">${t('devices.page.deliveryMethod')}</label>
  <select id="deliveryMethod" name="deliveryMethod">${options(deliveryChoices(t), f.deliveryMethod, t('devices.page.all'))}</select></div>
  ${institutions
    ? html`<div><label for="institution">${t('devices.page.institution')}</label>
  <select id="institution" name="institution">${options(institutions.map((i) => ({ value: i.code, label: `${i.name} (${i.code})` })), f.institution, t('devices.page.all'))}</select></div>`
    : ''}
  <div><button type="submit">${t('devices.page.filter')}</button> <a href="/devices">${t('devices.page.clearFilters')}</a></div>
</form>`;
}

function needTable({ t }: View, rows: NeedRow[], coordinator: boolean): Html {
  return html`<div class="table-wrap"${scrollable(t('app.scrollRegion'))}><table>
<caption class="sr-only">${t('devices.page.needs.caption')}</caption>
<thead><tr>${coordinator ? html`<th scope="col"><span class="sr-only">${t('devices.page.needs.select')}</span></th>` : ''}<th scope="col">${t('devices.page.pupil')}</th><th scope="col">${t('devices.page.class')}</th><th scope="col">${t('devices.page.personalCode')}</th>${coordinator ? html`<th scope="col">${t('devices.page.institution')}</th>` : ''}<th scope="col">${t('devices.page.deviceType')}</th><th scope="col" class="num">${t('devices.page.priority')}</th><th scope="col">${t('devices.page.deliveryMethod')}</th><th scope="col">${t('devices.page.status')}</th><th scope="col">${t('devices.page.referenceCode')}</th></tr></thead>
<tbody>${rows.map((n) => {
    const name = [n.firstName, n.lastName].filter(Boolean).join(' ') || t('devices.page.openNeed');
    return html`<tr>${coordinator
      ? html`<td>${n.status === 'registered' ? html`<input type="checkbox" name="ids" value="${n.id}" id="sel-${n.id}" form="approve-form"><label for="sel-${n.id}" class="sr-only">${t('devices.page.needs.selectOne', { name })}</label>` : ''}</td>`
      : ''}<td><a href="/devices/needs/${n.id}">${name}</a></td><td>${n.class ?? ''}</td><td class="code">${n.personalCode ?? ''}</td>${coordinator ? html`<td>${n.institution ?? ''}</td>` : ''}<td>${t(`devices.types.${n.deviceType}`)}</td><td class="num">${n.priority ?? ''}</td><td>${t(`devices.page.delivery.${n.deliveryMethod}`)}</td><td>${needStatusLabel(t, n.status)}</td><td class="code">${n.referenceCode}</td></tr>`;
  })}</tbody></table></div>`;
}

/** The needs in the reader's scope: search and filters, the table, and the coordinator's bulk approval. */
export function needListView(
  v: View,
  data: { rows: NeedRow[]; filters: NeedFilters; institutions: InstitutionChoice[] | null; limit: number; notice?: string | null; error?: FormError },
): Html {
  const { ctx, t } = v;
  const coordinator = ctx.actor?.role === 'coordinator';
  const registered = data.rows.filter((r) => r.status === 'registered').length;
  return html`${subnav(v)}
${okNotice(data.notice)}${errorNotice(data.error)}
<p><a class="button" href="/devices/new">${t('devices.page.needs.new')}</a></p>
${filterForm(v, data.filters, data.institutions)}
<p class="muted" role="status">${t('devices.page.needs.count', { count: data.rows.length })}${data.rows.length >= data.limit ? ` ${t('devices.page.needs.limited', { limit: data.limit })}` : ''}</p>
${exportLink(t, '/devices.xlsx', data.filters)}
${data.rows.length ? needTable(v, data.rows, coordinator) : html`<p>${t('devices.page.needs.none')}</p>`}
${coordinator && registered
  ? html`<form method="post" action="/devices/approve" id="approve-form" class="no-print">${csrfField(ctx)}
  <p class="muted">${t('devices.page.needs.approveHint')}</p>
  <button type="submit">${t('devices.page.needs.approveSelected')}</button>
</form>`
  : ''}`;
}

export type NeedFormValues = Partial<Record<'institution' | 'firstName' | 'lastName' | 'class' | 'guardianName' | 'guardianPhone' | 'guardianEmail' | 'language' | 'deviceType' | 'reason' | 'priority' | 'deliveryMethod' | 'address', string>>;

/** The field labels of the need form, also used to name the fields an error concerns. */
export function needFormLabels({ t }: View): Record<string, string> {
  return Object.fromEntries(
    ['institution', 'firstName', 'lastName', 'class', 'personalCode', 'guardianName', 'guardianPhone', 'guardianEmail', 'language', 'deviceType', 'reason', 'priority', 'deliveryMethod', 'address'].map((f) => [
      f,
      t(`devices.page.form.${f}`),
    ]),
  );
}

/** The form for one pupil's need; on a refusal it comes back with the message and the values (never the personal code). */
export function needFormView(v: View, data: { values: NeedFormValues; institutions: InstitutionChoice[] | null; error?: FormError }): Html {
  const { ctx, t } = v;
  const val = data.values;
  const err = (f: string) => errorFor(data.error, f);
  const label = needFormLabels(v);
  return html`${subnav(v)}
${errorNotice(data.error, label)}
<form method="post" action="/devices/new" class="card wide">
  ${csrfField(ctx)}
  ${data.institutions
    ? selectField({ id: 'institution', name: 'institution', label: label.institution!, required: true, value: val.institution, errorId: err('institution'), choices: data.institutions.map((i) => ({ value: i.code, label: `${i.name} (${i.code})` })), empty: t('devices.page.form.chooseInstitution') })
    : ''}
  <fieldset><legend>${t('devices.page.form.pupil')}</legend>
    ${inputField({ id: 'firstName', name: 'firstName', label: label.firstName!, required: true, value: val.firstName, errorId: err('firstName'), autocomplete: 'off' })}
    ${inputField({ id: 'lastName', name: 'lastName', label: label.lastName!, required: true, value: val.lastName, errorId: err('lastName'), autocomplete: 'off' })}
    ${inputField({ id: 'class', name: 'class', label: label.class!, required: true, value: val.class, errorId: err('class'), hint: t('devices.page.form.classHint') })}
    ${inputField({ id: 'personalCode', name: 'personalCode', label: label.personalCode!, required: true, value: '', errorId: err('personalCode'), autocomplete: 'off', hint: t('devices.page.form.personalCodeHint') })}
  </fieldset>
  <fieldset><legend>${t('devices.page.form.guardian')}</legend>
    ${inputField({ id: 'guardianName', name: 'guardianName', label: label.guardianName!, value: val.guardianName, errorId: err('guardianName'), autocomplete: 'off' })}
    ${inputField({ id: 'guardianPhone', name: 'guardianPhone', type: 'tel', label: label.guardianPhone!, value: val.guardianPhone, errorId: err('guardianPhone'), autocomplete: 'off' })}
    ${inputField({ id: 'guardianEmail', name: 'guardianEmail', type: 'email', label: label.guardianEmail!, value: val.guardianEmail, errorId: err('guardianEmail'), autocomplete: 'off' })}
    ${selectField({ id: 'language', name: 'language', label: label.language!, value: val.language ?? 'lv', choices: ['lv', 'ru', 'en'].map((l) => ({ value: l, label: t(`devices.page.languages.${l}`) })), hint: t('devices.page.form.languageHint') })}
  </fieldset>
  <fieldset><legend>${t('devices.page.form.device')}</legend>
    ${selectField({ id: 'deviceType', name: 'deviceType', label: label.deviceType!, required: true, value: val.deviceType ?? 'laptop', errorId: err('deviceType'), choices: deviceTypeChoices(t) })}
    ${textareaField({ id: 'reason', name: 'reason', label: label.reason!, value: val.reason, errorId: err('reason') })}
    ${selectField({ id: 'priority', name: 'priority', label: label.priority!, value: val.priority, errorId: err('priority'), choices: priorityChoices(), empty: t('devices.page.form.priorityFromClass'), hint: t('devices.page.form.priorityHint') })}
    ${selectField({ id: 'deliveryMethod', name: 'deliveryMethod', label: label.deliveryMethod!, value: val.deliveryMethod ?? 'pickup', errorId: err('deliveryMethod'), choices: deliveryChoices(t) })}
    ${inputField({ id: 'address', name: 'address', label: label.address!, value: val.address, errorId: err('address'), autocomplete: 'off', hint: t('devices.page.form.addressHint') })}
  </fieldset>
  <button type="submit">${t('devices.page.form.submit')}</button> <a href="/devices">${t('devices.page.cancelLink')}</a>
</form>`;
}
