import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDateTime, formatDay } from '../../web/format.ts';
import type { presentNeedDetail } from '../presenters.ts';
import { errorNotice, inputField, okNotice, selectField, textareaField, type FormError, type View } from '../../web/forms.ts';
import { deliveryChoices, deviceTypeChoices, needStatusLabel, priorityChoices, relationChoices, subnav, historyTable } from './common.ts';

export type NeedDetail = ReturnType<typeof presentNeedDetail>;
export type NeedAction = 'edit' | 'approve' | 'cancel' | 'ready' | 'handover';
/** A form on the page that was refused: which one, why, and what was typed into it. */
export type FailedForm = { form: NeedAction; error: FormError; values: Record<string, string> };

const editable = ['registered', 'approved'];
const cancellable = ['registered', 'approved', 'allocated', 'ready_for_pickup'];
const handable = ['allocated', 'ready_for_pickup'];

function facts({ ctx, t }: View, n: NeedDetail): Html {
  const row = (key: string, value: Html | string | null | undefined) => html`<dt>${t(key)}</dt><dd>${value || '—'}</dd>`;
  return html`<dl class="facts">
  ${row('devices.page.pupil', [n.firstName, n.lastName].filter(Boolean).join(' '))}
  ${row('devices.page.class', n.class)}
  ${row('devices.page.personalCode', n.personalCode)}
  ${row('devices.page.institution', n.institution ? html`<a href="/institutions/${encodeURIComponent(n.institution)}">${n.institution}</a>` : null)}
  ${row('devices.page.status', html`<strong>${needStatusLabel(t, n.status)}</strong>`)}
  ${row('devices.page.deviceType', t(`devices.types.${n.deviceType}`))}
  ${row('devices.page.priority', n.priority === null ? null : String(n.priority))}
  ${row('devices.page.reason', n.reason)}
  ${row('devices.page.deliveryMethod', t(`devices.page.delivery.${n.deliveryMethod}`))}
  ${row('devices.page.address', n.address)}
  ${row('devices.page.serial', n.device ? html`<a href="/devices/stock/${encodeURIComponent(n.device)}" class="code">${n.device}</a>` : null)}
  ${n.pickup ? row('devices.page.need.pickup', t('devices.page.need.pickupText', { from: formatDay(n.pickup.from, ctx.lang), hours: n.pickup.hours ?? '' })) : ''}
  ${n.delivery ? row('devices.page.need.deliveryDay', formatDay(n.delivery.day, ctx.lang)) : ''}
  ${n.handover
    ? row(
        'devices.page.need.handedOver',
        t('devices.page.need.handoverText', { name: n.handover.collectedBy, relation: t(`devices.page.relations.${n.handover.relation}`), date: formatDay(n.handover.date, ctx.lang) }) +
          (n.handover.returnBy ? ` · ${t('devices.page.need.returnByText', { date: formatDay(n.handover.returnBy, ctx.lang) })}` : ''),
      )
    : ''}
</dl>`;
}

function guardian({ t }: View, n: NeedDetail): Html {
  const g = n.guardian;
  return html`<section aria-labelledby="guardian-h"><h2 id="guardian-h">${t('devices.page.form.guardian')}</h2>
<dl class="facts">
  <dt>${t('devices.page.form.guardianName')}</dt><dd>${g.name || '—'}</dd>
  <dt>${t('devices.page.form.guardianPhone')}</dt><dd>${g.phone ? html`<a href="tel:${g.phone.replace(/[^+\d]/g, '')}">${g.phone}</a>` : '—'}</dd>
  <dt>${t('devices.page.form.guardianEmail')}</dt><dd>${g.email ? html`<a href="mailto:${g.email}">${g.email}</a>` : '—'}</dd>
  <dt>${t('devices.page.form.language')}</dt><dd>${t(`devices.page.languages.${g.language}`)}</dd>
</dl></section>`;
}

function actionForm(v: View, n: NeedDetail, action: NeedAction, title: string, body: Html, submit: string): Html {
  return html`<form method="post" action="/devices/needs/${n.id}/${action}" class="card" aria-labelledby="${action}-h">
  <h3 id="${action}-h">${title}</h3>
  ${csrfField(v.ctx)}
  ${body}
  <button type="submit">${submit}</button>
</form>`;
}

