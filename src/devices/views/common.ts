import { html, type Html } from '../../web/html.ts';
import { scrollable } from '../../web/scrollBox.ts';
import type { TFunction } from '../../i18n/index.ts';
import type { Option, View } from '../../web/forms.ts';
import { relations } from '../../pupils/relations.ts';

/** The small navigation between the device pages, per role. */
export function subnav({ ctx, t }: View): Html {
  const path = ctx.path.split('?')[0] ?? '';
  const items = [
    { href: '/devices', key: 'needs', here: path === '/devices' || path === '/devices/new' || path.startsWith('/devices/needs/') },
    { href: '/devices/stock', key: 'stock', here: path === '/devices/stock' || path.startsWith('/devices/stock/') },
    { href: '/devices/due-back', key: 'dueBack', here: path === '/devices/due-back' },
    ...(ctx.actor?.role === 'coordinator'
      ? [
          { href: '/devices/allocation', key: 'allocation', here: path.startsWith('/devices/allocation') },
          { href: '/devices/deliveries', key: 'deliveries', here: path.startsWith('/devices/deliveries') },
        ]
      : []),
  ];
  return html`<nav class="subnav" aria-label="${t('devices.page.nav.label')}"><ul>${items.map(
    (i) => html`<li><a href="${i.href}"${i.here ? html` aria-current="page"` : ''}>${t(`devices.page.nav.${i.key}`)}</a></li>`,
  )}</ul></nav>`;
}

export const deviceTypeChoices = (t: TFunction): Option[] => ['laptop', 'tablet'].map((v) => ({ value: v, label: t(`devices.types.${v}`) }));
export const deliveryChoices = (t: TFunction): Option[] => ['pickup', 'home'].map((v) => ({ value: v, label: t(`devices.page.delivery.${v}`) }));
export const relationChoices = (t: TFunction): Option[] => relations.map((v) => ({ value: v, label: t(`devices.page.relations.${v}`) }));
export const priorityChoices = (): Option[] => ['1', '2', '3', '4', '5'].map((p) => ({ value: p, label: p }));

export const needStatusLabel = (t: TFunction, status: string) => t(`status.steps.device.${status}`);
export const deviceStatusLabel = (t: TFunction, status: string) => t(`devices.page.deviceStatus.${status}`);

/** A pupil's full name, or a dash. */
export function pupilName(p: { firstName?: string | null; lastName?: string | null } | null | undefined): string {
  return [p?.firstName, p?.lastName].filter(Boolean).join(' ') || '—';
}

/** A history note in the reader's language when it is one of the services' codes, else as written. */
export function historyNote(t: TFunction, note: string | null | undefined): string {
  if (!note) return '';
  const moved = /^moved:(.+)$/.exec(note);
  if (moved) return moved[1] === 'office' ? t('devices.page.notes.movedOffice') : t('devices.page.notes.moved', { institution: moved[1] });
  if (/^[a-z_]+$/.test(note)) return t(`devices.page.notes.${note}`, { defaultValue: note });
  return note;
}

/** The history of a need or device: what it became, when (reader's locale), by whom, and why. */
export function historyTable({ t }: View, rows: Array<{ status: string; at: string; by: string | null; note: string | null }>, label: (s: string) => string, when: (iso: string) => string): Html {
  if (!rows.length) return html`<p>${t('devices.page.noHistory')}</p>`;
  return html`<div class="table-wrap"${scrollable(t('devices.page.history'))}><table>
<thead><tr><th scope="col">${t('devices.page.status')}</th><th scope="col">${t('devices.page.when')}</th><th scope="col">${t('devices.page.by')}</th><th scope="col">${t('devices.page.note')}</th></tr></thead>
<tbody>${rows.map((h) => html`<tr><td>${label(h.status)}</td><td><time datetime="${h.at}">${when(h.at)}</time></td><td>${h.by ?? '—'}</td><td>${historyNote(t, h.note)}</td></tr>`)}</tbody>
</table></div>`;
}
