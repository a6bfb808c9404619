import { html, type Html } from '../../web/html.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDateTime, formatDay, formatTime } from '../../web/format.ts';
import { rigaToday } from '../../shared/dates.ts';
import { errorNotice, type FormError } from '../../web/forms.ts';
import type { getReturn } from '../attendanceService.ts';
import { childName, dayNav, subnav, type View } from './common.ts';

export type ReturnData = Awaited<ReturnType<typeof getReturn>>;
type GroupRow = ReturnData['groups'][number];

/** What the form shows in its fields: typed values after a refusal, else what was sent before. */
export type ReturnFormState = { values: Record<string, string>; ticked: Map<number, Set<string>>; error?: FormError };

/** The confirmation after a return was accepted (read back from the saved return). */
export type ReturnConfirmation = { late: boolean; over: Array<{ group: string; present: number; capacity: number }> };

/** The form's own field names for group line `i`; the page maps the service's `groups.i.*` onto them. */
export const fieldNames = (i: number) => ({ group: `group_${i}`, registered: `registered_${i}`, present: `present_${i}`, mode: `mode_${i}`, children: `children_${i}` });

/** The fields of a return as sent before, for filling the form when nothing was typed yet. */
export function sentState(r: ReturnData): ReturnFormState {
  const values: Record<string, string> = {};
  const ticked = new Map<number, Set<string>>();
  r.groups.forEach((g, i) => {
    const f = fieldNames(i);
    if (!g.submitted) return;
    values[f.registered] = String(g.submitted.registered);
    values[f.present] = String(g.submitted.present);
    if (g.submitted.ticked.length) {
      values[f.mode] = 'ticks';
      ticked.set(i, new Set(g.submitted.ticked));
    }
  });
  return { values, ticked };
}

/** Labels for the fields an error names ("Group: Present"), so the notice says which group is wrong. */
export function returnLabels({ t }: View, r: ReturnData): Record<string, string> {
  const labels: Record<string, string> = {};
  r.groups.forEach((g, i) => {
    const f = fieldNames(i);
    const name = (field: string) => t('kindergartens.page.return.fieldOfGroup', { group: g.name, field });
    labels[f.group] = g.name;
    labels[f.registered] = name(t('kindergartens.page.return.registered'));
    labels[f.present] = name(t('kindergartens.page.return.present'));
    labels[f.children] = name(t('kindergartens.page.return.ticks'));
  });
  return labels;
}

function confirmation({ ctx, t }: View, r: ReturnData, c: ReturnConfirmation): Html {
  return html`<div class="notice${c.over.length ? ' warn' : ''}" role="status" id="confirmation">
  <p><strong>${t('kindergartens.page.return.accepted', { day: formatDay(r.day, ctx.lang) })}</strong>${c.late ? html` ${t('kindergartens.page.return.acceptedLate')}` : ''}</p>
  ${c.over.length
    ? html`<p class="over"><strong>⚠ ${t('kindergartens.page.return.acceptedOver')}</strong></p>
  <ul>${c.over.map((o) => html`<li class="over">${t('kindergartens.page.return.overItem', { group: o.group, present: o.present, capacity: o.capacity })}</li>`)}</ul>`
    : ''}
</div>`;
}

function countInput(id: string, name: string, label: string, value: string, invalid: boolean, hintId: string, extra: Html | '' = ''): Html {
  return html`<div><label for="${id}">${label}</label>
<input id="${id}" name="${name}" type="text" inputmode="numeric" autocomplete="off" size="4" value="${value}"${invalid ? html` aria-invalid="true"` : ''} aria-describedby="${hintId}${invalid ? ' form-error' : ''}"${extra}></div>`;
}