function forms(v: View, n: NeedDetail, today: string, failed: FailedForm | undefined): Html {
  const { ctx, t } = v;
  const coordinator = ctx.actor?.role === 'coordinator';
  // The refused form keeps what was typed; the others show the record as it is.
  const val = (form: NeedAction, field: string, fallback: string | null | undefined) => (failed?.form === form ? (failed.values[field] ?? '') : (fallback ?? ''));
  const errId = (form: NeedAction, field: string) => (failed?.form === form && failed.error.fields.includes(field) ? 'form-error' : null);
  const out: Html[] = [];

  if (coordinator && n.status === 'registered') {
    out.push(actionForm(v, n, 'approve', t('devices.page.need.approveTitle'), html`<p>${t('devices.page.need.approveText')}</p>`, t('devices.page.need.approve')));
  }
  if (handable.includes(n.status)) {
    out.push(
      actionForm(
        v,
        n,
        'handover',
        t('devices.page.need.handoverTitle'),
        html`${inputField({ id: 'ho-serial', name: 'serial', label: t('devices.page.serial'), required: true, value: val('handover', 'serial', ''), errorId: errId('handover', 'serial'), autocomplete: 'off', hint: t('devices.page.need.serialHint') })}
  ${inputField({ id: 'ho-collectedBy', name: 'collectedBy', label: t('devices.page.need.collectedBy'), required: true, value: val('handover', 'collectedBy', ''), errorId: errId('handover', 'collectedBy'), autocomplete: 'off' })}
  ${selectField({ id: 'ho-relation', name: 'relation', label: t('devices.page.need.relation'), required: true, value: val('handover', 'relation', 'mother'), errorId: errId('handover', 'relation'), choices: relationChoices(t) })}
  ${inputField({ id: 'ho-date', name: 'date', type: 'date', label: t('devices.page.need.handoverDate'), required: true, value: val('handover', 'date', today), errorId: errId('handover', 'date') })}
  ${inputField({ id: 'ho-returnBy', name: 'returnBy', type: 'date', label: t('devices.page.need.returnBy'), value: val('handover', 'returnBy', ''), errorId: errId('handover', 'returnBy'), hint: t('devices.page.need.returnByHint') })}`,
        t('devices.page.need.handover'),
      ),
    );
  }
  if (handable.includes(n.status) && n.deliveryMethod === 'pickup') {
    out.push(
      actionForm(
        v,
        n,
        'ready',
        t('devices.page.need.readyTitle'),
        html`${inputField({ id: 'ready-from', name: 'from', type: 'date', label: t('devices.page.need.readyFrom'), required: true, value: val('ready', 'from', n.pickup?.from ?? today), errorId: errId('ready', 'from') })}
  ${inputField({ id: 'ready-hours', name: 'hours', label: t('devices.page.need.readyHours'), required: true, value: val('ready', 'hours', n.pickup?.hours), errorId: errId('ready', 'hours'), hint: t('devices.page.need.readyHoursHint') })}`,
        t('devices.page.need.ready'),
      ),
    );
  }
  if (editable.includes(n.status)) {
    out.push(
      actionForm(
        v,
        n,
        'edit',
        t('devices.page.need.editTitle'),
        html`${selectField({ id: 'edit-deviceType', name: 'deviceType', label: t('devices.page.deviceType'), value: val('edit', 'deviceType', n.deviceType), choices: deviceTypeChoices(t) })}
  ${textareaField({ id: 'edit-reason', name: 'reason', label: t('devices.page.reason'), value: val('edit', 'reason', n.reason), errorId: errId('edit', 'reason') })}
  ${selectField({ id: 'edit-priority', name: 'priority', label: t('devices.page.priority'), value: val('edit', 'priority', n.priority === null ? '' : String(n.priority)), errorId: errId('edit', 'priority'), choices: priorityChoices() })}
  ${selectField({ id: 'edit-deliveryMethod', name: 'deliveryMethod', label: t('devices.page.deliveryMethod'), value: val('edit', 'deliveryMethod', n.deliveryMethod), choices: deliveryChoices(t) })}
  ${inputField({ id: 'edit-address', name: 'address', label: t('devices.page.address'), value: val('edit', 'address', n.address), errorId: errId('edit', 'address'), hint: t('devices.page.form.addressHint') })}`,
        t('devices.page.need.save'),
      ),
    );
  }
  if (cancellable.includes(n.status)) {
    out.push(
      actionForm(
        v,
        n,
        'cancel',
        t('devices.page.need.cancelTitle'),
        html`${textareaField({ id: 'cancel-reason', name: 'reason', label: t('devices.page.need.cancelReason'), required: true, value: val('cancel', 'reason', ''), errorId: errId('cancel', 'reason'), hint: n.device ? t('devices.page.need.cancelReleases') : undefined })}`,
        t('devices.page.need.cancel'),
      ),
    );
  }
  if (!out.length) return html``;
  return html`<section aria-labelledby="actions-h" class="no-print"><h2 id="actions-h">${t('devices.page.need.actions')}</h2><div class="forms">${out}</div></section>`;
}

/** One need: the reference code to read aloud, the facts, the guardian's contact, the forms its status allows, the history. */
export function needView(v: View, n: NeedDetail, opts: { today: string; failed?: FailedForm; notice?: string | null }): Html {
  const { ctx, t } = v;
  return html`${subnav(v)}
${opts.failed ? errorNotice(opts.failed.error) : ''}${okNotice(opts.notice)}
<section class="card refbox" aria-labelledby="ref-h">
  <h2 id="ref-h">${t('devices.page.referenceCode')}</h2>
  <p class="refcode" data-reference-code>${n.referenceCode}</p>
  <p class="muted">${t('devices.page.need.referenceHint')}</p>
</section>
${facts(v, n)}
${n.device && n.status !== 'cancelled' ? html`<p><a class="button secondary" href="/devices/needs/${n.id}/agreement">${t('devices.page.need.agreement')}</a></p>` : ''}
${guardian(v, n)}
${forms(v, n, opts.today, opts.failed)}
<h2>${t('devices.page.history')}</h2>
${historyTable(v, n.history, (s) => needStatusLabel(t, s), (iso) => formatDateTime(iso, ctx.lang))}`;
}
