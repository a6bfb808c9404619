import { html, type Html } from '../../web/html.ts';
import { scrollable } from '../../web/scrollBox.ts';
import { csrfField } from '../../web/layout.ts';
import { formatDay } from '../../web/format.ts';
import { errorNotice, inputField, okNotice, type FormError } from '../../web/forms.ts';
import type { DayFigures } from '../daySummaries.ts';
import type { monitorDay } from '../monitoringService.ts';
import { dayNav, subnav, type View } from './common.ts';
import { occupancyChart } from './occupancyChart.ts';

export type Monitor = Awaited<ReturnType<typeof monitorDay>>;
type KindergartenRow = Monitor['kindergartens'][number];

/** The head's own institution, as the page needs it; null for the coordinator. */
export type OwnInstitution = { code: string; name: string; kindergarten: boolean };

export type MonitoringData = {
  day: string;
  today: string;
  monitor: Monitor | null;
  chart: DayFigures[];
  period: { from: string; to: string };
  own: OwnInstitution | null;
  /** Every kindergarten with whether it is a base kindergarten on the day (coordinator only). */
  kindergartens: Array<{ code: string; name: string; base: boolean }> | null;
  notice?: string | null;
  error?: FormError;
  /** A refused deadline change: the message and the time as typed. */
  deadline?: { error: FormError; value: string };
};

const returnHref = (code: string, day: string) => `/kindergartens/${encodeURIComponent(code)}/attendance?day=${day}`;

function tile(label: string, value: string | number, warn = false): Html {
  return html`<div class="tile${warn ? ' warn' : ''}"><span class="value">${value}</span><span class="label">${label}</span></div>`;
}

function totals({ t }: View, m: Monitor): Html {
  const missingLabel = t(m.overdue ? 'kindergartens.page.monitoring.totals.missing' : 'kindergartens.page.monitoring.totals.due');
  return html`<div class="tiles" id="totals">
  ${tile(t('kindergartens.page.monitoring.totals.kindergartens'), m.totals.kindergartens)}
  ${tile(t('kindergartens.page.monitoring.totals.present'), t('kindergartens.page.monitoring.ofPlaces', { present: m.totals.present, capacity: m.totals.capacity }))}
  ${tile(missingLabel, m.totals.missing, m.overdue && m.totals.missing > 0)}
  ${tile(t('kindergartens.page.monitoring.totals.overCapacity'), m.totals.overCapacity, m.totals.overCapacity > 0)}
</div>`;
}

/** The returns not in for the day, per kindergarten, each with a link to that kindergarten's form. */
function missingList({ t }: View, m: Monitor): Html {
  const rows = m.kindergartens.filter((k) => k.missing.length);
  const heading = t(m.overdue ? 'kindergartens.page.monitoring.missingTitle' : 'kindergartens.page.monitoring.dueTitle');
  return html`<section id="missing" aria-labelledby="missing-h">
<h2 id="missing-h">${heading}</h2>
${rows.length
  ? html`<ul class="missing">${rows.map(
      (k) =>
        html`<li data-kindergarten="${k.code}"><strong>${k.name}</strong>: ${k.missing.join(', ')} <span class="state ${m.overdue ? 'missing' : 'due'}">(${t(m.overdue ? 'kindergartens.page.monitoring.state.missing' : 'kindergartens.page.monitoring.state.due')})</span> — <a href="${returnHref(k.code, m.day)}">${t('kindergartens.page.monitoring.openReturn', { name: k.name })}</a></li>`,
    )}</ul>`
  : html`<p>${t('kindergartens.page.monitoring.missingNone')}</p>`}
</section>`;
}

function stateOf({ t }: View, m: Monitor, g: KindergartenRow['groups'][number]): Html {
  if (!g.submitted) {
    const key = m.overdue ? 'missing' : 'due';
    return html`<span class="state ${key}">${t(`kindergartens.page.monitoring.state.${key}`)}</span>`;
  }
  return html`<span class="state sent">${t(g.late ? 'kindergartens.page.monitoring.state.late' : 'kindergartens.page.monitoring.state.sent')}</span>${g.overCapacity
    ? html` <strong class="flag over">⚠ ${t('kindergartens.page.monitoring.state.overCapacity')}</strong>`
    : ''}`;
}

function kindergartenSection(v: View, m: Monitor, k: KindergartenRow): Html {
  const { t } = v;
  const id = `kg-${k.code.replace(/[^A-Za-z0-9_-]/g, '_')}`;
  return html`<section class="kindergarten card" aria-labelledby="${id}-h" data-kindergarten="${k.code}">
<h3 id="${id}-h"><a href="/kindergartens/${encodeURIComponent(k.code)}">${k.name}</a></h3>
<p class="occupancy"><strong data-present-capacity>${t('kindergartens.page.monitoring.ofPlaces', { present: k.present, capacity: k.capacity })}</strong> ${t('kindergartens.page.monitoring.presentOfPlaces')}${k.overCapacity.length
    ? html` · <strong class="flag over">⚠ ${t('kindergartens.page.monitoring.groupsOver', { count: k.overCapacity.length })}</strong>`
    : ''}</p>
${k.groups.length
  ? html`<div class="table-wrap"${scrollable(t('kindergartens.page.monitoring.groupsCaption', { name: k.name }))}><table>
<caption class="sr-only">${t('kindergartens.page.monitoring.groupsCaption', { name: k.name })}</caption>
<thead><tr><th scope="col">${t('kindergartens.page.columns.group')}</th><th scope="col" class="num">${t('kindergartens.page.columns.capacity')}</th><th scope="col" class="num">${t('kindergartens.page.columns.placed')}</th><th scope="col" class="num">${t('kindergartens.page.columns.registered')}</th><th scope="col" class="num">${t('kindergartens.page.columns.present')}</th><th scope="col">${t('kindergartens.page.columns.state')}</th></tr></thead>
<tbody>${k.groups.map(
      (g) =>
        html`<tr class="${g.overCapacity ? 'over' : !g.submitted ? (m.overdue ? 'missing' : 'due') : ''}"><th scope="row">${g.name}</th><td class="num">${g.capacity}</td><td class="num">${g.placed}</td><td class="num">${g.registered ?? '—'}</td><td class="num">${g.present ?? '—'}</td><td>${stateOf(v, m, g)}</td></tr>`,
    )}</tbody></table></div>`
  : html`<p>${t('kindergartens.page.monitoring.noGroups')}</p>`}
<p><a href="${returnHref(k.code, m.day)}">${t('kindergartens.page.monitoring.openReturn', { name: k.name })}</a></p>
</section>`;
}

