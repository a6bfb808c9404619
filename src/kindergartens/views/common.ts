import { html, type Html } from '../../web/html.ts';
import type { TFunction } from '../../i18n/index.ts';
import { addDays } from '../../shared/dates.ts';
import { formatDay } from '../../web/format.ts';
import type { View } from '../../web/forms.ts';

export type { View };

/** The small navigation between the kindergarten pages: monitoring for all staff, requests for the coordinator, today's return for a head. */
export function subnav({ ctx, t }: View, ownCode?: string | null): Html {
  const path = ctx.path.split('?')[0] ?? '';
  const requests = path.startsWith('/kindergartens/requests');
  const items =
    ctx.actor?.role === 'coordinator'
      ? [
          { href: '/kindergartens', key: 'monitoring', here: path.startsWith('/kindergartens') && !requests },
          { href: '/kindergartens/requests', key: 'requests', here: requests && path !== '/kindergartens/requests/new' },
          { href: '/kindergartens/requests/new', key: 'newRequest', here: path === '/kindergartens/requests/new' },
        ]
      : [
          { href: '/kindergartens', key: 'monitoring', here: path === '/kindergartens' || (!!ownCode && path === `/kindergartens/${encodeURIComponent(ownCode)}`) },
          ...(ownCode ? [{ href: `/kindergartens/${encodeURIComponent(ownCode)}/attendance`, key: 'todayReturn', here: path.endsWith('/attendance') }] : []),
        ];
  return html`<nav class="subnav" aria-label="${t('kindergartens.page.nav.label')}"><ul>${items.map(
    (i) => html`<li><a href="${i.href}"${i.here ? html` aria-current="page"` : ''}>${t(`kindergartens.page.nav.${i.key}`)}</a></li>`,
  )}</ul></nav>`;
}

/**
 * The day being looked at with links to the day before and after (none into the future when
 * `until` is given) and a small form to jump to any day; works without JavaScript.
 */
export function dayNav({ ctx, t }: View, opts: { day: string; base: string; until?: string; today: string }): Html {
  const link = (day: string) => `${opts.base}?day=${day}`;
  const previous = addDays(opts.day, -1);
  const next = addDays(opts.day, 1);
  const nextAllowed = !opts.until || next <= opts.until;
  return html`<nav class="daynav" aria-label="${t('kindergartens.page.day.label')}">
  <a href="${link(previous)}" rel="prev">← ${t('kindergartens.page.day.previous')}</a>
  <strong><time datetime="${opts.day}">${formatDay(opts.day, ctx.lang)}</time></strong>
  ${nextAllowed ? html`<a href="${link(next)}" rel="next">${t('kindergartens.page.day.next')} →</a>` : ''}
  ${opts.day !== opts.today ? html`<a href="${link(opts.today)}">${t('kindergartens.page.day.today')}</a>` : ''}
</nav>
<form method="get" action="${opts.base}" class="dayform">
  <label for="day-pick">${t('kindergartens.page.day.pick')}</label>
  <input id="day-pick" name="day" type="date" value="${opts.day}"${opts.until ? html` max="${opts.until}"` : ''} required>
  <button type="submit" class="secondary">${t('kindergartens.page.day.show')}</button>
</form>`;
}

export const requestStatusLabel = (t: TFunction, status: string) => t(`kindergartens.page.requestStatus.${status}`);
export const sectorLabel = (t: TFunction, sector: string) => t(`kindergartens.page.sectors.${sector}`);

/** A base period in words: from … to …, or open-ended. */
export function periodText({ ctx, t }: View, p: { from?: string | null; to?: string | null }): string {
  const from = p.from ? formatDay(p.from, ctx.lang) : '…';
  if (!p.to) return t('kindergartens.page.kindergarten.periodOpen', { from });
  return t('kindergartens.page.kindergarten.period', { from, to: formatDay(p.to, ctx.lang) });
}

/** A child's first and last name: all that the kindergarten pages show of a child. */
export function childName(c: { firstName: string; lastName: string }): string {
  return `${c.firstName} ${c.lastName}`;
}
