import { html, type Html } from './html.ts';
import type { PageContext } from './layout.ts';
import type { TFunction } from '../i18n/index.ts';
import { AppError } from '../errors.ts';

/**
 * What the forms of every domain's pages share: a refused form shown in the reader's language
 * with its fields marked, notices, and labelled fields.
 */

/** What every view needs: the page context and a translator in the reader's language. */
export type View = { ctx: PageContext; t: TFunction };

/** A refused form, ready to show: the message in the reader's language and the fields it concerns. */
export type FormError = { status: number; code: string; message: string; fields: string[] };

// Service codes that are about one field of a form, so that field can be marked.
const fieldOfCode: Record<string, string> = {
  invalid_personal_code: 'personalCode',
  personal_code_check_digit: 'personalCode',
  pupil_in_other_institution: 'personalCode',
  need_exists: 'personalCode',
  invalid_phone: 'guardianPhone',
  invalid_email: 'guardianEmail',
  address_needed_for_delivery: 'address',
  invalid_priority: 'priority',
  institution_required: 'institution',
  institution_not_found: 'institution',
  serial_required: 'serial',
  device_not_found: 'serial',
  device_allocated_to_other_pupil: 'serial',
  device_not_allocated_to_need: 'serial',
  collected_by_required: 'collectedBy',
  reason_required: 'reason',
  hours_required: 'hours',
  invalid_date: 'date',
};

/** Turns a service's AppError into what a page shows (`errors.<code>`, with the error's details). */
export function formError(err: AppError, t: TFunction): FormError {
  const details = (err.details ?? {}) as Record<string, unknown>;
  const listed = Array.isArray(details.fields) ? (details.fields as Array<{ field?: unknown }>).map((f) => String(f.field ?? '')).filter(Boolean) : [];
  const fields = [...new Set([...listed, ...(fieldOfCode[err.code] ? [fieldOfCode[err.code]!] : [])])];
  const serials = Array.isArray(details.serials) ? (details.serials as unknown[]).map(String).join(', ') : '';
  const message = t(`errors.${err.code}`, { ...details, defaultValue: t('errors.invalid_input') }) + (serials ? ` (${serials})` : '');
  return { status: err.status, code: err.code, message, fields };
}

/** Runs a change; an AppError (only that) comes back to be shown on the page, anything else goes on to the error handler. */
export async function attempt<T>(fn: () => Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: AppError }> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (err instanceof AppError) return { ok: false, error: err };
    throw err;
  }
}

/** The error notice at the top of a form or page; `labels` names the fields it concerns. */
export function errorNotice(error: FormError | undefined, labels: Record<string, string> = {}, id = 'form-error'): Html | '' {
  if (!error) return '';
  const named = error.fields.map((f) => labels[f]).filter(Boolean);
  return html`<div class="notice error" role="alert" id="${id}"><p>${error.message}</p>${named.length ? html`<ul>${named.map((n) => html`<li>${n}</li>`)}</ul>` : ''}</div>`;
}

/** A success notice (role=status, read out without moving focus). */
export function okNotice(text: string | null | undefined): Html | '' {
  return text ? html`<p class="notice no-print" role="status">${text}</p>` : '';
}

export type Option = { value: string; label: string };

/** `<option>`s with the current value selected; `empty` adds a first option with no value. */
export function options(list: Option[], selected: string | null | undefined, empty?: string): Html {
  return html`${empty !== undefined ? html`<option value=""${!selected ? html` selected` : ''}>${empty}</option>` : ''}${list.map(
    (o) => html`<option value="${o.value}"${o.value === selected ? html` selected` : ''}>${o.label}</option>`,
  )}`;
}

type FieldOpts = {
  id: string;
  name: string;
  label: string;
  value?: string | null;
  type?: string;
  required?: boolean;
  hint?: string;
  autocomplete?: string;
  /** When set, the field is marked invalid and described by this error notice. */
  errorId?: string | null;
  extra?: Html;
};

function describedBy(o: FieldOpts): Html | '' {
  const ids = [o.hint ? `${o.id}-hint` : '', o.errorId ?? ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : '';
}

function hintOf(o: FieldOpts): Html | '' {
  return o.hint ? html`<p class="hint muted" id="${o.id}-hint">${o.hint}</p>` : '';
}

/** A labelled input. */
export function inputField(o: FieldOpts): Html {
  return html`<label for="${o.id}">${o.label}</label>
<input id="${o.id}" name="${o.name}" type="${o.type ?? 'text'}" value="${o.value ?? ''}"${o.required ? html` required` : ''}${o.autocomplete ? html` autocomplete="${o.autocomplete}"` : ''}${o.errorId ? html` aria-invalid="true"` : ''}${describedBy(o)}${o.extra ?? ''}>${hintOf(o)}`;
}

/** A labelled select. */
export function selectField(o: FieldOpts & { choices: Option[]; empty?: string }): Html {
  return html`<label for="${o.id}">${o.label}</label>
<select id="${o.id}" name="${o.name}"${o.required ? html` required` : ''}${o.errorId ? html` aria-invalid="true"` : ''}${describedBy(o)}>${options(o.choices, o.value, o.empty)}</select>${hintOf(o)}`;
}

/** A labelled textarea. */
export function textareaField(o: FieldOpts & { rows?: number }): Html {
  return html`<label for="${o.id}">${o.label}</label>
<textarea id="${o.id}" name="${o.name}" rows="${o.rows ?? 3}"${o.required ? html` required` : ''}${o.errorId ? html` aria-invalid="true"` : ''}${describedBy(o)}>${o.value ?? ''}</textarea>${hintOf(o)}`;
}

/** The error notice's id for a field the error concerns, else null. */
export function errorFor(error: FormError | undefined, field: string, id = 'form-error'): string | null {
  return error && error.fields.includes(field) ? id : null;
}