function deadlineForm({ ctx, t }: View, m: Monitor | null, failed: MonitoringData['deadline']): Html {
  return html`<form method="post" action="/kindergartens/deadline" class="card narrow" aria-labelledby="deadline-h">
  <h3 id="deadline-h">${t('kindergartens.page.deadline.title')}</h3>
  ${csrfField(ctx)}
  ${failed ? errorNotice(failed.error, {}, 'deadline-error') : ''}
  ${inputField({ id: 'deadline', name: 'deadline', type: 'time', label: t('kindergartens.page.deadline.label'), value: failed?.value ?? m?.deadline ?? '', required: true, errorId: failed ? 'deadline-error' : null, hint: t('kindergartens.page.deadline.hint') })}
  <button type="submit">${t('kindergartens.page.deadline.submit')}</button>
</form>`;
}

function exportForm({ t }: View, period: { from: string; to: string }): Html {
  return html`<form method="get" action="/api/kindergartens/attendance.xlsx" class="card narrow" aria-labelledby="export-h">
  <h3 id="export-h">${t('kindergartens.page.export.title')}</h3>
  <p class="hint muted">${t('kindergartens.page.export.hint')}</p>
  ${inputField({ id: 'export-from', name: 'from', type: 'date', label: t('kindergartens.page.export.from'), value: period.from, required: true })}
  ${inputField({ id: 'export-to', name: 'to', type: 'date', label: t('kindergartens.page.export.to'), value: period.to, required: true })}
  <button type="submit">${t('kindergartens.page.export.submit')}</button>
</form>`;
}

function allKindergartens({ t }: View, list: NonNullable<MonitoringData['kindergartens']>): Html {
  if (!list.length) return html``;
  return html`<section aria-labelledby="all-h"><h2 id="all-h">${t('kindergartens.page.monitoring.allKindergartens')}</h2>
<p class="muted">${t('kindergartens.page.monitoring.allHint')}</p>
<ul>${list.map((k) => html`<li><a href="/kindergartens/${encodeURIComponent(k.code)}">${k.name}</a> <span class="muted">(${k.code}) · ${t(k.base ? 'kindergartens.page.monitoring.baseOnDay' : 'kindergartens.page.monitoring.notBaseOnDay')}</span></li>`)}</ul>
</section>`;
}

/**
 * The monitoring view of a day: the totals, the returns not in, every base kindergarten's groups
 * with those over capacity flagged in words, the occupancy of the last weeks, the export and (for
 * the coordinator) the deadline. A head sees the same narrowed to their own kindergarten, with
 * the day's return form first.
 */
export function monitoringView(v: View, d: MonitoringData): Html {
  const { ctx, t } = v;
  const coordinator = ctx.actor?.role === 'coordinator';
  const own = d.own;
  const m = d.monitor;
  const head =
    own && own.kindergarten
      ? html`<p class="cta"><a class="button big" href="${returnHref(own.code, d.today)}">${t('kindergartens.page.own.todayReturn')}</a></p>`
      : '';
  if (own && !own.kindergarten) {
    return html`${subnav(v, null)}<p class="notice" role="status">${t('kindergartens.page.own.notKindergarten')}</p>`;
  }
  const intro = m
    ? html`<p>${t('kindergartens.page.monitoring.deadlineText', { deadline: m.deadline })} ${t(m.overdue ? 'kindergartens.page.monitoring.deadlinePassed' : 'kindergartens.page.monitoring.deadlineNotYet', { day: formatDay(m.day, ctx.lang) })}</p>`
    : '';
  const body = !m
    ? ''
    : m.kindergartens.length
      ? html`${totals(v, m)}${missingList(v, m)}
<section aria-labelledby="kgs-h"><h2 id="kgs-h">${t('kindergartens.page.monitoring.perKindergarten')}</h2>${m.kindergartens.map((k) => kindergartenSection(v, m, k))}</section>`
      : html`<p class="notice" role="status">${own ? t('kindergartens.page.own.notBase', { day: formatDay(d.day, ctx.lang) }) : t('kindergartens.page.monitoring.none')}</p>`;
  return html`${subnav(v, own?.code ?? null)}
${okNotice(d.notice)}${errorNotice(d.error)}
${head}
${dayNav(v, { day: d.day, base: '/kindergartens', today: d.today })}
${intro}
${body}
<section aria-labelledby="chart-h"><h2 id="chart-h">${t('kindergartens.page.chart.heading')}</h2>${occupancyChart(v, d.chart)}</section>
<div class="forms no-print">
${exportForm(v, d.period)}
${coordinator ? deadlineForm(v, m, d.deadline) : ''}
</div>
${d.kindergartens ? allKindergartens(v, d.kindergartens) : ''}`;
}
