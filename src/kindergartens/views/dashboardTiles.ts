import { html, type Html } from '../../web/html.ts';
import type { TFunction } from '../../i18n/index.ts';
import type { monitorDay } from '../monitoringService.ts';

export type DayView = Awaited<ReturnType<typeof monitorDay>>;

/**
 * The dashboard's base-kindergarten tiles for today in the reader's scope: present / capacity,
 * returns not in (a warning once the deadline has passed), groups over capacity, and for the
 * coordinator the waiting list. Nothing when no base kindergarten is open in the reader's scope.
 */
export function kindergartenTiles(t: TFunction, day: DayView, waiting: number | null): Html | '' {
  if (!day.kindergartens.length) return '';
  const tile = (label: string, value: string | number, href: string, warn = false) =>
    html`<a class="tile${warn ? ' warn' : ''}" href="${href}"><span class="value">${value}</span><span class="label">${label}</span>${warn ? html`<span class="flag">${t('dashboard.kindergartensWarning')}</span>` : ''}</a>`;
  const { totals } = day;
  return html`<section aria-labelledby="kindergartens-h"><h2 id="kindergartens-h">${t('dashboard.kindergartensToday')}</h2>
<div class="tiles">
  ${tile(t('dashboard.kindergartensPresent'), `${totals.present} / ${totals.capacity}`, '/kindergartens')}
  ${tile(t(day.overdue ? 'dashboard.kindergartensMissing' : 'dashboard.kindergartensDue'), totals.missing, '/kindergartens', day.overdue && totals.missing > 0)}
  ${tile(t('dashboard.kindergartensOverCapacity'), totals.overCapacity, '/kindergartens', totals.overCapacity > 0)}
  ${waiting === null ? '' : tile(t('dashboard.kindergartensWaiting'), waiting, '/kindergartens/requests?status=waiting')}
</div></section>`;
}
