import { html, type Html } from '../../web/html.ts';
import type { TFunction } from '../../i18n/index.ts';
import type { View } from '../../web/forms.ts';

export type { View };

const k = 'notifications.page';

/** The human name of a template, a status, a channel, a language, a failure code (the code itself when unknown). */
export const templateLabel = (t: TFunction, name: string) => t(`${k}.templates.${name}`, { defaultValue: name });
export const statusLabel = (t: TFunction, status: string) => t(`${k}.statuses.${status}`, { defaultValue: status });
export const channelLabel = (t: TFunction, channel: string) => t(`${k}.channels.${channel}`, { defaultValue: channel });
export const languageLabel = (t: TFunction, lang: string) => t(`${k}.languages.${lang}`, { defaultValue: lang });
export const failureLabel = (t: TFunction, code: string) => t(`${k}.failures.${code}`, { defaultValue: code });

/** A failure as the log shows it: the reason in words, and what the channel said when it said something. */
export function failureText(t: TFunction, failure: { code?: string | null; message?: string | null } | null | undefined): string {
  if (!failure?.code) return '';
  const label = failureLabel(t, failure.code);
  return failure.message && failure.message !== label ? `${label} (${failure.message})` : label;
}

/** Text with its line breaks kept, each line escaped. */
export function lines(text: string): Html {
  const parts = text.split(/\r?\n/);
  return html`${parts.map((line, i) => html`${i ? html`<br>` : ''}${line}`)}`;
}

/** The small navigation of the coordinator's message pages. */
export function subnav({ ctx, t }: View): Html {
  const path = ctx.path.split('?')[0] ?? '';
  const items = [
    { href: '/notifications', label: t(`${k}.nav.log`) },
    { href: '/notifications/templates', label: t(`${k}.nav.templates`) },
    { href: '/notifications/settings', label: t(`${k}.nav.settings`) },
  ];
  return html`<nav class="subnav" aria-label="${t(`${k}.nav.label`)}"><ul>${items.map(
    (i) => html`<li><a href="${i.href}"${i.href === path ? html` aria-current="page"` : ''}>${i.label}</a></li>`,
  )}</ul></nav>`;
}
