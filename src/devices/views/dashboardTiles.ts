import { html, type Html } from '../../web/html.ts';
import type { TFunction } from '../../i18n/index.ts';
import type { DeviceCounts } from '../reportService.ts';

export type { DeviceCounts };

/** The dashboard's device tiles (the reader's scope); stock held too long is a warning when there is any. */
export function deviceTiles(t: TFunction, c: DeviceCounts, staleDays: number): Html {
  const tile = (label: string, value: number, href: string, warn = false) =>
    html`<a class="tile${warn ? ' warn' : ''}" href="${href}"><span class="value">${value}</span><span class="label">${label}</span>${warn ? html`<span class="flag">${t('dashboard.devicesWarning')}</span>` : ''}</a>`;
  return html`<section aria-labelledby="devices-h"><h2 id="devices-h">${t('dashboard.devices')}</h2>
<div class="tiles">
  ${tile(t('dashboard.devicesNeeded'), c.needed, '/devices')}
  ${tile(t('dashboard.devicesAwaitingApproval'), c.awaitingApproval, '/devices?status=registered')}
  ${tile(t('dashboard.devicesInStock'), c.inStock, '/devices/stock?status=in_stock')}
  ${tile(t('dashboard.devicesAllocated'), c.allocated, '/devices?status=allocated')}
  ${tile(t('dashboard.devicesHandedOver'), c.handedOver, '/devices?status=delivered')}
  ${tile(t('dashboard.devicesOutstanding'), c.outstanding, '/devices')}
  ${tile(t('dashboard.devicesStale', { days: staleDays }), c.staleStock, '/devices/stock?status=in_stock', c.staleStock > 0)}
</div></section>`;
}
