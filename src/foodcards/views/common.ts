import { html, type Html } from '../../web/html.ts';
import type { Lang, TFunction } from '../../i18n/index.ts';
import { formatDay } from '../../web/format.ts';
import type { View } from '../../web/forms.ts';

export type { View };

const locales: Record<Lang, string> = { lv: 'lv-LV', ru: 'ru-RU', en: 'en-GB' };

/** Integer cents as euros in the reader's locale (`1,42 €`, `€1.42`). */
export function formatEuros(cents: number, lang: Lang): string {
  return new Intl.NumberFormat(locales[lang], { style: 'currency', currency: 'EUR' }).format(cents / 100);
}

/** A span of days in words. */
export function spanText({ ctx, t }: View, p: { from: string; to: string }): string {
  return t('foodcards.page.span', { from: formatDay(p.from, ctx.lang), to: formatDay(p.to, ctx.lang) });
}

export const statusLabel = (t: TFunction, status: string) => t(`foodcards.page.familyStatus.${status}`, { defaultValue: status });

/** The small navigation of the food-card pages: back to the periods, and to the period for a coordinator. */
export function subnav({ ctx, t }: View, period?: { id: string; name: string } | null): Html {
  const path = ctx.path.split('?')[0] ?? '';
  const items = [
    { href: '/foodcards', label: t('foodcards.page.nav.periods') },
    { href: '/foodcards/cards', label: t('foodcards.page.nav.cards') },
    { href: '/foodcards/statuses', label: t('foodcards.page.nav.statuses') },
  ];
  if (period && ctx.actor?.role === 'coordinator') items.push({ href: `/foodcards/periods/${period.id}`, label: period.name });
  return html`<nav class="subnav" aria-label="${t('foodcards.page.nav.label')}"><ul>${items.map(
    (i) => html`<li><a href="${i.href}"${i.href === path ? html` aria-current="page"` : ''}>${i.label}</a></li>`,
  )}</ul></nav>`;
}