function groupFieldset(v: View, r: ReturnData, g: GroupRow, i: number, state: ReturnFormState): Html {
  const { ctx, t } = v;
  const f = fieldNames(i);
  const val = (name: string) => state.values[name] ?? '';
  const bad = (name: string) => !!state.error?.fields.includes(name);
  const ticksOn = val(f.mode) === 'ticks';
  const ticked = state.ticked.get(i) ?? new Set<string>();
  const id = `g${i}`;
  const sent = g.submitted;
  return html`<fieldset class="group-return" data-group="${g.id}" id="${id}">
  <legend>${g.name}</legend>
  <input type="hidden" name="${f.group}" value="${g.id}">
  <p class="muted" id="${id}-facts">${t('kindergartens.page.return.places', { capacity: g.capacity })} · ${t('kindergartens.page.return.placed', { placed: g.placed })}</p>
  ${sent
    ? html`<p class="sent">${t('kindergartens.page.return.sent', { time: sent.at ? (rigaToday(sent.at) === r.day ? formatTime(sent.at, ctx.lang) : formatDateTime(sent.at, ctx.lang)) : '—', registered: sent.registered, present: sent.present })}${sent.late ? html` <span class="state late">${t('kindergartens.page.return.sentLate')}</span>` : ''}${sent.present > g.capacity ? html` <strong class="flag over">⚠ ${t('kindergartens.page.monitoring.state.overCapacity')}</strong>` : ''}</p>`
    : ''}
  <div class="pair counts">
    ${countInput(`${id}-registered`, f.registered, t('kindergartens.page.return.registered'), val(f.registered), bad(f.registered), `${id}-facts`)}
    ${countInput(`${id}-present`, f.present, t('kindergartens.page.return.present'), val(f.present), bad(f.present), `${id}-facts`, html` data-present`)}
  </div>
  ${g.children.length
    ? html`<details class="ticks"${ticksOn || bad(f.children) ? html` open` : ''}>
    <summary>${t('kindergartens.page.return.ticks')}</summary>
    <p class="mode"><input type="checkbox" id="${id}-mode" name="${f.mode}" value="ticks" data-ticks-mode${ticksOn ? html` checked` : ''} aria-describedby="${id}-mode-hint"> <label for="${id}-mode">${t('kindergartens.page.return.useTicks')}</label></p>
    <p class="hint muted" id="${id}-mode-hint">${t('kindergartens.page.return.useTicksHint')}</p>
    <ul class="checks children"${bad(f.children) ? html` aria-invalid="true"` : ''}>${g.children.map(
      (c) => html`<li><input type="checkbox" id="${id}-c-${c.id}" name="${f.children}" value="${c.id}" data-child${ticked.has(c.id) ? html` checked` : ''}> <label for="${id}-c-${c.id}">${childName(c)}</label></li>`,
    )}</ul>
  </details>`
    : ''}
</fieldset>`;
}

/**
 * The daily return of one kindergarten for a day, made for a head on a phone: per group the
 * registered and present counts (or the children ticked), the deadline and whether sending now
 * is late, the confirmation with any group over capacity, and the days before and after.
 */
export function returnFormView(v: View, r: ReturnData, opts: { today: string; state: ReturnFormState; confirmation?: ReturnConfirmation | null; ownCode: string | null }): Html {
  const { ctx, t } = v;
  const action = `/kindergartens/${encodeURIComponent(r.inst.code)}/attendance`;
  const nav = dayNav(v, { day: r.day, base: action, until: opts.today, today: opts.today });
  const top = html`${subnav(v, opts.ownCode)}
${opts.confirmation ? confirmation(v, r, opts.confirmation) : ''}
${errorNotice(opts.state.error, returnLabels(v, r))}
${nav}`;
  if (!r.base) return html`${top}<p class="notice" role="status">${t('kindergartens.page.return.notBase', { name: r.inst.name, day: formatDay(r.day, ctx.lang) })}</p>`;
  if (!r.groups.length) return html`${top}<p class="notice" role="status">${t('kindergartens.page.return.noGroups')}</p>`;
  const anySent = r.groups.some((g) => g.submitted);
  return html`${top}
<p class="deadline${r.lateNow ? ' late' : ''}">${t('kindergartens.page.return.deadline', { deadline: r.deadline, day: formatDay(r.day, ctx.lang) })} <strong>${t(r.lateNow ? 'kindergartens.page.return.lateNow' : 'kindergartens.page.return.onTime')}</strong></p>
<form method="post" action="${action}?day=${r.day}" class="return-form">
  ${csrfField(ctx)}
  <input type="hidden" name="day" value="${r.day}">
  <p class="hint muted">${t('kindergartens.page.return.countHint')}</p>
  ${r.groups.map((g, i) => groupFieldset(v, r, g, i, opts.state))}
  <button type="submit" class="big">${t(anySent ? 'kindergartens.page.return.resubmit' : 'kindergartens.page.return.submit')}</button>
</form>
<script src="/assets/returnForm.js" defer></script>`;
}

/** Instead of the form, when the day asked for has none (a day in the future): why, and the way on (today's return, or the kindergarten pages). */
export function returnUnavailableView(v: View, error: FormError, back: string, ownCode: string | null): Html {
  const label = back.includes('/attendance') ? v.t('kindergartens.page.return.goToday') : v.t('kindergartens.page.nav.monitoring');
  return html`${subnav(v, ownCode)}
${errorNotice(error)}
<p><a class="button" href="${back}">${label}</a></p>`;
}
