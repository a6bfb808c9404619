import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import { errorNotice, inputField, okNotice, type FormError } from '../../web/forms.ts';
import type { ReminderSettings } from '../settings.ts';
import { subnav, type View } from './common.ts';

/** The reminders in the form's order, and which of them have a day count (and a campaign). */
export const reminderKeys = ['attendanceMissing', 'needsStale', 'uncollected', 'stockUnallocated', 'returnsOverdue'] as const;
export type ReminderKey = (typeof reminderKeys)[number];
const withDays: readonly ReminderKey[] = ['needsStale', 'uncollected', 'stockUnallocated'];

/** The form's field names: `needsStale_days` for the service's `needsStale.days`. */
export const settingsFields = [
  ...reminderKeys.map((r) => `${r}_enabled`),
  ...withDays.map((r) => `${r}_days`),
  'needsStale_campaignFrom',
  'needsStale_campaignTo',
];
export const hasDays = (r: ReminderKey) => withDays.includes(r);

/** The settings as the form shows them: checkboxes as 'on' or '', numbers and days as typed. */
export function settingsValues(s: ReminderSettings): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of reminderKeys) {
    const one = s[r] as { enabled: boolean; days?: number };
    out[`${r}_enabled`] = one.enabled ? 'on' : '';
    if (hasDays(r)) out[`${r}_days`] = String(one.days ?? '');
  }
  out.needsStale_campaignFrom = s.needsStale.campaignFrom ?? '';
  out.needsStale_campaignTo = s.needsStale.campaignTo ?? '';
  return out;
}

export type SettingsForm = { values: Record<string, string>; error?: FormError; fieldMessages?: Record<string, string> };

const k = 'notifications.page.settings';

/** The reminder settings form: a fieldset per reminder, each refused field with its own message next to it. */
export function settingsView(v: View, form: SettingsForm, notice?: string | null): Html {
  const { ctx, t } = v;
  const val = form.values;
  const messages = form.fieldMessages ?? {};
  const labels: Record<string, string> = {};
  for (const r of reminderKeys) {
    const title = t(`${k}.reminders.${r}.title`);
    labels[`${r}_enabled`] = `${title}: ${t(`${k}.enabled`)}`;
    labels[`${r}_days`] = `${title}: ${t(`${k}.days`)}`;
  }
  labels.needsStale_campaignFrom = t(`${k}.campaignFrom`);
  labels.needsStale_campaignTo = t(`${k}.campaignTo`);
  // A field the service refused is marked and described by its own message, shown right under it.
  const fieldError = (name: string): Html | '' => (messages[name] ? html`<p class="notice error field-error" id="${name}-error">${messages[name]}</p>` : '');
  const errorId = (name: string) => (messages[name] ? `${name}-error` : form.error?.fields.includes(name) ? 'settings-error' : null);
  const field = (name: string, type: string, label: string, hint?: string, extra?: Html) =>
    html`${inputField({ id: name, name, type, label, value: val[name], errorId: errorId(name), hint, extra })}${fieldError(name)}`;
  return html`${subnav(v)}
<p>${t(`${k}.intro`)}</p>
${okNotice(notice)}
${errorNotice(form.error, labels, 'settings-error')}
<form method="post" action="/notifications/settings" class="card wide" id="settings-form" novalidate>
  ${csrfField(ctx)}
  ${reminderKeys.map(
    (r) => html`<fieldset id="reminder-${r}" aria-describedby="${r}-about">
  <legend>${t(`${k}.reminders.${r}.title`)}</legend>
  <p class="hint muted" id="${r}-about">${t(`${k}.reminders.${r}.hint`)}</p>
  <p class="checks"><input type="checkbox" id="${r}_enabled" name="${r}_enabled" value="on"${val[`${r}_enabled`] ? html` checked` : ''}> <label for="${r}_enabled">${t(`${k}.enabled`)}</label></p>
  ${hasDays(r) ? field(`${r}_days`, 'number', t(`${k}.days`), t(`${k}.daysHint`), html` min="1" max="365" step="1" inputmode="numeric"`) : ''}
  ${r === 'needsStale'
    ? html`<div class="pair">
    <div>${field('needsStale_campaignFrom', 'date', t(`${k}.campaignFrom`))}</div>
    <div>${field('needsStale_campaignTo', 'date', t(`${k}.campaignTo`))}</div>
  </div>
  <p class="hint muted">${t(`${k}.campaignHint`)}</p>`
    : ''}
</fieldset>`,
  )}
  <button type="submit">${t(`${k}.save`)}</button>
</form>`;
}
