import { html, type Html } from '../../web/html.ts';
import { scrollable } from '../../web/scrollBox.ts';
import { csrfField } from '../../web/layout.ts';
import type { TFunction } from '../../i18n/index.ts';
import type { MatchReason, Proposal } from '../allocation.ts';
import type { ConfirmResult } from '../allocationService.ts';
import { errorNotice, type FormError, type View } from '../../web/forms.ts';
import { subnav } from './common.ts';

/** What the tables say about each need: the pupil's name and class, when the reader may see them. */
export type NeedNames = Map<string, { name: string; class: string | null }>;
type Institutions = Record<string, { code: string; name: string }>;

/** The reason for one match as sentences: priority and place in the queue, the institution's share, enough or not, where the device comes from. */
export function reasonText(t: TFunction, r: MatchReason): string {
  return [
    t('devices.page.allocation.reasonPriority', { priority: r.priority, rank: r.rank }),
    t('devices.page.allocation.reasonShare', { share: r.share, unmet: r.unmet }),
    t(r.enough ? 'devices.page.allocation.reasonEnough' : 'devices.page.allocation.reasonNotEnough'),
    t(`devices.page.allocation.source.${r.source}`),
  ].join(' ');
}

function needLink(t: TFunction, names: NeedNames, id: string): Html {
  const n = names.get(id);
  return html`<a href="/devices/needs/${encodeURIComponent(id)}">${n ? n.name : t('devices.page.openNeed')}</a>${n?.class ? html` <span class="muted">${n.class}</span>` : ''}`;
}

function proposeForm({ ctx, t }: View, label: string): Html {
  return html`<form method="post" action="/devices/allocation/proposal" class="no-print">${csrfField(ctx)}<button type="submit">${label}</button></form>`;
}

/** The start: what a proposal does, and the button that makes one (nothing is written until confirmed). */
export function allocationStartView(v: View, error?: FormError): Html {
  const { t } = v;
  return html`${subnav(v)}
${errorNotice(error)}
<p class="lead">${t('devices.page.allocation.intro')}</p>
<ul>
  <li>${t('devices.page.allocation.rule1')}</li>
  <li>${t('devices.page.allocation.rule2')}</li>
  <li>${t('devices.page.allocation.rule3')}</li>
</ul>
${proposeForm(v, t('devices.page.allocation.propose'))}`;
}

function summaryTable({ t }: View, summary: Proposal['summary']): Html {
  return html`<div class="table-wrap"${scrollable(t('devices.page.allocation.summary'))}><table>
<caption>${t('devices.page.allocation.summary')}</caption>
<thead><tr><th scope="col">${t('devices.page.deviceType')}</th><th scope="col" class="num">${t('devices.page.allocation.devices')}</th><th scope="col" class="num">${t('devices.page.allocation.needs')}</th><th scope="col" class="num">${t('devices.page.allocation.matched')}</th></tr></thead>
<tbody>${summary.map((s) => html`<tr><td>${t(`devices.types.${s.type}`)}</td><td class="num">${s.devices}</td><td class="num">${s.needs}</td><td class="num">${s.matched}</td></tr>`)}</tbody>
</table></div>`;
}

/** The proposal: per-type summary and every match with its reason; the coordinator may drop rows or change serials, then confirms. */
export function proposalView(v: View, p: Proposal & { institutions: Institutions }, names: NeedNames): Html {
  const { ctx, t } = v;
  if (!p.matches.length) {
    return html`${subnav(v)}
<p class="notice" role="status">${t('devices.page.allocation.nothing')}</p>
${p.summary.length ? summaryTable(v, p.summary) : ''}
${proposeForm(v, t('devices.page.allocation.proposeAgain'))}`;
  }
  return html`${subnav(v)}
<p class="lead">${t('devices.page.allocation.review')}</p>
${summaryTable(v, p.summary)}
<form method="post" action="/devices/allocation/confirm">
  ${csrfField(ctx)}
  <div class="table-wrap"${scrollable(t('devices.page.allocation.matches', { count: p.matches.length }))}><table class="matches">
  <caption>${t('devices.page.allocation.matches', { count: p.matches.length })}</caption>
  <thead><tr><th scope="col">${t('devices.page.allocation.include')}</th><th scope="col">${t('devices.page.institution')}</th><th scope="col">${t('devices.page.pupil')}</th><th scope="col">${t('devices.page.deviceType')}</th><th scope="col">${t('devices.page.serial')}</th><th scope="col">${t('devices.page.allocation.why')}</th></tr></thead>
  <tbody>${p.matches.map((m, i) => {
    const who = names.get(m.needId)?.name ?? m.needId;
    const inst = p.institutions[m.institution];
    return html`<tr>
    <td><input type="checkbox" name="include" value="${i}" id="inc-${i}" checked><label for="inc-${i}" class="sr-only">${t('devices.page.allocation.includeOne', { name: who })}</label><input type="hidden" name="need_${i}" value="${m.needId}"></td>
    <td>${inst ? `${inst.name} (${inst.code})` : ''}</td>
    <td>${needLink(t, names, m.needId)}</td>
    <td>${t(`devices.types.${m.type}`)}</td>
    <td><label for="serial-${i}" class="sr-only">${t('devices.page.allocation.serialFor', { name: who })}</label><input id="serial-${i}" name="serial_${i}" value="${m.serial}" class="serial" autocomplete="off" required></td>
    <td>${reasonText(t, m.reason)}</td>
  </tr>`;
  })}</tbody></table></div>
  <button type="submit">${t('devices.page.allocation.confirm')}</button>
</form>`;
}

/** What the confirmation did, row by row: allocated, or refused with the reason in the reader's language. */
export function confirmResultView(v: View, results: ConfirmResult[], names: NeedNames): Html {
  const { t } = v;
  const ok = results.filter((r) => r.ok).length;
  return html`${subnav(v)}
<p class="notice${ok < results.length ? ' error' : ''}" role="status">${t('devices.page.allocation.resultSummary', { allocated: ok, refused: results.length - ok })}</p>
<div class="table-wrap"${scrollable(t('devices.page.allocation.results'))}><table>
<caption>${t('devices.page.allocation.results')}</caption>
<thead><tr><th scope="col">${t('devices.page.pupil')}</th><th scope="col">${t('devices.page.serial')}</th><th scope="col">${t('devices.page.allocation.result')}</th></tr></thead>
<tbody>${results.map(
    (r) => html`<tr class="${r.ok ? 'ok' : 'error'}"><td>${needLink(t, names, r.need)}</td><td class="code">${r.serial}</td><td>${r.ok ? t('devices.page.allocation.allocated') : html`<strong>${t('devices.page.allocation.refused')}:</strong> ${t(`errors.${r.code ?? 'invalid_input'}`, { defaultValue: t('errors.invalid_input') })}`}</td></tr>`,
  )}</tbody></table></div>
<p><a href="/devices?status=allocated">${t('devices.page.allocation.seeAllocated')}</a> · <a href="/devices/allocation">${t('devices.page.allocation.again')}</a></p>`;
}
